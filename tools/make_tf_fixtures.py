"""Writes the TensorFlow-made fixtures of tests/fixtures/tf/ and checks staticgraph's files
in TensorFlow. Run with a Python that has ``tensorflow-cpu`` 2.21 and staticgraph's
dependencies installed, from the repository root:

    python tools/make_tf_fixtures.py            # fixtures + op signatures + checks

It writes (all small):

- ``staticgraph/io/tf_op_defs.pb``: TensorFlow's op signatures (a binary ``OpList``) (inputs, outputs,
  attributes and their defaults; no prose) for the op types staticgraph knows, so that
  GraphDefs written by staticgraph carry the type attributes TensorFlow requires;
- ``tests/fixtures/tf/mlp_ckpt/``: a TF1 ``Saver`` checkpoint (V2) and ``.meta`` of a
  small MLP trained a few Adam steps, with ``mlp_expected.json`` (its variables' names,
  values' sums, and the MLP's output on ``mlp_input.npy``);
- ``tests/fixtures/tf/mlp_meta/``: ``.meta`` and checkpoint of an inference MLP with TF1's
  reference variables, with ``mlp_meta_output.npy``;
- ``tests/fixtures/tf/keyed_meta/``: ``.meta`` and checkpoint of a Saver keyed by custom
  names, with TF's ``output.npy`` on ``mlp_input.npy``;
- ``tests/fixtures/tf/mlp_frozen.pb`` and ``cnn_frozen.pb``: frozen inference graphs
  (``convert_variables_to_constants``), with ``*_input.npy`` and TF's ``*_output.npy``;
- ``tests/fixtures/tf/staticgraph_in_tf.json``: what TensorFlow saw when loading files
  that staticgraph wrote (checkpoint, GraphDef, MetaGraph, event file).

The test suite uses only these committed files; it never needs TensorFlow.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
OUT = os.path.join(ROOT, "tests", "fixtures", "tf")
OP_DEFS = os.path.join(ROOT, "staticgraph", "io", "tf_op_defs.pb")

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow.compat.v1 as tf1  # noqa: E402

tf1.disable_eager_execution()

# TF ops that staticgraph's importer maps onto its own ops under another name
EXTRA_TF_OPS = ["PadV2", "Snapshot", "FusedBatchNorm", "FusedBatchNormV3"]


def write_op_defs() -> None:
    """TensorFlow's signatures of the op types staticgraph registers."""
    from tensorboard.compat.proto import op_def_pb2
    from tensorflow.python.framework import op_def_registry

    from staticgraph.core.registry import registered_ops
    import staticgraph  # noqa: F401  (registers every op)
    ops = op_def_pb2.OpList()
    for name in sorted(set(registered_ops()) | set(EXTRA_TF_OPS)):
        op = op_def_registry.get(name)
        if op is None:
            continue  # an op of staticgraph's own
        slim = op_def_pb2.OpDef.FromString(op.SerializeToString())
        slim.ClearField("summary")
        slim.ClearField("description")
        for arg in list(slim.input_arg) + list(slim.output_arg):
            arg.ClearField("description")
        for attr in slim.attr:
            attr.ClearField("description")
        slim.ClearField("deprecation")
        ops.op.append(slim)
    with open(OP_DEFS, "wb") as f:  # binary: parsing the text form takes 0.6 s
        f.write(ops.SerializeToString())
    print(f"{len(ops.op)} op signatures -> {OP_DEFS}")


def _dense(x, units, name, activation=None, use_resource=None):
    """A dense layer named as tf.layers names one (``name/kernel``, ``name/bias``)."""
    with tf1.variable_scope(name, use_resource=use_resource):
        kernel = tf1.get_variable("kernel", [int(x.shape[-1]), units],
                                  initializer=tf1.glorot_uniform_initializer())
        bias = tf1.get_variable("bias", [units], initializer=tf1.random_normal_initializer(
            stddev=0.1))
        out = tf1.nn.bias_add(tf1.matmul(x, kernel), bias)
    return activation(out) if activation else out


def _conv(x, filters, size, padding, name):
    with tf1.variable_scope(name):
        kernel = tf1.get_variable("kernel", [size, size, int(x.shape[-1]), filters],
                                  initializer=tf1.glorot_uniform_initializer())
        bias = tf1.get_variable("bias", [filters],
                                initializer=tf1.random_normal_initializer(stddev=0.1))
        conv = tf1.nn.conv2d(x, kernel, [1, 1, 1, 1], padding)
        return tf1.nn.relu(tf1.nn.bias_add(conv, bias))


def _mlp(x, use_resource=None):
    h = _dense(x, 8, "hidden", activation=tf1.nn.relu, use_resource=use_resource)
    return tf1.nn.softmax(_dense(h, 3, "logits", use_resource=use_resource), name="probs")


def write_ref_variable_meta_graph() -> None:
    """An inference MLP with TF1's reference variables (VariableV2): its .meta and
    checkpoint, and TF's output on mlp_input.npy."""
    folder = os.path.join(OUT, "mlp_meta")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    x_val = np.load(os.path.join(OUT, "mlp_input.npy"))
    with tf1.Graph().as_default():
        tf1.set_random_seed(4)
        x = tf1.placeholder(tf1.float32, [None, 4], name="x")
        probs = _mlp(x, use_resource=False)
        tf1.add_to_collection("outputs", probs)
        saver = tf1.train.Saver()
        with tf1.Session() as sess:
            sess.run(tf1.global_variables_initializer())
            saver.save(sess, os.path.join(folder, "model"))
            out = sess.run(probs, {x: x_val})
    os.remove(os.path.join(folder, "checkpoint"))  # it names absolute paths
    np.save(os.path.join(OUT, "mlp_meta_output.npy"), out)
    print("reference-variable MLP .meta ->", folder)


def write_keyed_saver_meta_graph() -> None:
    """A Saver keyed by custom names (``{"model/weights": w, ...}``): its .meta records the
    keys only in its SaveV2 op; with TF's output on mlp_input.npy."""
    folder = os.path.join(OUT, "keyed_meta")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    x_val = np.load(os.path.join(OUT, "mlp_input.npy"))
    with tf1.Graph().as_default():
        x = tf1.placeholder(tf1.float32, [None, 4], name="x")
        w = tf1.Variable(np.arange(12, dtype=np.float32).reshape(4, 3) / 10, name="w",
                         use_resource=False)
        b = tf1.Variable([0.5, -0.5, 0.0], name="b", use_resource=False)
        out = tf1.nn.softmax(tf1.matmul(x, w) + b, name="probs")
        saver = tf1.train.Saver({"model/weights": w, "model/bias": b})
        with tf1.Session() as sess:
            sess.run(tf1.global_variables_initializer())
            sess.run(w.assign(w * 2.0))
            saver.save(sess, os.path.join(folder, "model"))
            np.save(os.path.join(folder, "output.npy"), sess.run(out, {x: x_val}))
    os.remove(os.path.join(folder, "checkpoint"))  # it names absolute paths
    print("keyed-saver .meta ->", folder)


def write_mlp_checkpoint(rng: np.random.RandomState) -> None:
    folder = os.path.join(OUT, "mlp_ckpt")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    x_val = rng.randn(5, 4).astype(np.float32)
    y_val = np.eye(3, dtype=np.float32)[rng.randint(0, 3, 5)]
    np.save(os.path.join(OUT, "mlp_input.npy"), x_val)
    with tf1.Graph().as_default():
        tf1.set_random_seed(1)
        x = tf1.placeholder(tf1.float32, [None, 4], name="x")
        y = tf1.placeholder(tf1.float32, [None, 3], name="y")
        probs = _mlp(x)
        loss = tf1.reduce_mean(-tf1.reduce_sum(y * tf1.log(probs), axis=1))
        step = tf1.train.get_or_create_global_step()
        train = tf1.train.AdamOptimizer(0.01).minimize(loss, global_step=step)
        saver = tf1.train.Saver()
        with tf1.Session() as sess:
            sess.run(tf1.global_variables_initializer())
            for _ in range(3):
                sess.run(train, {x: x_val, y: y_val})
            out = sess.run(probs, {x: x_val})
            prefix = saver.save(sess, os.path.join(folder, "model.ckpt"), global_step=step)
            values = {v.op.name: sess.run(v) for v in tf1.global_variables()}
    # the state file holds absolute paths; keep it relative so the fixture can move
    with open(os.path.join(folder, "checkpoint"), "w") as f:
        name = os.path.basename(prefix)
        f.write(f'model_checkpoint_path: "{name}"\nall_model_checkpoint_paths: "{name}"\n')
    np.save(os.path.join(OUT, "mlp_output.npy"), out)
    expected = {"prefix": os.path.basename(prefix),
                "variables": {k: {"shape": list(np.shape(v)), "dtype": str(np.asarray(v).dtype),
                                  "sum": float(np.sum(v))} for k, v in sorted(values.items())}}
    with open(os.path.join(OUT, "mlp_expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
    print(f"checkpoint of {len(values)} variables -> {folder}")


def _freeze(sess, outputs):
    return tf1.graph_util.convert_variables_to_constants(sess, sess.graph.as_graph_def(),
                                                          outputs)


def write_frozen_graphs(rng: np.random.RandomState) -> None:
    x_val = np.load(os.path.join(OUT, "mlp_input.npy"))
    with tf1.Graph().as_default():
        tf1.set_random_seed(2)
        x = tf1.placeholder(tf1.float32, [None, 4], name="x")
        probs = _mlp(x)
        with tf1.Session() as sess:
            sess.run(tf1.global_variables_initializer())
            frozen = _freeze(sess, ["probs"])
            out = sess.run(probs, {x: x_val})
    with open(os.path.join(OUT, "mlp_frozen.pb"), "wb") as f:
        f.write(frozen.SerializeToString())
    np.save(os.path.join(OUT, "mlp_frozen_output.npy"), out)

    images = rng.rand(2, 8, 8, 1).astype(np.float32)
    with tf1.Graph().as_default():
        tf1.set_random_seed(3)
        x = tf1.placeholder(tf1.float32, [None, 8, 8, 1], name="images")
        h = _conv(x, 4, 3, "SAME", "conv1")
        h = tf1.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "VALID", name="pool1")
        h = _conv(h, 6, 3, "VALID", "conv2")
        h = tf1.nn.avg_pool(h, [1, 2, 2, 1], [1, 1, 1, 1], "VALID", name="pool2")
        h = tf1.reshape(h, [-1, 1 * 1 * 6], name="flat")
        logits = _dense(h, 3, "logits")
        tf1.nn.softmax(logits, name="probs")
        tf1.argmax(logits, 1, name="classes")
        with tf1.Session() as sess:
            sess.run(tf1.global_variables_initializer())
            frozen = _freeze(sess, ["probs", "classes"])
            probs, classes = sess.run(["probs:0", "classes:0"], {x: images})
    with open(os.path.join(OUT, "cnn_frozen.pb"), "wb") as f:
        f.write(frozen.SerializeToString())
    np.save(os.path.join(OUT, "cnn_input.npy"), images)
    np.save(os.path.join(OUT, "cnn_output.npy"), probs)
    np.save(os.path.join(OUT, "cnn_classes.npy"), classes)
    print("frozen MLP and CNN ->", OUT)


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(0)
    write_op_defs()
    write_mlp_checkpoint(rng)
    write_frozen_graphs(rng)
    write_ref_variable_meta_graph()
    write_keyed_saver_meta_graph()
    from staticgraph_checks_in_tf import check_staticgraph_files  # noqa: E402
    report = check_staticgraph_files(tf1, tempfile.mkdtemp())
    with open(os.path.join(OUT, "staticgraph_in_tf.json"), "w") as f:
        json.dump(report, f, indent=1, sort_keys=True)
    print(json.dumps(report, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()

"""Files written by staticgraph, loaded in TensorFlow: what TF sees (for make_tf_fixtures.py).

Each check writes a file with staticgraph into a scratch folder, loads it with TensorFlow
1's API and records what TensorFlow reported, so that the committed JSON shows which
directions work.
"""
from __future__ import annotations

import os
from typing import Any

import numpy as np

import staticgraph as sg


def _sg_mlp(seed: int = 0) -> tuple[Any, Any, np.ndarray]:
    rng = np.random.RandomState(seed)
    x = sg.placeholder(sg.float32, [None, 4], name="x")
    w1 = sg.Variable(rng.randn(4, 8).astype(np.float32), name="hidden/kernel")
    b1 = sg.Variable(rng.randn(8).astype(np.float32), name="hidden/bias")
    w2 = sg.Variable(rng.randn(8, 3).astype(np.float32), name="logits/kernel")
    b2 = sg.Variable(rng.randn(3).astype(np.float32), name="logits/bias")
    h = sg.nn.relu(sg.nn.bias_add(sg.matmul(x, w1), b1))
    probs = sg.nn.softmax(sg.matmul(h, w2) + b2, name="probs")
    return x, probs, rng.randn(5, 4).astype(np.float32)


def check_checkpoint(tf1: Any, folder: str) -> dict:
    """A staticgraph checkpoint read by ``tf.train.load_checkpoint`` and restored by TF1's
    ``Saver`` into the same model built with TensorFlow."""
    with sg.Graph().as_default():
        x, probs, x_val = _sg_mlp()
        step = sg.train.get_or_create_global_step()
        with sg.Session() as sess:
            sess.run(sg.global_variables_initializer())
            sess.run(sg.assign(step, 7))
            prefix = sg.train.Saver().save(sess, os.path.join(folder, "sg.ckpt"),
                                           global_step=step, write_meta_graph=False)
            expected = sess.run(probs, {x: x_val})
    reader = tf1.train.load_checkpoint(folder)
    shapes = reader.get_variable_to_shape_map()
    with tf1.Graph().as_default():
        tx = tf1.placeholder(tf1.float32, [None, 4], name="x")
        h = tf1.nn.relu(tf1.nn.bias_add(tf1.matmul(tx, tf1.get_variable(
            "hidden/kernel", [4, 8])), tf1.get_variable("hidden/bias", [8])))
        out = tf1.nn.softmax(tf1.matmul(h, tf1.get_variable("logits/kernel", [8, 3]))
                             + tf1.get_variable("logits/bias", [3]))
        tf1.train.get_or_create_global_step()
        with tf1.Session() as sess:
            tf1.train.Saver().restore(sess, tf1.train.latest_checkpoint(folder))
            got = sess.run(out, {tx: x_val})
            step_value = int(sess.run(tf1.train.get_global_step()))
    return {"latest_checkpoint": os.path.basename(tf1.train.latest_checkpoint(folder)),
            "prefix_written": os.path.basename(prefix),
            "variables_seen_by_load_checkpoint": {k: list(v) for k, v in sorted(shapes.items())},
            "restored_global_step": step_value,
            "restored_outputs_max_abs_diff": float(np.max(np.abs(got - expected)))}


def _sg_cnn(seed: int = 1) -> tuple[Any, Any, np.ndarray]:
    rng = np.random.RandomState(seed)
    x = sg.placeholder(sg.float32, [None, 8, 8, 1], name="images")
    k1 = sg.Variable(rng.randn(3, 3, 1, 4).astype(np.float32), name="conv1/kernel")
    k2 = sg.Variable(rng.randn(3, 3, 4, 6).astype(np.float32), name="conv2/kernel")
    w = sg.Variable(rng.randn(6, 3).astype(np.float32), name="logits/kernel")
    h = sg.nn.relu(sg.nn.conv2d(x, k1, [1, 1, 1, 1], "SAME"))
    h = sg.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    h = sg.nn.relu(sg.nn.conv2d(h, k2, [1, 1, 1, 1], "VALID"))
    h = sg.nn.avg_pool(h, [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
    h = sg.reduce_mean(sg.reshape(h, [-1, 1, 6]), axis=1)
    logits = sg.matmul(h, w)
    probs = sg.nn.softmax(logits, name="probs")
    sg.argmax(logits, 1, name="classes")
    sg.concat([probs, sg.transpose(sg.expand_dims(sg.reduce_max(probs, 1), 0))], 1,
              name="mixed")
    return x, probs, rng.rand(2, 8, 8, 1).astype(np.float32)


def _run_in_tf(tf1: Any, path: str, feeds: dict, fetches: list) -> list:
    graph_def = tf1.GraphDef()
    with open(path, "rb") as f:
        graph_def.ParseFromString(f.read())
    with tf1.Graph().as_default() as graph:
        tf1.import_graph_def(graph_def, name="")
        with tf1.Session(graph=graph) as sess:
            return sess.run(fetches, feeds)


def check_frozen_graphs(tf1: Any, folder: str) -> dict:
    """Frozen GraphDefs written by staticgraph, imported and run by TensorFlow."""
    report = {}
    for name, build, fetches in [("mlp", _sg_mlp, ["probs:0"]),
                                 ("cnn", _sg_cnn, ["probs:0", "classes:0", "mixed:0"])]:
        with sg.Graph().as_default():
            x, _, x_val = build()
            with sg.Session() as sess:
                sess.run(sg.global_variables_initializer())
                frozen = sg.graph_util.convert_variables_to_constants(
                    sess, sess.graph_def, [f.split(":")[0] for f in fetches])
                expected = sess.run(fetches, {x: x_val})
        path = sg.train.write_graph(frozen, folder, f"{name}.pb", as_text=False)
        got = _run_in_tf(tf1, path, {x.name: x_val}, fetches)
        report[name] = {"ops": sorted({n.op for n in frozen.node}),
                        "max_abs_diff": {f: float(np.max(np.abs(np.asarray(a, np.float64)
                                                                - np.asarray(b))))
                                         for f, a, b in zip(fetches, got, expected)}}
    return report


def check_training_graph(tf1: Any, folder: str) -> dict:
    """A whole training GraphDef (gradients, Adam): TensorFlow names the op types that
    exist only in staticgraph."""
    with sg.Graph().as_default():
        x, probs, _ = _sg_mlp()
        loss = sg.reduce_mean(-sg.log(probs))
        sg.train.AdamOptimizer(0.01).minimize(loss)
        path = sg.train.write_graph(sg.get_default_graph(), folder, "train.pbtxt")
    graph_def = tf1.GraphDef()
    from google.protobuf import text_format
    with open(path) as f:
        text_format.Parse(f.read(), graph_def)
    with tf1.Graph().as_default():
        try:
            tf1.import_graph_def(graph_def, name="")
            return {"imported": True}
        except Exception as err:  # the expected outcome when staticgraph-only ops occur
            return {"imported": False, "error": f"{type(err).__name__}: {str(err)[:300]}"}


def check_meta_graph(tf1: Any, folder: str) -> dict:
    """A staticgraph .meta + checkpoint of an inference MLP, imported and restored by TF1's
    ``import_meta_graph``."""
    with sg.Graph().as_default():
        x, probs, x_val = _sg_mlp()
        sg.add_to_collection("outputs", probs)
        with sg.Session() as sess:
            sess.run(sg.global_variables_initializer())
            prefix = sg.train.Saver().save(sess, os.path.join(folder, "sg_model"))
            expected = sess.run(probs, {x: x_val})
    with tf1.Graph().as_default() as graph:
        saver = tf1.train.import_meta_graph(prefix + ".meta")
        with tf1.Session() as sess:
            saver.restore(sess, prefix)
            out = graph.get_collection("outputs")[0]
            got = sess.run(out, {"x:0": x_val})
            trainable = sorted(v.op.name for v in tf1.trainable_variables())
    return {"trainable_variables": trainable, "collection_outputs": out.name,
            "max_abs_diff": float(np.max(np.abs(got - expected)))}


def check_keyed_meta_graph(tf1: Any, folder: str) -> dict:
    """A staticgraph .meta of a Saver keyed by custom names: TF1's ``import_meta_graph``
    rebuilds that Saver from it, restores, and saves again under the same keys."""
    with sg.Graph().as_default():
        x, probs, x_val = _sg_mlp()
        saver = sg.train.Saver({"net/" + v.op.name: v for v in sg.global_variables()})
        with sg.Session() as sess:
            sess.run(sg.global_variables_initializer())
            prefix = saver.save(sess, os.path.join(folder, "sg_keyed"))
            expected = sess.run(probs, {x: x_val})
    with tf1.Graph().as_default():
        saver = tf1.train.import_meta_graph(prefix + ".meta")
        with tf1.Session() as sess:
            saver.restore(sess, prefix)
            got = sess.run("probs:0", {"x:0": x_val})
            again = saver.save(sess, os.path.join(folder, "by_tf"))
    return {"keys_tf_saves": sorted(name for name, _ in tf1.train.list_variables(again)),
            "max_abs_diff": float(np.max(np.abs(got - expected)))}


def check_staticgraph_files(tf1: Any, folder: str) -> dict:
    """Every check, each in its own subfolder of ``folder``."""
    report = {}
    for name, check in [("checkpoint", check_checkpoint),
                        ("frozen_graphs", check_frozen_graphs),
                        ("training_graph", check_training_graph),
                        ("meta_graph", check_meta_graph),
                        ("keyed_meta_graph", check_keyed_meta_graph)]:
        sub = os.path.join(folder, name)
        os.makedirs(sub)
        try:
            report[name] = check(tf1, sub)
        except Exception as err:  # recorded, so the JSON shows what failed
            report[name] = {"error": f"{type(err).__name__}: {str(err)[:500]}"}
    return report

"""GraphDefs: TensorFlow's frozen graphs run here; staticgraph's round-trip exactly and
carry TensorFlow's op types, attributes and dtypes; graph_util; bad files."""
import json
import pathlib

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.io.graph_util import read_graph_def

FIXTURES = pathlib.Path(__file__).parent.parent / "fixtures" / "tf"


@pytest.mark.parametrize("name,inputs,outputs,expected", [
    ("mlp", "x:0", ["probs:0"], ["mlp_frozen_output.npy"]),
    ("cnn", "images:0", ["probs:0", "classes:0"], ["cnn_output.npy", "cnn_classes.npy"])])
def test_frozen_tf_graphs_give_tfs_outputs(name, inputs, outputs, expected):
    graph_def = read_graph_def(str(FIXTURES / f"{name}_frozen.pb"))
    x, *fetches = tf.import_graph_def(graph_def, return_elements=[inputs] + outputs)
    assert x.op.name == f"import/{inputs[:-2]}"
    with tf.Session() as sess:
        got = sess.run(fetches, {x: np.load(FIXTURES / f"{name}_input.npy")})
    for value, file in zip(got, expected):
        want = np.load(FIXTURES / file)
        assert value.dtype == want.dtype
        np.testing.assert_allclose(value, want, rtol=1e-5, atol=1e-6)


def test_tensorflow_ran_staticgraphs_frozen_graphs():
    """Recorded by tools/make_tf_fixtures.py with TensorFlow 2.21."""
    seen = json.loads((FIXTURES / "staticgraph_in_tf.json").read_text())
    for name in ("mlp", "cnn"):
        diffs = seen["frozen_graphs"][name]["max_abs_diff"]
        assert diffs and all(d < 1e-6 for d in diffs.values())
    assert "Conv2D" in seen["frozen_graphs"]["cnn"]["ops"]
    # a training graph holds ops only staticgraph has; TensorFlow names them
    assert "Op type not registered" in seen["training_graph"]["error"]


def _training_graph():
    rng = np.random.RandomState(0)
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    w = tf.Variable(rng.randn(4, 3).astype(np.float32), name="w")
    b = tf.Variable(np.zeros(3, np.float32), name="b")
    logits = tf.nn.bias_add(tf.matmul(x, w), b)
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.one_hot([0, 2, 1], 3), logits=logits), name="loss")
    train = tf.train.AdamOptimizer(0.1).minimize(loss, name="train")
    tf.global_variables_initializer()  # named "init"
    return x, loss, train, rng.randn(3, 4).astype(np.float32)


def _losses(sess, x, loss, train, x_val, steps=5):
    out = []
    for _ in range(steps):
        out.append(sess.run([loss, train], {x: x_val})[0])
    return out


def test_a_training_graph_round_trips_exactly():
    x, loss, train, x_val = _training_graph()
    graph_def = tf.get_default_graph().as_graph_def()
    with tf.Session() as sess:
        sess.run("init")
        original = _losses(sess, x, loss, train, x_val)
    with tf.Graph().as_default() as g2:
        tf.import_graph_def(graph_def, name="")
        assert [op.name for op in g2.get_operations()] == [n.name for n in graph_def.node]
        with tf.Session() as sess:
            sess.run("init")
            again = _losses(sess, g2.get_tensor_by_name("x:0"),
                            g2.get_tensor_by_name("loss:0"),
                            g2.get_operation_by_name("train"), x_val)
    assert again == original  # bit for bit


def test_import_under_a_name_with_input_map_keeps_variables_apart():
    x, loss, train, x_val = _training_graph()
    graph_def = tf.get_default_graph().as_graph_def()
    feed = tf.constant(x_val)
    loss2, = tf.import_graph_def(graph_def, input_map={"x": feed}, return_elements=["loss:0"],
                                 name="copy")
    assert loss2.name == "copy/loss:0"
    with tf.Session() as sess:
        sess.run(["init", "copy/init"])
        sess.run(tf.get_default_graph().get_operation_by_name("copy/train"))
        # the copy trained its own variables; the original's are untouched
        np.testing.assert_array_equal(sess.run("b:0"), np.zeros(3))
        assert np.any(sess.run("copy/b:0") != 0)
        assert sess.run(loss2) == pytest.approx(sess.run(loss, {x: x_val}), abs=0.5)


def test_nodes_carry_tensorflow_types_and_attributes():
    x = tf.placeholder(tf.float64, [None, 3], name="x")
    tf.reduce_sum(tf.concat([x, tf.transpose(x)[:1, :]], 0), axis=1, keepdims=True, name="s")
    tf.cast(x, tf.int32, name="c")
    nodes = {n.name: n for n in tf.get_default_graph().as_graph_def().node}
    s = nodes["s"]
    assert s.op == "Sum" and list(s.input) == ["concat", "s/reduction_indices"]
    assert s.attr["T"].type == 2 and s.attr["Tidx"].type == 3 and s.attr["keep_dims"].b
    concat = nodes["concat"]
    assert concat.attr["N"].i == 2 and concat.input[-1] == "concat/axis"
    assert nodes["c"].attr["SrcT"].type == 2 and nodes["c"].attr["DstT"].type == 3
    assert nodes["x"].attr["shape"].shape.dim[0].size == -1


def test_unknown_op_types_are_all_listed_and_nothing_is_added():
    graph_def = read_graph_def(str(FIXTURES / "mlp_frozen.pb"))
    graph_def.node[3].op = "FancyOp"
    graph_def.node[5].op = "OtherOp"
    graph_def.node[7].op = "FancyOp"
    with pytest.raises(ValueError, match=r"2 op type\(s\).*FancyOp \(nodes: .*, .*\); OtherOp"):
        tf.import_graph_def(graph_def)
    assert tf.get_default_graph().get_operations() == []


def test_graph_util_freeze_extract_and_remove_training_nodes():
    x = tf.placeholder(tf.float32, [2], name="x")
    v = tf.Variable(np.array([1.0, 2.0], np.float32), name="v")
    y = tf.identity(tf.check_numerics(x * v, "bad"), name="y")
    tf.add(y, 1.0, name="z")
    tf.Variable(np.zeros(1, np.float32), name="unused")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        frozen = tf.graph_util.convert_variables_to_constants(sess, sess.graph_def, ["z"])
    ops = {n.name: n.op for n in frozen.node}
    assert ops["v"] == "Const" and "unused" not in ops and "v/Assign" not in ops
    trimmed = tf.graph_util.remove_training_nodes(frozen)
    assert {n.op for n in trimmed.node}.isdisjoint({"Identity", "CheckNumerics"})
    with tf.Graph().as_default():
        x2, z = tf.import_graph_def(trimmed, return_elements=["x:0", "z:0"], name="")
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(z, {x2: [1.0, 1.0]}), [2.0, 3.0])
    sub = tf.graph_util.extract_sub_graph(frozen, ["y"])
    assert "z" not in {n.name for n in sub.node}
    with pytest.raises(ValueError, match="nope"):
        tf.graph_util.extract_sub_graph(frozen, ["nope"])


@pytest.mark.parametrize("as_text", [True, False])
def test_write_graph_and_read_back(tmp_path, as_text):
    x = tf.placeholder(tf.float32, [None], name="x")
    tf.square(x, name="sq")
    path = tf.train.write_graph(tf.get_default_graph(), str(tmp_path / "out"), "g.pb",
                                as_text=as_text)
    assert tf.io.write_graph is tf.train.write_graph
    graph_def = read_graph_def(path)
    assert [n.op for n in graph_def.node] == ["Placeholder", "Square"]
    assert (open(path, "rb").read().startswith(b"node {")) == as_text


def test_bad_graph_files(tmp_path):
    (tmp_path / "bad.pb").write_bytes(b"\xff\xfe this is not a graph")
    with pytest.raises(tf.errors.DataLossError, match="bad.pb"):
        read_graph_def(str(tmp_path / "bad.pb"))
    with pytest.raises(tf.errors.NotFoundError, match="missing.pb"):
        read_graph_def(str(tmp_path / "missing.pb"))


def test_session_graph_def_matches_graph():
    tf.constant(1.0, name="one")
    with tf.Session() as sess:
        assert [n.name for n in sess.graph_def.node] == ["one"]

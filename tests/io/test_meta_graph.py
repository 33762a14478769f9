"""MetaGraphs: TensorFlow's .meta + checkpoint restore here; staticgraph's round-trip with
their collections; what TensorFlow saw of staticgraph's .meta."""
import json
import pathlib

import numpy as np
import pytest

import staticgraph as tf

FIXTURES = pathlib.Path(__file__).parent.parent / "fixtures" / "tf"


def test_tf_meta_graph_and_checkpoint_restore_with_tfs_outputs():
    saver = tf.train.import_meta_graph(str(FIXTURES / "mlp_meta" / "model.meta"))
    graph = tf.get_default_graph()
    names = {op.name for op in graph.get_operations()}
    assert "save/RestoreV2" not in names and "save/SaveV2" not in names  # TF's Saver ops
    assert sorted(v.op.name for v in tf.trainable_variables()) == [
        "hidden/bias", "hidden/kernel", "logits/bias", "logits/kernel"]
    probs = tf.get_collection("outputs")[0]
    assert probs.name == "probs:0"
    with tf.Session() as sess:
        saver.restore(sess, str(FIXTURES / "mlp_meta" / "model"))
        got = sess.run(probs, {"x:0": np.load(FIXTURES / "mlp_input.npy")})
    np.testing.assert_allclose(got, np.load(FIXTURES / "mlp_meta_output.npy"), rtol=1e-5,
                               atol=1e-6)


def test_tf_saver_keyed_by_custom_names_restores_by_those_keys():
    """TF's .meta names the checkpoint keys only in its SaveV2 op (Saver({"model/weights":
    w, ...})); the Saver import_meta_graph returns restores by them."""
    saver = tf.train.import_meta_graph(str(FIXTURES / "keyed_meta" / "model.meta"))
    assert sorted(saver.variables) == ["model/bias", "model/weights"]
    assert saver.variables["model/weights"].op.name == "w"
    with tf.Session() as sess:
        saver.restore(sess, str(FIXTURES / "keyed_meta" / "model"))
        got = sess.run("probs:0", {"x:0": np.load(FIXTURES / "mlp_input.npy")})
    np.testing.assert_allclose(got, np.load(FIXTURES / "keyed_meta" / "output.npy"),
                               rtol=1e-6)


def test_keyed_saver_round_trips_its_keys_and_tf_restores_them(tmp_path):
    """Our .meta carries TF1's Saver sub-graph and SaverDef: we and TF (recorded by
    tools/make_tf_fixtures.py) rebuild the Saver with the same keys."""
    w = tf.Variable([[1.0, 2.0]], name="w")
    b = tf.Variable([3.0], name="b")
    saver = tf.train.Saver({"layer/kernel": w, "layer/bias": b})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        prefix = saver.save(sess, str(tmp_path / "m"))
    meta = saver.export_meta_graph()
    assert meta.saver_def.restore_op_name == "save/restore_all"
    save_op = next(n for n in meta.graph_def.node if n.name == "save/SaveV2")
    assert list(save_op.input[3:]) == ["b", "w"]  # sorted by key, as TF sorts
    with tf.Graph().as_default():
        restored = tf.train.import_meta_graph(prefix + ".meta")
        assert {k: v.op.name for k, v in restored.variables.items()} == {
            "layer/kernel": "w", "layer/bias": "b"}
        # (importing at all shows the SaveV2/RestoreV2 sub-graph was left out)
        with tf.Session() as sess:
            restored.restore(sess, prefix)
            assert sess.run("w:0").tolist() == [[1.0, 2.0]]
    seen = json.loads((FIXTURES / "staticgraph_in_tf.json").read_text())["keyed_meta_graph"]
    assert seen["keys_tf_saves"] == ["net/hidden/bias", "net/hidden/kernel",
                                     "net/logits/bias", "net/logits/kernel"]
    assert seen["max_abs_diff"] < 1e-6


def test_tf_meta_graph_initializers_run_here():
    tf.train.import_meta_graph(str(FIXTURES / "mlp_meta" / "model.meta"))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run("hidden/kernel:0").shape == (4, 8)


def test_resource_variable_meta_graph_lists_every_missing_op_type():
    """TF2's compat.v1 defaults to resource variables and its .meta holds gradient ops
    staticgraph has no counterpart for: the error lists them all."""
    with pytest.raises(ValueError, match=r"op type\(s\) staticgraph does not have:.*"
                                         r"ReadVariableOp.*VarHandleOp"):
        tf.train.import_meta_graph(str(FIXTURES / "mlp_ckpt" / "model.ckpt-3.meta"))
    assert tf.get_default_graph().get_operations() == []


def test_saver_writes_meta_and_import_restores_graph_collections_and_values(tmp_path):
    rng = np.random.RandomState(0)
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(rng.randn(3, 2).astype(np.float32), name="w")
    loss = tf.reduce_sum(tf.square(tf.matmul(x, w)), name="loss")
    step = tf.train.get_or_create_global_step()
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss, global_step=step)
    tf.add_to_collection(tf.GraphKeys.TRAIN_OP, train)
    tf.add_to_collection("numbers", 3)
    x_val = rng.randn(4, 3).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, {x: x_val})
        prefix = tf.train.Saver().save(sess, str(tmp_path / "m"), global_step=step)
        expected = [sess.run(train, {x: x_val}) for _ in range(3)] and sess.run(loss, {x: x_val})
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(prefix + ".meta")
        train_op = tf.get_collection(tf.GraphKeys.TRAIN_OP)[0]
        assert train_op.name == "GradientDescent"
        assert tf.get_collection("numbers") == [3]
        assert [v.op.name for v in tf.trainable_variables()] == ["w"]
        with tf.Session() as sess:
            saver.restore(sess, prefix)
            assert sess.run("global_step:0") == 1
            for _ in range(3):
                sess.run(train_op, {"x:0": x_val})
            assert sess.run("loss:0", {"x:0": x_val}) == expected


def test_import_meta_graph_under_a_scope(tmp_path):
    tf.Variable(np.ones(2, np.float32), name="v")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        prefix = tf.train.Saver().save(sess, str(tmp_path / "s"))
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(prefix + ".meta", import_scope="copy")
        assert [v.op.name for v in tf.global_variables()] == ["copy/v"]
        with tf.Session() as sess:
            saver.restore(sess, prefix)
            np.testing.assert_array_equal(sess.run("copy/v:0"), [1.0, 1.0])


def test_export_meta_graph_as_text_and_bad_meta_files(tmp_path):
    tf.Variable(np.ones(2, np.float32), name="v")
    path = str(tmp_path / "g.meta")
    meta = tf.train.export_meta_graph(path, as_text=True)
    assert open(path).read().startswith("graph_def {")
    assert "variables" in meta.collection_def
    (tmp_path / "bad.meta").write_bytes(b"\x00\xffnot a meta graph")
    with pytest.raises(tf.errors.DataLossError, match="bad.meta"):
        tf.train.import_meta_graph(str(tmp_path / "bad.meta"))
    with pytest.raises(tf.errors.NotFoundError, match="none.meta"):
        tf.train.import_meta_graph(str(tmp_path / "none.meta"))


def test_tensorflow_imported_staticgraphs_meta_graph():
    """Recorded by tools/make_tf_fixtures.py with TensorFlow 2.21."""
    seen = json.loads((FIXTURES / "staticgraph_in_tf.json").read_text())["meta_graph"]
    assert seen["max_abs_diff"] < 1e-6 and seen["collection_outputs"] == "probs:0"
    assert len(seen["trainable_variables"]) == 4


def test_import_meta_graph_saver_leaves_local_variables_out(tmp_path):
    """A graph with a streaming metric (local variables) restores from a checkpoint that,
    as TF's default Saver writes it, holds only the global variables."""
    w = tf.Variable([1.0, 2.0], name="w")
    _, update = tf.metrics.mean(w)
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        prefix = tf.train.Saver().save(sess, str(tmp_path / "m"))
    assert [name for name, _ in tf.train.list_variables(prefix)] == ["w"]
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(prefix + ".meta")
        assert len(tf.local_variables()) == 2
        with tf.Session() as sess:
            saver.restore(sess, prefix)
            sess.run(tf.local_variables_initializer())
            assert sess.run(update.name) == 1.5

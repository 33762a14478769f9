"""tf.saved_model: SavedModel directories written and loaded, TF's included (fixtures in
tests/io/fixtures/saved_model, made by tools/make_saved_model_fixtures.py)."""
import json
import os
import pathlib
import shutil

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.io import saved_model_format
from staticgraph.io.saved_model_format import SavedModel, read_saved_model

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "saved_model"
X = np.arange(6, dtype=np.float32).reshape(2, 3) / 5.0


def _model():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(np.linspace(-1, 1, 6, dtype=np.float32).reshape(3, 2), name="w")
    b = tf.Variable(np.array([0.5, -0.5], np.float32), name="b")
    return x, tf.nn.softmax(tf.matmul(x, w) + b, name="y"), w


def _simple_saved(folder, **kwargs):
    """Exports the model with simple_save; returns its outputs on X."""
    with tf.Graph().as_default():
        x, y, _ = _model()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.saved_model.simple_save(sess, str(folder), {"x": x}, {"y": y}, **kwargs)
            return sess.run(y, {x: X})


def _load_and_run(folder, tags=("serve",), key="serving_default", **kwargs):
    with tf.Graph().as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, list(tags), str(folder), **kwargs)
        sig = meta.signature_def[key]
        x = tf.saved_model.utils.get_tensor_from_tensor_info(
            sig.inputs["x"], import_scope=kwargs.get("import_scope"))
        y = tf.saved_model.utils.get_tensor_from_tensor_info(
            sig.outputs["y"], import_scope=kwargs.get("import_scope"))
        return meta, sess.run(y, {x: X})


def test_simple_save_writes_tfs_layout_and_loads_back(tmp_path):
    expected = _simple_saved(tmp_path / "export")
    assert sorted(os.listdir(tmp_path / "export")) == ["saved_model.pb", "variables"]
    assert sorted(os.listdir(tmp_path / "export" / "variables")) == [
        "variables.data-00000-of-00001", "variables.index"]
    saved = read_saved_model(str(tmp_path / "export"))
    assert saved.saved_model_schema_version == 1 and len(saved.meta_graphs) == 1
    meta, got = _load_and_run(tmp_path / "export")
    assert list(meta.meta_info_def.tags) == ["serve"]
    assert meta.signature_def["serving_default"].method_name == \
        "tensorflow/serving/predict"
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    assert dict(tf.train.list_variables(str(tmp_path / "export" / "variables" /
                                            "variables"))) == {"b": [2], "w": [3, 2]}


def test_load_under_an_import_scope_gives_the_same_outputs(tmp_path):
    expected = _simple_saved(tmp_path / "export")
    meta, got = _load_and_run(tmp_path / "export", import_scope="served")
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    assert meta.signature_def["serving_default"].outputs["y"].name == "y:0"


def test_builder_with_several_meta_graphs_text_format_and_main_op(tmp_path):
    export = tmp_path / "export"
    with tf.Graph().as_default() as graph:
        x, y, w = _model()
        counter = tf.Variable(0, name="counter", collections=[tf.GraphKeys.LOCAL_VARIABLES])
        main_op = tf.group(tf.assign(counter, 5), name="main")
        signature = tf.saved_model.predict_signature_def({"x": x}, {"y": y})
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            expected = sess.run(y, {x: X})
            builder = tf.saved_model.builder.SavedModelBuilder(str(export))
            builder.add_meta_graph_and_variables(
                sess, [tf.saved_model.tag_constants.SERVING],
                signature_def_map={"predict": signature}, main_op=main_op)
            sess.run(tf.assign(w, tf.zeros_like(w)))  # after: not in the export
            builder.add_meta_graph([tf.saved_model.TRAINING, "extra"],
                                   signature_def_map={"predict": signature})
            with pytest.raises(AssertionError, match="already been saved"):
                builder.add_meta_graph_and_variables(sess, ["other"])
            path = builder.save(as_text=True)
        assert graph.get_collection("saved_model_main_op") == [main_op]
    assert path == os.fsencode(str(export / "saved_model.pbtxt"))
    assert not os.path.exists(export / "saved_model.pb")
    for tags in (["serve"], ["extra", "train"]):
        with tf.Graph().as_default(), tf.Session() as sess:
            tf.saved_model.load(sess, tags, str(export))
            assert sess.run("counter:0") == 5  # the main op ran after restoring
            np.testing.assert_allclose(sess.run("y:0", {"x:0": X}), expected, rtol=1e-6)


def test_missing_tags_list_the_available_ones(tmp_path):
    _simple_saved(tmp_path / "export")
    with tf.Graph().as_default(), tf.Session() as sess:
        with pytest.raises(RuntimeError, match=r"\['train'\].*available tags '\[\{'serve'\}\]'"):
            tf.saved_model.loader.load(sess, ["train"], str(tmp_path / "export"))


def test_a_non_empty_export_dir_is_refused_and_an_empty_one_used(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(AssertionError, match="full already exists, and isn't empty"):
        tf.saved_model.Builder(str(tmp_path / "full"))
    assert os.listdir(tmp_path / "full") == ["keep.txt"]
    (tmp_path / "empty").mkdir()
    _simple_saved(tmp_path / "empty")
    assert tf.saved_model.loader.maybe_saved_model_directory(str(tmp_path / "empty"))
    assert not tf.saved_model.maybe_saved_model_directory(str(tmp_path / "full"))


def test_a_failed_save_leaves_no_export_and_no_temporary(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(saved_model_format, "write_bundle", broken)
    with pytest.raises(OSError, match="disk full"):
        _simple_saved(tmp_path / "export")
    assert os.listdir(tmp_path) == []


def test_a_killed_exports_staging_folder_is_removed_by_the_next_save(tmp_path):
    stale = tmp_path / ".export.999999999-0123456789abcdef0123456789abcdef.sgtmp"
    (stale / "variables").mkdir(parents=True)
    _simple_saved(tmp_path / "export")
    assert sorted(os.listdir(tmp_path)) == ["export"]


def test_corrupt_and_missing_saved_model_files_name_the_file(tmp_path):
    with pytest.raises(OSError, match=r"SavedModel file does not exist at: .*nowhere"):
        read_saved_model(str(tmp_path / "nowhere"))
    _simple_saved(tmp_path / "export")
    pb = tmp_path / "export" / "saved_model.pb"
    pb.write_bytes(b"\xff\xff\xff garbage")
    with tf.Graph().as_default(), tf.Session() as sess:
        with pytest.raises(OSError, match=r"Cannot parse file .*saved_model\.pb"):
            tf.saved_model.loader.load(sess, ["serve"], str(tmp_path / "export"))
    pb.unlink()
    (tmp_path / "export" / "saved_model.pbtxt").write_text("meta_graphs { nonsense: 1 }")
    with pytest.raises(OSError, match=r"Cannot parse file .*saved_model\.pbtxt"):
        read_saved_model(str(tmp_path / "export"))


def test_corrupt_variables_change_no_variable(tmp_path):
    _simple_saved(tmp_path / "export")
    data = tmp_path / "export" / "variables" / "variables.data-00000-of-00001"
    raw = bytearray(data.read_bytes())
    raw[-1] ^= 0x01
    data.write_bytes(bytes(raw))
    with tf.Graph().as_default(), tf.Session() as sess:
        with pytest.raises(tf.errors.DataLossError, match="data-00000-of-00001"):
            tf.saved_model.loader.load(sess, ["serve"], str(tmp_path / "export"))


def test_assets_are_copied_and_fed_to_the_main_op(tmp_path):
    vocab = tmp_path / "src" / "vocab.txt"
    vocab.parent.mkdir()
    vocab.write_bytes(b"a\nb\n")
    other = tmp_path / "other" / "vocab.txt"
    other.parent.mkdir()
    other.write_bytes(b"different\n")
    export = tmp_path / "export"
    with tf.Graph().as_default() as graph:
        first = tf.constant(str(vocab), name="vocab_path")
        second = tf.constant(str(other), name="other_path")
        for asset in (first, second):
            tf.add_to_collection(tf.GraphKeys.ASSET_FILEPATHS, asset)
        seen = tf.Variable(b"", name="seen", collections=[tf.GraphKeys.LOCAL_VARIABLES])
        init = tf.group(tf.assign(seen, tf.read_file(first)), name="init")
        tf.Variable(1.0, name="keep")  # a global variable restored from variables/
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            builder = tf.saved_model.Builder(str(export))
            builder.add_meta_graph_and_variables(
                sess, ["serve"], assets_collection=graph.get_collection("asset_filepaths"),
                legacy_init_op=init)
            builder.save()
    assert sorted(os.listdir(export / "assets")) == ["vocab.txt", "vocab.txt_1"]
    vocab.unlink()  # the loaded graph reads the copy in assets/
    with tf.Graph().as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, ["serve"], str(export))
        assert [a.filename for a in meta.asset_file_def] == ["vocab.txt", "vocab.txt_1"]
        assert sess.run("seen:0") == b"a\nb\n"
        assert sess.run("keep:0") == 1.0


def test_builder_refuses_bad_signatures_and_main_ops(tmp_path):
    with tf.Graph().as_default():
        x, y, _ = _model()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            builder = tf.saved_model.Builder(str(tmp_path / "e"))
            bad = tf.saved_model.build_signature_def(
                {"x": tf.saved_model.utils.build_tensor_info(x)},
                {"y": tf.TensorInfo(name="y:0")}, "m")
            with pytest.raises(AssertionError, match=r"outputs\['y'\].*dtype"):
                builder.add_meta_graph_and_variables(sess, ["serve"], {"s": bad})
            with pytest.raises(KeyError, match="__saved_model_init_op"):
                builder.add_meta_graph_and_variables(
                    sess, ["serve"], {"__saved_model_init_op": tf.saved_model.
                                      predict_signature_def({"x": x}, {"y": y})})
            with pytest.raises(TypeError, match="to be an Operation"):
                builder.add_meta_graph_and_variables(sess, ["serve"], main_op=y)
            with pytest.raises(AssertionError, match="has not been saved yet"):
                builder.add_meta_graph(["train"])
            with pytest.raises(TypeError, match="y:0 must be of type constant"):
                builder.add_meta_graph_and_variables(sess, ["serve"], assets_collection=[y])
            assert not os.path.exists(tmp_path / "e")
            builder.add_meta_graph_and_variables(sess, ["serve"])
            builder.save()
    saved = read_saved_model(str(tmp_path / "e"))  # the failed additions left nothing
    assert [list(m.meta_info_def.tags) for m in saved.meta_graphs] == [["serve"]]
    assert not saved.meta_graphs[0].asset_file_def


def test_tensorflows_saved_model_loads_with_tfs_outputs(tmp_path):
    """A SavedModel TF 2.21's simple_save wrote: reference variables, an asset, a legacy
    init op, TF's Saver sub-graph."""
    expected = json.loads((FIXTURES / "tf_mlp_expected.json").read_text())
    export = tmp_path / "tf_mlp"
    shutil.copytree(FIXTURES / "tf_mlp", export)
    with tf.Graph().as_default() as graph, tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, [tf.saved_model.SERVING], str(export))
        sig = meta.signature_def[tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY]
        assert tf.saved_model.is_valid_signature(sig)
        got = sess.run(sig.outputs["probs"].name,
                       {sig.inputs["x"].name: np.array(expected["input"], np.float32)})
        assert sess.run(graph.get_tensor_by_name("counter:0")) == expected["counter"]
        asset_file = export / expected["asset_tensors"]["vocab_path:0"]
        assert asset_file.read_bytes() == b"alpha\nbeta\ngamma\n"
    np.testing.assert_allclose(got, np.array(expected["probs"]), rtol=1e-5, atol=1e-7)


def test_tensorflow_loaded_staticgraphs_saved_models():
    """Recorded by tools/make_saved_model_fixtures.py with TensorFlow 2.21: TF's
    loader.load on SavedModels staticgraph wrote (binary and text), main op and asset."""
    seen = json.loads((FIXTURES / "staticgraph_in_tf.json").read_text())
    for kind, model_file in (("binary", "saved_model.pb"), ("text", "saved_model.pbtxt")):
        report = seen[kind]
        assert report["files"] == ["assets", model_file, "variables"]
        assert report["tags"] == ["serve"] and report["signature_keys"] == ["serving_default"]
        assert report["counter_after_main_op"] == 7 and report["asset_tensors"] is True
        assert report["max_abs_diff"] < 1e-6


def test_signature_helpers_follow_tf():
    with tf.Graph().as_default():
        examples = tf.placeholder(tf.string, [None], name="examples")
        scores = tf.placeholder(tf.float32, [None, 3], name="scores")
        classes = tf.placeholder(tf.string, [None, 3], name="classes")
        doubles = tf.placeholder(tf.float64, [None], name="doubles")
        regress = tf.saved_model.regression_signature_def(examples, scores)
        assert regress.method_name == "tensorflow/serving/regress"
        assert set(regress.inputs) == {"inputs"} and set(regress.outputs) == {"outputs"}
        classify = tf.saved_model.classification_signature_def(examples, classes, scores)
        assert set(classify.outputs) == {"classes", "scores"}
        assert tf.saved_model.is_valid_signature(regress)
        assert tf.saved_model.is_valid_signature(classify)
        assert not tf.saved_model.is_valid_signature(None)
        assert not tf.saved_model.is_valid_signature(
            tf.saved_model.build_signature_def({}, {}, "tensorflow/serving/predict"))
        with pytest.raises(ValueError, match="doubles:0 has dtype float64"):
            tf.saved_model.regression_signature_def(examples, doubles)
        with pytest.raises(ValueError, match="cannot both be None"):
            tf.saved_model.classification_signature_def(examples, None, None)
        with pytest.raises(ValueError, match="inputs` cannot be None or empty"):
            tf.saved_model.predict_signature_def({}, {"s": scores})
        info = tf.saved_model.build_tensor_info(scores)
        assert info.name == "scores:0" and info.dtype == 1
        assert [d.size for d in info.tensor_shape.dim] == [-1, 3]
        assert tf.saved_model.get_tensor_from_tensor_info(info) is scores
        sparse = tf.SparseTensor(tf.constant([[0, 1]], tf.int64), tf.constant([2.0]),
                                 tf.constant([2, 2], tf.int64))
        sparse_info = tf.saved_model.utils.build_tensor_info(sparse)
        assert sparse_info.WhichOneof("encoding") == "coo_sparse"
        back = tf.saved_model.utils.get_tensor_from_tensor_info(sparse_info)
        assert back.values is sparse.values and back.indices is sparse.indices
        with pytest.raises(ValueError, match="Invalid TensorInfo.encoding: None"):
            tf.saved_model.utils.get_tensor_from_tensor_info(tf.TensorInfo())


def test_main_op_initializes_everything():
    with tf.Graph().as_default():
        v = tf.Variable(3.0, name="v")
        local = tf.Variable(4.0, name="local", collections=[tf.GraphKeys.LOCAL_VARIABLES])
        op = tf.saved_model.main_op.main_op()
        with tf.Session() as sess:
            sess.run(op)
            assert sess.run([v, local]) == [3.0, 4.0]
            sess.run(tf.assign(v, 1.0))
            restore = tf.assign(v, 9.0, name="restore_v").op
            sess.run(tf.saved_model.main_op_with_restore(restore.name))
            assert sess.run(v) == 9.0


def test_constants_match_tf():
    sm = tf.saved_model
    assert (sm.SERVING, sm.TRAINING, sm.GPU, sm.TPU) == ("serve", "train", "gpu", "tpu")
    assert sm.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY == "serving_default"
    assert sm.constants.MAIN_OP_KEY == "saved_model_main_op"
    assert sm.constants.SAVED_MODEL_FILENAME_PB == "saved_model.pb"
    assert sm.load is sm.loader.load and sm.Builder is sm.builder.SavedModelBuilder
    assert SavedModel.DESCRIPTOR.fields_by_name["meta_graphs"].number == 2


def test_string_constants_round_trip_through_graph_defs():
    """Asset paths are string constants: GraphDefs carry them as DT_STRING string_val."""
    from staticgraph.io.attr_values import from_tensor_proto, to_tensor_proto
    with tf.Graph().as_default() as graph:
        tf.constant([["ab", "c"], ["", "d\xe9"]], name="words")
        graph_def = graph.as_graph_def()
    value = [n for n in graph_def.node if n.name == "words"][0].attr["value"].tensor
    assert value.dtype == 7 and list(value.string_val) == [b"ab", b"c", b"", "d\xe9".encode()]
    with tf.Graph().as_default(), tf.Session() as sess:
        tf.import_graph_def(graph_def, name="")
        assert sess.run("words:0").tolist() == [[b"ab", b"c"], [b"", "d\xe9".encode()]]
    proto = to_tensor_proto(np.array([b"x"], dtype=object))
    proto.tensor_shape.dim[0].size = 3  # fewer values than elements: the last repeats
    assert from_tensor_proto(proto, "n").tolist() == [b"x", b"x", b"x"]
    proto.string_val.extend([b"y", b"z", b"w"])
    with pytest.raises(ValueError, match="n: 4 strings for shape \\[3\\]"):
        from_tensor_proto(proto, "n")

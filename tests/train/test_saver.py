"""tf.train.Saver: V2 checkpoints, the state file, max_to_keep, atomic writes, errors."""
import os

import numpy as np
import pytest

import staticgraph as tf


def _model():
    w = tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3), name="layer/w")
    step = tf.train.get_or_create_global_step()
    return w, step


def test_save_and_restore_round_trip(tmp_path):
    w, step = _model()
    saver = tf.train.Saver()
    prefix = str(tmp_path / "model.ckpt")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([tf.assign(w, w * 10.0), tf.assign(step, 42)])
        path = saver.save(sess, prefix, global_step=step)
    assert path == prefix + "-42"
    reader = tf.train.NewCheckpointReader(path)
    assert reader.get_variable_to_shape_map() == {"global_step": [], "layer/w": [2, 3]}
    assert reader.get_variable_to_dtype_map()["global_step"] == tf.int64
    with tf.Session() as sess:
        saver.restore(sess, path)
        np.testing.assert_array_equal(sess.run(w), np.arange(6).reshape(2, 3) * 10.0)
        assert sess.run(step) == 42


def test_index_names_the_latest_and_max_to_keep_deletes_old(tmp_path):
    w, _ = _model()
    saver = tf.train.Saver(max_to_keep=2)
    prefix = str(tmp_path / "ckpt")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        paths = [saver.save(sess, prefix, global_step=i) for i in range(4)]
    assert tf.train.latest_checkpoint(str(tmp_path)) == paths[-1]
    with open(tmp_path / "checkpoint") as f:
        state = f.read()
    assert state == (f'model_checkpoint_path: "{paths[3]}"\n'
                     f'all_model_checkpoint_paths: "{paths[2]}"\n'
                     f'all_model_checkpoint_paths: "{paths[3]}"\n')
    assert sorted(os.listdir(tmp_path)) == [
        "checkpoint", "ckpt-2.data-00000-of-00001", "ckpt-2.index", "ckpt-2.meta",
        "ckpt-3.data-00000-of-00001", "ckpt-3.index", "ckpt-3.meta"]
    assert saver.last_checkpoints == paths[2:]
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.all_model_checkpoint_paths == paths[2:]


def test_var_list_dict_and_list(tmp_path):
    w, step = _model()
    other = tf.Variable(np.zeros(2, np.float32), name="other")
    path = str(tmp_path / "sub")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tf.train.Saver({"renamed": w}).save(sess, path)
        tf.train.Saver([other]).save(sess, path + "2")
    assert tf.train.list_variables(path) == [("renamed", [2, 3])]
    assert tf.train.list_variables(path + "2") == [("other", [2])]
    with pytest.raises(TypeError, match="tf.Variables"):
        tf.train.Saver([step.value()])
    with pytest.raises(ValueError, match="same name"):
        tf.train.Saver([w, w])


def _files(folder):
    return {name: (folder / name).read_bytes() for name in sorted(os.listdir(folder))}


def _fail_once(monkeypatch, target, attr):
    """Makes ``target.attr`` raise ``OSError("disk full")``."""
    def fail(*args, **kwargs):
        raise OSError("disk full")
    monkeypatch.setattr(target, attr, fail)


@pytest.mark.parametrize("where", ["data", "index", "rename", "state"])
def test_a_save_failing_midway_keeps_the_previous_checkpoint(monkeypatch, tmp_path, where):
    from staticgraph.io import checkpoint_state, tensor_bundle
    w, _ = _model()
    saver = tf.train.Saver()
    prefix = str(tmp_path / "model")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, prefix, global_step=1)
        sess.run(tf.assign(w, w + 1.0))
        # the files of step 2 already exist from an earlier run: they must survive too
        saver.save(sess, prefix, global_step=2)
        before = _files(tmp_path)
        sess.run(tf.assign(w, w + 1.0))
        if where == "data":  # the data file's bytes are written, then the disk fails
            _fail_once(monkeypatch, os, "fsync")
        elif where == "index":
            _fail_once(monkeypatch, tensor_bundle, "build_table")
        elif where == "rename":
            _fail_once(monkeypatch, os, "replace")
        else:
            _fail_once(monkeypatch, checkpoint_state.text_format, "MessageToString")
        with pytest.raises(OSError, match="disk full"):
            saver.save(sess, prefix, global_step=2 if where != "state" else 3)
        monkeypatch.undo()
    after = _files(tmp_path)
    if where == "state":  # step 3 is complete but not named by the state file
        assert {k: v for k, v in after.items() if not k.startswith("model-3")} == before
    else:
        assert after == before
    with tf.Session() as sess:
        saver.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
        np.testing.assert_array_equal(sess.run(w), np.arange(6).reshape(2, 3) + 1.0)


def _save_elsewhere(path, **arrays):
    """Saves variables holding ``arrays`` (by name) from another graph and session."""
    with tf.Graph().as_default():
        for name, value in arrays.items():
            tf.Variable(value, name=name)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.Saver().save(sess, path)


def test_restore_errors_name_the_variable(tmp_path):
    path = str(tmp_path / "small")
    _save_elsewhere(path, v=np.zeros(3, np.float32))
    v = tf.Variable(np.zeros(4, np.float32), name="v")
    extra = tf.Variable(np.zeros(1, np.float32), name="extra")
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"variable v.*\[4\].*\[3\]"):
        tf.train.Saver([v]).restore(sess, path)
    with pytest.raises(tf.errors.NotFoundError, match="extra"):
        tf.train.Saver([extra]).restore(sess, path)
    w64 = tf.Variable(np.zeros(3, np.float64), name="w64")
    with pytest.raises(tf.errors.InvalidArgumentError, match="w64.*dtype"):
        tf.train.Saver({"v": w64}).restore(sess, path)
    with pytest.raises(ValueError, match="not a valid checkpoint"):
        tf.train.Saver([v]).restore(sess, path + "-missing")
    np.testing.assert_array_equal(sess.run(v), np.zeros(4))


def test_failed_restore_changes_no_variable(tmp_path):
    path = str(tmp_path / "partial")
    _save_elsewhere(path, a=np.ones(2, np.float32))
    a = tf.Variable(np.zeros(2, np.float32), name="a")
    b = tf.Variable(np.zeros(2, np.float32), name="b")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.NotFoundError, match="Key b not found"):
            tf.train.Saver().restore(sess, path)
        np.testing.assert_array_equal(sess.run(a), [0.0, 0.0])


def test_save_creates_a_missing_folder_but_not_its_parents(tmp_path):
    """As TF 2.21's compat.v1 Saver: ``<dir>/new/model`` is saved (``new`` created),
    ``<dir>/missing/deeper/model`` is refused; latest_checkpoint of an empty dir is None."""
    _model()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(ValueError, match="doesn't exist"):
            saver.save(sess, str(tmp_path / "missing" / "deeper" / "model"))
        assert not (tmp_path / "missing").exists()
        assert tf.train.latest_checkpoint(str(tmp_path)) is None
        saved = saver.save(sess, str(tmp_path / "new" / "model"))
    assert saved == str(tmp_path / "new" / "model")
    assert tf.train.latest_checkpoint(str(tmp_path / "new")) == saved


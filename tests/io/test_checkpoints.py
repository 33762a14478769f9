"""V2 checkpoints: the reader API, checksums, bad files, legacy .npz, crash leftovers."""
import os
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.io.protos import BundleHeaderProto, VersionDef
from staticgraph.io.table import build_table, read_table
from staticgraph.io.tensor_bundle import BundleReader, data_path, index_path, write_bundle

VALUES = {"dense/kernel": np.arange(6, dtype=np.float32).reshape(2, 3),
          "dense/bias": np.array([1, -2, 3], np.int64),
          "flag": np.array(True), "c": np.array([1 + 2j], np.complex128),
          "h": np.array([0.5, -1], np.float16), "empty": np.zeros((0, 4), np.float64)}


@pytest.fixture
def ckpt(tmp_path):
    prefix = str(tmp_path / "model.ckpt-7")
    write_bundle(prefix, VALUES)
    return prefix


def test_every_dtype_round_trips_with_its_shape(ckpt):
    reader = tf.train.NewCheckpointReader(ckpt)
    assert reader.get_variable_to_shape_map() == {n: list(v.shape) for n, v in VALUES.items()}
    for name, value in VALUES.items():
        got = reader.get_tensor(name)
        assert got.dtype == value.dtype and got.shape == value.shape
        np.testing.assert_array_equal(got, value)
        assert reader.get_variable_to_dtype_map()[name] == tf.as_dtype(value.dtype)
    assert b"dense/kernel (float32) [2, 3]" in reader.debug_string()


def test_list_and_load_variable_by_folder_or_prefix(tmp_path):
    v = tf.Variable(np.ones((2, 2), np.float32), name="scope/v")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(sess, str(tmp_path / "m"), global_step=3)
    assert tf.train.list_variables(str(tmp_path)) == [("scope/v", [2, 2])]
    np.testing.assert_array_equal(tf.train.load_variable(path, "scope/v:0"), np.ones((2, 2)))
    assert tf.train.load_checkpoint(str(tmp_path)).has_tensor("scope/v")
    assert tf.train.checkpoint_exists(path) and not tf.train.checkpoint_exists(path + "x")
    assert tf.train.get_checkpoint_state(str(tmp_path)).model_checkpoint_path == path
    (tmp_path / "empty_dir").mkdir()
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file"):
        tf.train.load_checkpoint(str(tmp_path / "empty_dir"))
    del v


def test_a_flipped_data_byte_is_data_loss_naming_file_and_tensor(ckpt):
    data = bytearray(open(data_path(ckpt), "rb").read())
    data[16 + 2] ^= 1  # tensors lie in name order: "c" (16 bytes), then "dense/bias"
    open(data_path(ckpt), "wb").write(bytes(data))
    reader = tf.train.NewCheckpointReader(ckpt)
    damaged = [n for n in VALUES if _fails(reader, n)]
    assert damaged == ["dense/bias"]
    with pytest.raises(tf.errors.DataLossError,
                       match=r"Checksum does not match.*dense/bias.*data-00000-of-00001"):
        reader.get_tensor("dense/bias")


def _fails(reader, name):
    try:
        reader.get_tensor(name)
    except tf.errors.DataLossError:
        return True
    return False


def test_flipping_any_byte_of_either_file_never_restores_wrong_values(ckpt):
    """Each single-bit flip is an error or (footer padding) leaves the values intact."""
    for path in (index_path(ckpt), data_path(ckpt)):
        original = open(path, "rb").read()
        for pos in range(len(original)):
            bad = bytearray(original)
            bad[pos] ^= 0x04
            open(path, "wb").write(bytes(bad))
            try:
                reader = tf.train.NewCheckpointReader(ckpt)
                got = {n: reader.get_tensor(n) for n in VALUES}
            except (tf.errors.DataLossError, tf.errors.InvalidArgumentError,
                    tf.errors.NotFoundError) as err:
                assert os.path.basename(ckpt) in str(err)
                continue
            for name, value in VALUES.items():
                np.testing.assert_array_equal(got[name], value)
        open(path, "wb").write(original)


def test_truncated_data_file_names_tensor_and_sizes(ckpt):
    data = open(data_path(ckpt), "rb").read()
    open(data_path(ckpt), "wb").write(data[:-3])
    reader = tf.train.NewCheckpointReader(ckpt)
    with pytest.raises(tf.errors.DataLossError, match=r"truncated"):
        [reader.get_tensor(n) for n in VALUES]


def test_missing_files_are_not_found(ckpt, tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="nope"):
        tf.train.NewCheckpointReader(str(tmp_path / "nope"))
    os.remove(data_path(ckpt))
    with pytest.raises(tf.errors.NotFoundError, match="data-00000-of-00001"):
        tf.train.NewCheckpointReader(ckpt).get_tensor("flag")
    with pytest.raises(tf.errors.NotFoundError, match="Key absent not found"):
        tf.train.NewCheckpointReader(ckpt).get_tensor("absent")


@pytest.mark.parametrize("content", [b"", b"garbage", b"PK\x03\x04 not a zip", b"\0" * 200,
                                     b"{\"json\": 1}" * 10])
def test_non_checkpoint_index_is_data_loss_naming_it(tmp_path, content):
    prefix = str(tmp_path / "bad")
    open(index_path(prefix), "wb").write(content)
    with pytest.raises(tf.errors.DataLossError, match="bad.index") as err:
        tf.train.NewCheckpointReader(prefix)
    assert "pickle" not in str(err.value)


def _rewrite_header(prefix, header):
    entries = read_table(open(index_path(prefix), "rb").read(), "x")
    entries[0] = (b"", header.SerializeToString())
    open(index_path(prefix), "wb").write(build_table(entries))


def test_header_checks(ckpt):
    _rewrite_header(ckpt, BundleHeaderProto(num_shards=1,
                                            version=VersionDef(producer=9, min_consumer=5)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="format version 5"):
        BundleReader(ckpt)
    _rewrite_header(ckpt, BundleHeaderProto(num_shards=1, endianness=1))
    with pytest.raises(tf.errors.UnimplementedError, match="big-endian"):
        BundleReader(ckpt)
    _rewrite_header(ckpt, BundleHeaderProto(num_shards=0))
    with pytest.raises(tf.errors.DataLossError, match="0 data shards"):
        BundleReader(ckpt)


def test_entry_whose_size_does_not_fit_its_shape_is_refused(ckpt):
    from staticgraph.io.protos import BundleEntryProto
    entries = read_table(open(index_path(ckpt), "rb").read(), "x")
    for i, (key, value) in enumerate(entries):
        if key == b"dense/kernel":
            entry = BundleEntryProto.FromString(value)
            entry.size = 10 ** 12  # would read far past the file
            entries[i] = (key, entry.SerializeToString())
        if key == b"flag":
            entries[i] = (key, b"\xff\xff\xff")  # not a message
    open(index_path(ckpt), "wb").write(build_table(entries))
    with pytest.raises(tf.errors.DataLossError, match="flag"):
        BundleReader(ckpt)


# -- earlier staticgraph checkpoints (.npz) ---------------------------------------------


def test_legacy_npz_checkpoints_still_restore(tmp_path):
    prefix = str(tmp_path / "old-5")
    np.savez(prefix + ".npz", w=np.arange(3, dtype=np.float32))
    open(tmp_path / "checkpoint", "w").write(
        '{"model_checkpoint_path": "old-5", "all_model_checkpoint_paths": ["old-5"]}')
    w = tf.Variable(np.zeros(3, np.float32), name="w")
    assert tf.train.latest_checkpoint(str(tmp_path)) == prefix
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, prefix)
        np.testing.assert_array_equal(sess.run(w), [0, 1, 2])


@pytest.mark.parametrize("kind", ["pickled", "garbage", "empty", "zip_flip", "huge_header"])
def test_bad_legacy_files_are_data_loss_and_never_unpickled(tmp_path, kind):
    path = tmp_path / "old.npz"
    if kind == "pickled":
        np.savez(path, w=np.array([{"evil": 1}], dtype=object))
    elif kind == "garbage":
        path.write_bytes(b"PK\x03\x04" + b"x" * 40)
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "huge_header":  # the array header claims 8 TB
        import io
        import zipfile
        buf = io.BytesIO()
        np.lib.format.write_array_header_1_0(buf, {"descr": "<f8", "fortran_order": False,
                                                   "shape": (10 ** 12,)})
        buf.write(b"\0" * 16)
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("w.npy", buf.getvalue())
    else:
        np.savez(path, w=np.arange(1000.0))
        data = bytearray(path.read_bytes())
        data[200] ^= 0xFF
        path.write_bytes(bytes(data))
    with pytest.raises(tf.errors.DataLossError, match="old.npz") as err:
        tf.train.NewCheckpointReader(str(tmp_path / "old"))
    assert "allow_pickle" not in str(err.value)
    if kind == "huge_header":
        assert "claims 8000000000000 bytes of data but holds" in str(err.value)


def test_unreadable_state_file_is_data_loss(tmp_path):
    (tmp_path / "checkpoint").write_bytes(b"model_checkpoint_path: [not text proto")
    with pytest.raises(tf.errors.DataLossError, match="checkpoint"):
        tf.train.latest_checkpoint(str(tmp_path))
    (tmp_path / "checkpoint").write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(tf.errors.DataLossError, match="checkpoint"):
        tf.train.get_checkpoint_state(str(tmp_path))


# -- crash leftovers and permissions ------------------------------------------------------


def _dead_pid():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _saver_in(tmp_path, **kwargs):
    tf.Variable(np.ones(4, np.float32), name="v")
    return tf.train.Saver(**kwargs)


def test_save_removes_stale_temporaries_of_dead_processes_only(tmp_path):
    stale = tmp_path / f".m-1.index.{_dead_pid()}-{'a' * 32}.sgtmp"
    live = tmp_path / f".m-1.index.{os.getpid()}-{'b' * 32}.sgtmp"
    other = tmp_path / ".unrelated.tmp"
    for f in (stale, live, other):
        f.write_bytes(b"x" * 100)
    saver = _saver_in(tmp_path)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, str(tmp_path / "m"), global_step=2)
    assert not stale.exists() and live.exists() and other.exists()


KILLED_SAVE = textwrap.dedent("""
    import os, signal, sys
    import numpy as np
    import staticgraph as tf
    folder, kill_at = sys.argv[1], sys.argv[2]
    tf.Variable(np.ones(4, np.float32), name="v")
    saver = tf.train.Saver(max_to_keep=1)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    saver.save(sess, os.path.join(folder, "m"), global_step=1)
    die = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
    if kill_at == "write":
        os.fsync = die          # killed with the temporaries written, before any rename
    else:
        os.remove = die         # killed after the state file moved on, before deleting
    saver.save(sess, os.path.join(folder, "m"), global_step=2)
""")


@pytest.mark.parametrize("kill_at", ["write", "delete"])
def test_the_next_save_cleans_up_after_a_process_killed_mid_save(tmp_path, kill_at):
    proc = subprocess.run([sys.executable, "-c", KILLED_SAVE, str(tmp_path), kill_at],
                          cwd=os.getcwd(), capture_output=True)
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]
    left = sorted(os.listdir(tmp_path))
    if kill_at == "write":
        assert any(name.endswith(".sgtmp") for name in left)
        assert tf.train.latest_checkpoint(str(tmp_path)).endswith("m-1")
    else:
        assert "m-1.index" in left and tf.train.latest_checkpoint(str(tmp_path)).endswith("m-2")
    saver = _saver_in(tmp_path, max_to_keep=1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
        saver.save(sess, str(tmp_path / "m"), global_step=3)
    # a new Saver keeps what it did not write itself (as TensorFlow's does): m-1 after the
    # killed write, m-2 after the killed deletion (whose victim m-1 is now gone)
    kept = "m-1" if kill_at == "write" else "m-2"
    assert sorted(os.listdir(tmp_path)) == [
        "checkpoint", f"{kept}.data-00000-of-00001", f"{kept}.index", f"{kept}.meta",
        "m-3.data-00000-of-00001", "m-3.index", "m-3.meta"]


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_files_get_the_permissions_open_would_give(tmp_path, umask):
    saver = _saver_in(tmp_path)
    old = os.umask(umask)
    try:
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            prefix = saver.save(sess, str(tmp_path / "m"))
    finally:
        os.umask(old)
    for name in os.listdir(tmp_path):
        assert os.stat(tmp_path / name).st_mode & 0o777 == 0o666 & ~umask, name
    assert prefix == str(tmp_path / "m")


def test_init_from_checkpoint_scopes_names_and_variables(tmp_path):
    with tf.Graph().as_default():
        tf.Variable(np.full(2, 3.0, np.float32), name="old/a")
        tf.Variable(np.full(3, 4.0, np.float32), name="old/b")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.Saver().save(sess, str(tmp_path / "src"))
    a = tf.Variable(np.zeros(2, np.float32), name="new/a")
    b = tf.Variable(np.zeros(3, np.float32), name="new/b")
    c = tf.Variable(np.zeros(3, np.float32), name="c")
    d = tf.Variable(np.zeros(2, np.float32), name="d")
    tf.train.init_from_checkpoint(str(tmp_path / "src"),
                                  {"old/": "new/", "old/b": "c", "old/a": d})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for var, value in ((a, 3.0), (b, 4.0), (c, 4.0), (d, 3.0)):
            np.testing.assert_array_equal(sess.run(var), np.full(var.shape.as_list(), value))
    with pytest.raises(ValueError, match="Shape of variable d"):
        tf.train.init_from_checkpoint(str(tmp_path / "src"), {"old/b": d})
    with pytest.raises(ValueError, match="Tensor old/zz is not found"):
        tf.train.init_from_checkpoint(str(tmp_path / "src"), {"old/zz": d})

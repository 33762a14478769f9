"""tf.gfile and tf.io.gfile on the local file system, with TF's error classes."""
import os

import pytest

import staticgraph as tf


def test_make_list_walk_and_glob(tmp_path):
    root = str(tmp_path / "a")
    tf.gfile.MakeDirs(os.path.join(root, "b", "c"))
    tf.gfile.MakeDirs(os.path.join(root, "b"))  # existing: fine
    with tf.gfile.GFile(os.path.join(root, "x.txt"), "w") as f:
        f.write("one\ntwo\n")
    with tf.io.gfile.GFile(os.path.join(root, "b", "y.bin"), "wb") as f:
        f.write(b"\x00\x01")
    assert tf.gfile.Exists(root) and tf.gfile.IsDirectory(root)
    assert not tf.gfile.IsDirectory(os.path.join(root, "x.txt"))
    assert tf.gfile.ListDirectory(root) == ["b", "x.txt"]
    assert tf.gfile.Glob(os.path.join(root, "*.txt")) == [os.path.join(root, "x.txt")]
    assert list(tf.gfile.Walk(root)) == [
        (root, ["b"], ["x.txt"]), (os.path.join(root, "b"), ["c"], ["y.bin"]),
        (os.path.join(root, "b", "c"), [], [])]
    assert [d for d, _, _ in tf.gfile.Walk(root, in_order=False)][-1] == root
    assert tf.gfile.Stat(os.path.join(root, "b", "y.bin")).length == 2
    with tf.gfile.Open(os.path.join(root, "x.txt")) as f:
        assert list(f) == ["one\n", "two\n"]
    with tf.gfile.GFile(os.path.join(root, "b", "y.bin"), "rb") as f:
        assert f.read() == b"\x00\x01"


def test_copy_rename_remove_and_their_errors(tmp_path):
    src, dst = str(tmp_path / "s"), str(tmp_path / "d")
    with tf.gfile.GFile(src, "w") as f:
        f.write("data")
    tf.gfile.Copy(src, dst)
    with pytest.raises(tf.errors.AlreadyExistsError, match=dst):
        tf.gfile.Copy(src, dst)
    tf.gfile.Copy(src, dst, overwrite=True)
    moved = str(tmp_path / "m")
    tf.gfile.Rename(dst, moved)
    assert not tf.gfile.Exists(dst) and tf.gfile.GFile(moved).read() == "data"
    tf.gfile.Remove(moved)
    with pytest.raises(tf.errors.NotFoundError, match=moved):
        tf.gfile.Remove(moved)
    with pytest.raises(tf.errors.NotFoundError, match="nowhere"):
        tf.gfile.GFile(str(tmp_path / "nowhere")).read()
    with pytest.raises(tf.errors.NotFoundError):
        tf.gfile.ListDirectory(str(tmp_path / "nowhere"))
    tf.gfile.MkDir(str(tmp_path / "k"))
    with pytest.raises(tf.errors.AlreadyExistsError):
        tf.gfile.MkDir(str(tmp_path / "k"))


def test_delete_recursively(tmp_path):
    root = str(tmp_path / "tree")
    tf.io.gfile.makedirs(os.path.join(root, "x", "y"))
    tf.gfile.DeleteRecursively(root)
    assert not tf.io.gfile.exists(root)
    with pytest.raises(tf.errors.NotFoundError):
        tf.gfile.DeleteRecursively(root)

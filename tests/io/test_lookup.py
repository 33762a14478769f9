"""tf.lookup.StaticHashTable with tensor and text-file initializers, and
tf.tables_initializer (values checked against TF 2.21's compat.v1 on the same inputs)."""
import numpy as np
import pytest

import staticgraph as tf


def _vocab(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_bytes(b"x\ty1\nz\ty2\r\n")
    return str(path)


def test_tensor_and_text_file_tables(tmp_path):
    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(
        ["a", "b"], tf.constant([1, 2], tf.int64)), -1)
    by_line = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        _vocab(tmp_path), tf.string, 0, tf.int64, tf.lookup.TextFileIndex.LINE_NUMBER), -1)
    by_column = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        _vocab(tmp_path), tf.string, tf.lookup.TextFileIndex.WHOLE_LINE, tf.string, 1),
        "none")
    found = table.lookup(tf.constant([["a", "c"], ["b", "a"]]))
    assert found.shape.as_list() == [2, 2] and found.dtype == tf.int64
    assert len(tf.get_collection(tf.lookup.TABLE_INITIALIZERS)) == 3
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="not initialized"):
            sess.run(found)
        sess.run(tf.tables_initializer())
        got = sess.run([found, table.size(), by_line.lookup(["z", "x", "q"]),
                        by_column.lookup(["x\ty1", "q"])])
        sess.run(tf.initialize_all_tables())  # the same data again: allowed, as in TF
    np.testing.assert_array_equal(got[0], [[1, -1], [2, 1]])
    assert got[1] == 2
    np.testing.assert_array_equal(got[2], [1, 0, -1])
    assert list(got[3]) == [b"y1", b"none"]


def test_table_errors(tmp_path):
    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(
        tf.constant([1, 1], tf.int64), [2.0, 3.0]), 0.0)
    with pytest.raises(TypeError, match="keys must be int64"):
        table.lookup(tf.constant(["a"]))
    with pytest.raises(ValueError, match="do not match"):
        tf.lookup.KeyValueTensorInitializer([1, 2], [1.0])
    with pytest.raises(ValueError, match="LINE_NUMBER needs an integer"):
        tf.lookup.TextFileInitializer("v", tf.string, 0, tf.string, -1)
    numbers = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        _vocab(tmp_path), tf.string, 0, tf.int64, 1), -1)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="two different values"):
            sess.run(table.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError, match="not a valid int64"):
            sess.run(numbers.initializer)


def test_tables_initializer_without_tables_is_a_no_op():
    init = tf.tables_initializer()
    assert init.name == "init_all_tables" and init.type == tf.no_op().type

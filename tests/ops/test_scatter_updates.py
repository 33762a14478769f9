"""tf.scatter_update / scatter_add / scatter_sub on variables."""
import numpy as np
import pytest

import staticgraph as tf


def _table():
    return tf.Variable(np.arange(8.0).reshape(4, 2), name="table")


def test_scatter_ops_update_rows_and_output_the_new_value():
    table = _table()
    start = np.arange(8.0).reshape(4, 2)
    with tf.Session() as sess:
        sess.run(table.initializer)
        added = sess.run(tf.scatter_add(table, [0, 0, 3], np.ones((3, 2))))
        expected = start.copy()
        np.add.at(expected, [0, 0, 3], 1.0)  # repeated indices add up
        np.testing.assert_array_equal(added, expected)
        expected[[1, 2]] -= [[1.0, 2.0], [3.0, 4.0]]
        np.testing.assert_array_equal(
            sess.run(tf.scatter_sub(table, [1, 2], [[1.0, 2.0], [3.0, 4.0]])), expected)
        expected[2] = [9.0, 9.0]
        np.testing.assert_array_equal(sess.run(tf.scatter_update(table, 2, [9.0, 9.0])),
                                      expected)
        expected[[0, 1]] = 7.0  # a scalar update fills the rows
        np.testing.assert_array_equal(sess.run(tf.scatter_update(table, [0, 1], 7.0)),
                                      expected)
        np.testing.assert_array_equal(sess.run(table), expected)


def test_a_scatter_never_writes_into_an_array_already_fetched():
    table = _table()
    with tf.Session() as sess:
        sess.run(table.initializer)
        before = sess.run(table.value())
        after = sess.run(tf.scatter_update(table, [0], [[5.0, 5.0]]))
    np.testing.assert_array_equal(before, np.arange(8.0).reshape(4, 2))
    assert after[0].tolist() == [5.0, 5.0]


def test_an_index_out_of_range_names_the_op_and_changes_nothing():
    table = _table()
    step = tf.group(tf.scatter_add(table, [1], [[1.0, 1.0]]),
                    tf.scatter_sub(table, [4], [[1.0, 1.0]], name="too_far"))
    with tf.Session() as sess:
        sess.run(table.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"too_far.*indices\[0\] = 4 is not in \[0, 4\)"):
            sess.run(step)
        np.testing.assert_array_equal(sess.run(table), np.arange(8.0).reshape(4, 2))


@pytest.mark.parametrize("indices", [[2, 0, 2, 3, 2], [2, 0, 2, 3, 1], [3, 1]])
def test_a_run_failing_after_a_scatter_puts_its_rows_back(indices):
    """Mostly, partly or not repeated indices alike (each has its own path)."""
    table = _table()
    updates = np.arange(2.0 * len(indices)).reshape(-1, 2)
    failing = tf.gather(tf.scatter_sub(table, indices, updates), [7], name="after")
    with tf.Session() as sess:
        sess.run(table.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError, match="after"):
            sess.run(failing)
        np.testing.assert_array_equal(sess.run(table), np.arange(8.0).reshape(4, 2))
        expected = np.arange(8.0).reshape(4, 2)
        np.subtract.at(expected, indices, updates)
        np.testing.assert_array_equal(sess.run(tf.scatter_sub(table, indices, updates)),
                                      expected)


def test_bad_scatter_arguments_are_refused_when_built():
    table = _table()
    with pytest.raises(ValueError, match=r"updates of shape \(2, 3\)"):
        tf.scatter_update(table, [0, 1], np.ones((2, 3)))
    with pytest.raises(TypeError, match="indices must be int"):
        tf.scatter_add(table, [0.5], np.ones((1, 2)))
    with pytest.raises(ValueError, match="scalar variable"):
        tf.scatter_add(tf.Variable(1.0), [0], [1.0])

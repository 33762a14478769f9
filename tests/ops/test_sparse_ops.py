"""scatter_update/add/sub/mul/div changing rows in place: values, repeated indices,
errors, rollback of a failed run (the rows are put back), and the memory of a sparse
SGD step."""
import tracemalloc

import numpy as np
import pytest

import staticgraph as tf

_INIT = np.arange(1.0, 13.0).reshape(4, 3)


def _scattered(fn, indices, updates):
    var = tf.Variable(_INIT, name="v")
    out = fn(var, indices, updates)
    with tf.Session() as sess:
        sess.run(var.initializer)
        result = sess.run(out)
        np.testing.assert_array_equal(sess.run(var), result)
        return result


@pytest.mark.parametrize("fn, combine", [
    (tf.scatter_add, np.add.at), (tf.scatter_sub, np.subtract.at),
    (tf.scatter_mul, np.multiply.at), (tf.scatter_div, np.divide.at)])
def test_scatter_ops_accumulate_repeated_indices(fn, combine):
    updates = np.array([[1.0, 2, 3], [4, 5, 6], [0.5, 0.25, 2]])
    expected = _INIT.copy()
    combine(expected, [2, 0, 2], updates)
    np.testing.assert_allclose(_scattered(fn, [2, 0, 2], updates), expected)


def test_scatter_update_sets_rows_and_accepts_nested_indices():
    updates = np.full((2, 1, 3), 7.0)
    expected = _INIT.copy()
    expected[[3, 1]] = 7.0
    np.testing.assert_array_equal(_scattered(tf.scatter_update, [[3], [1]], updates), expected)


def test_scatter_errors_name_the_variable_and_shapes():
    var = tf.Variable(_INIT, name="table")
    with pytest.raises(ValueError, match="updates of shape \\(2, 2\\).*variable table"):
        tf.scatter_add(var, [0, 1], np.ones((2, 2)))
    with pytest.raises(ValueError, match="requested dtype float64"):
        tf.scatter_add(var, [0], tf.constant(np.ones((1, 3), np.float32)))
    with pytest.raises(TypeError, match="assign needs a Variable"):
        tf.scatter_add(tf.constant(_INIT), [0], np.ones((1, 3)))
    bad = tf.scatter_add(var, [4], np.ones((1, 3)))
    with tf.Session() as sess:
        sess.run(var.initializer)
        with pytest.raises(Exception, match="= 4 is not in \\[0, 4\\).*variable table"):
            sess.run(bad)
        np.testing.assert_array_equal(sess.run(var), _INIT)


def test_a_failed_run_puts_rows_changed_in_place_back():
    var = tf.Variable(_INIT, name="v")
    ids = tf.placeholder(tf.int32, [None])
    added = tf.scatter_add(var, [1, 1], np.ones((2, 3)))
    with tf.control_dependencies([added]):
        again = tf.scatter_sub(var, [1, 3], np.full((2, 3), 0.5))
    # gathering at a bad index fails after both scatters have run
    fails = tf.gather(again, ids)
    with tf.Session() as sess:
        sess.run(var.initializer)
        first = sess.run(again)  # the first update copies the variable's array
        for _ in range(2):  # later ones write into it in place
            with pytest.raises(Exception, match="index 9"):
                sess.run(fails, {ids: [9]})
            np.testing.assert_array_equal(sess.run(var), first)
        expected = _INIT.copy()
        expected[1] += 2.0 - 0.5
        expected[3] -= 0.5
        np.testing.assert_array_equal(first, expected)


def test_fetched_values_do_not_change_with_later_updates():
    var = tf.Variable(_INIT, name="v")
    update = tf.scatter_add(var, [0], np.ones((1, 3)))
    with tf.Session() as sess:
        sess.run(var.initializer)
        before = [sess.run(update), sess.run(var)]
        kept = [a.copy() for a in before]
        sess.run(update)
        for a, b in zip(before, kept):
            np.testing.assert_array_equal(a, b)


def test_a_sparse_sgd_step_allocates_memory_of_the_batch_not_of_the_table():
    rows, width, batch = 100_000, 32, 256
    table = tf.Variable(tf.ones([rows, width]), name="table")
    ids = tf.placeholder(tf.int32, [batch])
    weights = tf.Variable(np.random.RandomState(1).randn(width, 4).astype(np.float32),
                          name="w")
    logits = tf.matmul(tf.gather(table, ids), weights)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.zeros([batch], tf.int32), logits=logits))
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    feed = {ids: np.random.RandomState(0).randint(0, rows, batch)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step, feed)  # warm-up: compiles the plan, copies the table once
        tracemalloc.start()
        try:
            sess.run(step, feed)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert not np.all(sess.run(table) == 1)
    table_bytes = rows * width * 4
    assert peak < table_bytes / 20, (peak, table_bytes)

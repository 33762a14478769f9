"""tf.IndexedSlices: the gradient of gather along axis 0, its aggregation, densification
(with TF1's warnings) and clipping."""
import warnings

import numpy as np
import pytest

import staticgraph as tf


def _run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


def _table():
    return tf.Variable(np.arange(12.0).reshape(4, 3), name="E")


def test_gradient_of_gather_is_indexed_slices_of_the_rows():
    table = _table()
    ids = tf.placeholder(tf.int32, [None])
    grad = tf.gradients(tf.reduce_sum(tf.gather(table, ids) ** 2), table)[0]
    assert isinstance(grad, tf.IndexedSlices)
    assert grad.dtype == tf.float64 and grad.shape.as_list() == [4, 3]
    values, indices, shape = _run([grad.values, grad.indices, grad.dense_shape],
                                  {ids: [2, 0, 2]})
    rows = np.arange(12.0).reshape(4, 3)
    np.testing.assert_array_equal(values, 2 * rows[[2, 0, 2]])
    np.testing.assert_array_equal(indices, [2, 0, 2])
    np.testing.assert_array_equal(shape, [4, 3])


def test_densified_gradient_matches_finite_differences():
    x = tf.placeholder(tf.float64, [5, 2])
    y = tf.reduce_sum(tf.sin(tf.gather(x, [[3, 1], [3, 0]])))
    x0 = np.random.RandomState(0).randn(5, 2)
    with tf.Session():
        theoretical, numerical = tf.test.compute_gradient(x, [5, 2], y, [], x_init_value=x0)
    np.testing.assert_allclose(theoretical, numerical, atol=1e-6)
    dense = tf.convert_to_tensor(tf.gradients(y, x)[0])
    np.testing.assert_allclose(_run(dense, {x: x0}).reshape(-1), theoretical[:, 0], atol=1e-12)


def test_gather_on_another_axis_gives_a_dense_gradient():
    x = tf.placeholder(tf.float64, [2, 3])
    grad = tf.gradients(tf.gather(x, [2, 2], axis=1), x)[0]
    assert isinstance(grad, tf.Tensor)
    np.testing.assert_array_equal(_run(grad, {x: np.zeros((2, 3))}), [[0, 0, 2], [0, 0, 2]])


def test_sparse_contributions_concatenate_and_mixed_ones_densify():
    table = _table()
    both = tf.reduce_sum(tf.gather(table, [1, 3])) + tf.reduce_sum(tf.gather(table, [1]))
    sparse = tf.gradients(both, table)[0]
    assert isinstance(sparse, tf.IndexedSlices)
    assert sparse.values.op.type == "ConcatV2" and sparse.indices.op.type == "ConcatV2"
    mixed = tf.gradients(both + tf.reduce_sum(table * table), table)[0]
    assert isinstance(mixed, tf.Tensor)
    dense_sparse, dense_mixed = _run([tf.convert_to_tensor(sparse), mixed])
    counts = np.array([0, 2, 0, 1.0])[:, None]
    np.testing.assert_array_equal(dense_sparse, np.broadcast_to(counts, (4, 3)))
    np.testing.assert_array_equal(dense_mixed, counts + 2 * np.arange(12.0).reshape(4, 3))


def test_densifying_warns_as_tf1_for_large_or_unknown_shapes():
    values = tf.placeholder(tf.float32, [None, 10_000])
    ids = tf.placeholder(tf.int32, [None])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tf.convert_to_tensor(tf.IndexedSlices(values, ids, [9_999, 10_000]))
    with pytest.warns(UserWarning, match="Converting sparse IndexedSlices to a dense Tensor "
                      "with 100000000 elements. This may consume a large amount of memory."):
        tf.convert_to_tensor(tf.IndexedSlices(values, ids, [10_000, 10_000]))
    with pytest.warns(UserWarning, match="of unknown shape"):
        tf.convert_to_tensor(tf.IndexedSlices(values, ids, tf.placeholder(tf.int32, [2])))
    with pytest.raises(ValueError, match="without dense_shape"):
        tf.convert_to_tensor(tf.IndexedSlices(values, ids))
    with pytest.raises(ValueError, match="requested dtype float64"):
        tf.convert_to_tensor(tf.IndexedSlices(values, ids, [3, 10_000]), dtype=tf.float64)
    with pytest.raises(TypeError, match="indices must be integers"):
        tf.IndexedSlices(values, values, [3, 10_000])


def test_clipping_keeps_indexed_slices_and_uses_their_values():
    values = np.array([[3.0, 4.0], [0.0, 12.0]])
    slices = tf.IndexedSlices(tf.constant(values), tf.constant([1, 1]), tf.constant([3, 2]))
    dense = tf.constant(np.array([[5.0, 0.0]]))
    (clipped, other), norm = tf.clip_by_global_norm([slices, dense], 6.5)
    by_norm = tf.clip_by_norm(slices, 6.5)
    assert isinstance(clipped, tf.IndexedSlices) and isinstance(by_norm, tf.IndexedSlices)
    assert isinstance(other, tf.Tensor)
    got_norm, got_values, got_other, got_by_norm, got_global = _run(
        [norm, clipped.values, other, by_norm.values, tf.global_norm([slices, dense])])
    total = np.sqrt(25 + 144 + 25)  # the norm of the values, duplicates not summed
    assert got_norm == pytest.approx(total) and got_global == pytest.approx(total)
    np.testing.assert_allclose(got_values, values * 6.5 / total)
    np.testing.assert_allclose(got_other, [[5.0 * 6.5 / total, 0.0]])
    np.testing.assert_allclose(got_by_norm, values * 6.5 / 13.0)


def test_optimizer_receives_indexed_slices_and_builds_sparse_updates():
    table = _table()
    loss = tf.reduce_sum(tf.gather(table, [0, 0, 2]))
    opt = tf.train.GradientDescentOptimizer(0.5)
    (grad, var), = opt.compute_gradients(loss, [table])
    assert isinstance(grad, tf.IndexedSlices) and var is table
    step = opt.apply_gradients([(grad, var)])
    types = {op.type for op in tf.get_default_graph().get_operations()}
    assert "ScatterSub" in types and "ApplyGradientDescent" not in types
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        expected = np.arange(12.0).reshape(4, 3)
        expected[0] -= 1.0
        expected[2] -= 0.5
        np.testing.assert_array_equal(sess.run(table), expected)


def test_dense_contributions_of_one_dtype_are_one_addn_and_mixed_dtypes_are_refused():
    from staticgraph.ops.indexed_slices import aggregate
    x = tf.placeholder(tf.float64, [2], name="x")
    a, b, c = tf.sin(x), tf.cos(x), tf.exp(x)
    total = aggregate([a, b, c])
    assert total.op.type == "AddN" and total.op.name == "AddN"
    assert list(total.op.inputs) == [a, b, c]
    assert aggregate([a, b]).op.name == "AddN_1"  # named as tf.add_n names it
    np.testing.assert_allclose(_run(total, {x: [0.0, 1.0]}),
                               np.sin([0.0, 1.0]) + np.cos([0.0, 1.0]) + np.exp([0.0, 1.0]))
    with pytest.raises(TypeError, match="AddN.*float32"):
        aggregate([a, tf.cast(b, tf.float32)])

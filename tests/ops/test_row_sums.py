"""ops.row_sums.add_rows_at against np.add.at / np.subtract.at, and the ops using it."""
from __future__ import annotations

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.ops.row_sums import add_rows_at


@pytest.mark.parametrize("shape, count, repeats", [
    ((1000, 8), 300, True), ((50,), 200, True), ((20, 3, 2), 10, False),
    ((40, 6), 40, False), ((5, 4), 0, True), ((30, 4), 200, True), ((1, 3), 7, True)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("subtract", [False, True])
@pytest.mark.parametrize("given_current", [False, True])
def test_equals_ufunc_at(shape: tuple, count: int, repeats: bool, dtype: type,
                         subtract: bool, given_current: bool) -> None:
    rng = np.random.default_rng(count)
    out = (rng.random(shape) * 10).astype(dtype)
    indices = (rng.integers(0, shape[0], count) if repeats else
               rng.choice(shape[0], count, replace=False))
    rows = (rng.random((count, *shape[1:])) * 10).astype(dtype)
    want = out.copy()
    (np.subtract.at if subtract else np.add.at)(want, indices, rows)
    current = out[indices] if given_current else None  # the caller's copy of the rows
    kept = None if current is None else current.copy()
    add_rows_at(out, indices, rows, subtract=subtract, current=current)
    np.testing.assert_allclose(out, want, rtol=1e-6)
    if current is not None:
        np.testing.assert_array_equal(current, kept)  # only read


@pytest.mark.parametrize("indices", [[5, 1, 5, 6], [5, 5, 5, 1], [7, 1, 0, 6]])
@pytest.mark.parametrize("subtract", [False, True])
def test_rows_viewing_the_output(indices: list, subtract: bool) -> None:
    """The rows may be a view of ``out`` (scatter_add(v, i, v[:4])): they are read as
    they were before the update, whether few, most or no indices repeat."""
    out = np.arange(24.0).reshape(8, 3)
    want = out.copy()
    (np.subtract.at if subtract else np.add.at)(want, indices, want[:4].copy())
    add_rows_at(out, np.array(indices), out[:4], subtract=subtract)
    np.testing.assert_array_equal(out, want)


def test_broadcast_rows_and_multi_dimensional_indices() -> None:
    out = np.zeros((4, 3))
    add_rows_at(out, np.array([[0, 2], [2, 3]]), np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(out, [[1, 2, 3], [0, 0, 0], [2, 4, 6], [1, 2, 3]])


def test_scatter_ops_and_segment_sums_sum_repeated_indices() -> None:
    with tf.Graph().as_default():
        var = tf.Variable(np.ones((4, 2)))
        data = np.arange(10.0).reshape(5, 2)
        indices = [3, 0, 3, 1, 3]
        added = tf.scatter_add(var, indices, data)
        subtracted = tf.scatter_sub(var, indices, data)
        segments = tf.unsorted_segment_sum(data, indices, 4)
        with tf.Session() as sess:
            sess.run(var.initializer)
            np.testing.assert_array_equal(sess.run(added),
                                          [[3, 4], [7, 8], [1, 1], [13, 16]])
            np.testing.assert_array_equal(sess.run(subtracted), np.ones((4, 2)))
            np.testing.assert_array_equal(sess.run(segments),
                                          [[2, 3], [6, 7], [0, 0], [12, 15]])

"""dynamic_partition, dynamic_stitch and segment_prod/unsorted_segment_prod: gradients
(TF1's rules), values as TensorFlow 2.21 ``compat.v1`` gives them, shapes and errors."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase
from tests.ops.array_op_helpers import assert_gradient_ok, run

RNG = np.random.RandomState(5)


def _with_zeros(shape, where):
    x = RNG.randn(*shape)
    x[where] = 0.0
    return x


GRADIENT_CASES = [
    GradCase("dynamic_partition", lambda x: tf.dynamic_partition(x, [1, 0, 2, 1], 3),
             [RNG.randn(4, 2)]),
    GradCase("dynamic_partition_2d_partitions",
             lambda x: tf.dynamic_partition(x, [[1, 0], [0, 0]], 2), [RNG.randn(2, 2, 3)]),
    GradCase("dynamic_stitch",
             lambda a, b: tf.dynamic_stitch([[0, 3], [[1], [2]]], [a, b]),
             [RNG.randn(2, 2), RNG.randn(2, 1, 2)]),
    GradCase("segment_prod", lambda x: tf.segment_prod(x, [0, 0, 1, 3]), [RNG.randn(4, 2)],
             order=2),
    # one zero in a segment: the zero's partial is the product of the others; two zeros:
    # every partial of that segment is 0
    GradCase("unsorted_segment_prod_zeros",
             lambda x: tf.unsorted_segment_prod(x, [2, 0, 2, 0, 1], 4),
             [_with_zeros((5, 2), ([0, 1, 3], [0, 1, 1]))]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    assert_gradient_ok(case)


def test_dynamic_partition_values_and_shapes():
    data = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])
    parts = tf.dynamic_partition(data, [[1, 0], [1, 1], [0, 0], [1, 0]], 2)
    rows = tf.dynamic_partition(data, [1, 0, 1, 0], 3)
    got = run(*parts, *rows)
    assert got[0].tolist() == [2.0, 5.0, 6.0, 8.0]  # TF: [2 5 6 8]
    assert got[1].tolist() == [1.0, 3.0, 4.0, 7.0]
    assert got[2].tolist() == [[3.0, 4.0], [7.0, 8.0]] and got[4].shape == (0, 2)
    assert [p.shape.as_list() for p in rows] == [[None, 2]] * 3
    with pytest.raises(ValueError, match="DynamicPartition.*prefix of data's shape"):
        tf.dynamic_partition(data, [0, 1], 2)
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match=r"partitions\[1\] = 3 is not in \[0, 2\)"):
        sess.run(tf.dynamic_partition([1.0, 2.0], [0, 3], 2))


def test_dynamic_stitch_later_entries_win_and_gaps_hold_zero():
    merged, gaps = run(tf.dynamic_stitch([[0, 1, 0], [1]], [[1.0, 2.0, 3.0], [7.0]]),
                       tf.dynamic_stitch([[0, 3], [3]], [[1.0, 2.0], [5.0]]))
    assert merged.tolist() == [3.0, 7.0]  # TF: [3 7]
    assert gaps.tolist() == [1.0, 0.0, 0.0, 5.0]  # TF: [1 0 0 5]
    assert tf.dynamic_stitch([[0]], [np.ones((1, 4))]).shape.as_list() == [None, 4]
    with pytest.raises(ValueError, match=r"DynamicStitch.*data\[1\] of shape \(1, 3\) has "
                                         r"slices of shape \(3,\)"):
        tf.dynamic_stitch([[0], [1]], [np.ones((1, 2)), np.ones((1, 3))])


def test_dynamic_stitch_gradient_is_tf1s_for_repeated_indices():
    x, y = tf.constant([1.0, 2.0, 3.0]), tf.constant([7.0])
    merged = tf.dynamic_stitch([[0, 1, 0], [1]], [x, y])
    gx, gy = run(*tf.gradients(merged * [1.0, 10.0], [x, y]))
    # TF1 gives every entry the gradient at its index, overwritten ones too
    assert gx.tolist() == [1.0, 10.0, 1.0] and gy.tolist() == [10.0]


def test_dynamic_partition_round_trips_through_dynamic_stitch():
    data = RNG.randn(6, 3)
    partitions = np.array([2, 0, 1, 2, 0, 2])
    positions = tf.dynamic_partition(np.arange(6, dtype=np.int32), partitions, 3)
    parts = tf.dynamic_partition(data, partitions, 3)
    np.testing.assert_array_equal(run(tf.dynamic_stitch(positions, parts))[0], data)


def test_segment_prod_values():
    prod, unsorted = run(tf.segment_prod([1.0, 2.0, 3.0, 4.0], [0, 0, 2, 2]),
                         tf.unsorted_segment_prod([1.0, 2.0, 3.0, 4.0], [0, 0, 2, 2], 4))
    assert prod.tolist() == [2.0, 1.0, 12.0]  # an empty segment holds 1 (TF: [2 1 12])
    assert unsorted.tolist() == [2.0, 1.0, 12.0, 1.0]  # TF: [2 1 12 1]
    assert tf.math.unsorted_segment_prod(np.ones((3, 2)), [0, 1, 0], 5).shape.as_list() == [5, 2]
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="UnsortedSegmentProd.*must be sorted"):
        sess.run(tf.math.segment_prod([1.0, 2.0], [1, 0]))

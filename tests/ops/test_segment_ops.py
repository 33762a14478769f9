"""Segment reductions, bincount, confusion_matrix and sparse_to_dense: gradients, shapes,
TF1's rules for empty segments, and run-time errors."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case

RNG = np.random.RandomState(15)
IDS = [0, 0, 2, 3, 3]

GRADIENT_CASES = [
    GradCase("segment_sum", lambda x: tf.segment_sum(x, IDS), [RNG.randn(5, 2)], order=2),
    GradCase("unsorted_segment_sum_2d_ids",
             lambda x: tf.unsorted_segment_sum(x, [[1, 0], [1, 3]], 4), [RNG.randn(2, 2, 3)]),
    GradCase("segment_mean", lambda x: tf.segment_mean(x, IDS), [RNG.randn(5, 3)]),
    GradCase("segment_max_min", lambda x: [tf.segment_max(x, IDS), tf.segment_min(x, IDS)],
             [RNG.randn(5, 2)]),
    # ties: the gradient is shared equally between the rows holding the maximum
    GradCase("unsorted_segment_max_ties",
             lambda x: tf.unsorted_segment_max(tf.concat([x, x], 0), [0, 1, 1, 0], 2),
             [RNG.randn(2, 3)]),
    GradCase("unsorted_segment_min_mean_sqrt_n",
             lambda x: [tf.unsorted_segment_min(x, [2, 0, 2, 1, 0], 3),
                        tf.unsorted_segment_mean(x, [2, 0, 2, 1, 0], 4),
                        tf.unsorted_segment_sqrt_n(x, [2, 0, 2, 1, 0], 4)],
             [RNG.randn(5, 2)]),
    GradCase("sparse_to_dense", lambda v, d: tf.sparse_to_dense([[0, 1], [2, 0]], [3, 2], v,
                                                                tf.reshape(d, [])),
             [RNG.randn(2), RNG.randn(1)], order=2),
    GradCase("sparse_to_dense_scalar_value",
             lambda v: tf.sparse_to_dense([0, 2], [4], tf.reshape(v, [])), [RNG.randn(1)]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


def test_static_shapes():
    x = tf.placeholder(tf.float32, [None, 4])
    ids = tf.placeholder(tf.int32, [None])
    assert tf.unsorted_segment_sum(x, ids, 7).shape.as_list() == [7, 4]
    assert tf.segment_sum(x, ids).shape.as_list() == [None, 4]
    assert tf.sparse_to_dense([[0, 0]], [3, 5], 1.0).shape.as_list() == [3, 5]
    assert tf.bincount([1, 2]).shape.as_list() == [None]


def test_build_errors_name_the_op():
    with pytest.raises(ValueError, match=r"UnsortedSegmentSum.*prefix of the data's shape"):
        tf.unsorted_segment_sum(np.ones((3, 2)), [0, 1], 2)
    with pytest.raises(TypeError, match="UnsortedSegmentSum.*segment_ids must be int32"):
        tf.segment_sum(np.ones(2), tf.constant([0.0, 1.0]))
    with pytest.raises(TypeError, match="Bincount.*arr must be int32"):
        tf.bincount([1.5])


@pytest.mark.parametrize("build, message", [
    (lambda: tf.segment_sum(np.ones(3), [1, 0, 2]), "must be sorted"),
    (lambda: tf.unsorted_segment_sum(np.ones(3), [0, 5, 1], 3), "segment id 5 is not in"),
    (lambda: tf.sparse_to_dense([[1], [0]], [3], [1.0, 2.0]), "lexicographic order"),
    (lambda: tf.sparse_to_dense([[4]], [3], 1.0), "out of bounds"),
    (lambda: tf.bincount([-1, 2]), "values must be >= 0"),
])
def test_run_time_errors(build, message):
    with tf.Graph().as_default(), tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            sess.run(build())


def test_unsorted_sparse_to_dense_without_validation_is_accepted():
    with tf.Session() as sess:
        out = sess.run(tf.sparse_to_dense([[2], [0]], [3], [1.0, 2.0], validate_indices=False))
    np.testing.assert_array_equal(out, [2.0, 0.0, 1.0])

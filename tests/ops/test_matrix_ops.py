"""Diagonals and bands: shapes, errors and gradients of MatrixDiag, MatrixDiagPart,
MatrixSetDiag and MatrixBandPart, and of diag/diag_part/trace/eye built from them."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case

RNG = np.random.RandomState(14)

GRADIENT_CASES = [
    GradCase("matrix_diag", lambda v: tf.linalg.diag(v), [RNG.randn(2, 3)], order=2),
    GradCase("matrix_diag_part_wide", lambda a: tf.linalg.diag_part(a), [RNG.randn(2, 3, 4)],
             order=2),
    GradCase("matrix_set_diag", lambda a, d: tf.matrix_set_diag(a, d),
             [RNG.randn(4, 3), RNG.randn(3)], order=2),
    GradCase("band_part", lambda a: tf.matrix_band_part(a, 1, 0), [RNG.randn(2, 4, 4)],
             order=2),
    GradCase("diag_and_part", lambda x: [tf.diag(x), tf.diag_part(tf.diag(x) * 2)],
             [RNG.randn(2, 2)]),
    GradCase("trace", lambda a: tf.linalg.trace(a), [RNG.randn(2, 3, 3)]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


def test_static_shapes():
    a = tf.placeholder(tf.float32, [None, 3, 5])
    assert tf.linalg.diag_part(a).shape.as_list() == [None, 3]
    assert tf.linalg.diag(a).shape.as_list() == [None, 3, 5, 5]
    assert tf.matrix_band_part(a, 0, -1).shape.as_list() == [None, 3, 5]
    assert tf.linalg.trace(a).shape.as_list() == [None]
    assert tf.diag(np.ones((2, 3))).shape.as_list() == [2, 3, 2, 3]
    assert tf.eye(2, 3, batch_shape=[4]).shape.as_list() == [4, 2, 3]
    assert tf.eye(2).dtype == tf.float32


def test_errors_name_the_op_and_shapes():
    with pytest.raises(ValueError, match=r"MatrixDiagPart.*rank >= 2.*\(3,\)"):
        tf.linalg.diag_part(np.ones(3))
    with pytest.raises(ValueError, match=r"MatrixSetDiag.*diagonal must have shape"):
        tf.matrix_set_diag(np.ones((3, 4)), np.ones(4))
    with pytest.raises(ValueError, match="diag_part: input must have shape S \\+ S"):
        tf.diag_part(np.ones((2, 3)))
    with pytest.raises(ValueError, match="MatrixBandPart.*num_lower must be a scalar"):
        tf.matrix_band_part(np.ones((3, 3)), [1], 0)
    with pytest.raises(ValueError, match="eye: dimensions must be >= 0"):
        tf.eye(-1)


def test_band_counts_larger_than_the_matrix_fail_at_run_time():
    a = tf.placeholder(tf.float64, [2, 2])
    band = tf.matrix_band_part(a, 3, 0)
    with tf.Session() as sess, \
            pytest.raises(tf.errors.InvalidArgumentError, match="num_lower \\(3\\) must be"):
        sess.run(band, {a: np.ones((2, 2))})

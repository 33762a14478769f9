"""Triangular solve, QR, symmetric eigendecomposition, slogdet/logdet, cholesky_solve,
cross and norm: values against NumPy, errors, and gradients (reverse and forward)."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case

RNG = np.random.RandomState(18)


def _well_conditioned(*shape):
    return RNG.randn(*shape) + 3 * np.eye(shape[-1])


def _sym(a):
    return a + tf.linalg.adjoint(a)


def _eigh_gauge_free(a):
    """Eigenvalues and sign-free functions of the eigenvectors of a symmetric matrix."""
    e, v = tf.self_adjoint_eig(_sym(a))
    return [e, tf.square(v), tf.matmul(v * [1.0, 2.0, 3.0], v, transpose_b=True)]


def _qr_gauge_fixed(a):
    q, r = tf.qr(a)
    return [q, r]


GRADIENT_CASES = [
    GradCase("triangular_solve_lower", lambda a, b: tf.matrix_triangular_solve(a, b),
             [_well_conditioned(3, 3), RNG.randn(3, 2)], order=2),
    GradCase("triangular_solve_upper_adjoint_batched",
             lambda a, b: tf.linalg.triangular_solve(a, b, lower=False, adjoint=True),
             [_well_conditioned(2, 3, 3), RNG.randn(2, 3, 1)]),
    GradCase("qr_tall", _qr_gauge_fixed, [RNG.randn(4, 3)], order=2),
    GradCase("qr_square_batched", _qr_gauge_fixed, [RNG.randn(2, 3, 3)]),
    GradCase("eigh", _eigh_gauge_free, [RNG.randn(3, 3)]),
    GradCase("eigvalsh", lambda a: tf.linalg.eigvalsh(_sym(a)), [RNG.randn(2, 3, 3)],
             order=2),
    GradCase("slogdet", lambda a: tf.linalg.slogdet(a)[1], [RNG.randn(2, 3, 3)], order=2),
    GradCase("logdet_cholesky_solve",
             lambda a, b: [tf.linalg.logdet(tf.matmul(a, a, transpose_b=True)),
                           tf.cholesky_solve(tf.cholesky(tf.matmul(a, a, transpose_b=True)),
                                             b)],
             [_well_conditioned(3, 3), RNG.randn(3, 2)]),
    GradCase("cross", tf.cross, [RNG.randn(2, 3), RNG.randn(2, 3)], order=2),
    GradCase("norms", lambda x: [tf.norm(x), tf.norm(x, ord=1, axis=1),
                                 tf.norm(x, ord=3, axis=0), tf.norm(x, ord=np.inf, axis=1),
                                 tf.norm(x, ord=np.inf, axis=[0, 1]),
                                 tf.norm(x, ord=2, axis=[0, 1])],
             [RNG.randn(3, 4)]),
    GradCase("pinv_matvec", lambda a, b: [tf.linalg.pinv(a), tf.linalg.matvec(a, b)],
             [RNG.randn(3, 2) * [1.0, 3.0], RNG.randn(2)]),
    GradCase("lstsq_tall_and_wide",
             lambda a, b: [tf.linalg.lstsq(a, b), tf.matrix_solve_ls(
                 tf.linalg.adjoint(a), b[:2], l2_regularizer=0.1)],
             [RNG.randn(4, 2), RNG.randn(4, 1)]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


def test_values_match_numpy():
    a = RNG.randn(2, 5, 3)
    sym = RNG.randn(4, 4)
    sym = sym + sym.T
    with tf.Session() as sess:
        (q, r), (e, v), full = sess.run([tf.qr(a), tf.self_adjoint_eig(sym),
                                         tf.qr(a, full_matrices=True)])
    np.testing.assert_allclose(q @ r, a, atol=1e-12)
    np.testing.assert_allclose(np.swapaxes(q, 1, 2) @ q, np.broadcast_to(np.eye(3), (2, 3, 3)),
                               atol=1e-12)
    assert np.allclose(np.tril(r, -1), 0) and full[0].shape == (2, 5, 5)
    np.testing.assert_allclose(e, np.linalg.eigvalsh(sym), atol=1e-12)
    np.testing.assert_allclose(v @ np.diag(e) @ v.T, sym, atol=1e-12)


def test_only_the_named_triangle_is_read():
    a = np.triu(RNG.randn(3, 3)) + 3 * np.eye(3)
    junk = a + np.tril(RNG.randn(3, 3), -1)
    b = RNG.randn(3, 2)
    with tf.Session() as sess:
        got = sess.run(tf.matrix_triangular_solve(junk, b, lower=False))
    np.testing.assert_allclose(a @ got, b, atol=1e-12)


def test_rank_and_least_squares_match_numpy():
    a = RNG.randn(5, 3)
    deficient = np.outer(RNG.randn(4), RNG.randn(3))
    b = RNG.randn(5, 2)
    with tf.Session() as sess:
        rank, full, x = sess.run([tf.linalg.matrix_rank(deficient), tf.linalg.matrix_rank(a),
                                  tf.linalg.lstsq(a, b)])
    assert (rank, full) == (1, 3)
    np.testing.assert_allclose(x, np.linalg.lstsq(a, b, rcond=None)[0], atol=1e-10)
    with pytest.raises(NotImplementedError, match="fast=False"):
        tf.matrix_solve_ls(a, b, fast=False)


def test_shapes_and_errors():
    assert tf.qr(tf.placeholder(tf.float32, [None, 5, 3]))[1].shape.as_list() == [None, 3, 3]
    assert tf.linalg.eigh(np.eye(3))[0].shape.as_list() == [3]
    with pytest.raises(ValueError, match=r"MatrixTriangularSolve.*does not match"):
        tf.matrix_triangular_solve(np.eye(3), np.ones((2, 1)))
    with pytest.raises(ValueError, match="cross: a must have a last dimension of 3"):
        tf.cross(np.ones(2), np.ones(2))
    with pytest.raises(ValueError, match="norm: for matrices ord must be"):
        tf.norm(np.ones((2, 2)), ord=3, axis=[0, 1])
    wide = tf.placeholder(tf.float64, [2, 4])
    with pytest.raises(NotImplementedError, match="qr is implemented for .* rows >= columns"):
        tf.gradients(tf.qr(wide)[0], [wide])

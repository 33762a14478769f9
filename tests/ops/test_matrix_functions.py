"""expm, sqrtm, logm, LU, tridiagonal solve/matmul, eigh_tridiagonal and normalize: values
and gradients against TensorFlow's (tests/ops/data/linalg_tf1.npz, written by
tools/make_linalg_fixtures.py), finite-difference gradients in both modes, and errors."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case

from . import tf1_fixtures
from .linalg_tf1_cases import CASES

RNG = np.random.RandomState(3)


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_match_tf1(name):
    tf1_fixtures.assert_case_matches("linalg_tf1", name, CASES[name])


def _spd(*shape):
    a = RNG.randn(*shape)
    return a @ np.swapaxes(a, -1, -2) + np.eye(shape[-1])


def _diagonals(*batch, m=4):
    d = RNG.randn(*batch, 3, m)
    d[..., 1, :] += 4.0
    return d


GRADIENT_CASES = [
    GradCase("expm_batched", tf.linalg.expm, [RNG.randn(2, 3, 3)], order=2),
    GradCase("expm_scaled", tf.linalg.expm, [4.0 * RNG.randn(3, 3)]),
    GradCase("sqrtm_spd_batched", tf.linalg.sqrtm, [_spd(2, 3, 3)], order=2),
    GradCase("sqrtm_nonsymmetric", tf.matrix_square_root,
             [RNG.randn(3, 3) + 3 * np.eye(3)]),
    GradCase("lu_packed_batched", lambda a: tf.linalg.lu(a).lu, [RNG.randn(2, 4, 4)],
             order=2),
    GradCase("lu_solve_inverse_reconstruct",
             lambda a, b: [tf.linalg.lu_solve(*tf.linalg.lu(a), b),
                           tf.linalg.lu_matrix_inverse(*tf.linalg.lu(a)),
                           tf.linalg.lu_reconstruct(*tf.linalg.lu(a))],
             [RNG.randn(2, 3, 3), RNG.randn(2, 3, 2)]),
    GradCase("tridiagonal_solve_batched", tf.linalg.tridiagonal_solve,
             [_diagonals(2), RNG.randn(2, 4, 2)], order=2),
    GradCase("tridiagonal_solve_matrix_format",
             lambda a, b: tf.linalg.tridiagonal_solve(a, b, diagonals_format="matrix"),
             [RNG.randn(4, 4) + 4 * np.eye(4), RNG.randn(4)]),
    GradCase("tridiagonal_matmul", tf.linalg.tridiagonal_matmul,
             [_diagonals(2), RNG.randn(2, 4, 3)], order=2),
    GradCase("eigh_tridiagonal",
             lambda a, b: tf.linalg.eigh_tridiagonal(a, b, select="i", select_range=[0, 1]),
             [np.array([1.0, 2.0, 4.0]), np.array([0.5, -0.3])]),
    GradCase("normalize", lambda x: list(tf.linalg.normalize(x, axis=-1)),
             [RNG.randn(2, 3)]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


def test_expm_sqrtm_logm_identities():
    a = RNG.randn(3, 3)
    spd = _spd(3, 3)
    c = RNG.randn(2, 3, 3) + 1j * RNG.randn(2, 3, 3) + 3 * np.eye(3)
    with tf.Session() as sess:
        e_sum, e_a, e_neg, root, log, zero_root = sess.run([
            tf.linalg.expm(a + a), tf.linalg.expm(a), tf.linalg.expm(-a),
            tf.linalg.sqrtm(spd), tf.linalg.logm(c), tf.linalg.sqrtm(np.zeros((2, 2)))])
        back = sess.run(tf.linalg.expm(tf.constant(log)))
    np.testing.assert_allclose(e_sum, e_a @ e_a, rtol=1e-10)
    np.testing.assert_allclose(e_a @ e_neg, np.eye(3), atol=1e-10)
    np.testing.assert_allclose(root @ root, spd, atol=1e-10)
    np.testing.assert_allclose(back, c, atol=1e-10)
    np.testing.assert_array_equal(zero_root, np.zeros((2, 2)))


def test_sqrtm_without_a_real_root_is_nan_as_in_tf():
    with tf.Session() as sess:
        assert np.isnan(sess.run(tf.linalg.sqrtm(-np.eye(2)))).all()


def test_lu_shapes_and_unknown_batch():
    x = tf.placeholder(tf.float64, [None, 3, 3])
    lu, p = tf.linalg.lu(x)
    assert lu.shape.as_list() == [None, 3, 3] and p.shape.as_list() == [None, 3]
    assert p.dtype == tf.int32
    a = RNG.randn(5, 3, 3)
    with tf.Session() as sess:
        rebuilt = sess.run(tf.linalg.lu_reconstruct(lu, p), {x: a})
    np.testing.assert_allclose(rebuilt, a, atol=1e-12)


def test_errors_name_the_op_and_shapes():
    with pytest.raises(ValueError, match=r"MatrixExponential.*square matrices.*\(2, 3\)"):
        tf.linalg.expm(np.ones((2, 3)))
    with pytest.raises(TypeError, match="MatrixLogarithm.*complex64 or complex128"):
        tf.linalg.logm(np.eye(2))
    with pytest.raises(TypeError, match="output_idx_type must be int32 or int64"):
        tf.linalg.lu(np.eye(2), output_idx_type=tf.float32)
    with pytest.raises(ValueError, match=r"TridiagonalSolve.*\(2, 3, 4\).*M = 4.*\(2, 5, 1\)"):
        tf.linalg.tridiagonal_solve(np.ones((2, 3, 4)), np.ones((2, 5, 1)))
    with pytest.raises(ValueError, match=r"compact diagonals must have shape \[..., 3, M\]"):
        tf.linalg.tridiagonal_matmul(np.ones((2, 4)), np.ones((4, 1)))
    with pytest.raises(ValueError, match="unrecognized diagonals_format 'banded'"):
        tf.linalg.tridiagonal_solve(np.ones((3, 4)), np.ones((4, 1)), diagonals_format="banded")
    with pytest.raises(NotImplementedError, match="perturb_singular"):
        tf.linalg.tridiagonal_solve(np.ones((3, 4)), np.ones((4, 1)), perturb_singular=True)
    with pytest.raises(ValueError, match="select='i' needs select_range"):
        tf.linalg.eigh_tridiagonal(np.ones(3), np.ones(2), select="i")


def test_eigh_tridiagonal_selects_values_and_vectors():
    alpha, beta = np.array([1.0, 2.0, 4.0, 0.5]), np.array([0.5, -0.3, 0.2])
    dense = np.diag(alpha) + np.diag(beta, 1) + np.diag(beta, -1)
    expected = np.linalg.eigvalsh(dense)
    with tf.Session() as sess:
        values, (some, vectors) = sess.run([
            tf.linalg.eigh_tridiagonal(alpha, beta, select="v", select_range=[0.9, 3.0]),
            tf.linalg.eigh_tridiagonal(alpha, beta, eigvals_only=False, select="i",
                                       select_range=[1, 2])])
    np.testing.assert_allclose(values, expected[(expected > 0.9) & (expected <= 3.0)])
    np.testing.assert_allclose(dense @ vectors, vectors * some, atol=1e-12)
    np.testing.assert_allclose(some, expected[1:3])


def test_names_follow_tf1_uniquification():
    with tf.Graph().as_default():
        first, second = tf.linalg.expm(np.eye(2)), tf.linalg.expm(np.eye(2))
        assert (first.op.name, second.op.name) == ("MatrixExponential",
                                                   "MatrixExponential_1")
        assert tf.linalg.lu(np.eye(2), name="factors").lu.name == "factors:0"

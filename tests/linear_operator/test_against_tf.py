"""LinearOperators against TensorFlow's values and gradients
(tests/ops/data/linear_operator_tf1.npz, written by tools/make_linalg_fixtures.py),
finite-difference gradients through the structured methods in both modes, hints and
errors."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case
from tests.ops import tf1_fixtures
from tests.ops.linear_operator_tf1_cases import CASES

LO = tf.linalg
RNG = np.random.RandomState(8)


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_match_tf(name):
    tf1_fixtures.assert_case_matches("linear_operator_tf1", name, CASES[name])


def _structured(diag, u, x):
    op = LO.LinearOperatorLowRankUpdate(LO.LinearOperatorDiag(diag), u)
    return [op.solve(x), op.log_abs_determinant(), op.matvec(x[:, 0], adjoint=True)]


def _kronecker(a, b, x):
    op = LO.LinearOperatorKronecker([LO.LinearOperatorFullMatrix(a),
                                     LO.LinearOperatorLowerTriangular(b)])
    return [op.solve(x), op.matmul(x, adjoint=True), op.determinant(), op.diag_part()]


def _blocks(a, b, c, x):
    full = LO.LinearOperatorFullMatrix
    lower = LO.LinearOperatorBlockLowerTriangular([[full(a)], [full(b), full(c)]])
    diag = LO.LinearOperatorBlockDiag([full(a), full(c)])
    return [lower.solve(x, adjoint=True), lower.log_abs_determinant(), diag.solve(x),
            diag.trace()]


def _toeplitz_householder(col, row, x):
    return [LO.LinearOperatorToeplitz(col, row).solve(x),
            LO.LinearOperatorHouseholder(row).matmul(x),
            LO.LinearOperatorScaledIdentity(3, col[0]).inverse().matmul(x)]


def _circulant(kernel, x):
    spectrum = tf.fft2d(tf.complex(kernel, kernel * 0.0))
    op = LO.LinearOperatorCirculant2D(spectrum, input_output_dtype=tf.float64)
    return [op.solve(x), op.matmul(x, adjoint=True), op.determinant(),
            op.log_abs_determinant(), op.trace()]


GRADIENT_CASES = [
    GradCase("linop_circulant", _circulant,
             [0.3 * RNG.randn(2, 3) + [[1.5, 0, 0], [0, 0, 0]], RNG.randn(6, 2)], order=2),
    GradCase("linop_low_rank_update", _structured,
             [RNG.rand(3) + 1.0, RNG.randn(3, 2), RNG.randn(3, 2)], order=2),
    GradCase("linop_kronecker", _kronecker,
             [RNG.randn(2, 2) + 3 * np.eye(2), RNG.randn(3, 3) + 3 * np.eye(3),
              RNG.randn(6, 2)]),
    GradCase("linop_blocks", _blocks,
             [RNG.randn(1, 1) + 3, RNG.randn(2, 1), RNG.randn(2, 2) + 3 * np.eye(2),
              RNG.randn(3, 2)]),
    GradCase("linop_toeplitz_householder", _toeplitz_householder,
             [RNG.randn(3) + [4.0, 0, 0], RNG.randn(3), RNG.randn(3, 2)]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


def test_structure_is_used():
    """A diagonal operator solves by division, a Kronecker product never forms the
    dense matrix, a Householder reflection is its own inverse."""
    with tf.Graph().as_default() as graph:
        LO.LinearOperatorDiag(np.ones(3)).solve(np.ones((3, 1)))
        kron = LO.LinearOperatorKronecker([LO.LinearOperatorFullMatrix(np.eye(2) * 2.0),
                                           LO.LinearOperatorFullMatrix(np.eye(3) * 3.0)])
        kron.solve(np.ones((6, 1)))
        kron.log_abs_determinant()
        types = {op.type for op in graph.get_operations()}
    assert "RealDiv" in types and "MatrixSolve" in types
    assert "Einsum" not in types  # to_dense of a Kronecker product goes through einsum
    house = LO.LinearOperatorHouseholder(np.ones(3))
    assert house.inverse() is house and house.adjoint() is house
    diag = LO.LinearOperatorDiag(np.array([1.0, 2.0]))
    assert isinstance(diag.inverse(), LO.LinearOperatorDiag)
    assert isinstance(LO.LinearOperatorFullMatrix(np.eye(2)).inverse(),
                      LO.LinearOperatorInversion)


def test_operator_times_operator_is_a_composition():
    a = LO.LinearOperatorFullMatrix(RNG.randn(3, 3))
    b = LO.LinearOperatorDiag(RNG.randn(3))
    product = a.matmul(b)
    assert isinstance(product, LO.LinearOperatorComposition)
    with tf.Session() as sess:
        got, expected = sess.run([product.to_dense(), tf.matmul(a.to_dense(), b.to_dense())])
    np.testing.assert_allclose(got, expected)


def test_shapes_and_hints():
    op = LO.LinearOperatorFullMatrix(np.ones((4, 2, 3)), is_non_singular=False)
    assert op.shape.as_list() == [4, 2, 3] and op.batch_shape.as_list() == [4]
    assert (op.domain_dimension, op.range_dimension, op.tensor_rank) == (3, 2, 3)
    assert op.is_square is False and op.is_non_singular is False
    assert op.dtype == tf.float64 and op.name == "LinearOperatorFullMatrix"
    with tf.Session() as sess:
        assert list(sess.run(op.shape_tensor())) == [4, 2, 3]
        assert list(sess.run(op.batch_shape_tensor())) == [4]
    pd = LO.LinearOperatorDiag(np.ones(2), is_positive_definite=True)
    assert pd.is_non_singular and pd.is_square and pd.is_self_adjoint


def test_errors():
    with pytest.raises(ValueError, match="A self-adjoint matrix is always square"):
        LO.LinearOperatorFullMatrix(np.ones((2, 3)), is_self_adjoint=True, is_square=False)
    with pytest.raises(ValueError, match="is_square=True, but got num_rows\\(2\\) != "
                                         "num_columns\\(3\\)"):
        LO.LinearOperatorZeros(2, 3)
    with pytest.raises(NotImplementedError, match="expected to be singular"):
        LO.LinearOperatorZeros(2).solve(np.ones((2, 1)))
    with pytest.raises(ValueError, match=r"LinearOperatorFullMatrix.matmul: operator of shape "
                                         r"\(2, 3\) does not match argument of shape \(2, 1\)"):
        LO.LinearOperatorFullMatrix(np.ones((2, 3))).matmul(np.ones((2, 1)))
    with pytest.raises(TypeError, match="argument has dtype float32, the operator float64"):
        LO.LinearOperatorDiag(np.ones(2)).matmul(tf.ones((2, 1)))
    with pytest.raises(ValueError, match="cannot be composed with"):
        LO.LinearOperatorComposition([LO.LinearOperatorFullMatrix(np.ones((2, 3))),
                                      LO.LinearOperatorFullMatrix(np.ones((2, 3)))])
    with pytest.raises(ValueError, match="row 1 must hold 2 operators"):
        LO.LinearOperatorBlockLowerTriangular([[LO.LinearOperatorDiag(np.ones(2))],
                                               [LO.LinearOperatorDiag(np.ones(2))]])
    with pytest.raises(NotImplementedError, match="needs a square operator"):
        LO.LinearOperatorFullMatrix(np.ones((2, 3))).determinant()
    with pytest.raises(TypeError, match="perm must be integer"):
        LO.LinearOperatorPermutation(np.array([0.0, 1.0]))


def test_abstract_base_says_what_a_subclass_must_define():
    with pytest.raises(NotImplementedError, match="must define _shape"):
        LO.LinearOperator(tf.float64).shape

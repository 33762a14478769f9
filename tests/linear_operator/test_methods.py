"""Every method of every LinearOperator against NumPy on the operator's own ``to_dense()``
(which is itself checked against the matrix the operator stands for)."""
import numpy as np
import pytest

import staticgraph as tf

LO = tf.linalg
RNG = np.random.RandomState(5)


def _wc(*shape):
    """Well-conditioned random matrices."""
    return RNG.randn(*shape) + 4 * np.eye(shape[-1])


def _kron(a, b):
    return np.einsum("...ij,...kl->...ikjl", a, b).reshape(
        a.shape[:-2] + (a.shape[-2] * b.shape[-2], a.shape[-1] * b.shape[-1]))


_FULL = _wc(2, 3, 3)
_DIAG = RNG.rand(2, 3) + 0.5
_TRIL = np.tril(_wc(2, 3, 3))
_HOUSE = RNG.randn(3)
_PERM = np.array([2, 0, 1])
_COL, _ROW = RNG.randn(4) + np.array([4, 0, 0, 0]), RNG.randn(4)
_TRIDIAG = RNG.randn(2, 3, 4) + np.array([0.0, 4.0, 0.0])[:, None]
_KRON_A, _KRON_B = _wc(2, 2), _wc(3, 3)
_U, _V, _D = RNG.randn(3, 2), RNG.randn(3, 2), RNG.rand(2) + 1.0
_BLOCK_A, _BLOCK_B, _BLOCK_C = _wc(2, 2), RNG.randn(3, 2), _wc(3, 3)


def _circulant(kernel):
    """The (block-)circulant matrix whose first column's block form is ``kernel``."""
    block = kernel.shape
    n = int(np.prod(block))
    spectrum = np.fft.fftn(kernel)
    columns = [np.real(np.fft.ifftn(spectrum * np.fft.fftn(np.eye(n)[j].reshape(block))))
               for j in range(n)]
    return spectrum, np.stack([c.reshape(n) for c in columns], axis=1)


_CIRC1, _CIRC1_DENSE = _circulant(RNG.randn(4) + np.array([5.0, 0, 0, 0]))
_CIRC2, _CIRC2_DENSE = _circulant(RNG.randn(3, 2) + np.array([[6.0, 0], [0, 0], [0, 0]]))
_CIRC3, _CIRC3_DENSE = _circulant(RNG.randn(2, 2, 2) + 8.0 * (np.arange(8) == 0).reshape(
    2, 2, 2))


def _toeplitz(col, row):
    n = len(col)
    return np.array([[col[i - j] if i >= j else row[j - i] for j in range(n)]
                     for i in range(n)])


def _tridiag_dense(d):
    m = d.shape[-1]
    out = np.zeros(d.shape[:-2] + (m, m))
    i = np.arange(m)
    out[..., i, i] = d[..., 1, :]
    out[..., i[:-1], i[1:]] = d[..., 0, :-1]
    out[..., i[1:], i[:-1]] = d[..., 2, 1:]
    return out


# name -> (builder of the operator, the dense matrix it stands for, invertible)
OPERATORS = {
    "full_matrix": (lambda: LO.LinearOperatorFullMatrix(_FULL), _FULL, True),
    "diag": (lambda: LO.LinearOperatorDiag(_DIAG), np.stack([np.diag(d) for d in _DIAG]),
             True),
    "identity": (lambda: LO.LinearOperatorIdentity(3, batch_shape=[2], dtype=tf.float64),
                 np.broadcast_to(np.eye(3), (2, 3, 3)), True),
    "scaled_identity": (lambda: LO.LinearOperatorScaledIdentity(3, np.array([2.0, -0.5])),
                        np.array([2.0, -0.5])[:, None, None] * np.eye(3), True),
    "zeros": (lambda: LO.LinearOperatorZeros(3, batch_shape=[2], dtype=tf.float64),
              np.zeros((2, 3, 3)), False),
    "zeros_rectangular": (lambda: LO.LinearOperatorZeros(3, 2, dtype=tf.float64,
                                                         is_square=False,
                                                         is_self_adjoint=False),
                          np.zeros((3, 2)), False),
    "lower_triangular": (lambda: LO.LinearOperatorLowerTriangular(_TRIL + np.triu(
        np.ones((3, 3)), 1)), _TRIL, True),
    "householder": (lambda: LO.LinearOperatorHouseholder(_HOUSE),
                    np.eye(3) - 2 * np.outer(_HOUSE, _HOUSE) / _HOUSE.dot(_HOUSE), True),
    "permutation": (lambda: LO.LinearOperatorPermutation(_PERM, dtype=tf.float64),
                    np.eye(3)[_PERM], True),
    "circulant_real_spectrum_batched": (lambda: LO.LinearOperatorCirculant(
        np.stack([np.real(_CIRC1), 2 * np.real(_CIRC1) + 1]), input_output_dtype=tf.float64),
        np.stack([_circulant(np.real(np.fft.ifft(s)))[1] for s in
                  (np.real(_CIRC1), 2 * np.real(_CIRC1) + 1)]), True),
    "circulant_hermitian": (lambda: LO.LinearOperatorCirculant(
        _CIRC1, input_output_dtype=tf.float64), _CIRC1_DENSE, True),
    "circulant2d": (lambda: LO.LinearOperatorCirculant2D(
        _CIRC2, input_output_dtype=tf.float64), _CIRC2_DENSE, True),
    "circulant3d": (lambda: LO.LinearOperatorCirculant3D(
        _CIRC3, input_output_dtype=tf.float64), _CIRC3_DENSE, True),
    "toeplitz": (lambda: LO.LinearOperatorToeplitz(_COL, _ROW), _toeplitz(_COL, _ROW), True),
    "tridiag": (lambda: LO.LinearOperatorTridiag(_TRIDIAG), _tridiag_dense(_TRIDIAG), True),
    "composition": (lambda: LO.LinearOperatorComposition(
        [LO.LinearOperatorFullMatrix(_FULL), LO.LinearOperatorDiag(_DIAG)]),
        _FULL * _DIAG[:, None, :], True),
    "adjoint": (lambda: LO.LinearOperatorAdjoint(LO.LinearOperatorFullMatrix(_FULL)),
                np.swapaxes(_FULL, -1, -2), True),
    "inversion": (lambda: LO.LinearOperatorInversion(LO.LinearOperatorFullMatrix(_FULL)),
                  np.linalg.inv(_FULL), True),
    "block_diag": (lambda: LO.LinearOperatorBlockDiag(
        [LO.LinearOperatorFullMatrix(_BLOCK_A), LO.LinearOperatorDiag(_DIAG)]),
        np.stack([np.block([[_BLOCK_A, np.zeros((2, 3))], [np.zeros((3, 2)), np.diag(d)]])
                  for d in _DIAG]), True),
    "block_lower_triangular": (lambda: LO.LinearOperatorBlockLowerTriangular(
        [[LO.LinearOperatorFullMatrix(_BLOCK_A)],
         [LO.LinearOperatorFullMatrix(_BLOCK_B), LO.LinearOperatorFullMatrix(_BLOCK_C)]]),
        np.block([[_BLOCK_A, np.zeros((2, 3))], [_BLOCK_B, _BLOCK_C]]), True),
    "kronecker": (lambda: LO.LinearOperatorKronecker(
        [LO.LinearOperatorFullMatrix(_KRON_A), LO.LinearOperatorFullMatrix(_KRON_B)]),
        _kron(_KRON_A, _KRON_B), True),
    "kronecker_three_batched": (lambda: LO.LinearOperatorKronecker(
        [LO.LinearOperatorDiag(_DIAG[:, :2]), LO.LinearOperatorFullMatrix(_KRON_A),
         LO.LinearOperatorLowerTriangular(_TRIL[0])]),
        _kron(_kron(np.stack([np.diag(d) for d in _DIAG[:, :2]]), _KRON_A), _TRIL[0]),
        True),
    "low_rank_update": (lambda: LO.LinearOperatorLowRankUpdate(
        LO.LinearOperatorDiag(_DIAG[0]), _U, diag_update=_D, v=_V),
        np.diag(_DIAG[0]) + (_U * _D) @ _V.T, True),
    "low_rank_update_symmetric": (lambda: LO.LinearOperatorLowRankUpdate(
        LO.LinearOperatorFullMatrix(_FULL[0] @ _FULL[0].T), _U),
        _FULL[0] @ _FULL[0].T + _U @ _U.T, True),
}


def _evaluate(name):
    build, dense, invertible = OPERATORS[name]
    with tf.Graph().as_default():
        op = build()
        rows, cols = dense.shape[-2:]
        x = RNG.randn(*dense.shape[:-2], cols, 2)
        xa = RNG.randn(*dense.shape[:-2], rows, 2)
        fetches = {
            "dense": op.to_dense(), "matmul": op.matmul(x),
            "matmul_adjoint": op.matmul(xa, adjoint=True),
            "matmul_adjoint_arg": op.matmul(np.swapaxes(x, -1, -2), adjoint_arg=True),
            "matvec": op.matvec(x[..., 0]), "matvec_adjoint": op.matvec(xa[..., 0], adjoint=True),
            "diag_part": op.diag_part(), "trace": op.trace(),
            "add_to_tensor": op.add_to_tensor(np.ones(dense.shape)),
            "adjoint_dense": op.adjoint().to_dense(), "H_dense": op.H.to_dense(),
        }
        if rows == cols:
            fetches.update(det=op.determinant(), log_abs_det=op.log_abs_determinant())
        if invertible:
            fetches.update(
                solve=op.solve(xa), solve_adjoint=op.solve(x, adjoint=True),
                solve_adjoint_arg=op.solve(np.swapaxes(xa, -1, -2), adjoint_arg=True),
                solvevec=op.solvevec(xa[..., 0]),
                solvevec_adjoint=op.solvevec(x[..., 0], adjoint=True),
                inverse_dense=op.inverse().to_dense(),
                inverse_matmul=op.inverse().matmul(xa))
        with tf.Session() as sess:
            got = sess.run(fetches)
        static = op.shape.as_list()
    return got, dense, x, xa, static


@pytest.mark.parametrize("name", sorted(OPERATORS))
def test_methods_agree_with_the_dense_matrix(name):
    got, dense, x, xa, static = _evaluate(name)
    adj = np.swapaxes(dense, -1, -2)
    assert static == list(dense.shape)
    expected = {
        "dense": dense, "matmul": dense @ x, "matmul_adjoint": adj @ xa,
        "matmul_adjoint_arg": dense @ x, "matvec": (dense @ x)[..., 0],
        "matvec_adjoint": (adj @ xa)[..., 0],
        "diag_part": np.diagonal(dense, axis1=-2, axis2=-1),
        "trace": np.trace(dense, axis1=-2, axis2=-1), "add_to_tensor": dense + 1.0,
        "adjoint_dense": adj, "H_dense": adj,
    }
    if "det" in got:
        with np.errstate(divide="ignore"):  # log(0) = -inf for the zero operator
            expected.update(det=np.linalg.det(dense),
                            log_abs_det=np.log(np.abs(np.linalg.det(dense))))
    if "solve" in got:
        expected.update(solve=np.linalg.solve(dense, xa), solve_adjoint=np.linalg.solve(adj, x),
                        solve_adjoint_arg=np.linalg.solve(dense, xa),
                        solvevec=np.linalg.solve(dense, xa)[..., 0],
                        solvevec_adjoint=np.linalg.solve(adj, x)[..., 0],
                        inverse_dense=np.linalg.inv(dense),
                        inverse_matmul=np.linalg.solve(dense, xa))
    assert set(got) == set(expected)
    for key, value in expected.items():
        np.testing.assert_allclose(got[key], value, rtol=1e-9, atol=1e-9,
                                   err_msg=f"{name}.{key}")

"""LinearOperator cases written against the TF1 API only, so
tools/make_linalg_fixtures.py runs them in TensorFlow
(tests/ops/data/linear_operator_tf1.npz) and tests/linear_operator/test_against_tf.py runs
them in staticgraph and compares: values of the structured methods and gradients through
them."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

_RNG = np.random.RandomState(11)
_M = _RNG.randn(2, 3, 3) + 4 * np.eye(3)
_D = _RNG.rand(2, 3) + 0.5
_X = _RNG.randn(2, 3, 2)
_K = _RNG.randn(6, 2)
_U = _RNG.randn(3, 2)
_COL, _ROW = _RNG.randn(3) + np.array([4.0, 0, 0]), _RNG.randn(3)


def _methods(op: Any, x: Any) -> list:
    return [op.to_dense(), op.matmul(x), op.matmul(x, adjoint=True), op.solve(x),
            op.solve(x, adjoint=True), op.determinant(), op.log_abs_determinant(),
            op.trace(), op.diag_part()]


def _with_grads(tf: Any, ys: list, xs: list) -> list:
    parts = [p for y in ys for p in ([tf.real(y), 0.5 * tf.imag(y)] if y.dtype.is_complex
                                     else [y])]
    loss = tf.add_n([tf.reduce_sum(tf.sin(p)) for p in parts])
    return ys + tf.gradients(loss, xs)


def _diag_full_composition(tf: Any) -> list:
    m, d, x = tf.constant(_M), tf.constant(_D), tf.constant(_X)
    op = tf.linalg.LinearOperatorComposition([tf.linalg.LinearOperatorFullMatrix(m),
                                              tf.linalg.LinearOperatorDiag(d)])
    return _with_grads(tf, _methods(op, x), [m, d, x])


def _kronecker(tf: Any) -> list:
    a, b, x = tf.constant(_M[0, :2, :2]), tf.constant(_M[1]), tf.constant(_K)
    op = tf.linalg.LinearOperatorKronecker([tf.linalg.LinearOperatorFullMatrix(a),
                                            tf.linalg.LinearOperatorLowerTriangular(b)])
    return _with_grads(tf, _methods(op, x), [a, b, x])


def _low_rank_update(tf: Any) -> list:
    d, u, x = tf.constant(_D[0]), tf.constant(_U), tf.constant(_X[0])
    op = tf.linalg.LinearOperatorLowRankUpdate(tf.linalg.LinearOperatorDiag(d), u,
                                               diag_update=tf.constant([2.0, 0.5], tf.float64))
    return _with_grads(tf, _methods(op, x), [d, u, x])


def _block_lower_triangular(tf: Any) -> list:
    a, b, c = (tf.constant(v) for v in (_M[0, :1, :1], _M[1, 1:, :1], _M[1, 1:, 1:]))
    x = tf.constant(_X[0])
    full = tf.linalg.LinearOperatorFullMatrix
    op = tf.linalg.LinearOperatorBlockLowerTriangular([[full(a)], [full(b), full(c)]])
    return _with_grads(tf, _methods(op, x), [a, b, c, x])


def _toeplitz_householder_tridiag(tf: Any) -> list:
    col, row, x = tf.constant(_COL), tf.constant(_ROW), tf.constant(_X[0])
    diagonals = tf.constant(np.stack([_ROW, _COL, _COL[::-1]]))
    ops = [tf.linalg.LinearOperatorToeplitz(col, row),
           tf.linalg.LinearOperatorHouseholder(row),
           tf.linalg.LinearOperatorTridiag(diagonals),
           tf.linalg.LinearOperatorScaledIdentity(3, tf.constant(-1.5, tf.float64)),
           tf.linalg.LinearOperatorPermutation([2, 0, 1], dtype=tf.float64)]
    values = [v for op in ops for v in _methods(op, x)]
    return _with_grads(tf, values, [col, row, diagonals, x])


def _circulant(tf: Any) -> list:
    k1, k2 = tf.constant(_COL + [2.0, 0, 0]), tf.constant(_M[0, :2] + [[3.0, 0, 0], [0, 0, 0]])
    x1, x2 = tf.constant(_X[0, :, :1]), tf.constant(_K[:, :1])
    real_op = tf.linalg.LinearOperatorCirculant(tf.fft(tf.complex(k1, tf.zeros_like(k1))),
                                                input_output_dtype=tf.float64)
    complex_op = tf.linalg.LinearOperatorCirculant2D(
        tf.fft2d(tf.complex(k2, 0.5 * k2)), input_output_dtype=tf.complex128)
    values = _methods(real_op, x1) + _methods(complex_op, tf.complex(x2, -x2))
    return _with_grads(tf, values, [k1, k2, x1, x2])


CASES: dict[str, Callable[[Any], list]] = {
    "diag_full_composition": _diag_full_composition, "kronecker": _kronecker,
    "low_rank_update": _low_rank_update, "block_lower_triangular": _block_lower_triangular,
    "toeplitz_householder_tridiag": _toeplitz_householder_tridiag, "circulant": _circulant,
}

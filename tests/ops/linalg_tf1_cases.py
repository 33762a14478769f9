"""Matrix functions, LU and tridiagonal cases written against the TF1 API only, so
tools/make_linalg_fixtures.py runs them in TensorFlow (tests/ops/data/linalg_tf1.npz) and
tests/ops/test_matrix_functions.py runs them in staticgraph and compares."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

_RNG = np.random.RandomState(7)
_A = _RNG.randn(2, 3, 3)
_SPD = _A @ np.swapaxes(_A, -1, -2) + np.eye(3)
_NONSYM = _RNG.randn(3, 3) + 3 * np.eye(3)
_COMPLEX = _RNG.randn(2, 3, 3) + 1j * _RNG.randn(2, 3, 3) + 3 * np.eye(3)
_SQUARE = _RNG.randn(2, 4, 4)
_DIAGS = _RNG.randn(2, 3, 4) + np.array([0.0, 4.0, 0.0])[:, None]
_RHS = _RNG.randn(2, 4, 2)
_WEIGHT = _RNG.randn(2, 4, 2)


def _with_grads(tf: Any, ys: list, xs: list, weights: list) -> list:
    """ys and the gradients of sum(y * w) with respect to every x."""
    loss = tf.add_n([tf.reduce_sum(y * w) for y, w in zip(ys, weights)])
    return ys + tf.gradients(loss, xs)


def _expm(tf: Any) -> list:
    a = tf.constant(_A)
    big = tf.constant(6.0 * _NONSYM)
    return _with_grads(tf, [tf.linalg.expm(a), tf.linalg.expm(big)], [a, big],
                       [_A[::-1], _NONSYM])


def _sqrtm(tf: Any) -> list:
    spd, nonsym = tf.constant(_SPD), tf.constant(_NONSYM)
    return _with_grads(tf, [tf.linalg.sqrtm(spd), tf.matrix_square_root(nonsym)],
                       [spd, nonsym], [_A, _NONSYM.T])


def _logm(tf: Any) -> list:
    return [tf.linalg.logm(tf.constant(_COMPLEX))]


def _lu(tf: Any) -> list:
    lu, p = tf.linalg.lu(tf.constant(_SQUARE))
    return [lu, p, tf.linalg.lu_solve(lu, p, tf.constant(_RHS)),
            tf.linalg.lu_matrix_inverse(lu, p), tf.linalg.lu_reconstruct(lu, p),
            tf.linalg.lu(tf.constant(_NONSYM), output_idx_type=tf.int64)[1]]


def _tridiagonal(tf: Any) -> list:
    diags, rhs = tf.constant(_DIAGS), tf.constant(_RHS)
    solved = tf.linalg.tridiagonal_solve(diags, rhs)
    product = tf.linalg.tridiagonal_matmul(diags, rhs)
    return _with_grads(tf, [solved, product], [diags, rhs], [_WEIGHT, _RHS])


def _tridiagonal_formats(tf: Any) -> list:
    diags = tf.constant(_DIAGS[0])
    rhs = tf.constant(_RHS[0])
    sequence = [diags[0], diags[1], diags[2]]
    dense = tf.constant(_DIAGS[1, 1] * np.eye(4) + np.diag(_DIAGS[1, 0, :3], 1)
                        + np.diag(_DIAGS[1, 2, 1:], -1))
    return [tf.linalg.tridiagonal_solve(sequence, rhs, diagonals_format="sequence"),
            tf.linalg.tridiagonal_solve(dense, rhs, diagonals_format="matrix"),
            tf.linalg.tridiagonal_solve(diags, rhs[:, 0]),
            tf.linalg.tridiagonal_solve(diags, tf.transpose(rhs), transpose_rhs=True),
            tf.linalg.tridiagonal_matmul(sequence, rhs, diagonals_format="sequence")]


def _eigh_tridiagonal(tf: Any) -> list:
    alpha, beta = tf.constant(_DIAGS[0, 1]), tf.constant(_DIAGS[0, 0, :3])
    return [tf.linalg.eigh_tridiagonal(alpha, beta),
            tf.linalg.eigh_tridiagonal(alpha, beta, select="i", select_range=[1, 2])]


def _normalize(tf: Any) -> list:
    x = tf.constant(_A[0])
    return [*tf.linalg.normalize(x, axis=1), *tf.linalg.normalize(x, ord=1),
            *tf.linalg.normalize(x, ord="fro", axis=[0, 1])]


CASES: dict[str, Callable[[Any], list]] = {
    "expm": _expm, "sqrtm": _sqrtm, "logm": _logm, "lu": _lu, "tridiagonal": _tridiagonal,
    "tridiagonal_formats": _tridiagonal_formats, "eigh_tridiagonal": _eigh_tridiagonal,
    "normalize": _normalize,
}

"""Linear algebra ops on (batches of) matrices: inverse, determinant, solve, SVD, Cholesky.

Kernels are NumPy's batched ``numpy.linalg`` routines; VJPs and JVPs are the standard
matrix-calculus formulas built from graph ops (so they can be differentiated again).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .shape_ops import expand_dims, transpose
from .framework import apply_op, constant, convert_n, convert_to_tensor
from .math_ops import add, add_n, divide, multiply, negative, subtract
from .matmul_ops import matmul
from .reduce_ops import reduce_sum

__all__ = [
    "matrix_inverse",
    "matrix_determinant",
    "matrix_solve",
    "svd",
    "cholesky",
    "matrix_transpose",
]

# ----------------------------------------------------------------------------------------
# Shape rules and small graph helpers
# ----------------------------------------------------------------------------------------


def _matrix_dims(t: Tensor, what: str, square: bool = False) -> tuple[TensorShape, Any, Any]:
    """(batch shape, rows, cols) of a ``[..., M, N]`` float tensor; ``ValueError`` if not."""
    if not t.dtype.is_floating:
        raise TypeError(f"{what} must be floating point, got {t.dtype.name}")
    if t.shape.ndims is None:
        return TensorShape(None), None, None
    if t.shape.ndims < 2:
        raise ValueError(f"{what} must have rank >= 2, got shape {t.shape}")
    dims = t.shape.as_list()
    rows, cols = dims[-2], dims[-1]
    if square and None not in (rows, cols) and rows != cols:
        raise ValueError(f"{what} must be a (batch of) square matrices, got shape {t.shape}")
    return TensorShape(dims[:-2]), rows, cols


def _square_shape(inputs: list, attrs: dict) -> list:
    """Output shaped like the (batch of) square matrices input."""
    _matrix_dims(inputs[0], "input", square=True)
    return [(inputs[0].shape, inputs[0].dtype)]


def _static_size(t: Tensor, axis: int, what: str) -> int:
    """A matrix dimension that must be known when the gradient graph is built."""
    size = t.shape.as_tuple()[axis] if t.shape.ndims is not None else None
    if size is None:
        raise ValueError(f"the gradient of {what} needs statically known matrix dimensions, "
                         f"got shape {t.shape}")
    return size


def _eye(n: int, like: Tensor) -> Tensor:
    return constant(np.eye(n, dtype=like.dtype.dtype), name="eye")


def _row(v: Tensor) -> Tensor:
    """``[..., k]`` to ``[..., 1, k]`` (scales columns when multiplied with a matrix)."""
    return expand_dims(v, -2)


def _col(v: Tensor) -> Tensor:
    """``[..., k]`` to ``[..., k, 1]`` (scales rows when multiplied with a matrix)."""
    return expand_dims(v, -1)


def _diag(v: Tensor, k: int) -> Tensor:
    """The diagonal matrices of a ``[..., k]`` batch of vectors."""
    return multiply(_row(v), _eye(k, v))


def matrix_transpose(a: Any, name: str = "matrix_transpose", conjugate: bool = False
                     ) -> Tensor:
    """``tf.matrix_transpose``: swaps the last two dimensions (rank must be known)."""
    a = convert_to_tensor(a)
    rank = a.shape.ndims
    if rank is None or rank < 2:
        raise ValueError(f"matrix_transpose needs a tensor of known rank >= 2, got shape "
                         f"{a.shape}")
    return transpose(a, list(range(rank - 2)) + [rank - 1, rank - 2], name=name)


# ----------------------------------------------------------------------------------------
# MatrixInverse and MatrixDeterminant
# ----------------------------------------------------------------------------------------


def _inverse_kernel(a: np.ndarray, *, adjoint: bool = False) -> np.ndarray:
    inv = np.linalg.inv(a)
    return np.swapaxes(inv, -1, -2) if adjoint else inv


def _inverse_vjp(op: Operation, g: Tensor) -> list:
    y, adj = op.outputs[0], op.get_attr("adjoint")
    inner = matmul(g, y, transpose_a=adj, transpose_b=not adj)
    return [negative(matmul(y, inner, transpose_a=not adj))]


def _inverse_jvp(op: Operation, t: Tensor | None) -> list:
    if t is None:
        return [None]
    y = op.outputs[0]
    return [negative(matmul(y, matmul(t, y, transpose_a=op.get_attr("adjoint"))))]


define_op("MatrixInverse", kernel=_inverse_kernel, shape_fn=_square_shape, vjp=_inverse_vjp,
          jvp=_inverse_jvp, doc="Inverse (or inverse transpose) of each square matrix.",
          view_of={})


def _det_kernel(a: np.ndarray) -> np.ndarray:
    return np.asarray(np.linalg.det(a), dtype=a.dtype)


def _det_shape(inputs: list, attrs: dict) -> list:
    batch, _, _ = _matrix_dims(inputs[0], "input", square=True)
    return [(batch, inputs[0].dtype)]


def _det_vjp(op: Operation, g: Tensor) -> list:
    scale = multiply(g, op.outputs[0])
    return [multiply(_col(_col(scale)), matrix_inverse(op.inputs[0], adjoint=True))]


def _det_jvp(op: Operation, t: Tensor | None) -> list:
    if t is None:
        return [None]
    inv_t = matrix_inverse(op.inputs[0], adjoint=True)
    return [multiply(op.outputs[0], reduce_sum(multiply(inv_t, t), axis=[-2, -1]))]


define_op("MatrixDeterminant", kernel=_det_kernel, shape_fn=_det_shape, vjp=_det_vjp,
          jvp=_det_jvp, doc="Determinant of each square matrix.",
          view_of={})


def matrix_inverse(input: Any, adjoint: bool = False, name: str | None = None) -> Tensor:
    """``tf.matrix_inverse``: the inverse of each matrix (of its transpose if ``adjoint``)."""
    return apply_op("MatrixInverse", [convert_to_tensor(input)], {"adjoint": bool(adjoint)},
                    name=name).outputs[0]


def matrix_determinant(input: Any, name: str | None = None) -> Tensor:
    """``tf.matrix_determinant``: the determinant of each square matrix."""
    return apply_op("MatrixDeterminant", [convert_to_tensor(input)], name=name).outputs[0]


# ----------------------------------------------------------------------------------------
# MatrixSolve
# ----------------------------------------------------------------------------------------


def _solve_kernel(a: np.ndarray, b: np.ndarray, *, adjoint: bool = False) -> np.ndarray:
    return np.linalg.solve(np.swapaxes(a, -1, -2) if adjoint else a, b)


def _solve_shape(inputs: list, attrs: dict) -> list:
    a, b = inputs
    if a.dtype != b.dtype:
        raise TypeError(f"matrix and rhs must have the same dtype, got {a.dtype.name} and "
                        f"{b.dtype.name}")
    batch_a, m, _ = _matrix_dims(a, "matrix", square=True)
    batch_b, rows, k = _matrix_dims(b, "rhs")
    if not batch_a.is_compatible_with(batch_b) or None not in (m, rows) and m != rows:
        raise ValueError(f"rhs of shape {b.shape} does not match matrix of shape {a.shape} "
                         "(expected [..., M, M] and [..., M, K] with equal batch dims)")
    return [(batch_a.merge_with(batch_b).concatenate([m if m is not None else rows, k]),
             a.dtype)]


def _solve_vjp(op: Operation, g: Tensor) -> list:
    a, adj, x = op.inputs[0], op.get_attr("adjoint"), op.outputs[0]
    grad_b = matrix_solve(a, g, adjoint=not adj)
    grad_a = matmul(x, grad_b, transpose_b=True) if adj else \
        matmul(grad_b, x, transpose_b=True)
    return [negative(grad_a), grad_b]


def _solve_jvp(op: Operation, ta: Tensor | None, tb: Tensor | None) -> list:
    a, adj, x = op.inputs[0], op.get_attr("adjoint"), op.outputs[0]
    parts = [] if tb is None else [tb]
    if ta is not None:
        parts.append(negative(matmul(ta, x, transpose_a=adj)))
    return [matrix_solve(a, add_n(parts), adjoint=adj)]


define_op("MatrixSolve", kernel=_solve_kernel, shape_fn=_solve_shape, vjp=_solve_vjp,
          jvp=_solve_jvp, doc="Solves A X = B (or Aᵀ X = B) for each matrix in the batch.",
          view_of={})


def matrix_solve(matrix: Any, rhs: Any, adjoint: bool = False, name: str | None = None
                 ) -> Tensor:
    """``tf.matrix_solve``: X with ``matrix @ X = rhs`` (``matrix^T`` when ``adjoint``)."""
    a, b = convert_n([matrix, rhs], "MatrixSolve")
    return apply_op("MatrixSolve", [a, b], {"adjoint": bool(adjoint)}, name=name).outputs[0]


# ----------------------------------------------------------------------------------------
# Cholesky
# ----------------------------------------------------------------------------------------


def _cholesky_kernel(a: np.ndarray) -> np.ndarray:
    return np.linalg.cholesky(a)


def _phi(x: Tensor, n: int) -> Tensor:
    """The lower triangle of ``x`` with its diagonal halved."""
    mask = np.tril(np.ones((n, n)), -1) + 0.5 * np.eye(n)
    return multiply(x, constant(mask.astype(x.dtype.dtype), name="tril_half_diag"))


def _cholesky_vjp(op: Operation, g: Tensor) -> list:
    low = op.outputs[0]
    n = _static_size(low, -1, "Cholesky")
    inv = matrix_inverse(low)
    middle = _phi(matmul(low, g, transpose_a=True), n)
    s = matmul(inv, matmul(middle, inv), transpose_a=True)
    return [multiply(add(s, matrix_transpose(s)), 0.5)]


def _cholesky_jvp(op: Operation, t: Tensor | None) -> list:
    if t is None:
        return [None]
    low = op.outputs[0]
    n = _static_size(low, -1, "Cholesky")
    inv = matrix_inverse(low)
    sym = multiply(add(t, matrix_transpose(t)), 0.5)
    return [matmul(low, _phi(matmul(inv, matmul(sym, inv, transpose_b=True)), n))]


define_op("Cholesky", kernel=_cholesky_kernel, shape_fn=_square_shape, vjp=_cholesky_vjp,
          jvp=_cholesky_jvp,
          doc="Lower Cholesky factor of each symmetric positive-definite matrix (reads the "
              "lower triangle); its gradient is symmetrized, as TF's.",
          view_of={})


def cholesky(input: Any, name: str | None = None) -> Tensor:
    """``tf.cholesky``: lower-triangular L with ``L @ L^T = input``."""
    return apply_op("Cholesky", [convert_to_tensor(input)], name=name).outputs[0]


# ----------------------------------------------------------------------------------------
# Svd: outputs (s, u, v) in TF's order, v not transposed
# ----------------------------------------------------------------------------------------


def _svd_kernel(a: np.ndarray, *, full_matrices: bool, compute_uv: bool) -> Any:
    if not compute_uv:
        return np.linalg.svd(a, compute_uv=False)
    u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
    return s, u, np.swapaxes(vh, -1, -2)


def _svd_shape(inputs: list, attrs: dict) -> list:
    a = inputs[0]
    batch, m, n = _matrix_dims(a, "input")
    k = None if None in (m, n) else min(m, n)
    s = (batch.concatenate([k]) if batch.ndims is not None else TensorShape(None), a.dtype)
    if not attrs["compute_uv"]:
        return [s]
    cols_u, cols_v = (m, n) if attrs["full_matrices"] else (k, k)
    return [s, (batch.concatenate([m, cols_u]), a.dtype),
            (batch.concatenate([n, cols_v]), a.dtype)]


def _svd_factors(op: Operation) -> tuple[Tensor, Tensor, Tensor, int]:
    """(s, u, v, k) of an Svd op, recomputing u and v when it did not compute them."""
    a = op.inputs[0]
    m, n = _static_size(a, -2, "Svd"), _static_size(a, -1, "Svd")
    if not op.get_attr("compute_uv"):
        s, u, v = svd(a, compute_uv=True)
        return s, u, v, min(m, n)
    if op.get_attr("full_matrices") and m != n:
        raise ValueError(f"the gradient of Svd with full_matrices=True needs square "
                         f"matrices, got shape {a.shape}")
    s, u, v = op.outputs
    return s, u, v, min(m, n)


def _inverse_gaps(s: Tensor, k: int) -> Tensor:
    """F with ``F[i, j] = 1 / (s_j² - s_i²)`` off the diagonal and 0 on it."""
    s2 = multiply(s, s)
    eye = _eye(k, s)
    return subtract(divide(1.0, add(subtract(_row(s2), _col(s2)), eye)), eye)


def _skew(x: Tensor) -> Tensor:
    return subtract(x, matrix_transpose(x))


def _off_range(basis: Tensor, x: Tensor) -> Tensor:
    """``(I - B Bᵀ) x``: the part of x outside the span of the orthonormal columns of B."""
    return subtract(x, matmul(basis, matmul(basis, x, transpose_a=True)))


def _svd_vjp(op: Operation, *grads: Tensor) -> list:
    s, u, v, k = _svd_factors(op)
    gs = grads[0]
    inner = _diag(gs, k)
    if op.get_attr("compute_uv"):
        gu, gv = grads[1], grads[2]
        f = _inverse_gaps(s, k)
        j = multiply(f, _skew(matmul(u, gu, transpose_a=True)))
        kk = multiply(f, _skew(matmul(v, gv, transpose_a=True)))
        inner = add_n([inner, multiply(j, _row(s)), multiply(_col(s), kk)])
        left = add(matmul(u, inner), _off_range(u, divide(gu, _row(s))))
        right = matmul(u, _off_range(v, divide(gv, _row(s))), transpose_b=True)
        return [add(matmul(left, v, transpose_b=True), right)]
    return [matmul(matmul(u, inner), v, transpose_b=True)]


def _svd_jvp(op: Operation, t: Tensor | None) -> list:
    if t is None:
        return [None] * len(op.outputs)
    s, u, v, k = _svd_factors(op)
    p = matmul(u, matmul(t, v), transpose_a=True)
    ds = reduce_sum(multiply(p, _eye(k, p)), axis=-1)
    if not op.get_attr("compute_uv"):
        return [ds]
    f = _inverse_gaps(s, k)
    pt = matrix_transpose(p)
    du = add(matmul(u, multiply(f, add(multiply(p, _row(s)), multiply(_col(s), pt)))),
             divide(_off_range(u, matmul(t, v)), _row(s)))
    dv = add(matmul(v, multiply(f, add(multiply(_col(s), p), multiply(pt, _row(s))))),
             divide(_off_range(v, matmul(t, u, transpose_a=True)), _row(s)))
    return [ds, du, dv]


define_op("Svd", kernel=_svd_kernel, shape_fn=_svd_shape, vjp=_svd_vjp, jvp=_svd_jvp,
          doc="Singular values (descending) and, with compute_uv, the vectors u and v.",
          view_of={})


def svd(tensor: Any, full_matrices: bool = False, compute_uv: bool = True,
        name: str | None = None) -> Any:
    """``tf.svd``: ``(s, u, v)`` with ``tensor = u @ diag(s) @ v^T``; only s without uv."""
    op = apply_op("Svd", [convert_to_tensor(tensor)], {"full_matrices": bool(full_matrices),
                                                       "compute_uv": bool(compute_uv)},
                  name=name)
    return tuple(op.outputs) if compute_uv else op.outputs[0]

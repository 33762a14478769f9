"""More linear algebra: triangular solve, QR, the symmetric eigendecomposition and the log
determinant (ops with their VJPs and JVPs), and ``logdet``, ``cholesky_solve``, ``cross``
and ``norm`` built from ops."""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape, dimension_value
from .cast_ops import cast
from .comparison_ops import greater
from .einsum_ops import einsum
from .fill_ops import ones_like, zeros_like
from .framework import apply_op, constant, convert_n, convert_to_tensor
from .linalg_ops import (_matrix_dims, _solve_shape, _square_shape, cholesky, matrix_inverse,
                         matrix_transpose, svd)
from .math_ops import (abs, add, log, multiply, negative, pow, realdiv, sqrt, square,
                       subtract)
from .matmul_ops import matmul
from .matrix_ops import matrix_band_part, matrix_diag, matrix_diag_part, matrix_set_diag
from .op_util import op_scope
from .reduce_ops import reduce_max, reduce_sum
from .selection_ops import where_v2
from .shape_ops import expand_dims, squeeze
from .state_ops import identity

__all__ = [
    "matrix_triangular_solve", "qr", "self_adjoint_eig", "self_adjoint_eigvals",
    "cholesky_solve", "cross", "norm", "matrix_solve_ls",
]  # and logdet, slogdet, matvec, pinv, matrix_rank (tf.linalg only)


def _adjoint(x: Tensor) -> Tensor:
    return matrix_transpose(x, name="adjoint")


def _triangle(x: Tensor, lower: bool) -> Tensor:
    return matrix_band_part(x, -1, 0) if lower else matrix_band_part(x, 0, -1)


# ----------------------------------------------------------------------------------------
# MatrixTriangularSolve
# ----------------------------------------------------------------------------------------


def _triangular_solve_kernel(a: np.ndarray, b: np.ndarray, *, lower: bool, adjoint: bool
                             ) -> np.ndarray:
    tri = np.tril(a) if lower else np.triu(a)
    if adjoint:
        tri = np.swapaxes(tri, -1, -2)
    return np.linalg.solve(tri, b)


def _triangular_solve_vjp(op: Operation, g: Tensor) -> list:
    a = op.inputs[0]
    c = op.outputs[0]
    lower, adjoint = op.get_attr("lower"), op.get_attr("adjoint")
    grad_b = matrix_triangular_solve(a, g, lower=lower, adjoint=not adjoint)
    grad_a = negative(matmul(c, grad_b, transpose_b=True) if adjoint
                      else matmul(grad_b, c, transpose_b=True))
    return [_triangle(grad_a, lower), grad_b]


def _triangular_solve_jvp(op: Operation, ta: Tensor | None, tb: Tensor | None) -> list:
    if ta is None and tb is None:
        return [None]
    a, c = op.inputs[0], op.outputs[0]
    lower, adjoint = op.get_attr("lower"), op.get_attr("adjoint")
    rhs = tb if tb is not None else zeros_like(c)
    if ta is not None:
        used = _triangle(ta, lower)
        rhs = subtract(rhs, matmul(used, c, transpose_a=adjoint))
    return [matrix_triangular_solve(a, rhs, lower=lower, adjoint=adjoint)]


define_op("MatrixTriangularSolve", kernel=_triangular_solve_kernel,
          shape_fn=_solve_shape, vjp=_triangular_solve_vjp,
          jvp=_triangular_solve_jvp, view_of={}, fresh=True,
          doc="Solves a x = b with a lower (upper) triangular, reading only that triangle.")


def matrix_triangular_solve(matrix: Any, rhs: Any, lower: bool = True, adjoint: bool = False,
                            name: str | None = None) -> Tensor:
    """``tf.matrix_triangular_solve`` / ``tf.linalg.triangular_solve``: solves
    ``matrix @ x = rhs`` using only the lower (or upper) triangle of ``matrix``; with
    ``adjoint`` its transpose."""
    a, b = convert_n([matrix, rhs], "MatrixTriangularSolve")
    return apply_op("MatrixTriangularSolve", [a, b],
                    {"lower": bool(lower), "adjoint": bool(adjoint)}, name=name).outputs[0]


def _right_solve(x: Tensor, r: Tensor, transposed: bool = False) -> Tensor:
    """x @ inv(r) (with ``transposed``, x @ inv(r)^T) for upper-triangular r."""
    return _adjoint(matrix_triangular_solve(r, _adjoint(x), lower=False,
                                            adjoint=not transposed))


# ----------------------------------------------------------------------------------------
# Qr
# ----------------------------------------------------------------------------------------


def _qr_kernel(a: np.ndarray, *, full_matrices: bool) -> tuple[np.ndarray, np.ndarray]:
    q, r = np.linalg.qr(a, mode="complete" if full_matrices else "reduced")
    return q, r


def _qr_shape(inputs: list, attrs: dict) -> list:
    a = inputs[0]
    batch, rows, cols = _matrix_dims(a, "input")
    if batch.ndims is None:
        return [(TensorShape(None), a.dtype)] * 2
    k = None if rows is None or cols is None else min(rows, cols)
    q_cols = rows if attrs["full_matrices"] else k
    r_rows = rows if attrs["full_matrices"] else k
    b = batch.as_list()
    return [(TensorShape(b + [rows, q_cols]), a.dtype),
            (TensorShape(b + [r_rows, cols]), a.dtype)]


def _check_qr_differentiable(op: Operation) -> None:
    q, r = op.outputs
    rows = q.shape.as_tuple()[-2] if q.shape.ndims else None
    cols = r.shape.as_tuple()[-1] if r.shape.ndims else None
    if rows is None or cols is None or rows < cols or \
            (op.get_attr("full_matrices") and rows != cols):
        raise NotImplementedError(f"the derivative of qr is implemented for matrices with "
                                  f"known shape and rows >= columns (and full_matrices="
                                  f"False unless square), got Q {q.shape} and R {r.shape}")


def _qr_vjp(op: Operation, dq: Tensor | None, dr: Tensor | None) -> list:
    _check_qr_differentiable(op)
    q, r = op.outputs
    dq = zeros_like(q) if dq is None else dq
    dr = zeros_like(r) if dr is None else dr
    qdq = matmul(q, dq, transpose_a=True)
    rdr = matmul(r, dr, transpose_b=True)
    tril = matrix_band_part(add(subtract(qdq, _adjoint(qdq)), subtract(rdr, _adjoint(rdr))),
                            -1, 0)
    grad_a = matmul(q, add(dr, _right_solve(tril, r, transposed=True)))
    grad_b = _right_solve(subtract(dq, matmul(q, qdq)), r, transposed=True)
    return [add(grad_a, grad_b)]


def _qr_jvp(op: Operation, t: Tensor | None) -> list:
    if t is None:
        return [None, None]
    _check_qr_differentiable(op)
    q, r = op.outputs
    x = matmul(q, _right_solve(t, r), transpose_a=True)  # Q^T dA R^-1
    strict_lower = subtract(matrix_band_part(x, -1, 0), matrix_diag(matrix_diag_part(x)))
    upper = add(matrix_band_part(x, 0, -1), _adjoint(strict_lower))  # dR R^-1
    dr = matmul(upper, r)
    skew = subtract(strict_lower, _adjoint(strict_lower))  # Q^T dQ
    dq = add(subtract(_right_solve(t, r), matmul(q, x)), matmul(q, skew))
    return [dq, dr]


define_op("Qr", kernel=_qr_kernel, shape_fn=_qr_shape, vjp=_qr_vjp, jvp=_qr_jvp,
          view_of={}, none_output_grads=True,
          doc="QR decomposition: orthonormal Q, upper-triangular R (LAPACK's signs).")


class Qr(NamedTuple):
    """What ``qr`` returns (TF's namedtuple of the same name)."""

    q: Tensor
    r: Tensor


def qr(input: Any, full_matrices: bool = False, name: str | None = None) -> Qr:
    """``tf.qr`` / ``tf.linalg.qr``: ``(q, r)`` with ``input = q @ r``. The signs of R's
    diagonal are LAPACK's; the derivative needs rows >= columns."""
    op = apply_op("Qr", [convert_to_tensor(input)], {"full_matrices": bool(full_matrices)},
                  name=name)
    return Qr(op.outputs[0], op.outputs[1])


# ----------------------------------------------------------------------------------------
# SelfAdjointEigV2
# ----------------------------------------------------------------------------------------


def _eigh_kernel(a: np.ndarray, *, compute_v: bool) -> Any:
    e, v = np.linalg.eigh(a, UPLO="L")
    return (e, v) if compute_v else (e, np.zeros((0,), a.dtype))


def _eigh_shape(inputs: list, attrs: dict) -> list:
    a = inputs[0]
    _square_shape(inputs, attrs)
    e = TensorShape(None) if a.shape.ndims is None else TensorShape(a.shape.as_list()[:-1])
    v = a.shape if attrs["compute_v"] else TensorShape([0])
    return [(e, a.dtype), (v, a.dtype)]


def _eigen_gaps(e: Tensor) -> Tensor:
    """F[..., i, j] = 1 / (e_j - e_i) off the diagonal, 0 on it."""
    gaps = subtract(expand_dims(e, -2), expand_dims(e, -1))
    safe = matrix_set_diag(gaps, ones_like(e))  # no 1/0 on the diagonal
    return matrix_set_diag(realdiv(1, safe), zeros_like(e))


def _eigh_vjp(op: Operation, ge: Tensor | None, gv: Tensor | None) -> list:
    e, v = op.outputs
    if not op.get_attr("compute_v"):
        v = self_adjoint_eig(op.inputs[0])[1]
        gv = None
    inner = matrix_diag(zeros_like(e) if ge is None else ge)
    if gv is not None:
        inner = add(inner, multiply(_eigen_gaps(e), matmul(v, gv, transpose_a=True)))
    grad = matmul(v, matmul(inner, v, transpose_b=True))
    grad = matrix_band_part(add(grad, _adjoint(grad)), -1, 0)
    return [matrix_set_diag(grad, multiply(matrix_diag_part(grad), 0.5))]


def _eigh_jvp(op: Operation, t: Tensor | None) -> list:
    if t is None:
        return [None, None]
    e, v = op.outputs
    if not op.get_attr("compute_v"):
        v = self_adjoint_eig(op.inputs[0])[1]
    lower = matrix_band_part(t, -1, 0)
    sym = subtract(add(lower, _adjoint(lower)), matrix_diag(matrix_diag_part(t)))
    rotated = matmul(v, matmul(sym, v), transpose_a=True)
    de = matrix_diag_part(rotated)
    if not op.get_attr("compute_v"):
        return [de, None]
    return [de, matmul(v, multiply(_eigen_gaps(e), rotated))]


define_op("SelfAdjointEigV2", kernel=_eigh_kernel, shape_fn=_eigh_shape, vjp=_eigh_vjp,
          jvp=_eigh_jvp, view_of={}, none_output_grads=True,
          doc="Eigenvalues (ascending) and eigenvectors of symmetric matrices, read from "
              "the lower triangle.")


def self_adjoint_eig(tensor: Any, name: str | None = None) -> tuple[Tensor, Tensor]:
    """``tf.self_adjoint_eig`` / ``tf.linalg.eigh``: ``(e, v)``, eigenvalues ascending and
    eigenvectors as columns, of symmetric matrices (only the lower triangle is read; the
    eigenvectors' signs are LAPACK's)."""
    op = apply_op("SelfAdjointEigV2", [convert_to_tensor(tensor)], {"compute_v": True},
                  name=name)
    return op.outputs[0], op.outputs[1]


def self_adjoint_eigvals(tensor: Any, name: str | None = None) -> Tensor:
    """``tf.self_adjoint_eigvals`` / ``tf.linalg.eigvalsh``: eigenvalues, ascending."""
    return apply_op("SelfAdjointEigV2", [convert_to_tensor(tensor)], {"compute_v": False},
                    name=name).outputs[0]


# ----------------------------------------------------------------------------------------
# LogMatrixDeterminant
# ----------------------------------------------------------------------------------------


def _slogdet_kernel(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    sign, logabs = np.linalg.slogdet(a)
    return sign.astype(a.dtype), logabs.astype(a.dtype)


def _slogdet_shape(inputs: list, attrs: dict) -> list:
    a = inputs[0]
    batch, _, _ = _matrix_dims(a, "input", square=True)
    return [(batch, a.dtype), (batch, a.dtype)]


def _batch_scaled(g: Tensor, m: Tensor) -> Tensor:
    return multiply(expand_dims(expand_dims(g, -1), -1), m)


def _slogdet_vjp(op: Operation, g_sign: Any, g: Tensor | None) -> list:
    if g is None:
        return [None]
    return [_batch_scaled(g, matrix_inverse(op.inputs[0], adjoint=True))]


def _slogdet_jvp(op: Operation, t: Tensor | None) -> list:
    if t is None:
        return [None, None]
    return [None, reduce_sum(matrix_diag_part(matmul(matrix_inverse(op.inputs[0]), t)), -1)]


define_op("LogMatrixDeterminant", kernel=_slogdet_kernel, shape_fn=_slogdet_shape,
          vjp=_slogdet_vjp, jvp=_slogdet_jvp, view_of={}, none_output_grads=True,
          doc="Sign and log |det| of square matrices.")


def slogdet(input: Any, name: str | None = None) -> tuple[Tensor, Tensor]:
    """``tf.linalg.slogdet``: ``(sign, log_abs_determinant)`` of square matrices."""
    op = apply_op("LogMatrixDeterminant", [convert_to_tensor(input)], name=name)
    return op.outputs[0], op.outputs[1]


def logdet(matrix: Any, name: str | None = None) -> Tensor:
    """``tf.linalg.logdet``: log det of Hermitian positive-definite matrices, as
    ``2 * sum(log(diag(cholesky(matrix))))``."""
    with op_scope(name, "logdet", [matrix]) as scope:
        chol = cholesky(convert_to_tensor(matrix))
        return multiply(reduce_sum(log(matrix_diag_part(chol)), -1), 2.0, name=scope)


def cholesky_solve(chol: Any, rhs: Any, name: str | None = None) -> Tensor:
    """``tf.cholesky_solve``: solves ``A x = rhs`` given ``chol``, the lower Cholesky
    factor of ``A``, by two triangular solves."""
    with op_scope(name, "cholesky_solve", [chol, rhs]) as scope:
        y = matrix_triangular_solve(chol, rhs, lower=True, adjoint=False)
        return matrix_triangular_solve(chol, y, lower=True, adjoint=True, name=scope)


# ----------------------------------------------------------------------------------------
# cross, norm
# ----------------------------------------------------------------------------------------

_LEVI_CIVITA = np.zeros((3, 3, 3))
for _i, _j, _k in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
    _LEVI_CIVITA[_i, _j, _k], _LEVI_CIVITA[_i, _k, _j] = 1, -1


def cross(a: Any, b: Any, name: str | None = None) -> Tensor:
    """``tf.cross`` / ``tf.linalg.cross``: the cross product of 3-vectors along the last
    axis (shapes must match)."""
    a, b = convert_n([a, b], "Cross")
    for t, what in ((a, "a"), (b, "b")):
        if t.shape.ndims is not None and t.shape.as_tuple()[-1] not in (None, 3):
            raise ValueError(f"cross: {what} must have a last dimension of 3, got shape "
                             f"{t.shape}")
    if not a.shape.is_compatible_with(b.shape):
        raise ValueError(f"cross: a {a.shape} and b {b.shape} must have the same shape")
    with op_scope(name, "Cross", [a, b]) as scope:
        eps = constant(_LEVI_CIVITA.astype(a.dtype.dtype), name="levi_civita")
        return einsum("ijk,...j,...k->...i", eps, a, b, name=scope)


def _vector_norm(x: Tensor, ord: Any, axis: Any, keepdims: bool) -> Tensor:
    if ord in ("euclidean", 2, 2.0, "fro"):
        return sqrt(reduce_sum(square(x), axis, keepdims=keepdims))
    if ord in (1, 1.0):
        return reduce_sum(abs(x), axis, keepdims=keepdims)
    if ord == np.inf:
        return reduce_max(abs(x), axis, keepdims=keepdims)
    if isinstance(ord, (int, float)) and ord > 0:
        total = reduce_sum(pow(abs(x), float(ord)), axis, keepdims=keepdims)
        return pow(total, 1.0 / ord)
    raise ValueError(f"norm: ord must be 'euclidean', 'fro', a positive number or inf, "
                     f"got {ord!r}")


def _matrix_norm(x: Tensor, ord: Any, axes: list[int], keepdims: bool) -> Tensor:
    rows, cols = axes
    if ord in ("euclidean", "fro"):
        return sqrt(reduce_sum(square(x), axes, keepdims=keepdims))
    if ord in (1, np.inf):
        summed, other = (rows, cols) if ord == 1 else (cols, rows)
        sums = reduce_sum(abs(x), summed, keepdims=True)
        result = reduce_max(sums, other, keepdims=True)
        return result if keepdims else reduce_sum(result, axes)
    if ord == 2 and x.shape.ndims is not None and sorted(a % x.shape.ndims for a in axes) \
            == [x.shape.ndims - 2, x.shape.ndims - 1]:
        largest = reduce_max(svd(x, compute_uv=False), -1)
        return expand_dims(expand_dims(largest, -1), -1) if keepdims else largest
    raise ValueError(f"norm: for matrices ord must be 'euclidean', 'fro', 1, inf, or 2 over "
                     f"the last two axes, got {ord!r} over axes {axes}")


def norm(tensor: Any, ord: Any = "euclidean", axis: Any = None, keepdims: bool | None = None,
         name: str | None = None, keep_dims: bool | None = None) -> Tensor:
    """``tf.norm``: the vector norm over ``axis`` (an int, or None for all entries) or the
    matrix norm over a pair of axes."""
    if keepdims is not None and keep_dims is not None:
        raise ValueError("Cannot specify both 'keepdims' and 'keep_dims'")
    keep = bool(keepdims if keepdims is not None else keep_dims)
    with op_scope(name, "norm", [tensor]) as scope:
        x = convert_to_tensor(tensor)
        if isinstance(axis, (list, tuple)) and len(axis) == 2:
            result = _matrix_norm(x, ord, list(axis), keep)
        elif isinstance(axis, (list, tuple)) and len(axis) != 1:
            raise ValueError(f"norm: axis must be None, an int or a pair of ints, got {axis}")
        else:
            if ord == "fro" and axis is not None:
                raise ValueError("norm: ord='fro' needs a pair of axes")
            result = _vector_norm(x, ord, axis, keep)
        return identity(result, name=scope)


# ----------------------------------------------------------------------------------------
# matvec, pinv, matrix_rank, least squares
# ----------------------------------------------------------------------------------------


def matvec(a: Any, b: Any, transpose_a: bool = False, adjoint_a: bool = False,
           a_is_sparse: bool = False, b_is_sparse: bool = False, name: str | None = None
           ) -> Tensor:
    """``tf.linalg.matvec``: matrix ``a`` (``[..., M, N]``) times vector ``b`` (``[..., N]``)."""
    del a_is_sparse, b_is_sparse  # hints only
    with op_scope(name, "MatVec", [a, b]) as scope:
        product = matmul(a, expand_dims(convert_to_tensor(b), -1),
                         transpose_a=transpose_a or adjoint_a)
        return squeeze(product, [-1], name=scope)


def _default_tolerance(a: Tensor, s: Tensor, scale: float) -> Tensor:
    rows, cols = dimension_value(a.shape[-2]), dimension_value(a.shape[-1])
    if rows is None or cols is None:
        raise ValueError(f"the default tolerance needs known matrix dimensions, got shape "
                         f"{a.shape}")
    eps = float(np.finfo(a.dtype.dtype).eps)
    return multiply(reduce_max(s, -1, keepdims=True), scale * max(rows, cols) * eps)


def pinv(a: Any, rcond: Any = None, validate_args: bool = False, name: str | None = None
         ) -> Tensor:
    """``tf.linalg.pinv``: the Moore-Penrose pseudo-inverse from the SVD; singular values
    at most ``rcond * max(s)`` (default ``10 * max(M, N) * eps``) count as zero."""
    del validate_args
    with op_scope(name, "pinv", [a]) as scope:
        a = convert_to_tensor(a)
        s, u, v = svd(a)
        cutoff = (_default_tolerance(a, s, 10.0) if rcond is None
                  else multiply(reduce_max(s, -1, keepdims=True), rcond))
        kept = where_v2(greater(s, cutoff), s, np.inf)
        return matmul(realdiv(v, expand_dims(kept, -2)), u, transpose_b=True, name=scope)


def matrix_rank(a: Any, tol: Any = None, validate_args: bool = False,
                name: str | None = None) -> Tensor:
    """``tf.linalg.matrix_rank``: the number of singular values above ``tol`` (default
    ``max(M, N) * eps * max(s)``), int32."""
    del validate_args
    with op_scope(name, "matrix_rank", [a]) as scope:
        a = convert_to_tensor(a)
        s = svd(a, compute_uv=False)
        threshold = _default_tolerance(a, s, 1.0) if tol is None else tol
        return reduce_sum(cast(greater(s, threshold), dtypes.int32), -1, name=scope)


def matrix_solve_ls(matrix: Any, rhs: Any, l2_regularizer: float = 0.0, fast: bool = True,
                    name: str | None = None) -> Tensor:
    """``tf.matrix_solve_ls`` / ``tf.linalg.lstsq``: the regularized least-squares
    solution by TF's fast path, the Cholesky-solved normal equations
    (``(AᵀA + λI) x = Aᵀb`` for tall A, ``x = Aᵀ (AAᵀ + λI)⁻¹ b`` for wide A)."""
    if not fast:
        raise NotImplementedError("matrix_solve_ls(fast=False) (complete orthogonal "
                                  "decomposition) is not implemented; fast=True is")
    with op_scope(name, "matrix_solve_ls", [matrix, rhs]) as scope:
        a, b = convert_n([matrix, rhs], "MatrixSolveLs")
        rows, cols = dimension_value(a.shape[-2]), dimension_value(a.shape[-1])
        if rows is None or cols is None:
            raise ValueError(f"matrix_solve_ls needs known matrix dimensions, got shape "
                             f"{a.shape}")
        tall = rows >= cols
        gram = matmul(a, a, transpose_a=tall, transpose_b=not tall)
        if l2_regularizer:
            n = cols if tall else rows
            gram = add(gram, constant(float(l2_regularizer) * np.eye(n, dtype=a.dtype.dtype)))
        chol = cholesky(gram)
        if tall:
            return cholesky_solve(chol, matmul(a, b, transpose_a=True), name=scope)
        return matmul(a, cholesky_solve(chol, b), transpose_a=True, name=scope)

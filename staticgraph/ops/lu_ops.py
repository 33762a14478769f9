"""The LU decomposition with partial pivoting (``tf.linalg.lu``: packed ``lu`` and the row
permutation ``p`` with ``A[p] = L @ U``) with its VJP and JVP, and ``lu_solve``,
``lu_matrix_inverse`` and ``lu_reconstruct`` built from graph ops."""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .decomposition_ops import matrix_triangular_solve
from .fill_ops import ones_like, zeros_like
from .framework import apply_op, convert_to_tensor
from .gather_ops import one_hot
from .linalg_ops import _matrix_dims, _static_size, matrix_transpose
from .math_ops import add, subtract
from .matmul_ops import matmul
from .matrix_ops import matrix_band_part, matrix_diag_part, matrix_set_diag
from .op_util import op_scope

__all__ = ["lu", "lu_solve", "lu_matrix_inverse", "lu_reconstruct"]


def _lu_kernel(a: np.ndarray, *, output_idx_type: Any) -> tuple[np.ndarray, np.ndarray]:
    """Doolittle elimination with partial pivoting, vectorized over the batch."""
    n = a.shape[-1]
    batch = a.shape[:-2]
    lu = a.reshape((-1, n, n)).copy()
    perm = np.tile(np.arange(n), (lu.shape[0], 1))
    rows = np.arange(lu.shape[0])
    for k in range(n):
        pivot = k + np.argmax(np.abs(lu[:, k:, k]), axis=1)
        lu[rows, k], lu[rows, pivot] = lu[rows, pivot].copy(), lu[rows, k].copy()
        perm[rows, k], perm[rows, pivot] = perm[rows, pivot].copy(), perm[rows, k].copy()
        with np.errstate(divide="ignore", invalid="ignore"):
            lu[:, k + 1:, k] /= lu[:, k:k + 1, k]
        lu[:, k + 1:, k + 1:] -= lu[:, k + 1:, k:k + 1] * lu[:, k:k + 1, k + 1:]
    return lu.reshape(a.shape), perm.reshape(batch + (n,)).astype(output_idx_type.dtype)


def _lu_shape(inputs: list, attrs: dict) -> list:
    a = inputs[0]
    _matrix_dims(a, "input", square=True)
    perm = TensorShape(None) if a.shape.ndims is None else TensorShape(a.shape.as_list()[:-1])
    return [(a.shape, a.dtype), (perm, attrs["output_idx_type"])]


def _unit_lower(lower_upper: Tensor) -> Tensor:
    """L: the strictly lower part of the packed factors with ones on the diagonal."""
    return matrix_set_diag(matrix_band_part(lower_upper, -1, 0),
                           ones_like(matrix_diag_part(lower_upper)))


def _strictly_lower(x: Tensor) -> Tensor:
    return subtract(matrix_band_part(x, -1, 0), matrix_set_diag(zeros_like(x),
                                                                 matrix_diag_part(x)))


def _permutation_matrix(perm: Tensor, like: Tensor) -> Tensor:
    """P with ``(P @ A)[i] = A[perm[i]]``."""
    return one_hot(perm, _static_size(like, -1, "the LU permutation"), dtype=like.dtype)


def _lu_vjp(op: Operation, g: Tensor | None, _: Tensor | None) -> list:
    if g is None:
        return [None]
    packed, perm = op.outputs
    lower, upper = _unit_lower(packed), matrix_band_part(packed, 0, -1)
    middle = add(_strictly_lower(matmul(lower, g, transpose_a=True)),
                 matrix_band_part(matmul(g, upper, transpose_b=True), 0, -1))
    left = matrix_triangular_solve(lower, middle, lower=True, adjoint=True)
    grad = matrix_transpose(matrix_triangular_solve(upper, matrix_transpose(left),
                                                    lower=False))
    return [matmul(_permutation_matrix(perm, packed), grad, transpose_a=True)]


def _lu_jvp(op: Operation, t: Tensor | None) -> list:
    if t is None:
        return [None, None]
    packed, perm = op.outputs
    lower, upper = _unit_lower(packed), matrix_band_part(packed, 0, -1)
    permuted = matmul(_permutation_matrix(perm, packed), t)
    left = matrix_triangular_solve(lower, permuted, lower=True)
    inner = matrix_transpose(matrix_triangular_solve(upper, matrix_transpose(left),
                                                     lower=False, adjoint=True))
    return [add(matmul(lower, _strictly_lower(inner)),
                matmul(matrix_band_part(inner, 0, -1), upper)), None]


define_op("Lu", kernel=_lu_kernel, shape_fn=_lu_shape, vjp=_lu_vjp, jvp=_lu_jvp,
          view_of={}, none_output_grads=True,
          doc="LU with partial pivoting: packed unit-lower L and upper U, row permutation.")


class Lu(NamedTuple):
    """What ``lu`` returns (TF's namedtuple of the same name)."""

    lu: Tensor
    p: Tensor


def lu(input: Any, output_idx_type: Any = dtypes.int32, name: str | None = None) -> Lu:
    """``tf.linalg.lu``: ``lu`` packs the unit-lower ``L`` (below the diagonal) and ``U``
    (on and above it), ``p`` is the row permutation: ``input[..., p, :] = L @ U``."""
    idx = dtypes.as_dtype(output_idx_type)
    if idx not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"lu: output_idx_type must be int32 or int64, got {idx.name}")
    op = apply_op("Lu", [convert_to_tensor(input)], {"output_idx_type": idx}, name=name)
    return Lu(op.outputs[0], op.outputs[1])


def _solve_with_factors(lower_upper: Tensor, perm: Tensor, rhs: Tensor) -> Tensor:
    permuted = matmul(_permutation_matrix(perm, lower_upper), rhs)
    y = matrix_triangular_solve(_unit_lower(lower_upper), permuted, lower=True)
    return matrix_triangular_solve(lower_upper, y, lower=False)


def lu_solve(lower_upper: Any, perm: Any, rhs: Any, validate_args: bool = False,
             name: str | None = None) -> Tensor:
    """``tf.linalg.lu_solve``: solves ``A x = rhs`` from ``A``'s factors ``lu(A)``."""
    del validate_args
    with op_scope(name, "lu_solve", [lower_upper, perm, rhs]):
        lower_upper, rhs = convert_to_tensor(lower_upper), convert_to_tensor(rhs)
        return _solve_with_factors(lower_upper, convert_to_tensor(perm), rhs)


def lu_matrix_inverse(lower_upper: Any, perm: Any, validate_args: bool = False,
                      name: str | None = None) -> Tensor:
    """``tf.linalg.lu_matrix_inverse``: ``inv(A)`` from ``A``'s factors ``lu(A)``."""
    del validate_args
    with op_scope(name, "lu_matrix_inverse", [lower_upper, perm]):
        lower_upper = convert_to_tensor(lower_upper)
        eye = matrix_set_diag(zeros_like(lower_upper), ones_like(matrix_diag_part(lower_upper)))
        return _solve_with_factors(lower_upper, convert_to_tensor(perm), eye)


def lu_reconstruct(lower_upper: Any, perm: Any, validate_args: bool = False,
                   name: str | None = None) -> Tensor:
    """``tf.linalg.lu_reconstruct``: ``A`` back from its factors ``lu(A)``."""
    del validate_args
    with op_scope(name, "lu_reconstruct", [lower_upper, perm]):
        lower_upper = convert_to_tensor(lower_upper)
        product = matmul(_unit_lower(lower_upper), matrix_band_part(lower_upper, 0, -1))
        return matmul(_permutation_matrix(convert_to_tensor(perm), lower_upper), product,
                      transpose_a=True)

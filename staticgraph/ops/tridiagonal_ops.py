"""Tridiagonal matrices: ``tf.linalg.tridiagonal_solve`` (an op whose VJP and JVP are
themselves tridiagonal solves and products), ``tridiagonal_matmul`` (elementwise products
of shifted rows), and ``eigh_tridiagonal``.

Diagonals come in TF's three formats: ``'compact'`` (``[..., 3, M]``: superdiagonal with
its last entry ignored, main diagonal, subdiagonal with its first entry ignored),
``'sequence'`` (those three ``[..., M]`` tensors) and ``'matrix'`` (``[..., M, M]``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from .composites import boolean_mask
from .decomposition_ops import self_adjoint_eig, self_adjoint_eigvals
from .fill_ops import zeros_like
from .framework import apply_op, convert_to_tensor
from .join_ops import concat
from .comparison_ops import greater, less_equal, logical_and
from .linalg_ops import matrix_transpose
from .math_ops import add, multiply, negative, subtract
from .matrix_ops import matrix_diag, matrix_diag_part
from .op_util import op_scope
from .reduce_ops import reduce_sum
from .shape_ops import expand_dims, squeeze
from .stack_ops import stack, unstack

__all__ = ["tridiagonal_solve", "tridiagonal_matmul", "eigh_tridiagonal",
           "compact_diagonals", "transpose_diagonals"]


# ----------------------------------------------------------------------------------------
# Formats
# ----------------------------------------------------------------------------------------


def _shift_down(x: Tensor) -> Tensor:
    """``y[..., i] = x[..., i - 1]``, zero at the first entry."""
    return concat([zeros_like(x[..., :1]), x[..., :-1]], -1)


def _shift_up(x: Tensor) -> Tensor:
    """``y[..., i] = x[..., i + 1]``, zero at the last entry."""
    return concat([x[..., 1:], zeros_like(x[..., :1])], -1)


def compact_diagonals(diagonals: Any, diagonals_format: str, what: str) -> Tensor:
    """Diagonals in any of TF's formats as a ``[..., 3, M]`` tensor (``what`` names the
    caller in errors)."""
    if diagonals_format == "compact":
        compact = convert_to_tensor(diagonals)
        if compact.shape.ndims is not None and (compact.shape.ndims < 2
                                                or compact.shape.as_tuple()[-2] not in (None, 3)):
            raise ValueError(f"{what}: compact diagonals must have shape [..., 3, M], got "
                             f"{compact.shape}")
        return compact
    if diagonals_format == "sequence":
        if not isinstance(diagonals, (list, tuple)) or len(diagonals) != 3:
            raise ValueError(f"{what}: diagonals in 'sequence' format must be three tensors "
                             f"(superdiagonal, main diagonal, subdiagonal)")
        return stack([convert_to_tensor(d) for d in diagonals], -2)
    if diagonals_format == "matrix":
        m = convert_to_tensor(diagonals)
        zero = zeros_like(matrix_diag_part(m)[..., :1])
        upper = concat([matrix_diag_part(m[..., :-1, 1:]), zero], -1)
        lower = concat([zero, matrix_diag_part(m[..., 1:, :-1])], -1)
        return stack([upper, matrix_diag_part(m), lower], -2)
    raise ValueError(f"{what}: unrecognized diagonals_format {diagonals_format!r} (expected "
                     f"'compact', 'sequence' or 'matrix')")


def transpose_diagonals(compact: Tensor) -> Tensor:
    """The compact diagonals of the transposed matrix."""
    upper, main, lower = unstack(compact, 3, axis=-2)
    return stack([_shift_up(lower), main, _shift_down(upper)], -2)


def _matmul_compact(compact: Tensor, rhs: Tensor) -> Tensor:
    upper, main, lower = (expand_dims(d, -1) for d in unstack(compact, 3, axis=-2))
    below = concat([rhs[..., 1:, :], zeros_like(rhs[..., :1, :])], -2)
    above = concat([zeros_like(rhs[..., :1, :]), rhs[..., :-1, :]], -2)
    return add(add(multiply(upper, below), multiply(main, rhs)), multiply(lower, above))


# ----------------------------------------------------------------------------------------
# TridiagonalSolve
# ----------------------------------------------------------------------------------------


def _dense(compact: np.ndarray) -> np.ndarray:
    upper, main, lower = compact[..., 0, :], compact[..., 1, :], compact[..., 2, :]
    m = main.shape[-1]
    dense = np.zeros(main.shape + (m,), compact.dtype)
    i = np.arange(m)
    dense[..., i, i] = main
    dense[..., i[:-1], i[1:]] = upper[..., :-1]
    dense[..., i[1:], i[:-1]] = lower[..., 1:]
    return dense


def _solve_kernel(compact: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.solve(_dense(compact), rhs)
    except np.linalg.LinAlgError:
        raise np.linalg.LinAlgError("TridiagonalSolve: the tridiagonal matrix is singular "
                                    "(use perturb_singular=False only with nonsingular "
                                    "matrices)") from None


def _solve_shape(inputs: list, attrs: dict) -> list:
    compact, rhs = inputs
    if not compact.dtype.is_floating or compact.dtype != rhs.dtype:
        raise TypeError(f"diagonals and rhs must have one floating dtype, got "
                        f"{compact.dtype.name} and {rhs.dtype.name}")
    if compact.shape.ndims is not None and rhs.shape.ndims is not None:
        if rhs.shape.ndims < 2 or compact.shape.ndims != rhs.shape.ndims:
            raise ValueError(f"rhs {rhs.shape} must be [..., M, K] for diagonals "
                             f"{compact.shape} of shape [..., 3, M]")
        m, rows = compact.shape.as_tuple()[-1], rhs.shape.as_tuple()[-2]
        if m is not None and rows is not None and m != rows:
            raise ValueError(f"diagonals of shape {compact.shape} (M = {m}) do not match "
                             f"rhs of shape {rhs.shape}")
    return [(rhs.shape, rhs.dtype)]


def _off_diagonal_grads(grad_rhs: Tensor, x: Tensor) -> Tensor:
    """The compact gradient of ``-grad_rhs @ x^T`` restricted to the three diagonals."""
    main = reduce_sum(multiply(grad_rhs, x), -1)
    upper = reduce_sum(multiply(grad_rhs[..., :-1, :], x[..., 1:, :]), -1)
    lower = reduce_sum(multiply(grad_rhs[..., 1:, :], x[..., :-1, :]), -1)
    zero = zeros_like(main[..., :1])
    return negative(stack([concat([upper, zero], -1), main, concat([zero, lower], -1)], -2))


def _solve_vjp(op: Operation, g: Tensor) -> list:
    compact, x = op.inputs[0], op.outputs[0]
    grad_rhs = _solve_op(transpose_diagonals(compact), g)
    return [_off_diagonal_grads(grad_rhs, x), grad_rhs]


def _solve_jvp(op: Operation, t_diag: Tensor | None, t_rhs: Tensor | None) -> list:
    if t_diag is None and t_rhs is None:
        return [None]
    compact, x = op.inputs[0], op.outputs[0]
    rhs = zeros_like(x) if t_rhs is None else t_rhs
    if t_diag is not None:
        rhs = subtract(rhs, _matmul_compact(t_diag, x))
    return [_solve_op(compact, rhs)]


define_op("TridiagonalSolve", kernel=_solve_kernel, shape_fn=_solve_shape, vjp=_solve_vjp,
          jvp=_solve_jvp, view_of={},
          doc="Solves A x = rhs for A given by its compact [..., 3, M] diagonals.")


def _solve_op(compact: Tensor, rhs: Tensor, name: str | None = None) -> Tensor:
    return apply_op("TridiagonalSolve", [compact, rhs], name=name).outputs[0]


def tridiagonal_solve(diagonals: Any, rhs: Any, diagonals_format: str = "compact",
                      transpose_rhs: bool = False, conjugate_rhs: bool = False,
                      name: str | None = None, partial_pivoting: bool = True,
                      perturb_singular: bool = False) -> Tensor:
    """``tf.linalg.tridiagonal_solve``: solves ``A x = rhs`` for tridiagonal ``A``;
    ``rhs`` is ``[..., M, K]`` or ``[..., M]`` (``[..., K, M]`` with ``transpose_rhs``).
    The solve always pivots (``partial_pivoting`` only chooses how TF's kernel works);
    ``conjugate_rhs`` has no effect on real values; a singular matrix is an error."""
    del partial_pivoting, conjugate_rhs
    if perturb_singular:
        raise NotImplementedError("tridiagonal_solve(perturb_singular=True) is not "
                                  "implemented in staticgraph")
    with op_scope(name, "tridiagonal_solve", [rhs]) as scope:
        compact = compact_diagonals(diagonals, diagonals_format, "tridiagonal_solve")
        rhs = convert_to_tensor(rhs, dtype=compact.dtype)
        vector = rhs.shape.ndims is not None and compact.shape.ndims is not None and \
            rhs.shape.ndims == compact.shape.ndims - 1
        if vector:
            return squeeze(_solve_op(compact, expand_dims(rhs, -1)), [-1], name=scope)
        if transpose_rhs:
            rhs = matrix_transpose(rhs)
        return _solve_op(compact, rhs, name=scope)


def tridiagonal_matmul(diagonals: Any, rhs: Any, diagonals_format: str = "compact",
                       name: str | None = None) -> Tensor:
    """``tf.linalg.tridiagonal_matmul``: ``A @ rhs`` for tridiagonal ``A`` (``rhs`` is
    ``[..., M, N]``), in ``O(M N)`` from shifted rows of ``rhs``."""
    with op_scope(name, "tridiagonal_matmul", [rhs]):
        compact = compact_diagonals(diagonals, diagonals_format, "tridiagonal_matmul")
        rhs = convert_to_tensor(rhs, dtype=compact.dtype)
        return _matmul_compact(compact, rhs)


def eigh_tridiagonal(alpha: Any, beta: Any, eigvals_only: bool = True, select: str = "a",
                     select_range: Any = None, tol: Any = None, name: str | None = None
                     ) -> Any:
    """``tf.linalg.eigh_tridiagonal``: eigenvalues (ascending) and, unless
    ``eigvals_only``, eigenvectors (columns) of the symmetric tridiagonal matrix with
    diagonal ``alpha`` (``[n]``) and off-diagonal ``beta`` (``[n - 1]``). ``select``:
    ``'a'`` all, ``'i'`` the indices ``select_range[0] .. select_range[1]`` (inclusive),
    ``'v'`` the eigenvalues in ``(select_range[0], select_range[1]]``. ``tol`` is not
    needed by the dense eigensolver used here and is ignored."""
    del tol
    if select not in ("a", "i", "v"):
        raise ValueError(f"eigh_tridiagonal: select must be 'a', 'i' or 'v', got {select!r}")
    if select != "a" and (select_range is None or len(select_range) != 2):
        raise ValueError(f"eigh_tridiagonal: select={select!r} needs select_range=(lo, hi)")
    with op_scope(name, "eigh_tridiagonal", [alpha, beta]):
        alpha = convert_to_tensor(alpha)
        beta = convert_to_tensor(beta, dtype=alpha.dtype)
        off = concat([beta, zeros_like(alpha[..., :1])], -1)
        dense = add(matrix_diag(alpha), add(_upper_matrix(off), _upper_matrix(off, True)))
        if eigvals_only:
            values, vectors = self_adjoint_eigvals(dense), None
        else:
            values, vectors = self_adjoint_eig(dense)
        if select == "i":
            lo, hi = int(select_range[0]), int(select_range[1])
            values = values[lo:hi + 1]
            vectors = None if vectors is None else vectors[:, lo:hi + 1]
        elif select == "v":
            keep = logical_and(greater(values, select_range[0]),
                               less_equal(values, select_range[1]))
            values = boolean_mask(values, keep)
            vectors = None if vectors is None else boolean_mask(vectors, keep, axis=1)
        return values if eigvals_only else (values, vectors)


def _upper_matrix(off: Tensor, lower: bool = False) -> Tensor:
    """The matrix with ``off[:-1]`` on its super (``lower``: sub) diagonal."""
    on_diagonal = matrix_diag(off)  # then shifted one column to the right
    shifted = concat([zeros_like(on_diagonal[..., :1]), on_diagonal[..., :-1]], -1)
    return matrix_transpose(shifted) if lower else shifted

"""Operators with a banded or constant-diagonal structure: ``LinearOperatorTridiag``
(tridiagonal products and solves) and ``LinearOperatorToeplitz`` (constant diagonals,
built from its first column and row)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core.graph import Tensor
from ..core.shapes import TensorShape, broadcast_shapes
from ..ops.fill_ops import zeros_like
from ..ops.framework import constant, convert_to_tensor
from ..ops.gather_ops import gather
from ..ops.join_ops import concat
from ..ops.math_ops import add, conj
from ..ops.matrix_ops import matrix_diag
from ..ops.reduce_ops import reduce_sum
from ..ops.shape_ops import reverse
from ..ops.stack_ops import unstack
from ..ops.tridiagonal_ops import (compact_diagonals, transpose_diagonals, tridiagonal_matmul,
                                   tridiagonal_solve)
from .base import LinearOperator, tensor_adjoint

__all__ = ["LinearOperatorTridiag", "LinearOperatorToeplitz"]


def _hints(kwargs: dict) -> dict:
    return {k: v for k, v in kwargs.items() if k.startswith("is_")}


class LinearOperatorTridiag(LinearOperator):
    """``tf.linalg.LinearOperatorTridiag``: a tridiagonal matrix from its diagonals in
    TF's ``'compact'``, ``'sequence'`` or ``'matrix'`` format; products and solves use
    ``tridiagonal_matmul`` and ``tridiagonal_solve``."""

    def __init__(self, diagonals: Any, diagonals_format: str = "compact",
                 is_non_singular: bool | None = None, is_self_adjoint: bool | None = None,
                 is_positive_definite: bool | None = None, is_square: bool | None = None,
                 name: str = "LinearOperatorTridiag") -> None:
        if is_square is False:
            raise ValueError("A tridiagonal operator is always square.")
        self._compact = compact_diagonals(diagonals, diagonals_format,
                                          "LinearOperatorTridiag")
        self.diagonals, self.diagonals_format = diagonals, diagonals_format
        super().__init__(self._compact.dtype, name=name,
                         parameters={"diagonals": diagonals,
                                     "diagonals_format": diagonals_format},
                         **_hints(locals()))

    def _shape(self) -> TensorShape:
        d = self._compact.shape
        if d.ndims is None:
            return TensorShape(None)
        dims = d.as_list()
        return TensorShape(dims[:-2] + [dims[-1], dims[-1]])

    def _diagonals(self, adjoint: bool) -> Tensor:
        return conj(transpose_diagonals(self._compact)) if adjoint else self._compact

    def _to_dense(self) -> Tensor:
        upper, main, lower = unstack(self._compact, 3, axis=-2)
        on_upper = matrix_diag(upper)[..., :, :-1]  # then shifted one column right
        on_lower = matrix_diag(lower)[..., :, 1:]  # then shifted one column left
        zero_col = zeros_like(on_upper[..., :, :1])
        return add(add(matrix_diag(main), concat([zero_col, on_upper], -1)),
                   concat([on_lower, zero_col], -1))

    def _matmul(self, x: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        x = tensor_adjoint(x) if adjoint_arg else x
        return tridiagonal_matmul(self._diagonals(adjoint), x)

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        rhs = tensor_adjoint(rhs) if adjoint_arg else rhs
        return tridiagonal_solve(self._diagonals(adjoint), rhs)

    def _diag_part(self) -> Tensor:
        return unstack(self._compact, 3, axis=-2)[1]

    def _trace(self) -> Tensor:
        return reduce_sum(self._diag_part(), -1)


class LinearOperatorToeplitz(LinearOperator):
    """``tf.linalg.LinearOperatorToeplitz``: ``T[i, j] = col[i - j]`` on and below the
    diagonal and ``row[j - i]`` above it (``row[0]`` is ignored, as in TF); the matrix is
    gathered from the ``2N - 1`` distinct values."""

    def __init__(self, col: Any, row: Any, is_non_singular: bool | None = None,
                 is_self_adjoint: bool | None = None, is_positive_definite: bool | None = None,
                 is_square: bool | None = None, name: str = "LinearOperatorToeplitz") -> None:
        if is_square is False:
            raise ValueError("A Toeplitz operator is always square.")
        self.col = convert_to_tensor(col)
        self.row = convert_to_tensor(row, dtype=self.col.dtype)
        n_col = self.col.shape.as_tuple()[-1] if self.col.shape.ndims else None
        n_row = self.row.shape.as_tuple()[-1] if self.row.shape.ndims else None
        if n_col is None or n_row is None or n_col != n_row:
            raise ValueError(f"LinearOperatorToeplitz: col {self.col.shape} and row "
                             f"{self.row.shape} must have one known last dimension")
        super().__init__(self.col.dtype, graph_parents=[self.col, self.row], name=name,
                         parameters={"col": col, "row": row}, **_hints(locals()))

    def _shape(self) -> TensorShape:
        batch = broadcast_shapes(self.col.shape[:-1], self.row.shape[:-1])
        n = self.col.shape.as_list()[-1]
        return TensorShape(batch.as_list() + [n, n])

    def _to_dense(self) -> Tensor:
        n = self.domain_dimension
        values = concat([reverse(self.row[..., 1:], [-1]), self.col], -1)
        batch = self.batch_shape.as_list()
        values = add(values, constant(np.zeros(batch + [2 * n - 1]), dtype=self.dtype))
        index = (n - 1) + np.arange(n)[:, None] - np.arange(n)[None, :]
        return gather(values, constant(index.astype(np.int32)), axis=-1)

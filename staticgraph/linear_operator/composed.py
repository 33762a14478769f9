"""Operators built from other operators: ``LinearOperatorBlockDiag``,
``LinearOperatorBlockLowerTriangular``, ``LinearOperatorKronecker`` and
``LinearOperatorLowRankUpdate``. Each applies its parts rather than a dense matrix:
block operators split the argument's rows, a Kronecker product applies its factors one
axis at a time, a low-rank update solves by the Woodbury identity."""
from __future__ import annotations

from typing import Any, Callable, Sequence

from ..core.graph import Tensor
from ..core.shapes import TensorShape, broadcast_all
from ..ops.decomposition_ops import slogdet
from ..ops.einsum_ops import einsum
from ..ops.fill_ops import zeros
from ..ops.framework import convert_to_tensor
from ..ops.join_ops import concat, split
from ..ops.linalg_ops import matrix_determinant, matrix_solve
from ..ops.math_ops import abs, add, conj, log, multiply, pow, reciprocal, subtract
from ..ops.matmul_ops import matmul
from ..ops.matrix_ops import matrix_diag
from ..ops.reduce_ops import reduce_prod, reduce_sum
from ..ops.shape_ops import expand_dims, reshape, transpose
from .base import (LinearOperator, broadcast_product, broadcast_sum, match_batch,
                   tensor_adjoint)
from .basic import LinearOperatorIdentity

__all__ = ["LinearOperatorBlockDiag", "LinearOperatorBlockLowerTriangular",
           "LinearOperatorKronecker", "LinearOperatorLowRankUpdate"]


def _common_dtype(operators: Sequence[LinearOperator], cls: str) -> Any:
    if not operators:
        raise ValueError(f"{cls}: expected a non-empty list of operators")
    if len({op.dtype for op in operators}) != 1:
        raise TypeError(f"{cls}: operators must share one dtype, got "
                        f"{[op.dtype.name for op in operators]}")
    return operators[0].dtype


def _static_dims(operators: Sequence[LinearOperator], cls: str) -> None:
    for op in operators:
        if op.shape.ndims is None or None in op.shape.as_list():
            raise ValueError(f"{cls}: every operator needs a fully known shape, {op.name} has "
                             f"{op.shape}")


def _arg(x: Tensor, adjoint_arg: bool) -> Tensor:
    return tensor_adjoint(x) if adjoint_arg else x


def _broadcast_to(t: Tensor, batch: list) -> Tensor:
    """``t`` (``[..., M, N]``) broadcast over ``batch``."""
    dims = t.shape.as_list()
    return add(t, zeros(batch + dims[-2:], dtype=t.dtype)) if dims[:-2] != batch else t


class _BlockOperator(LinearOperator):
    """What block-diagonal and block-lower-triangular operators share: the diagonal
    blocks give the sizes, the determinant, the trace and the diagonal."""

    _diagonal: list[LinearOperator]

    def _batch(self) -> list:
        return broadcast_all(op.batch_shape for op in self._all()).as_list()

    def _all(self) -> list[LinearOperator]:
        return self._diagonal

    def _shape(self) -> TensorShape:
        rows = sum(op.range_dimension for op in self._diagonal)
        cols = sum(op.domain_dimension for op in self._diagonal)
        return TensorShape(self._batch() + [rows, cols])

    def _split(self, x: Tensor, by_range: bool) -> list[Tensor]:
        sizes = [op.range_dimension if by_range else op.domain_dimension
                 for op in self._diagonal]
        return split(x, sizes, axis=-2) if len(sizes) > 1 else [x]

    def _dense_rows(self, block: Callable[[int, int], Tensor | None]) -> Tensor:
        batch, rows = self._batch(), []
        for i, row_op in enumerate(self._diagonal):
            parts = []
            for j, col_op in enumerate(self._diagonal):
                dense = block(i, j)
                parts.append(zeros(batch + [row_op.range_dimension, col_op.domain_dimension],
                                   dtype=self.dtype) if dense is None
                             else _broadcast_to(dense, batch))
            rows.append(concat(parts, -1))
        return concat(rows, -2)

    def _determinant(self) -> Tensor:
        return broadcast_product([op.determinant() for op in self._diagonal])

    def _log_abs_determinant(self) -> Tensor:
        return broadcast_sum([op.log_abs_determinant() for op in self._diagonal])

    def _trace(self) -> Tensor:
        return broadcast_sum([op.trace() for op in self._diagonal])

    def _diag_part(self) -> Tensor:
        if any(not op.is_square for op in self._diagonal):
            return super()._diag_part()
        batch = self._batch()
        parts = [op.diag_part() for op in self._diagonal]
        return concat([add(p, zeros(batch + p.shape.as_list()[-1:], dtype=self.dtype))
                       for p in parts], -1)


class LinearOperatorBlockDiag(_BlockOperator):
    """``tf.linalg.LinearOperatorBlockDiag``: the block-diagonal matrix of
    ``operators``; each block acts on its own rows of the argument."""

    def __init__(self, operators: Sequence[LinearOperator], is_non_singular: bool | None = None,
                 is_self_adjoint: bool | None = None, is_positive_definite: bool | None = None,
                 is_square: bool | None = True, name: str | None = None) -> None:
        operators = list(operators)
        dtype = _common_dtype(operators, "LinearOperatorBlockDiag")
        _static_dims(operators, "LinearOperatorBlockDiag")
        self.operators = self._diagonal = operators
        if is_non_singular is None and all(op.is_non_singular for op in operators):
            is_non_singular = True
        if is_square and any(op.is_square is False for op in operators):
            is_square = None
        super().__init__(dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=is_square,
                         name=name or "_ds_".join(op.name for op in operators),
                         parameters={"operators": operators})

    def _to_dense(self) -> Tensor:
        return self._dense_rows(lambda i, j: self.operators[i].to_dense() if i == j else None)

    def _apply(self, x: Tensor, adjoint: bool, method: str) -> Tensor:
        by_range = adjoint if method == "matmul" else not adjoint
        parts = self._split(x, by_range)
        batch = self._batch()
        results = [getattr(op, method)(p, adjoint=adjoint)
                   for op, p in zip(self.operators, parts)]
        return concat([_broadcast_to(r, batch) for r in results], -2)

    def _matmul(self, x: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return self._apply(_arg(x, adjoint_arg), adjoint, "matmul")

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return self._apply(_arg(rhs, adjoint_arg), adjoint, "solve")

    def _adjoint(self) -> LinearOperator:
        return LinearOperatorBlockDiag([op.adjoint() for op in self.operators],
                                       is_square=self.is_square)

    def _inverse(self) -> LinearOperator:
        return LinearOperatorBlockDiag([op.inverse() for op in self.operators])


class LinearOperatorBlockLowerTriangular(_BlockOperator):
    """``tf.linalg.LinearOperatorBlockLowerTriangular``: ``operators[i]`` is row i's
    blocks ``[A_i0, ..., A_ii]`` (square diagonal blocks); solves by block substitution."""

    def __init__(self, operators: Sequence[Sequence[LinearOperator]],
                 is_non_singular: bool | None = None, is_self_adjoint: bool | None = None,
                 is_positive_definite: bool | None = None, is_square: bool | None = None,
                 name: str = "LinearOperatorBlockLowerTriangular") -> None:
        rows = [list(row) for row in operators]
        for i, row in enumerate(rows):
            if len(row) != i + 1:
                raise ValueError(f"LinearOperatorBlockLowerTriangular: row {i} must hold "
                                 f"{i + 1} operators, got {len(row)}")
        flat = [op for row in rows for op in row]
        dtype = _common_dtype(flat, "LinearOperatorBlockLowerTriangular")
        _static_dims(flat, "LinearOperatorBlockLowerTriangular")
        for i, row in enumerate(rows):
            for j, op in enumerate(row):
                expected = [rows[i][i].range_dimension, rows[j][j].domain_dimension]
                if [op.range_dimension, op.domain_dimension] != expected:
                    raise ValueError(f"LinearOperatorBlockLowerTriangular: block ({i}, {j}) "
                                     f"{op.name} has shape {op.shape}, expected "
                                     f"[..., {expected[0]}, {expected[1]}]")
        if any(row[-1].is_square is False for row in rows):
            raise ValueError("LinearOperatorBlockLowerTriangular: diagonal blocks must be "
                             "square")
        self.operators = rows
        self._diagonal = [row[-1] for row in rows]
        if is_non_singular is None and all(op.is_non_singular for op in self._diagonal):
            is_non_singular = True
        super().__init__(dtype, is_non_singular=is_non_singular,
                         is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True, name=name,
                         parameters={"operators": rows})

    def _all(self) -> list[LinearOperator]:
        return [op for row in self.operators for op in row]

    def _to_dense(self) -> Tensor:
        return self._dense_rows(lambda i, j: self.operators[i][j].to_dense() if j <= i
                                else None)

    def _block(self, i: int, j: int, adjoint: bool) -> LinearOperator | None:
        """Block (i, j) of A (of A^H with ``adjoint``), None above the diagonal."""
        if adjoint:
            i, j = j, i
        return self.operators[i][j] if j <= i else None

    def _matmul(self, x: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        parts = self._split(_arg(x, adjoint_arg), by_range=False)
        n, batch = len(parts), self._batch()
        rows = []
        for i in range(n):
            terms = [self._block(i, j, adjoint).matmul(parts[j], adjoint=adjoint)
                     for j in range(n) if self._block(i, j, adjoint) is not None]
            rows.append(_broadcast_to(broadcast_sum(terms), batch))
        return concat(rows, -2)

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        parts = self._split(_arg(rhs, adjoint_arg), by_range=False)
        n, batch = len(parts), self._batch()
        order = range(n - 1, -1, -1) if adjoint else range(n)
        solved: dict[int, Tensor] = {}
        for i in order:
            known = [self._block(i, j, adjoint).matmul(solved[j], adjoint=adjoint)
                     for j in solved if self._block(i, j, adjoint) is not None]
            residual = subtract(parts[i], broadcast_sum(known)) if known else parts[i]
            solved[i] = _broadcast_to(self._diagonal[i].solve(residual, adjoint=adjoint), batch)
        return concat([solved[i] for i in range(n)], -2)


def _kron_apply(factors: list[LinearOperator], x: Tensor,
                apply: Callable[[LinearOperator, Tensor], Tensor],
                in_dim: Callable[[LinearOperator], int]) -> Tensor:
    """``(F1 ⊗ F2 ⊗ ...) x`` one factor at a time: x's rows are split into the factors'
    axes (``in_dim(F)`` rows each) and every factor acts on its own axis through
    ``apply(F, [..., in_dim(F), columns])``."""
    if len(factors) == 1:
        return apply(factors[0], x)
    first, rest = factors[0], factors[1:]
    dims = x.shape.as_list() if x.shape.ndims is not None else [None]
    if None in dims:
        raise ValueError(f"LinearOperatorKronecker needs an argument of known shape, got "
                         f"{x.shape}")
    batch, k = dims[:-2], dims[-1]
    n_first = in_dim(first)
    n_rest = dims[-2] // n_first
    swap = list(range(len(batch))) + [len(batch) + 1, len(batch), len(batch) + 2]
    y = transpose(reshape(x, batch + [n_first, n_rest, k]), swap)
    y = _kron_apply(rest, reshape(y, batch + [n_rest, n_first * k]), apply, in_dim)
    batch, r_rest = y.shape.as_list()[:-2], y.shape.as_list()[-2]
    swap = list(range(len(batch))) + [len(batch) + 1, len(batch), len(batch) + 2]
    y = transpose(reshape(y, batch + [r_rest, n_first, k]), swap)
    y = apply(first, reshape(y, batch + [n_first, r_rest * k]))
    batch, r_first = y.shape.as_list()[:-2], y.shape.as_list()[-2]
    return reshape(y, batch + [r_first * r_rest, k])


class LinearOperatorKronecker(LinearOperator):
    """``tf.linalg.LinearOperatorKronecker``: ``A1 ⊗ A2 ⊗ ...``; products and solves
    act factor by factor, ``det = prod det(Ai) ** (N / ni)``, the trace is the product
    of traces."""

    def __init__(self, operators: Sequence[LinearOperator], is_non_singular: bool | None = None,
                 is_self_adjoint: bool | None = None, is_positive_definite: bool | None = None,
                 is_square: bool | None = None, name: str | None = None) -> None:
        operators = list(operators)
        dtype = _common_dtype(operators, "LinearOperatorKronecker")
        _static_dims(operators, "LinearOperatorKronecker")
        self.operators = operators
        if is_non_singular is None and all(op.is_non_singular for op in operators):
            is_non_singular = True
        super().__init__(dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=is_square,
                         name=name or "_x_".join(op.name for op in operators),
                         parameters={"operators": operators})

    def _shape(self) -> TensorShape:
        batch = broadcast_all(op.batch_shape for op in self.operators).as_list()
        rows = cols = 1
        for op in self.operators:
            rows, cols = rows * op.range_dimension, cols * op.domain_dimension
        return TensorShape(batch + [rows, cols])

    def _to_dense(self) -> Tensor:
        dense = self.operators[0].to_dense()
        for op in self.operators[1:]:
            right = op.to_dense()
            product = einsum("...ij,...kl->...ikjl", dense, right)
            dims = product.shape.as_list()
            dense = reshape(product, dims[:-4] + [dims[-4] * dims[-3], dims[-2] * dims[-1]])
        return dense

    def _run(self, x: Tensor, method: str, adjoint: bool) -> Tensor:
        def apply(op: LinearOperator, t: Tensor) -> Tensor:
            return getattr(op, method)(t, adjoint=adjoint)

        def in_dim(op: LinearOperator) -> int:  # the rows of the argument ``apply`` takes
            by_range = adjoint == (method == "matmul")
            return op.range_dimension if by_range else op.domain_dimension
        return _kron_apply(self.operators, x, apply, in_dim)

    def _matmul(self, x: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return self._run(_arg(x, adjoint_arg), "matmul", adjoint)

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return self._run(_arg(rhs, adjoint_arg), "solve", adjoint)

    def _determinant(self) -> Tensor:
        n = self.domain_dimension
        return broadcast_product([pow(op.determinant(), float(n // op.domain_dimension))
                          for op in self.operators])

    def _log_abs_determinant(self) -> Tensor:
        n = self.domain_dimension
        return broadcast_sum([multiply(float(n // op.domain_dimension), op.log_abs_determinant())
                      for op in self.operators])

    def _trace(self) -> Tensor:
        return broadcast_product([op.trace() for op in self.operators])

    def _diag_part(self) -> Tensor:
        if any(not op.is_square for op in self.operators):
            return super()._diag_part()
        diag = self.operators[0].diag_part()
        for op in self.operators[1:]:
            outer = multiply(expand_dims(diag, -1), expand_dims(op.diag_part(), -2))
            dims = outer.shape.as_list()
            diag = reshape(outer, dims[:-2] + [dims[-2] * dims[-1]])
        return diag

    def _adjoint(self) -> LinearOperator:
        return LinearOperatorKronecker([op.adjoint() for op in self.operators])

    def _inverse(self) -> LinearOperator:
        return LinearOperatorKronecker([op.inverse() for op in self.operators])


class LinearOperatorLowRankUpdate(LinearOperator):
    """``tf.linalg.LinearOperatorLowRankUpdate``: ``L + U diag(d) V^H`` (``V = U`` and
    ``d = 1`` by default); solves by the Woodbury identity and takes the determinant by
    the matrix determinant lemma, through the ``K x K`` capacitance
    ``C = diag(1/d) + V^H L^-1 U``."""

    def __init__(self, base_operator: LinearOperator, u: Any, diag_update: Any = None,
                 v: Any = None, is_diag_update_positive: bool | None = None,
                 is_non_singular: bool | None = None, is_self_adjoint: bool | None = None,
                 is_positive_definite: bool | None = None, is_square: bool | None = None,
                 name: str = "LinearOperatorLowRankUpdate") -> None:
        self.base_operator = base_operator
        self.u = convert_to_tensor(u, dtype=base_operator.dtype)
        self.v = self.u if v is None else convert_to_tensor(v, dtype=base_operator.dtype)
        self.diag_update = None if diag_update is None else convert_to_tensor(
            diag_update, dtype=base_operator.dtype)
        self.is_diag_update_positive = is_diag_update_positive
        for what, t in (("u", self.u), ("v", self.v)):
            rows = t.shape.as_list()[-2] if t.shape.ndims and t.shape.ndims >= 2 else None
            if t.shape.ndims is not None and t.shape.ndims < 2 or (
                    rows is not None and rows != base_operator.range_dimension):
                raise ValueError(f"LinearOperatorLowRankUpdate: {what} of shape {t.shape} "
                                 f"does not match base operator of shape "
                                 f"{base_operator.shape}")
        if is_self_adjoint is None and v is None and base_operator.is_self_adjoint \
                and not self.u.dtype.is_complex:
            is_self_adjoint = True
        super().__init__(base_operator.dtype, is_non_singular=is_non_singular,
                         is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=is_square,
                         name=name, parameters={"base_operator": base_operator, "u": u,
                                                "diag_update": diag_update, "v": v})

    def _shape(self) -> TensorShape:
        base = self.base_operator.shape
        batch = broadcast_all([base[:-2], self.u.shape[:-2], self.v.shape[:-2]])
        return TensorShape(batch.as_list() + base.as_list()[-2:])

    def _scaled(self, t: Tensor, conjugate: bool = False) -> Tensor:
        """``t @ diag(d)`` (``diag(conj(d))``)."""
        if self.diag_update is None:
            return t
        d = conj(self.diag_update) if conjugate else self.diag_update
        return multiply(t, expand_dims(d, -2))

    def _to_dense(self) -> Tensor:
        return add(self.base_operator.to_dense(),
                   matmul(self._scaled(self.u), self.v, adjoint_b=True))

    def _matmul(self, x: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        x = _arg(x, adjoint_arg)
        left, right = (self.v, self.u) if adjoint else (self.u, self.v)
        update = matmul(self._scaled(left, adjoint), matmul(right, x, adjoint_a=True))
        return add(self.base_operator.matmul(x, adjoint=adjoint), update)

    def _capacitance(self, adjoint: bool) -> Tensor:
        left, right = (self.v, self.u) if adjoint else (self.u, self.v)
        k = self.u.shape.as_list()[-1]
        inner = matmul(right, self.base_operator.solve(left, adjoint=adjoint), adjoint_a=True)
        if self.diag_update is None:
            return add(inner, LinearOperatorIdentity(k, dtype=self.dtype).to_dense())
        d = conj(self.diag_update) if adjoint else self.diag_update
        return add(inner, matrix_diag(reciprocal(d)))

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        rhs = _arg(rhs, adjoint_arg)
        left, right = (self.v, self.u) if adjoint else (self.u, self.v)
        base_rhs = self.base_operator.solve(rhs, adjoint=adjoint)
        small = matrix_solve(*match_batch(self._capacitance(adjoint),
                                          matmul(right, base_rhs, adjoint_a=True)))
        return subtract(base_rhs, self.base_operator.solve(matmul(left, small), adjoint=adjoint))

    def _determinant(self) -> Tensor:
        det = multiply(matrix_determinant(self._capacitance(False)),
                       self.base_operator.determinant())
        if self.diag_update is None:
            return det
        return multiply(det, reduce_prod(self.diag_update, -1))

    def _log_abs_determinant(self) -> Tensor:
        total = add(slogdet(self._capacitance(False))[1],
                    self.base_operator.log_abs_determinant())
        if self.diag_update is None:
            return total
        return add(total, reduce_sum(log(abs(self.diag_update)), -1))

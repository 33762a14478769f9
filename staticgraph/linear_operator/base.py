"""``tf.linalg.LinearOperator``: a (batch of) matrices known by what it does (matmul,
solve, determinant, ...) rather than by its entries, and the three operators every
operator can make of itself: ``LinearOperatorAdjoint``, ``LinearOperatorInversion`` and
``LinearOperatorComposition``.

A subclass defines ``_shape()`` (the static ``[..., M, N]`` shape) and ``_to_dense()``;
every other method has a dense default that a structured subclass overrides (a diagonal
operator solves by division, a Kronecker product takes its determinant from its factors).
All methods build staticgraph graph ops, so gradients flow through them.
"""
from __future__ import annotations

from typing import Any, Sequence

from ..core import dtypes
from ..core.graph import Tensor, name_scope
from ..core.shapes import TensorShape, broadcast_all
from ..ops.broadcast_ops import broadcast_to
from ..ops.decomposition_ops import self_adjoint_eigvals, slogdet
from ..ops.framework import constant, convert_to_tensor
from ..ops.linalg_ops import (matrix_determinant, matrix_inverse, matrix_solve,
                              matrix_transpose, svd)
from ..ops.math_ops import add, conj, multiply, negative, realdiv, reciprocal
from ..ops.matmul_ops import matmul
from ..ops.matrix_ops import matrix_diag_part
from ..ops.reduce_ops import reduce_max, reduce_min, reduce_sum
from ..ops.shape_ops import expand_dims, squeeze

__all__ = ["LinearOperator", "LinearOperatorAdjoint", "LinearOperatorInversion",
           "LinearOperatorComposition", "tensor_adjoint", "broadcast_sum", "broadcast_product",
           "match_batch"]


def tensor_adjoint(x: Tensor) -> Tensor:
    """The conjugate transpose of the last two dimensions."""
    return conj(matrix_transpose(x))


def match_batch(matrix: Tensor, rhs: Tensor) -> tuple[Tensor, Tensor]:
    """``matrix`` and ``rhs`` broadcast to their common batch shape (solvers want equal
    batch dimensions; operators, like TF's, broadcast them)."""
    if matrix.shape.ndims is None or rhs.shape.ndims is None:
        return matrix, rhs
    batch = broadcast_all([matrix.shape[:-2], rhs.shape[:-2]])
    if batch.ndims is None or None in batch.as_list():
        return matrix, rhs
    out = []
    for t in (matrix, rhs):
        dims = t.shape.as_list()
        full = batch.as_list() + dims[-2:]
        out.append(t if dims == full else broadcast_to(t, full))
    return out[0], out[1]


def broadcast_sum(values: Sequence[Tensor]) -> Tensor:
    """The sum of tensors whose shapes broadcast (batch shapes of several operators)."""
    result = values[0]
    for v in values[1:]:
        result = add(result, v)
    return result


def broadcast_product(values: Sequence[Tensor]) -> Tensor:
    """The product of tensors whose shapes broadcast."""
    result = values[0]
    for v in values[1:]:
        result = multiply(result, v)
    return result


def _merge_hint(name: str, given: bool | None, implied: bool | None) -> bool | None:
    if given is not None and implied is not None and given != implied:
        raise ValueError(f"{name} was given as {given} but the operator's structure makes it "
                         f"{implied}")
    return implied if given is None else given


class LinearOperator:
    """``tf.linalg.LinearOperator``: the abstract base of the operator family.

    The ``is_*`` arguments are hints (TF does not check them); positive definite implies
    non-singular, and non-singular or self-adjoint imply square."""

    def __init__(self, dtype: Any, graph_parents: Any = None, is_non_singular: bool | None = None,
                 is_self_adjoint: bool | None = None, is_positive_definite: bool | None = None,
                 is_square: bool | None = None, name: str | None = None,
                 parameters: dict | None = None) -> None:
        if is_positive_definite:
            if is_non_singular is False:
                raise ValueError("A positive definite matrix is always non-singular.")
            is_non_singular = True
        if is_non_singular:
            if is_square is False:
                raise ValueError("A non-singular matrix is always square.")
            is_square = True
        if is_self_adjoint:
            if is_square is False:
                raise ValueError("A self-adjoint matrix is always square.")
            is_square = True
        self._dtype = dtypes.as_dtype(dtype) if dtype is not None else None
        self._graph_parents = list(graph_parents or [])
        self._is_non_singular = is_non_singular
        self._is_self_adjoint = is_self_adjoint
        self._is_positive_definite = is_positive_definite
        self._is_square_hint = is_square
        self._name = name or type(self).__name__
        self._parameters = dict(parameters or {})

    # ---- what a subclass defines ----------------------------------------------------

    def _shape(self) -> TensorShape:
        raise NotImplementedError(f"{type(self).__name__} must define _shape()")

    def _to_dense(self) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} must define _to_dense()")

    # ---- properties -----------------------------------------------------------------

    @property
    def dtype(self) -> dtypes.DType:
        """The dtype of the matrix entries (and of the tensors it acts on)."""
        return self._dtype

    @property
    def name(self) -> str:
        """The name scope of the operator's ops."""
        return self._name

    @property
    def graph_parents(self) -> list:
        """The tensors the operator was built from (deprecated in TF)."""
        return list(self._graph_parents)

    @property
    def parameters(self) -> dict:
        """The arguments the operator was built with."""
        return dict(self._parameters)

    @property
    def is_non_singular(self) -> bool | None:
        """Hint: the operator is invertible."""
        return self._is_non_singular

    @property
    def is_self_adjoint(self) -> bool | None:
        """Hint: the operator equals its adjoint."""
        return self._is_self_adjoint

    @property
    def is_positive_definite(self) -> bool | None:
        """Hint: ``x^H A x > 0`` for every nonzero x (for real A: of its symmetric part)."""
        return self._is_positive_definite

    @property
    def is_square(self) -> bool | None:
        """True when the row and column dimensions are equal (from the shape when known)."""
        rows, cols = self.range_dimension, self.domain_dimension
        if rows is not None and cols is not None:
            return _merge_hint("is_square", self._is_square_hint, rows == cols)
        return self._is_square_hint

    @property
    def shape(self) -> TensorShape:
        """The static shape ``[B1, ..., Bb, M, N]``."""
        return self._shape()

    @property
    def batch_shape(self) -> TensorShape:
        """The static batch shape ``[B1, ..., Bb]``."""
        return self.shape[:-2]

    @property
    def tensor_rank(self) -> int | None:
        """``b + 2`` for batch shape of rank b."""
        return self.shape.ndims

    @property
    def domain_dimension(self) -> int | None:
        """N, the dimension of the vectors the operator acts on."""
        return self.shape.as_list()[-1] if self.shape.ndims is not None else None

    @property
    def range_dimension(self) -> int | None:
        """M, the dimension of the vectors the operator produces."""
        return self.shape.as_list()[-2] if self.shape.ndims is not None else None

    def _static(self, what: str) -> list[int]:
        dims = self.shape.as_list() if self.shape.ndims is not None else None
        if dims is None or None in dims:
            raise ValueError(f"{self.name}.{what} needs a fully known shape, got {self.shape}")
        return dims

    def shape_tensor(self, name: str = "shape_tensor") -> Tensor:
        """The shape as an int32 tensor."""
        with self._scope(name):
            return constant(self._static("shape_tensor"), dtypes.int32)

    def batch_shape_tensor(self, name: str = "batch_shape_tensor") -> Tensor:
        """The batch shape as an int32 tensor."""
        with self._scope(name):
            return constant(self._static("batch_shape_tensor")[:-2], dtypes.int32)

    def tensor_rank_tensor(self, name: str = "tensor_rank_tensor") -> Tensor:
        """The rank as an int32 scalar tensor."""
        with self._scope(name):
            return constant(len(self._static("tensor_rank_tensor")), dtypes.int32)

    def domain_dimension_tensor(self, name: str = "domain_dimension_tensor") -> Tensor:
        """N as an int32 scalar tensor."""
        with self._scope(name):
            return constant(self._static("domain_dimension_tensor")[-1], dtypes.int32)

    def range_dimension_tensor(self, name: str = "range_dimension_tensor") -> Tensor:
        """M as an int32 scalar tensor."""
        with self._scope(name):
            return constant(self._static("range_dimension_tensor")[-2], dtypes.int32)

    # ---- helpers for subclasses -----------------------------------------------------

    def _scope(self, method: str) -> Any:
        return _NestedScope(self.name, method)

    def _convert(self, x: Any, what: str) -> Tensor:
        x = x if isinstance(x, Tensor) else convert_to_tensor(x, dtype=self.dtype)
        if x.dtype != self.dtype:
            raise TypeError(f"{self.name}.{what}: argument has dtype {x.dtype.name}, the "
                            f"operator {self.dtype.name}")
        return x

    def _check_rows(self, x: Tensor, size: int | None, what: str) -> None:
        rows = x.shape.as_list()[-2] if x.shape.ndims is not None and x.shape.ndims >= 2 \
            else None
        if x.shape.ndims is not None and x.shape.ndims < 2:
            raise ValueError(f"{self.name}.{what}: argument must have rank >= 2, got shape "
                             f"{x.shape}")
        if rows is not None and size is not None and rows != size:
            raise ValueError(f"{self.name}.{what}: operator of shape {self.shape} does not "
                             f"match argument of shape {x.shape}")

    def _require_square(self, what: str) -> None:
        if self.is_square is False:
            raise NotImplementedError(f"{self.name}.{what} needs a square operator, got "
                                      f"shape {self.shape}")

    # ---- dense defaults (structured subclasses override) ------------------------------

    def _matmul(self, x: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return matmul(self.to_dense(), x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        rhs = tensor_adjoint(rhs) if adjoint_arg else rhs
        return matrix_solve(*match_batch(self.to_dense(), rhs), adjoint=adjoint)

    def _determinant(self) -> Tensor:
        return matrix_determinant(self.to_dense())

    def _log_abs_determinant(self) -> Tensor:
        return slogdet(self.to_dense())[1]

    def _trace(self) -> Tensor:
        return reduce_sum(self.diag_part(), -1)

    def _diag_part(self) -> Tensor:
        return matrix_diag_part(self.to_dense())

    def _adjoint(self) -> "LinearOperator":
        return self if self.is_self_adjoint else LinearOperatorAdjoint(self)

    def _inverse(self) -> "LinearOperator":
        return LinearOperatorInversion(self)

    # ---- public methods -------------------------------------------------------------

    def to_dense(self, name: str = "to_dense") -> Tensor:
        """The matrix as a dense ``[..., M, N]`` tensor."""
        with self._scope(name):
            return self._to_dense()

    def matmul(self, x: Any, adjoint: bool = False, adjoint_arg: bool = False,
               name: str = "matmul") -> Any:
        """``A @ x`` (``A^H`` with ``adjoint``, ``x^H`` with ``adjoint_arg``); with an
        operator ``x``, the composition ``LinearOperatorComposition([A, x])``."""
        if isinstance(x, LinearOperator):
            left = self.adjoint() if adjoint else self
            right = x.adjoint() if adjoint_arg else x
            return LinearOperatorComposition([left, right])
        with self._scope(name):
            x = self._convert(x, "matmul")
            size = self.range_dimension if adjoint else self.domain_dimension
            if adjoint_arg:
                self._check_rows(matrix_transpose(x), size, "matmul")
            else:
                self._check_rows(x, size, "matmul")
            return self._matmul(x, adjoint, adjoint_arg)

    def matvec(self, x: Any, adjoint: bool = False, name: str = "matvec") -> Tensor:
        """``A @ x`` for a (batch of) vectors ``x`` of shape ``[..., N]``."""
        with self._scope(name):
            x = self._convert(x, "matvec")
            return squeeze(self.matmul(expand_dims(x, -1), adjoint=adjoint), [-1])

    def solve(self, rhs: Any, adjoint: bool = False, adjoint_arg: bool = False,
              name: str = "solve") -> Any:
        """X with ``A X = rhs`` (``A^H`` with ``adjoint``, ``rhs^H`` with
        ``adjoint_arg``); with an operator ``rhs``, the composition ``inv(A) rhs``."""
        if isinstance(rhs, LinearOperator):
            left = self.adjoint() if adjoint else self
            right = rhs.adjoint() if adjoint_arg else rhs
            return LinearOperatorComposition([left.inverse(), right])
        if self.is_non_singular is False:
            raise NotImplementedError(f"{self.name}.solve: exact solve not implemented for "
                                      f"an operator that is expected to be singular")
        self._require_square("solve")
        with self._scope(name):
            rhs = self._convert(rhs, "solve")
            self._check_rows(matrix_transpose(rhs) if adjoint_arg else rhs,
                             self.range_dimension, "solve")
            return self._solve(rhs, adjoint, adjoint_arg)

    def solvevec(self, rhs: Any, adjoint: bool = False, name: str = "solve") -> Tensor:
        """x with ``A x = rhs`` for a (batch of) vectors ``rhs`` of shape ``[..., M]``."""
        with self._scope(name):
            rhs = self._convert(rhs, "solvevec")
            return squeeze(self.solve(expand_dims(rhs, -1), adjoint=adjoint), [-1])

    def determinant(self, name: str = "det") -> Tensor:
        """The determinant of each matrix, shape ``batch_shape``."""
        self._require_square("determinant")
        with self._scope(name):
            return self._determinant()

    def log_abs_determinant(self, name: str = "log_abs_det") -> Tensor:
        """``log(|det(A)|)`` of each matrix."""
        self._require_square("log_abs_determinant")
        with self._scope(name):
            return self._log_abs_determinant()

    def trace(self, name: str = "trace") -> Tensor:
        """The sum of each matrix's diagonal."""
        with self._scope(name):
            return self._trace()

    def diag_part(self, name: str = "diag_part") -> Tensor:
        """The diagonal of each matrix, ``[..., min(M, N)]``."""
        with self._scope(name):
            return self._diag_part()

    def add_to_tensor(self, x: Any, name: str = "add_to_tensor") -> Tensor:
        """``A + x`` as a dense tensor."""
        with self._scope(name):
            return add(self.to_dense(), self._convert(x, "add_to_tensor"))

    def adjoint(self, name: str = "adjoint") -> "LinearOperator":
        """The conjugate transpose, as an operator."""
        del name
        return self._adjoint()

    H = property(adjoint, doc="The conjugate transpose, as an operator.")

    def inverse(self, name: str = "inverse") -> "LinearOperator":
        """The inverse, as an operator (``NotImplementedError`` when singular)."""
        del name
        if self.is_non_singular is False:
            raise NotImplementedError(f"{self.name}.inverse: the operator is expected to be "
                                      f"singular")
        self._require_square("inverse")
        return self._inverse()

    def eigvals(self, name: str = "eigvals") -> Tensor:
        """The eigenvalues of a self-adjoint operator, ascending."""
        if not self.is_self_adjoint:
            raise NotImplementedError(f"{self.name}.eigvals is implemented for self-adjoint "
                                      f"operators only")
        with self._scope(name):
            return self_adjoint_eigvals(self.to_dense())

    def cond(self, name: str = "cond") -> Tensor:
        """The 2-norm condition number: largest over smallest singular value."""
        with self._scope(name):
            s = svd(self.to_dense(), compute_uv=False)
            return realdiv(reduce_max(s, -1), reduce_min(s, -1))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} shape={self.shape} dtype={self.dtype}>"


class _NestedScope:
    """``name_scope(operator name)`` then ``name_scope(method)``."""

    def __init__(self, outer: str, inner: str) -> None:
        self._scopes = [name_scope(outer), name_scope(inner)]

    def __enter__(self) -> str:
        self._scopes[0].__enter__()
        return self._scopes[1].__enter__()

    def __exit__(self, *exc: Any) -> None:
        self._scopes[1].__exit__(*exc)
        self._scopes[0].__exit__(*exc)


def _shape_of(operator: LinearOperator, swap: bool) -> TensorShape:
    dims = operator.shape
    if not swap or dims.ndims is None:
        return dims
    values = dims.as_list()
    return TensorShape(values[:-2] + [values[-1], values[-2]])


class LinearOperatorAdjoint(LinearOperator):
    """``tf.linalg.LinearOperatorAdjoint``: ``A^H`` of an operator, through its methods."""

    def __init__(self, operator: LinearOperator, is_non_singular: bool | None = None,
                 is_self_adjoint: bool | None = None, is_positive_definite: bool | None = None,
                 is_square: bool | None = None, name: str | None = None) -> None:
        self.operator = operator
        super().__init__(
            operator.dtype, is_non_singular=_merge_hint("is_non_singular", is_non_singular,
                                                        operator.is_non_singular),
            is_self_adjoint=_merge_hint("is_self_adjoint", is_self_adjoint,
                                        operator.is_self_adjoint),
            is_positive_definite=_merge_hint("is_positive_definite", is_positive_definite,
                                             operator.is_positive_definite),
            is_square=_merge_hint("is_square", is_square, operator.is_square),
            name=name or operator.name + "_adjoint", parameters={"operator": operator})

    def _shape(self) -> TensorShape:
        return _shape_of(self.operator, swap=True)

    def _to_dense(self) -> Tensor:
        return tensor_adjoint(self.operator.to_dense())

    def _matmul(self, x: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return self.operator.matmul(x, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return self.operator.solve(rhs, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _determinant(self) -> Tensor:
        return conj(self.operator.determinant())

    def _log_abs_determinant(self) -> Tensor:
        return self.operator.log_abs_determinant()

    def _trace(self) -> Tensor:
        return conj(self.operator.trace())

    def _diag_part(self) -> Tensor:
        return conj(self.operator.diag_part())

    def _adjoint(self) -> LinearOperator:
        return self.operator


class LinearOperatorInversion(LinearOperator):
    """``tf.linalg.LinearOperatorInversion``: ``inv(A)``: its matmul is A's solve and its
    solve A's matmul."""

    def __init__(self, operator: LinearOperator, is_non_singular: bool | None = None,
                 is_self_adjoint: bool | None = None, is_positive_definite: bool | None = None,
                 is_square: bool | None = None, name: str | None = None) -> None:
        if operator.is_non_singular is False or is_non_singular is False:
            raise ValueError(f"LinearOperatorInversion: {operator.name} is expected to be "
                             f"singular and has no inverse")
        self.operator = operator
        super().__init__(
            operator.dtype, is_non_singular=True,
            is_self_adjoint=_merge_hint("is_self_adjoint", is_self_adjoint,
                                        operator.is_self_adjoint),
            is_positive_definite=_merge_hint("is_positive_definite", is_positive_definite,
                                             operator.is_positive_definite),
            is_square=_merge_hint("is_square", is_square, operator.is_square),
            name=name or operator.name + "_inv", parameters={"operator": operator})

    def _shape(self) -> TensorShape:
        return self.operator.shape

    def _to_dense(self) -> Tensor:
        return matrix_inverse(self.operator.to_dense())

    def _matmul(self, x: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return self.operator.solve(x, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return self.operator.matmul(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _determinant(self) -> Tensor:
        return reciprocal(self.operator.determinant())

    def _log_abs_determinant(self) -> Tensor:
        return negative(self.operator.log_abs_determinant())

    def _inverse(self) -> LinearOperator:
        return self.operator


class LinearOperatorComposition(LinearOperator):
    """``tf.linalg.LinearOperatorComposition``: ``A1 @ A2 @ ... @ An`` applied factor by
    factor (right to left); determinants multiply, solves run left to right."""

    def __init__(self, operators: Sequence[LinearOperator], is_non_singular: bool | None = None,
                 is_self_adjoint: bool | None = None, is_positive_definite: bool | None = None,
                 is_square: bool | None = None, name: str | None = None) -> None:
        operators = list(operators)
        if not operators:
            raise ValueError("LinearOperatorComposition: expected a non-empty list of "
                             "operators")
        if len({op.dtype for op in operators}) != 1:
            raise TypeError(f"LinearOperatorComposition: operators must share one dtype, got "
                            f"{[op.dtype.name for op in operators]}")
        for left, right in zip(operators, operators[1:]):
            n, m = left.domain_dimension, right.range_dimension
            if n is not None and m is not None and n != m:
                raise ValueError(f"LinearOperatorComposition: {left.name} of shape "
                                 f"{left.shape} cannot be composed with {right.name} of "
                                 f"shape {right.shape}")
        self.operators = operators
        if is_non_singular is None and all(op.is_non_singular for op in operators):
            is_non_singular = True
        super().__init__(operators[0].dtype, is_non_singular=is_non_singular,
                         is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=is_square,
                         name=name or "_o_".join(op.name for op in operators),
                         parameters={"operators": operators})

    def _shape(self) -> TensorShape:
        batch = broadcast_all(op.batch_shape for op in self.operators)
        first, last = self.operators[0].shape, self.operators[-1].shape
        if batch.ndims is None or first.ndims is None or last.ndims is None:
            return TensorShape(None)
        return TensorShape(batch.as_list() + [first.as_list()[-2], last.as_list()[-1]])

    def _to_dense(self) -> Tensor:
        dense = self.operators[-1].to_dense()
        for op in reversed(self.operators[:-1]):
            dense = op.matmul(dense)
        return dense

    def _matmul(self, x: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        order = self.operators if adjoint else self.operators[::-1]
        result = order[0].matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg)
        for op in order[1:]:
            result = op.matmul(result, adjoint=adjoint)
        return result

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        order = self.operators[::-1] if adjoint else self.operators
        result = order[0].solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)
        for op in order[1:]:
            result = op.solve(result, adjoint=adjoint)
        return result

    def _determinant(self) -> Tensor:
        if any(op.is_square is not True for op in self.operators):
            return super()._determinant()
        return broadcast_product([op.determinant() for op in self.operators])

    def _log_abs_determinant(self) -> Tensor:
        if any(op.is_square is not True for op in self.operators):
            return super()._log_abs_determinant()
        return broadcast_sum([op.log_abs_determinant() for op in self.operators])


def _sum(tensors: list[Tensor]) -> Tensor:
    result = tensors[0]
    for t in tensors[1:]:
        result = add(result, t)
    return result

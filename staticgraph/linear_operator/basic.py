"""Operators given by one tensor: ``LinearOperatorFullMatrix``, ``Diag``, ``Identity``,
``ScaledIdentity``, ``Zeros``, ``LowerTriangular``, ``Householder``, ``Permutation``."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from ..core.shapes import TensorShape
from ..ops.decomposition_ops import matrix_triangular_solve
from ..ops.fill_ops import ones, zeros
from ..ops.framework import constant, convert_to_tensor
from ..ops.gather_ops import gather, one_hot
from ..ops.linalg_ops import matrix_determinant
from ..ops.math_ops import (abs, add, conj, log, multiply, pow, realdiv, reciprocal, sqrt,
                            square, subtract)
from ..ops.matmul_ops import matmul
from ..ops.matrix_ops import matrix_band_part, matrix_diag, matrix_diag_part
from ..ops.reduce_ops import reduce_prod, reduce_sum
from ..ops.shape_ops import expand_dims
from .base import LinearOperator, match_batch, tensor_adjoint

__all__ = ["LinearOperatorFullMatrix", "LinearOperatorDiag", "LinearOperatorIdentity",
           "LinearOperatorScaledIdentity", "LinearOperatorZeros",
           "LinearOperatorLowerTriangular", "LinearOperatorHouseholder",
           "LinearOperatorPermutation"]


def _hints(kwargs: dict) -> dict:
    """The ``is_*`` hints of a constructor's keyword arguments."""
    return {k: v for k, v in kwargs.items() if k.startswith("is_")}


def _matrix_arg(value: Any, what: str, cls: str) -> Tensor:
    t = convert_to_tensor(value)
    if t.shape.ndims is not None and t.shape.ndims < 2:
        raise ValueError(f"{cls}: {what} must have rank >= 2, got shape {t.shape}")
    return t


def _arg(x: Tensor, adjoint_arg: bool) -> Tensor:
    return tensor_adjoint(x) if adjoint_arg else x


class LinearOperatorFullMatrix(LinearOperator):
    """``tf.linalg.LinearOperatorFullMatrix``: a dense ``[..., M, N]`` matrix."""

    def __init__(self, matrix: Any, is_non_singular: bool | None = None,
                 is_self_adjoint: bool | None = None, is_positive_definite: bool | None = None,
                 is_square: bool | None = None, name: str = "LinearOperatorFullMatrix") -> None:
        self._matrix = _matrix_arg(matrix, "matrix", "LinearOperatorFullMatrix")
        super().__init__(self._matrix.dtype, graph_parents=[self._matrix],
                         name=name, parameters={"matrix": matrix}, **_hints(locals()))

    def _shape(self) -> TensorShape:
        return self._matrix.shape

    def _to_dense(self) -> Tensor:
        return self._matrix


class LinearOperatorDiag(LinearOperator):
    """``tf.linalg.LinearOperatorDiag``: ``diag(d)`` from ``[..., N]``; products scale
    rows, solves divide, the determinant is the product of ``d``."""

    def __init__(self, diag: Any, is_non_singular: bool | None = None,
                 is_self_adjoint: bool | None = None, is_positive_definite: bool | None = None,
                 is_square: bool | None = True, name: str = "LinearOperatorDiag") -> None:
        self._diag = convert_to_tensor(diag)
        if self._diag.shape.ndims == 0:
            raise ValueError(f"LinearOperatorDiag: diag must have rank >= 1, got shape "
                             f"{self._diag.shape}")
        if is_square is False:
            raise ValueError("Only square diagonal operators currently supported.")
        if is_self_adjoint is None and not self._diag.dtype.is_complex:
            is_self_adjoint = True
        super().__init__(self._diag.dtype, graph_parents=[self._diag], name=name,
                         parameters={"diag": diag}, **_hints(locals()))

    @property
    def diag(self) -> Tensor:
        """The diagonal ``d``."""
        return self._diag

    def _shape(self) -> TensorShape:
        d = self._diag.shape
        return TensorShape(None) if d.ndims is None else TensorShape(d.as_list() + [d[-1]])

    def _to_dense(self) -> Tensor:
        return matrix_diag(self._diag)

    def _scale(self, adjoint: bool) -> Tensor:
        return expand_dims(conj(self._diag) if adjoint else self._diag, -1)

    def _matmul(self, x: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return multiply(self._scale(adjoint), _arg(x, adjoint_arg))

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return realdiv(_arg(rhs, adjoint_arg), self._scale(adjoint))

    def _determinant(self) -> Tensor:
        return reduce_prod(self._diag, -1)

    def _log_abs_determinant(self) -> Tensor:
        return reduce_sum(log(abs(self._diag)), -1)

    def _trace(self) -> Tensor:
        return reduce_sum(self._diag, -1)

    def _diag_part(self) -> Tensor:
        return self._diag

    def _adjoint(self) -> LinearOperator:
        return LinearOperatorDiag(conj(self._diag), is_non_singular=self.is_non_singular,
                                  is_self_adjoint=self.is_self_adjoint,
                                  is_positive_definite=self.is_positive_definite)

    def _inverse(self) -> LinearOperator:
        return LinearOperatorDiag(reciprocal(self._diag), is_non_singular=True,
                                  is_self_adjoint=self.is_self_adjoint,
                                  is_positive_definite=self.is_positive_definite)


class _ScaledIdentityBase(LinearOperator):
    """``scale * I`` of a static size; ``scale`` is None for the identity."""

    def _init_identity(self, num_rows: Any, batch: list, dtype: Any, scale: Tensor | None,
                       name: str, parameters: dict, hints: dict) -> None:
        rows = int(num_rows)
        if rows < 0:
            raise ValueError(f"{type(self).__name__}: num_rows must be >= 0, got {rows}")
        self._rows, self._batch, self._multiplier = rows, [int(b) for b in batch], scale
        super().__init__(dtype, name=name, parameters=parameters, **hints)

    def _shape(self) -> TensorShape:
        return TensorShape(self._batch + [self._rows, self._rows])

    def _ones(self, shape: list) -> Tensor:
        return ones(shape, dtype=self.dtype)

    def _times_scale(self, t: Tensor, extra_dims: int, adjoint: bool = False) -> Tensor:
        """``t`` times the multiplier (broadcast over ``extra_dims`` trailing dims), or
        ``t`` broadcast over the batch shape."""
        if self._multiplier is None:
            return multiply(t, self._ones(self._batch + [1] * extra_dims)) if self._batch \
                else t
        m = conj(self._multiplier) if adjoint else self._multiplier
        for _ in range(extra_dims):
            m = expand_dims(m, -1)
        return multiply(m, t)

    def _to_dense(self) -> Tensor:
        eye = constant(np.eye(self._rows), dtype=self.dtype)
        return self._times_scale(eye, 2)

    def _matmul(self, x: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return self._times_scale(_arg(x, adjoint_arg), 2, adjoint)

    def _diag_part(self) -> Tensor:
        return self._times_scale(self._ones([self._rows]), 1)

    def _trace(self) -> Tensor:
        return self._times_scale(constant(float(self._rows), dtype=self.dtype), 0)


class LinearOperatorIdentity(_ScaledIdentityBase):
    """``tf.linalg.LinearOperatorIdentity``: ``I`` of ``num_rows`` (repeated over
    ``batch_shape``); products return their argument."""

    def __init__(self, num_rows: int, batch_shape: Any = None, dtype: Any = None,
                 is_non_singular: bool = True, is_self_adjoint: bool = True,
                 is_positive_definite: bool = True, is_square: bool = True,
                 assert_proper_shapes: bool = False, name: str = "LinearOperatorIdentity"
                 ) -> None:
        del assert_proper_shapes  # shapes are static here and always checked
        if not (is_non_singular and is_self_adjoint and is_positive_definite and is_square):
            raise ValueError("An identity operator is always non-singular, self-adjoint, "
                             "positive definite and square.")
        self._init_identity(num_rows, list(batch_shape or []), dtype or dtypes.float32, None,
                            name, {"num_rows": num_rows, "batch_shape": batch_shape},
                            {"is_non_singular": True, "is_self_adjoint": True,
                             "is_positive_definite": True, "is_square": True})

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return self._matmul(rhs, adjoint, adjoint_arg)

    def _determinant(self) -> Tensor:
        return self._ones(self._batch)

    def _log_abs_determinant(self) -> Tensor:
        return zeros(self._batch, dtype=self.dtype)

    def _adjoint(self) -> LinearOperator:
        return self

    def _inverse(self) -> LinearOperator:
        return self


class LinearOperatorScaledIdentity(_ScaledIdentityBase):
    """``tf.linalg.LinearOperatorScaledIdentity``: ``multiplier * I``; the batch shape is
    the multiplier's; the determinant is ``multiplier ** num_rows``."""

    def __init__(self, num_rows: int, multiplier: Any, is_non_singular: bool | None = None,
                 is_self_adjoint: bool | None = None, is_positive_definite: bool | None = None,
                 is_square: bool = True, assert_proper_shapes: bool = False,
                 name: str = "LinearOperatorScaledIdentity") -> None:
        del assert_proper_shapes
        scale = convert_to_tensor(multiplier)
        if scale.shape.ndims is None or None in scale.shape.as_list():
            raise ValueError(f"LinearOperatorScaledIdentity: the multiplier's shape must be "
                             f"known, got {scale.shape}")
        if is_square is False:
            raise ValueError("A ScaledIdentity operator is always square.")
        self._init_identity(num_rows, scale.shape.as_list(), scale.dtype, scale, name,
                            {"num_rows": num_rows, "multiplier": multiplier},
                            _hints(locals()))

    @property
    def multiplier(self) -> Tensor:
        """The scalar (or batch of scalars) multiplying the identity."""
        return self._multiplier

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        m = conj(self._multiplier) if adjoint else self._multiplier
        return realdiv(_arg(rhs, adjoint_arg), expand_dims(expand_dims(m, -1), -1))

    def _determinant(self) -> Tensor:
        return pow(self._multiplier, float(self._rows))

    def _log_abs_determinant(self) -> Tensor:
        return multiply(float(self._rows), log(abs(self._multiplier)))

    def _adjoint(self) -> LinearOperator:
        return LinearOperatorScaledIdentity(self._rows, conj(self._multiplier))

    def _inverse(self) -> LinearOperator:
        return LinearOperatorScaledIdentity(self._rows, reciprocal(self._multiplier))


class LinearOperatorZeros(LinearOperator):
    """``tf.linalg.LinearOperatorZeros``: the ``[..., M, N]`` zero matrix; products are
    zeros, the determinant 0, and solves an error."""

    def __init__(self, num_rows: int, num_columns: int | None = None, batch_shape: Any = None,
                 dtype: Any = None, is_non_singular: bool = False, is_self_adjoint: bool = True,
                 is_positive_definite: bool = False, is_square: bool = True,
                 assert_proper_shapes: bool = False, name: str = "LinearOperatorZeros") -> None:
        del assert_proper_shapes
        rows = int(num_rows)
        cols = rows if num_columns is None else int(num_columns)
        if is_non_singular or is_positive_definite:
            raise ValueError("A zero operator is always singular (and not positive "
                             "definite).")
        if is_square and rows != cols:
            raise ValueError(f"LinearOperatorZeros initialized as is_square=True, but got "
                             f"num_rows({rows}) != num_columns({cols})")
        self._rows, self._cols, self._batch = rows, cols, [int(b) for b in batch_shape or []]
        super().__init__(dtype or dtypes.float32, name=name,
                         parameters={"num_rows": num_rows, "num_columns": num_columns,
                                     "batch_shape": batch_shape}, **_hints(locals()))

    def _shape(self) -> TensorShape:
        return TensorShape(self._batch + [self._rows, self._cols])

    def _to_dense(self) -> Tensor:
        return zeros(self._batch + [self._rows, self._cols], dtype=self.dtype)

    def _matmul(self, x: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        x = _arg(x, adjoint_arg)
        return matmul(zeros(self._batch + ([self._cols, self._rows] if adjoint else
                                           [self._rows, self._cols]), dtype=self.dtype), x)

    def _determinant(self) -> Tensor:
        return zeros(self._batch, dtype=self.dtype)

    def _log_abs_determinant(self) -> Tensor:
        return constant(np.full(self._batch, -np.inf), dtype=self.dtype)

    def _diag_part(self) -> Tensor:
        return zeros(self._batch + [min(self._rows, self._cols)], dtype=self.dtype)

    def add_to_tensor(self, x: Any, name: str = "add_to_tensor") -> Tensor:
        """``0 + x``: ``x`` broadcast against the operator's shape."""
        with self._scope(name):
            return add(self._to_dense(), self._convert(x, "add_to_tensor"))

    def _adjoint(self) -> LinearOperator:
        return LinearOperatorZeros(self._cols, self._rows, self._batch, self.dtype,
                                   is_square=self._rows == self._cols,
                                   is_self_adjoint=self._rows == self._cols)


class LinearOperatorLowerTriangular(LinearOperator):
    """``tf.linalg.LinearOperatorLowerTriangular``: the lower triangle of ``tril`` (the
    rest is ignored); solves by substitution, the determinant is the diagonal's product."""

    def __init__(self, tril: Any, is_non_singular: bool | None = None,
                 is_self_adjoint: bool | None = None, is_positive_definite: bool | None = None,
                 is_square: bool | None = None,
                 name: str = "LinearOperatorLowerTriangular") -> None:
        if is_square is False:
            raise ValueError("Only square lower triangular operators supported at this time.")
        self._tril = matrix_band_part(_matrix_arg(tril, "tril",
                                                  "LinearOperatorLowerTriangular"), -1, 0)
        super().__init__(self._tril.dtype, graph_parents=[self._tril], name=name,
                         parameters={"tril": tril}, **_hints(locals()))

    def _shape(self) -> TensorShape:
        return self._tril.shape

    def _to_dense(self) -> Tensor:
        return self._tril

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return matrix_triangular_solve(*match_batch(self._tril, _arg(rhs, adjoint_arg)),
                                       lower=True, adjoint=adjoint)

    def _determinant(self) -> Tensor:
        return reduce_prod(matrix_diag_part(self._tril), -1)

    def _log_abs_determinant(self) -> Tensor:
        return reduce_sum(log(abs(matrix_diag_part(self._tril))), -1)


class LinearOperatorHouseholder(LinearOperator):
    """``tf.linalg.LinearOperatorHouseholder``: the reflection ``I - 2 v v^H / |v|^2``
    through the hyperplane orthogonal to ``reflection_axis`` v; its own inverse, with
    determinant -1."""

    def __init__(self, reflection_axis: Any, is_non_singular: bool | None = None,
                 is_self_adjoint: bool | None = None, is_positive_definite: bool | None = None,
                 is_square: bool | None = None, name: str = "LinearOperatorHouseholder"
                 ) -> None:
        if is_non_singular is False or is_self_adjoint is False or is_square is False:
            raise ValueError("A Householder operator is always non-singular, self-adjoint "
                             "and square.")
        if is_positive_definite:
            raise ValueError("A Householder operator is never positive definite.")
        self._axis = convert_to_tensor(reflection_axis)
        super().__init__(self._axis.dtype, graph_parents=[self._axis], is_non_singular=True,
                         is_self_adjoint=True, is_positive_definite=is_positive_definite,
                         is_square=True, name=name,
                         parameters={"reflection_axis": reflection_axis})

    @property
    def reflection_axis(self) -> Tensor:
        """The vector v the reflection negates."""
        return self._axis

    def _shape(self) -> TensorShape:
        v = self._axis.shape
        return TensorShape(None) if v.ndims is None else TensorShape(v.as_list() + [v[-1]])

    def _unit(self) -> Tensor:
        return realdiv(self._axis, expand_dims(sqrt(reduce_sum(square(abs(self._axis)), -1)),
                                               -1))

    def _matmul(self, x: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        x = _arg(x, adjoint_arg)
        u = expand_dims(self._unit(), -1)
        return subtract(x, multiply(2.0, matmul(u, matmul(u, x, adjoint_a=True))))

    def _to_dense(self) -> Tensor:
        n = self.domain_dimension
        return self._matmul(constant(np.eye(n), dtype=self.dtype), False, False)

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return self._matmul(rhs, adjoint, adjoint_arg)

    def _determinant(self) -> Tensor:
        return subtract(zeros(self.batch_shape.as_list(), dtype=self.dtype), 1.0)

    def _log_abs_determinant(self) -> Tensor:
        return zeros(self.batch_shape.as_list(), dtype=self.dtype)

    def _diag_part(self) -> Tensor:
        return subtract(1.0, multiply(2.0, square(abs(self._unit()))))

    def _trace(self) -> Tensor:
        return subtract(reduce_sum(ones(self.batch_shape.as_list() + [self.domain_dimension],
                                        dtype=self.dtype), -1), 2.0)

    def _adjoint(self) -> LinearOperator:
        return self

    def _inverse(self) -> LinearOperator:
        return self


class LinearOperatorPermutation(LinearOperator):
    """``tf.linalg.LinearOperatorPermutation``: ``P`` with ``(P x)[i] = x[perm[i]]``; a
    1-D ``perm`` acts by gathering rows, a batch of them through the one-hot matrix."""

    def __init__(self, perm: Any, dtype: Any = dtypes.float32,
                 is_non_singular: bool | None = None, is_self_adjoint: bool | None = None,
                 is_positive_definite: bool | None = None, is_square: bool | None = None,
                 name: str = "LinearOperatorPermutation") -> None:
        self._perm = convert_to_tensor(perm)
        if not self._perm.dtype.is_integer:
            raise TypeError(f"LinearOperatorPermutation: perm must be integer, got "
                            f"{self._perm.dtype.name}")
        if is_non_singular is False or is_square is False:
            raise ValueError("A Permutation operator is always non-singular and square.")
        super().__init__(dtype, graph_parents=[self._perm], is_non_singular=True,
                         is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True,
                         name=name, parameters={"perm": perm, "dtype": dtype})

    @property
    def perm(self) -> Tensor:
        """The permutation indices."""
        return self._perm

    def _shape(self) -> TensorShape:
        p = self._perm.shape
        return TensorShape(None) if p.ndims is None else TensorShape(p.as_list() + [p[-1]])

    def _to_dense(self) -> Tensor:
        return one_hot(self._perm, self.domain_dimension, dtype=self.dtype)

    def _matmul(self, x: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        x = _arg(x, adjoint_arg)
        if self._perm.shape.ndims == 1 and not adjoint:
            return gather(x, self._perm, axis=-2)
        return matmul(self._to_dense(), x, adjoint_a=adjoint)

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return self._matmul(rhs, not adjoint, adjoint_arg)

    def _determinant(self) -> Tensor:
        return matrix_determinant(self._to_dense())

    def _log_abs_determinant(self) -> Tensor:
        return zeros(self.batch_shape.as_list(), dtype=self.dtype)

    def _inverse(self) -> LinearOperator:
        return self._adjoint()

"""``tf.SparseTensor``: a tensor given by its non-zero entries, and the conversions and
placeholders built on it.

A SparseTensor of rank ``r`` holding ``N`` entries is three tensors: ``indices`` (int64,
``[N, r]``), ``values`` (``[N]``) and ``dense_shape`` (int64, ``[r]``). TF1 calls its
indices *canonically ordered* when they are sorted row-major (lexicographically) without
repeats; ``sparse_reorder`` makes them so, and the ops that need the order say so.

Fetching a SparseTensor from ``Session.run`` gives a :class:`SparseTensorValue`; feeding a
``sparse_placeholder`` takes a SparseTensorValue or an ``(indices, values, dense_shape)``
tuple (``runtime/fetches.py`` reads ``_fetch_parts`` / ``_feed_parts`` below).
"""
from __future__ import annotations

import collections
import contextlib
from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor, name_scope
from ..core.shapes import TensorShape
from .framework import constant_value, convert_to_tensor
from .indexed_slices import IndexedSlices, IndexedSlicesValue, ValuesBacked
from .op_util import static_shape
from .state_ops import placeholder, placeholder_with_default

__all__ = ["SparseTensor", "SparseTensorValue", "sparse_placeholder",
           "convert_to_tensor_or_sparse_tensor", "convert_to_tensor_or_indexed_slices"]

SparseTensorValue = collections.namedtuple("SparseTensorValue",
                                           ["indices", "values", "dense_shape"])
SparseTensorValue.__doc__ = ("``tf.SparseTensorValue``: a SparseTensor's value as NumPy "
                             "arrays (indices, values, dense_shape).")


class SparseTensor(ValuesBacked):
    """``tf.SparseTensor(indices, values, dense_shape)``: the dense tensor of shape
    ``dense_shape`` holding ``values[i]`` at ``indices[i]`` and zeros elsewhere."""

    def __init__(self, indices: Any, values: Any, dense_shape: Any) -> None:
        self._shape_hint = TensorShape(None)  # what sparse_placeholder's shape says
        with name_scope(None, "SparseTensor", [indices, values, dense_shape]):
            self._indices = _int64(indices, "indices")
            self._values = convert_to_tensor(values, name="values")
            self._dense_shape = _int64(dense_shape, "dense_shape")
        if self._indices.shape.ndims not in (None, 2):
            raise ValueError(f"SparseTensor: indices must be a matrix [N, rank], got shape "
                             f"{self._indices.shape}")
        if self._values.shape.ndims not in (None, 1):
            raise ValueError(f"SparseTensor: values must be a vector [N], got shape "
                             f"{self._values.shape}")
        if self._dense_shape.shape.ndims not in (None, 1):
            raise ValueError(f"SparseTensor: dense_shape must be a vector, got shape "
                             f"{self._dense_shape.shape}")
        index_shape, value_shape = self._indices.shape, self._values.shape
        if index_shape.ndims == 2 and value_shape.ndims == 1 and \
                not index_shape[:1].is_compatible_with(value_shape):
            raise ValueError(f"SparseTensor: indices of shape {index_shape} and values of "
                             f"shape {value_shape} must hold as many entries")
        if index_shape.ndims == 2 and self._dense_shape.shape.ndims == 1 and \
                not index_shape[1:].is_compatible_with(self._dense_shape.shape):
            raise ValueError(f"SparseTensor: indices of shape {index_shape} do not match "
                             f"dense_shape of shape {self._dense_shape.shape}")

    @classmethod
    def from_value(cls, value: Any) -> "SparseTensor":
        """A SparseTensor from a SparseTensorValue (or a SparseTensor, returned as is)."""
        if isinstance(value, SparseTensor):
            return value
        return cls(value.indices, value.values, value.dense_shape)

    @property
    def indices(self) -> Tensor:
        """The coordinates of the entries, int64 ``[N, rank]``."""
        return self._indices

    @property
    def values(self) -> Tensor:
        """The entries, ``[N]``."""
        return self._values

    @property
    def dense_shape(self) -> Tensor:
        """The shape of the dense tensor, int64 ``[rank]``."""
        return self._dense_shape

    @property
    def shape(self) -> TensorShape:
        """The static dense shape, as far as it is known when the graph is built."""
        known = static_shape(self._dense_shape)
        if known.ndims is None and self._indices.shape.ndims == 2:
            known = TensorShape([None] * self._indices.shape.as_tuple()[1]) \
                if self._indices.shape.as_tuple()[1] is not None else TensorShape(None)
        elif known.ndims is not None:
            known = TensorShape([None if d is None or d < 0 else d for d in known.as_list()])
        return known.merge_with(self._shape_hint)

    def get_shape(self) -> TensorShape:
        """Same as :attr:`shape`."""
        return self.shape

    def eval(self, feed_dict: dict | None = None, session: Any = None) -> SparseTensorValue:
        """The value in ``session`` (default: the default session)."""
        from ..core.default_session import get_default_session
        return (session or get_default_session()).run(self, feed_dict)

    def consumers(self) -> list:
        """The ops reading any of the three tensors."""
        return [*self._indices.consumers(), *self._values.consumers(),
                *self._dense_shape.consumers()]

    def _fetch_parts(self) -> tuple[Callable[..., Any], list[Tensor]]:
        return SparseTensorValue, [self._indices, self._values, self._dense_shape]

    def _feed_parts(self, value: Any) -> tuple:
        """The three arrays fed for this SparseTensor's tensors."""
        if isinstance(value, SparseTensorValue) or (isinstance(value, (tuple, list))
                                                    and len(value) == 3):
            return tuple(value)
        raise TypeError(f"A value fed for a SparseTensor ({self._values.name}) must be a "
                        f"SparseTensorValue or an (indices, values, dense_shape) tuple, got "
                        f"{type(value).__name__}")

    def __repr__(self) -> str:
        return (f"SparseTensor(indices={self._indices!r}, values={self._values!r}, "
                f"dense_shape={self._dense_shape!r})")


def _int64(value: Any, name: str) -> Tensor:
    tensor = convert_to_tensor(value, dtype=None if isinstance(value, Tensor)
                               else dtypes.int64, name=name)
    if tensor.dtype != dtypes.int64:
        raise TypeError(f"SparseTensor: {name} must be int64, got {tensor.dtype.name} "
                        f"({tensor.name})")
    return tensor


def sparse_placeholder(dtype: Any, shape: Any = None, name: str | None = None
                       ) -> SparseTensor:
    """``tf.sparse_placeholder``: a SparseTensor whose three parts are fed together (a
    SparseTensorValue or ``(indices, values, dense_shape)`` for the returned object).
    With a fully known ``shape`` the dense shape is a constant; with a partly known one
    it is a ``placeholder_with_default`` whose unknown sizes are -1 (as TF1)."""
    dims = TensorShape(shape)
    with name_scope(name) if name else contextlib.nullcontext():
        if dims.ndims is None:
            dense_shape = placeholder(dtypes.int64, [None],
                                      name=None if name is None else "shape")
            rank = None
        else:
            known = np.array([-1 if d is None else d for d in dims.as_list()], np.int64)
            dense_shape = (convert_to_tensor(known, name="shape") if dims.is_fully_defined()
                           else placeholder_with_default(known, [dims.ndims],
                                                         name=None if name is None
                                                         else "shape"))
            rank = dims.ndims
        values = placeholder(dtypes.as_dtype(dtype), [None],
                             name=None if name is None else "values")
        indices = placeholder(dtypes.int64, [None, rank],
                              name=None if name is None else "indices")
    result = SparseTensor(indices, values, dense_shape)
    result._shape_hint = dims
    return result


def _pass_composite(value: Any, kind: type, dtype: Any, name: str | None) -> Any:
    """``value`` if it is a ``kind`` of the requested dtype, else a Tensor."""
    if isinstance(value, kind):
        if dtype is not None and dtypes.as_dtype(dtype) != value.dtype:
            raise ValueError(f"{kind.__name__} conversion requested dtype "
                             f"{dtypes.as_dtype(dtype).name} for a {kind.__name__} of dtype "
                             f"{value.dtype.name}")
        return value
    return convert_to_tensor(value, dtype=dtype, name=name)


def convert_to_tensor_or_sparse_tensor(value: Any, dtype: Any = None,
                                       name: str | None = None) -> Any:
    """``tf.convert_to_tensor_or_sparse_tensor``: SparseTensors (and SparseTensorValues,
    made into SparseTensors) pass through; anything else becomes a Tensor."""
    if isinstance(value, SparseTensorValue):
        value = SparseTensor.from_value(value)
    return _pass_composite(value, SparseTensor, dtype, name)


def convert_to_tensor_or_indexed_slices(value: Any, dtype: Any = None,
                                        name: str | None = None) -> Any:
    """``tf.convert_to_tensor_or_indexed_slices``: IndexedSlices pass through; anything
    else becomes a Tensor."""
    if isinstance(value, IndexedSlicesValue):
        value = IndexedSlices(value.values, value.indices, value.dense_shape)
    return _pass_composite(value, IndexedSlices, dtype, name)


def as_sparse(value: Any, what: str) -> SparseTensor:
    """``value`` as a SparseTensor (from a SparseTensorValue); TypeError naming ``what``."""
    if isinstance(value, SparseTensorValue):
        return SparseTensor.from_value(value)
    if not isinstance(value, SparseTensor):
        raise TypeError(f"{what}: expected a SparseTensor, got {type(value).__name__}")
    return value


def known_rank(sp: SparseTensor, what: str) -> int:
    """The rank of ``sp`` known at build time; ValueError naming ``what`` otherwise."""
    rank = sp.shape.ndims
    if rank is None:
        raise ValueError(f"{what}: the rank of the SparseTensor must be known when the graph "
                         f"is built (indices {sp.indices.shape}, dense_shape "
                         f"{sp.dense_shape.shape})")
    return rank


def constant_dense_shape(sp: SparseTensor) -> list[int] | None:
    """The dense shape if it is a build-time constant."""
    known = constant_value(sp.dense_shape)
    return None if known is None else [int(d) for d in np.reshape(known, -1)]


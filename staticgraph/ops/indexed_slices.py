"""``tf.IndexedSlices``: rows of a larger tensor, the gradient of ``gather`` on axis 0.

``IndexedSlices(values, indices, dense_shape)`` stands for the dense tensor of shape
``dense_shape`` that is zero except ``dense[indices[i]] += values[i]`` (repeated indices
add up). Gradients of embedding lookups stay in this form, so that an optimizer updates
only the rows a batch touched; :func:`convert_to_tensor` densifies one, warning (as TF1
does) when the dense tensor has at least 100,000,000 elements or an unknown shape.
"""
from __future__ import annotations

import collections
import warnings
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from ..core.shapes import TensorShape
from .cast_ops import cast
from .framework import apply_op, constant_value, convert_to_tensor
from .join_ops import concat
from .math_ops import add_n

__all__ = ["IndexedSlices"]

# TF1's threshold for its "may consume a large amount of memory" warning.
LARGE_SPARSE_NUM_ELEMENTS = 100_000_000


IndexedSlicesValue = collections.namedtuple("IndexedSlicesValue",
                                            ["values", "indices", "dense_shape"])
IndexedSlicesValue.__doc__ = ("An IndexedSlices' value as NumPy arrays (what ``Session.run`` "
                              "returns for one, as TF1's ``IndexedSlicesValue``).")


class ValuesBacked:
    """What a composite of tensors (IndexedSlices, SparseTensor) takes from its values
    tensor ``_values``: dtype, name, op, graph and device."""

    _values: Tensor

    @property
    def dtype(self) -> dtypes.DType:
        """The dtype of the values."""
        return self._values.dtype

    @property
    def name(self) -> str:
        """The name of the values tensor."""
        return self._values.name

    @property
    def op(self) -> Any:
        """The op producing the values."""
        return self._values.op

    @property
    def graph(self) -> Any:
        """The graph of the values."""
        return self._values.graph

    @property
    def device(self) -> str:
        """Always ``""`` (no devices here)."""
        return ""


class IndexedSlices(ValuesBacked):
    """A sparse representation of a set of tensor slices at given indices (TF1's
    ``tf.IndexedSlices``): ``values`` of shape ``[N, D1, ...]``, ``indices`` of shape
    ``[N]`` into the first axis of a dense tensor of shape ``dense_shape``."""

    def __init__(self, values: Any, indices: Any, dense_shape: Any = None) -> None:
        self._values = convert_to_tensor(values)
        self._indices = convert_to_tensor(indices)
        self._dense_shape = None if dense_shape is None else convert_to_tensor(dense_shape)
        if not self._indices.dtype.is_integer:
            raise TypeError(f"IndexedSlices indices must be integers, got "
                            f"{self._indices.dtype.name} ({self._indices.name})")

    @property
    def values(self) -> Tensor:
        """The slices, shape ``[N, D1, ...]``."""
        return self._values

    @property
    def indices(self) -> Tensor:
        """Where each slice goes in the first axis of the dense tensor, shape ``[N]``."""
        return self._indices

    @property
    def dense_shape(self) -> Tensor | None:
        """The shape of the dense tensor (a 1-D integer tensor), or None."""
        return self._dense_shape

    @property
    def shape(self) -> TensorShape:
        """The static shape of the dense tensor, as far as it is known."""
        known = None if self._dense_shape is None else constant_value(self._dense_shape)
        if known is not None:
            return TensorShape([int(d) for d in known])
        rows = self._values.shape
        if rows.ndims is None:
            return TensorShape(None)
        return TensorShape([None]).concatenate(rows[1:])

    def get_shape(self) -> TensorShape:
        """Same as :attr:`shape`."""
        return self.shape

    def _as_tensor(self) -> Tensor:
        return densify(self)

    def _fetch_parts(self) -> tuple[Any, list[Tensor | None]]:
        return IndexedSlicesValue, [self._values, self._indices, self._dense_shape]

    def __neg__(self) -> "IndexedSlices":
        return IndexedSlices(-self._values, self._indices, self._dense_shape)

    def __repr__(self) -> str:
        shape = "None" if self._dense_shape is None else self._dense_shape.name
        return (f"IndexedSlices(indices={self._indices.name}, values={self._values.name}, "
                f"dense_shape={shape})")

    __str__ = __repr__


def densify(slices: IndexedSlices, name: str | None = None) -> Tensor:
    """The dense tensor an IndexedSlices stands for (repeated indices added up)."""
    if slices.dense_shape is None:
        raise ValueError(f"Tensor conversion requested for IndexedSlices without "
                         f"dense_shape: {slices}")
    known = constant_value(slices.dense_shape)
    if known is None:
        warnings.warn("Converting sparse IndexedSlices to a dense Tensor of unknown shape. "
                      "This may consume a large amount of memory.", stacklevel=3)
    else:
        num_elements = int(np.prod(known))
        if num_elements >= LARGE_SPARSE_NUM_ELEMENTS:
            warnings.warn(f"Converting sparse IndexedSlices to a dense Tensor with "
                          f"{num_elements} elements. This may consume a large amount of "
                          f"memory.", stacklevel=3)
    return apply_op("ScatterAddToShape", [slices.values, slices.indices, slices.dense_shape],
                    {"axis": 0}, name=name or "densify").outputs[0]


def aggregate(grads: Sequence[Any]) -> Any:
    """The sum of gradient contributions, as TF1's gradient aggregation does: tensors are
    added with one ``AddN`` (IndexedSlices among them densified); several IndexedSlices
    stay sparse, their values and indices concatenated."""
    if len(grads) == 1:
        return grads[0]
    if grads[0].__class__ is Tensor:  # the common case: tensors of one dtype, which
        dtype = grads[0]._dtype  # ``add_n`` would pass through unconverted
        for g in grads:
            if g.__class__ is not Tensor or g._dtype is not dtype:
                break
        else:
            return apply_op("AddN", grads)._outputs[0]
    if all(isinstance(g, IndexedSlices) for g in grads):
        index_dtypes = {g.indices.dtype for g in grads}
        index_dtype = index_dtypes.pop() if len(index_dtypes) == 1 else dtypes.int64
        return IndexedSlices(concat([g.values for g in grads], 0),
                             concat([cast(g.indices, index_dtype) for g in grads], 0),
                             grads[0].dense_shape)
    return add_n([convert_to_tensor(g) for g in grads])

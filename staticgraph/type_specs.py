"""TF1's type specifications: descriptions of the values a tensor-like object can hold
(``tf.TensorSpec``, ``tf.IndexedSlicesSpec``, ...), as ``tf.data`` and function
signatures use them, and ``tf.type_spec_from_value``.

A spec holds fields (shapes, dtypes, flags); two specs are equal when their classes and
fields are, and compatible when their classes are the same, their shapes compatible and
their other fields equal (a ``TensorSpec``'s name plays no part). ``SparseTensorSpec``
describes values with ``indices``, ``values`` and ``dense_shape`` without depending on a
SparseTensor class.
"""
from __future__ import annotations

from typing import Any

from .control_flow.tensor_array import TensorArray
from .core import dtypes
from .core.graph import Tensor
from .core.shapes import TensorShape, as_shape
from .ops.framework import constant_value, convert_to_tensor
from .ops.indexed_slices import IndexedSlices

__all__ = ["IndexedSlicesSpec", "NoneTensorSpec", "OptionalSpec", "SparseTensorSpec",
           "TensorArraySpec", "TensorSpec", "TypeSpec", "type_spec_from_value"]


def _field_text(value: Any) -> str:
    if isinstance(value, TensorShape):
        return "<unknown>" if value.ndims is None else repr(tuple(value.as_list()))
    return repr(value)


def _compatible(a: Any, b: Any) -> bool:
    if isinstance(a, TensorShape):
        return a.is_compatible_with(b)
    if isinstance(a, TypeSpec):
        return a.is_compatible_with(b)
    return a == b


class TypeSpec:
    """Base class of type specifications: a subclass lists its fields in ``_fields``
    (attributes ``_<field>``) and names the Python type it describes in ``value_type``."""

    _fields: tuple[str, ...] = ()
    value_type: Any = object

    def _values(self) -> tuple:
        return tuple(getattr(self, f"_{field}") for field in self._fields)

    def _compared(self) -> tuple:
        """The fields compatibility looks at (all of them by default)."""
        return self._values()

    def is_compatible_with(self, spec_or_value: Any) -> bool:
        """Whether ``spec_or_value`` (a spec, or a value given to
        :func:`type_spec_from_value`) is of this spec's class with compatible shapes and
        equal other fields."""
        other = spec_or_value if isinstance(spec_or_value, TypeSpec) else \
            type_spec_from_value(spec_or_value)
        return type(other) is type(self) and all(
            _compatible(a, b) for a, b in zip(self._compared(), other._compared()))

    def __eq__(self, other: Any) -> bool:
        return type(other) is type(self) and self._values() == other._values()

    def __ne__(self, other: Any) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(map(repr, self._values()))))

    def __repr__(self) -> str:
        fields = ", ".join(f"{field}={_field_text(value)}"
                           for field, value in zip(self._fields, self._values()))
        return f"{type(self).__name__}({fields})"


class _DenseSpec(TypeSpec):
    """A spec with a (dense) ``shape`` and a ``dtype``."""

    _fields = ("shape", "dtype")

    def __init__(self, shape: Any = None, dtype: Any = dtypes.float32) -> None:
        self._shape = as_shape(shape)
        self._dtype = dtypes.as_dtype(dtype)

    @property
    def shape(self) -> TensorShape:
        """The shape of the described values (dense shape for sparse ones)."""
        return self._shape

    @property
    def dtype(self) -> dtypes.DType:
        """The dtype of the described values."""
        return self._dtype


class TensorSpec(_DenseSpec):
    """Describes a Tensor: its ``shape`` (possibly partly unknown), ``dtype`` and an
    optional ``name`` (ignored by compatibility)."""

    _fields = ("shape", "dtype", "name")
    value_type = Tensor

    def __init__(self, shape: Any, dtype: Any = dtypes.float32, name: str | None = None) -> None:
        super().__init__(shape, dtype)
        self._name = name

    @property
    def name(self) -> str | None:
        """The optional name."""
        return self._name

    def _compared(self) -> tuple:
        return self._shape, self._dtype

    @classmethod
    def from_spec(cls, spec: Any, name: str | None = None) -> "TensorSpec":
        """A TensorSpec with ``spec``'s shape and dtype (and name unless ``name``)."""
        return cls(spec.shape, spec.dtype, name or getattr(spec, "name", None))

    @classmethod
    def from_tensor(cls, tensor: Any, name: str | None = None) -> "TensorSpec":
        """The TensorSpec of ``tensor`` (named ``name``, else after the tensor's op)."""
        tensor = convert_to_tensor(tensor)
        return cls(tensor.shape, tensor.dtype, name or tensor.op.name)


class IndexedSlicesSpec(_DenseSpec):
    """Describes an IndexedSlices: the dense ``shape`` and ``dtype``, the indices' dtype
    and shape, and the dense-shape tensor's dtype (None when it has none)."""

    _fields = ("shape", "dtype", "indices_dtype", "dense_shape_dtype", "indices_shape")
    value_type = IndexedSlices

    def __init__(self, shape: Any = None, dtype: Any = dtypes.float32,
                 indices_dtype: Any = dtypes.int64, dense_shape_dtype: Any = None,
                 indices_shape: Any = None) -> None:
        super().__init__(shape, dtype)
        self._indices_dtype = dtypes.as_dtype(indices_dtype)
        self._dense_shape_dtype = None if dense_shape_dtype is None else \
            dtypes.as_dtype(dense_shape_dtype)
        self._indices_shape = as_shape(indices_shape).with_rank(1)


class SparseTensorSpec(_DenseSpec):
    """Describes a SparseTensor: its dense ``shape`` and the ``dtype`` of its values."""


class TensorArraySpec(TypeSpec):
    """Describes a TensorArray: its elements' shape and dtype, whether it grows, and
    whether it infers its element shape from writes."""

    _fields = ("element_shape", "dtype", "dynamic_size", "infer_shape")
    value_type = TensorArray

    def __init__(self, element_shape: Any = None, dtype: Any = dtypes.float32,
                 dynamic_size: bool = False, infer_shape: bool = True) -> None:
        self._element_shape = as_shape(element_shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._dynamic_size = bool(dynamic_size)
        self._infer_shape = bool(infer_shape)


class NoneTensorSpec(TypeSpec):
    """Describes ``None`` where a tensor-like value may be missing."""

    value_type = type(None)


class OptionalSpec(TypeSpec):
    """Describes an optional value of the structure ``element_spec`` (a spec)."""

    _fields = ("element_spec",)

    def __init__(self, element_spec: TypeSpec) -> None:
        self._element_spec = element_spec

    @property
    def element_spec(self) -> TypeSpec:
        """The spec of the value when present."""
        return self._element_spec


def _is_sparse(value: Any) -> bool:
    return all(hasattr(value, field) for field in ("indices", "values", "dense_shape"))


def type_spec_from_value(value: Any) -> TypeSpec:
    """The spec describing ``value``: a TensorSpec for tensors, variables and anything
    ``convert_to_tensor`` accepts (which then adds a Const, as in TF1), the matching spec
    for IndexedSlices, TensorArrays and sparse tensors.

    Raises:
      TypeError: ``value`` has no spec (it cannot be converted to a tensor).
    """
    if isinstance(value, IndexedSlices):
        dense_shape = value.dense_shape
        shape = TensorShape(None) if dense_shape is None else \
            _static_shape(dense_shape)
        return IndexedSlicesSpec(shape, value.dtype, value.indices.dtype,
                                 None if dense_shape is None else dense_shape.dtype,
                                 value.indices.shape)
    if isinstance(value, TensorArray):
        return TensorArraySpec(value.element_shape, value.dtype, value.dynamic_size)
    if _is_sparse(value):
        return SparseTensorSpec(_static_shape(convert_to_tensor(value.dense_shape)),
                                value.values.dtype)
    try:
        tensor = convert_to_tensor(value)
    except (TypeError, ValueError) as e:
        raise TypeError(f"Could not build a TypeSpec for {value!r} of type "
                        f"{type(value).__name__}: {e}") from e
    return TensorSpec(tensor.shape, tensor.dtype)


def _static_shape(dense_shape: Tensor) -> TensorShape:
    known = constant_value(dense_shape)
    if known is not None:
        return TensorShape([int(d) for d in known])
    rank = dense_shape.shape.as_tuple()[0] if dense_shape.shape.ndims == 1 else None
    return TensorShape(None if rank is None else [None] * rank)

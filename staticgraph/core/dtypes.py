"""TF1-style dtypes that interoperate with NumPy.

A :class:`DType` compares equal to the matching NumPy dtype, NumPy scalar type and
name string, and NumPy accepts it wherever it accepts a dtype (through ``.dtype``).
"""
from __future__ import annotations

from typing import Any

import numpy as np


class DType:
    """An element type of a tensor (``tf.float32`` and friends)."""

    __slots__ = ("_np",)

    def __init__(self, np_dtype: Any) -> None:
        self._np = np.dtype(np_dtype)

    @property
    def name(self) -> str:
        """TF name of the type, e.g. ``"float32"``."""
        return self._np.name

    @property
    def as_numpy_dtype(self) -> type:
        """The NumPy scalar type (``np.float32``)."""
        return self._np.type

    @property
    def dtype(self) -> np.dtype:
        """The NumPy dtype; lets NumPy accept a DType wherever it takes a dtype."""
        return self._np

    @property
    def base_dtype(self) -> "DType":
        """Itself: staticgraph has no reference dtypes."""
        return self

    @property
    def is_floating(self) -> bool:
        """True for float16/32/64."""
        return self._np.kind == "f"

    @property
    def is_integer(self) -> bool:
        """True for signed and unsigned integers."""
        return self._np.kind in "iu"

    @property
    def is_bool(self) -> bool:
        """True for bool."""
        return self._np.kind == "b"

    @property
    def is_complex(self) -> bool:
        """True for complex types."""
        return self._np.kind == "c"

    @property
    def is_differentiable(self) -> bool:
        """Whether gradients flow through tensors of this type."""
        return self._np.kind in "fc"

    @property
    def min(self) -> Any:
        """Smallest representable value."""
        info = np.finfo(self._np) if self.is_floating else np.iinfo(self._np)
        return info.min

    @property
    def max(self) -> Any:
        """Largest representable value."""
        info = np.finfo(self._np) if self.is_floating else np.iinfo(self._np)
        return info.max

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DType):
            return self._np == other._np
        try:
            return self._np == np.dtype(other)  # type: ignore[arg-type]
        except TypeError:
            return False

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self._np)

    def __repr__(self) -> str:
        return f"tf.{self.name}"

    def __str__(self) -> str:
        return f"<dtype: '{self.name}'>"

    def __reduce__(self) -> tuple:
        return (as_dtype, (self.name,))


float16 = DType(np.float16)
float32 = DType(np.float32)
float64 = DType(np.float64)
int8 = DType(np.int8)
int16 = DType(np.int16)
int32 = DType(np.int32)
int64 = DType(np.int64)
uint8 = DType(np.uint8)
bool_ = DType(np.bool_)
complex64 = DType(np.complex64)
complex128 = DType(np.complex128)
half = float16
double = float64

_BY_NUMPY = {d.dtype: d for d in (float16, float32, float64, int8, int16, int32, int64,
                                  uint8, bool_, complex64, complex128)}


def as_dtype(type_value: Any) -> DType:
    """Converts a DType, NumPy dtype/type or type name (``"float32"``) to a DType.

    Raises ``TypeError`` for values that name no supported type.
    """
    if isinstance(type_value, DType):
        return type_value
    if type_value is float:
        return float32
    if type_value is int:
        return int32
    if type_value is bool:
        return bool_
    if isinstance(type_value, str) and type_value in _TF_NAMES:
        return _TF_NAMES[type_value]  # TF's names, where NumPy reads "float" as float64
    try:
        np_dtype = np.dtype(type_value)
    except TypeError:
        raise TypeError(f"Cannot convert {type_value!r} to a staticgraph dtype") from None
    try:
        return _BY_NUMPY[np_dtype]
    except KeyError:
        raise TypeError(f"Unsupported dtype {np_dtype}") from None


_TF_NAMES = {"float": float32, "half": float16, "double": float64}

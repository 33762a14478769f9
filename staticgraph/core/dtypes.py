"""TF1-style dtypes that interoperate with NumPy.

A :class:`DType` compares equal to the matching NumPy dtype, NumPy scalar type and
TF type name (``"float"`` is float32, as in TF), and NumPy accepts it wherever it
accepts a dtype (through ``.dtype``). ``tf.string`` holds bytes: its arrays are NumPy
object arrays of ``bytes``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

class DType:
    """An element type of a tensor (``tf.float32`` and friends)."""

    __slots__ = ("_np", "_name", "_enum")

    def __init__(self, np_dtype: Any, name: str | None = None, enum: int = 0) -> None:
        self._np = np.dtype(np_dtype)
        self._name = name or self._np.name
        self._enum = enum

    @property
    def name(self) -> str:
        """TF name of the type, e.g. ``"float32"``."""
        return self._name

    @property
    def as_datatype_enum(self) -> int:
        """TF's ``DataType`` enum value (``DT_FLOAT`` is 1)."""
        return self._enum

    @property
    def size(self) -> int:
        """Bytes per element (1 for string, as TF reports it)."""
        return 1 if self._np.kind == "O" else self._np.itemsize

    @property
    def as_numpy_dtype(self) -> type:
        """The NumPy scalar type (``np.float32``; ``object`` for string, as in TF)."""
        return object if self._np.kind == "O" else self._np.type

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
    def is_unsigned(self) -> bool:
        """True for unsigned integers."""
        return self._np.kind == "u"

    @property
    def is_numeric(self) -> bool:
        """True for every type but bool and string."""
        return self._np.kind in "fiuc"

    @property
    def is_quantized(self) -> bool:
        """False: staticgraph has no quantized types."""
        return False

    @property
    def real_dtype(self) -> "DType":
        """The type of the real part (float32 for complex64), else itself."""
        if self._np.kind == "c":
            return _BY_NUMPY[np.finfo(self._np).dtype]
        return self

    @property
    def limits(self) -> tuple:
        """(min, max) of the type."""
        return (self.min, self.max)

    def is_compatible_with(self, other: Any) -> bool:
        """True when ``other`` names the same type."""
        return self == other

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
            return self is as_dtype(other)
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


# TF's DataType enum values (types.proto) ride along for the file formats.
float16 = DType(np.float16, enum=19)
float32 = DType(np.float32, enum=1)
float64 = DType(np.float64, enum=2)
int8 = DType(np.int8, enum=6)
int16 = DType(np.int16, enum=5)
int32 = DType(np.int32, enum=3)
int64 = DType(np.int64, enum=9)
uint8 = DType(np.uint8, enum=4)
uint16 = DType(np.uint16, enum=17)
uint32 = DType(np.uint32, enum=22)
uint64 = DType(np.uint64, enum=23)
bool_ = DType(np.bool_, "bool", enum=10)
complex64 = DType(np.complex64, enum=8)
complex128 = DType(np.complex128, enum=18)
string = DType(np.object_, "string", enum=7)
half = float16
double = float64

_ALL = (float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
        bool_, complex64, complex128, string)
_BY_NUMPY: dict = {d.dtype: d for d in _ALL}
# NumPy's text and bytes types are strings too (TF maps np.str_/np.bytes_ to tf.string).
_BY_NUMPY.update({np.dtype(np.str_): string, np.dtype(np.bytes_): string})
# Names TF's as_dtype accepts: the canonical ones and TF's aliases. NumPy's own spellings
# ("float" is float64 there, "f4", "int") are not TF names and are refused, as TF does.
_BY_NAME = {d.name: d for d in _ALL}
_BY_NAME.update({"float": float32, "double": float64, "half": float16})
# TF types NumPy cannot hold: named in the error instead of "not a type".
_UNSUPPORTED_NAMES = frozenset({
    "bfloat16", "qint8", "quint8", "qint16", "quint16", "qint32", "resource", "variant",
    "float8_e4m3fn", "float8_e5m2", "int4", "uint4"})


def as_dtype(type_value: Any) -> DType:
    """Converts a DType, NumPy dtype/type, Python type or TF type name to a DType.

    As TF's ``as_dtype``: ``"float"`` and ``float`` are float32, ``"double"`` float64,
    ``"half"`` float16, ``bool`` bool, ``object``/``np.str_``/``np.bytes_`` string;
    ``int`` and NumPy-only spellings (``"int"``, ``"f4"``) are a ``TypeError``.
    """
    if isinstance(type_value, DType):
        return type_value
    found = _BY_NUMPY.get(type_value) if isinstance(type_value, np.dtype) else None
    if found is not None:
        return found
    if isinstance(type_value, str):
        found = _BY_NAME.get(type_value)
        if found is not None:
            return found
        if type_value in _UNSUPPORTED_NAMES:
            raise TypeError(f"dtype {type_value!r} is a TensorFlow type staticgraph does "
                            "not support (no NumPy equivalent)")
        raise TypeError(f"Cannot convert {type_value!r} to a staticgraph dtype")
    if type_value is float:
        return float32
    if type_value is bool:
        return bool_
    if type_value is object:
        return string
    if type_value is int or type_value is complex or type_value is str or type_value is bytes:
        raise TypeError(f"Cannot convert {type_value!r} to a staticgraph dtype (as in "
                        "TensorFlow, name the type: tf.int32, tf.complex128, tf.string)")
    try:
        np_dtype = np.dtype(type_value)
    except TypeError:
        raise TypeError(f"Cannot convert {type_value!r} to a staticgraph dtype") from None
    found = _BY_NUMPY.get(np_dtype)
    if found is None and np_dtype.kind in "US":
        found = string
    if found is None:
        raise TypeError(f"Unsupported dtype {np_dtype}")
    return found

"""``tf.dtypes``: the element types, ``as_dtype``, ``cast`` and ``as_string``."""
from __future__ import annotations

from .core.dtypes import (DType, as_dtype, bool_ as bool, complex64, complex128, double,
                          float16, float32, float64, half, int8, int16, int32, int64, string,
                          uint8, uint16, uint32, uint64)
from .ops.cast_ops import cast
from .ops.string_ops import as_string
from .ops.complex_ops import complex  # complex numbers (wt-linalg)

__all__ = ["DType", "as_dtype", "bool", "complex64", "complex128", "double", "float16",
           "float32", "float64", "half", "int8", "int16", "int32", "int64", "string",
           "uint8", "uint16", "uint32", "uint64", "cast", "as_string",
           "complex"]

# saturating conversion (array, scatter and sort ops)
from .ops.bitwise_ops import saturate_cast  # noqa: E402
__all__ += ["saturate_cast"]

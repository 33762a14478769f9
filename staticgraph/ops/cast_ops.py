"""Casts between dtypes (``tf.cast``, ``tf.to_float``...)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import Role, define_op
from .framework import apply_op, convert_to_tensor

__all__ = [
    "cast", "to_float", "to_double", "to_int32", "to_int64",
]


# ----------------------------------------------------------------------------------------
# Casts
# ----------------------------------------------------------------------------------------


def _cast_kernel(x: np.ndarray, *, DstT: dtypes.DType) -> np.ndarray:
    if np.iscomplexobj(x) and not DstT.is_complex:
        x = np.real(x)  # TF1 keeps the real part
    return np.asarray(x).astype(DstT.dtype)


def _cast_shape(inputs: list, attrs: dict) -> list:
    return [(inputs[0].shape, attrs["DstT"])]


def _cast_vjp(op: Operation, g: Tensor) -> list:
    src = op.inputs[0].dtype
    return [cast(g, src) if src.is_differentiable and g.dtype.is_differentiable else None]


def _cast_jvp(op: Operation, t: Tensor | None) -> list:
    dst = op.get_attr("DstT")
    return [cast(t, dst) if t is not None and dst.is_differentiable else None]


define_op("Cast", kernel=_cast_kernel, shape_fn=_cast_shape, vjp=_cast_vjp, jvp=_cast_jvp,
          elementwise=True,
          view_of={}, fresh=True, role=Role.CAST)


def cast(x: Any, dtype: Any, name: str | None = None) -> Tensor:
    """``tf.cast``: ``x`` converted to ``dtype`` (``x`` itself when already of that dtype).

    Floats cast to integers truncate toward zero; complex to real keeps the real part.
    Gradients flow only between floating-point (or complex) types.
    """
    target = dtypes.as_dtype(dtype)
    x = convert_to_tensor(x)
    if x.dtype == target:
        return x
    return apply_op("Cast", [x], {"DstT": target}, name=name or "Cast").outputs[0]


def to_float(x: Any, name: str = "ToFloat") -> Tensor:
    """``tf.to_float``: cast to float32."""
    return cast(x, dtypes.float32, name=name)


def to_double(x: Any, name: str = "ToDouble") -> Tensor:
    """``tf.to_double``: cast to float64."""
    return cast(x, dtypes.float64, name=name)


def to_int32(x: Any, name: str = "ToInt32") -> Tensor:
    """``tf.to_int32``: cast to int32."""
    return cast(x, dtypes.int32, name=name)


def to_int64(x: Any, name: str = "ToInt64") -> Tensor:
    """``tf.to_int64``: cast to int64."""
    return cast(x, dtypes.int64, name=name)

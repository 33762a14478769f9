"""String basics: ``tf.as_string`` and ``tf.strings.join`` (``tf.string_join``).

A ``tf.string`` tensor's value is a NumPy object array of ``bytes``; equality
(``tf.equal``) works on it as on numbers.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.registry import define_op
from ..core.shapes import broadcast_all
from .framework import apply_op, convert_to_tensor

__all__ = ["as_string", "string_join"]


def _format_item(item: Any, precision: int) -> bytes:
    if isinstance(item, (bool, np.bool_)):
        return b"true" if item else b"false"
    if isinstance(item, (float, np.floating)):
        return (f"{item:.{precision}f}" if precision >= 0 else f"{item:f}").encode()
    return str(item).encode()


def _as_string_kernel(x: np.ndarray, *, precision: int) -> np.ndarray:
    out = np.empty(np.shape(x), dtype=object)
    for index, item in np.ndenumerate(np.asarray(x)):
        out[index] = _format_item(item, precision)
    return out


def _as_string_shape(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    if not (x.dtype.is_numeric or x.dtype.is_bool) or x.dtype.is_complex:
        raise TypeError(f"as_string takes a real number or bool tensor, got {x.dtype.name}")
    return [(x.shape, dtypes.string)]


define_op("AsString", kernel=_as_string_kernel, shape_fn=_as_string_shape,
          view_of={}, non_differentiable=(0,),
          doc="Each element as text (floats with 6 decimals unless a precision is given).")


def as_string(input: Any, precision: int = -1, name: str | None = None) -> Any:
    """``tf.as_string``: each element as a string (``%f`` for floats, ``true``/``false``)."""
    return apply_op("AsString", [convert_to_tensor(input)], {"precision": int(precision)},
                    name=name).outputs[0]


def _join_kernel(*parts: np.ndarray, separator: str) -> np.ndarray:
    arrays = np.broadcast_arrays(*[np.asarray(p, dtype=object) for p in parts])
    out = np.empty(arrays[0].shape, dtype=object)
    sep = separator.encode("utf-8")
    for index in np.ndindex(out.shape):
        out[index] = sep.join(a[index] for a in arrays)
    return out


def _join_shape(inputs: list, attrs: dict) -> list:
    for t in inputs:
        if t.dtype != dtypes.string:
            raise TypeError(f"string_join takes string tensors, got {t.name} of "
                            f"{t.dtype.name}")
    return [(broadcast_all(t.shape for t in inputs), dtypes.string)]


define_op("StringJoin", kernel=_join_kernel, shape_fn=_join_shape, view_of={},
          doc="Joins strings element-wise with a separator.")


def string_join(inputs: Sequence[Any], separator: str = "", name: str | None = None) -> Any:
    """``tf.string_join`` / ``tf.strings.join``: element-wise concatenation (broadcast)."""
    tensors = [convert_to_tensor(t, dtype=dtypes.string) for t in inputs]
    return apply_op("StringJoin", tensors, {"separator": separator}, name=name).outputs[0]

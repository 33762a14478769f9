"""Arg-reductions (``argmax``, ``argmin``) and scans (``cumsum``, ``cumprod``)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape, normalize_axis
from .framework import apply_op, convert_to_tensor
from .math_ops import multiply, realdiv
from .op_util import _deprecated_lookup, _one_axis

__all__ = [
    "argmax", "argmin", "cumsum", "cumprod",
]


# ----------------------------------------------------------------------------------------
# ArgMax / ArgMin
# ----------------------------------------------------------------------------------------


def _arg_shape(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    if x.dtype.is_bool or x.dtype.is_complex:
        raise TypeError(f"expects a real numeric input, got {x.dtype.name}")
    if attrs["output_type"] not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"output_type must be int32 or int64, got {attrs['output_type']}")
    if x.shape.ndims is None:
        return [(TensorShape(None), attrs["output_type"])]
    if x.shape.ndims == 0:
        raise ValueError("cannot reduce a scalar (shape ()) along an axis")
    dims = x.shape.as_list()
    del dims[normalize_axis(attrs["axis"], len(dims))]
    return [(TensorShape(dims), attrs["output_type"])]


def _arg_kernel(reducer: Callable) -> Callable:
    def kernel(x: np.ndarray, *, axis: int, output_type: dtypes.DType) -> np.ndarray:
        return np.asarray(reducer(x, axis=axis)).astype(output_type.dtype, copy=False)
    return kernel


define_op("ArgMax", kernel=_arg_kernel(np.argmax), shape_fn=_arg_shape,
          non_differentiable=(0,),
          view_of={})
define_op("ArgMin", kernel=_arg_kernel(np.argmin), shape_fn=_arg_shape,
          non_differentiable=(0,),
          view_of={})


def _arg_function(op_type: str, tf_name: str, doc: str) -> Callable[..., Tensor]:
    """The public TF1 ``tf_name(input, axis=None, name=None, dimension=None,
    output_type=tf.int64)``; the axis defaults to 0."""
    def function(input: Any, axis: Any = None, name: str | None = None,
                 dimension: Any = None, output_type: Any = dtypes.int64) -> Tensor:
        axis = _deprecated_lookup("axis", axis, "dimension", dimension)
        x = convert_to_tensor(input)
        attrs = {"axis": _one_axis(0 if axis is None else axis, x, tf_name),
                 "output_type": dtypes.as_dtype(output_type)}
        return apply_op(op_type, [x], attrs, name=name).outputs[0]
    function.__name__ = function.__qualname__ = tf_name
    function.__doc__ = doc
    return function


argmax = _arg_function("ArgMax", "argmax",
                       "``tf.argmax``: index of the largest value along an axis (first tie).")
argmin = _arg_function("ArgMin", "argmin",
                       "``tf.argmin``: index of the smallest value along an axis (first tie).")

# ----------------------------------------------------------------------------------------
# Scans: Cumsum, Cumprod
# ----------------------------------------------------------------------------------------


def _scan_kernel(ufunc: np.ufunc) -> Callable:
    def kernel(x: np.ndarray, *, axis: int, exclusive: bool, reverse: bool) -> np.ndarray:
        x = np.asarray(x)
        axis = axis % x.ndim
        if reverse:
            x = np.flip(x, axis)
        lead = (slice(None),) * axis
        if exclusive:
            out = np.empty_like(x)
            out[lead + (slice(0, 1),)] = ufunc.identity
            ufunc.accumulate(x[lead + (slice(None, -1),)], axis=axis, dtype=x.dtype,
                             out=out[lead + (slice(1, None),)])
        else:
            out = ufunc.accumulate(x, axis=axis, dtype=x.dtype)
        return np.flip(out, axis) if reverse else out
    return kernel


def _scan_shape(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    if x.dtype.is_bool:
        raise TypeError("expects a numeric input, got bool")
    if x.shape.ndims is not None:
        if x.shape.ndims == 0:
            raise ValueError("cannot scan a scalar (shape ())")
        normalize_axis(attrs["axis"], x.shape.ndims)
    return [(x.shape, x.dtype)]


def _scan_attrs(op: Operation, flip: bool = False) -> dict:
    return {"axis": op.get_attr("axis"), "exclusive": op.get_attr("exclusive"),
            "reverse": op.get_attr("reverse") != flip}


def _cumsum_vjp(op: Operation, g: Tensor) -> list:
    return [cumsum(g, **_scan_attrs(op, flip=True))]


def _cumsum_jvp(op: Operation, t: Tensor | None) -> list:
    return [None if t is None else cumsum(t, **_scan_attrs(op))]


def _cumprod_vjp(op: Operation, g: Tensor) -> list:
    # TF1's rule (divides by x: exact only where x is nonzero).
    summed = cumsum(multiply(op.outputs[0], g), **_scan_attrs(op, flip=True))
    return [realdiv(summed, op.inputs[0])]


def _cumprod_jvp(op: Operation, t: Tensor | None) -> list:
    if t is None:
        return [None]
    return [multiply(op.outputs[0], cumsum(realdiv(t, op.inputs[0]), **_scan_attrs(op)))]


define_op("Cumsum", kernel=_scan_kernel(np.add), shape_fn=_scan_shape, vjp=_cumsum_vjp,
          jvp=_cumsum_jvp,
          view_of={})
define_op("Cumprod", kernel=_scan_kernel(np.multiply), shape_fn=_scan_shape,
          vjp=_cumprod_vjp, jvp=_cumprod_jvp,
          view_of={})


def _scan_function(op_type: str, tf_name: str, doc: str) -> Callable[..., Tensor]:
    """The public TF1 ``tf_name(x, axis=0, exclusive=False, reverse=False, name=None)``."""
    def function(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
                 name: str | None = None) -> Tensor:
        x = convert_to_tensor(x)
        attrs = {"axis": _one_axis(axis, x, tf_name), "exclusive": bool(exclusive),
                 "reverse": bool(reverse)}
        return apply_op(op_type, [x], attrs, name=name).outputs[0]
    function.__name__ = function.__qualname__ = tf_name
    function.__doc__ = doc
    return function


cumsum = _scan_function("Cumsum", "cumsum", "``tf.cumsum``: cumulative sum along an axis.")
cumprod = _scan_function("Cumprod", "cumprod",
                         "``tf.cumprod``: cumulative product along an axis.")

"""Convolution ops (NHWC): Conv2D and its two gradient ops, and the tf.nn functions on them.

The NumPy kernels are in :mod:`.window_kernels`. Every gradient op is linear in its
gradient input and has its own VJP and JVP, so second-order gradients go through
convolutions. The argument checks here are shared with the pooling ops (:mod:`.pool_ops`).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from . import window_kernels as kernels
from .framework import (apply_op, check_same_dtype, constant_value, convert_n,
                        convert_to_tensor)
from .math_ops import add_n
from .shape_ops import shape_of
from .window_kernels import Geometry, geometry, output_size

__all__ = [
    "conv2d",
    "conv2d_backprop_input",
    "conv2d_backprop_filter",
    "conv2d_transpose",
]

PADDINGS = ("SAME", "VALID")

# ----------------------------------------------------------------------------------------
# Argument checking shared by the public functions and the shape rules
# ----------------------------------------------------------------------------------------


def _spatial(values: Any, what: str, op: str) -> tuple[int, int]:
    """The (h, w) entries of a TF1 NHWC list ``[1, h, w, 1]`` (an int or a pair also work)."""
    v = [int(x) for x in np.reshape(np.asarray(values), -1)]
    if len(v) in (1, 2):
        v = [1, v[0], v[-1], 1]
    if len(v) != 4 or v[0] != 1 or v[3] != 1 or min(v) < 1:
        raise ValueError(f"{op}: {what} must be [1, h, w, 1] with positive h and w (no "
                         f"batch or depth {what}), got {list(np.reshape(values, -1))}")
    return v[1], v[2]


def _check_format(data_format: str | None, padding: Any, op: str) -> str:
    if data_format not in (None, "NHWC"):
        raise ValueError(f"{op}: only data_format='NHWC' is supported, got {data_format!r}; "
                         "transpose the input to NHWC")
    pad = padding.decode() if isinstance(padding, bytes) else padding
    if not isinstance(pad, str) or pad.upper() not in PADDINGS:
        raise ValueError(f"{op}: padding must be 'SAME' or 'VALID', got {padding!r}")
    return pad.upper()


def _window_attrs(op: str, strides: Any, padding: Any, data_format: str | None,
                  dilations: Any = None, ksize: Any = None) -> dict:
    """Validated attrs of a window op: convolutions have dilations, pooling has ksize."""
    attrs = {"strides": _spatial(strides, "strides", op),
             "padding": _check_format(data_format, padding, op)}
    if ksize is None:
        attrs["dilations"] = _spatial(dilations or (1, 1, 1, 1), "dilations", op)
    else:
        attrs["ksize"] = _spatial(ksize, "ksize", op)
    return attrs


def _rank4(t: Tensor, what: str) -> list:
    if t.shape.ndims is None:
        return [None] * 4
    if t.shape.ndims != 4:
        raise ValueError(f"{what} must be rank 4 (NHWC), got shape {t.shape}")
    return t.shape.as_list()


def _float_dtype(tensors: Sequence[Tensor]) -> dtypes.DType:
    dt = check_same_dtype(list(tensors))
    if not dt.is_floating:
        raise TypeError(f"expects floating-point inputs, got {dt.name}")
    return dt


def _output_shape(in_shape: list, ksize: Sequence[int], attrs: dict, channels: Any
                  ) -> TensorShape:
    """[N, OH, OW, channels] of a window op on an input of static shape ``in_shape``."""
    dilations = attrs.get("dilations", (1, 1))
    hw = [output_size(size, k, s, d, attrs["padding"])[0]
          for size, k, s, d in zip(in_shape[1:3], ksize, attrs["strides"], dilations)]
    return TensorShape([in_shape[0], *hw, channels])


def _sizes_shape(sizes: Tensor, what: str) -> list:
    """The static value of a 4-element int32 ``sizes`` input (unknown dims when not a Const)."""
    value = constant_value(sizes)
    if value is None:
        return [None] * 4
    value = [int(d) for d in np.reshape(value, -1)]
    if len(value) != 4:
        raise ValueError(f"{what} must have 4 elements, got {value}")
    return value


def _apply_like(op: Operation, op_type: str, inputs: list) -> Tensor:
    """An op of type ``op_type`` with the window attrs of ``op`` (for VJPs and JVPs)."""
    return apply_op(op_type, inputs, op.attrs, name=op_type).outputs[0]


def _multilinear_jvp(*linear_in: int) -> Any:
    """JVP of an op linear in each input of ``linear_in`` separately (Σ_k op(.., ṫ_k, ..))."""
    def jvp(op: Operation, *tangents: Tensor | None) -> list:
        parts = []
        for k in linear_in:
            if tangents[k] is not None:
                ins = list(op.inputs)
                ins[k] = tangents[k]
                parts.append(_apply_like(op, op.type, ins))
        return [add_n(parts) if parts else None]
    return jvp


# ----------------------------------------------------------------------------------------
# Conv2D and its two gradient ops (all bilinear)
# ----------------------------------------------------------------------------------------


def _conv_geometry(in_hw: Sequence[int], filter_shape: Sequence[int], attrs: dict) -> Geometry:
    return geometry(in_hw, filter_shape[:2], attrs["strides"], attrs["dilations"],
                    attrs["padding"])


def _conv2d_kernel(x: np.ndarray, w: np.ndarray, **attrs: Any) -> np.ndarray:
    return kernels.conv2d(x, w, _conv_geometry(x.shape[1:3], w.shape, attrs))


def _backprop_input_kernel(sizes: np.ndarray, w: np.ndarray, dy: np.ndarray,
                           **attrs: Any) -> np.ndarray:
    geo = _conv_geometry([int(d) for d in sizes[1:3]], w.shape, attrs)
    return kernels.conv2d_input_grad(dy, w, geo)


def _backprop_filter_kernel(x: np.ndarray, sizes: np.ndarray, dy: np.ndarray,
                            **attrs: Any) -> np.ndarray:
    geo = _conv_geometry(x.shape[1:3], [int(d) for d in sizes], attrs)
    return kernels.conv2d_filter_grad(x, dy, geo)


def _check_channels(x_channels: Any, w_shape: list, dy_channels: Any = None) -> None:
    if None not in (x_channels, w_shape[2]) and x_channels != w_shape[2]:
        raise ValueError(f"input depth {x_channels} does not match the filter's input depth "
                         f"{w_shape[2]} (filter shape {w_shape})")
    if None not in (dy_channels, w_shape[3]) and dy_channels != w_shape[3]:
        raise ValueError(f"out_backprop depth {dy_channels} does not match the filter's "
                         f"output depth {w_shape[3]} (filter shape {w_shape})")


def _conv2d_shape(inputs: list, attrs: dict) -> list:
    x, w = inputs
    dt = _float_dtype(inputs)
    xs, ws = _rank4(x, "input"), _rank4(w, "filter")
    _check_channels(xs[3], ws)
    if None in ws[:2]:
        return [(TensorShape([xs[0], None, None, ws[3]]), dt)]
    return [(_output_shape(xs, ws[:2], attrs, ws[3]), dt)]


def _backprop_shape(sizes_at: int) -> Any:
    """Shape rule of a Conv2D gradient op whose input ``sizes_at`` holds its result's shape:
    input_sizes (at 0, for the input gradient) or filter_sizes (at 1, for the filter's)."""
    what = ("input_sizes", "filter_sizes")[sizes_at]

    def shape_fn(inputs: list, attrs: dict) -> list:
        given, dy = inputs[1 - sizes_at], inputs[2]
        dt = _float_dtype([given, dy])
        sized = _sizes_shape(inputs[sizes_at], what)
        given_shape = _rank4(given, ("input", "filter")[1 - sizes_at])
        x_shape, w_shape = (sized, given_shape) if sizes_at == 0 else (given_shape, sized)
        _check_channels(x_shape[3], w_shape, _rank4(dy, "out_backprop")[3])
        if sizes_at == 0 and sized[3] is None:
            sized[3] = w_shape[2]
        return [(TensorShape(sized), dt)]
    return shape_fn


def _conv2d_vjp(op: Operation, g: Tensor) -> list:
    x, w = op.inputs
    return [_apply_like(op, "Conv2DBackpropInput", [shape_of(x), w, g]),
            _apply_like(op, "Conv2DBackpropFilter", [x, shape_of(w), g])]


def _backprop_input_vjp(op: Operation, g: Tensor) -> list:
    _, w, dy = op.inputs
    return [None, _apply_like(op, "Conv2DBackpropFilter", [g, shape_of(w), dy]),
            _apply_like(op, "Conv2D", [g, w])]


def _backprop_filter_vjp(op: Operation, g: Tensor) -> list:
    x, _, dy = op.inputs
    return [_apply_like(op, "Conv2DBackpropInput", [shape_of(x), g, dy]), None,
            _apply_like(op, "Conv2D", [x, g])]


define_op("Conv2D", kernel=_conv2d_kernel, shape_fn=_conv2d_shape, vjp=_conv2d_vjp,
          jvp=_multilinear_jvp(0, 1), doc="2-D convolution (cross-correlation), NHWC.",
          view_of={})
define_op("Conv2DBackpropInput", kernel=_backprop_input_kernel, shape_fn=_backprop_shape(0),
          vjp=_backprop_input_vjp, jvp=_multilinear_jvp(1, 2), non_differentiable=(0,),
          doc="Gradient of Conv2D w.r.t. its input (a transposed convolution).",
          view_of={})
define_op("Conv2DBackpropFilter", kernel=_backprop_filter_kernel,
          shape_fn=_backprop_shape(1), vjp=_backprop_filter_vjp,
          jvp=_multilinear_jvp(0, 2), non_differentiable=(1,),
          doc="Gradient of Conv2D w.r.t. its filter.",
          view_of={})


def _conv_op(op_type: str, inputs: list, strides: Any, padding: Any, data_format: str,
             dilations: Any, name: str | None) -> Tensor:
    attrs = _window_attrs(op_type, strides, padding, data_format, dilations)
    return apply_op(op_type, inputs, attrs, name=name).outputs[0]


def _sizes_tensor(sizes: Any) -> Tensor:
    return convert_to_tensor(sizes, dtype=dtypes.int32)


def _required(op: str, **arguments: Any) -> None:
    missing = [name for name, value in arguments.items() if value is None]
    if missing:
        raise TypeError(f"{op}() needs {', '.join(missing)}")


def conv2d(input: Any, filter: Any = None, strides: Any = None, padding: Any = None,
           use_cudnn_on_gpu: bool = True, data_format: str = "NHWC",
           dilations: Any = (1, 1, 1, 1), name: str | None = None,
           filters: Any = None) -> Tensor:
    """``tf.nn.conv2d``: NHWC input, ``[kh, kw, in, out]`` filter, SAME or VALID padding."""
    filter = filters if filter is None else filter
    _required("conv2d", filter=filter, strides=strides, padding=padding)
    x, w = convert_n([input, filter], "Conv2D")
    return _conv_op("Conv2D", [x, w], strides, padding, data_format, dilations, name)


def conv2d_backprop_input(input_sizes: Any, filter: Any = None, out_backprop: Any = None,
                          strides: Any = None, padding: Any = None,
                          use_cudnn_on_gpu: bool = True, data_format: str = "NHWC",
                          dilations: Any = (1, 1, 1, 1), name: str | None = None,
                          filters: Any = None) -> Tensor:
    """``tf.nn.conv2d_backprop_input``: the gradient of conv2d w.r.t. its input."""
    filter = filters if filter is None else filter
    _required("conv2d_backprop_input", filter=filter, out_backprop=out_backprop,
              strides=strides, padding=padding)
    w, dy = convert_n([filter, out_backprop], "Conv2DBackpropInput")
    return _conv_op("Conv2DBackpropInput", [_sizes_tensor(input_sizes), w, dy], strides,
                    padding, data_format, dilations, name)


def conv2d_backprop_filter(input: Any, filter_sizes: Any, out_backprop: Any, strides: Any,
                           padding: Any, use_cudnn_on_gpu: bool = True,
                           data_format: str = "NHWC", dilations: Any = (1, 1, 1, 1),
                           name: str | None = None) -> Tensor:
    """``tf.nn.conv2d_backprop_filter``: the gradient of conv2d w.r.t. its filter."""
    x, dy = convert_n([input, out_backprop], "Conv2DBackpropFilter")
    return _conv_op("Conv2DBackpropFilter", [x, _sizes_tensor(filter_sizes), dy], strides,
                    padding, data_format, dilations, name)


def conv2d_transpose(value: Any = None, filter: Any = None, output_shape: Any = None,
                     strides: Any = None, padding: str = "SAME", data_format: str = "NHWC",
                     name: str | None = None, input: Any = None, filters: Any = None,
                     dilations: Any = None) -> Tensor:
    """``tf.nn.conv2d_transpose``: ``filter`` is ``[kh, kw, out_channels, in_channels]``."""
    value = input if value is None else value
    _required("conv2d_transpose", value=value, output_shape=output_shape, strides=strides)
    return conv2d_backprop_input(output_shape, filter, value, strides, padding,
                                 data_format=data_format, dilations=dilations or (1, 1, 1, 1),
                                 name=name or "conv2d_transpose", filters=filters)



"""Convolution ops (NHWC): Conv2D and its two gradient ops, and the tf.nn functions on them.

The NumPy kernels are in :mod:`.window_kernels`. Every gradient op is linear in its
gradient input and has its own VJP and JVP, so second-order gradients go through
convolutions. The argument checks here are shared with the pooling ops (:mod:`.pool_ops`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor, name_scope
from ..core.registry import define_op
from ..core.shapes import TensorShape
from . import window_kernels as kernels
from .framework import (apply_op, check_same_dtype, constant_value, convert_n,
                        convert_to_tensor)
from .indexing_ops import strided_slice
from .join_ops import concat
from .math_ops import add_n
from .shape_ops import expand_dims, shape_of, squeeze
from .window_kernels import Geometry, geometry, output_size

__all__ = [
    "conv2d",
    "conv2d_backprop_input",
    "conv2d_backprop_filter",
    "conv2d_transpose",
    "conv1d",
    "conv1d_transpose",
    "depthwise_conv2d",
    "depthwise_conv2d_native",
    "separable_conv2d",
]

PADDINGS = ("SAME", "VALID")

# ----------------------------------------------------------------------------------------
# Argument checking shared by the public functions and the shape rules
# ----------------------------------------------------------------------------------------


def _ints(values: Any) -> list[int]:
    """A window argument (an int or a list) as a flat list of plain Python ints (so that
    messages show ``[1, 2, 2, 1]``, not NumPy scalars' reprs)."""
    return [int(x) for x in np.reshape(np.asarray(values), -1)]


def _spatial(values: Any, what: str, op: str) -> tuple[int, int]:
    """The (h, w) entries of a TF1 NHWC list ``[1, h, w, 1]`` (an int or a pair also work)."""
    given = _ints(values)
    v = [1, given[0], given[-1], 1] if len(given) in (1, 2) else given
    if len(v) != 4 or v[0] != 1 or v[3] != 1 or min(v) < 1:
        raise ValueError(f"{op}: {what} must be [1, h, w, 1] with positive h and w (no "
                         f"batch or depth {what}), got {given}")
    return v[1], v[2]


def width_list(values: Any, what: str, op: str) -> list[int]:
    """A 1-D window argument (an int, ``[w]`` or ``[1, w, 1]``) as the NHWC list
    ``[1, 1, w, 1]`` of the 2-D op that computes it on an input with a unit height."""
    given = _ints(values)
    v = given[1:2] if len(given) == 3 and given[0] == given[2] == 1 else given
    if len(v) != 1 or v[0] < 1:
        raise ValueError(f"{op}: {what} must be a positive int, [w] or [1, w, 1], got "
                         f"{given}")
    return [1, 1, v[0], 1]


def check_1d_format(data_format: str | None, op: str) -> None:
    """1-D ops take NWC only."""
    if data_format not in (None, "NWC"):
        raise ValueError(f"{op}: only data_format='NWC' is supported, got {data_format!r}; "
                         "transpose the input to NWC")


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
# Convolution families: Conv2D and DepthwiseConv2dNative, each with two gradient ops
# (all bilinear)
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConvFamily:
    """A convolution op type and the types of its input and filter gradient ops."""

    forward: str
    input_grad: str
    filter_grad: str
    depthwise: bool  # output depth in_depth * multiplier (filter [kh, kw, in, multiplier])

    def out_channels(self, w_shape: list) -> Any:
        """Output depth for a filter of static shape ``w_shape`` (None when unknown)."""
        if not self.depthwise:
            return w_shape[3]
        return None if None in w_shape[2:] else w_shape[2] * w_shape[3]


_FAMILIES: dict[str, ConvFamily] = {}


def _conv_geometry(in_hw: Sequence[int], filter_shape: Sequence[int], attrs: dict) -> Geometry:
    return geometry(in_hw, filter_shape[:2], attrs["strides"], attrs["dilations"],
                    attrs["padding"])


def _check_channels(family: ConvFamily, x_channels: Any, w_shape: list,
                    dy_channels: Any = None) -> None:
    if None not in (x_channels, w_shape[2]) and x_channels != w_shape[2]:
        raise ValueError(f"input depth {x_channels} does not match the filter's input depth "
                         f"{w_shape[2]} (filter shape {w_shape})")
    out = family.out_channels(w_shape)
    if None not in (dy_channels, out) and dy_channels != out:
        raise ValueError(f"out_backprop depth {dy_channels} does not match the filter's "
                         f"output depth {out} (filter shape {w_shape})")


def _forward_shape(family: ConvFamily) -> Any:
    def shape_fn(inputs: list, attrs: dict) -> list:
        x, w = inputs
        dt = _float_dtype(inputs)
        xs, ws = _rank4(x, "input"), _rank4(w, "filter")
        _check_channels(family, xs[3], ws)
        if None in ws[:2]:
            return [(TensorShape([xs[0], None, None, family.out_channels(ws)]), dt)]
        return [(_output_shape(xs, ws[:2], attrs, family.out_channels(ws)), dt)]
    return shape_fn


def _backprop_shape(family: ConvFamily, sizes_at: int) -> Any:
    """Shape rule of a gradient op whose input ``sizes_at`` holds its result's shape:
    input_sizes (at 0, for the input gradient) or filter_sizes (at 1, for the filter's)."""
    what = ("input_sizes", "filter_sizes")[sizes_at]

    def shape_fn(inputs: list, attrs: dict) -> list:
        given, dy = inputs[1 - sizes_at], inputs[2]
        dt = _float_dtype([given, dy])
        sized = _sizes_shape(inputs[sizes_at], what)
        given_shape = _rank4(given, ("input", "filter")[1 - sizes_at])
        x_shape, w_shape = (sized, given_shape) if sizes_at == 0 else (given_shape, sized)
        _check_channels(family, x_shape[3], w_shape, _rank4(dy, "out_backprop")[3])
        if sizes_at == 0 and sized[3] is None:
            sized[3] = w_shape[2]
        return [(TensorShape(sized), dt)]
    return shape_fn


def _forward_vjp(op: Operation, g: Tensor) -> list:
    family, (x, w) = _FAMILIES[op.type], op.inputs
    return [_apply_like(op, family.input_grad, [shape_of(x), w, g]),
            _apply_like(op, family.filter_grad, [x, shape_of(w), g])]


def _input_grad_vjp(op: Operation, g: Tensor) -> list:
    family, (_, w, dy) = _FAMILIES[op.type], op.inputs
    return [None, _apply_like(op, family.filter_grad, [g, shape_of(w), dy]),
            _apply_like(op, family.forward, [g, w])]


def _filter_grad_vjp(op: Operation, g: Tensor) -> list:
    family, (x, _, dy) = _FAMILIES[op.type], op.inputs
    return [_apply_like(op, family.input_grad, [shape_of(x), g, dy]), None,
            _apply_like(op, family.forward, [x, g])]


def define_conv_family(family: ConvFamily, forward: Any, input_grad: Any, filter_grad: Any,
                       doc: str) -> None:
    """Registers a convolution and its gradient ops from NumPy kernels
    ``forward(x, w, geo)``, ``input_grad(dy, w, geo)`` and ``filter_grad(x, dy, geo)``."""
    def forward_kernel(x: np.ndarray, w: np.ndarray, **attrs: Any) -> np.ndarray:
        return forward(x, w, _conv_geometry(x.shape[1:3], w.shape, attrs))

    def input_grad_kernel(sizes: np.ndarray, w: np.ndarray, dy: np.ndarray,
                          **attrs: Any) -> np.ndarray:
        return input_grad(dy, w, _conv_geometry([int(d) for d in sizes[1:3]], w.shape, attrs))

    def filter_grad_kernel(x: np.ndarray, sizes: np.ndarray, dy: np.ndarray,
                           **attrs: Any) -> np.ndarray:
        return filter_grad(x, dy, _conv_geometry(x.shape[1:3], [int(d) for d in sizes], attrs))

    for op_type in (family.forward, family.input_grad, family.filter_grad):
        _FAMILIES[op_type] = family
    define_op(family.forward, kernel=forward_kernel, shape_fn=_forward_shape(family),
              vjp=_forward_vjp, jvp=_multilinear_jvp(0, 1), doc=doc, view_of={}, fresh=True)
    define_op(family.input_grad, kernel=input_grad_kernel,
              shape_fn=_backprop_shape(family, 0), vjp=_input_grad_vjp,
              jvp=_multilinear_jvp(1, 2), non_differentiable=(0,), view_of={}, fresh=True,
              doc=f"Gradient of {family.forward} w.r.t. its input (its transpose).")
    define_op(family.filter_grad, kernel=filter_grad_kernel,
              shape_fn=_backprop_shape(family, 1), vjp=_filter_grad_vjp,
              jvp=_multilinear_jvp(0, 2), non_differentiable=(1,), view_of={}, fresh=True,
              doc=f"Gradient of {family.forward} w.r.t. its filter.")


define_conv_family(ConvFamily("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter", False),
                   kernels.conv2d, kernels.conv2d_input_grad, kernels.conv2d_filter_grad,
                   "2-D convolution (cross-correlation), NHWC.")
define_conv_family(ConvFamily("DepthwiseConv2dNative", "DepthwiseConv2dNativeBackpropInput",
                              "DepthwiseConv2dNativeBackpropFilter", True),
                   kernels.depthwise_conv2d, kernels.depthwise_input_grad,
                   kernels.depthwise_filter_grad,
                   "Depthwise 2-D convolution, NHWC: input channel c convolved with "
                   "filter[:, :, c, m] gives output channel c * multiplier + m.")


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




# ----------------------------------------------------------------------------------------
# 1-D convolutions (a 2-D one on an input of height 1, as TF computes them)
# ----------------------------------------------------------------------------------------


def conv1d(value: Any = None, filters: Any = None, stride: Any = None, padding: Any = None,
           use_cudnn_on_gpu: Any = None, data_format: str | None = None,
           name: str | None = None, input: Any = None, dilations: Any = None) -> Tensor:
    """``tf.nn.conv1d``: NWC ``value`` ``[batch, width, in]``, filters ``[fw, in, out]``;
    ``stride`` and ``dilations`` an int, ``[w]`` or ``[1, w, 1]``."""
    value = input if value is None else value
    _required("conv1d", value=value, filters=filters, stride=stride, padding=padding)
    check_1d_format(data_format, "conv1d")
    strides = width_list(stride, "stride", "conv1d")
    rate = width_list(1 if dilations is None else dilations, "dilations", "conv1d")
    with name_scope(name, "conv1d", [value, filters]) as scope:
        x = expand_dims(value, 1)
        w = expand_dims(filters, 0)
        y = conv2d(x, w, strides, padding, dilations=rate)
        return squeeze(y, [1], name=scope)


def conv1d_transpose(input: Any, filters: Any, output_shape: Any, strides: Any,
                     padding: str = "SAME", data_format: str = "NWC", dilations: Any = None,
                     name: str | None = None) -> Tensor:
    """``tf.nn.conv1d_transpose``: the gradient of conv1d w.r.t. its input; filters
    ``[fw, out_channels, in_channels]``, ``output_shape`` ``[batch, width, out_channels]``."""
    check_1d_format(data_format, "conv1d_transpose")
    stride = width_list(strides, "strides", "conv1d_transpose")
    rate = width_list(1 if dilations is None else dilations, "dilations", "conv1d_transpose")
    with name_scope(name, "conv1d_transpose", [input, filters, output_shape]) as scope:
        shape = convert_to_tensor(output_shape, dtype=dtypes.int32)
        sizes = _sizes_of_height_one(shape)
        y = conv2d_backprop_input(sizes, expand_dims(filters, 0), expand_dims(input, 1),
                                  stride, padding, dilations=rate)
        return squeeze(y, [1], name=scope)


def _sizes_of_height_one(shape: Tensor) -> Any:
    """``[batch, 1, width, channels]`` from a 3-element ``[batch, width, channels]``."""
    value = constant_value(shape)
    if value is not None:
        b, w, c = (int(d) for d in np.reshape(value, -1))
        return [b, 1, w, c]
    return concat([strided_slice(shape, [0], [1]), [1], strided_slice(shape, [1], [3])], 0)


# ----------------------------------------------------------------------------------------
# Depthwise and separable convolutions
# ----------------------------------------------------------------------------------------


def depthwise_conv2d_native(input: Any, filter: Any, strides: Any, padding: Any,
                            data_format: str = "NHWC", dilations: Any = (1, 1, 1, 1),
                            name: str | None = None) -> Tensor:
    """``tf.nn.depthwise_conv2d_native``: filter ``[kh, kw, in, multiplier]``; output
    channel ``c * multiplier + m`` is input channel c convolved with ``filter[:, :, c, m]``."""
    x, w = convert_n([input, filter], "DepthwiseConv2dNative")
    return _conv_op("DepthwiseConv2dNative", [x, w], strides, padding, data_format,
                    dilations, name)


def _rate(rate: Any, dilations: Any, strides: Any, op: str) -> list:
    """TF1's ``rate`` (or ``dilations``) as a 4-list; strides must be 1 where it is > 1."""
    if rate is not None and dilations is not None:
        raise ValueError(f"{op}: give rate or dilations, not both")
    given = rate if rate is not None else dilations
    if given is None:
        return [1, 1, 1, 1]
    h, w = _spatial(given, "rate", op)
    if (h, w) != (1, 1) and _spatial(strides, "strides", op) != (1, 1):
        raise ValueError(f"{op}: with rate {[h, w]} > 1 the strides must be 1, got "
                         f"{list(np.reshape(strides, -1))}")
    return [1, h, w, 1]


def depthwise_conv2d(input: Any, filter: Any, strides: Any, padding: Any, rate: Any = None,
                     name: str | None = None, data_format: str | None = None,
                     dilations: Any = None) -> Tensor:
    """``tf.nn.depthwise_conv2d``: one filter ``[kh, kw, in, multiplier]`` per input
    channel; ``rate`` (or ``dilations``) ``[h, w]`` dilates them (strides must then be 1)."""
    rates = _rate(rate, dilations, strides, "depthwise_conv2d")
    with name_scope(name, "depthwise", [input, filter]) as scope:
        return depthwise_conv2d_native(input, filter, strides, padding, data_format,
                                       rates, name=scope)


def separable_conv2d(input: Any, depthwise_filter: Any, pointwise_filter: Any, strides: Any,
                     padding: Any, rate: Any = None, name: str | None = None,
                     data_format: str | None = None, dilations: Any = None) -> Tensor:
    """``tf.nn.separable_conv2d``: a depthwise convolution (filter ``[kh, kw, in, m]``)
    then a 1x1 convolution (``pointwise_filter`` ``[1, 1, in * m, out]``)."""
    rates = _rate(rate, dilations, strides, "separable_conv2d")
    with name_scope(name, "separable_conv2d",
                    [input, depthwise_filter, pointwise_filter]) as scope:
        pointwise = convert_to_tensor(pointwise_filter)
        dw = convert_to_tensor(depthwise_filter)
        p_shape, d_shape = _rank4(pointwise, "pointwise_filter"), _rank4(dw, "depthwise_filter")
        if p_shape[:2] not in ([1, 1], [None, None]):
            raise ValueError(f"separable_conv2d: pointwise_filter must be [1, 1, in, out], "
                             f"got shape {p_shape}")
        channels = None if None in d_shape[2:] else d_shape[2] * d_shape[3]
        if None not in (channels, p_shape[2]) and channels != p_shape[2]:
            raise ValueError(f"separable_conv2d: pointwise_filter's input depth {p_shape[2]} "
                             f"is not in_channels * channel_multiplier = {channels} "
                             f"(depthwise filter shape {d_shape})")
        depthwise = depthwise_conv2d_native(input, dw, strides, padding, data_format,
                                            rates, name="depthwise")
        return conv2d(depthwise, pointwise, [1, 1, 1, 1], "VALID", name=scope)

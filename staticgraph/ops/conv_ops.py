"""Convolution and pooling ops (NHWC), vectorised with strided window views.

A window view ``[N, OH, OW, KH, KW, C]`` of the padded input (no copy) feeds one
``tensordot`` for the forward convolution and for the filter gradient (im2col); gradients
w.r.t. the input scatter those windows back with one vectorised add per kernel tap
(col2im). Every gradient op is linear in its gradient input and has its own VJP and JVP,
so second-order gradients go through convolutions and pooling.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .framework import (apply_op, check_same_dtype, constant_value, convert_n,
                        convert_to_tensor)
from .math_ops import add_n
from .shape_ops import shape_of

__all__ = [
    "conv2d",
    "conv2d_backprop_input",
    "conv2d_backprop_filter",
    "conv2d_transpose",
    "max_pool",
    "avg_pool",
]

PADDINGS = ("SAME", "VALID")

# ----------------------------------------------------------------------------------------
# Window geometry (TF's SAME/VALID rules) and the NumPy building blocks
# ----------------------------------------------------------------------------------------


def output_size(size: int | None, k: int, stride: int, dilation: int, padding: str
                ) -> tuple[int | None, int]:
    """TF's (output size, padding before) of one spatial dim; None size stays unknown."""
    if size is None:
        return None, 0
    extent = (k - 1) * dilation + 1
    if padding == "SAME":
        out = -(-size // stride)
        return out, max((out - 1) * stride + extent - size, 0) // 2
    if size < extent:
        raise ValueError(f"the window (extent {extent} with dilation {dilation}) is larger "
                         f"than the input dimension {size} under VALID padding")
    return (size - extent) // stride + 1, 0


@dataclass(frozen=True)
class Geometry:
    """Where the windows of one 2-D sliding-window op lie on an ``[N, H, W, C]`` input."""

    in_hw: tuple[int, int]
    out_hw: tuple[int, int]
    pad_before: tuple[int, int]
    padded_hw: tuple[int, int]
    ksize: tuple[int, int]
    strides: tuple[int, int]
    dilations: tuple[int, int]


def geometry(in_hw: Sequence[int], ksize: Sequence[int], strides: Sequence[int],
             dilations: Sequence[int], padding: str) -> Geometry:
    """The :class:`Geometry` of windows ``ksize`` over an input of spatial size ``in_hw``."""
    outs, befores, padded = [], [], []
    for size, k, s, d in zip(in_hw, ksize, strides, dilations):
        out, before = output_size(size, k, s, d, padding)
        outs.append(out)
        befores.append(before)
        padded.append(max(size, (out - 1) * s + (k - 1) * d + 1))
    return Geometry(tuple(in_hw), tuple(outs), tuple(befores), tuple(padded),
                    tuple(ksize), tuple(strides), tuple(dilations))


def _pad(x: np.ndarray, geo: Geometry, value: float) -> np.ndarray:
    """``x`` placed in a ``value``-filled array of the padded spatial size."""
    (ph, pw), (hp, wp), (h, w) = geo.pad_before, geo.padded_hw, geo.in_hw
    if (hp, wp) == (h, w):
        return x
    out = np.full((x.shape[0], hp, wp, x.shape[3]), value, dtype=x.dtype)
    out[:, ph:ph + h, pw:pw + w, :] = x
    return out


def _windows(xp: np.ndarray, geo: Geometry) -> np.ndarray:
    """Read-only view ``[N, OH, OW, KH, KW, C]`` of the windows of a padded input."""
    n, _, _, c = xp.shape
    sn, sh, sw, sc = xp.strides
    shape = (n, *geo.out_hw, *geo.ksize, c)
    strides = (sn, sh * geo.strides[0], sw * geo.strides[1], sh * geo.dilations[0],
               sw * geo.dilations[1], sc)
    return np.lib.stride_tricks.as_strided(xp, shape, strides, writeable=False)


def _col2im(cols: np.ndarray, geo: Geometry) -> np.ndarray:
    """Adjoint of windowing: sums ``cols [N, OH, OW, KH, KW, C]`` into an unpadded input."""
    n, c = cols.shape[0], cols.shape[-1]
    out = np.zeros((n, *geo.padded_hw, c), dtype=cols.dtype)
    (oh, ow), (sh, sw), (dh, dw) = geo.out_hw, geo.strides, geo.dilations
    for i in range(geo.ksize[0]):
        for j in range(geo.ksize[1]):
            out[:, i * dh:i * dh + sh * (oh - 1) + 1:sh,
                j * dw:j * dw + sw * (ow - 1) + 1:sw, :] += cols[:, :, :, i, j, :]
    (ph, pw), (h, w) = geo.pad_before, geo.in_hw
    return out[:, ph:ph + h, pw:pw + w, :]


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
    geo = _conv_geometry(x.shape[1:3], w.shape, attrs)
    return np.tensordot(_windows(_pad(x, geo, 0), geo), w, axes=([3, 4, 5], [0, 1, 2]))


def _backprop_input_kernel(sizes: np.ndarray, w: np.ndarray, dy: np.ndarray,
                           **attrs: Any) -> np.ndarray:
    geo = _conv_geometry([int(d) for d in sizes[1:3]], w.shape, attrs)
    return _col2im(np.tensordot(dy, w, axes=([3], [3])), geo)


def _backprop_filter_kernel(x: np.ndarray, sizes: np.ndarray, dy: np.ndarray,
                            **attrs: Any) -> np.ndarray:
    geo = _conv_geometry(x.shape[1:3], [int(d) for d in sizes], attrs)
    return np.tensordot(_windows(_pad(x, geo, 0), geo), dy, axes=([0, 1, 2], [0, 1, 2]))


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


# ----------------------------------------------------------------------------------------
# Pooling: MaxPool (+ MaxPoolGrad, MaxPoolGradGrad) and AvgPool (+ AvgPoolGrad)
# ----------------------------------------------------------------------------------------


def _pool_geometry(in_hw: Sequence[int], ksize: Sequence[int], strides: Sequence[int],
                   padding: str) -> Geometry:
    return geometry(in_hw, ksize, strides, (1, 1), padding)


def _lowest(dtype: np.dtype) -> Any:
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _taps(win: np.ndarray) -> np.ndarray:
    """Windows ``[N, OH, OW, KH, KW, C]`` with the taps flattened: ``[N, OH, OW, KH*KW, C]``."""
    return win.reshape(*win.shape[:3], -1, win.shape[-1])


def _argmax_taps(x: np.ndarray, geo: Geometry) -> np.ndarray:
    """Tap index (row-major) of each window's first maximum, shaped ``[N, OH, OW, 1, C]``."""
    win = _windows(_pad(x, geo, _lowest(x.dtype)), geo)
    return np.argmax(_taps(win), axis=3)[:, :, :, None, :]


def _max_pool_kernel(x: np.ndarray, **attrs: Any) -> np.ndarray:
    geo = _pool_geometry(x.shape[1:3], **attrs)
    return _windows(_pad(x, geo, _lowest(x.dtype)), geo).max(axis=(3, 4))


def _max_pool_grad_kernel(x: np.ndarray, g: np.ndarray, **attrs: Any) -> np.ndarray:
    geo = _pool_geometry(x.shape[1:3], **attrs)
    n, oh, ow, c = g.shape
    cols = np.zeros((n, oh, ow, geo.ksize[0] * geo.ksize[1], c), dtype=g.dtype)
    np.put_along_axis(cols, _argmax_taps(x, geo), g[:, :, :, None, :], axis=3)
    return _col2im(cols.reshape(n, oh, ow, *geo.ksize, c), geo)


def _max_pool_grad_grad_kernel(x: np.ndarray, gg: np.ndarray, **attrs: Any) -> np.ndarray:
    geo = _pool_geometry(x.shape[1:3], **attrs)
    win = _windows(_pad(gg, geo, 0), geo)
    return np.take_along_axis(_taps(win), _argmax_taps(x, geo), axis=3)[:, :, :, 0, :]


def _valid_counts(geo: Geometry, dtype: np.dtype) -> np.ndarray:
    """Number of non-padding elements in each window, shaped ``[1, OH, OW, 1]``."""
    counts = []
    for out, pad, size, k, s in zip(geo.out_hw, geo.pad_before, geo.in_hw, geo.ksize,
                                    geo.strides):
        start = np.arange(out) * s - pad
        counts.append(np.minimum(start + k, size) - np.maximum(start, 0))
    return np.multiply.outer(*counts).astype(dtype)[None, :, :, None]


def _avg_pool_kernel(x: np.ndarray, **attrs: Any) -> np.ndarray:
    geo = _pool_geometry(x.shape[1:3], **attrs)
    total = _windows(_pad(x, geo, 0), geo).sum(axis=(3, 4))
    return total / _valid_counts(geo, x.dtype)


def _avg_pool_grad_kernel(sizes: np.ndarray, g: np.ndarray, **attrs: Any) -> np.ndarray:
    geo = _pool_geometry([int(d) for d in sizes[1:3]], **attrs)
    share = (g / _valid_counts(geo, g.dtype))[:, :, :, None, None, :]
    return _col2im(np.broadcast_to(share, (*g.shape[:3], *geo.ksize, g.shape[3])), geo)


def _pooled_shape(x: Tensor, attrs: dict) -> TensorShape:
    xs = _rank4(x, "input")
    return _output_shape(xs, attrs["ksize"], attrs, xs[3])


def _max_pool_shape(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    if x.dtype.is_bool or x.dtype.is_complex:
        raise TypeError(f"expects a real numeric input, got {x.dtype.name}")
    return [(_pooled_shape(x, attrs), x.dtype)]


def _avg_pool_shape(inputs: list, attrs: dict) -> list:
    return [(_pooled_shape(inputs[0], attrs), _float_dtype(inputs))]


def _max_pool_grad_shape(inputs: list, attrs: dict) -> list:
    x, g = inputs
    expected = _pooled_shape(x, attrs)
    if not expected.is_compatible_with(g.shape):
        raise ValueError(f"gradient of shape {g.shape} does not match the pooled shape "
                         f"{expected} of the input shape {x.shape}")
    return [(x.shape, _float_dtype(inputs))]


def _max_pool_grad_grad_shape(inputs: list, attrs: dict) -> list:
    x, gg = inputs
    if not x.shape.is_compatible_with(gg.shape):
        raise ValueError(f"gradient of shape {gg.shape} does not match the input shape "
                         f"{x.shape}")
    return [(_pooled_shape(x, attrs), _float_dtype(inputs))]


def _avg_pool_grad_shape(inputs: list, attrs: dict) -> list:
    sizes, g = inputs
    _rank4(g, "grad")
    return [(TensorShape(_sizes_shape(sizes, "orig_input_shape")), _float_dtype([g]))]


def _max_pool_vjp(op: Operation, g: Tensor) -> list:
    return [_apply_like(op, "MaxPoolGrad", [op.inputs[0], g])]


def _max_pool_jvp(op: Operation, t: Tensor | None) -> list:
    return [None if t is None else _apply_like(op, "MaxPoolGradGrad", [op.inputs[0], t])]


def _max_pool_grad_vjp(op: Operation, g: Tensor) -> list:
    return [None, _apply_like(op, "MaxPoolGradGrad", [op.inputs[0], g])]


def _max_pool_grad_grad_vjp(op: Operation, g: Tensor) -> list:
    return [None, _apply_like(op, "MaxPoolGrad", [op.inputs[0], g])]


def _avg_pool_vjp(op: Operation, g: Tensor) -> list:
    return [_apply_like(op, "AvgPoolGrad", [shape_of(op.inputs[0]), g])]


def _avg_pool_grad_vjp(op: Operation, g: Tensor) -> list:
    return [None, _apply_like(op, "AvgPool", [g])]


define_op("MaxPool", kernel=_max_pool_kernel, shape_fn=_max_pool_shape, vjp=_max_pool_vjp,
          jvp=_max_pool_jvp, doc="Max over each window (padding never wins).",
          view_of={})
define_op("MaxPoolGrad", kernel=_max_pool_grad_kernel, shape_fn=_max_pool_grad_shape,
          vjp=_max_pool_grad_vjp, jvp=_multilinear_jvp(1), non_differentiable=(0,),
          doc="Routes each window's gradient to its first maximum (as TF).",
          view_of={})
define_op("MaxPoolGradGrad", kernel=_max_pool_grad_grad_kernel,
          shape_fn=_max_pool_grad_grad_shape, vjp=_max_pool_grad_grad_vjp,
          jvp=_multilinear_jvp(1), non_differentiable=(0,),
          doc="Gathers a gradient at each window's first maximum (adjoint of MaxPoolGrad).",
          view_of={})
define_op("AvgPool", kernel=_avg_pool_kernel, shape_fn=_avg_pool_shape, vjp=_avg_pool_vjp,
          jvp=_multilinear_jvp(0), doc="Mean over each window's non-padding elements.",
          view_of={})
define_op("AvgPoolGrad", kernel=_avg_pool_grad_kernel, shape_fn=_avg_pool_grad_shape,
          vjp=_avg_pool_grad_vjp, jvp=_multilinear_jvp(1), non_differentiable=(0,),
          doc="Adjoint of AvgPool: spreads each gradient evenly over its window.",
          view_of={})


def _pool(op_type: str, value: Any, ksize: Any, strides: Any, padding: Any,
          data_format: str, name: str | None) -> Tensor:
    attrs = _window_attrs(op_type, strides, padding, data_format, ksize=ksize)
    return apply_op(op_type, [convert_to_tensor(value)], attrs, name=name).outputs[0]


def max_pool(value: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",
             name: str | None = None, input: Any = None) -> Tensor:
    """``tf.nn.max_pool``: the maximum of each ``ksize`` window (NHWC)."""
    return _pool("MaxPool", value if input is None else input, ksize, strides, padding,
                 data_format, name)


def avg_pool(value: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",
             name: str | None = None, input: Any = None) -> Tensor:
    """``tf.nn.avg_pool``: the mean of each window; SAME windows average only real elements."""
    return _pool("AvgPool", value if input is None else input, ksize, strides, padding,
                 data_format, name)

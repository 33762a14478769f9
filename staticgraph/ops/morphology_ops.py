"""Grayscale morphology (NHWC): Dilation2D with its two gradient ops, and tf.nn.dilation2d
and tf.nn.erosion2d.

``dilation2d(x, w)[b, y, x, c] = max_{i, j} x[b, y*sy + i*ry, x*sx + j*rx, c] + w[i, j, c]``
over the taps inside the input (padding never wins). Gradients go to each window's first
maximum in row-major tap order, as TF's CPU kernel. Each gradient op is linear in its
gradient input; its adjoint gathers at the same maxima (``Dilation2DGatherInput`` and
``Dilation2DGatherFilter``, which also give the forward-mode rule).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core.graph import Operation, Tensor, name_scope
from ..core.registry import define_op
from ..core.shapes import TensorShape
from . import window_kernels_nd as kernels
from .conv_ops import (_apply_like, _check_format, _float_dtype, _multilinear_jvp,
                       _output_shape, _rank4, _required, _spatial)
from .framework import apply_op, convert_n
from .math_ops import add, negative
from .shape_ops import reverse
from .window_kernels import Geometry, geometry

__all__ = ["dilation2d", "erosion2d"]


def _geometry(x: np.ndarray, w: np.ndarray, attrs: dict) -> Geometry:
    return geometry(x.shape[1:3], w.shape[:2], attrs["strides"], attrs["rates"],
                    attrs["padding"])


def _forward(x: np.ndarray, w: np.ndarray, **attrs: Any) -> np.ndarray:
    return kernels.max_pool(x, _geometry(x, w, attrs), w)


def _backprop_input(x: np.ndarray, w: np.ndarray, g: np.ndarray, **attrs: Any) -> np.ndarray:
    geo = _geometry(x, w, attrs)
    out = np.zeros((x.shape[0], *geo.padded_hw, x.shape[3]), g.dtype)
    for hit, (_, view) in zip(kernels.max_masks(x, geo, w), kernels.tap_views(out, geo)):
        view += g * hit
    return out[kernels.interior(geo)].copy()


def _backprop_filter(x: np.ndarray, w: np.ndarray, g: np.ndarray, **attrs: Any) -> np.ndarray:
    geo = _geometry(x, w, attrs)
    out = np.empty(w.shape, g.dtype)
    for hit, tap in zip(kernels.max_masks(x, geo, w), np.ndindex(*geo.ksize)):
        out[tap] = np.sum(g * hit, axis=(0, 1, 2))
    return out


def _gather_input(x: np.ndarray, w: np.ndarray, t: np.ndarray, **attrs: Any) -> np.ndarray:
    geo = _geometry(x, w, attrs)
    out = np.zeros((x.shape[0], *geo.out_hw, x.shape[3]), t.dtype)
    t_taps = kernels.tap_views(kernels.padded(t, geo, 0), geo)
    for hit, (_, view) in zip(kernels.max_masks(x, geo, w), t_taps):
        np.copyto(out, view, where=hit)
    return out


def _gather_filter(x: np.ndarray, w: np.ndarray, t: np.ndarray, **attrs: Any) -> np.ndarray:
    geo = _geometry(x, w, attrs)
    out = np.zeros((x.shape[0], *geo.out_hw, x.shape[3]), t.dtype)
    for hit, tap in zip(kernels.max_masks(x, geo, w), np.ndindex(*geo.ksize)):
        np.copyto(out, np.broadcast_to(t[tap], out.shape), where=hit)
    return out


def _filter_shape(x: Tensor, w: Tensor) -> list:
    xs = _rank4(x, "input")
    ws = w.shape.as_list() if w.shape.ndims is not None else [None] * 3
    if len(ws) != 3:
        raise ValueError(f"filter must be rank 3 [filter_height, filter_width, depth], got "
                         f"shape {w.shape}")
    if None not in (xs[3], ws[2]) and xs[3] != ws[2]:
        raise ValueError(f"input depth {xs[3]} does not match the filter depth {ws[2]} "
                         f"(input shape {x.shape}, filter shape {w.shape})")
    return xs


def _out_shape(x: Tensor, w: Tensor, attrs: dict) -> TensorShape:
    xs = _filter_shape(x, w)
    window = w.shape.as_list()[:2] if w.shape.ndims is not None else [None, None]
    if None in window:
        return TensorShape([xs[0], None, None, xs[3]])
    return _output_shape(xs, window, {**attrs, "dilations": attrs["rates"]}, xs[3])


def _shape_rule(result: Callable[[list, TensorShape], TensorShape],
                third: Callable[[list, TensorShape], TensorShape] | None = None) -> Callable:
    """A shape rule checking (input, filter[, third]): ``third`` and ``result`` give the
    shapes of input 2 and of the result from the inputs and the dilation's output shape."""
    def shape_fn(inputs: list, attrs: dict) -> list:
        dt = _float_dtype(inputs)
        out = _out_shape(inputs[0], inputs[1], attrs)
        if third is not None and not third(inputs, out).is_compatible_with(inputs[2].shape):
            raise ValueError(f"input 2 of shape {inputs[2].shape} does not match the shape "
                             f"{third(inputs, out)} it must have (dilation output shape "
                             f"{out})")
        return [(result(inputs, out), dt)]
    return shape_fn


def _output(inputs: list, out: TensorShape) -> TensorShape:
    return out


def _input_shape(inputs: list, out: TensorShape) -> TensorShape:
    return inputs[0].shape


def _filter_shape_of(inputs: list, out: TensorShape) -> TensorShape:
    return inputs[1].shape


def _linear_rule(op_type: str) -> Callable:
    """VJP of an op linear in its input 2 (x and w only choose the maxima): ``op_type``
    applied to that input's gradient."""
    def vjp(op: Operation, g: Tensor) -> list:
        return [None, None, _apply_like(op, op_type, [*op.inputs[:2], g])]
    return vjp


def _dilation_vjp(op: Operation, g: Tensor) -> list:
    x, w = op.inputs
    return [_apply_like(op, "Dilation2DBackpropInput", [x, w, g]),
            _apply_like(op, "Dilation2DBackpropFilter", [x, w, g])]


def _dilation_jvp(op: Operation, tx: Tensor | None, tw: Tensor | None) -> list:
    x, w = op.inputs
    parts = [_apply_like(op, kind, [x, w, t]) for kind, t in
             (("Dilation2DGatherInput", tx), ("Dilation2DGatherFilter", tw)) if t is not None]
    return [None if not parts else parts[0] if len(parts) == 1 else add(*parts)]


_FLAGS = {"view_of": {}, "fresh": True}
define_op("Dilation2D", kernel=_forward, shape_fn=_shape_rule(_output), vjp=_dilation_vjp,
          jvp=_dilation_jvp, doc="Grayscale dilation: the max of input + filter over each "
          "window (padding never wins).", **_FLAGS)
for _type, _kernel, _result, _third, _adjoint in [
        ("Dilation2DBackpropInput", _backprop_input, _input_shape, _output,
         "Dilation2DGatherInput"),
        ("Dilation2DBackpropFilter", _backprop_filter, _filter_shape_of, _output,
         "Dilation2DGatherFilter"),
        ("Dilation2DGatherInput", _gather_input, _output, _input_shape,
         "Dilation2DBackpropInput"),
        ("Dilation2DGatherFilter", _gather_filter, _output, _filter_shape_of,
         "Dilation2DBackpropFilter")]:
    define_op(_type, kernel=_kernel, shape_fn=_shape_rule(_result, _third),
              vjp=_linear_rule(_adjoint), jvp=_multilinear_jvp(2), non_differentiable=(0, 1),
              doc=f"Linear in input 2 at the dilation's first maxima (adjoint of {_adjoint}).",
              **_FLAGS)


def dilation2d(input: Any, filter: Any = None, strides: Any = None, rates: Any = None,
               padding: Any = None, name: str | None = None, filters: Any = None,
               dilations: Any = None) -> Tensor:
    """``tf.nn.dilation2d``: grayscale dilation of NHWC ``input`` by a ``[fh, fw, depth]``
    ``filter``; ``strides`` and ``rates`` ``[1, h, w, 1]``."""
    filter = filters if filter is None else filter
    rates = dilations if rates is None else rates
    _required("dilation2d", filter=filter, strides=strides, rates=rates, padding=padding)
    x, w = convert_n([input, filter], "Dilation2D")
    attrs = {"strides": _spatial(strides, "strides", "dilation2d"),
             "rates": _spatial(rates, "rates", "dilation2d"),
             "padding": _check_format(None, padding, "dilation2d")}
    return apply_op("Dilation2D", [x, w], attrs, name=name).outputs[0]


def erosion2d(value: Any, kernel: Any, strides: Any, rates: Any, padding: Any,
              name: str | None = None) -> Tensor:
    """``tf.nn.erosion2d``: ``-dilation2d(-value, kernel flipped in h and w)``, the min of
    ``value - kernel`` over each (reflected) window."""
    with name_scope(name, "erosion2d", [value, kernel]) as scope:
        flipped = reverse(kernel, [0, 1])
        return negative(dilation2d(negative(value), flipped, strides, rates, padding),
                        name=scope)

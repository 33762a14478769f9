"""Pooling ops (NHWC): MaxPool (+ MaxPoolGrad, MaxPoolGradGrad), AvgPool (+ AvgPoolGrad)
and the tf.nn functions on them. The NumPy kernels are in :mod:`.pool_kernels`."""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..core.graph import Operation, Tensor, name_scope
from ..core.registry import Fusion, define_op
from ..core.shapes import TensorShape
from . import pool_kernels as kernels
from .conv_ops import (_apply_like, _float_dtype, _multilinear_jvp, _output_shape, _rank4,
                       _sizes_shape, _window_attrs, check_1d_format, width_list)
from .framework import apply_op, convert_to_tensor
from .shape_ops import expand_dims, shape_of, squeeze
from .window_kernels import Geometry, geometry

__all__ = ["max_pool", "avg_pool", "max_pool2d", "avg_pool2d", "max_pool1d", "avg_pool1d",
           "pool"]

# ----------------------------------------------------------------------------------------
# Pooling: MaxPool (+ MaxPoolGrad, MaxPoolGradGrad) and AvgPool (+ AvgPoolGrad)
# ----------------------------------------------------------------------------------------


def _pool_geometry(in_hw: Sequence[int], attrs: dict) -> Geometry:
    return geometry(in_hw, attrs["ksize"], attrs["strides"], (1, 1), attrs["padding"])


def _max_pool_kernel(x: np.ndarray, **attrs: Any) -> np.ndarray:
    return kernels.max_pool(x, _pool_geometry(x.shape[1:3], attrs))


def _max_pool_grad_kernel(x: np.ndarray, top: np.ndarray, g: np.ndarray,
                          **attrs: Any) -> np.ndarray:
    return kernels.max_pool_grad(x, top, g, _pool_geometry(x.shape[1:3], attrs))


def _fused_max_pool_grad_kernel(x: np.ndarray, top: np.ndarray, g: np.ndarray,
                                features: np.ndarray, **attrs: Any) -> np.ndarray:
    return kernels.max_pool_grad(x, top, g, _pool_geometry(x.shape[1:3], attrs), features)


def _max_pool_grad_grad_kernel(x: np.ndarray, top: np.ndarray, gg: np.ndarray,
                               **attrs: Any) -> np.ndarray:
    return kernels.max_pool_grad_grad(x, top, gg, _pool_geometry(x.shape[1:3], attrs))


def _avg_pool_kernel(x: np.ndarray, **attrs: Any) -> np.ndarray:
    return kernels.avg_pool(x, _pool_geometry(x.shape[1:3], attrs))


def _avg_pool_grad_kernel(sizes: np.ndarray, g: np.ndarray, **attrs: Any) -> np.ndarray:
    return kernels.avg_pool_grad(g, _pool_geometry([int(d) for d in sizes[1:3]], attrs))


def _pooled_shape(x: Tensor, attrs: dict) -> TensorShape:
    xs = _rank4(x, "input")
    return _output_shape(xs, attrs["ksize"], attrs, xs[3])


def pool_shape_rules(pooled: Callable[[Tensor, dict], TensorShape],
                     sizes_shape: Callable[[Tensor, Tensor], list]) -> dict:
    """The shape rules of a max/avg pooling family, keyed by role (``max``, ``avg``,
    ``max_grad``, ``max_grad_grad``, ``avg_grad``): ``pooled(x, attrs)`` is the pooled
    static shape, ``sizes_shape(sizes, grad)`` the static value of AvgPoolGrad's sizes
    input (checking ``grad``'s rank). The max-pool gradients take TF's ``(orig_input,
    orig_output, grad)``."""
    def max_shape(inputs: list, attrs: dict) -> list:
        x = inputs[0]
        if x.dtype.is_bool or x.dtype.is_complex:
            raise TypeError(f"expects a real numeric input, got {x.dtype.name}")
        return [(pooled(x, attrs), x.dtype)]

    def avg_shape(inputs: list, attrs: dict) -> list:
        return [(pooled(inputs[0], attrs), _float_dtype(inputs))]

    def check_orig_output(inputs: list, expected: TensorShape) -> None:
        if len(inputs) != 3:
            raise TypeError(f"expects 3 inputs (orig_input, orig_output, grad), got "
                            f"{len(inputs)}")
        (x, top), name = inputs[:2], "orig_output"
        if top.dtype != x.dtype:
            raise TypeError(f"{name} of dtype {top.dtype.name} does not match orig_input's "
                            f"dtype {x.dtype.name}")
        if not expected.is_compatible_with(top.shape):
            raise ValueError(f"{name} of shape {top.shape} does not match the pooled shape "
                             f"{expected} of the input shape {x.shape}")

    def max_grad_shape(inputs: list, attrs: dict) -> list:
        x, g = inputs[0], inputs[-1]
        expected = pooled(x, attrs)
        check_orig_output(inputs, expected)
        if not expected.is_compatible_with(g.shape):
            raise ValueError(f"gradient of shape {g.shape} does not match the pooled shape "
                             f"{expected} of the input shape {x.shape}")
        return [(x.shape, _float_dtype([x, g]))]

    def max_grad_grad_shape(inputs: list, attrs: dict) -> list:
        x, gg = inputs[0], inputs[-1]
        expected = pooled(x, attrs)
        check_orig_output(inputs, expected)
        if not x.shape.is_compatible_with(gg.shape):
            raise ValueError(f"gradient of shape {gg.shape} does not match the input shape "
                             f"{x.shape}")
        return [(expected, _float_dtype([x, gg]))]

    def avg_grad_shape(inputs: list, attrs: dict) -> list:
        sizes, g = inputs
        return [(TensorShape(sizes_shape(sizes, g)), _float_dtype([g]))]

    return {"max": max_shape, "avg": avg_shape, "max_grad": max_grad_shape,
            "max_grad_grad": max_grad_grad_shape, "avg_grad": avg_grad_shape}


def _sizes4(sizes: Tensor, g: Tensor) -> list:
    _rank4(g, "grad")
    return _sizes_shape(sizes, "orig_input_shape")


_SHAPES = pool_shape_rules(_pooled_shape, _sizes4)


def max_routed(op_type: str) -> Callable[[Operation, Tensor | None], list]:
    """A derivative rule building ``op_type(orig_input, orig_output, g)`` (TF's inputs of
    the max-pool gradient ops, 2-D and 3-D) with ``op``'s attrs, for a max-pooling op
    (its input and output) or for one of its gradient ops (their first two inputs)."""
    def rule(op: Operation, g: Tensor | None) -> list:
        pooled = [op.inputs[0], op.outputs[0]] if len(op.inputs) == 1 else op.inputs[:2]
        out = None if g is None else _apply_like(op, op_type, [*pooled, g])
        return [out] if len(op.inputs) == 1 else [None, None, out]
    return rule


def avg_routed(op_type: str) -> Callable[[Operation, Tensor], list]:
    """The VJP of an average-pooling op: ``op_type(shape of the input, g)`` (AvgPoolGrad,
    AvgPool3DGrad) with ``op``'s attrs."""
    def vjp(op: Operation, g: Tensor) -> list:
        return [_apply_like(op, op_type, [shape_of(op.inputs[0]), g])]
    return vjp


def _avg_pool_grad_vjp(op: Operation, g: Tensor) -> list:
    return [None, _apply_like(op, "AvgPool", [g])]


define_op("MaxPool", kernel=_max_pool_kernel, shape_fn=_SHAPES["max"],
          vjp=max_routed("MaxPoolGrad"), jvp=max_routed("MaxPoolGradGrad"), doc="Max over each window (padding never wins).",
          view_of={}, fresh=True)
define_op("MaxPoolGrad", kernel=_max_pool_grad_kernel, shape_fn=_SHAPES["max_grad"],
          vjp=max_routed("MaxPoolGradGrad"), jvp=_multilinear_jvp(2), non_differentiable=(0, 1),
          doc="Routes each window's gradient (input 2) to the first element of the "
          "window of orig_input equal to its orig_output, the window's maximum (as TF).",
          view_of={}, fresh=True)


def _relu_grad_fusion_attrs(chain_attrs: list, specs: list) -> dict | None:
    """``ReluGrad(MaxPoolGrad(x, top, g), features)``: fused when the four have one dtype
    (the kernel takes its fast path only when ``features`` is ``x`` itself)."""
    (x_shape, x_dtype), (_, top_dtype), (_, g_dtype), (f_shape, f_dtype) = specs
    if not x_dtype == top_dtype == g_dtype == f_dtype or \
            not x_shape.is_compatible_with(f_shape):
        return None
    return dict(chain_attrs[0])


# Made by the compiler's chain_fusion pass, never in a graph: ReLU then max-pooling
# differentiates to ReluGrad(MaxPoolGrad(y, MaxPool(y), g), y) (ReluGrad reads the
# ReLU's output).
define_op("_FusedMaxPoolGrad", kernel=_fused_max_pool_grad_kernel,
          shape_fn=lambda inputs, attrs: _SHAPES["max_grad"](inputs[:3], attrs),
          fuses=(Fusion(("MaxPoolGrad", "ReluGrad"), _relu_grad_fusion_attrs),),
          doc="MaxPoolGrad, then a ReLU's gradient of it (masked by features > 0).",
          view_of={}, fresh=True)
define_op("MaxPoolGradGrad", kernel=_max_pool_grad_grad_kernel,
          shape_fn=_SHAPES["max_grad_grad"], vjp=max_routed("MaxPoolGrad"),
          jvp=_multilinear_jvp(2), non_differentiable=(0, 1),
          doc="Gathers a gradient (input 2) at each window's first maximum, as MaxPoolGrad "
          "finds it from orig_input and orig_output (its adjoint).",
          view_of={}, fresh=True)
define_op("AvgPool", kernel=_avg_pool_kernel, shape_fn=_SHAPES["avg"],
          vjp=avg_routed("AvgPoolGrad"), jvp=_multilinear_jvp(0), doc="Mean over each window's non-padding elements.",
          view_of={}, fresh=True)
define_op("AvgPoolGrad", kernel=_avg_pool_grad_kernel, shape_fn=_SHAPES["avg_grad"],
          vjp=_avg_pool_grad_vjp, jvp=_multilinear_jvp(1), non_differentiable=(0,),
          doc="Adjoint of AvgPool: spreads each gradient evenly over its window.",
          view_of={}, fresh=True)


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


def max_pool2d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",
               name: str | None = None) -> Tensor:
    """``tf.nn.max_pool2d``: ``max_pool`` with ``ksize``/``strides`` an int, ``[h, w]`` or
    ``[1, h, w, 1]``."""
    return _pool("MaxPool", input, ksize, strides, padding, data_format, name)


def avg_pool2d(value: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",
               name: str | None = None, input: Any = None) -> Tensor:
    """``tf.nn.avg_pool2d``: ``avg_pool`` under its TF 2 name."""
    return avg_pool(value, ksize, strides, padding, data_format, name, input)


def _pool1d(op_type: str, input: Any, ksize: Any, strides: Any, padding: Any,
            data_format: str | None, name: str | None, default_name: str) -> Tensor:
    """A 1-D pooling (NWC) as the 2-D one on an input of height 1, as TF computes it."""
    check_1d_format(data_format, default_name)
    ks = width_list(ksize, "ksize", default_name)
    st = width_list(strides, "strides", default_name)
    with name_scope(name, default_name, [input]) as scope:
        pooled = _pool(op_type, expand_dims(input, 1), ks, st, padding, "NHWC", None)
        return squeeze(pooled, [1], name=scope)


def max_pool1d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NWC",
               name: str | None = None) -> Tensor:
    """``tf.nn.max_pool1d``: the maximum of each window of a ``[batch, width, channels]``
    input; ``ksize``/``strides`` an int, ``[w]`` or ``[1, w, 1]``."""
    return _pool1d("MaxPool", input, ksize, strides, padding, data_format, name, "MaxPool1d")


def avg_pool1d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NWC",
               name: str | None = None) -> Tensor:
    """``tf.nn.avg_pool1d``: the mean of each window of a ``[batch, width, channels]``
    input (SAME windows average only real elements)."""
    return _pool1d("AvgPool", input, ksize, strides, padding, data_format, name, "AvgPool1D")


_POOL_TYPES = {"MAX": ("MaxPool", max_pool1d), "AVG": ("AvgPool", avg_pool1d)}


def pool(input: Any, window_shape: Any, pooling_type: str, padding: Any,
         dilation_rate: Any = None, strides: Any = None, name: str | None = None,
         data_format: str | None = None, dilations: Any = None) -> Tensor:
    """``tf.nn.pool``: "MAX" or "AVG" pooling over 1 or 2 spatial dims (NWC / NHWC);
    ``strides`` default to 1. Dilated windows and 3-D pooling are not implemented."""
    if pooling_type not in _POOL_TYPES:
        raise ValueError(f"pool: pooling_type must be 'MAX' or 'AVG', got {pooling_type!r}")
    window = [int(k) for k in np.reshape(window_shape, -1)]
    if len(window) not in (1, 2):
        raise NotImplementedError(f"pool: only 1-D and 2-D pooling are implemented, got "
                                  f"window_shape {window}")
    rate = dilation_rate if dilations is None else dilations
    if rate is not None and any(int(r) != 1 for r in np.reshape(rate, -1)):
        raise NotImplementedError(f"pool: dilated pooling (dilation_rate {list(rate)}) is "
                                  "not implemented")
    step = [1] * len(window) if strides is None else [int(s) for s in np.reshape(strides, -1)]
    if len(step) != len(window):
        raise ValueError(f"pool: strides {step} must have one entry per window dimension "
                         f"{window}")
    op_type, one_d = _POOL_TYPES[pooling_type]
    if len(window) == 1:
        return one_d(input, window, step, padding, data_format or "NWC",
                     name=name or f"{pooling_type.lower()}_pool")
    return _pool(op_type, input, window, step, padding, data_format or "NHWC", name)

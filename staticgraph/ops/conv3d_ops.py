"""3-D convolution and pooling ops (NDHWC): Conv3D with its two gradient ops, MaxPool3D
(+ MaxPool3DGrad, MaxPool3DGradGrad), AvgPool3D (+ AvgPool3DGrad), and the tf.nn
functions on them. The NumPy kernels are in :mod:`.window_kernels_nd`; the derivative
rules of the convolutions are the 2-D family's (:mod:`.conv_ops`), which build ops by
type from the family they are registered in.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from . import window_kernels_nd as kernels
from .conv_ops import (_FAMILIES, ConvFamily, _apply_like, _filter_grad_vjp, _float_dtype,
                       _forward_vjp, _input_grad_vjp, _multilinear_jvp, _required,
                       PADDINGS)
from .framework import apply_op, constant_value, convert_n, convert_to_tensor
from .pool_ops import avg_routed, max_routed, pool_shape_rules
from .window_kernels import Geometry, geometry, output_size

__all__ = ["conv3d", "conv3d_backprop_filter", "conv3d_backprop_filter_v2",
           "conv3d_transpose", "max_pool3d", "avg_pool3d"]

RANK = 3  # spatial dims

# ----------------------------------------------------------------------------------------
# Argument checking
# ----------------------------------------------------------------------------------------


def spatial3(values: Any, what: str, op: str) -> tuple[int, int, int]:
    """The (d, h, w) entries of TF's NDHWC list ``[1, d, h, w, 1]`` (an int or a 3-list
    also works)."""
    given = [int(x) for x in np.reshape(np.asarray(values), -1)]
    v = given * RANK if len(given) == 1 else given
    if len(v) == RANK:
        v = [1, *v, 1]
    if len(v) != RANK + 2 or v[0] != 1 or v[-1] != 1 or min(v) < 1:
        raise ValueError(f"{op}: {what} must be [1, d, h, w, 1] with positive d, h and w "
                         f"(no batch or channel {what}), got {given}")
    return tuple(v[1:-1])


def window_attrs3(op: str, strides: Any, padding: Any, data_format: str | None,
                  dilations: Any = None, ksize: Any = None) -> dict:
    """Validated attrs of a 3-D window op: convolutions have dilations, pooling ksize."""
    if data_format not in (None, "NDHWC"):
        raise ValueError(f"{op}: only data_format='NDHWC' is supported, got {data_format!r}; "
                         "transpose the input to NDHWC")
    pad = padding.decode() if isinstance(padding, bytes) else padding
    if not isinstance(pad, str) or pad.upper() not in PADDINGS:
        raise ValueError(f"{op}: padding must be 'SAME' or 'VALID', got {padding!r}")
    attrs = {"strides": spatial3(strides, "strides", op), "padding": pad.upper()}
    if ksize is None:
        attrs["dilations"] = spatial3(1 if dilations is None else dilations, "dilations", op)
    else:
        attrs["ksize"] = spatial3(ksize, "ksize", op)
    return attrs


def _rank5(t: Tensor, what: str) -> list:
    if t.shape.ndims is None:
        return [None] * (RANK + 2)
    if t.shape.ndims != RANK + 2:
        raise ValueError(f"{what} must be rank 5 (NDHWC), got shape {t.shape}")
    return t.shape.as_list()


def _windowed_shape(in_shape: list, ksize: Sequence[Any], attrs: dict, channels: Any
                    ) -> TensorShape:
    """[N, OD, OH, OW, channels] of a window op on an input of static shape ``in_shape``."""
    dilations = attrs.get("dilations", (1,) * RANK)
    spatial = [None if k is None else output_size(size, k, s, d, attrs["padding"])[0]
               for size, k, s, d in zip(in_shape[1:-1], ksize, attrs["strides"], dilations)]
    return TensorShape([in_shape[0], *spatial, channels])


def _static_sizes(sizes: Tensor, what: str) -> list:
    """The static value of a 5-element int32 ``sizes`` input (unknown dims if not constant)."""
    value = constant_value(sizes)
    if value is None:
        return [None] * (RANK + 2)
    value = [int(d) for d in np.reshape(value, -1)]
    if len(value) != RANK + 2:
        raise ValueError(f"{what} must have 5 elements, got {value}")
    return value


# ----------------------------------------------------------------------------------------
# Conv3D, Conv3DBackpropInputV2, Conv3DBackpropFilterV2
# ----------------------------------------------------------------------------------------

_FAMILY = ConvFamily("Conv3D", "Conv3DBackpropInputV2", "Conv3DBackpropFilterV2", False)


def _conv_geometry(in_spatial: Sequence[int], filter_shape: Sequence[int], attrs: dict
                   ) -> Geometry:
    return geometry(in_spatial, filter_shape[:RANK], attrs["strides"], attrs["dilations"],
                    attrs["padding"])


def _check_depths(x_depth: Any, w_shape: list, dy_depth: Any = None) -> None:
    if None not in (x_depth, w_shape[3]) and x_depth != w_shape[3]:
        raise ValueError(f"input depth {x_depth} does not match the filter's input depth "
                         f"{w_shape[3]} (filter shape {w_shape})")
    if None not in (dy_depth, w_shape[4]) and dy_depth != w_shape[4]:
        raise ValueError(f"out_backprop depth {dy_depth} does not match the filter's output "
                         f"depth {w_shape[4]} (filter shape {w_shape})")


def _conv3d_shape(inputs: list, attrs: dict) -> list:
    x, w = inputs
    dt = _float_dtype(inputs)
    xs, ws = _rank5(x, "input"), _rank5(w, "filter")
    _check_depths(xs[4], ws)
    return [(_windowed_shape(xs, ws[:RANK], attrs, ws[4]), dt)]


def _backprop_shape(sizes_at: int) -> Callable:
    """Shape rule of the gradient op whose input ``sizes_at`` holds its result's shape."""
    what = ("input_sizes", "filter_sizes")[sizes_at]

    def shape_fn(inputs: list, attrs: dict) -> list:
        given, dy = inputs[1 - sizes_at], inputs[2]
        dt = _float_dtype([given, dy])
        sized = _static_sizes(inputs[sizes_at], what)
        given_shape = _rank5(given, ("input", "filter")[1 - sizes_at])
        x_shape, w_shape = (sized, given_shape) if sizes_at == 0 else (given_shape, sized)
        _check_depths(x_shape[4], w_shape, _rank5(dy, "out_backprop")[4])
        return [(TensorShape(sized), dt)]
    return shape_fn


def _conv3d_kernel(x: np.ndarray, w: np.ndarray, **attrs: Any) -> np.ndarray:
    return kernels.conv(x, w, _conv_geometry(x.shape[1:-1], w.shape, attrs))


def _input_grad_kernel(sizes: np.ndarray, w: np.ndarray, dy: np.ndarray, **attrs: Any
                       ) -> np.ndarray:
    geo = _conv_geometry([int(d) for d in sizes[1:-1]], w.shape, attrs)
    return kernels.conv_input_grad(dy, w, geo)


def _filter_grad_kernel(x: np.ndarray, sizes: np.ndarray, dy: np.ndarray, **attrs: Any
                        ) -> np.ndarray:
    geo = _conv_geometry(x.shape[1:-1], [int(d) for d in sizes], attrs)
    return kernels.conv_filter_grad(x, dy, geo)


for _type in (_FAMILY.forward, _FAMILY.input_grad, _FAMILY.filter_grad):
    _FAMILIES[_type] = _FAMILY
define_op("Conv3D", kernel=_conv3d_kernel, shape_fn=_conv3d_shape, vjp=_forward_vjp,
          jvp=_multilinear_jvp(0, 1), view_of={}, fresh=True,
          doc="3-D convolution (cross-correlation), NDHWC, filter [kd, kh, kw, in, out].")
define_op("Conv3DBackpropInputV2", kernel=_input_grad_kernel, shape_fn=_backprop_shape(0),
          vjp=_input_grad_vjp, jvp=_multilinear_jvp(1, 2), non_differentiable=(0,),
          view_of={}, fresh=True, doc="Gradient of Conv3D w.r.t. its input (its transpose).")
define_op("Conv3DBackpropFilterV2", kernel=_filter_grad_kernel, shape_fn=_backprop_shape(1),
          vjp=_filter_grad_vjp, jvp=_multilinear_jvp(0, 2), non_differentiable=(1,),
          view_of={}, fresh=True, doc="Gradient of Conv3D w.r.t. its filter.")


def _conv_op(op_type: str, inputs: list, strides: Any, padding: Any, data_format: str,
             dilations: Any, name: str | None) -> Tensor:
    attrs = window_attrs3(op_type, strides, padding, data_format, dilations)
    return apply_op(op_type, inputs, attrs, name=name).outputs[0]


def conv3d(input: Any, filter: Any = None, strides: Any = None, padding: Any = None,
           data_format: str = "NDHWC", dilations: Any = (1, 1, 1, 1, 1),
           name: str | None = None, filters: Any = None) -> Tensor:
    """``tf.nn.conv3d``: NDHWC input, ``[kd, kh, kw, in, out]`` filter, strides and
    dilations ``[1, d, h, w, 1]``, SAME or VALID padding."""
    filter = filters if filter is None else filter
    _required("conv3d", filter=filter, strides=strides, padding=padding)
    x, w = convert_n([input, filter], "Conv3D")
    return _conv_op("Conv3D", [x, w], strides, padding, data_format, dilations, name)


def conv3d_backprop_filter_v2(input: Any, filter_sizes: Any, out_backprop: Any, strides: Any,
                              padding: Any, data_format: str = "NDHWC",
                              dilations: Any = (1, 1, 1, 1, 1), name: str | None = None
                              ) -> Tensor:
    """``tf.nn.conv3d_backprop_filter_v2``: the gradient of conv3d w.r.t. its filter, of
    shape ``filter_sizes``."""
    x, dy = convert_n([input, out_backprop], "Conv3DBackpropFilterV2")
    sizes = convert_to_tensor(filter_sizes, dtype=dtypes.int32)
    return _conv_op("Conv3DBackpropFilterV2", [x, sizes, dy], strides, padding,
                    data_format, dilations, name)


conv3d_backprop_filter = conv3d_backprop_filter_v2


def conv3d_transpose(value: Any = None, filter: Any = None, output_shape: Any = None,
                     strides: Any = None, padding: str = "SAME", data_format: str = "NDHWC",
                     name: str | None = None, input: Any = None, filters: Any = None,
                     dilations: Any = None) -> Tensor:
    """``tf.nn.conv3d_transpose``: the gradient of conv3d w.r.t. its input; ``filter`` is
    ``[kd, kh, kw, out_channels, in_channels]``."""
    value = input if value is None else value
    filter = filters if filter is None else filter
    _required("conv3d_transpose", value=value, filter=filter, output_shape=output_shape,
              strides=strides)
    w, dy = convert_n([filter, value], "Conv3DBackpropInputV2")
    sizes = convert_to_tensor(output_shape, dtype=dtypes.int32)
    return _conv_op("Conv3DBackpropInputV2", [sizes, w, dy], strides, padding, data_format,
                    dilations, name or "conv3d_transpose")


# ----------------------------------------------------------------------------------------
# MaxPool3D (+ MaxPool3DGrad, MaxPool3DGradGrad), AvgPool3D (+ AvgPool3DGrad)
# ----------------------------------------------------------------------------------------


def _pool_geometry(in_spatial: Sequence[int], attrs: dict) -> Geometry:
    return geometry(in_spatial, attrs["ksize"], attrs["strides"], (1,) * RANK,
                    attrs["padding"])


def _on_input(kernel: Callable) -> Callable:
    """A pooling kernel ``kernel(x, *rest, geo)`` with the geometry of input ``x``."""
    def run(x: np.ndarray, *rest: np.ndarray, **attrs: Any) -> np.ndarray:
        return kernel(x, *rest, _pool_geometry(x.shape[1:-1], attrs))
    return run


def _avg_pool_grad_kernel(sizes: np.ndarray, g: np.ndarray, **attrs: Any) -> np.ndarray:
    return kernels.avg_pool_grad(g, _pool_geometry([int(d) for d in sizes[1:-1]], attrs))


def _pooled(x: Tensor, attrs: dict) -> TensorShape:
    xs = _rank5(x, "input")
    return _windowed_shape(xs, attrs["ksize"], attrs, xs[-1])


def _sizes5(sizes: Tensor, g: Tensor) -> list:
    _rank5(g, "grad")
    return _static_sizes(sizes, "orig_input_shape")


_SHAPES = pool_shape_rules(_pooled, _sizes5)


define_op("MaxPool3D", kernel=_on_input(kernels.max_pool), shape_fn=_SHAPES["max"],
          vjp=max_routed("MaxPool3DGrad"), jvp=max_routed("MaxPool3DGradGrad"),
          view_of={}, fresh=True, doc="Max over each 3-D window (padding never wins).")
define_op("MaxPool3DGrad", kernel=_on_input(kernels.max_pool_grad),
          shape_fn=_SHAPES["max_grad"], vjp=max_routed("MaxPool3DGradGrad"),
          jvp=_multilinear_jvp(2), non_differentiable=(0, 1), view_of={}, fresh=True,
          doc="Routes each window's gradient (input 2) to each element of the window of "
          "orig_input equal to its orig_output, the window's maximum: ties included, as "
          "TF's CPU kernel.")
define_op("MaxPool3DGradGrad", kernel=_on_input(kernels.max_pool_grad_grad),
          shape_fn=_SHAPES["max_grad_grad"], vjp=max_routed("MaxPool3DGrad"),
          jvp=_multilinear_jvp(2), non_differentiable=(0, 1), view_of={}, fresh=True,
          doc="Gathers a gradient (input 2) at each window's first maximum, as TF's CPU "
          "kernel (its MaxPool3DGrad routes to every tied maximum).")
define_op("AvgPool3D", kernel=_on_input(kernels.avg_pool), shape_fn=_SHAPES["avg"],
          vjp=avg_routed("AvgPool3DGrad"), jvp=_multilinear_jvp(0), view_of={},
          fresh=True, doc="Mean over each 3-D window's non-padding elements.")
define_op("AvgPool3DGrad", kernel=_avg_pool_grad_kernel, shape_fn=_SHAPES["avg_grad"],
          vjp=lambda op, g: [None, _apply_like(op, "AvgPool3D", [g])],
          jvp=_multilinear_jvp(1), non_differentiable=(0,), view_of={}, fresh=True,
          doc="Adjoint of AvgPool3D: spreads each gradient evenly over its window.")


def _pool(op_type: str, input: Any, ksize: Any, strides: Any, padding: Any,
          data_format: str, name: str | None) -> Tensor:
    attrs = window_attrs3(op_type, strides, padding, data_format, ksize=ksize)
    return apply_op(op_type, [convert_to_tensor(input)], attrs, name=name).outputs[0]


def max_pool3d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NDHWC",
               name: str | None = None) -> Tensor:
    """``tf.nn.max_pool3d``: the maximum of each ``ksize`` window of an NDHWC input
    (``ksize``/``strides`` an int, ``[d, h, w]`` or ``[1, d, h, w, 1]``)."""
    return _pool("MaxPool3D", input, ksize, strides, padding, data_format, name)


def avg_pool3d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NDHWC",
               name: str | None = None) -> Tensor:
    """``tf.nn.avg_pool3d``: the mean of each window (SAME windows average only the real
    elements)."""
    return _pool("AvgPool3D", input, ksize, strides, padding, data_format, name)


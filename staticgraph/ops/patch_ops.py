"""Window ops that return the windows themselves: ExtractImagePatches and
ExtractVolumePatches (+ their adjoint ExtractPatchesGrad), and tf.nn.max_pool_with_argmax
(max_pool plus MaxPoolArgmax, the flattened index of each window's first maximum).

Patches are flattened in (taps in row-major order, channel) order, padding reads zeros.
The NumPy kernels are in :mod:`.window_kernels_nd`.
"""
from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor, name_scope
from ..core.registry import define_op
from ..core.shapes import TensorShape
from . import window_kernels_nd as kernels
from .conv3d_ops import window_attrs3
from .conv_ops import (_apply_like, _check_format, _multilinear_jvp, _spatial,
                       _window_attrs)
from .framework import apply_op, constant_value, convert_to_tensor
from .pool_ops import max_pool
from .shape_ops import shape_of
from .window_kernels import Geometry, geometry, output_size

__all__ = ["extract_image_patches", "extract_volume_patches", "max_pool_with_argmax"]

_PATCH_TYPES = {2: "ExtractImagePatches", 3: "ExtractVolumePatches"}


def _patch_geometry(spatial: Any, attrs: dict) -> Geometry:
    return geometry([int(d) for d in spatial], attrs["ksizes"], attrs["strides"],
                    attrs["rates"], attrs["padding"])


def _patches_shape(in_shape: list, attrs: dict) -> TensorShape:
    out = [output_size(size, k, s, d, attrs["padding"])[0] for size, k, s, d in
           zip(in_shape[1:-1], attrs["ksizes"], attrs["strides"], attrs["rates"])]
    depth = None if in_shape[-1] is None else in_shape[-1] * int(np.prod(attrs["ksizes"]))
    return TensorShape([in_shape[0], *out, depth])


def _input_dims(x: Tensor, attrs: dict, what: str) -> list:
    rank = len(attrs["ksizes"]) + 2
    if x.shape.ndims is None:
        return [None] * rank
    if x.shape.ndims != rank:
        raise ValueError(f"{what} must be rank {rank}, got shape {x.shape}")
    return x.shape.as_list()


def _patches_rule(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    if x.dtype.is_bool or x.dtype.is_complex or x.dtype == dtypes.string:
        raise TypeError(f"expects a real numeric input, got {x.dtype.name}")
    return [(_patches_shape(_input_dims(x, attrs, "input"), attrs), x.dtype)]


def _patches_grad_rule(inputs: list, attrs: dict) -> list:
    sizes, g = inputs
    value = constant_value(sizes)
    dims = [None] * (len(attrs["ksizes"]) + 2) if value is None else \
        [int(d) for d in np.reshape(value, -1)]
    expected = _patches_shape(dims, attrs)
    if not expected.is_compatible_with(g.shape):
        raise ValueError(f"gradient of shape {g.shape} does not match the patches shape "
                         f"{expected} of the input shape {dims}")
    return [(TensorShape(dims), g.dtype)]


def _patches_kernel(x: np.ndarray, **attrs: Any) -> np.ndarray:
    return kernels.patches(x, _patch_geometry(x.shape[1:-1], attrs))


def _patches_grad_kernel(sizes: np.ndarray, g: np.ndarray, **attrs: Any) -> np.ndarray:
    return kernels.patches_grad(g, _patch_geometry(sizes[1:-1], attrs))


def _patches_vjp(op: Operation, g: Tensor) -> list:
    return [_apply_like(op, "ExtractPatchesGrad", [shape_of(op.inputs[0]), g])]


def _patches_grad_vjp(op: Operation, g: Tensor) -> list:
    return [None, _apply_like(op, _PATCH_TYPES[len(op.attrs["ksizes"])], [g])]


for _rank, _type in _PATCH_TYPES.items():
    define_op(_type, kernel=_patches_kernel, shape_fn=_patches_rule, vjp=_patches_vjp,
              jvp=_multilinear_jvp(0), view_of={}, fresh=True,
              doc=f"The {_rank}-D windows of the input, each flattened into the channel axis.")
define_op("ExtractPatchesGrad", kernel=_patches_grad_kernel, shape_fn=_patches_grad_rule,
          vjp=_patches_grad_vjp, jvp=_multilinear_jvp(1), non_differentiable=(0,),
          view_of={}, fresh=True,
          doc="Adjoint of patch extraction: sums each patch back onto its window.")


def extract_image_patches(images: Any, ksizes: Any = None, strides: Any = None,
                          rates: Any = None, padding: Any = None, name: str | None = None,
                          sizes: Any = None) -> Tensor:
    """``tf.extract_image_patches``: each ``ksizes`` window (taps ``rates`` apart, moved by
    ``strides``, all ``[1, h, w, 1]``) of NHWC ``images`` flattened into the depth axis
    in (row, column, channel) order; SAME padding reads zeros."""
    ksizes = sizes if ksizes is None else ksizes
    op = "extract_image_patches"
    attrs = {"ksizes": _spatial(ksizes, "ksizes", op), "strides": _spatial(strides, "strides", op),
             "rates": _spatial(rates, "rates", op), "padding": _check_format(None, padding, op)}
    return apply_op("ExtractImagePatches", [convert_to_tensor(images)], attrs,
                    name=name).outputs[0]


def extract_volume_patches(input: Any, ksizes: Any, strides: Any, padding: Any,
                           name: str | None = None) -> Tensor:
    """``tf.extract_volume_patches``: each ``ksizes`` window (moved by ``strides``, both
    ``[1, d, h, w, 1]``) of an NDHWC input flattened into the depth axis."""
    attrs = window_attrs3("extract_volume_patches", strides, padding, None, ksize=ksizes)
    attrs = {"ksizes": attrs.pop("ksize"), "rates": (1, 1, 1), **attrs}
    return apply_op("ExtractVolumePatches", [convert_to_tensor(input)], attrs,
                    name=name).outputs[0]


# ----------------------------------------------------------------------------------------
# max_pool_with_argmax
# ----------------------------------------------------------------------------------------


def _argmax_kernel(x: np.ndarray, **attrs: Any) -> np.ndarray:
    n, h, w, c = x.shape
    geo = geometry((h, w), attrs["ksize"], attrs["strides"], (1, 1), attrs["padding"])
    rows = np.arange(geo.out_hw[0])[:, None] * geo.strides[0] - geo.pad_before[0]
    cols = np.arange(geo.out_hw[1])[None, :] * geo.strides[1] - geo.pad_before[1]
    out = np.zeros((n, *geo.out_hw, c), np.int64)
    for hit, (i, j) in zip(kernels.max_masks(x, geo), np.ndindex(*geo.ksize)):
        flat = ((rows + i) * w + (cols + j))[None, :, :, None] * c + np.arange(c)
        if attrs["include_batch_in_index"]:
            flat = flat + (np.arange(n) * (h * w * c))[:, None, None, None]
        np.copyto(out, np.broadcast_to(flat, out.shape), where=hit)
    return out.astype(attrs["output_dtype"].as_numpy_dtype)


def _argmax_rule(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    dims = _input_dims(x, {"ksizes": attrs["ksize"]}, "input")
    out = [output_size(size, k, s, 1, attrs["padding"])[0]
           for size, k, s in zip(dims[1:3], attrs["ksize"], attrs["strides"])]
    return [(TensorShape([dims[0], *out, dims[3]]), attrs["output_dtype"])]


MaxPoolWithArgmax = namedtuple("MaxPoolWithArgmax", ["output", "argmax"])

define_op("MaxPoolArgmax", kernel=_argmax_kernel, shape_fn=_argmax_rule, view_of={},
          fresh=True, doc="Flattened index ((b*H + y)*W + x)*C + c (b only with "
          "include_batch_in_index) of each max-pool window's first maximum.")


def max_pool_with_argmax(input: Any, ksize: Any, strides: Any, padding: Any,
                         data_format: str = "NHWC", Targmax: Any = None,
                         name: str | None = None, output_dtype: Any = None,
                         include_batch_in_index: bool = False) -> MaxPoolWithArgmax:
    """``tf.nn.max_pool_with_argmax``: ``(max_pool(input), argmax)``, argmax the flattened
    index ``((b * height + y) * width + x) * channels + c`` of each window's first
    maximum (``b`` only with ``include_batch_in_index``), int64 unless ``Targmax`` or
    ``output_dtype`` says int32. The gradient flows through the pooled output."""
    if Targmax is not None and output_dtype is not None:
        raise ValueError("max_pool_with_argmax: give Targmax or output_dtype, not both")
    dtype = dtypes.as_dtype(Targmax or output_dtype or dtypes.int64)
    if dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"max_pool_with_argmax: the argmax dtype must be int32 or int64, "
                        f"got {dtype.name}")
    op = "max_pool_with_argmax"
    x = convert_to_tensor(input)
    with name_scope(name, "MaxPoolWithArgmax", [x]):
        pooled = max_pool(x, ksize, strides, padding, data_format, name="output")
        attrs = {**_window_attrs(op, strides, padding, data_format, ksize=ksize),
                 "output_dtype": dtype, "include_batch_in_index": bool(include_batch_in_index)}
        argmax = apply_op("MaxPoolArgmax", [x], attrs, name="argmax").outputs[0]
    return MaxPoolWithArgmax(pooled, argmax)


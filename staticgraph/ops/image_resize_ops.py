"""Image resizing (``tf.image.resize_*``): one separable resampling op and its adjoint.

Every TF1 resize method (bilinear, nearest neighbour, bicubic, area) maps each output row
to a fixed weighted sum of input rows, and each output column likewise: the result is
``A_h @ image @ A_w^T`` per batch item and channel. ``ResizeImage`` builds the two weight
matrices from TF's kernel rules (float32 scales, ``align_corners``, ``half_pixel_centers``,
the quantized bicubic coefficient table) and ``ResizeImageGrad`` applies their transposes,
which is the exact gradient of the (linear) resize.
"""
from __future__ import annotations

import enum
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .cast_ops import cast
from .framework import apply_op, convert_to_tensor
from .image_geometry_ops import pad_to_bounding_box
from .indexing_ops import strided_slice
from .math_ops import floor, minimum
from .op_util import _static_values, op_scope
from .shape_ops import expand_dims, shape, squeeze

__all__ = [
    "ResizeMethod", "resize_images", "resize_bilinear", "resize_nearest_neighbor",
    "resize_bicubic", "resize_area", "resize_image_with_pad", "resize_op",
]

_METHODS = ("bilinear", "nearest", "bicubic", "area")
_TABLE_SIZE = 1024


class ResizeMethod(enum.IntEnum):
    """TF1's ``tf.image.ResizeMethod`` (the v1 enum: plain integers)."""

    BILINEAR = 0
    NEAREST_NEIGHBOR = 1
    BICUBIC = 2
    AREA = 3


def _scale(in_size: int, out_size: int, align_corners: bool) -> np.float32:
    """TF's ``CalculateResizeScale`` in float32."""
    if align_corners and out_size > 1:
        return np.float32(in_size - 1) / np.float32(out_size - 1)
    return np.float32(in_size) / np.float32(out_size)


def _bilinear_weights(in_size: int, out_size: int, scale: np.float32, half: bool
                      ) -> np.ndarray:
    i = np.arange(out_size, dtype=np.float32)
    pos = (i + np.float32(0.5)) * scale - np.float32(0.5) if half else i * scale
    low = np.floor(pos)
    lerp = (pos - low).astype(np.float64)
    lower = np.maximum(low, 0).astype(np.int64)
    upper = np.minimum(np.ceil(pos), in_size - 1).astype(np.int64)
    weights = np.zeros((out_size, in_size))
    rows = np.arange(out_size)
    np.add.at(weights, (rows, lower), 1.0 - lerp)
    np.add.at(weights, (rows, upper), lerp)
    return weights


def _nearest_index(in_size: int, out_size: int, scale: np.float32, align_corners: bool,
                   half: bool) -> np.ndarray:
    i = np.arange(out_size, dtype=np.float32)
    pos = (i + np.float32(0.5)) * scale if half else i * scale
    # C's roundf rounds halves away from zero; positions are never negative here
    index = np.floor(pos + np.float32(0.5)) if align_corners else np.floor(pos)
    return np.clip(index, 0, in_size - 1).astype(np.int64)


def _cubic_table(a: float) -> np.ndarray:
    """TF's bicubic coefficient table (float32): entries 2i and 2i+1 are the kernel at
    distances i/1024 and 1 + i/1024."""
    x = np.arange(_TABLE_SIZE + 1, dtype=np.float32) / np.float32(_TABLE_SIZE)
    a = np.float32(a)
    table = np.empty(2 * (_TABLE_SIZE + 1), np.float32)
    table[0::2] = ((a + 2) * x - (a + 3)) * x * x + 1
    x1 = x + 1
    table[1::2] = ((a * x1 - 5 * a) * x1 + 8 * a) * x1 - 4 * a
    return table


def _bicubic_weights(in_size: int, out_size: int, scale: np.float32, half: bool
                     ) -> np.ndarray:
    table = _cubic_table(-0.5 if half else -0.75)  # Keys' kernel with half-pixel centers
    i = np.arange(out_size, dtype=np.float32)
    pos = (i + np.float32(0.5)) * scale - np.float32(0.5) if half else i * scale
    start = np.floor(pos)
    offset = np.rint((pos - start) * np.float32(_TABLE_SIZE)).astype(np.int64)
    coeffs = np.stack([table[offset * 2 + 1], table[offset * 2],
                       table[(_TABLE_SIZE - offset) * 2],
                       table[(_TABLE_SIZE - offset) * 2 + 1]], axis=1).astype(np.float64)
    taps = start.astype(np.int64)[:, None] + np.arange(-1, 3)[None, :]
    if half:  # taps outside the image get no weight; the rest are renormalized
        coeffs = np.where((taps >= 0) & (taps < in_size), coeffs, 0.0)
        coeffs /= coeffs.sum(axis=1, keepdims=True)
    weights = np.zeros((out_size, in_size))
    rows = np.repeat(np.arange(out_size), 4)
    np.add.at(weights, (rows, np.clip(taps, 0, in_size - 1).reshape(-1)), coeffs.reshape(-1))
    return weights


def _area_weights(in_size: int, out_size: int, scale: np.float32) -> np.ndarray:
    weights = np.zeros((out_size, in_size))
    for out in range(out_size):
        start, end = np.float32(out) * scale, np.float32(out + 1) * scale
        for i in range(int(np.floor(start)), int(np.ceil(end))):
            if i < start:
                part = scale if i + 1 > end else (i + 1) - start
            else:
                part = end - i if i + 1 > end else 1.0
            weights[out, min(i, in_size - 1)] += float(part)
    return weights / float(scale)


def resize_weights(method: str, in_size: int, out_size: int, align_corners: bool,
                   half_pixel_centers: bool) -> np.ndarray:
    """The ``(out_size, in_size)`` matrix of one axis of a resize, as TF's kernels weigh."""
    scale = _scale(in_size, out_size, align_corners)
    if method == "bilinear":
        return _bilinear_weights(in_size, out_size, scale, half_pixel_centers)
    if method == "bicubic":
        return _bicubic_weights(in_size, out_size, scale, half_pixel_centers)
    if method == "area":
        return _area_weights(in_size, out_size, scale)
    index = _nearest_index(in_size, out_size, scale, align_corners, half_pixel_centers)
    weights = np.zeros((out_size, in_size))
    weights[np.arange(out_size), index] = 1.0
    return weights


def _check_size(size: np.ndarray, op: str) -> tuple[int, int]:
    if size.shape != (2,) or (size <= 0).any():
        raise ValueError(f"{op}: size must be 2 positive integers, got {size.tolist()}")
    return int(size[0]), int(size[1])


def _resize_kernel(images: np.ndarray, size: np.ndarray, *, method: str,
                   align_corners: bool, half_pixel_centers: bool,
                   dtype: dtypes.DType) -> np.ndarray:
    out_h, out_w = _check_size(size, "ResizeImage")
    _, in_h, in_w, _ = images.shape
    if in_h == 0 or in_w == 0:
        raise ValueError(f"ResizeImage: cannot resize an empty image of shape {images.shape}")
    if method == "nearest":
        rows = _nearest_index(in_h, out_h, _scale(in_h, out_h, align_corners),
                              align_corners, half_pixel_centers)
        cols = _nearest_index(in_w, out_w, _scale(in_w, out_w, align_corners),
                              align_corners, half_pixel_centers)
        return images[:, rows][:, :, cols].astype(dtype.dtype)
    wh = resize_weights(method, in_h, out_h, align_corners, half_pixel_centers)
    ww = resize_weights(method, in_w, out_w, align_corners, half_pixel_centers)
    out = np.einsum("ip,bpqc,jq->bijc", wh, images.astype(np.float64), ww, optimize=True)
    return out.astype(dtype.dtype)


def _resize_grad_kernel(grads: np.ndarray, size: np.ndarray, *, method: str,
                        align_corners: bool, half_pixel_centers: bool,
                        dtype: dtypes.DType) -> np.ndarray:
    in_h, in_w = _check_size(size, "ResizeImageGrad")
    _, out_h, out_w, _ = grads.shape
    wh = resize_weights(method, in_h, out_h, align_corners, half_pixel_centers)
    ww = resize_weights(method, in_w, out_w, align_corners, half_pixel_centers)
    out = np.einsum("ip,bijc,jq->bpqc", wh, grads.astype(np.float64), ww, optimize=True)
    return out.astype(dtype.dtype)


def _size_dims(size: Tensor, op: str) -> list:
    if size.dtype != dtypes.int32 or not size.shape.is_compatible_with([2]):
        raise ValueError(f"{op}: size must be a 1-D int32 tensor of 2 elements "
                         f"(new_height, new_width), got {size.dtype.name} {size.shape}")
    values = _static_values(size)
    return [None, None] if values is None else values


def _resize_shape(inputs: list, attrs: dict) -> list:
    images, size = inputs
    if images.shape.ndims not in (None, 4):
        raise ValueError(f"ResizeImage: images must be 4-D [batch, height, width, "
                         f"channels], got shape {images.shape}")
    if not (images.dtype.is_floating or images.dtype.is_integer):
        raise TypeError(f"ResizeImage: images must be real numbers, got {images.dtype.name}")
    height, width = _size_dims(size, "ResizeImage")
    dims = images.shape.as_list() if images.shape.ndims == 4 else [None] * 4
    return [(TensorShape([dims[0], height, width, dims[3]]), attrs["dtype"])]


def _resize_grad_shape(inputs: list, attrs: dict) -> list:
    grads, size = inputs
    if grads.shape.ndims not in (None, 4):
        raise ValueError(f"ResizeImageGrad: grads must be 4-D, got shape {grads.shape}")
    height, width = _size_dims(size, "ResizeImageGrad")
    dims = grads.shape.as_list() if grads.shape.ndims == 4 else [None] * 4
    return [(TensorShape([dims[0], height, width, dims[3]]), attrs["dtype"])]


def _height_width(x: Tensor) -> Tensor:
    """``[height, width]`` of a 4-D tensor: a constant when its shape says them."""
    dims = x.shape.as_list()[1:3] if x.shape.ndims == 4 else [None]
    if None not in dims:
        return convert_to_tensor(np.array(dims, np.int32))
    return strided_slice(shape(x), [1], [3])


def _resize_vjp(op: Operation, grad: Tensor) -> list:
    images = op.inputs[0]
    if not images.dtype.is_floating:
        return [None, None]
    attrs = dict(op.attrs, dtype=images.dtype)
    return [apply_op("ResizeImageGrad", [grad, _height_width(images)], attrs).outputs[0],
            None]


def _resize_grad_vjp(op: Operation, grad: Tensor) -> list:
    attrs = dict(op.attrs, dtype=op.inputs[0].dtype)
    return [apply_op("ResizeImage", [grad, _height_width(op.inputs[0])], attrs).outputs[0],
            None]


def _linear_jvp(op: Operation, tangent: Tensor | None, _: None) -> list:
    if tangent is None or not op.inputs[0].dtype.is_floating:
        return [None]
    return list(apply_op(op.type, [tangent, op.inputs[1]], op.attrs).outputs)


define_op("ResizeImage", kernel=_resize_kernel, shape_fn=_resize_shape, vjp=_resize_vjp,
          jvp=_linear_jvp, non_differentiable=(1,), view_of={}, fresh=True,
          row_wise=(0,), doc="Images resized by separable resampling (bilinear, nearest, "
                             "bicubic or area, as TF's kernels).")
define_op("ResizeImageGrad", kernel=_resize_grad_kernel, shape_fn=_resize_grad_shape,
          vjp=_resize_grad_vjp, jvp=_linear_jvp, non_differentiable=(1,), view_of={},
          fresh=True, row_wise=(0,),
          doc="The adjoint of ResizeImage: output gradients mapped back to the input size.")

# ----------------------------------------------------------------------------------------
# Public TF1 functions
# ----------------------------------------------------------------------------------------


def resize_op(images: Tensor, size: Any, method: str, align_corners: bool = False,
              half_pixel_centers: bool = False, dtype: Any = dtypes.float32,
              name: str | None = None) -> Tensor:
    """A ``ResizeImage`` op on 4-D ``images`` (output ``dtype``: float32 in TF's ops)."""
    if method not in _METHODS:
        raise ValueError(f"Resize method is not implemented: {method!r}")
    if align_corners and half_pixel_centers:
        raise ValueError("If half_pixel_centers is True, align_corners must be False.")
    size = convert_to_tensor(size, dtype=dtypes.int32, name="size")
    attrs = {"method": method, "align_corners": bool(align_corners),
             "half_pixel_centers": bool(half_pixel_centers), "dtype": dtypes.as_dtype(dtype)}
    return apply_op("ResizeImage", [convert_to_tensor(images), size], attrs,
                    name=name).outputs[0]


def _kernel_function(method: str, tf_name: str, doc: str) -> Any:
    def function(images: Any, size: Any, align_corners: bool = False,
                 name: str | None = None, half_pixel_centers: bool = False) -> Tensor:
        images = convert_to_tensor(images, name="images")
        dtype = images.dtype if method == "nearest" else dtypes.float32
        return resize_op(images, size, method, align_corners, half_pixel_centers, dtype,
                         name=name or tf_name.title().replace("_", ""))
    function.__name__ = function.__qualname__ = tf_name
    function.__doc__ = doc
    return function


resize_bilinear = _kernel_function(
    "bilinear", "resize_bilinear",
    "``tf.image.resize_bilinear``: 4-D images resized by bilinear interpolation (float32).")
resize_nearest_neighbor = _kernel_function(
    "nearest", "resize_nearest_neighbor",
    "``tf.image.resize_nearest_neighbor``: 4-D images resized by nearest neighbour "
    "(same dtype).")
resize_bicubic = _kernel_function(
    "bicubic", "resize_bicubic",
    "``tf.image.resize_bicubic``: 4-D images resized by bicubic interpolation (float32).")
resize_area = _kernel_function(
    "area", "resize_area",
    "``tf.image.resize_area``: 4-D images resized by area averaging (float32).")

_BY_ENUM = {ResizeMethod.BILINEAR: resize_bilinear,
            ResizeMethod.NEAREST_NEIGHBOR: resize_nearest_neighbor,
            ResizeMethod.BICUBIC: resize_bicubic, ResizeMethod.AREA: resize_area}
_BY_NAME = {"bilinear": resize_bilinear, "nearest": resize_nearest_neighbor,
            "bicubic": resize_bicubic, "area": resize_area}


def _resizer(method: Any) -> Any:
    """The kernel function for a v1 enum value or a v2 method name."""
    if isinstance(method, str) and method in _BY_NAME:
        return _BY_NAME[method]
    try:
        return _BY_ENUM[ResizeMethod(method)]
    except (ValueError, TypeError):
        raise ValueError(f"Resize method is not implemented: {method!r}") from None


def _batched(images: Any, what: str) -> tuple[Tensor, bool]:
    images = convert_to_tensor(images, name="images")
    if images.shape.ndims == 3:
        return expand_dims(images, 0), False
    if images.shape.ndims != 4:
        raise ValueError(f"{what}: 'images' must have either 3 or 4 dimensions, got shape "
                         f"{images.shape}")
    return images, True


def _unbatched(images: Tensor, is_batch: bool) -> Tensor:
    return images if is_batch else squeeze(images, axis=[0])


def resize_images(images: Any, size: Any, method: Any = ResizeMethod.BILINEAR,
                  align_corners: bool = False, preserve_aspect_ratio: bool = False,
                  name: str | None = None) -> Tensor:
    """``tf.image.resize_images`` (TF1's ``tf.image.resize``): 3-D or 4-D images resized
    to ``size`` = (height, width). Images already of that (static) size are returned
    unchanged; ``preserve_aspect_ratio`` scales both sides by the smaller ratio."""
    resizer = _resizer(method)
    with op_scope(name, "resize"):
        images, is_batch = _batched(images, "resize_images")
        size = convert_to_tensor(size, dtype=dtypes.int32, name="size")
        _size_dims(size, "resize_images")
        if preserve_aspect_ratio:
            hw = cast(_height_width(images), dtypes.float32)
            wanted = cast(size, dtypes.float32) / hw
            factor = minimum(strided_slice(wanted, [0], [1]), strided_slice(wanted, [1], [2]))
            size = cast(floor(factor * hw + 0.5), dtypes.int32)  # round half up (>= 0)
        height, width = _static_values(size)
        in_h, in_w = images.shape.as_list()[1:3]
        if None not in (height, width, in_h, in_w) and (height, width) == (in_h, in_w):
            return _unbatched(images, is_batch)
        resized = resizer(images, size, align_corners=align_corners)
        return _unbatched(resized, is_batch)


def resize_image_with_pad(image: Any, target_height: int, target_width: int,
                          method: Any = ResizeMethod.BILINEAR,
                          align_corners: bool = False) -> Tensor:
    """``tf.image.resize_image_with_pad``: resized keeping the aspect ratio so that it fits
    ``target_height`` x ``target_width``, then zero-padded (centred) to exactly that."""
    _resizer(method)
    with op_scope(None, "resize_image_with_pad"):
        image, is_batch = _batched(image, "resize_image_with_pad")
        height, width = image.shape.as_list()[1:3]
        if height is None or width is None:
            raise ValueError(f"resize_image_with_pad: the image's height and width must be "
                             f"known when the graph is built, got shape {image.shape}")
        if target_height <= 0 or target_width <= 0:
            raise ValueError(f"resize_image_with_pad: target sizes must be > 0, got "
                             f"{target_height} x {target_width}")
        f32 = np.float32
        ratio = max(f32(width) / f32(target_width), f32(height) / f32(target_height))
        new_h, new_w = f32(height) / ratio, f32(width) / ratio
        pad_h = max(0, int(np.floor((f32(target_height) - new_h) / f32(2))))
        pad_w = max(0, int(np.floor((f32(target_width) - new_w) / f32(2))))
        resized = resize_images(image, [int(np.floor(new_h)), int(np.floor(new_w))],
                                method, align_corners=align_corners)
        padded = pad_to_bounding_box(resized, pad_h, pad_w, target_height, target_width)
        return _unbatched(padded, is_batch)



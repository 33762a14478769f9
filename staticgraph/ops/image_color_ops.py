"""``tf.image`` pixel values: dtype conversion, colour spaces, brightness/contrast/gamma
adjustments and their random variants, and per-image standardization.

All are compositions of existing ops (so differentiable where those are), following the
formulas of TF1's ``image_ops_impl``: integer images are converted to float32 in [0, 1]
by :func:`convert_image_dtype`, adjusted, and converted back with saturation.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from .cast_ops import cast
from .einsum_ops import tensordot
from .framework import constant, convert_to_tensor
from .join_ops import tile
from .math_ops import add, divide, floordiv, maximum, minimum, multiply, pow, rsqrt, subtract
from .math_composites import reduce_std
from .op_util import op_scope
from .random_ops import random_uniform
from .reduce_ops import reduce_mean
from .state_ops import identity
from .shape_ops import expand_dims

__all__ = [
    "convert_image_dtype", "per_image_standardization", "rgb_to_grayscale",
    "grayscale_to_rgb", "rgb_to_yiq", "yiq_to_rgb", "rgb_to_yuv", "yuv_to_rgb",
    "adjust_brightness", "adjust_contrast", "adjust_gamma", "random_brightness",
    "random_contrast",
]

# Colour-space matrices of TF's image_ops_impl (pixel row vector times matrix).
_RGB_TO_YIQ = [[0.299, 0.59590059, 0.2115], [0.587, -0.27455667, -0.52273617],
               [0.114, -0.32134392, 0.31119955]]
_YIQ_TO_RGB = [[1, 1, 1], [0.95598634, -0.27201283, -1.10674021],
               [0.6208248, -0.64720424, 1.70423049]]
_RGB_TO_YUV = [[0.299, -0.14714119, 0.61497538], [0.587, -0.28886916, -0.51496512],
               [0.114, 0.43601035, -0.10001026]]
_YUV_TO_RGB = [[1, 1, 1], [0, -0.394642334, 2.03206185], [1.13988303, -0.58062185, 0]]
_GRAY_WEIGHTS = [0.2989, 0.5870, 0.1140]


def _saturate_cast(x: Tensor, dtype: dtypes.DType) -> Tensor:
    """``tf.saturate_cast``: values clamped to ``dtype``'s range, then cast."""
    if x.dtype.min < dtype.min:
        x = maximum(x, cast(constant(dtype.min), x.dtype))
    if x.dtype.max > dtype.max:
        x = minimum(x, cast(constant(dtype.max), x.dtype))
    return cast(x, dtype)


def _checked_dtype(dtype: dtypes.DType, what: str) -> dtypes.DType:
    if not (dtype.is_floating or dtype.is_integer):
        raise AttributeError(f"convert_image_dtype: {what} must be either floating point "
                             f"or integer, got {dtype.name}")
    return dtype


def convert_image_dtype(image: Any, dtype: Any, saturate: bool = False,
                        name: str | None = None) -> Tensor:
    """``tf.image.convert_image_dtype``: floats are in [0, 1), integers in [0, MAX];
    integers rescale by powers of two (floor division down), int to float multiplies by
    1/MAX, float to int by MAX + 0.5 (clamped when ``saturate``)."""
    image = convert_to_tensor(image, name="image")
    dtype = _checked_dtype(dtypes.as_dtype(dtype), "dtype")
    _checked_dtype(image.dtype, "image dtype")
    if dtype == image.dtype:
        return identity(image, name=name)
    with op_scope(name, "convert_image") as scope:
        src = image.dtype
        cast_fn = _saturate_cast if saturate else cast
        if src.is_integer and dtype.is_integer:
            if src.max > dtype.max:
                scale = (src.max + 1) // (dtype.max + 1)
                return cast_fn(floordiv(image, cast(constant(scale), src)), dtype)
            scale = (dtype.max + 1) // (src.max + 1)
            return multiply(cast_fn(image, dtype), cast(constant(scale), dtype), name=scope)
        if src.is_floating and dtype.is_floating:
            return cast(image, dtype, name=scope)
        if src.is_integer:
            return multiply(cast(image, dtype), constant(1.0 / src.max, dtype=dtype),
                            name=scope)
        scaled = multiply(image, constant(dtype.max + 0.5, dtype=src))
        return cast_fn(scaled, dtype)


def _as_float(image: Any) -> tuple[Tensor, dtypes.DType]:
    """TF's adjust_* preamble: float16/float32 kept, anything else to float32."""
    image = convert_to_tensor(image, name="image")
    if image.dtype in (dtypes.float16, dtypes.float32):
        return image, image.dtype
    return convert_image_dtype(image, dtypes.float32), image.dtype


def per_image_standardization(image: Any) -> Tensor:
    """``tf.image.per_image_standardization``: each image (float32) scaled to zero mean
    and unit variance, the deviation floored at 1/sqrt(number of values)."""
    with op_scope(None, "per_image_standardization") as scope:
        image = convert_to_tensor(image, name="image")
        if image.shape.ndims is not None and image.shape.ndims < 3:
            raise ValueError(f"per_image_standardization: 'image' (shape {image.shape}) "
                             f"must be at least three-dimensional")
        image = cast(image, dtypes.float32)
        dims = image.shape.as_list()[-3:] if image.shape.ndims is not None else [None]
        if None in dims:
            raise ValueError(f"per_image_standardization: the image's last 3 dimensions "
                             f"must be known when the graph is built, got {image.shape}")
        mean = reduce_mean(image, axis=[-1, -2, -3], keepdims=True)
        stddev = reduce_std(image, axis=[-1, -2, -3], keepdims=True)
        floor = rsqrt(constant(float(np.prod(dims)), dtype=dtypes.float32))
        return divide(subtract(image, mean), maximum(stddev, floor), name=scope)


def _last_dim(images: Tensor, size: int, what: str) -> None:
    if images.shape.ndims is None or images.shape.as_tuple()[-1] not in (None, size):
        raise ValueError(f"{what}: the last dimension of images must be {size}, got shape "
                         f"{images.shape}")


def rgb_to_grayscale(images: Any, name: str | None = None) -> Tensor:
    """``tf.image.rgb_to_grayscale``: the weighted sum 0.2989 R + 0.5870 G + 0.1140 B,
    keeping a last dimension of size 1 and the input dtype."""
    with op_scope(name, "rgb_to_grayscale") as scope:
        images = convert_to_tensor(images, name="images")
        _last_dim(images, 3, "rgb_to_grayscale")
        floats = convert_image_dtype(images, dtypes.float32)
        gray = tensordot(floats, constant(_GRAY_WEIGHTS, dtype=dtypes.float32), [[-1], [-1]])
        return convert_image_dtype(expand_dims(gray, -1), images.dtype, name=scope)


def grayscale_to_rgb(images: Any, name: str | None = None) -> Tensor:
    """``tf.image.grayscale_to_rgb``: the single channel repeated three times."""
    with op_scope(name, "grayscale_to_rgb") as scope:
        images = convert_to_tensor(images, name="images")
        _last_dim(images, 1, "grayscale_to_rgb")
        return tile(images, [1] * (images.shape.ndims - 1) + [3], name=scope)


def _colour_matrix(matrix: list, tf_name: str, doc: str) -> Any:
    def function(images: Any) -> Tensor:
        images = convert_to_tensor(images, name="images")
        _last_dim(images, 3, tf_name)
        kernel = constant(matrix, dtype=images.dtype, name="kernel")
        return tensordot(images, kernel, [[images.shape.ndims - 1], [0]])
    function.__name__ = function.__qualname__ = tf_name
    function.__doc__ = doc
    return function


rgb_to_yiq = _colour_matrix(_RGB_TO_YIQ, "rgb_to_yiq",
                            "``tf.image.rgb_to_yiq``: float RGB images to YIQ.")
yiq_to_rgb = _colour_matrix(_YIQ_TO_RGB, "yiq_to_rgb",
                            "``tf.image.yiq_to_rgb``: YIQ images back to RGB.")
rgb_to_yuv = _colour_matrix(_RGB_TO_YUV, "rgb_to_yuv",
                            "``tf.image.rgb_to_yuv``: float RGB images to YUV.")
yuv_to_rgb = _colour_matrix(_YUV_TO_RGB, "yuv_to_rgb",
                            "``tf.image.yuv_to_rgb``: YUV images back to RGB.")


def adjust_brightness(image: Any, delta: Any) -> Tensor:
    """``tf.image.adjust_brightness``: ``delta`` added to every (float-scaled) value."""
    with op_scope(None, "adjust_brightness") as scope:
        flt, orig = _as_float(image)
        adjusted = add(flt, cast(convert_to_tensor(delta), flt.dtype), name=scope)
        return convert_image_dtype(adjusted, orig, saturate=True)


def adjust_contrast(images: Any, contrast_factor: Any) -> Tensor:
    """``tf.image.adjust_contrast``: per image and channel, ``(x - mean) * factor + mean``
    with the mean over height and width."""
    with op_scope(None, "adjust_contrast") as scope:
        flt, orig = _as_float(images)
        if flt.shape.ndims is not None and flt.shape.ndims < 3:
            raise ValueError(f"adjust_contrast: images must be at least 3-D, got shape "
                             f"{flt.shape}")
        factor = cast(convert_to_tensor(contrast_factor), flt.dtype)
        mean = reduce_mean(flt, axis=[-3, -2], keepdims=True)
        adjusted = add(multiply(subtract(flt, mean), factor), mean, name=scope)
        return convert_image_dtype(adjusted, orig, saturate=True)


def adjust_gamma(image: Any, gamma: Any = 1, gain: Any = 1) -> Tensor:
    """``tf.image.adjust_gamma``: ``gain * image ** gamma`` on float-scaled values."""
    known = np.asarray(gamma) if not isinstance(gamma, Tensor) else None
    if known is not None and (known < 0).any():
        raise ValueError(f"adjust_gamma: gamma should be a non-negative real number, got "
                         f"{gamma}")
    with op_scope(None, "adjust_gamma"):
        flt, orig = _as_float(image)
        adjusted = multiply(cast(convert_to_tensor(gain), flt.dtype),
                            pow(flt, cast(convert_to_tensor(gamma), flt.dtype)))
        return convert_image_dtype(adjusted, orig, saturate=True)


def random_brightness(image: Any, max_delta: float, seed: int | None = None) -> Tensor:
    """``tf.image.random_brightness``: :func:`adjust_brightness` by a delta drawn
    uniformly from [-max_delta, max_delta)."""
    if max_delta < 0:
        raise ValueError(f"random_brightness: max_delta must be non-negative, got "
                         f"{max_delta}")
    delta = random_uniform([], -max_delta, max_delta, seed=seed)
    return adjust_brightness(image, delta)


def random_contrast(image: Any, lower: float, upper: float, seed: int | None = None
                    ) -> Tensor:
    """``tf.image.random_contrast``: :func:`adjust_contrast` by a factor drawn uniformly
    from [lower, upper)."""
    if upper <= lower:
        raise ValueError(f"random_contrast: upper must be > lower, got [{lower}, {upper}]")
    if lower < 0:
        raise ValueError(f"random_contrast: lower must be non-negative, got {lower}")
    factor = random_uniform([], lower, upper, seed=seed)
    return adjust_contrast(image, factor)

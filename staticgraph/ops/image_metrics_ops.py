"""``tf.image`` measures and filters: total variation, finite-difference gradients, Sobel
edges and PSNR, composed from existing ops as TF1's ``image_ops_impl`` defines them."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from .cast_ops import cast
from .conv_ops import depthwise_conv2d
from .framework import constant, convert_to_tensor
from .image_color_ops import convert_image_dtype
from .image_geometry_ops import image_rank
from .indexing_ops import pad
from .math_ops import abs, add, log, multiply, squared_difference, subtract
from .op_util import op_scope
from .reduce_ops import reduce_mean, reduce_sum
from .shape_ops import reshape

__all__ = ["total_variation", "image_gradients", "sobel_edges", "psnr"]

_SOBEL = np.array([[[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
                   [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]], np.float64)


def _differences(images: Tensor, axis: int) -> Tensor:
    """``images[..., 1:, ...] - images[..., :-1, ...]`` along ``axis``."""
    head = [slice(None)] * images.shape.ndims
    tail = list(head)
    head[axis], tail[axis] = slice(1, None), slice(None, -1)
    return subtract(images[tuple(head)], images[tuple(tail)])


def total_variation(images: Any, name: str | None = None) -> Tensor:
    """``tf.image.total_variation``: the sum of absolute differences of neighbouring
    pixels, vertically and horizontally (a scalar for one image, a vector for a batch)."""
    with op_scope(name, "total_variation"):
        images = convert_to_tensor(images, name="images")
        offset = image_rank(images, "total_variation") - 3
        axes = None if offset == 0 else [1, 2, 3]
        return add(reduce_sum(abs(_differences(images, offset)), axis=axes),
                   reduce_sum(abs(_differences(images, offset + 1)), axis=axes))


def image_gradients(image: Any) -> tuple[Tensor, Tensor]:
    """``tf.image.image_gradients``: (dy, dx) forward differences of a 4-D batch, each
    zero in its last row (dy) or column (dx)."""
    image = convert_to_tensor(image, name="image")
    if image.shape.ndims != 4:
        raise ValueError(f"image_gradients expects a 4D tensor [batch_size, h, w, d], not "
                         f"{image.shape}")
    dy = pad(_differences(image, 1), [[0, 0], [0, 1], [0, 0], [0, 0]])
    dx = pad(_differences(image, 2), [[0, 0], [0, 0], [0, 1], [0, 0]])
    return dy, dx


def sobel_edges(image: Any) -> Tensor:
    """``tf.image.sobel_edges``: the vertical and horizontal Sobel responses of each
    channel of a 4-D batch (reflect-padded), stacked on a new last axis of size 2."""
    image = convert_to_tensor(image, name="image")
    if image.shape.ndims != 4 or None in image.shape.as_list()[1:]:
        raise ValueError(f"sobel_edges: image must be 4-D with known height, width and "
                         f"channels, got shape {image.shape}")
    batch, height, width, channels = image.shape.as_list()
    kernels = np.tile(np.transpose(_SOBEL, (1, 2, 0))[:, :, None, :], (1, 1, channels, 1))
    padded = pad(image, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
    out = depthwise_conv2d(padded, constant(kernels, dtype=image.dtype), [1, 1, 1, 1],
                           "VALID")
    return reshape(out, [-1 if batch is None else batch, height, width, channels, 2])


def psnr(a: Any, b: Any, max_val: Any, name: str | None = None) -> Tensor:
    """``tf.image.psnr``: peak signal-to-noise ratio (dB) per image, computed in float32
    after :func:`convert_image_dtype`."""
    with op_scope(name, "PSNR"):
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, name="b")
        if not a.shape.is_compatible_with(b.shape):
            raise ValueError(f"psnr: images must have compatible shapes, got {a.shape} "
                             f"and {b.shape}")
        peak = convert_image_dtype(cast(convert_to_tensor(max_val), a.dtype), dtypes.float32)
        a, b = convert_image_dtype(a, dtypes.float32), convert_image_dtype(b, dtypes.float32)
        mse = reduce_mean(squared_difference(a, b), [-3, -2, -1])
        return subtract(multiply(log(peak), np.float32(20 / np.log(10.0))),
                        multiply(log(mse), np.float32(10 / np.log(10.0))), name="psnr")

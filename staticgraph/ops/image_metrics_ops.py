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
from .math_ops import (abs, add, divide, log, multiply, pow, square, squared_difference,
                       subtract)
from .activation_ops import relu
from .pool_ops import avg_pool
from .stack_ops import stack
from .op_util import op_scope
from .reduce_ops import reduce_mean, reduce_prod, reduce_sum
from .shape_ops import reshape

__all__ = ["total_variation", "image_gradients", "sobel_edges", "psnr", "ssim",
           "ssim_multiscale"]

_MSSSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)

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


def _gaussian_window(size: int, sigma: float, channels: int) -> np.ndarray:
    """TF's ``_fspecial_gauss`` (float32): a normalized ``size`` x ``size`` Gaussian,
    repeated per channel as a depthwise filter."""
    coords = np.arange(size, dtype=np.float32) - np.float32(size - 1) / np.float32(2.0)
    g = np.square(coords) * (np.float32(-0.5) / np.square(np.float32(sigma)))
    g = (g[None, :] + g[:, None]).reshape(-1)
    g = np.exp(g - g.max())
    g = (g / g.sum()).reshape(size, size, 1, 1)
    return np.tile(g, (1, 1, channels, 1))


def _ssim_parts(x: Tensor, y: Tensor, max_val: Tensor, filter_size: int,
                filter_sigma: float, k1: float, k2: float) -> tuple[Tensor, Tensor]:
    """Per image and channel: (mean SSIM, mean contrast-structure) over the valid
    Gaussian-filtered positions (TF's ``_ssim_per_channel``)."""
    dims = x.shape.as_list()
    window = constant(_gaussian_window(filter_size, filter_sigma, dims[-1]),
                      dtype=dtypes.float32)

    def reducer(t: Tensor) -> Tensor:
        flat = reshape(t, [-1] + dims[-3:])
        out = depthwise_conv2d(flat, window, [1, 1, 1, 1], "VALID")
        return reshape(out, [-1 if d is None else d for d in dims[:-3]]
                       + out.shape.as_list()[1:])

    c1 = square(multiply(k1, max_val))
    c2 = square(multiply(k2, max_val))
    mean0, mean1 = reducer(x), reducer(y)
    num0 = multiply(multiply(mean0, mean1), 2.0)
    den0 = add(square(mean0), square(mean1))
    luminance = divide(add(num0, c1), add(den0, c1))
    num1 = multiply(reducer(multiply(x, y)), 2.0)
    den1 = reducer(add(square(x), square(y)))
    cs = divide(add(subtract(num1, num0), c2), add(subtract(den1, den0), c2))
    return (reduce_mean(multiply(luminance, cs), [-3, -2]), reduce_mean(cs, [-3, -2]))


def _ssim_inputs(img1: Any, img2: Any, max_val: Any, filter_size: int, what: str
                 ) -> tuple[Tensor, Tensor, Tensor]:
    img1 = convert_to_tensor(img1, name="img1")
    img2 = convert_to_tensor(img2, name="img2")
    dims = img1.shape.as_list() if img1.shape.ndims is not None else [None]
    if len(dims) < 3 or None in dims[-3:] or not img1.shape.is_compatible_with(img2.shape):
        raise ValueError(f"{what}: images must have the same shape with known height, "
                         f"width and channels, got {img1.shape} and {img2.shape}")
    if min(dims[-3:-1]) < filter_size:
        raise ValueError(f"{what}: images of shape {img1.shape} are smaller than the "
                         f"filter ({filter_size})")
    peak = convert_image_dtype(cast(convert_to_tensor(max_val), img1.dtype), dtypes.float32)
    return (convert_image_dtype(img1, dtypes.float32),
            convert_image_dtype(img2, dtypes.float32), peak)


def ssim(img1: Any, img2: Any, max_val: Any, filter_size: int = 11,
         filter_sigma: float = 1.5, k1: float = 0.01, k2: float = 0.03) -> Tensor:
    """``tf.image.ssim``: structural similarity per image (Gaussian window of
    ``filter_size`` and ``filter_sigma``, no padding), averaged over channels."""
    with op_scope(None, "SSIM"):
        x, y, peak = _ssim_inputs(img1, img2, max_val, filter_size, "ssim")
        per_channel, _ = _ssim_parts(x, y, peak, filter_size, filter_sigma, k1, k2)
        return reduce_mean(per_channel, [-1])


def _halved(t: Tensor) -> Tensor:
    """One MS-SSIM scale down: odd sides padded symmetrically at the end, 2x2 mean."""
    dims = t.shape.as_list()
    h, w = dims[-3:-1]
    flat = reshape(t, [-1] + dims[-3:])
    if h % 2 or w % 2:
        flat = pad(flat, [[0, 0], [0, h % 2], [0, w % 2], [0, 0]], mode="SYMMETRIC")
    out = avg_pool(flat, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    return reshape(out, [-1 if d is None else d for d in dims[:-3]] + out.shape.as_list()[1:])


def ssim_multiscale(img1: Any, img2: Any, max_val: Any,
                    power_factors: Any = _MSSSIM_WEIGHTS, filter_size: int = 11,
                    filter_sigma: float = 1.5, k1: float = 0.01, k2: float = 0.03
                    ) -> Tensor:
    """``tf.image.ssim_multiscale``: the product over scales (halving each time) of the
    contrast-structure terms, and of the SSIM at the last scale, each raised to its
    power factor (TF's weights by default), averaged over channels."""
    with op_scope(None, "MS-SSIM"):
        x, y, peak = _ssim_inputs(img1, img2, max_val, filter_size, "ssim_multiscale")
        terms = []
        for k in range(len(power_factors)):
            if k > 0:
                x, y = _halved(x), _halved(y)
                if min(x.shape.as_list()[-3:-1]) < filter_size:
                    raise ValueError(f"ssim_multiscale: scale {k} of images of shape "
                                     f"{img1.shape} is smaller than the filter "
                                     f"({filter_size})")
            per_channel, cs = _ssim_parts(x, y, peak, filter_size, filter_sigma, k1, k2)
            terms.append(relu(cs))
        terms[-1] = relu(per_channel)
        weights = constant(np.asarray(power_factors, np.float32))
        return reduce_mean(reduce_prod(pow(stack(terms, axis=-1), weights), [-1]), [-1])

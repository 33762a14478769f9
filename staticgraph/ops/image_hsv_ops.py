"""``tf.image`` HSV: conversions between RGB and HSV, hue and saturation adjustments and
their random variants.

The conversions follow TF's kernels (``colorspace_op.h``) -- hue in [0, 1), zero hue and
saturation for grey pixels, piecewise linear channel weights back to RGB -- and
are composed from selects and arithmetic, so they are differentiable almost everywhere.
"""
from __future__ import annotations

from typing import Any

from ..core.graph import Tensor
from .comparison_ops import equal, greater, less
from .fill_ops import zeros_like
from .framework import convert_to_tensor
from .image_color_ops import _as_float, _last_dim, convert_image_dtype
from .math_ops import abs, add, div_no_nan, floormod, maximum, minimum, multiply, subtract
from .op_util import op_scope
from .random_ops import random_uniform
from .reduce_ops import reduce_max, reduce_min
from .selection_ops import where_v2
from .stack_ops import stack, unstack

__all__ = ["rgb_to_hsv", "hsv_to_rgb", "adjust_hue", "adjust_saturation", "random_hue",
           "random_saturation"]


def _channels(images: Any, what: str) -> tuple[Tensor, list[Tensor]]:
    images = convert_to_tensor(images, name="images")
    _last_dim(images, 3, what)
    if not images.dtype.is_floating:
        raise TypeError(f"{what}: images must be floating point, got {images.dtype.name}")
    return images, unstack(images, 3, axis=-1)


def rgb_to_hsv(images: Any, name: str | None = None) -> Tensor:
    """``tf.image.rgb_to_hsv``: float RGB in [0, 1] to (hue, saturation, value), hue in
    [0, 1) and zero for grey pixels."""
    with op_scope(name, "rgb_to_hsv") as scope:
        images, (r, g, b) = _channels(images, "rgb_to_hsv")
        value = reduce_max(images, axis=-1)
        spread = subtract(value, reduce_min(images, axis=-1))
        saturation = div_no_nan(spread, value)
        norm = div_no_nan(1.0, multiply(spread, 6.0))
        hue = where_v2(equal(r, value), multiply(norm, subtract(g, b)),
                       where_v2(equal(g, value), add(multiply(norm, subtract(b, r)), 2 / 6),
                                add(multiply(norm, subtract(r, g)), 4 / 6)))
        hue = where_v2(greater(spread, 0.0), hue, zeros_like(hue))
        hue = where_v2(less(hue, 0.0), add(hue, 1.0), hue)
        return stack([hue, saturation, value], axis=-1, name=scope)


def _ramp(sixths: Tensor, centre: float, sign: float) -> Tensor:
    """TF's piecewise linear channel weight, clipped to [0, 1]: ``|6h - centre| - 1``
    (sign +1) or ``2 - |6h - centre|`` (sign -1)."""
    distance = abs(subtract(sixths, centre))
    ramp = subtract(distance, 1.0) if sign > 0 else subtract(2.0, distance)
    return minimum(maximum(ramp, 0.0), 1.0)


def hsv_to_rgb(images: Any, name: str | None = None) -> Tensor:
    """``tf.image.hsv_to_rgb``: (hue, saturation, value) back to RGB as TF's kernel does:
    each channel is ``v * (1 - s + s * w(6 h))`` with piecewise linear weights ``w``."""
    with op_scope(name, "hsv_to_rgb") as scope:
        _, (hue, saturation, value) = _channels(images, "hsv_to_rgb")
        sixths = multiply(hue, 6.0)
        grey = subtract(1.0, saturation)
        weights = [_ramp(sixths, 3.0, 1.0), _ramp(sixths, 2.0, -1.0), _ramp(sixths, 4.0, -1.0)]
        return stack([multiply(add(grey, multiply(saturation, w)), value) for w in weights],
                     axis=-1, name=scope)


def _adjust_hsv(image: Any, change: Any) -> Tensor:
    """``image`` converted to float, ``change(h, s, v)`` applied in HSV, converted back."""
    flt, orig = _as_float(image)
    hue, saturation, value = unstack(rgb_to_hsv(flt), 3, axis=-1)
    adjusted = hsv_to_rgb(stack(list(change(hue, saturation, value)), axis=-1))
    return convert_image_dtype(adjusted, orig)


def adjust_hue(image: Any, delta: Any, name: str | None = None) -> Tensor:
    """``tf.image.adjust_hue``: ``delta`` (in [-1, 1]) added to the hue, wrapped to
    [0, 1)."""
    with op_scope(name, "adjust_hue"):
        def shift(h: Tensor, s: Tensor, v: Tensor) -> tuple:
            return floormod(add(h, convert_to_tensor(delta, dtype=h.dtype)), 1.0), s, v
        return _adjust_hsv(image, shift)


def adjust_saturation(image: Any, saturation_factor: Any, name: str | None = None
                      ) -> Tensor:
    """``tf.image.adjust_saturation``: saturation scaled by ``saturation_factor`` and
    clipped to [0, 1]."""
    with op_scope(name, "adjust_saturation"):
        def scale(h: Tensor, s: Tensor, v: Tensor) -> tuple:
            factor = convert_to_tensor(saturation_factor, dtype=s.dtype)
            return h, minimum(maximum(multiply(s, factor), 0.0), 1.0), v
        return _adjust_hsv(image, scale)


def random_hue(image: Any, max_delta: float, seed: int | None = None) -> Tensor:
    """``tf.image.random_hue``: :func:`adjust_hue` by a delta drawn uniformly from
    [-max_delta, max_delta), ``max_delta`` in [0, 0.5]."""
    if max_delta > 0.5:
        raise ValueError(f"random_hue: max_delta must be <= 0.5, got {max_delta}")
    if max_delta < 0:
        raise ValueError(f"random_hue: max_delta must be non-negative, got {max_delta}")
    return adjust_hue(image, random_uniform([], -max_delta, max_delta, seed=seed))


def random_saturation(image: Any, lower: float, upper: float, seed: int | None = None
                      ) -> Tensor:
    """``tf.image.random_saturation``: :func:`adjust_saturation` by a factor drawn
    uniformly from [lower, upper)."""
    if upper <= lower:
        raise ValueError(f"random_saturation: upper must be > lower, got [{lower}, {upper}]")
    if lower < 0:
        raise ValueError(f"random_saturation: lower must be non-negative, got {lower}")
    return adjust_saturation(image, random_uniform([], lower, upper, seed=seed))


"""``tf.image`` geometry: flips, transposes, rotations, crops and pads of 3-D ``[height,
width, channels]`` or 4-D ``[batch, height, width, channels]`` images.

All are built from existing array ops (``ReverseV2``, ``Transpose``, ``Slice``, ``Pad``,
``SelectV2``), so their gradients are those ops'. Offsets and sizes are Python ints (or
constant tensors), checked against the static image size when it is known.
"""
from __future__ import annotations

from typing import Any

from ..core.graph import Tensor
from ..core import dtypes
from ..core.graph import control_dependencies
from .comparison_ops import greater, greater_equal, less
from .logging_ops import Assert
from .math_ops import add, floormod, subtract
from .reduce_ops import reduce_all
from .state_ops import identity
from .framework import constant_value, convert_to_tensor
from .indexing_ops import pad, slice, strided_slice
from .op_util import const_int, op_scope
from .random_ops import random_uniform
from .selection_ops import where_v2
from .shape_ops import reshape, reverse, shape, transpose

__all__ = [
    "flip_left_right", "flip_up_down", "transpose_image", "rot90", "random_flip_left_right",
    "random_flip_up_down", "central_crop", "crop_to_bounding_box", "pad_to_bounding_box",
    "resize_image_with_crop_or_pad", "random_crop",
]


def image_rank(image: Tensor, what: str) -> int:
    """The rank of a 3-D or 4-D image tensor; ``ValueError`` naming ``what`` otherwise."""
    ndims = image.shape.ndims
    if ndims not in (3, 4):
        raise ValueError(f"{what}: 'image' (shape {image.shape}) must have either 3 or 4 "
                         f"dimensions")
    if any(d == 0 for d in image.shape.as_list()[-3:]):
        raise ValueError(f"{what}: all dimensions of 'image' must be > 0, got shape "
                         f"{image.shape}")
    return ndims


def _flip(image: Any, axis: int, name: str) -> Tensor:
    with op_scope(None, name) as scope:
        image = convert_to_tensor(image, name="image")
        offset = image_rank(image, name) - 3
        return reverse(image, [axis + offset], name=scope)


def flip_left_right(image: Any) -> Tensor:
    """``tf.image.flip_left_right``: images mirrored along the width."""
    return _flip(image, 1, "flip_left_right")


def flip_up_down(image: Any) -> Tensor:
    """``tf.image.flip_up_down``: images mirrored along the height."""
    return _flip(image, 0, "flip_up_down")


def transpose_image(image: Any, name: str | None = None) -> Tensor:
    """``tf.image.transpose_image``: height and width swapped."""
    with op_scope(name, "transpose") as scope:
        image = convert_to_tensor(image, name="image")
        perm = [1, 0, 2] if image_rank(image, "transpose_image") == 3 else [0, 2, 1, 3]
        return transpose(image, perm, name=scope)


def rot90(image: Any, k: Any = 1, name: str | None = None) -> Tensor:
    """``tf.image.rot90``: images rotated counter-clockwise by ``k`` quarter turns (``k``
    known when the graph is built)."""
    turns = const_int(k, "rot90: k") % 4
    with op_scope(name, "rot90") as scope:
        image = convert_to_tensor(image, name="image")
        offset = image_rank(image, "rot90") - 3
        swap = [0, 2, 1, 3] if offset else [1, 0, 2]
        h, w = offset, offset + 1
        if turns == 0:
            return image
        if turns == 1:
            return transpose(reverse(image, [w]), swap, name=scope)
        if turns == 2:
            return reverse(image, [h, w], name=scope)
        return reverse(transpose(image, swap), [w], name=scope)


def _random_flip(image: Any, axis: int, seed: int | None, name: str) -> Tensor:
    """TF1's rule: a 3-D image flips when a uniform draw is below 0.5; each image of a
    batch flips when its draw rounds to 1."""
    with op_scope(None, name) as scope:
        image = convert_to_tensor(image, name="image")
        offset = image_rank(image, name) - 3
        flipped = reverse(image, [axis + offset])
        if offset == 0:
            mirror = less(random_uniform([], 0, 1.0, seed=seed), 0.5)
        else:
            batch = strided_slice(shape(image), [0], [1])
            draws = random_uniform(batch, 0, 1.0, seed=seed)
            mirror = greater(reshape(draws, [-1, 1, 1, 1]), 0.5)
        return where_v2(mirror, flipped, image, name=scope)


def random_flip_left_right(image: Any, seed: int | None = None) -> Tensor:
    """``tf.image.random_flip_left_right``: each image mirrored along the width with
    probability 1/2 (seeded like the other random ops)."""
    return _random_flip(image, 1, seed, "random_flip_left_right")


def random_flip_up_down(image: Any, seed: int | None = None) -> Tensor:
    """``tf.image.random_flip_up_down``: each image mirrored along the height with
    probability 1/2."""
    return _random_flip(image, 0, seed, "random_flip_up_down")


def _hw(image: Tensor, what: str) -> tuple[int, int]:
    height, width = image.shape.as_list()[-3:-1]
    if height is None or width is None:
        raise ValueError(f"{what}: the image's height and width must be known when the "
                         f"graph is built, got shape {image.shape}")
    return height, width


def _block(image: Tensor, begin_hw: list, size_hw: list, name: str | None) -> Tensor:
    if image.shape.ndims == 3:
        return slice(image, begin_hw + [0], size_hw + [-1], name=name)
    return slice(image, [0] + begin_hw + [0], [-1] + size_hw + [-1], name=name)


def central_crop(image: Any, central_fraction: float) -> Tensor:
    """``tf.image.central_crop``: the central ``central_fraction`` (in (0, 1]) of each
    side, starting at ``int((side - side * fraction) / 2)`` as TF computes it."""
    fraction = constant_value(central_fraction)
    if fraction is None:
        raise ValueError("central_crop: central_fraction must be known when the graph is "
                         "built")
    fraction = float(fraction)
    if fraction <= 0.0 or fraction > 1.0:
        raise ValueError(f"central_crop: central_fraction must be within (0, 1], got "
                         f"{fraction}")
    with op_scope(None, "central_crop"):
        image = convert_to_tensor(image, name="image")
        image_rank(image, "central_crop")
        if fraction == 1.0:
            return image
        height, width = _hw(image, "central_crop")
        top = int((float(height) - height * fraction) / 2)
        left = int((float(width) - width * fraction) / 2)
        return _block(image, [top, left], [height - 2 * top, width - 2 * left], None)


def _ints(what: str, **values: Any) -> list[int]:
    return [const_int(v, f"{what}: {k}") for k, v in values.items()]


def crop_to_bounding_box(image: Any, offset_height: Any, offset_width: Any,
                         target_height: Any, target_width: Any) -> Tensor:
    """``tf.image.crop_to_bounding_box``: the ``target_height`` x ``target_width`` block
    whose top-left corner is at (``offset_height``, ``offset_width``)."""
    with op_scope(None, "crop_to_bounding_box"):
        image = convert_to_tensor(image, name="image")
        image_rank(image, "crop_to_bounding_box")
        top, left, th, tw = _ints("crop_to_bounding_box", offset_height=offset_height,
                                  offset_width=offset_width, target_height=target_height,
                                  target_width=target_width)
        if top < 0 or left < 0 or th <= 0 or tw <= 0:
            raise ValueError(f"crop_to_bounding_box: offsets must be >= 0 and targets > 0, "
                             f"got offsets ({top}, {left}), targets ({th}, {tw})")
        height, width = image.shape.as_list()[-3:-1]
        if (height is not None and height < top + th) or (
                width is not None and width < left + tw):
            raise ValueError(f"crop_to_bounding_box: the box at ({top}, {left}) of size "
                             f"({th}, {tw}) does not fit in image of shape {image.shape}")
        return _block(image, [top, left], [th, tw], None)


def pad_to_bounding_box(image: Any, offset_height: Any, offset_width: Any,
                        target_height: Any, target_width: Any) -> Tensor:
    """``tf.image.pad_to_bounding_box``: the image zero-padded to ``target_height`` x
    ``target_width``, its top-left corner at (``offset_height``, ``offset_width``)."""
    with op_scope(None, "pad_to_bounding_box"):
        image = convert_to_tensor(image, name="image")
        rank = image_rank(image, "pad_to_bounding_box")
        top, left, th, tw = _ints("pad_to_bounding_box", offset_height=offset_height,
                                  offset_width=offset_width, target_height=target_height,
                                  target_width=target_width)
        height, width = _hw(image, "pad_to_bounding_box")
        bottom, right = th - top - height, tw - left - width
        if min(top, left, bottom, right) < 0:
            raise ValueError(f"pad_to_bounding_box: image of shape {image.shape} at offsets "
                             f"({top}, {left}) does not fit in the target ({th}, {tw})")
        paddings = [[top, bottom], [left, right], [0, 0]]
        return pad(image, ([[0, 0]] if rank == 4 else []) + paddings)


def resize_image_with_crop_or_pad(image: Any, target_height: Any, target_width: Any
                                  ) -> Tensor:
    """``tf.image.resize_image_with_crop_or_pad``: centrally cropped and/or zero-padded to
    ``target_height`` x ``target_width`` (TF's offsets: half the difference, rounded
    down)."""
    with op_scope(None, "resize_image_with_crop_or_pad"):
        image = convert_to_tensor(image, name="image")
        image_rank(image, "resize_image_with_crop_or_pad")
        th, tw = _ints("resize_image_with_crop_or_pad", target_height=target_height,
                       target_width=target_width)
        if th <= 0 or tw <= 0:
            raise ValueError(f"resize_image_with_crop_or_pad: targets must be > 0, got "
                             f"({th}, {tw})")
        height, width = _hw(image, "resize_image_with_crop_or_pad")
        dh, dw = th - height, tw - width
        cropped = crop_to_bounding_box(image, max(-dh // 2, 0), max(-dw // 2, 0),
                                       min(th, height), min(tw, width))
        return pad_to_bounding_box(cropped, max(dh // 2, 0), max(dw // 2, 0), th, tw)



def random_crop(value: Any, size: Any, seed: int | None = None, name: str | None = None
                ) -> Tensor:
    """``tf.random_crop``: a block of ``size`` at a uniformly drawn offset (TF1's draw: a
    uniform int32 modulo the number of offsets); checks ``value.shape >= size`` when
    run (and when built, as far as both are known)."""
    with op_scope(name, "random_crop") as scope:
        value = convert_to_tensor(value, name="value")
        size = convert_to_tensor(size, dtype=dtypes.int32, name="size")
        known, dims = constant_value(size), value.shape
        if known is not None and dims.ndims is not None:
            if len(known) != dims.ndims or any(
                    d is not None and d < s for d, s in zip(dims.as_list(), known)):
                raise ValueError(f"random_crop: need value.shape >= size, got shape "
                                 f"{dims} and size {known.tolist()}")
        full = shape(value)
        check = Assert(reduce_all(greater_equal(full, size)),
                       ["Need value.shape >= size, got ", full, size], summarize=1000)
        with control_dependencies([check]):
            full = identity(full)
        limit = add(subtract(full, size), 1)
        draws = random_uniform(shape(full), maxval=dtypes.int32.max, dtype=dtypes.int32,
                               seed=seed)
        return slice(value, floormod(draws, limit), size, name=scope)

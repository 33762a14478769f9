"""``tf.image.draw_bounding_boxes``: one-pixel box outlines drawn onto float images.

As TF's kernel: box ``[y1, x1, y2, x2]`` (normalized) of image ``b`` has its edges at rows
``int(y * (height - 1))`` and columns ``int(x * (width - 1))``; edges outside the image
are not drawn, the others are clipped to it; boxes cycle through TF's colour table
(RGBA, cut to the image's depth; grey images draw in white).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .framework import apply_op, convert_to_tensor

__all__ = ["draw_bounding_boxes"]

_COLOURS = np.array([[1, 1, 0, 1], [0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 0, 1],
                     [0.5, 0, 0.5, 1], [0.5, 0.5, 0, 1], [0.5, 0, 0, 1], [0, 0, 0.5, 1],
                     [0, 1, 1, 1], [1, 0, 1, 1]], np.float32)


def _draw_kernel(images: np.ndarray, boxes: np.ndarray, colors: np.ndarray) -> np.ndarray:
    batch, height, width, depth = images.shape
    if boxes.ndim != 3 or boxes.shape[0] != batch or boxes.shape[2] != 4:
        raise ValueError(f"DrawBoundingBoxes: boxes must be [{batch}, num_boxes, 4], got "
                         f"{list(boxes.shape)}")
    table = colors.astype(np.float32) if colors.size else _COLOURS.copy()
    if table.shape[1] < depth:
        raise ValueError(f"DrawBoundingBoxes: colors have {table.shape[1]} channels, the "
                         f"images {depth}")
    if depth == 1:
        table[:, 0] = 1.0
    canvas = images.copy()
    for b in range(batch):
        for i, box in enumerate(boxes[b].astype(np.float32)):
            colour = table[i % len(table), :depth].astype(images.dtype)
            top, left = int(box[0] * (height - 1)), int(box[1] * (width - 1))
            bottom, right = int(box[2] * (height - 1)), int(box[3] * (width - 1))
            if top > bottom or left > right or top >= height or bottom < 0 \
                    or left >= width or right < 0:
                continue
            rows = slice(max(top, 0), min(bottom, height - 1) + 1)
            cols = slice(max(left, 0), min(right, width - 1) + 1)
            for row in (top, bottom):
                if 0 <= row < height:
                    canvas[b, row, cols] = colour
            for col in (left, right):
                if 0 <= col < width:
                    canvas[b, rows, col] = colour
    return canvas


def _draw_shape(inputs: list, attrs: dict) -> list:
    images, boxes, colors = inputs
    if images.shape.ndims not in (None, 4) or not images.dtype.is_floating:
        raise ValueError(f"DrawBoundingBoxes: images must be a 4-D float tensor, got "
                         f"{images.dtype.name} {images.shape}")
    if boxes.shape.ndims not in (None, 3) or colors.shape.ndims not in (None, 2):
        raise ValueError(f"DrawBoundingBoxes: boxes must be 3-D and colors 2-D, got "
                         f"{boxes.shape} and {colors.shape}")
    return [(images.shape, images.dtype)]


define_op("DrawBoundingBoxes", kernel=_draw_kernel, shape_fn=_draw_shape,
          non_differentiable=(0, 1, 2), view_of={}, fresh=True,
          doc="Images with box outlines drawn in colours.")


def draw_bounding_boxes(images: Any, boxes: Any, name: str | None = None,
                        colors: Any = None) -> Any:
    """``tf.image.draw_bounding_boxes``: a copy of the float ``[batch, height, width,
    depth]`` images with the outlines of ``boxes`` ``[batch, num_boxes, 4]`` drawn in
    ``colors`` (``[num_colors, 4]`` RGBA, TF's table by default)."""
    images = convert_to_tensor(images, name="images")
    table = np.zeros((0, 4), np.float32) if colors is None else colors
    inputs = [images, convert_to_tensor(boxes, dtype=dtypes.float32, name="boxes"),
              convert_to_tensor(table, dtype=dtypes.float32, name="colors")]
    return apply_op("DrawBoundingBoxes", inputs, {}, name=name).outputs[0]

"""``tf.image.crop_and_resize``: boxes of a batch of images sampled onto a fixed grid.

Box ``[y1, x1, y2, x2]`` (normalized coordinates) of image ``box_ind[i]`` is sampled at
``crop_size`` points as TF's kernel does: row ``y`` at ``y1 (H-1) + y (y2-y1)(H-1)/(h-1)``
(the box centre when ``h == 1``), bilinearly or at the nearest pixel, and points outside
the image get ``extrapolation_value``. The gradient w.r.t. the image scatters back
through the same weights (``CropAndResizeGradImage``); w.r.t. the boxes it comes from
the sample positions' partial derivatives (``CropAndResizeBoxPartials``, bilinear only,
as TF's ``CropAndResizeGradBoxes``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .framework import apply_op, convert_to_tensor
from .math_ops import multiply
from .op_util import _deprecated_lookup, _static_values, op_scope
from .reduce_ops import reduce_sum
from .shape_ops import expand_dims, reshape, shape

__all__ = ["crop_and_resize", "crop_and_resize_op"]


def _positions(starts: np.ndarray, ends: np.ndarray, size: int, extent: int
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sample positions ``(boxes, size)`` along one axis, in the boxes' precision with
    TF's formula (float32 boxes round as TF's kernel does), and their derivatives w.r.t.
    the box's start and end coordinates."""
    dt = starts.dtype.type
    last = dt(extent - 1)
    if size > 1:
        step = np.arange(size, dtype=starts.dtype)
        scale = (ends - starts) * last / dt(size - 1)
        pos = starts[:, None] * last + step[None, :] * scale[:, None]
        d_end = (extent - 1) * np.arange(size)[None, :] / (size - 1) * np.ones((len(starts), 1))
        d_start = (extent - 1) - d_end
    else:
        pos = (dt(0.5) * (starts + ends) * last)[:, None]
        d_start = d_end = np.full((len(starts), 1), 0.5 * (extent - 1))
    return pos.astype(np.float64), d_start, d_end


def _samples(image: np.ndarray, boxes: np.ndarray, box_ind: np.ndarray, crop_size: np.ndarray,
             method: str) -> dict:
    """Corner indices, weights and validity of every sample (shared by all kernels)."""
    batch, height, width, _ = image.shape
    if boxes.ndim != 2 or boxes.shape[1] != 4 or box_ind.shape != (boxes.shape[0],):
        raise ValueError(f"CropAndResize: boxes must be [num_boxes, 4] and box_ind "
                         f"[num_boxes], got {boxes.shape} and {box_ind.shape}")
    if box_ind.size and (box_ind.min() < 0 or box_ind.max() >= batch):
        raise ValueError(f"CropAndResize: box_ind values must be in [0, {batch}), got "
                         f"{box_ind.tolist()}")
    if crop_size.shape != (2,) or (crop_size <= 0).any():
        raise ValueError(f"CropAndResize: crop_size must be 2 positive integers, got "
                         f"{crop_size.tolist()}")
    ch, cw = (int(v) for v in crop_size)
    if boxes.dtype not in (np.float32, np.float64):
        boxes = boxes.astype(np.float32)
    in_y, dy1, dy2 = _positions(boxes[:, 0], boxes[:, 2], ch, height)
    in_x, dx1, dx2 = _positions(boxes[:, 1], boxes[:, 3], cw, width)
    valid = ((in_y >= 0) & (in_y <= height - 1))[:, :, None] & \
        ((in_x >= 0) & (in_x <= width - 1))[:, None, :]
    if method == "nearest":
        # C's round: halves away from zero (positions outside the image are masked)
        rows, cols = np.floor(in_y + 0.5), np.floor(in_x + 0.5)
        top = bottom = np.clip(rows, 0, height - 1).astype(np.int64)
        left = right = np.clip(cols, 0, width - 1).astype(np.int64)
        y_lerp, x_lerp = np.zeros_like(in_y), np.zeros_like(in_x)
    else:
        top = np.clip(np.floor(in_y), 0, height - 1).astype(np.int64)
        bottom = np.clip(np.ceil(in_y), 0, height - 1).astype(np.int64)
        left = np.clip(np.floor(in_x), 0, width - 1).astype(np.int64)
        right = np.clip(np.ceil(in_x), 0, width - 1).astype(np.int64)
        y_lerp, x_lerp = in_y - np.floor(in_y), in_x - np.floor(in_x)
    b = box_ind.astype(np.int64)[:, None, None]
    corners = [(b, top[:, :, None], left[:, None, :]), (b, top[:, :, None], right[:, None, :]),
               (b, bottom[:, :, None], left[:, None, :]),
               (b, bottom[:, :, None], right[:, None, :])]
    wy, wx = y_lerp[:, :, None], x_lerp[:, None, :]
    weights = [(1 - wy) * (1 - wx), (1 - wy) * wx, wy * (1 - wx), wy * wx]
    return {"corners": corners, "weights": [w * valid for w in weights], "valid": valid,
            "wy": wy, "wx": wx, "dy": (dy1, dy2), "dx": (dx1, dx2),
            "size": (height, width)}


def _crop_kernel(image: np.ndarray, boxes: np.ndarray, box_ind: np.ndarray,
                 crop_size: np.ndarray, *, method: str, extrapolation_value: float,
                 dtype: dtypes.DType) -> np.ndarray:
    s = _samples(image, boxes, box_ind, crop_size, method)
    image = image.astype(np.float64)
    out = sum(w[..., None] * image[c] for c, w in zip(s["corners"], s["weights"]))
    out = np.where(s["valid"][..., None], out, extrapolation_value)
    return np.asarray(out, dtype.dtype).reshape(
        (len(boxes), int(crop_size[0]), int(crop_size[1]), image.shape[3]))


def _grad_image_kernel(grads: np.ndarray, boxes: np.ndarray, box_ind: np.ndarray,
                       image_size: np.ndarray, *, method: str, dtype: dtypes.DType
                       ) -> np.ndarray:
    batch, height, width, depth = (int(v) for v in image_size)
    probe = np.empty((batch, height, width, 0))
    s = _samples(probe, boxes, box_ind, np.array(grads.shape[1:3]), method)
    out = np.zeros((batch, height, width, depth))
    for c, w in zip(s["corners"], s["weights"]):
        index = tuple(np.broadcast_arrays(*c))
        np.add.at(out, index, w[..., None] * grads.astype(np.float64))
    return out.astype(dtype.dtype)


def _box_partials_kernel(image: np.ndarray, boxes: np.ndarray, box_ind: np.ndarray,
                         crop_size: np.ndarray, *, dtype: dtypes.DType) -> np.ndarray:
    """d output / d (y1, x1, y2, x2), shaped ``[boxes, h, w, depth, 4]`` (bilinear)."""
    s = _samples(image, boxes, box_ind, crop_size, "bilinear")
    image = image.astype(np.float64)
    tl, tr, bl, br = (image[c] for c in s["corners"])
    wy, wx, valid = s["wy"][..., None], s["wx"][..., None], s["valid"][..., None]
    d_in_y = ((bl - tl) * (1 - wx) + (br - tr) * wx) * valid
    d_in_x = ((tr - tl) * (1 - wy) + (br - bl) * wy) * valid
    (dy1, dy2), (dx1, dx2) = s["dy"], s["dx"]
    parts = [d_in_y * dy1[:, :, None, None], d_in_x * dx1[:, None, :, None],
             d_in_y * dy2[:, :, None, None],
             d_in_x * dx2[:, None, :, None]]
    return np.stack(parts, axis=-1).astype(dtype.dtype)


def _check_inputs(image: Tensor, boxes: Tensor, box_ind: Tensor, what: str) -> None:
    if image.shape.ndims not in (None, 4):
        raise ValueError(f"{what}: image must be 4-D, got shape {image.shape}")
    if not boxes.shape.is_compatible_with([None, 4]) or box_ind.shape.ndims not in (None, 1):
        raise ValueError(f"{what}: boxes must be [num_boxes, 4] and box_ind [num_boxes], "
                         f"got {boxes.shape} and {box_ind.shape}")
    if box_ind.dtype != dtypes.int32:
        raise TypeError(f"{what}: box_ind must be int32, got {box_ind.dtype.name}")


def _crop_dims(image: Tensor, boxes: Tensor, size: Tensor) -> list:
    values = _static_values(size) or [None, None]
    depth = image.shape.as_tuple()[3] if image.shape.ndims == 4 else None
    return [boxes.shape[0] if boxes.shape.ndims == 2 else None] + values + [depth]


def _crop_shape(inputs: list, attrs: dict) -> list:
    image, boxes, box_ind, size = inputs
    _check_inputs(image, boxes, box_ind, "CropAndResize")
    return [(TensorShape(_crop_dims(image, boxes, size)), attrs["dtype"])]


def _grad_image_shape(inputs: list, attrs: dict) -> list:
    return [(TensorShape(_static_values(inputs[3]) or [None] * 4), attrs["dtype"])]


def _box_partials_shape(inputs: list, attrs: dict) -> list:
    image, boxes, box_ind, size = inputs
    _check_inputs(image, boxes, box_ind, "CropAndResizeBoxPartials")
    return [(TensorShape(_crop_dims(image, boxes, size) + [4]), attrs["dtype"])]


def _box_partials(op: Operation) -> Tensor:
    image, boxes, box_ind, size = op.inputs
    return apply_op("CropAndResizeBoxPartials", [image, boxes, box_ind, size],
                    {"dtype": boxes.dtype}).outputs[0]


def _image_shape(image: Tensor) -> Tensor:
    dims = image.shape.as_list() if image.shape.ndims == 4 else [None]
    return convert_to_tensor(np.array(dims, np.int32)) if None not in dims else shape(image)


def _crop_vjp(op: Operation, grad: Tensor) -> list:
    image, boxes, box_ind, _ = op.inputs
    grad_image = None
    if image.dtype.is_floating:
        grad_image = apply_op("CropAndResizeGradImage", [grad, boxes, box_ind,
                                                         _image_shape(image)],
                              {"method": op.get_attr("method"), "dtype": image.dtype}
                              ).outputs[0]
    grad_boxes = None
    if op.get_attr("method") == "bilinear":
        weighted = multiply(_box_partials(op), expand_dims(grad, -1))
        grad_boxes = reduce_sum(weighted, axis=[1, 2, 3])
    return [grad_image, grad_boxes, None, None]


def _crop_jvp(op: Operation, t_image: Tensor | None, t_boxes: Tensor | None, *_: None
              ) -> list:
    parts = []
    if t_image is not None and op.inputs[0].dtype.is_floating:
        parts.append(apply_op("CropAndResize", [t_image] + list(op.inputs[1:]),
                              dict(op.attrs, extrapolation_value=0.0)).outputs[0])
    if t_boxes is not None and op.get_attr("method") == "bilinear":
        moved = reshape(t_boxes, [-1, 1, 1, 1, 4])
        parts.append(reduce_sum(multiply(_box_partials(op), moved), axis=-1))
    return [None if not parts else parts[0] if len(parts) == 1 else parts[0] + parts[1]]


def _grad_image_vjp(op: Operation, grad: Tensor) -> list:
    grads, boxes, box_ind, _ = op.inputs
    size = convert_to_tensor(np.array(grads.shape.as_list()[1:3], np.int32))
    attrs = {"method": op.get_attr("method"), "extrapolation_value": 0.0,
             "dtype": grads.dtype}
    return [apply_op("CropAndResize", [grad, boxes, box_ind, size], attrs).outputs[0],
            None, None, None]


def _grad_image_jvp(op: Operation, tangent: Tensor | None, *_: None) -> list:
    if tangent is None:
        return [None]
    return list(apply_op(op.type, [tangent] + list(op.inputs[1:]), op.attrs).outputs)


define_op("CropAndResize", kernel=_crop_kernel, shape_fn=_crop_shape, vjp=_crop_vjp,
          jvp=_crop_jvp, non_differentiable=(2, 3), view_of={}, fresh=True,
          doc="Boxes of images sampled onto a crop_size grid (bilinear or nearest).")
define_op("CropAndResizeGradImage", kernel=_grad_image_kernel, shape_fn=_grad_image_shape,
          vjp=_grad_image_vjp, jvp=_grad_image_jvp, non_differentiable=(1, 2, 3),
          view_of={}, fresh=True,
          doc="The adjoint of CropAndResize w.r.t. the image (boxes held fixed).")
define_op("CropAndResizeBoxPartials", kernel=_box_partials_kernel,
          shape_fn=_box_partials_shape, non_differentiable=(0, 1, 2, 3), view_of={},
          fresh=True, doc="d CropAndResize / d (y1, x1, y2, x2) per output value "
                          "(bilinear sampling).")


def crop_and_resize(image: Any, boxes: Any, box_ind: Any = None, crop_size: Any = None,
                    method: str = "bilinear", extrapolation_value: float = 0,
                    name: str | None = None, box_indices: Any = None) -> Tensor:
    """``tf.image.crop_and_resize``: a float32 ``[num_boxes, crop_height, crop_width,
    depth]`` tensor of the ``boxes`` (normalized ``[y1, x1, y2, x2]``) of images
    ``box_ind``, sampled bilinearly or at the nearest pixel."""
    box_ind = _deprecated_lookup("box_indices", box_indices, "box_ind", box_ind)
    if method not in ("bilinear", "nearest"):
        raise ValueError(f"crop_and_resize: method must be 'bilinear' or 'nearest', got "
                         f"{method!r}")
    if box_ind is None or crop_size is None:
        raise ValueError("crop_and_resize: box_ind and crop_size are required")
    with op_scope(name, "CropAndResize") as scope:
        inputs = [convert_to_tensor(image, name="image"),
                  convert_to_tensor(boxes, dtype=dtypes.float32, name="boxes"),
                  convert_to_tensor(box_ind, dtype=dtypes.int32, name="box_ind"),
                  convert_to_tensor(crop_size, dtype=dtypes.int32, name="crop_size")]
        attrs = {"method": method, "extrapolation_value": float(extrapolation_value),
                 "dtype": dtypes.float32}
        return apply_op("CropAndResize", inputs, attrs, name=scope).outputs[0]


def crop_and_resize_op(image: Tensor, boxes: Tensor, box_ind: Any, crop_size: Any,
                       method: str = "bilinear", extrapolation_value: float = 0.0,
                       dtype: Any = dtypes.float32) -> Tensor:
    """A ``CropAndResize`` op with output ``dtype`` (TF's op always gives float32)."""
    inputs = [image, boxes, convert_to_tensor(box_ind, dtype=dtypes.int32),
              convert_to_tensor(crop_size, dtype=dtypes.int32)]
    attrs = {"method": method, "extrapolation_value": float(extrapolation_value),
             "dtype": dtypes.as_dtype(dtype)}
    return apply_op("CropAndResize", inputs, attrs).outputs[0]

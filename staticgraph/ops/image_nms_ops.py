"""``tf.image.non_max_suppression`` and its variants: greedy selection of boxes by score.

One op, ``NonMaxSuppression``, runs TF's ``NonMaxSuppressionV5`` algorithm: candidates
above ``score_threshold`` are taken in order of score (ties: lower index first); a
candidate is dropped when its overlap with a box already selected exceeds the threshold,
or -- with ``soft_nms_sigma > 0`` -- has its score decayed by ``exp(-iou^2 / (2 sigma))``
and is queued again. Overlaps are intersection over union of ``[y1, x1, y2, x2]`` boxes
(any diagonal pair of corners), or given directly as a matrix.
"""
from __future__ import annotations

import heapq
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .framework import apply_op, convert_to_tensor
from .op_util import op_scope

__all__ = ["non_max_suppression", "non_max_suppression_with_scores",
           "non_max_suppression_overlaps"]


def _iou(boxes: np.ndarray, i: int, j: int) -> float:
    a, b = boxes[i], boxes[j]
    ay0, ay1 = min(a[0], a[2]), max(a[0], a[2])
    ax0, ax1 = min(a[1], a[3]), max(a[1], a[3])
    by0, by1 = min(b[0], b[2]), max(b[0], b[2])
    bx0, bx1 = min(b[1], b[3]), max(b[1], b[3])
    area_a, area_b = (ay1 - ay0) * (ax1 - ax0), (by1 - by0) * (bx1 - bx0)
    if area_a <= 0 or area_b <= 0:
        return 0.0
    inter = max(min(ay1, by1) - max(ay0, by0), 0.0) * max(min(ax1, bx1) - max(ax0, bx0), 0.0)
    return float(inter / (area_a + area_b - inter))


def _nms_kernel(boxes: np.ndarray, scores: np.ndarray, max_output_size: np.ndarray,
                iou_threshold: np.ndarray, score_threshold: np.ndarray,
                soft_nms_sigma: np.ndarray, *, overlaps: bool) -> tuple:
    count = scores.shape[0]
    expected = (count, count) if overlaps else (count, 4)
    if boxes.shape != expected:
        raise ValueError(f"NonMaxSuppression: {'overlaps' if overlaps else 'boxes'} must be "
                         f"{list(expected)} for {count} scores, got {list(boxes.shape)}")
    if max_output_size < 0:
        raise ValueError(f"NonMaxSuppression: max_output_size must be >= 0, got "
                         f"{int(max_output_size)}")
    if not overlaps and not 0 <= iou_threshold <= 1:
        raise ValueError(f"NonMaxSuppression: iou_threshold must be in [0, 1], got "
                         f"{float(iou_threshold)}")
    sigma = float(soft_nms_sigma)
    scale = -0.5 / sigma if sigma > 0 else 0.0
    threshold, floor = float(iou_threshold), float(score_threshold)

    def overlap(i: int, j: int) -> float:
        return float(boxes[i, j]) if overlaps else _iou(boxes, i, j)

    # heap entries: (-score, index, first selected box not yet compared with)
    queue = [(-float(s), i, 0) for i, s in enumerate(scores) if s > floor]
    heapq.heapify(queue)
    selected: list[int] = []
    selected_scores: list[float] = []
    while queue and len(selected) < int(max_output_size):
        neg_score, index, begin = heapq.heappop(queue)
        score = original = -neg_score
        suppressed = False
        for j in range(len(selected) - 1, begin - 1, -1):
            sim = overlap(index, selected[j])
            score *= np.exp(scale * sim * sim) if sim <= threshold else 0.0
            if sigma <= 0 and sim > threshold:
                suppressed = True
                break
            if score <= floor:
                break
        if suppressed:
            continue
        if score == original:
            selected.append(index)
            selected_scores.append(score)
        elif score > floor:
            heapq.heappush(queue, (-score, index, len(selected)))
    return (np.array(selected, np.int32), np.array(selected_scores, scores.dtype))


def _nms_shape(inputs: list, attrs: dict) -> list:
    boxes, scores = inputs[:2]
    if boxes.shape.ndims not in (None, 2) or scores.shape.ndims not in (None, 1):
        raise ValueError(f"NonMaxSuppression: boxes (or overlaps) must be 2-D and scores "
                         f"1-D, got {boxes.shape} and {scores.shape}")
    for t, what in zip(inputs[2:], ("max_output_size", "iou_threshold", "score_threshold",
                                    "soft_nms_sigma")):
        if t.shape.ndims not in (None, 0):
            raise ValueError(f"NonMaxSuppression: {what} must be a scalar, got {t.shape}")
    return [(TensorShape([None]), dtypes.int32), (TensorShape([None]), scores.dtype)]


define_op("NonMaxSuppression", kernel=_nms_kernel, shape_fn=_nms_shape,
          non_differentiable=(0, 1, 2, 3, 4, 5), view_of={}, fresh=True,
          doc="Indices (and scores) of the boxes kept by greedy (soft) non-max "
              "suppression, in selection order.")


def _nms(matrix: Any, scores: Any, max_output_size: Any, threshold: Any,
         score_threshold: Any, soft_nms_sigma: Any, overlaps: bool, name: str | None,
         default: str) -> tuple:
    with op_scope(name, default):
        scores = convert_to_tensor(scores, name="scores")
        inputs = [convert_to_tensor(matrix, dtype=scores.dtype),
                  scores,
                  convert_to_tensor(max_output_size, dtype=dtypes.int32,
                                    name="max_output_size"),
                  convert_to_tensor(threshold, dtype=scores.dtype, name="iou_threshold"),
                  convert_to_tensor(score_threshold, dtype=scores.dtype,
                                    name="score_threshold"),
                  convert_to_tensor(soft_nms_sigma, dtype=scores.dtype,
                                    name="soft_nms_sigma")]
        return tuple(apply_op("NonMaxSuppression", inputs, {"overlaps": overlaps}).outputs)


def non_max_suppression(boxes: Any, scores: Any, max_output_size: Any,
                        iou_threshold: Any = 0.5, score_threshold: Any = float("-inf"),
                        name: str | None = None) -> Any:
    """``tf.image.non_max_suppression``: int32 indices of at most ``max_output_size``
    boxes, greedily chosen by score, none overlapping a chosen one by more than
    ``iou_threshold`` (IoU), all scoring above ``score_threshold``."""
    return _nms(boxes, scores, max_output_size, iou_threshold, score_threshold, 0.0,
                False, name, "non_max_suppression")[0]


def non_max_suppression_with_scores(boxes: Any, scores: Any, max_output_size: Any,
                                    iou_threshold: Any = 0.5,
                                    score_threshold: Any = float("-inf"),
                                    soft_nms_sigma: Any = 0.0, name: str | None = None
                                    ) -> tuple:
    """``tf.image.non_max_suppression_with_scores``: (indices, scores); with
    ``soft_nms_sigma > 0``, overlapping boxes have their scores decayed (Soft-NMS)
    instead of being dropped."""
    return _nms(boxes, scores, max_output_size, iou_threshold, score_threshold,
                soft_nms_sigma, False, name, "non_max_suppression_with_scores")


def non_max_suppression_overlaps(overlaps: Any, scores: Any, max_output_size: Any,
                                 overlap_threshold: Any = 0.5,
                                 score_threshold: Any = float("-inf"),
                                 name: str | None = None) -> Any:
    """``tf.image.non_max_suppression_overlaps``: :func:`non_max_suppression` with the
    pairwise overlaps given as an ``[n, n]`` matrix."""
    return _nms(overlaps, scores, max_output_size, overlap_threshold, score_threshold, 0.0,
                True, name, "non_max_suppression_overlaps")[0]

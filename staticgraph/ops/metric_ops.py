"""``TopKSetCounts`` and ``RankedSetCounts``: the per-batch counts behind
``tf.metrics.precision_at_k`` / ``recall_at_k`` and their ``*_at_top_k`` forms (which
are given the top classes instead of scores).

For each row, the top ``k`` predicted classes (ties: the lower index first, as
``tf.nn.top_k``) and the row's labels (a class id, or several; every value is a label,
so ids outside the classes, such as -1 padding, never match) are compared as sets:
``tp`` counts classes in both, ``fp`` top-k classes that are not labels, ``fn`` labels
not in the top k. With ``class_id`` only that class is counted. Rows are weighted by
``weights`` (one per row, or a scalar).
"""
from __future__ import annotations

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .framework import apply_op

__all__ = ["ranked_set_counts", "top_k_set_counts"]


def _set_counts(top: np.ndarray, labels: np.ndarray, weights: np.ndarray,
                class_id: int | None) -> tuple:
    """(tp, fp, fn) of predicted class ids ``top`` [rows, k] against ``labels``."""
    rows = top.shape[0]
    labels = labels.reshape(rows, -1) if rows else labels.reshape(0, 0)  # -1 needs rows
    weights = np.broadcast_to(np.asarray(weights, np.float64).reshape(-1), (rows,))
    counts = np.zeros(3)
    for row in range(rows):
        predicted, wanted = set(top[row].tolist()), set(labels[row].tolist())
        if class_id is not None:
            predicted &= {class_id}
            wanted &= {class_id}
        both = len(predicted & wanted)
        counts += weights[row] * np.array([both, len(predicted) - both, len(wanted) - both])
    return tuple(np.float64(c) for c in counts)


def _counts_kernel(predictions: np.ndarray, labels: np.ndarray, weights: np.ndarray, *,
                   k: int, class_id: int | None) -> tuple:
    scores = predictions.reshape(-1, predictions.shape[-1])
    top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return _set_counts(top, labels, weights, class_id)


def _ranked_counts_kernel(predictions_idx: np.ndarray, labels: np.ndarray,
                          weights: np.ndarray, *, class_id: int | None) -> tuple:
    top = predictions_idx.reshape(-1, predictions_idx.shape[-1])
    return _set_counts(top, labels, weights, class_id)


def _labels_and_outputs(predictions: Tensor, labels: Tensor, what: str) -> list:
    if predictions.shape.ndims is not None and predictions.shape.ndims < 1:
        raise ValueError(f"{what} need a class axis, got shape {predictions.shape}")
    if not labels.dtype.is_integer:
        raise TypeError(f"labels must be integer class ids, got {labels.dtype.name}")
    return [(TensorShape([]), dtypes.float64)] * 3


def _counts_shape(inputs: list, attrs: dict) -> list:
    if attrs["k"] < 1:
        raise ValueError(f"k must be at least 1, got {attrs['k']}")
    return _labels_and_outputs(inputs[0], inputs[1], "predictions")


def _ranked_counts_shape(inputs: list, attrs: dict) -> list:
    if not inputs[0].dtype.is_integer:
        raise TypeError(f"predictions_idx must be integer class ids, got "
                        f"{inputs[0].dtype.name}")
    return _labels_and_outputs(inputs[0], inputs[1], "predictions_idx")


define_op("TopKSetCounts", kernel=_counts_kernel, shape_fn=_counts_shape,
          non_differentiable=(0, 1, 2), view_of={},
          doc="True positives, false positives and false negatives of top-k predictions.")


define_op("RankedSetCounts", kernel=_ranked_counts_kernel, shape_fn=_ranked_counts_shape,
          non_differentiable=(0, 1, 2), view_of={},
          doc="True positives, false positives and false negatives of given top-k class ids.")


def top_k_set_counts(predictions: Tensor, labels: Tensor, weights: Tensor, k: int,
                     class_id: int | None = None) -> tuple[Tensor, Tensor, Tensor]:
    """(tp, fp, fn) of one batch as float64 scalars (see the module docstring)."""
    op = apply_op("TopKSetCounts", [predictions, labels, weights],
                  {"k": int(k), "class_id": None if class_id is None else int(class_id)},
                  name="top_k_set_counts")
    return tuple(op.outputs)


def ranked_set_counts(predictions_idx: Tensor, labels: Tensor, weights: Tensor,
                      class_id: int | None = None) -> tuple[Tensor, Tensor, Tensor]:
    """(tp, fp, fn) of one batch whose top classes ``predictions_idx`` are given."""
    op = apply_op("RankedSetCounts", [predictions_idx, labels, weights],
                  {"class_id": None if class_id is None else int(class_id)},
                  name="ranked_set_counts")
    return tuple(op.outputs)

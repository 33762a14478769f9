"""Class-id metrics: ``tf.metrics.mean_iou``, ``precision_at_k`` and ``recall_at_k``
(and their ``*_at_top_k`` forms)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from ..ops import (cast_ops, comparison_ops, fill_ops, gather_ops, math_ops, matmul_ops,
                   reduce_ops, selection_ops, shape_ops, state_ops)
from ..ops.framework import constant, convert_to_tensor
from ..ops.metric_ops import ranked_set_counts, top_k_set_counts
from .streaming import finish, metric_scope, metric_variable

__all__ = ["mean_iou", "precision_at_k", "precision_at_top_k", "recall_at_k",
           "recall_at_top_k", "sparse_precision_at_k", "sparse_recall_at_k"]


def _flat(values: Tensor) -> Tensor:
    return shape_ops.reshape(values, [-1])


def _confusion_matrix(labels: Tensor, predictions: Tensor, num_classes: int,
                      weights: Any) -> Tensor:
    """``cm[label, prediction]`` summed (weighted) over one batch, as float64."""
    rows = gather_ops.one_hot(_flat(cast_ops.cast(labels, dtypes.int64)), num_classes,
                             dtype=dtypes.float64)
    cols = gather_ops.one_hot(_flat(cast_ops.cast(predictions, dtypes.int64)), num_classes,
                             dtype=dtypes.float64)
    if weights is not None:
        flat_weights = _flat(cast_ops.cast(convert_to_tensor(weights), dtypes.float64)
                             * fill_ops.ones_like(cast_ops.cast(labels, dtypes.float64)))
        rows = rows * shape_ops.expand_dims(flat_weights, 1)
    return matmul_ops.matmul(rows, cols, transpose_a=True)


def _mean_iou_of(cm: Tensor, num_classes: int, name: str) -> Tensor:
    """The mean over classes that occur of diag / (row sum + column sum - diag)."""
    diag = reduce_ops.reduce_sum(cm * constant(np.eye(num_classes)), 1)
    denominator = reduce_ops.reduce_sum(cm, 0) + reduce_ops.reduce_sum(cm, 1) - diag
    valid = reduce_ops.reduce_sum(cast_ops.cast(comparison_ops.not_equal(denominator, 0.0),
                                                dtypes.float64))
    safe = selection_ops.where(comparison_ops.greater(denominator, 0.0), denominator,
                           fill_ops.ones_like(denominator))
    iou = diag / safe
    return selection_ops.where(comparison_ops.greater(valid, 0.0),
                           math_ops.div_no_nan(reduce_ops.reduce_sum(iou), valid),
                           fill_ops.zeros_like(valid), name=name)


def mean_iou(labels: Any, predictions: Any, num_classes: int, weights: Any = None,
             metrics_collections: Any = None, updates_collections: Any = None,
             name: str | None = None) -> tuple[Tensor, Tensor]:
    """The mean intersection-over-union of class ids. As in TF1, the update op returns
    the updated confusion matrix (``num_classes`` x ``num_classes``, float64)."""
    labels, predictions = convert_to_tensor(labels), convert_to_tensor(predictions)
    if not predictions.shape.is_compatible_with(labels.shape):
        raise ValueError(f"mean_iou: predictions of shape {predictions.shape} and labels "
                         f"of shape {labels.shape} do not match")
    with metric_scope(name, "mean_iou"):
        total = metric_variable([num_classes, num_classes], dtypes.float64,
                                name="total_confusion_matrix")
        update = state_ops.assign_add(
            total, _confusion_matrix(labels, predictions, num_classes, weights))
        return finish(_mean_iou_of(total.value(), num_classes, "mean_iou"), update,
                      metrics_collections, updates_collections)


def at_k_suffix(k: int | None, class_id: int | None) -> str:
    """TF1's name suffix of a top-k metric and its variables: ``_at_3``, ``_at_k``
    (``k`` not given), then ``_class2`` with a ``class_id``."""
    return ("_at_k" if k is None else f"_at_{k}") + (
        "" if class_id is None else f"_class{class_id}")


def expand_labels(labels: Any, predictions: Tensor) -> Tensor:
    """Labels with one axis fewer than the predictions get a class axis (one label)."""
    labels = convert_to_tensor(labels)
    if labels.shape.ndims is not None and predictions.shape.ndims is not None \
            and labels.shape.ndims == predictions.shape.ndims - 1:
        labels = shape_ops.expand_dims(labels, -1)
    return labels


def _at_k(kind: str, labels: Any, predictions: Any, k: int | None, class_id: int | None,
          weights: Any, metrics_collections: Any, updates_collections: Any,
          name: str | None, ranked: bool = False) -> tuple[Tensor, Tensor]:
    """Precision or recall of the top ``k`` classes: ``predictions`` are scores, or
    with ``ranked`` the top class ids themselves."""
    suffix = at_k_suffix(k, class_id)
    with metric_scope(name, kind + suffix):
        predictions = convert_to_tensor(predictions)
        labels = expand_labels(labels, predictions)
        weights = cast_ops.cast(convert_to_tensor(1.0 if weights is None else weights),
                                dtypes.float64)
        if ranked:
            tp, fp, fn = ranked_set_counts(predictions, labels, weights, class_id)
        else:
            tp, fp, fn = top_k_set_counts(predictions, labels, weights, k, class_id)
        kind_name = "false_positive" if kind == "precision" else "false_negative"
        hits = metric_variable([], dtypes.float64, name="true_positive" + suffix)
        misses = metric_variable([], dtypes.float64, name=kind_name + suffix)
        update_hits = state_ops.assign_add(hits, tp)
        update_misses = state_ops.assign_add(misses, fp if kind == "precision" else fn)
        value = math_ops.divide(hits.value(), hits.value() + misses.value(), name="value")
        update = math_ops.divide(update_hits, update_hits + update_misses, name="update")
        return finish(value, update, metrics_collections, updates_collections)


def precision_at_k(labels: Any, predictions: Any, k: int, class_id: int | None = None,
                   weights: Any = None, metrics_collections: Any = None,
                   updates_collections: Any = None,
                   name: str | None = None) -> tuple[Tensor, Tensor]:
    """Of the top ``k`` classes of each row of ``predictions``, the fraction that are
    among the row's ``labels`` (class ids; NaN before any prediction is counted)."""
    return _at_k("precision", labels, predictions, k, class_id, weights,
                 metrics_collections, updates_collections, name)


def recall_at_k(labels: Any, predictions: Any, k: int, class_id: int | None = None,
                weights: Any = None, metrics_collections: Any = None,
                updates_collections: Any = None,
                name: str | None = None) -> tuple[Tensor, Tensor]:
    """Of the ``labels`` (class ids) of each row, the fraction found among the top
    ``k`` classes of ``predictions`` (NaN before any label is counted)."""
    return _at_k("recall", labels, predictions, k, class_id, weights,
                 metrics_collections, updates_collections, name)


def precision_at_top_k(labels: Any, predictions_idx: Any, k: int | None = None,
                       class_id: int | None = None, weights: Any = None,
                       metrics_collections: Any = None, updates_collections: Any = None,
                       name: str | None = None) -> tuple[Tensor, Tensor]:
    """``precision_at_k`` given the top class ids ``predictions_idx`` ``[..., k]`` (for
    example from ``tf.nn.top_k``) instead of scores; ``k`` only names the metric."""
    return _at_k("precision", labels, predictions_idx, k, class_id, weights,
                 metrics_collections, updates_collections, name, ranked=True)


def recall_at_top_k(labels: Any, predictions_idx: Any, k: int | None = None,
                    class_id: int | None = None, weights: Any = None,
                    metrics_collections: Any = None, updates_collections: Any = None,
                    name: str | None = None) -> tuple[Tensor, Tensor]:
    """``recall_at_k`` given the top class ids ``predictions_idx`` ``[..., k]`` instead
    of scores; ``k`` only names the metric."""
    return _at_k("recall", labels, predictions_idx, k, class_id, weights,
                 metrics_collections, updates_collections, name, ranked=True)


sparse_precision_at_k = precision_at_k
sparse_recall_at_k = recall_at_k

"""``tf.metrics.average_precision_at_k``: the mean average precision of the top ``k``
classes, as TF1 defines it.

For one row with top-``k`` class ids ``p_1..p_k`` (by score; ties to the lower id, as
``tf.nn.top_k``) and labels ``L`` (class ids; negative ones pad, and ids past the last
class are dropped, as TF1 does)::

    AP@k = sum_i precision@i * [p_i in L] / min(k, number of labels)

where ``precision@i`` is the fraction of ``p_1..p_i`` in ``L``. A row without labels has
AP 0/0 = NaN, as in TF1. The metric streams the (weighted) sum of the rows' AP and the
(weighted) number of rows, and reports their ratio (0 before any row).
"""
from __future__ import annotations

from typing import Any

from ..core import dtypes
from ..core.graph import Tensor, name_scope
from ..ops import (cast_ops, comparison_ops, fill_ops, math_ops, reduce_ops, scan_ops,
                   selection_ops, shape_ops, state_ops)
from ..ops.framework import convert_to_tensor
from ..ops.topk_ops import top_k
from .classes import expand_labels
from .streaming import finish, metric_scope, metric_variable

__all__ = ["average_precision_at_k", "sparse_average_precision_at_k"]


def _labels_in_range(labels: Tensor, num_classes: Tensor) -> Tensor:
    """Class ids at or past ``num_classes`` become -1 (padding), as TF1."""
    labels = cast_ops.cast(labels, dtypes.int64)
    return selection_ops.where(comparison_ops.greater_equal(labels, num_classes),
                               -fill_ops.ones_like(labels), labels)


def _average_precision(labels: Tensor, predictions_idx: Tensor, k: int) -> Tensor:
    """Each row's AP@k (float64, shape of the rows) for top ids ``[..., k]`` and labels
    ``[..., num_labels]``."""
    with name_scope("average_precision"):
        top = shape_ops.expand_dims(cast_ops.cast(predictions_idx, dtypes.int64), -1)
        relevant = cast_ops.cast(reduce_ops.reduce_any(
            comparison_ops.equal(top, shape_ops.expand_dims(labels, -2)), -1), dtypes.float64)
        hits_so_far = scan_ops.cumsum(relevant, -1)
        retrieved = scan_ops.cumsum(fill_ops.ones_like(relevant), -1)
        precision_sum = reduce_ops.reduce_sum(hits_so_far / retrieved * relevant, -1)
        num_labels = reduce_ops.reduce_sum(cast_ops.cast(
            comparison_ops.greater_equal(labels, 0), dtypes.float64), -1)
        return precision_sum / math_ops.minimum(num_labels, float(k))


def average_precision_at_k(labels: Any, predictions: Any, k: int, weights: Any = None,
                           metrics_collections: Any = None, updates_collections: Any = None,
                           name: str | None = None) -> tuple[Tensor, Tensor]:
    """``tf.metrics.average_precision_at_k``: the streamed mean of each row's average
    precision of its top ``k`` classes by ``predictions`` (scores ``[..., classes]``)
    against ``labels`` (class ids ``[..., num_labels]`` or ``[...]``); see the module
    docstring for the formula. ``weights`` weight the rows."""
    if k < 1:
        raise ValueError(f"average_precision_at_k: invalid k={k} (must be at least 1)")
    with metric_scope(name, f"average_precision_at_{k}"):
        predictions = convert_to_tensor(predictions)
        _, top = top_k(predictions, k)
        num_classes = cast_ops.cast(shape_ops.shape(predictions)[-1], dtypes.int64)
        labels = _labels_in_range(expand_labels(labels, predictions), num_classes)
        average_precision = _average_precision(labels, top, k)
        if weights is None:
            batch_max = cast_ops.cast(shape_ops.size(average_precision), dtypes.float64)
        else:
            row_weights = cast_ops.cast(convert_to_tensor(weights), dtypes.float64) \
                * fill_ops.ones_like(average_precision)
            average_precision = average_precision * row_weights
            batch_max = reduce_ops.reduce_sum(row_weights)
        # TF1's variable is max_1: its label check has already made an op named Max in
        # this scope, and op names are unique regardless of case.
        max_var = metric_variable([], dtypes.float64, name="max_1")
        total_var = metric_variable([], dtypes.float64, name="total")
        max_update = state_ops.assign_add(max_var, batch_max)
        total_update = state_ops.assign_add(total_var,
                                            reduce_ops.reduce_sum(average_precision))
        value = math_ops.div_no_nan(total_var.value(), max_var.value(), name="mean")
        update = math_ops.div_no_nan(total_update, max_update, name="update")
        return finish(value, update, metrics_collections, updates_collections)


def sparse_average_precision_at_k(labels: Any, predictions: Any, k: int,
                                  weights: Any = None, metrics_collections: Any = None,
                                  updates_collections: Any = None,
                                  name: str | None = None) -> tuple[Tensor, Tensor]:
    """TF1's deprecated name of :func:`average_precision_at_k`."""
    return average_precision_at_k(labels, predictions, k, weights, metrics_collections,
                                  updates_collections, name)

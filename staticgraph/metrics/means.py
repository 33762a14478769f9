"""Mean-based ``tf.metrics``: ``mean_tensor``, ``mean_relative_error``,
``mean_cosine_distance``, ``percentage_below`` and ``mean_per_class_accuracy``.

As TF1 these build on the running (weighted) mean of ``streaming.mean`` (so their
variables are ``<scope>/total`` and ``<scope>/count``), except ``mean_tensor``
(element-wise ``total_tensor``/``count_tensor``) and ``mean_per_class_accuracy``
(``[num_classes]`` ``total``/``count``; its update op returns the per-class accuracies).
"""
from __future__ import annotations

from typing import Any

from ..core import dtypes
from ..core.graph import Tensor
from ..ops import (cast_ops, comparison_ops, fill_ops, gather_ops, math_ops, reduce_ops,
                   selection_ops, shape_ops, state_ops)
from ..ops.framework import convert_to_tensor
from .streaming import (broadcast_weights, finish, mean, metric_scope, metric_variable,
                        squeeze_to_match)

__all__ = ["mean_tensor", "mean_relative_error", "mean_cosine_distance",
           "percentage_below", "mean_per_class_accuracy"]


def _as_float(value: Any) -> Tensor:
    return cast_ops.cast(convert_to_tensor(value), dtypes.float32)


def _safe_ratio(numerator: Tensor, denominator: Tensor, name: str) -> Tensor:
    return math_ops.div_no_nan(numerator, math_ops.maximum(denominator, 0.0), name=name)


def mean_tensor(values: Any, weights: Any = None, metrics_collections: Any = None,
                updates_collections: Any = None,
                name: str | None = None) -> tuple[Tensor, Tensor]:
    """The element-wise (weighted) mean of ``values`` over all batches (0 where no
    weight has been seen); ``values`` needs a fully defined static shape."""
    with metric_scope(name, "mean"):
        values = _as_float(values)
        if not values.shape.is_fully_defined():
            raise ValueError(f"mean_tensor: values need a fully defined shape, got "
                             f"{values.shape}")
        shape = values.shape.as_list()
        total = metric_variable(shape, dtypes.float32, name="total_tensor")
        count = metric_variable(shape, dtypes.float32, name="count_tensor")
        if weights is None:
            num_values = fill_ops.ones_like(values)
        else:
            num_values = broadcast_weights(weights, values)
            values = values * num_values
        update_total = state_ops.assign_add(total, values)
        update_count = state_ops.assign_add(count, num_values)
        return finish(_safe_ratio(total.value(), count.value(), "value"),
                      _safe_ratio(update_total, update_count, "update_op"),
                      metrics_collections, updates_collections)


def mean_relative_error(labels: Any, predictions: Any, normalizer: Any,
                        weights: Any = None, metrics_collections: Any = None,
                        updates_collections: Any = None,
                        name: str | None = None) -> tuple[Tensor, Tensor]:
    """The mean of ``|labels - predictions| / normalizer`` (0 where the normalizer is 0)."""
    predictions, labels = squeeze_to_match(_as_float(predictions), _as_float(labels))
    predictions, normalizer = squeeze_to_match(predictions, _as_float(normalizer))
    if not predictions.shape.is_compatible_with(normalizer.shape):
        raise ValueError(f"mean_relative_error: predictions {predictions.shape} and "
                         f"normalizer {normalizer.shape} have different shapes")
    errors = selection_ops.where(
        comparison_ops.equal(normalizer, 0.0), fill_ops.zeros_like(labels),
        math_ops.div_no_nan(math_ops.abs(labels - predictions), normalizer))
    return mean(errors, weights, metrics_collections, updates_collections,
                name or "mean_relative_error")


def mean_cosine_distance(labels: Any, predictions: Any, dim: int, weights: Any = None,
                         metrics_collections: Any = None, updates_collections: Any = None,
                         name: str | None = None) -> tuple[Tensor, Tensor]:
    """``1 - mean(sum(labels * predictions, dim))`` of unit-normalized vectors."""
    predictions, labels = squeeze_to_match(_as_float(predictions), _as_float(labels))
    if not predictions.shape.is_compatible_with(labels.shape):
        raise ValueError(f"mean_cosine_distance: predictions {predictions.shape} and "
                         f"labels {labels.shape} have different shapes")
    products = reduce_ops.reduce_sum(predictions * labels, axis=[dim], keepdims=True)
    value, update = mean(products, weights, None, None, name or "mean_cosine_distance")
    return finish(1.0 - value, 1.0 - update, metrics_collections, updates_collections)


def percentage_below(values: Any, threshold: float, weights: Any = None,
                     metrics_collections: Any = None, updates_collections: Any = None,
                     name: str | None = None) -> tuple[Tensor, Tensor]:
    """The (weighted) fraction of ``values`` strictly below ``threshold``."""
    below = cast_ops.cast(comparison_ops.less(convert_to_tensor(values), threshold),
                          dtypes.float32)
    return mean(below, weights, metrics_collections, updates_collections,
                name or "percentage_below_threshold")


def mean_per_class_accuracy(labels: Any, predictions: Any, num_classes: int,
                            weights: Any = None, metrics_collections: Any = None,
                            updates_collections: Any = None,
                            name: str | None = None) -> tuple[Tensor, Tensor]:
    """The mean over classes of the fraction of each class's labels predicted right
    (classes never seen count 0). As TF1 the update op returns the per-class
    accuracies, the value their mean."""
    with metric_scope(name, "mean_accuracy"):
        predictions, labels = squeeze_to_match(convert_to_tensor(predictions),
                                               convert_to_tensor(labels))
        labels = shape_ops.reshape(cast_ops.cast(labels, dtypes.int64), [-1])
        predictions = shape_ops.reshape(cast_ops.cast(predictions, dtypes.int64), [-1])
        total = metric_variable([num_classes], dtypes.float32, name="total")
        count = metric_variable([num_classes], dtypes.float32, name="count")
        classes = gather_ops.one_hot(labels, num_classes, dtype=dtypes.float32)
        correct = cast_ops.cast(comparison_ops.equal(predictions, labels), dtypes.float32)
        seen = classes
        if weights is not None:
            flat_weights = shape_ops.reshape(_as_float(weights), [-1])
            correct = correct * flat_weights
            seen = classes * shape_ops.expand_dims(flat_weights, 1)
        hits = classes * shape_ops.expand_dims(correct, 1)
        update_total = state_ops.assign_add(total, reduce_ops.reduce_sum(seen, 0))
        update_count = state_ops.assign_add(count, reduce_ops.reduce_sum(hits, 0))
        per_class = _safe_ratio(count.value(), total.value(), "per_class")
        return finish(reduce_ops.reduce_mean(per_class, name="mean_accuracy"),
                      _safe_ratio(update_count, update_total, "update_op"),
                      metrics_collections, updates_collections)

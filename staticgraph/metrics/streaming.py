"""Streaming metrics (``tf.metrics``) as TF1 builds them.

Each metric returns ``(value, update_op)``: ``update_op`` adds one batch to local
variables (collections LOCAL_VARIABLES and ``metric_variables``, zero-initialized by
``tf.local_variables_initializer()``) and evaluates to the metric after that batch;
``value`` reads the metric from the variables without changing them. Variables live in
a variable scope named after the metric (``accuracy/total``, ``accuracy/count``).
"""
from __future__ import annotations

import contextlib
from typing import Any, Iterable, Iterator

import numpy as np

from ..core import dtypes
from ..core.graph import GraphKeys, Tensor, add_to_collections
from ..ops import (cast_ops, comparison_ops, fill_ops, math_ops, reduce_ops, selection_ops,
                   shape_ops, state_ops)
from ..ops.framework import convert_to_tensor
from ..ops.variable_scope import variable_scope
from ..ops.variables import Variable

__all__ = ["METRIC_VARIABLES", "metric_variable", "mean", "accuracy", "mean_squared_error",
           "mean_absolute_error", "root_mean_squared_error", "true_positives",
           "false_positives", "true_negatives", "false_negatives", "precision", "recall"]

METRIC_VARIABLES = "metric_variables"
"""The collection TF1 keeps metric variables in (besides LOCAL_VARIABLES)."""


def metric_variable(shape: Any, dtype: Any, validate_shape: bool = True,
                    name: str | None = None) -> Variable:
    """A zero-initialized local variable for a metric's running totals."""
    dtype = dtypes.as_dtype(dtype)
    return Variable(np.zeros(shape, dtype.dtype), trainable=False, name=name, dtype=dtype,
                    collections=[GraphKeys.LOCAL_VARIABLES, METRIC_VARIABLES],
                    validate_shape=validate_shape)


@contextlib.contextmanager
def metric_scope(name: str | None, default_name: str) -> Iterator[None]:
    """The variable scope of one metric (``name``, else a unique ``default_name``)."""
    with variable_scope(name, default_name=default_name):
        yield


def finish(value: Tensor, update_op: Tensor, metrics_collections: Iterable[str] | None,
           updates_collections: Iterable[str] | None) -> tuple[Tensor, Tensor]:
    """Adds the value and update op to the requested collections; returns the pair."""
    if metrics_collections:
        add_to_collections(list(metrics_collections), value)
    if updates_collections:
        add_to_collections(list(updates_collections), update_op)
    return value, update_op


def squeeze_to_match(predictions: Tensor, labels: Tensor | None) -> tuple:
    """TF1's ``_remove_squeezable_dimensions``: drops a trailing size-1 axis from
    whichever of the two has exactly one axis more (static shapes)."""
    if labels is None or predictions.shape.ndims is None or labels.shape.ndims is None:
        return predictions, labels
    diff = predictions.shape.ndims - labels.shape.ndims
    if diff == 1 and predictions.shape.as_list()[-1] == 1:
        predictions = shape_ops.squeeze(predictions, [-1])
    elif diff == -1 and labels.shape.as_list()[-1] == 1:
        labels = shape_ops.squeeze(labels, [-1])
    return predictions, labels


def broadcast_weights(weights: Any, values: Tensor) -> Tensor:
    """``weights`` as float32, broadcast to the shape of ``values``."""
    weights = cast_ops.cast(convert_to_tensor(weights), dtypes.float32)
    if weights.shape.ndims is not None and values.shape.ndims is not None \
            and weights.shape.ndims == values.shape.ndims + 1:
        weights = shape_ops.squeeze(weights, [-1])
    return weights * fill_ops.ones_like(values, dtype=dtypes.float32)


def _ratio(numerator: Tensor, denominator: Tensor, name: str) -> Tensor:
    return math_ops.div_no_nan(numerator, math_ops.maximum(denominator, 0.0), name=name)


def mean(values: Any, weights: Any = None, metrics_collections: Any = None,
         updates_collections: Any = None, name: str | None = None) -> tuple[Tensor, Tensor]:
    """The (weighted) mean of all values seen: total / count (0 before any)."""
    with metric_scope(name, "mean"):
        values = cast_ops.cast(convert_to_tensor(values), dtypes.float32)
        total = metric_variable([], dtypes.float32, name="total")
        count = metric_variable([], dtypes.float32, name="count")
        if weights is None:
            num_values = cast_ops.cast(shape_ops.size(values), dtypes.float32)
        else:
            weights = broadcast_weights(weights, values)
            values = values * weights
            num_values = reduce_ops.reduce_sum(weights)
        update_total = state_ops.assign_add(total, reduce_ops.reduce_sum(values))
        update_count = state_ops.assign_add(count, num_values)
        return finish(_ratio(total.value(), count.value(), "value"),
                      _ratio(update_total, update_count, "update_op"),
                      metrics_collections, updates_collections)


def accuracy(labels: Any, predictions: Any, weights: Any = None,
             metrics_collections: Any = None, updates_collections: Any = None,
             name: str | None = None) -> tuple[Tensor, Tensor]:
    """How often ``predictions`` equal ``labels``."""
    predictions, labels = squeeze_to_match(convert_to_tensor(predictions),
                                           convert_to_tensor(labels))
    if labels.dtype != predictions.dtype:
        predictions = cast_ops.cast(predictions, labels.dtype)
    correct = cast_ops.cast(comparison_ops.equal(predictions, labels), dtypes.float32)
    return mean(correct, weights, metrics_collections, updates_collections,
                name or "accuracy")


def _mean_of(kind: str, labels: Any, predictions: Any, weights: Any,
             metrics_collections: Any, updates_collections: Any, name: str | None
             ) -> tuple[Tensor, Tensor]:
    predictions, labels = squeeze_to_match(
        cast_ops.cast(convert_to_tensor(predictions), dtypes.float32),
        cast_ops.cast(convert_to_tensor(labels), dtypes.float32))
    if kind == "mean_squared_error":
        errors = math_ops.squared_difference(labels, predictions)
    else:
        errors = math_ops.abs(predictions - labels)
    return mean(errors, weights, metrics_collections, updates_collections, name or kind)


def mean_squared_error(labels: Any, predictions: Any, weights: Any = None,
                       metrics_collections: Any = None, updates_collections: Any = None,
                       name: str | None = None) -> tuple[Tensor, Tensor]:
    """The mean of ``(labels - predictions)²``."""
    return _mean_of("mean_squared_error", labels, predictions, weights,
                    metrics_collections, updates_collections, name)


def mean_absolute_error(labels: Any, predictions: Any, weights: Any = None,
                        metrics_collections: Any = None, updates_collections: Any = None,
                        name: str | None = None) -> tuple[Tensor, Tensor]:
    """The mean of ``|labels - predictions|``."""
    return _mean_of("mean_absolute_error", labels, predictions, weights,
                    metrics_collections, updates_collections, name)


def root_mean_squared_error(labels: Any, predictions: Any, weights: Any = None,
                            metrics_collections: Any = None,
                            updates_collections: Any = None,
                            name: str | None = None) -> tuple[Tensor, Tensor]:
    """The square root of the mean squared error."""
    with metric_scope(name, "root_mean_squared_error"):
        mse, update_mse = mean_squared_error(labels, predictions, weights)
        return finish(math_ops.sqrt(mse), math_ops.sqrt(update_mse),
                      metrics_collections, updates_collections)


def _as_bool(value: Any) -> Tensor:
    value = convert_to_tensor(value)
    return value if value.dtype == dtypes.bool_ else cast_ops.cast(value, dtypes.bool_)


def _count(condition: Tensor, weights: Any, metrics_collections: Any,
           updates_collections: Any) -> tuple[Tensor, Tensor]:
    """The running (weighted) number of true entries of ``condition``."""
    count = metric_variable([], dtypes.float32, name="count")
    values = cast_ops.cast(condition, dtypes.float32)
    if weights is not None:
        values = values * cast_ops.cast(convert_to_tensor(weights), dtypes.float32)
    update = state_ops.assign_add(count, reduce_ops.reduce_sum(values))
    return finish(count.value(), update, metrics_collections, updates_collections)


def _confusion_count(kind: str, labels: Any, predictions: Any, weights: Any,
                     metrics_collections: Any, updates_collections: Any,
                     name: str | None) -> tuple[Tensor, Tensor]:
    with metric_scope(name, kind):
        predictions, labels = squeeze_to_match(_as_bool(predictions), _as_bool(labels))
        label_value = kind in ("true_positives", "false_negatives")
        predicted_value = kind in ("true_positives", "false_positives")
        label_ok = labels if label_value else comparison_ops.logical_not(labels)
        predicted_ok = predictions if predicted_value else comparison_ops.logical_not(predictions)
        return _count(comparison_ops.logical_and(label_ok, predicted_ok), weights,
                      metrics_collections, updates_collections)


def true_positives(labels: Any, predictions: Any, weights: Any = None,
                   metrics_collections: Any = None, updates_collections: Any = None,
                   name: str | None = None) -> tuple[Tensor, Tensor]:
    """The (weighted) count of entries where label and prediction are both true."""
    return _confusion_count("true_positives", labels, predictions, weights,
                            metrics_collections, updates_collections, name)


def false_positives(labels: Any, predictions: Any, weights: Any = None,
                    metrics_collections: Any = None, updates_collections: Any = None,
                    name: str | None = None) -> tuple[Tensor, Tensor]:
    """The (weighted) count of entries predicted true whose label is false."""
    return _confusion_count("false_positives", labels, predictions, weights,
                            metrics_collections, updates_collections, name)


def true_negatives(labels: Any, predictions: Any, weights: Any = None,
                   metrics_collections: Any = None, updates_collections: Any = None,
                   name: str | None = None) -> tuple[Tensor, Tensor]:
    """The (weighted) count of entries where label and prediction are both false."""
    return _confusion_count("true_negatives", labels, predictions, weights,
                            metrics_collections, updates_collections, name)


def false_negatives(labels: Any, predictions: Any, weights: Any = None,
                    metrics_collections: Any = None, updates_collections: Any = None,
                    name: str | None = None) -> tuple[Tensor, Tensor]:
    """The (weighted) count of entries predicted false whose label is true."""
    return _confusion_count("false_negatives", labels, predictions, weights,
                            metrics_collections, updates_collections, name)


def _fraction(kind: str, labels: Any, predictions: Any, weights: Any,
              metrics_collections: Any, updates_collections: Any, name: str | None
              ) -> tuple[Tensor, Tensor]:
    """precision = tp / (tp + fp), recall = tp / (tp + fn); 0 while the sum is 0."""
    with metric_scope(name, kind):
        tp, update_tp = true_positives(labels, predictions, weights)
        other = false_positives if kind == "precision" else false_negatives
        miss, update_miss = other(labels, predictions, weights)

        def compute(hits: Tensor, misses: Tensor, op_name: str) -> Tensor:
            total = hits + misses
            return selection_ops.where(comparison_ops.greater(total, 0.0),
                                   math_ops.div_no_nan(hits, total),
                                   fill_ops.zeros_like(total), name=op_name)

        return finish(compute(tp, miss, "value"), compute(update_tp, update_miss, "update_op"),
                      metrics_collections, updates_collections)


def precision(labels: Any, predictions: Any, weights: Any = None,
              metrics_collections: Any = None, updates_collections: Any = None,
              name: str | None = None) -> tuple[Tensor, Tensor]:
    """tp / (tp + fp) of boolean predictions."""
    return _fraction("precision", labels, predictions, weights, metrics_collections,
                     updates_collections, name)


def recall(labels: Any, predictions: Any, weights: Any = None,
           metrics_collections: Any = None, updates_collections: Any = None,
           name: str | None = None) -> tuple[Tensor, Tensor]:
    """tp / (tp + fn) of boolean predictions."""
    return _fraction("recall", labels, predictions, weights, metrics_collections,
                     updates_collections, name)

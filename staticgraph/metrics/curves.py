"""``tf.metrics.auc`` and the per-threshold confusion counts it streams.

As TF1: ``num_thresholds`` thresholds, ``-1e-7``, ``(i + 1)/(num_thresholds - 1)`` for
``i < num_thresholds - 2``, and ``1 + 1e-7`` (or the given ``thresholds`` between
those two ends); a prediction counts as positive above a threshold. The curve (ROC:
false positive rate vs recall; PR: recall vs precision, both with ``epsilon = 1e-6``
smoothing) is summed with the trapezoid rule (or ``minoring``/``majoring`` rectangles,
or, for PR, ``careful_interpolation``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor, control_dependencies
from ..ops import (cast_ops, check_ops, comparison_ops, fill_ops, math_ops, reduce_ops,
                   selection_ops, shape_ops, state_ops)
from ..ops.framework import constant, convert_to_tensor
from .streaming import (broadcast_weights, finish, metric_scope, metric_variable,
                        squeeze_to_match)

__all__ = ["auc", "confusion_at_thresholds", "thresholds_for"]

_KEPSILON = 1e-7
_EPSILON = 1.0e-6


def thresholds_for(num_thresholds: int, thresholds: Any = None) -> list[float]:
    """TF1's list of thresholds for ``auc``."""
    if thresholds is not None:
        inner = sorted(float(t) for t in thresholds)
    else:
        if num_thresholds < 2:
            raise ValueError(f"num_thresholds must be at least 2, got {num_thresholds}")
        inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    return [0.0 - _KEPSILON] + inner + [1.0 + _KEPSILON]


def confusion_at_thresholds(labels: Tensor, predictions: Tensor, thresholds: list[float],
                            weights: Any, includes: tuple[str, ...] = ("tp", "fn", "tn", "fp")
                            ) -> tuple[dict, dict]:
    """Streaming tp/fn/tn/fp per threshold (only the kinds in ``includes``):
    (variables, update ops), keyed by kind. As TF1, the update fails at run time (at
    build time for constants) when a prediction is outside [0, 1]."""
    predictions = convert_to_tensor(predictions)
    in_range = [check(predictions, constant(bound, predictions.dtype),
                      message="predictions must be in [0, 1]")
                for check, bound in ((check_ops.assert_greater_equal, 0.0),
                                     (check_ops.assert_less_equal, 1.0))]
    with control_dependencies(in_range):
        predictions, labels = squeeze_to_match(cast_ops.cast(predictions, dtypes.float32),
                                               cast_ops.cast(labels, dtypes.bool_))
    row = shape_ops.reshape(predictions, [1, -1])
    above = comparison_ops.greater(row, constant(np.array(thresholds, np.float32).reshape(-1, 1)))
    label_pos = shape_ops.reshape(labels, [1, -1])
    cases = {"tp": (label_pos, above),
             "fn": (label_pos, comparison_ops.logical_not(above)),
             "tn": (comparison_ops.logical_not(label_pos), comparison_ops.logical_not(above)),
             "fp": (comparison_ops.logical_not(label_pos), above)}
    names = {"tp": "true_positives", "fn": "false_negatives", "tn": "true_negatives",
             "fp": "false_positives"}
    flat_weights = None if weights is None else shape_ops.reshape(
        broadcast_weights(weights, predictions), [1, -1])
    variables, updates = {}, {}
    for kind in includes:
        label_ok, predicted_ok = cases[kind]
        var = metric_variable([len(thresholds)], dtypes.float32, name=names[kind])
        hits = cast_ops.cast(comparison_ops.logical_and(label_ok, predicted_ok), dtypes.float32)
        if flat_weights is not None:
            hits = hits * flat_weights
        variables[kind] = var.value()
        updates[kind] = state_ops.assign_add(var, reduce_ops.reduce_sum(hits, 1))
    return variables, updates


def _pr_interpolated(tp: Tensor, fp: Tensor, fn: Tensor, n: int) -> Tensor:
    """TF1's ``careful_interpolation`` of the PR curve (Davis & Goadrich)."""
    dtp = tp[:n - 1] - tp[1:]
    p = tp + fp
    slope = math_ops.div_no_nan(dtp, math_ops.maximum(p[:n - 1] - p[1:], 0.0))
    intercept = tp[1:] - slope * p[1:]
    ratio = selection_ops.where(comparison_ops.logical_and(p[:n - 1] > 0, p[1:] > 0),
                            math_ops.div_no_nan(p[:n - 1], math_ops.maximum(p[1:], 0.0)),
                            fill_ops.ones_like(p[1:]))
    return reduce_ops.reduce_sum(math_ops.div_no_nan(
        slope * (dtp + intercept * math_ops.log(ratio)),
        math_ops.maximum(tp[1:] + fn[1:], 0.0)))


def _area(counts: dict, n: int, curve: str, summation_method: str, name: str) -> Tensor:
    tp, fn, tn, fp = counts["tp"], counts["fn"], counts["tn"], counts["fp"]
    if curve == "PR" and summation_method == "careful_interpolation":
        return state_ops.identity(_pr_interpolated(tp, fp, fn, n), name=name)
    rec = (tp + _EPSILON) / (tp + fn + _EPSILON)
    if curve == "ROC":
        x, y = fp / (fp + tn + _EPSILON), rec
    else:
        x, y = rec, (tp + _EPSILON) / (tp + fp + _EPSILON)
    width = x[:n - 1] - x[1:]
    if summation_method in ("trapezoidal", "careful_interpolation"):
        height = (y[:n - 1] + y[1:]) / 2.0
    elif summation_method == "minoring":
        height = math_ops.minimum(y[:n - 1], y[1:])
    else:
        height = math_ops.maximum(y[:n - 1], y[1:])
    return reduce_ops.reduce_sum(width * height, name=name)


def auc(labels: Any, predictions: Any, weights: Any = None, num_thresholds: int = 200,
        metrics_collections: Any = None, updates_collections: Any = None,
        curve: str = "ROC", name: str | None = None,
        summation_method: str = "trapezoidal", thresholds: Any = None
        ) -> tuple[Tensor, Tensor]:
    """The area under the ROC or PR curve of ``predictions`` in [0, 1] for boolean
    ``labels``, approximated on a grid of thresholds as TF1 does."""
    if curve not in ("ROC", "PR"):
        raise ValueError(f"Curve must be either ROC or PR. Curve {curve} is unknown.")
    if summation_method not in ("trapezoidal", "careful_interpolation", "minoring",
                                "majoring"):
        raise ValueError(f"Invalid summation_method: {summation_method}")
    with metric_scope(name, "auc"):
        grid = thresholds_for(num_thresholds, thresholds)
        counts, updates = confusion_at_thresholds(
            convert_to_tensor(labels), convert_to_tensor(predictions), grid, weights)
        n = len(grid)
        return finish(_area(counts, n, curve, summation_method, "value"),
                      _area(updates, n, curve, summation_method, "update_op"),
                      metrics_collections, updates_collections)

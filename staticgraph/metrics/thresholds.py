"""``tf.metrics.*_at_thresholds``: confusion counts, precision and recall per threshold.

As TF1: a prediction (in [0, 1]) counts as positive when it is strictly above a
threshold; the thresholds are used as given (no end points added). Each count keeps
one ``[len(thresholds)]`` variable named after it (``true_positives/true_positives``);
precision is ``tp / (1e-7 + tp + fp)`` and recall ``tp / (1e-7 + tp + fn)``.
"""
from __future__ import annotations

from typing import Any

from ..core.graph import Tensor
from ..ops import math_ops
from ..ops.framework import convert_to_tensor
from .curves import confusion_at_thresholds
from .streaming import finish, metric_scope

__all__ = ["true_positives_at_thresholds", "false_positives_at_thresholds",
           "true_negatives_at_thresholds", "false_negatives_at_thresholds",
           "precision_at_thresholds", "recall_at_thresholds"]

_EPSILON = 1e-7
_COUNT_NAMES = {"tp": "true_positives", "fp": "false_positives", "tn": "true_negatives",
                "fn": "false_negatives"}


def _thresholds(thresholds: Any) -> list[float]:
    values = [float(t) for t in thresholds]
    if not values:
        raise ValueError("*_at_thresholds: thresholds must not be empty")
    return values


def _count_at(kind: str, labels: Any, predictions: Any, thresholds: Any, weights: Any,
              metrics_collections: Any, updates_collections: Any, name: str | None
              ) -> tuple[Tensor, Tensor]:
    with metric_scope(name, _COUNT_NAMES[kind]):
        values, updates = confusion_at_thresholds(
            convert_to_tensor(labels), convert_to_tensor(predictions),
            _thresholds(thresholds), weights, includes=(kind,))
        return finish(values[kind], updates[kind], metrics_collections, updates_collections)


def true_positives_at_thresholds(labels: Any, predictions: Any, thresholds: Any,
                                 weights: Any = None, metrics_collections: Any = None,
                                 updates_collections: Any = None,
                                 name: str | None = None) -> tuple[Tensor, Tensor]:
    """Per threshold, the (weighted) count of true labels predicted above it."""
    return _count_at("tp", labels, predictions, thresholds, weights,
                     metrics_collections, updates_collections, name)


def false_positives_at_thresholds(labels: Any, predictions: Any, thresholds: Any,
                                  weights: Any = None, metrics_collections: Any = None,
                                  updates_collections: Any = None,
                                  name: str | None = None) -> tuple[Tensor, Tensor]:
    """Per threshold, the (weighted) count of false labels predicted above it."""
    return _count_at("fp", labels, predictions, thresholds, weights,
                     metrics_collections, updates_collections, name)


def true_negatives_at_thresholds(labels: Any, predictions: Any, thresholds: Any,
                                 weights: Any = None, metrics_collections: Any = None,
                                 updates_collections: Any = None,
                                 name: str | None = None) -> tuple[Tensor, Tensor]:
    """Per threshold, the (weighted) count of false labels predicted at or below it."""
    return _count_at("tn", labels, predictions, thresholds, weights,
                     metrics_collections, updates_collections, name)


def false_negatives_at_thresholds(labels: Any, predictions: Any, thresholds: Any,
                                  weights: Any = None, metrics_collections: Any = None,
                                  updates_collections: Any = None,
                                  name: str | None = None) -> tuple[Tensor, Tensor]:
    """Per threshold, the (weighted) count of true labels predicted at or below it."""
    return _count_at("fn", labels, predictions, thresholds, weights,
                     metrics_collections, updates_collections, name)


def _fraction_at(kind: str, labels: Any, predictions: Any, thresholds: Any, weights: Any,
                 metrics_collections: Any, updates_collections: Any, name: str | None
                 ) -> tuple[Tensor, Tensor]:
    miss = "fp" if kind == "precision" else "fn"
    with metric_scope(name, f"{kind}_at_thresholds"):
        values, updates = confusion_at_thresholds(
            convert_to_tensor(labels), convert_to_tensor(predictions),
            _thresholds(thresholds), weights, includes=("tp", miss))

        def compute(tp: Tensor, other: Tensor, op_name: str) -> Tensor:
            return math_ops.divide(tp, _EPSILON + tp + other, name=op_name)

        return finish(compute(values["tp"], values[miss], kind),
                      compute(updates["tp"], updates[miss], "update_op"),
                      metrics_collections, updates_collections)


def precision_at_thresholds(labels: Any, predictions: Any, thresholds: Any,
                            weights: Any = None, metrics_collections: Any = None,
                            updates_collections: Any = None,
                            name: str | None = None) -> tuple[Tensor, Tensor]:
    """Per threshold, ``tp / (1e-7 + tp + fp)`` of predictions above it."""
    return _fraction_at("precision", labels, predictions, thresholds, weights,
                        metrics_collections, updates_collections, name)


def recall_at_thresholds(labels: Any, predictions: Any, thresholds: Any,
                         weights: Any = None, metrics_collections: Any = None,
                         updates_collections: Any = None,
                         name: str | None = None) -> tuple[Tensor, Tensor]:
    """Per threshold, ``tp / (1e-7 + tp + fn)`` of predictions above it."""
    return _fraction_at("recall", labels, predictions, thresholds, weights,
                        metrics_collections, updates_collections, name)

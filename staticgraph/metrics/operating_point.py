"""``tf.metrics.sensitivity_at_specificity`` and ``specificity_at_sensitivity``.

As TF1: the confusion counts are streamed on ``auc``'s grid of ``num_thresholds`` thresholds
(ending at ``1 - 1e-7`` instead of ``1 + 1e-7`` for ``specificity_at_sensitivity``); the
metric picks the threshold whose specificity (sensitivity) is nearest the requested one (the
first such threshold for ``sensitivity_at_specificity``, the last for
``specificity_at_sensitivity``) and reports the other rate there, both rates computed as
``a / (a + b + 1e-7)``.
"""
from __future__ import annotations

from typing import Any

from ..core import dtypes
from ..core.graph import Tensor
from ..ops import gather_ops, math_ops, shape_ops
from ..ops.framework import convert_to_tensor
from ..ops.scan_ops import argmin
from .curves import confusion_at_thresholds, thresholds_for
from .streaming import finish, metric_scope

__all__ = ["sensitivity_at_specificity", "specificity_at_sensitivity"]

_KEPSILON = 1e-7


def _rate(hits: Tensor, misses: Tensor, name: str | None = None) -> Tensor:
    return math_ops.divide(hits, hits + misses + _KEPSILON, name=name)


def _at_operating_point(kind: str, labels: Any, predictions: Any, target: float,
                        weights: Any, num_thresholds: int, metrics_collections: Any,
                        updates_collections: Any, name: str | None
                        ) -> tuple[Tensor, Tensor]:
    given = "specificity" if kind == "sensitivity_at_specificity" else "sensitivity"
    if not 0.0 <= target <= 1.0:
        raise ValueError(f"{kind}: `{given}` must be in the range [0, 1], got {target}")
    with metric_scope(name, kind):
        grid = thresholds_for(num_thresholds)
        if given == "sensitivity":  # TF1 ends this grid at 1 - 1e-7, not 1 + 1e-7
            grid[-1] = 1.0 - _KEPSILON
        counts, updates = confusion_at_thresholds(
            convert_to_tensor(labels), convert_to_tensor(predictions), grid, weights)

        def compute(c: dict, op_name: str) -> Tensor:
            if given == "specificity":
                distance = math_ops.abs(_rate(c["tn"], c["fp"]) - target)
                index = argmin(distance, 0, output_type=dtypes.int32)
                hits, misses = c["tp"], c["fn"]
            else:  # the last index nearest the target
                distance = math_ops.abs(_rate(c["tp"], c["fn"]) - target)
                index = (len(grid) - 1) - argmin(shape_ops.reverse(distance, [0]), 0,
                                                 output_type=dtypes.int32)
                hits, misses = c["tn"], c["fp"]
            return _rate(gather_ops.gather(hits, index), gather_ops.gather(misses, index),
                         name=op_name)

        return finish(compute(counts, "value"), compute(updates, "update_op"),
                      metrics_collections, updates_collections)


def sensitivity_at_specificity(labels: Any, predictions: Any, specificity: float,
                               weights: Any = None, num_thresholds: int = 200,
                               metrics_collections: Any = None,
                               updates_collections: Any = None,
                               name: str | None = None) -> tuple[Tensor, Tensor]:
    """The recall at the threshold whose specificity is nearest ``specificity``."""
    return _at_operating_point("sensitivity_at_specificity", labels, predictions,
                               specificity, weights, num_thresholds, metrics_collections,
                               updates_collections, name)


def specificity_at_sensitivity(labels: Any, predictions: Any, sensitivity: float,
                               weights: Any = None, num_thresholds: int = 200,
                               metrics_collections: Any = None,
                               updates_collections: Any = None,
                               name: str | None = None) -> tuple[Tensor, Tensor]:
    """The specificity at the threshold whose recall is nearest ``sensitivity``."""
    return _at_operating_point("specificity_at_sensitivity", labels, predictions,
                               sensitivity, weights, num_thresholds, metrics_collections,
                               updates_collections, name)

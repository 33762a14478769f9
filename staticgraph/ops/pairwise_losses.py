"""``tf.losses.mean_pairwise_squared_error`` (TF1's formula, in float32 as TF1 computes it).

For each batch entry with n present elements (nonzero weight), the mean over all pairs
(i, j) of ``((p_i - p_j) - (l_i - l_j))**2`` is, with d = p - l,
``2 sum(d**2) / (n - 1) - 2 (sum d)**2 / (n (n - 1))``; TF1 sums every element's d (also
those of zero weight) and counts only the present ones in n. The per-batch losses are
multiplied by the weights and summed (there is no ``reduction`` argument).
"""
from __future__ import annotations

from typing import Any

from ..core import dtypes
from ..core.graph import GraphKeys, Tensor, name_scope
from .cast_ops import cast
from .comparison_ops import greater, not_equal
from .fill_ops import zeros_like
from .losses import _check_broadcastable, add_loss
from .math_ops import broadcast_like, div_no_nan, maximum, multiply, square, subtract
from .reduce_ops import reduce_sum
from .selection_ops import where

__all__ = ["mean_pairwise_squared_error"]


def mean_pairwise_squared_error(labels: Any, predictions: Any, weights: Any = 1.0,
                                scope: str | None = None,
                                loss_collection: str | None = GraphKeys.LOSSES) -> Tensor:
    """``tf.losses.mean_pairwise_squared_error``: the weighted sum over the batch of the
    mean squared difference between every pair of prediction differences and label
    differences within one batch entry (float32; 0 when no element is present)."""
    if labels is None:
        raise ValueError("Argument `labels` must not be None.")
    if predictions is None:
        raise ValueError("Argument `predictions` must not be None.")
    with name_scope(scope, "mean_pairwise_squared_error", [predictions, labels, weights]):
        weights = cast(weights, dtypes.float32)
        labels = cast(labels, dtypes.float32)
        predictions = cast(predictions, dtypes.float32)
        predictions.shape.assert_is_compatible_with(labels.shape)
        _check_broadcastable(weights, labels)
        diffs = subtract(predictions, labels)
        rank = diffs.shape.ndims
        if rank is None:
            raise ValueError("mean_pairwise_squared_error needs predictions of known rank, "
                             f"got shape {diffs.shape}")
        axis = list(range(1, rank))
        sum_squares = reduce_sum(square(diffs), axis, keepdims=True)
        with name_scope(None, "num_present", [diffs, weights]):
            present = broadcast_like(cast(not_equal(weights, 0.0), dtypes.float32), diffs)
            num_present = reduce_sum(present, axis, keepdims=True)
        term1 = multiply(2.0, div_no_nan(sum_squares, maximum(subtract(num_present, 1.0), 0.0),
                                         name="value"))
        sum_diff = reduce_sum(diffs, axis, keepdims=True)
        term2 = multiply(2.0, div_no_nan(square(sum_diff), maximum(
            multiply(num_present, subtract(num_present, 1.0)), 0.0), name="value"))
        loss = reduce_sum(multiply(subtract(term1, term2), weights))
        mean_loss = where(greater(reduce_sum(num_present), 0.0), loss, zeros_like(loss),
                          name="value")
        add_loss(mean_loss, loss_collection)
        return mean_loss

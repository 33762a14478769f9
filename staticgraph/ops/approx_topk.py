"""``tf.math.approx_max_k`` / ``approx_min_k`` (also ``tf.nn.*``) and ``tf.approx_top_k``.

TF's approximate top-k trades recall for speed on TPUs and falls back to an exact top-k on
CPU; an exact top-k has recall 1, so it satisfies every ``recall_target`` in (0, 1]. Here
the k largest (smallest) entries along ``reduction_dimension`` come sorted, equal values
in index order, with int32 indices along that dimension; gradients flow to the selected
entries through top_k's gradient.
"""
from __future__ import annotations

from typing import Any, Callable

from ..core.graph import Tensor
from .framework import convert_to_tensor
from .math_ops import negative
from .op_util import _one_axis, const_int, op_scope
from .shape_ops import transpose
from .topk_ops import top_k

__all__ = ["approx_max_k", "approx_min_k", "approx_top_k"]


def approx_top_k(input: Any, k: int, reduction_dimension: int = -1,
                 recall_target: float = 0.95, is_max_k: bool = True,
                 reduction_input_size_override: int = -1, aggregate_to_topk: bool = True,
                 name: str | None = None) -> tuple[Tensor, Tensor]:
    """``tf.approx_top_k``: ``(values, indices)`` of the k largest (``is_max_k``) or
    smallest entries along ``reduction_dimension``, computed exactly (recall 1)."""
    if not 0.0 < float(recall_target) <= 1.0:
        raise ValueError(f"ApproxTopK: recall_target must be in (0, 1], got {recall_target}")
    with op_scope(name, "ApproxTopK", [input]):
        x = convert_to_tensor(input)
        rank = x.shape.ndims
        if rank is None or rank == 0:
            raise ValueError(f"ApproxTopK: operand must have a known rank >= 1, got shape "
                             f"{x.shape}")
        axis = _one_axis(reduction_dimension, x, "ApproxTopK's reduction_dimension")
        perm = list(range(rank))
        perm[axis], perm[-1] = perm[-1], perm[axis]  # a swap: its own inverse
        moved = x if axis == rank - 1 else transpose(x, perm)
        values, indices = top_k(moved if is_max_k else negative(moved),
                                const_int(k, "ApproxTopK's k"))
        if not is_max_k:
            values = negative(values)
        if axis != rank - 1:
            values, indices = transpose(values, perm), transpose(indices, perm)
        return values, indices


def _one_sided(is_max_k: bool, tf_name: str, doc: str) -> Callable[..., tuple]:
    """``tf.math.<tf_name>(operand, k, reduction_dimension, ...)``: approx_top_k with
    ``is_max_k`` fixed."""
    def function(operand: Any, k: int, reduction_dimension: int = -1,
                 recall_target: float = 0.95, reduction_input_size_override: int = -1,
                 aggregate_to_topk: bool = True, name: str | None = None
                 ) -> tuple[Tensor, Tensor]:
        return approx_top_k(operand, k, reduction_dimension, recall_target, is_max_k,
                            reduction_input_size_override, aggregate_to_topk, name or tf_name)
    function.__name__ = function.__qualname__ = tf_name
    function.__doc__ = doc
    return function


approx_max_k = _one_sided(True, "approx_max_k", "``tf.math.approx_max_k``: the k largest "
                          "entries along ``reduction_dimension`` and their indices (exact, so "
                          "any recall target is met).")
approx_min_k = _one_sided(False, "approx_min_k", "``tf.math.approx_min_k``: the k smallest "
                          "entries along ``reduction_dimension`` and their indices (exact, so "
                          "any recall target is met).")

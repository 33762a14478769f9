"""Learning-rate schedules driven by the global step (TF1's ``learning_rate_decay``)."""
from __future__ import annotations

from typing import Any, Sequence

from ..core.graph import Tensor, name_scope
from ..ops import cast_ops, comparison_ops, math_ops, selection_ops, state_ops
from ..ops.framework import convert_to_tensor

__all__ = ["exponential_decay", "piecewise_constant"]


def exponential_decay(learning_rate: Any, global_step: Any, decay_steps: Any,
                      decay_rate: Any, staircase: bool = False,
                      name: str | None = None) -> Tensor:
    """``learning_rate · decay_rate^(global_step / decay_steps)``; with ``staircase`` the
    exponent is floored, so the rate drops every ``decay_steps`` steps."""
    if global_step is None:
        raise ValueError("global_step is required for exponential_decay.")
    with name_scope(name, "ExponentialDecay") as scope:
        learning_rate = convert_to_tensor(learning_rate, name="learning_rate")
        dtype = learning_rate.dtype
        decay_steps = cast_ops.cast(decay_steps, dtype)
        decay_rate = cast_ops.cast(decay_rate, dtype)
        p = math_ops.divide(cast_ops.cast(global_step, dtype), decay_steps)
        if staircase:
            p = math_ops.floor(p)
        return math_ops.multiply(learning_rate, math_ops.pow(decay_rate, p), name=scope)



def piecewise_constant(x: Any, boundaries: Sequence[Any], values: Sequence[Any],
                       name: str | None = None) -> Tensor:
    """``values[0]`` while x ≤ boundaries[0], ``values[i]`` while boundaries[i−1] < x ≤
    boundaries[i], and ``values[-1]`` once x > boundaries[-1]."""
    if len(values) != len(boundaries) + 1:
        raise ValueError("The length of boundaries should be 1 less than the length of "
                         "values")
    with name_scope(name, "PiecewiseConstant") as scope:
        x = convert_to_tensor(x)
        values = [convert_to_tensor(v) for v in values]
        if any(v.dtype != values[0].dtype for v in values):
            raise ValueError("Values must have elements all with the same dtype, got "
                             f"{[v.dtype.name for v in values]}.")
        result = values[-1]
        for boundary, value in reversed(list(zip(boundaries, values[:-1]))):
            below = comparison_ops.less_equal(x, cast_ops.cast(boundary, x.dtype))
            result = selection_ops.where(below, value, result)
        return state_ops.identity(result, name=scope)

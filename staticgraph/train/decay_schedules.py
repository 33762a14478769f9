"""More of TF1's learning-rate schedules (``tf.train.polynomial_decay``, ``cosine_decay``,
...): graph expressions of the global step, with TF1's formulas and name scopes."""
from __future__ import annotations

import math
from typing import Any

from ..core.graph import Tensor, name_scope
from ..ops import cast_ops, comparison_ops, fill_ops, math_ops, selection_ops
from ..ops.framework import convert_to_tensor
from .learning_rate import piecewise_constant

__all__ = ["polynomial_decay", "natural_exp_decay", "inverse_time_decay", "cosine_decay",
           "cosine_decay_restarts", "linear_cosine_decay", "piecewise_constant_decay"]

piecewise_constant_decay = piecewise_constant


def _start(learning_rate: Any, global_step: Any, what: str) -> tuple[Tensor, Tensor]:
    """The learning rate as a tensor and the global step cast to its dtype."""
    if global_step is None:
        raise ValueError(f"global_step is required for {what}.")
    learning_rate = convert_to_tensor(learning_rate, name="learning_rate")
    return learning_rate, cast_ops.cast(global_step, learning_rate.dtype)


def _as(value: Any, like: Tensor) -> Tensor:
    return cast_ops.cast(value, like.dtype)


def polynomial_decay(learning_rate: Any, global_step: Any, decay_steps: Any,
                     end_learning_rate: Any = 0.0001, power: Any = 1.0, cycle: bool = False,
                     name: str | None = None) -> Tensor:
    """(lr − end)·(1 − step/decay_steps)^power + end, with step capped at decay_steps,
    or (``cycle``) decay_steps stretched to the next multiple above the step."""
    with name_scope(name, "PolynomialDecay") as scope:
        lr, step = _start(learning_rate, global_step, "polynomial_decay")
        steps = _as(decay_steps, lr)
        if cycle:
            multiplier = selection_ops.where(comparison_ops.equal(step, 0.0),
                                         fill_ops.ones_like(step),
                                         math_ops.ceil(step / steps))
            steps = steps * multiplier
        else:
            step = math_ops.minimum(step, steps)
        end = _as(end_learning_rate, lr)
        fraction = step / steps
        return math_ops.add((lr - end) * math_ops.pow(1.0 - fraction, _as(power, lr)), end,
                            name=scope)


def _decay_exponent(step: Tensor, decay_steps: Any, staircase: bool) -> Tensor:
    p = step / _as(decay_steps, step)
    return math_ops.floor(p) if staircase else p


def natural_exp_decay(learning_rate: Any, global_step: Any, decay_steps: Any,
                      decay_rate: Any, staircase: bool = False,
                      name: str | None = None) -> Tensor:
    """lr·exp(−decay_rate·step/decay_steps) (the exponent floored with ``staircase``)."""
    with name_scope(name, "NaturalExpDecay") as scope:
        lr, step = _start(learning_rate, global_step, "natural_exp_decay")
        p = _decay_exponent(step, decay_steps, staircase)
        return math_ops.multiply(lr, math_ops.exp(-_as(decay_rate, lr) * p), name=scope)


def inverse_time_decay(learning_rate: Any, global_step: Any, decay_steps: Any,
                       decay_rate: Any, staircase: bool = False,
                       name: str | None = None) -> Tensor:
    """lr / (1 + decay_rate·step/decay_steps) (the ratio floored with ``staircase``)."""
    with name_scope(name, "InverseTimeDecay") as scope:
        lr, step = _start(learning_rate, global_step, "inverse_time_decay")
        p = _decay_exponent(step, decay_steps, staircase)
        return math_ops.divide(lr, 1.0 + _as(decay_rate, lr) * p, name=scope)


def _half_cosine(fraction: Tensor) -> Tensor:
    """0.5·(1 + cos(π·fraction))."""
    return 0.5 * (1.0 + math_ops.cos(math.pi * fraction))


def cosine_decay(learning_rate: Any, global_step: Any, decay_steps: Any, alpha: Any = 0.0,
                 name: str | None = None) -> Tensor:
    """lr·((1 − alpha)·0.5·(1 + cos(π·min(step, decay_steps)/decay_steps)) + alpha)."""
    with name_scope(name, "CosineDecay") as scope:
        lr, step = _start(learning_rate, global_step, "cosine_decay")
        steps = _as(decay_steps, lr)
        cosine = _half_cosine(math_ops.minimum(step, steps) / steps)
        alpha = _as(alpha, lr)
        return math_ops.multiply(lr, (1.0 - alpha) * cosine + alpha, name=scope)


def cosine_decay_restarts(learning_rate: Any, global_step: Any, first_decay_steps: Any,
                          t_mul: float = 2.0, m_mul: float = 1.0, alpha: Any = 0.0,
                          name: str | None = None) -> Tensor:
    """Cosine decay with warm restarts (SGDR): the i-th period lasts
    first_decay_steps·t_mulⁱ steps and starts from m_mulⁱ·lr."""
    with name_scope(name, "SGDRDecay") as scope:
        lr, step = _start(learning_rate, global_step, "cosine_decay_restarts")
        fraction = step / _as(first_decay_steps, lr)
        t_mul_t, m_mul_t = _as(t_mul, lr), _as(m_mul, lr)
        if t_mul == 1.0:
            restarts = math_ops.floor(fraction)
            fraction = fraction - restarts
        else:
            restarts = math_ops.floor(math_ops.log(1.0 - fraction * (1.0 - t_mul_t))
                                      / math_ops.log(t_mul_t))
            done = (1.0 - math_ops.pow(t_mul_t, restarts)) / (1.0 - t_mul_t)
            fraction = (fraction - done) / math_ops.pow(t_mul_t, restarts)
        cosine = math_ops.pow(m_mul_t, restarts) * _half_cosine(fraction)
        alpha = _as(alpha, lr)
        return math_ops.multiply(lr, (1.0 - alpha) * cosine + alpha, name=scope)


def linear_cosine_decay(learning_rate: Any, global_step: Any, decay_steps: Any,
                        num_periods: float = 0.5, alpha: float = 0.0, beta: float = 0.001,
                        name: str | None = None) -> Tensor:
    """lr·((alpha + (decay_steps − s)/decay_steps)·0.5·(1 + cos(2π·num_periods·s/
    decay_steps)) + beta) with s = min(step, decay_steps)."""
    with name_scope(name, "LinearCosineDecay") as scope:
        lr, step = _start(learning_rate, global_step, "linear_cosine_decay")
        steps = _as(decay_steps, lr)
        step = math_ops.minimum(step, steps)
        linear = (steps - step) / steps
        cosine = _half_cosine(2.0 * _as(num_periods, lr) * step / steps)
        return math_ops.multiply(lr, (_as(alpha, lr) + linear) * cosine + _as(beta, lr),
                                 name=scope)

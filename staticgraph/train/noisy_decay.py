"""``tf.train.noisy_linear_cosine_decay``: linear cosine decay with Gaussian noise on
the linear term (Bello et al., 2017, "Neural Optimizer Search with RL")."""
from __future__ import annotations

from typing import Any

from ..core.graph import Tensor, name_scope
from ..ops import math_ops, random_ops
from .decay_schedules import _as, _half_cosine, _start

__all__ = ["noisy_linear_cosine_decay"]


def noisy_linear_cosine_decay(learning_rate: Any, global_step: Any, decay_steps: Any,
                              initial_variance: float = 1.0, variance_decay: float = 0.55,
                              num_periods: float = 0.5, alpha: float = 0.0,
                              beta: float = 0.001, name: str | None = None) -> Tensor:
    """lr·((alpha + (decay_steps − s)/decay_steps + ε)·0.5·(1 + cos(2π·num_periods·s/
    decay_steps)) + beta) with s = min(step, decay_steps) and ε drawn (per run, from the
    graph's seed) from N(0, initial_variance/(1 + s)^variance_decay)."""
    with name_scope(name, "NoisyLinearCosineDecay") as scope:
        lr, step = _start(learning_rate, global_step, "noisy_linear_cosine_decay")
        steps = _as(decay_steps, lr)
        step = math_ops.minimum(step, steps)
        linear = (steps - step) / steps
        variance = _as(initial_variance, lr) / math_ops.pow(1.0 + step,
                                                            _as(variance_decay, lr))
        noisy = linear + random_ops.random_normal([], stddev=math_ops.sqrt(variance),
                                                  dtype=lr.dtype)
        cosine = _half_cosine(2.0 * _as(num_periods, lr) * step / steps)
        return math_ops.multiply(lr, (_as(alpha, lr) + noisy) * cosine + _as(beta, lr),
                                 name=scope)

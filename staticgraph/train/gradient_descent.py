"""``tf.train.GradientDescentOptimizer``: var ← var − lr·grad."""
from __future__ import annotations

from typing import Any

from ..core.graph import Operation, Tensor
from ..ops import training_ops
from ..ops.variables import Variable
from .optimizer import Optimizer

__all__ = ["GradientDescentOptimizer"]


class GradientDescentOptimizer(Optimizer):
    """Plain gradient descent (TF1)."""

    def __init__(self, learning_rate: Any, use_locking: bool = False,
                 name: str = "GradientDescent") -> None:
        super().__init__(use_locking, name, learning_rate=learning_rate)

    def _apply_dense(self, grad: Tensor, var: Variable) -> Operation:
        return training_ops.apply_gradient_descent(
            var, self._tensors["learning_rate"], grad, use_locking=self._use_locking).op

"""``tf.train.GradientDescentOptimizer``: var ← var − lr·grad."""
from __future__ import annotations

from typing import Any

from ..core.graph import Operation, Tensor
from ..ops import training_ops
from ..ops.cast_ops import cast
from ..ops.indexed_slices import IndexedSlices
from ..ops.state_ops import scatter_sub
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

    def _apply_sparse_duplicate_indices(self, grad: IndexedSlices, var: Variable
                                        ) -> Operation:
        """TF1: ``scatter_sub(var, indices, lr·values)``; repeated indices add up, so
        no deduplication is needed."""
        lr = self._tensors["learning_rate"]
        delta = grad.values * cast(lr, var.dtype)
        return scatter_sub(var, grad.indices, delta, use_locking=self._use_locking).op

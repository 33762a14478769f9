"""``tf.train.MomentumOptimizer``: accum ← momentum·accum + grad; var ← var − lr·accum."""
from __future__ import annotations

from typing import Any

from ..core.graph import Operation, Tensor
from ..ops import training_ops
from ..ops.indexed_slices import IndexedSlices
from ..ops.sparse_ops import sparse_apply
from ..ops.variables import Variable
from .optimizer import Optimizer

__all__ = ["MomentumOptimizer"]


class MomentumOptimizer(Optimizer):
    """Gradient descent with momentum, optionally Nesterov's (TF1); slot ``"momentum"``."""

    def __init__(self, learning_rate: Any, momentum: Any, use_locking: bool = False,
                 name: str = "Momentum", use_nesterov: bool = False) -> None:
        super().__init__(use_locking, name, learning_rate=learning_rate, momentum=momentum)
        self._use_nesterov = use_nesterov

    def _create_slots(self, var_list: list[Variable]) -> None:
        for v in var_list:
            self._zeros_slot(v, "momentum", self._name)

    def _apply_dense(self, grad: Tensor, var: Variable) -> Operation:
        return training_ops.apply_momentum(
            var, self.get_slot(var, "momentum"), self._tensors["learning_rate"], grad,
            self._tensors["momentum"], use_locking=self._use_locking,
            use_nesterov=self._use_nesterov).op

    def _apply_sparse(self, grad: IndexedSlices, var: Variable) -> Operation:
        """TF1's SparseApplyMomentum: only the rows in the gradient move (their
        accumulators too); untouched rows keep their momentum for later."""
        op_type = "SparseApplyNesterovMomentum" if self._use_nesterov else \
            "SparseApplyMomentum"
        return sparse_apply(op_type, [var, self.get_slot(var, "momentum")],
                            [self._tensors["learning_rate"], self._tensors["momentum"]],
                            grad,
                            use_locking=self._use_locking).op

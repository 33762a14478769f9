"""``tf.train.AdadeltaOptimizer`` (Zeiler, 2012) with TF1's update and slot names."""
from __future__ import annotations

from typing import Any

from ..core.graph import Operation, Tensor
from ..ops import training_ops_extra
from ..ops.indexed_slices import IndexedSlices
from ..ops.sparse_ops import sparse_apply
from ..ops.variables import Variable
from .optimizer import Optimizer

__all__ = ["AdadeltaOptimizer"]


class AdadeltaOptimizer(Optimizer):
    """Adadelta: accum ← ρ·accum + (1−ρ)·g²; u = √(accum_update+ε)/√(accum+ε)·g;
    var ← var − lr·u; accum_update ← ρ·accum_update + (1−ρ)·u².

    Slots ``"accum"`` and ``"accum_update"`` (zeros) are ``<var>/Adadelta`` and
    ``<var>/Adadelta_1``.
    """

    def __init__(self, learning_rate: Any = 0.001, rho: Any = 0.95, epsilon: Any = 1e-8,
                 use_locking: bool = False, name: str = "Adadelta") -> None:
        super().__init__(use_locking, name, learning_rate=learning_rate, rho=rho,
                         epsilon=epsilon)

    def _create_slots(self, var_list: list[Variable]) -> None:
        for v in var_list:
            self._zeros_slot(v, "accum", self._name)
            self._zeros_slot(v, "accum_update", self._name)

    def _apply_dense(self, grad: Tensor, var: Variable) -> Operation:
        t = self._tensors
        return training_ops_extra.apply_adadelta(
            var, self.get_slot(var, "accum"), self.get_slot(var, "accum_update"),
            t["learning_rate"], t["rho"], t["epsilon"], grad,
            use_locking=self._use_locking).op

    def _apply_sparse(self, grad: IndexedSlices, var: Variable) -> Operation:
        """TF1's SparseApplyAdadelta: the rows in the gradient only."""
        t = self._tensors
        return sparse_apply("SparseApplyAdadelta",
                            [var, self.get_slot(var, "accum"),
                             self.get_slot(var, "accum_update")],
                            [t["learning_rate"], t["rho"], t["epsilon"]], grad,
                            use_locking=self._use_locking).op

"""``tf.train.AdamOptimizer``, exactly TF1's update and variable names."""
from __future__ import annotations

from typing import Any

from ..core.graph import Operation, Tensor, get_default_graph
from ..ops import state_ops, training_ops
from ..ops.indexed_slices import IndexedSlices
from ..ops.sparse_ops import sparse_apply
from ..ops.variables import Variable
from .optimizer import Optimizer

__all__ = ["AdamOptimizer"]


class AdamOptimizer(Optimizer):
    """Adam (TF1): lr_t = lr·√(1−β2ᵗ)/(1−β1ᵗ), m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
    var ← var − lr_t·m/(√v + ε).

    Slots ``"m"`` and ``"v"`` are the variables ``<var>/Adam`` and ``<var>/Adam_1``; the
    powers β1ᵗ and β2ᵗ are the variables ``beta1_power`` and ``beta2_power``, multiplied
    by β1 and β2 after every step's updates.
    """

    def __init__(self, learning_rate: Any = 0.001, beta1: Any = 0.9, beta2: Any = 0.999,
                 epsilon: Any = 1e-8, use_locking: bool = False, name: str = "Adam") -> None:
        super().__init__(use_locking, name, learning_rate=learning_rate, beta1=beta1,
                         beta2=beta2, epsilon=epsilon)

    def _get_beta_accumulators(self) -> tuple[Variable | None, Variable | None]:
        graph = get_default_graph()
        return (self._get_non_slot_variable("beta1_power", graph),
                self._get_non_slot_variable("beta2_power", graph))

    def _create_slots(self, var_list: list[Variable]) -> None:
        first_var = min(var_list, key=lambda x: x.name)
        self._create_non_slot_variable(self._hyper["beta1"], "beta1_power", first_var)
        self._create_non_slot_variable(self._hyper["beta2"], "beta2_power", first_var)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _apply_dense(self, grad: Tensor, var: Variable) -> Operation:
        t = self._tensors
        beta1_power, beta2_power = self._get_beta_accumulators()
        return training_ops.apply_adam(
            var, self.get_slot(var, "m"), self.get_slot(var, "v"), beta1_power, beta2_power,
            t["learning_rate"], t["beta1"], t["beta2"], t["epsilon"], grad,
            use_locking=self._use_locking).op

    def _finish(self, update_ops: list[Operation], name_scope: str) -> Operation:
        beta1_power, beta2_power = self._get_beta_accumulators()
        with get_default_graph().control_dependencies(update_ops):
            update_beta1 = beta1_power.assign(beta1_power * self._tensors["beta1"])
            update_beta2 = beta2_power.assign(beta2_power * self._tensors["beta2"])
        return state_ops.group(*update_ops, update_beta1, update_beta2, name=name_scope)

    def _apply_sparse(self, grad: IndexedSlices, var: Variable) -> Operation:
        """TF1's (non-lazy) sparse Adam: m and v decay at every row, the gradient's rows
        are added in, and every row of var moves; the same values as the dense rule."""
        t = self._tensors
        beta1_power, beta2_power = self._get_beta_accumulators()
        return sparse_apply("SparseApplyAdam", [var, self.get_slot(var, "m"),
                                                self.get_slot(var, "v")],
                            [beta1_power, beta2_power, t["learning_rate"], t["beta1"],
                             t["beta2"], t["epsilon"]], grad,
                            use_locking=self._use_locking).op

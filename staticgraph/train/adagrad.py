"""``tf.train.AdagradOptimizer``: accum ← accum + g²; var ← var − lr·g/√accum."""
from __future__ import annotations

from typing import Any

from ..core.graph import Operation, Tensor
from ..ops import training_ops
from ..ops.indexed_slices import IndexedSlices
from ..ops.sparse_ops import sparse_apply
from ..ops.variables import Variable
from .optimizer import Optimizer

__all__ = ["AdagradOptimizer"]


class AdagradOptimizer(Optimizer):
    """Adagrad (TF1); slot ``"accumulator"`` starts at ``initial_accumulator_value``."""

    def __init__(self, learning_rate: Any, initial_accumulator_value: float = 0.1,
                 use_locking: bool = False, name: str = "Adagrad") -> None:
        if initial_accumulator_value <= 0.0:
            raise ValueError("initial_accumulator_value must be positive: "
                             f"{initial_accumulator_value}")
        super().__init__(use_locking, name, learning_rate=learning_rate)
        self._initial_accumulator_value = initial_accumulator_value

    def _create_slots(self, var_list: list[Variable]) -> None:
        for v in var_list:
            self._get_or_make_slot(v, self._initial_accumulator_value, "accumulator",
                                   self._name)

    def _apply_dense(self, grad: Tensor, var: Variable) -> Operation:
        return training_ops.apply_adagrad(var, self.get_slot(var, "accumulator"),
                                          self._tensors["learning_rate"], grad,
                                          use_locking=self._use_locking).op

    def _apply_sparse(self, grad: IndexedSlices, var: Variable) -> Operation:
        """TF1's SparseApplyAdagrad: the rows in the gradient only."""
        return sparse_apply("SparseApplyAdagrad", [var, self.get_slot(var, "accumulator")],
                            [self._tensors["learning_rate"]], grad,
                            use_locking=self._use_locking).op

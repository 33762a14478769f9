"""``tf.train.ProximalGradientDescentOptimizer`` and ``ProximalAdagradOptimizer``:
gradient steps followed by the proximal operator of l1·|w| + l2/2·w² (FOBOS)."""
from __future__ import annotations

from typing import Any

from ..core.graph import Operation, Tensor
from ..ops import training_ops_extra
from ..ops.indexed_slices import IndexedSlices
from ..ops.sparse_ops import sparse_apply
from ..ops.variables import Variable
from .adagrad import AdagradOptimizer
from .optimizer import Optimizer

__all__ = ["ProximalGradientDescentOptimizer", "ProximalAdagradOptimizer"]


class ProximalGradientDescentOptimizer(Optimizer):
    """prox = var − lr·g; var ← sign(prox)·max(|prox| − lr·l1, 0) / (1 + lr·l2)."""

    def __init__(self, learning_rate: Any, l1_regularization_strength: float = 0.0,
                 l2_regularization_strength: float = 0.0, use_locking: bool = False,
                 name: str = "ProximalGradientDescent") -> None:
        super().__init__(use_locking, name, learning_rate=learning_rate,
                         l1_regularization_strength=l1_regularization_strength,
                         l2_regularization_strength=l2_regularization_strength)

    def _apply_dense(self, grad: Tensor, var: Variable) -> Operation:
        t = self._tensors
        return training_ops_extra.apply_proximal_gradient_descent(
            var, t["learning_rate"], t["l1_regularization_strength"],
            t["l2_regularization_strength"], grad,
            use_locking=self._use_locking).op

    def _apply_sparse(self, grad: IndexedSlices, var: Variable) -> Operation:
        """TF1's SparseApplyProximalGradientDescent: the rows in the gradient only."""
        t = self._tensors
        return sparse_apply("SparseApplyProximalGradientDescent", [var],
                            [t["learning_rate"], t["l1_regularization_strength"],
                             t["l2_regularization_strength"]], grad,
                            use_locking=self._use_locking).op


class ProximalAdagradOptimizer(AdagradOptimizer):
    """accum ← accum + g²; the proximal step with the rate lr/√accum. Slot
    ``"accumulator"`` (``<var>/ProximalAdagrad``) starts at
    ``initial_accumulator_value``, as Adagrad's."""

    def __init__(self, learning_rate: Any, initial_accumulator_value: float = 0.1,
                 l1_regularization_strength: float = 0.0,
                 l2_regularization_strength: float = 0.0, use_locking: bool = False,
                 name: str = "ProximalAdagrad") -> None:
        super().__init__(learning_rate, initial_accumulator_value, use_locking, name)
        self._hyper.update(l1_regularization_strength=l1_regularization_strength,
                           l2_regularization_strength=l2_regularization_strength)

    def _apply_dense(self, grad: Tensor, var: Variable) -> Operation:
        t = self._tensors
        return training_ops_extra.apply_proximal_adagrad(
            var, self.get_slot(var, "accumulator"), t["learning_rate"],
            t["l1_regularization_strength"], t["l2_regularization_strength"], grad,
            use_locking=self._use_locking).op

    def _apply_sparse(self, grad: IndexedSlices, var: Variable) -> Operation:
        """TF1's SparseApplyProximalAdagrad: the rows in the gradient only (not
        Adagrad's sparse rule, which has no L1/L2 terms)."""
        t = self._tensors
        return sparse_apply("SparseApplyProximalAdagrad",
                            [var, self.get_slot(var, "accumulator")],
                            [t["learning_rate"], t["l1_regularization_strength"],
                             t["l2_regularization_strength"]], grad,
                            use_locking=self._use_locking).op

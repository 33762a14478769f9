"""``tf.train.RMSPropOptimizer`` (with momentum, optionally centered)."""
from __future__ import annotations

from typing import Any

from ..core.graph import Operation, Tensor
from ..ops import training_ops
from ..ops.indexed_slices import IndexedSlices
from ..ops.sparse_ops import sparse_apply
from ..ops.variables import Variable
from .optimizer import Optimizer

__all__ = ["RMSPropOptimizer"]


class RMSPropOptimizer(Optimizer):
    """RMSProp (TF1): slots ``"rms"`` (starts at ones), ``"momentum"``, and ``"mg"`` when
    centered; ε is added under the square root."""

    def __init__(self, learning_rate: Any, decay: Any = 0.9, momentum: Any = 0.0,
                 epsilon: Any = 1e-10, use_locking: bool = False, centered: bool = False,
                 name: str = "RMSProp") -> None:
        super().__init__(use_locking, name, learning_rate=learning_rate, decay=decay,
                         momentum=momentum, epsilon=epsilon)
        self._centered = centered

    def _create_slots(self, var_list: list[Variable]) -> None:
        for v in var_list:
            self._get_or_make_slot(v, 1.0, "rms", self._name)
            if self._centered:
                self._zeros_slot(v, "mg", self._name)
            self._zeros_slot(v, "momentum", self._name)

    def _apply_dense(self, grad: Tensor, var: Variable) -> Operation:
        t = self._tensors
        scalars = (t["learning_rate"], t["decay"], t["momentum"], t["epsilon"], grad)
        rms, mom = self.get_slot(var, "rms"), self.get_slot(var, "momentum")
        if self._centered:
            return training_ops.apply_centered_rms_prop(
                var, self.get_slot(var, "mg"), rms, mom, *scalars,
                use_locking=self._use_locking).op
        return training_ops.apply_rms_prop(var, rms, mom, *scalars,
                                           use_locking=self._use_locking).op

    def _apply_sparse(self, grad: IndexedSlices, var: Variable) -> Operation:
        """TF1's SparseApplyRMSProp (or the centered one): the rows in the gradient
        only; the other rows keep their ms and momentum and do not move."""
        t = self._tensors
        scalars = [t["learning_rate"], t["decay"], t["momentum"], t["epsilon"]]
        refs = [var, self.get_slot(var, "rms"), self.get_slot(var, "momentum")]
        op_type = "SparseApplyRMSProp"
        if self._centered:
            op_type = "SparseApplyCenteredRMSProp"
            refs.append(self.get_slot(var, "mg"))
        return sparse_apply(op_type, refs, scalars, grad, use_locking=self._use_locking).op

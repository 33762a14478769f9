"""``tf.train.FtrlOptimizer``: FTRL-proximal (McMahan et al., 2013), TF1's variant."""
from __future__ import annotations

from typing import Any

from ..core.graph import Operation, Tensor
from ..ops import math_ops, training_ops_extra
from ..ops.indexed_slices import IndexedSlices
from ..ops.sparse_ops import sparse_apply
from ..ops.variables import Variable
from .optimizer import Optimizer, hyperparameter

__all__ = ["FtrlOptimizer"]


class FtrlOptimizer(Optimizer):
    """FTRL with TF1's per-coordinate rule (``learning_rate_power`` −0.5 by default):

    n' = n + g²; z ← z + g̃ − (n'^(−p) − n^(−p))/lr · w (g̃ = g + 2·λ_shrink·w);
    w ← (sign(z)·l1 − z) / (n'^(−p)/lr + 2·l2) where |z| > l1, else 0.

    ``beta`` adds beta/(2·lr) to l2, as TF does. Slots ``"accum"`` (starting at
    ``initial_accumulator_value``) and ``"linear"`` (zeros) are ``<var>/<name>`` and
    ``<var>/<name>_1`` unless ``accum_name``/``linear_name`` are given.
    """

    def __init__(self, learning_rate: Any, learning_rate_power: float = -0.5,
                 initial_accumulator_value: float = 0.1,
                 l1_regularization_strength: float = 0.0,
                 l2_regularization_strength: float = 0.0, use_locking: bool = False,
                 name: str = "Ftrl", accum_name: str | None = None,
                 linear_name: str | None = None,
                 l2_shrinkage_regularization_strength: float = 0.0,
                 beta: float | None = None) -> None:
        checks = {"initial_accumulator_value": initial_accumulator_value,
                  "l1_regularization_strength": l1_regularization_strength,
                  "l2_regularization_strength": l2_regularization_strength,
                  "l2_shrinkage_regularization_strength":
                      l2_shrinkage_regularization_strength}
        for label, value in checks.items():
            if value < 0.0:
                raise ValueError(f"{label} {value} needs to be positive or zero")
        if learning_rate_power > 0.0:
            raise ValueError(f"learning_rate_power {learning_rate_power} needs to be "
                             "negative or zero")
        super().__init__(use_locking, name, learning_rate=learning_rate,
                         learning_rate_power=learning_rate_power,
                         l1_regularization_strength=l1_regularization_strength,
                         l2_shrinkage_regularization_strength=(
                             l2_shrinkage_regularization_strength))
        self._l2 = l2_regularization_strength
        self._beta = 0.0 if beta is None else beta
        self._initial_accumulator_value = initial_accumulator_value
        self._accum_name, self._linear_name = accum_name, linear_name

    def _create_slots(self, var_list: list[Variable]) -> None:
        for v in var_list:
            self._get_or_make_slot(v, self._initial_accumulator_value, "accum",
                                   self._accum_name or self._name)
            self._zeros_slot(v, "linear", self._linear_name or self._name)

    def _prepare(self) -> None:
        super()._prepare()
        lr = self._tensors["learning_rate"]
        self._tensors["adjusted_l2"] = hyperparameter(self._l2, "l2_regularization_strength") \
            + self._beta / (2.0 * math_ops.maximum(lr, 1e-36))

    def _apply_dense(self, grad: Tensor, var: Variable) -> Operation:
        t = self._tensors
        return training_ops_extra.apply_ftrl(
            var, self.get_slot(var, "accum"), self.get_slot(var, "linear"), grad,
            t["learning_rate"], t["l1_regularization_strength"], t["adjusted_l2"],
            t["learning_rate_power"], t["l2_shrinkage_regularization_strength"],
            use_locking=self._use_locking).op

    def _apply_sparse(self, grad: IndexedSlices, var: Variable) -> Operation:
        """TF1's SparseApplyFtrl (SparseApplyFtrlV2 with L2 shrinkage): the rows in the
        gradient only."""
        t = self._tensors
        return sparse_apply(
            "SparseApplyFtrlV2", [var, self.get_slot(var, "accum"),
                                  self.get_slot(var, "linear")],
            [t["learning_rate"], t["l1_regularization_strength"], t["adjusted_l2"],
             t["l2_shrinkage_regularization_strength"], t["learning_rate_power"]], grad,
            use_locking=self._use_locking).op

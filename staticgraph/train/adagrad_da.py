"""``tf.train.AdagradDAOptimizer``: Adagrad dual averaging (Duchi et al., 2011), TF1's
update rule for sparse models needing strong regularization.

With g the gradient accumulator, gg the squared-gradient accumulator (starting at
``initial_gradient_squared_accumulator_value``), T the global step's value before the
update plus one (as TF counts), lr the learning rate and l1, l2 the regularization strengths::

    g  ← g + grad
    gg ← gg + grad²
    var ← lr·sign(−g)·max(|g| − l1·T, 0) / (l2·T·lr + √gg)

A sparse gradient updates only its rows (TF's SparseApplyAdagradDA).
"""
from __future__ import annotations

from typing import Any

from ..core.graph import Operation, Tensor
from ..ops import cast_ops, math_ops, state_ops
from ..ops.gather_ops import gather
from ..ops.indexed_slices import IndexedSlices
from ..ops.variables import Variable
from .optimizer import Optimizer

__all__ = ["AdagradDAOptimizer"]


class AdagradDAOptimizer(Optimizer):
    """Adagrad dual averaging; slots ``"gradient_accumulator"`` (zeros) and
    ``"gradient_squared_accumulator"``. ``global_step`` (required) is read, not
    incremented: pass it to ``minimize`` too, as in TF."""

    def __init__(self, learning_rate: Any, global_step: Any,
                 initial_gradient_squared_accumulator_value: float = 0.1,
                 l1_regularization_strength: Any = 0.0,
                 l2_regularization_strength: Any = 0.0, use_locking: bool = False,
                 name: str = "AdagradDA") -> None:
        if initial_gradient_squared_accumulator_value <= 0.0:
            raise ValueError("initial_gradient_squared_accumulator_value must be positive: "
                             f"{initial_gradient_squared_accumulator_value}")
        if global_step is None:
            raise ValueError("AdagradDAOptimizer needs the global_step tensor")
        super().__init__(use_locking, name, learning_rate=learning_rate,
                         l1=l1_regularization_strength, l2=l2_regularization_strength)
        self._initial_gg = initial_gradient_squared_accumulator_value
        self._global_step = global_step

    def _create_slots(self, var_list: list[Variable]) -> None:
        for v in var_list:
            self._get_or_make_slot(v, 0.0, "gradient_accumulator", self._name)
            self._get_or_make_slot(v, self._initial_gg, "gradient_squared_accumulator",
                                   self._name)

    def _new_value(self, g: Tensor, gg: Tensor, dtype: Any) -> Tensor:
        """The variable's value from the (updated) accumulators."""
        lr, l1, l2 = (cast_ops.cast(self._tensors[k], dtype) for k in ("learning_rate",
                                                                        "l1", "l2"))
        step = cast_ops.cast(self._global_step, dtype) + 1.0
        shrunk = math_ops.sign(-g) * math_ops.maximum(math_ops.abs(g) - l1 * step, 0.0)
        return lr * shrunk / (l2 * step * lr + math_ops.sqrt(gg))

    def _apply_dense(self, grad: Tensor, var: Variable) -> Operation:
        g = state_ops.assign_add(self.get_slot(var, "gradient_accumulator"), grad,
                                 use_locking=self._use_locking)
        gg = state_ops.assign_add(self.get_slot(var, "gradient_squared_accumulator"),
                                  math_ops.square(grad), use_locking=self._use_locking)
        return state_ops.assign(var, self._new_value(g, gg, var.dtype),
                                use_locking=self._use_locking).op

    def _apply_sparse(self, grad: IndexedSlices, var: Variable) -> Operation:
        """The rows of ``grad.indices`` only (the indices are unique here)."""
        rows = grad.indices
        g = gather(state_ops.scatter_add(self.get_slot(var, "gradient_accumulator"), rows,
                                         grad.values, use_locking=self._use_locking), rows)
        gg = gather(state_ops.scatter_add(self.get_slot(var, "gradient_squared_accumulator"),
                                          rows, math_ops.square(grad.values),
                                          use_locking=self._use_locking), rows)
        return state_ops.scatter_update(var, rows, self._new_value(g, gg, var.dtype),
                                        use_locking=self._use_locking).op

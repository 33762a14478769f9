"""``tf.train.ExponentialMovingAverage``: shadow variables tracking moving averages."""
from __future__ import annotations

from typing import Any, Iterable

from ..core import dtypes
from ..core.graph import Operation, get_default_graph, name_scope
from ..ops import cast_ops, fill_ops, math_ops, state_ops
from ..ops.framework import convert_to_tensor
from ..ops.variables import Variable, global_variables, trainable_variables
from .optimizer import create_slot

__all__ = ["ExponentialMovingAverage", "MOVING_AVERAGE_VARIABLES"]

MOVING_AVERAGE_VARIABLES = "moving_average_variables"
"""The collection of variables that ``apply`` gave a moving average (TF1's key)."""


def _key(value: Any) -> int:
    return id(value)


class ExponentialMovingAverage:
    """Keeps ``shadow ← shadow − (1 − decay)·(shadow − value)`` for each variable or
    tensor given to :meth:`apply`. With ``num_updates``, the decay used is
    ``min(decay, (1 + num_updates)/(10 + num_updates))``. A variable's shadow is the
    variable ``<var>/<name>`` starting at the variable's initial value; a tensor's
    starts at zero."""

    def __init__(self, decay: Any, num_updates: Any = None, zero_debias: bool = False,
                 name: str = "ExponentialMovingAverage") -> None:
        self._zero_debias = zero_debias
        self._decay = decay
        self._num_updates = num_updates
        self._name = name
        self._averages: dict[int, Variable] = {}
        self._debias_state: dict[int, tuple[Variable, Variable]] = {}

    @property
    def name(self) -> str:
        """The suffix of the shadow variables' names and the update's name scope."""
        return self._name

    def apply(self, var_list: Iterable[Any] | None = None) -> Operation:
        """Creates the shadows of ``var_list`` (default: the trainable variables) and
        returns the op that updates them all."""
        var_list = trainable_variables() if var_list is None else list(var_list)
        for value in var_list:
            if value.dtype not in (dtypes.float16, dtypes.float32, dtypes.float64):
                raise TypeError(f"The variables must be half, float, or double: "
                                f"{value.name}")
            if _key(value) in self._averages:
                raise ValueError(f"Moving average already computed for: {value.name}")
        graph = get_default_graph()
        with graph.control_dependencies(None):
            for value in var_list:
                shadow = self._averages[_key(value)] = self._shadow(value)
                if self._zero_debias and not isinstance(value, Variable):
                    self._debias_state[_key(value)] = _debias_variables(shadow)
        with name_scope(self._name) as scope:
            decay = convert_to_tensor(self._decay, name="decay")
            if self._num_updates is not None:
                count = cast_ops.cast(self._num_updates, dtypes.float32, name="num_updates")
                decay = math_ops.minimum(cast_ops.cast(decay, dtypes.float32),
                                         (1.0 + count) / (10.0 + count))
            updates = []
            for value in var_list:
                shadow = self._averages[_key(value)]
                rate = 1.0 - cast_ops.cast(decay, shadow.dtype)
                if _key(value) in self._debias_state:
                    updates.append(_debiased_update(shadow, value, rate,
                                                    *self._debias_state[_key(value)]))
                else:
                    updates.append(
                        state_ops.assign_sub(shadow, (shadow.value() - value) * rate))
            return state_ops.group(*updates, name=scope)

    def _shadow(self, value: Any) -> Variable:
        if isinstance(value, Variable):
            get_default_graph().add_to_collection(MOVING_AVERAGE_VARIABLES, value)
            return create_slot(value, value.initialized_value(), self._name)
        tensor = convert_to_tensor(value)
        if not tensor.shape.is_fully_defined():
            raise ValueError(f"ExponentialMovingAverage needs a fully defined shape for "
                             f"{tensor.name}, got {tensor.shape}")
        graph = tensor.graph
        with graph.as_default(), graph.name_scope(None):
            return Variable(fill_ops.zeros_like(tensor), trainable=False,
                            name=f"{tensor.op.name}/{self._name}")

    def average(self, var: Any) -> Variable | None:
        """The shadow variable of ``var`` (None if ``apply`` was not given it)."""
        return self._averages.get(_key(var))

    def average_name(self, var: Any) -> str:
        """The name of ``var``'s shadow variable, ``<var op name>/<name>``."""
        return f"{var.op.name}/{self._name}"

    def variables_to_restore(self, moving_avg_variables: Iterable[Variable] | None = None
                             ) -> dict[str, Variable]:
        """A Saver ``var_list`` loading each averaged variable from its shadow's
        checkpoint entry (and every other global variable from its own)."""
        if moving_avg_variables is None:
            moving_avg_variables = trainable_variables() + [
                v for v in get_default_graph().get_collection(MOVING_AVERAGE_VARIABLES)]
        averaged = {_key(v): v for v in moving_avg_variables}
        names = {self.average_name(v): v for v in averaged.values()}
        for v in global_variables():
            if _key(v) not in averaged and v.op.name not in names:
                names[v.op.name] = v
        return names



def _debias_variables(shadow: Variable) -> tuple[Variable, Variable]:
    """The ``biased`` average and ``local_step`` count TF1 keeps beside a zero-debiased
    shadow (global, not trainable, named under the shadow)."""
    with name_scope(shadow.op.name + "/"):
        biased = Variable(fill_ops.zeros_like(shadow.initialized_value()), trainable=False,
                          name="biased")
        local_step = Variable(convert_to_tensor(0, dtype=shadow.dtype), trainable=False,
                              name="local_step")
    return biased, local_step


def _debiased_update(shadow: Variable, value: Any, rate: Any, biased: Variable,
                     local_step: Variable) -> Any:
    """``biased ← biased − rate·(biased − value)``, ``step ← step + 1`` and
    ``shadow ← biased / (1 − (1 − rate)^step)``, TF1's zero-debiasing."""
    new_biased = state_ops.assign_sub(biased, (biased.value() - value) * rate)
    step = state_ops.assign_add(local_step, convert_to_tensor(1, dtype=shadow.dtype))
    bias_factor = 1.0 - math_ops.pow(1.0 - rate, step)
    return state_ops.assign(shadow, new_biased / bias_factor)

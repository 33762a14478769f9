"""``tf.train.Optimizer``: gradients, slot variables and the update ops (TF1 semantics).

Subclasses create their slots in ``_create_slots``, turn hyperparameters into tensors in
``_prepare`` and build one fused update op per variable in ``_apply_dense`` (see
``staticgraph/ops/training_ops.py``); ``_finish`` groups the updates.
"""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from ..autodiff.gradients import gradients
from ..core.graph import Graph, GraphKeys, Operation, Tensor, get_default_graph
from ..ops import state_ops
from ..ops.framework import convert_to_tensor
from ..ops.indexed_slices import IndexedSlices
from ..ops.sparse_ops import deduplicate_indexed_slices
from ..ops.variables import Variable, trainable_variables

__all__ = ["Optimizer"]


def _var_key(var: Variable) -> tuple[Graph, str]:
    return (var.graph, var.op.name)


def _assert_valid_dtypes(tensors: Iterable[Any]) -> None:
    """``ValueError`` unless every tensor or variable is floating point."""
    for t in tensors:
        if not t.dtype.is_floating:
            raise ValueError(f"Invalid type {t.dtype.name} for {t.name}, expected: "
                             "[float16, float32, float64].")


def create_slot(primary: Variable, initial_value: Any, name: str) -> Variable:
    """A non-trainable variable ``<primary>/<name>`` holding optimizer state for ``primary``.

    Like TF1, the slot's name ignores the current name scope and control dependencies.
    """
    graph = primary.graph
    with graph.as_default(), graph.control_dependencies(None), graph.name_scope(None):
        return Variable(initial_value, trainable=False, name=f"{primary.op.name}/{name}",
                        dtype=primary.dtype)


def _initial_array(var: Variable, fill: float) -> np.ndarray:
    if not var.shape.is_fully_defined():
        raise ValueError(f"Optimizer slots need a fully defined shape; variable "
                         f"{var.op.name} has shape {var.shape}")
    return np.full(var.shape.as_list(), fill, dtype=var.dtype.dtype)


class Optimizer:
    """Base class of the TF1 optimizers (``tf.train.Optimizer``)."""

    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2

    def __init__(self, use_locking: bool, name: str, **hyper: Any) -> None:
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._hyper = hyper  # numbers, tensors or callables, by name
        self._tensors: dict[str, Tensor] = {}  # the same as tensors, made by _prepare
        self._slots: dict[str, dict[tuple, Variable]] = {}
        self._non_slot_dict: dict[tuple, Variable] = {}

    def get_name(self) -> str:
        """The optimizer's name (the name scope of its update ops)."""
        return self._name

    # -- the public steps -----------------------------------------------------------
    def minimize(self, loss: Any, global_step: Any = None, var_list: Any = None,
                 gate_gradients: int = GATE_OP, aggregation_method: Any = None,
                 colocate_gradients_with_ops: bool = False, name: str | None = None,
                 grad_loss: Any = None) -> Operation:
        """``compute_gradients`` then ``apply_gradients``: the op of one training step."""
        grads_and_vars = self.compute_gradients(
            loss, var_list=var_list, gate_gradients=gate_gradients,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops, grad_loss=grad_loss)
        if not any(g is not None for g, _ in grads_and_vars):
            names = [str(v) for _, v in grads_and_vars]
            raise ValueError(
                "No gradients provided for any variable, check your graph for ops that do "
                f"not support gradients, between variables {names} and loss {loss}.")
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss: Any, var_list: Any = None,
                          gate_gradients: int = GATE_OP, aggregation_method: Any = None,
                          colocate_gradients_with_ops: bool = False,
                          grad_loss: Any = None) -> list[tuple[Tensor | None, Variable]]:
        """``[(gradient, variable)]`` of ``loss``; None for variables it does not reach."""
        if gate_gradients not in (self.GATE_NONE, self.GATE_OP, self.GATE_GRAPH):
            raise ValueError("gate_gradients must be one of: Optimizer.GATE_NONE, "
                             f"Optimizer.GATE_OP, Optimizer.GATE_GRAPH. Not {gate_gradients}")
        loss = convert_to_tensor(loss)
        _assert_valid_dtypes([loss] + ([convert_to_tensor(grad_loss)] if grad_loss is not None
                                       else []))
        var_list = trainable_variables() if var_list is None else list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        grads = gradients(loss, var_list, grad_ys=grad_loss,
                          aggregation_method=aggregation_method,
                          colocate_gradients_with_ops=colocate_gradients_with_ops)
        if gate_gradients == self.GATE_GRAPH:
            grads = state_ops.tuple_([convert_to_tensor(g) if isinstance(g, IndexedSlices)
                                      else g for g in grads])
        grads_and_vars = list(zip(grads, var_list))
        _assert_valid_dtypes(v for g, v in grads_and_vars if g is not None)
        return grads_and_vars

    def apply_gradients(self, grads_and_vars: Iterable[tuple[Any, Variable]],
                        global_step: Any = None, name: str | None = None) -> Operation:
        """The op that applies the gradients (None ones skipped), then bumps global_step.

        Every update runs after all the gradients are computed, so each gradient sees the
        variables' values from before the step.
        """
        pairs = [(None if g is None else _as_gradient(g), _as_variable(v))
                 for g, v in grads_and_vars]
        if not pairs:
            raise ValueError("No variables provided.")
        updated = [(g, v) for g, v in pairs if g is not None]
        if not updated:
            raise ValueError(f"No gradients provided for any variable: "
                             f"{[str(v) for _, v in pairs]}.")
        graph = updated[0][1].graph
        with graph.as_default():
            with graph.control_dependencies(None):
                self._create_slots([v for _, v in updated])
            with graph.name_scope(name or self._name) as scope:
                self._prepare()
                update_ops = []
                with graph.control_dependencies([_gate(g) for g, _ in updated]):
                    for grad, var in updated:
                        with graph.name_scope("update_" + var.op.name):
                            update_ops.append(self._update(grad, var))
                if global_step is None:
                    apply_updates = self._finish(update_ops, scope)
                else:
                    with graph.control_dependencies([self._finish(update_ops, "update")]):
                        apply_updates = state_ops.assign_add(
                            global_step, 1, use_locking=self._use_locking, name=scope).op
        train_ops = graph.get_collection_ref(GraphKeys.TRAIN_OP)
        if apply_updates not in train_ops:
            train_ops.append(apply_updates)
        return apply_updates

    def _update(self, grad: Tensor | IndexedSlices, var: Variable) -> Operation:
        if isinstance(grad, IndexedSlices):
            update = self._apply_sparse_duplicate_indices(grad, var)
        else:
            update = self._apply_dense(grad, var)
        if var.constraint is None:
            return update
        with var.graph.control_dependencies([update]):
            return var.assign(var.constraint(var)).op

    # -- slots ------------------------------------------------------------------------
    def get_slot(self, var: Variable, name: str) -> Variable | None:
        """The slot variable ``name`` (e.g. ``"m"``) created for ``var``, or None."""
        return self._slots.get(name, {}).get(_var_key(var))

    def get_slot_names(self) -> list[str]:
        """The names of the slots this optimizer creates, sorted."""
        return sorted(self._slots)

    def variables(self) -> list[Variable]:
        """The optimizer's own variables in the default graph (slots and others), by name."""
        graph = get_default_graph()
        found = [v for v in self._non_slot_dict.values() if v.graph is graph]
        found += [v for slots in self._slots.values() for v in slots.values()
                  if v.graph is graph]
        return sorted(found, key=lambda v: v.name)

    def _get_or_make_slot(self, var: Variable, fill: float, slot_name: str,
                          op_name: str) -> Variable:
        """The slot ``slot_name`` of ``var``, created filled with ``fill`` if missing."""
        named = self._slots.setdefault(slot_name, {})
        key = _var_key(var)
        if key not in named:
            named[key] = create_slot(var, _initial_array(var, fill), op_name)
        return named[key]

    def _zeros_slot(self, var: Variable, slot_name: str, op_name: str) -> Variable:
        """A slot of zeros shaped like ``var``."""
        return self._get_or_make_slot(var, 0.0, slot_name, op_name)

    def _create_non_slot_variable(self, initial_value: Any, name: str,
                                  colocate_with: Variable) -> Variable:
        """A variable shared by all of this optimizer's updates in one graph."""
        graph = colocate_with.graph
        key = (name, graph)
        if key not in self._non_slot_dict:
            self._non_slot_dict[key] = Variable(initial_value, name=name, trainable=False)
        return self._non_slot_dict[key]

    def _get_non_slot_variable(self, name: str, graph: Graph) -> Variable | None:
        return self._non_slot_dict.get((name, graph))

    # -- hooks for subclasses -----------------------------------------------------------
    def _create_slots(self, var_list: list[Variable]) -> None:
        """Creates the slot variables of ``var_list`` (none by default)."""

    def _prepare(self) -> None:
        """Converts the hyperparameters to tensors, inside the update name scope."""
        self._tensors = {k: hyperparameter(v, k) for k, v in self._hyper.items()}

    def _apply_dense(self, grad: Tensor, var: Variable) -> Operation:
        raise NotImplementedError(f"{type(self).__name__} must define _apply_dense (the "
                                  "update op of one variable)")

    def _apply_sparse_duplicate_indices(self, grad: IndexedSlices, var: Variable
                                        ) -> Operation:
        """TF1: sums the values of repeated indices, then :meth:`_apply_sparse`."""
        return self._apply_sparse(deduplicate_indexed_slices(grad), var)

    def _apply_sparse(self, grad: IndexedSlices, var: Variable) -> Operation:
        """The update for a gradient given as IndexedSlices with unique indices. An
        optimizer without a sparse rule applies the densified gradient (its dense rule
        with zero rows elsewhere); the built-in ones override this with TF1's rules."""
        return self._apply_dense(convert_to_tensor(grad), var)

    def _finish(self, update_ops: list[Operation], name_scope: str) -> Operation:
        """One op running every update."""
        return state_ops.group(*update_ops, name=name_scope)


def hyperparameter(value: Any, name: str) -> Tensor:
    """A hyperparameter (number, tensor, or a callable returning one) as a tensor."""
    value = value() if callable(value) else value
    return convert_to_tensor(value, name=name)


def _gate(grad: Tensor | IndexedSlices) -> Tensor:
    """What the updates wait for: the gradient (an IndexedSlices' values and indices)."""
    return state_ops.group(grad.values, grad.indices) if isinstance(grad, IndexedSlices) \
        else grad


def _as_gradient(grad: Any) -> Tensor | IndexedSlices:
    if isinstance(grad, IndexedSlices):
        return grad
    try:
        return convert_to_tensor(grad)
    except (TypeError, ValueError):
        raise TypeError(f"Gradient must be convertible to a Tensor or None: "
                        f"{grad!r}") from None


def _as_variable(var: Any) -> Variable:
    if not isinstance(var, Variable):
        raise TypeError(f"apply_gradients updates tf.Variables, got {var!r}")
    return var


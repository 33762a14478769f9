"""The ``If`` and ``Case`` ops and their derivative rules.

An ``If``/``Case`` op takes the predicate (or branch index) and every outer tensor its
branches capture, holds the branches (function graphs) as attributes, and its kernel
runs only the branch chosen, through the session state (``state.run_function``).

An op never changes once created. What its derivatives need is decided then: a
derivative re-runs the chosen branch from the op's operands, except the ops that must
not run twice (random draws, assignments: see :func:`capture.must_not_rerun`), whose
outputs the op exposes at creation as extra outputs after its ``num_results`` results
(the branches not taken yield an ``Unavailable`` stand-in, never read). So the VJP and
JVP are ``If``/``Case`` ops over derivative branches that replay the forward branch
and differentiate the replay, and random values are drawn once. An If/Case nested in a
branch passes its own given values up the same way (the outer op exposes them too);
a loop or BasisMap with such ops in its body cannot be replayed and is refused.
"""
from __future__ import annotations

from typing import Any, Callable, Container, Sequence

import numpy as np

from ..autodiff.forward import jvp
from ..autodiff.gradients import dense_gradients
from ..core.func_graph import FuncGraph, capture_into, clone_ops, replay_plan
from ..core.graph import Graph, Operation, Tensor, get_default_graph
from ..core.registry import define_op
from ..core.shapes import TensorShape
from ..ops.framework import EVERY_INPUT, apply_op, reads_wanted_inputs
from ..ops.math_ops import add, zeros_like_static
from .capture import (FUNCTIONAL_OP_FLAGS, Resolver, bind, carrying, check_scalar,
                      forward_control_captures, is_unavailable, kernel_result,
                      must_not_rerun, nested_reruns_allowed, refuse_cut_paths,
                      target_graph, unavailable_like)

_BRANCH_TYPES = ("If", "Case")


def _join_shapes(shapes: Sequence[TensorShape]) -> TensorShape:
    """The most specific shape that every one of ``shapes`` satisfies."""
    first = shapes[0]
    for other in shapes[1:]:
        if first.ndims is None or other.ndims is None or first.ndims != other.ndims:
            return TensorShape(None)
        first = TensorShape([a if a == b else None
                             for a, b in zip(first.as_tuple(), other.as_tuple())])
    return first


def _branch_shape(inputs: list, attrs: dict) -> list:
    selector = inputs[0]
    if attrs["kind"] == "If":
        check_scalar(selector, "bool", "pred")
    else:
        check_scalar(selector, "integer", "branch_index")
    specs = []
    for outs in zip(*(b.outputs for b in attrs["branches"])):
        real = [o for o in outs if not is_unavailable(o)] or list(outs)
        for o in real[1:]:
            if o.dtype != real[0].dtype:
                raise TypeError(f"Outputs of true_fn and false_fn must have the same type: "
                                f"{real[0].dtype.name}, {o.dtype.name}")
        specs.append((_join_shapes([o.shape for o in real]), real[0].dtype))
    return specs


def _run_branch(state: Any, k: int, operands: Sequence[Any], branches: tuple,
                input_maps: tuple) -> Any:
    func = branches[k]
    values = state.run_function(func, [operands[j] for j in input_maps[k]])
    return kernel_result(values, len(func.outputs))


def _if_kernel(state: Any, pred: np.ndarray, *operands: Any, branches: tuple,
               input_maps: tuple, **unused: Any) -> Any:
    return _run_branch(state, 0 if pred else 1, operands, branches, input_maps)


def _case_kernel(state: Any, index: np.ndarray, *operands: Any, branches: tuple,
                 input_maps: tuple, **unused: Any) -> Any:
    k = int(index)
    if not 0 <= k < len(branches):
        k = len(branches) - 1  # out of range selects the last (default) branch
    return _run_branch(state, k, operands, branches, input_maps)


def _expose_given_values(funcs: Sequence[FuncGraph]) -> None:
    """Appends to the branches' outputs (before the op exists) the values a derivative
    replaying a branch must take as given: that branch's value, an ``Unavailable``
    stand-in in every other branch."""
    extras = []
    for k, func in enumerate(funcs):
        _, given = _replay_plan(func, func.outputs)
        extras.extend((k, t) for t in given if not any(t is o for o in func.outputs))
    for k, t in extras:
        for j, func in enumerate(funcs):
            func.outputs.append(t if j == k else unavailable_like(func, t))


def branch_op(op_type: str, selector: Tensor, funcs: Sequence[FuncGraph],
              resolve: Resolver, name: str | None) -> Operation:
    """Creates an If/Case op choosing among ``funcs`` (whose outputs line up)."""
    count = len(funcs[0].outputs)
    _expose_given_values(funcs)
    operands, maps = bind(funcs, 0, resolve)
    attrs = {"kind": op_type, "branches": tuple(funcs), "input_maps": maps,
             "num_results": count}
    op = apply_op(op_type, [selector] + operands, attrs, name=name)
    forward_control_captures(op, funcs)
    return op


def _position(items: Sequence[Tensor], t: Tensor) -> int | None:
    return next((i for i, o in enumerate(items) if o is t), None)


def _resolver_for(op: Operation, target: Graph, inputs: Sequence[Tensor]) -> Resolver:
    """Resolves captures of derivative branches: outer tensors stay, a forward branch's
    inputs become ``inputs`` (``op``'s inputs or stand-ins for them), its given values
    ``op``'s extra outputs."""
    maps = op.get_attr("input_maps")
    branches = op.get_attr("branches")

    def resolve(func: FuncGraph, source: Tensor) -> Tensor:
        if source.graph is func.outer_graph:
            return source
        k = next(k for k, b in enumerate(branches) if b is func.forward_graph)
        p = _position(func.forward_graph.inputs, source)
        if p is not None:
            return capture_into(target, inputs[1 + maps[k][p]])
        pos = _position(func.forward_graph.outputs, source)
        if pos is None:
            raise RuntimeError(f"derivative of {op.name} reads {source.name}, which the "
                               "op does not expose (internal error)")
        return capture_into(target, op.outputs[pos])
    return resolve


def _replay_plan(func: FuncGraph, outputs: Sequence[Tensor]
                 ) -> tuple[list[Operation], list[Tensor]]:
    """:func:`replay_plan` for a derivative replay: the given values also include the
    extra outputs of the If/Case ops it re-runs (what their own branches take as given)."""
    ops, given = replay_plan(func, outputs, must_not_rerun)
    nested = [t for op in ops if _has_given_values(op)
              for t in op.outputs[op.get_attr("num_results"):]]
    return ops, given + [t for t in nested if not any(t is g for g in given)]


def _has_given_values(op: Operation) -> bool:
    return op.type in _BRANCH_TYPES and len(op.outputs) > op.get_attr("num_results")


def _replay_nested(op: Operation, inputs: list) -> Operation | None:
    """For an If/Case op inside a replayed branch whose own branches hold values that
    must not be recomputed: an op of the same kind over replays of its branches, reading
    those values from ``op``'s extra outputs. None for any other op (it is cloned)."""
    if not _has_given_values(op):
        return None
    count = op.get_attr("num_results")

    def build(k: int, branch: FuncGraph) -> list:
        return _replay(branch, branch.outputs[:count], (), "")[0]

    return _branch_derivative(op, build, None, "replay", inputs)[0].op


def _replay(branch: FuncGraph, outputs: Sequence[Tensor], sources: Sequence[int],
            rule: str) -> tuple[list[Tensor], list]:
    """Re-creates in the function under construction the ops of ``branch`` that
    ``outputs`` need, to be differentiated w.r.t. its inputs at positions ``sources``
    (``rule`` names the derivative rule an op on the way must have). Returns the copies
    of ``outputs`` and ``(position, tensor)`` for each input of ``branch`` the copies
    read (tensors of the new function)."""
    refuse_cut_paths([branch.inputs[p] for p in sources], outputs, rule)
    ops, _ = _replay_plan(branch, outputs)
    nested_reruns_allowed([op for op in ops if not _has_given_values(op)])
    mapping: dict[int, Tensor] = {}
    clone_ops(ops, mapping, _replay_nested)
    func = get_default_graph()
    read = {id(t) for op in ops for t in op.inputs}.union(id(t) for t in outputs)
    inputs = [(p, func.capture(ph)) for p, ph in enumerate(branch.inputs) if id(ph) in read]
    return [mapping[id(t)] if id(t) in mapping else func.capture(t) for t in outputs], inputs


def _branch_derivative(op: Operation, build: Callable[[int, FuncGraph], list],
                       filler: Callable[[int, int], Tensor] | None, suffix: str,
                       inputs: Sequence[Tensor] | None = None) -> list:
    """Builds one derivative function per branch of ``op`` (``build(k, branch)`` returns
    a list of tensors or None) and an op of the same kind choosing among them, reading
    ``inputs`` (default: ``op``'s inputs) where the branches read ``op``'s.

    Positions where every branch gives None stay None; a branch giving None where another
    does not gets ``filler(k, i)``. Returns the new op's outputs by position.
    """
    inputs = list(op.inputs if inputs is None else inputs)
    target = target_graph([inputs[0]])
    funcs, results = [], []
    for k, branch in enumerate(op.get_attr("branches")):
        func = FuncGraph(f"{branch.name}_{suffix}", target, forward_graph=branch)
        with func.as_default():
            results.append(build(k, branch))
        funcs.append(func)
    keep = [i for i in range(len(results[0])) if any(r[i] is not None for r in results)]
    if not keep:
        return [None] * len(results[0])
    for k, (func, result) in enumerate(zip(funcs, results)):
        with func.as_default():
            func.outputs = [func.capture(result[i]) if result[i] is not None
                            else func.capture(filler(k, i)) for i in keep]
    selector = capture_into(target, inputs[0])
    new = branch_op(op.type, selector, funcs, _resolver_for(op, target, inputs),
                    name=f"{op.name.rsplit('/', 1)[-1]}_{suffix}")
    outs: list = [None] * len(results[0])
    for pos, i in enumerate(keep):
        outs[i] = new.outputs[pos]
    return outs


@reads_wanted_inputs
def _branch_vjp(op: Operation, *grads: Tensor | None,
                wanted: Container[int] = EVERY_INPUT) -> list:
    maps, count = op.get_attr("input_maps"), op.get_attr("num_results")
    active = [i for i in carrying(grads, op.outputs) if i < count]
    n_operands = len(op.inputs) - 1
    if not active:
        return [None] * len(op.inputs)

    def build(k: int, branch: FuncGraph) -> list:
        sources = [p for p in range(len(branch.inputs)) if 1 + maps[k][p] in wanted]
        ys, inputs = _replay(branch, [branch.outputs[i] for i in active], sources,
                             "gradient defined")
        xs = [(p, x) for p, x in inputs if p in sources]
        found = dense_gradients(ys, [x for _, x in xs], grad_ys=[grads[i] for i in active])
        per_operand: list = [None] * n_operands
        for (p, _), g in zip(xs, found):
            if g is not None:
                j = maps[k][p]
                per_operand[j] = g if per_operand[j] is None else add(per_operand[j], g)
        return per_operand

    def filler(k: int, j: int) -> Tensor:
        return zeros_like_static(op.inputs[1 + j])

    return [None] + _branch_derivative(op, build, filler, "grad")


def _branch_jvp(op: Operation, _selector: Any, *tangents: Tensor | None) -> list:
    maps, count = op.get_attr("input_maps"), op.get_attr("num_results")
    n_out = len(op.outputs)
    if all(t is None for t in tangents):
        return [None] * n_out

    def build(k: int, branch: FuncGraph) -> list:
        moving = {p: tangents[maps[k][p]] for p, ph in enumerate(branch.inputs)
                  if tangents[maps[k][p]] is not None and ph.dtype.is_differentiable}
        diff = [i for i in range(count) if branch.outputs[i].dtype.is_differentiable]
        result: list = [None] * n_out
        if moving and diff:
            ys, inputs = _replay(branch, [branch.outputs[i] for i in diff], list(moving),
                                 "forward-mode (JVP) rule")
            pairs = [(x, moving[p]) for p, x in inputs if p in moving]
            if pairs:
                found = jvp(ys, [x for x, _ in pairs], [t for _, t in pairs],
                            unconnected_gradients="none")
                for i, t in zip(diff, found):
                    result[i] = t
        return result

    def filler(k: int, i: int) -> Tensor:
        return zeros_like_static(op.get_attr("branches")[k].outputs[i])

    return _branch_derivative(op, build, filler, "jvp")


for _type, _kernel in (("If", _if_kernel), ("Case", _case_kernel)):
    define_op(_type, kernel=_kernel, shape_fn=_branch_shape, vjp=_branch_vjp,
              jvp=_branch_jvp, non_differentiable=(0,), **FUNCTIONAL_OP_FLAGS,
              doc="Runs one of the function graphs in attr ``branches``.")

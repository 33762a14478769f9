"""Tracing bodies into function graphs and binding their captures to op inputs.

Shared by every functional op (``If``, ``Case``, ``While``, ``BasisMap``): where the op
goes, how a traced function's captured tensors become the op's operands, and what a
derivative that re-runs a body must take as given rather than re-run.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from ..autodiff.graph_walk import ops_between
from ..core.func_graph import (FuncGraph, called_functions, function_ops, has_vjp_rule,
                               is_building_function)
from ..core.graph import Graph, Operation, Tensor, get_default_graph
from ..core.registry import EVERY, define_op
from ..core.shapes import TensorShape
from ..ops.framework import apply_op, convert_to_tensor

# Declared by every functional op: it runs function graphs through the session state,
# a result may be an operand passed through (or a view of one), and its derivative rules
# take None for a zero seed.
FUNCTIONAL_OP_FLAGS = {"uses_state": True, "functional": True, "view_of": {EVERY: (EVERY,)},
                       "none_output_grads": True}

# Stateful op types that stand for values rather than effects: re-running them is moot.
_VALUE_STANDINS = ("Placeholder", "Unavailable", "NoOp")

Resolver = Callable[[FuncGraph, Tensor], Tensor]


def target_graph(tensors: Sequence[Tensor]) -> Graph:
    """Where a functional op built from ``tensors`` goes: the function body under
    construction, else the tensors' graph (as ``apply_op``)."""
    graph = get_default_graph()
    if is_building_function(graph) or not tensors:
        return graph
    return tensors[0].graph


def new_function(name: str, outer: Graph, specs: Sequence[tuple] = (),
                 forward: FuncGraph | None = None) -> tuple[FuncGraph, list[Tensor]]:
    """A function graph with explicit inputs of the given ``(shape, dtype)`` specs."""
    func = FuncGraph(name, outer, forward_graph=forward)
    return func, [func.add_input(shape, dtype, f"arg{i}") for i, (shape, dtype) in
                  enumerate(specs)]


def output_tensor(func: FuncGraph, value: Any, what: str) -> Tensor:
    """A function result as a tensor of ``func`` (Operations run through a control edge)."""
    if isinstance(value, Operation):
        with func.as_default(), func.control_dependencies([value]):
            return convert_to_tensor(True, name="op_done")
    if value is None:
        raise ValueError(f"{what} returned None where a tensor is expected")
    with func.as_default():
        return func.capture(convert_to_tensor(value))


def bind(funcs: Sequence[FuncGraph], n_leading: int,
         resolve: Resolver) -> tuple[list[Tensor], tuple]:
    """Operands for the captures of ``funcs`` and, per function, the operand index feeding
    each of its inputs (its first ``n_leading`` inputs are operands ``0..n_leading-1``)."""
    operands: list[Tensor] = []
    position: dict[int, int] = {}
    maps = []
    for func in funcs:
        indices = list(range(n_leading))
        for source, _ in func.captures:
            tensor = resolve(func, source)
            j = position.get(id(tensor))
            if j is None:
                j = position[id(tensor)] = n_leading + len(operands)
                operands.append(tensor)
            indices.append(j)
        maps.append(tuple(indices))
    return operands, tuple(maps)


def outer_source(func: FuncGraph, source: Tensor) -> Tensor:
    """Resolves a capture of an ordinary body: its source is already an outer tensor."""
    return source


def forward_control_captures(op: Operation, funcs: Sequence[FuncGraph]) -> None:
    """Outer ops a body's control dependencies named run before ``op`` (just created)."""
    for func in funcs:
        for dep in func.control_captures:
            if dep.graph is op.graph:
                op._add_control_input(dep)
            elif isinstance(op.graph, FuncGraph) and dep not in op.graph.control_captures:
                op.graph.control_captures.append(dep)


def carrying(values: Sequence[Any], tensors: Sequence[Tensor]) -> list[int]:
    """Positions where ``values`` has a derivative seed (not None) for a tensor of a
    differentiable dtype."""
    return [i for i, (v, t) in enumerate(zip(values, tensors))
            if v is not None and t.dtype.is_differentiable]


def kernel_result(values: Sequence[Any], count: int) -> Any:
    """What a kernel returns for ``count`` output values (one array, a tuple, or None)."""
    if count == 1:
        return values[0]
    return tuple(values) if count else None


def row_shape(shape: TensorShape) -> TensorShape:
    """The shape of one row (the leading axis dropped)."""
    return TensorShape(None) if shape.ndims is None else shape[1:]


def check_scalar(t: Tensor, kind: str, what: str) -> None:
    """``t`` must be a scalar of ``kind`` ("bool" or "integer")."""
    ok = t.dtype.is_bool if kind == "bool" else t.dtype.is_integer
    if not ok:
        raise TypeError(f"{what} must be a {kind} scalar, got dtype {t.dtype.name}")
    if t.shape.ndims not in (None, 0):
        raise ValueError(f"{what} must be a scalar, got shape {t.shape}")


# -- what a derivative may re-run ---------------------------------------------------------


def must_not_rerun(op: Operation) -> bool:
    """True for an op whose outputs a derivative re-running its body must reuse: a
    stateful op without a VJP rule (random draw, assignment, variable access,
    ``py_func``). A stateful op with a VJP rule is re-run: ``check_numerics`` only checks
    its input, and a ``py_func`` given a gradient is taken to be a pure function."""
    return (op.op_def.stateful and op.type not in _VALUE_STANDINS
            and not has_vjp_rule(op))


def refuse_cut_paths(sources: Sequence[Tensor], outputs: Sequence[Tensor],
                     rule: str) -> None:
    """Raises ``LookupError`` (as autodiff does for an op without a rule) if an op that
    must not re-run lies on a differentiable path from ``sources`` to ``outputs``: the
    replay takes its outputs as given, which would cut the path silently."""
    between = ops_between(sources, outputs)
    on_path = {id(t) for t in sources}.union(id(t) for op in between for t in op.outputs)
    for op in between:
        skip = op.op_def.non_differentiable
        if must_not_rerun(op) and any(id(t) in on_path and i not in skip
                                      and t.dtype.is_differentiable
                                      for i, t in enumerate(op.inputs)):
            raise LookupError(f"No {rule} for operation '{op.name}' (op type: {op.type}), "
                              f"created at {op.traceback}")


def refuse_rerun(op: Operation, funcs: Sequence[FuncGraph]) -> None:
    """Raises a ``ValueError`` naming ``op`` if a derivative of it would re-run an op of
    ``funcs`` (or of the functions they call) that must not run twice."""
    for func in funcs:
        for inner in function_ops(func):
            if must_not_rerun(inner):
                raise ValueError(f"Cannot differentiate {op.type} op {op.name}: its body "
                                 f"contains the stateful op {inner.name} ({inner.type}), "
                                 "and the derivative re-runs the body")


def nested_reruns_allowed(ops: Sequence[Operation]) -> None:
    """Checks that the functional ops among ``ops`` (about to be re-run) hold no
    function with an op that must not run twice."""
    for op in ops:
        if op.op_def.functional:
            refuse_rerun(op, called_functions(op))


# -- Unavailable: the value a branch yields for another branch's given value ------------


def _unavailable_kernel(**unused: Any) -> None:
    return None


define_op("Unavailable", kernel=_unavailable_kernel,
          shape_fn=lambda inputs, attrs: [(attrs["shape"], attrs["dtype"])], stateful=True,
          view_of={}, doc="Stands for a value of the branch not taken; never read.")


def unavailable_like(graph: Graph, t: Tensor) -> Tensor:
    """An ``Unavailable`` stand-in for ``t`` in ``graph``."""
    return apply_op("Unavailable", [], {"shape": t.shape, "dtype": t.dtype},
                    name="unavailable", graph=graph).outputs[0]


def is_unavailable(t: Tensor) -> bool:
    """True for the output of an ``Unavailable`` stand-in."""
    return t.op.type == "Unavailable"

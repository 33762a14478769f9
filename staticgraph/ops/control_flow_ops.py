"""Control flow as functional ops: ``tf.cond``, ``tf.case``, ``tf.while_loop``.

Each branch or loop body is traced once into a :class:`FuncGraph`; one op (``If``,
``Case``, ``While``) takes the predicate or loop state plus every outer tensor the bodies
capture, holds the bodies as attributes, and its kernel runs the compiled body through
the session state (``state.run_function``), so only the branch taken runs.

Derivatives are functional ops too. The VJP (and JVP) of ``If``/``Case`` is another
``If``/``Case`` over derivative branches built by differentiating each branch inside a new
function graph; intermediate values of the forward branch that those need become extra
outputs of the forward op (the branch not taken yields an ``Unavailable`` placeholder
value that is never read), so nothing is recomputed and stateful ops in a branch (random
numbers, assignments) run once. The VJP of ``While`` is a ``WhileGrad`` op whose kernel
re-runs the forward iterations, keeping what the body's VJP needs from each, and then
runs the body's VJP backwards through them; its JVP is a ``While`` over (state, tangent).
``BasisMap`` runs a function once per unit vector of a basis (Jacobians, Hessians).

VJP/JVP rules here call ``staticgraph.autodiff`` (imported inside the rules: they only
run while a derivative is being built).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..core import dtypes
from ..core.func_graph import (FuncGraph, capture_into, function_ops, inline,
                               is_building_function)
from ..core.graph import Graph, Operation, Tensor, get_default_graph
from ..core.registry import EVERY, define_op
from ..core.shapes import TensorShape, as_shape
from .framework import apply_op, convert_to_tensor

__all__ = ["cond", "case", "while_loop"]

FUNCTIONAL_OPS = ("If", "Case", "While", "WhileGrad", "BasisMap")

# ----------------------------------------------------------------------------------------
# Nested structures (lists, tuples, namedtuples, dicts) of tensors
# ----------------------------------------------------------------------------------------


def _is_sequence(value: Any) -> bool:
    return isinstance(value, (list, tuple, dict))


def _children(value: Any) -> list:
    if isinstance(value, dict):
        return [value[k] for k in sorted(value)]
    return list(value)


def flatten(structure: Any) -> list:
    """The leaves of a nested list/tuple/dict structure, depth first (dicts by key)."""
    if not _is_sequence(structure):
        return [structure]
    return [leaf for child in _children(structure) for leaf in flatten(child)]


def pack_as(structure: Any, leaves: Sequence[Any]) -> Any:
    """Rebuilds ``structure`` with ``leaves`` (as returned by :func:`flatten`)."""
    it = iter(leaves)

    def build(item: Any) -> Any:
        if isinstance(item, dict):
            return type(item)((k, build(item[k])) for k in sorted(item))
        if isinstance(item, tuple) and hasattr(item, "_fields"):
            return type(item)(*(build(v) for v in item))
        if isinstance(item, (list, tuple)):
            return type(item)(build(v) for v in item)
        return next(it)

    return build(structure)


def _same_structure(a: Any, b: Any) -> bool:
    if _is_sequence(a) != _is_sequence(b):
        return False
    if not _is_sequence(a):
        return True
    if isinstance(a, dict) != isinstance(b, dict):
        return False
    if isinstance(a, dict) and sorted(a) != sorted(b):
        return False
    ca, cb = _children(a), _children(b)
    return len(ca) == len(cb) and all(_same_structure(x, y) for x, y in zip(ca, cb))


# ----------------------------------------------------------------------------------------
# Tracing bodies and binding their captures to op inputs
# ----------------------------------------------------------------------------------------


def _target_graph(tensors: Sequence[Tensor]) -> Graph:
    """Where a functional op built from ``tensors`` goes: the function body under
    construction, else the tensors' graph (as ``apply_op``)."""
    graph = get_default_graph()
    if is_building_function(graph) or not tensors:
        return graph
    return tensors[0].graph


def _new_function(name: str, outer: Graph, specs: Sequence[tuple] = (),
                  forward: FuncGraph | None = None) -> tuple[FuncGraph, list[Tensor]]:
    """A function graph with explicit inputs of the given ``(shape, dtype)`` specs."""
    func = FuncGraph(name, outer, forward_graph=forward)
    return func, [func.add_input(shape, dtype, f"arg{i}") for i, (shape, dtype) in
                  enumerate(specs)]


def _output_tensor(func: FuncGraph, value: Any, what: str) -> Tensor:
    """A function result as a tensor of ``func`` (Operations run through a control edge)."""
    if isinstance(value, Operation):
        with func.as_default(), func.control_dependencies([value]):
            return convert_to_tensor(True, name="op_done")
    if value is None:
        raise ValueError(f"{what} returned None where a tensor is expected")
    with func.as_default():
        return func.capture(convert_to_tensor(value))


def _bind(funcs: Sequence[FuncGraph], n_leading: int,
          resolve: Callable[[FuncGraph, Tensor], Tensor]) -> tuple[list[Tensor], tuple]:
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


def _outer_source(func: FuncGraph, source: Tensor) -> Tensor:
    """Resolves a capture of an ordinary body: its source is already an outer tensor."""
    return source


def _forward_control_captures(op: Operation, funcs: Sequence[FuncGraph]) -> None:
    """Outer ops a body's control dependencies named run before ``op``."""
    for func in funcs:
        for dep in func.control_captures:
            if dep.graph is op.graph:
                op._add_control_input(dep)
            elif isinstance(op.graph, FuncGraph) and dep not in op.graph.control_captures:
                op.graph.control_captures.append(dep)


def _carrying(values: Sequence[Any], tensors: Sequence[Tensor]) -> list[int]:
    """Positions where ``values`` has a derivative seed (not None) for a tensor of a
    differentiable dtype."""
    return [i for i, (v, t) in enumerate(zip(values, tensors))
            if v is not None and t.dtype.is_differentiable]


def _kernel_result(values: Sequence[Any], count: int) -> Any:
    if count == 1:
        return values[0]
    return tuple(values) if count else None


def _row_shape(shape: TensorShape) -> TensorShape:
    return TensorShape(None) if shape.ndims is None else TensorShape(shape.dims[1:])


def _join_shapes(shapes: Sequence[TensorShape]) -> TensorShape:
    """The most specific shape that every one of ``shapes`` satisfies."""
    first = shapes[0]
    for other in shapes[1:]:
        if first.ndims is None or other.ndims is None or first.ndims != other.ndims:
            return TensorShape(None)
        first = TensorShape([a if a == b else None for a, b in zip(first.dims, other.dims)])
    return first


def _check_scalar(t: Tensor, kind: str, what: str) -> None:
    """``t`` must be a scalar of ``kind`` ("bool" or "integer")."""
    ok = t.dtype.is_bool if kind == "bool" else t.dtype.is_integer
    if not ok:
        raise TypeError(f"{what} must be a {kind} scalar, got dtype {t.dtype.name}")
    if t.shape.ndims not in (None, 0):
        raise ValueError(f"{what} must be a scalar, got shape {t.shape}")


# ----------------------------------------------------------------------------------------
# Unavailable: the value a branch yields for another branch's intermediate
# ----------------------------------------------------------------------------------------


def _unavailable_kernel(**unused: Any) -> None:
    return None


define_op("Unavailable", kernel=_unavailable_kernel,
          shape_fn=lambda inputs, attrs: [(attrs["shape"], attrs["dtype"])], stateful=True,
          doc="Stands for an intermediate of the branch not taken; never read.",
          view_of={})


def _unavailable_like(graph: Graph, t: Tensor) -> Tensor:
    return apply_op("Unavailable", [], {"shape": t.shape, "dtype": t.dtype},
                    name="unavailable", graph=graph).outputs[0]


def _is_unavailable(t: Tensor) -> bool:
    return t.op.type == "Unavailable"


# ----------------------------------------------------------------------------------------
# If and Case
# ----------------------------------------------------------------------------------------


def _branch_shape(inputs: list, attrs: dict) -> list:
    selector = inputs[0]
    if attrs["kind"] == "If":
        _check_scalar(selector, "bool", "pred")
    else:
        _check_scalar(selector, "integer", "branch_index")
    specs = []
    for i in attrs["out_index"]:
        outs = [b.outputs[i] for b in attrs["branches"]]
        real = [o for o in outs if not _is_unavailable(o)] or outs
        for o in real[1:]:
            if o.dtype != real[0].dtype:
                raise TypeError(f"Outputs of true_fn and false_fn must have the same type: "
                                f"{real[0].dtype.name}, {o.dtype.name}")
        specs.append((_join_shapes([o.shape for o in real]), real[0].dtype))
    return specs


def _run_branch(state: Any, k: int, operands: Sequence[Any], branches: tuple,
                input_maps: tuple, out_index: tuple) -> Any:
    func = branches[k]
    values = state.run_function(func, [operands[j] for j in input_maps[k]],
                                [func.outputs[i] for i in out_index])
    return _kernel_result(values, len(out_index))


def _if_kernel(state: Any, pred: np.ndarray, *operands: Any, branches: tuple,
               input_maps: tuple, out_index: tuple, **unused: Any) -> Any:
    return _run_branch(state, 0 if pred else 1, operands, branches, input_maps, out_index)


def _case_kernel(state: Any, index: np.ndarray, *operands: Any, branches: tuple,
                 input_maps: tuple, out_index: tuple, **unused: Any) -> Any:
    k = int(index)
    if not 0 <= k < len(branches):
        k = len(branches) - 1  # out of range selects the last (default) branch
    return _run_branch(state, k, operands, branches, input_maps, out_index)


def _branch_op(op_type: str, selector: Tensor, funcs: Sequence[FuncGraph],
               resolve: Callable[[FuncGraph, Tensor], Tensor], name: str | None) -> Operation:
    """Creates an If/Case op choosing among ``funcs`` (whose outputs line up)."""
    operands, maps = _bind(funcs, 0, resolve)
    count = len(funcs[0].outputs)
    attrs = {"kind": op_type, "branches": tuple(funcs), "input_maps": maps,
             "out_index": tuple(range(count)), "num_results": count}
    op = apply_op(op_type, [selector] + operands, attrs, name=name)
    _forward_control_captures(op, funcs)
    return op


def _branch_index(op: Operation, func: FuncGraph) -> int:
    return next(k for k, b in enumerate(op.get_attr("branches")) if b is func)


def _expose(op: Operation, k: int, t: Tensor) -> Tensor:
    """An output of ``op`` giving ``t``, a tensor of branch ``k`` (added if needed).

    Every branch gets a matching output: ``t`` in branch ``k``, an ``Unavailable``
    placeholder in the others (read only by derivative branches of branch ``k``).
    """
    branches = op.get_attr("branches")
    func = branches[k]
    pos = next((i for i, o in enumerate(func.outputs) if o is t), None)
    if pos is None:
        pos = len(func.outputs)
        for b in branches:
            b.outputs.append(t if b is func else _unavailable_like(b, t))
    out_index = op._attrs["out_index"]
    if pos in out_index:
        return op.outputs[out_index.index(pos)]
    op._attrs["out_index"] = out_index + (pos,)
    new = Tensor(op, len(op._outputs), t.dtype, t.shape)
    op._outputs = op._outputs + (new,)
    op.graph._version += 1
    return new


def _resolver_for(op: Operation, target: Graph) -> Callable[[FuncGraph, Tensor], Tensor]:
    """Resolves captures of derivative branches: outer tensors stay, a forward branch's
    inputs become ``op``'s operands, its intermediates become (new) outputs of ``op``."""
    maps = op.get_attr("input_maps")

    def resolve(func: FuncGraph, source: Tensor) -> Tensor:
        if source.graph is func.outer_graph:
            return source
        k = _branch_index(op, func.forward_graph)
        inputs = func.forward_graph.inputs
        p = next((p for p, ph in enumerate(inputs) if ph is source), None)
        found = op.inputs[1 + maps[k][p]] if p is not None else _expose(op, k, source)
        return capture_into(target, found)
    return resolve


def _branch_derivative(op: Operation, build: Callable[[int, FuncGraph], list],
                       filler: Callable[[int, int], Tensor], suffix: str) -> list:
    """Builds one derivative function per branch of ``op`` (``build(k, branch)`` returns
    a list of tensors or None) and an op of the same kind choosing among them.

    Positions where every branch gives None stay None; a branch giving None where another
    does not gets ``filler(k, i)``. Returns the new op's outputs by position.
    """
    target = _target_graph([op.inputs[0]])
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
    selector = capture_into(target, op.inputs[0])
    new = _branch_op(op.type, selector, funcs, _resolver_for(op, target),
                     name=f"{op.name.rsplit('/', 1)[-1]}_{suffix}")
    outs: list = [None] * len(results[0])
    for pos, i in enumerate(keep):
        outs[i] = new.outputs[pos]
    return outs


def _branch_vjp(op: Operation, *grads: Tensor | None) -> list:
    from ..autodiff.gradients import gradients, zeros_like_static
    from .math_ops import add
    maps, out_index = op.get_attr("input_maps"), op.get_attr("out_index")
    active = _carrying(grads, op.outputs)
    n_operands = len(op.inputs) - 1
    if not active:
        return [None] * len(op.inputs)

    def build(k: int, branch: FuncGraph) -> list:
        ys = [branch.outputs[out_index[i]] for i in active]
        found = gradients(ys, branch.inputs, grad_ys=[grads[i] for i in active])
        per_operand: list = [None] * n_operands
        for p, g in enumerate(found):
            if g is not None:
                j = maps[k][p]
                per_operand[j] = g if per_operand[j] is None else add(per_operand[j], g)
        return per_operand

    def filler(k: int, j: int) -> Tensor:
        return zeros_like_static(op.inputs[1 + j])

    return [None] + _branch_derivative(op, build, filler, "grad")


def _branch_jvp(op: Operation, _selector: Any, *tangents: Tensor | None) -> list:
    from ..autodiff.forward import jvp
    from ..autodiff.gradients import zeros_like_static
    maps, out_index = op.get_attr("input_maps"), op.get_attr("out_index")
    n_out = len(out_index)
    if all(t is None for t in tangents):
        return [None] * n_out

    def build(k: int, branch: FuncGraph) -> list:
        pairs = [(ph, tangents[maps[k][p]]) for p, ph in enumerate(branch.inputs)
                 if tangents[maps[k][p]] is not None and ph.dtype.is_differentiable]
        outs = [branch.outputs[i] for i in out_index]
        diff = [i for i, o in enumerate(outs)
                if o.dtype.is_differentiable and not _is_unavailable(o)]
        result: list = [None] * n_out
        if pairs and diff:
            found = jvp([outs[i] for i in diff], [p for p, _ in pairs], [t for _, t in pairs],
                        unconnected_gradients="none")
            for i, t in zip(diff, found):
                result[i] = t
        return result

    def filler(k: int, i: int) -> Tensor:
        out = op.get_attr("branches")[k].outputs[out_index[i]]
        if _is_unavailable(out):
            return _unavailable_like(get_default_graph(), out)
        return zeros_like_static(out)

    return _branch_derivative(op, build, filler, "jvp")


for _type, _kernel in (("If", _if_kernel), ("Case", _case_kernel)):
    define_op(_type, kernel=_kernel, shape_fn=_branch_shape, vjp=_branch_vjp,
              jvp=_branch_jvp, uses_state=True, non_differentiable=(0,),
              view_of={EVERY: (EVERY,)},  # a branch may return an operand
              none_output_grads=True,
              doc="Runs one of the function graphs in attr ``branches``.")


def _trace_branch(name: str, fn: Callable[[], Any], target: Graph,
                  what: str) -> tuple[FuncGraph, Any, list[Tensor]]:
    """Traces a zero-argument branch function; returns the graph, its raw result and
    the flattened outputs (not yet set as the graph's outputs)."""
    func, _ = _new_function(name, target)
    with func.as_default():
        result = fn()
    if result is None:
        raise ValueError(f"{what} must have a return value.")
    return func, result, [_output_tensor(func, v, what) for v in flatten(result)]


def _unpack_singleton(value: Any) -> Any:
    if isinstance(value, (list, tuple)) and len(value) == 1:
        return value[0]
    return value


def _rebuild(structure: Any, op: Operation) -> Any:
    """``op``'s outputs packed as ``structure``; Operation leaves give ``op`` itself."""
    leaves = [op if isinstance(leaf, Operation) else out
              for leaf, out in zip(flatten(structure), op.outputs)]
    return pack_as(structure, leaves)


def _select(op_type: str, selector: Tensor, fns: Sequence[tuple[str, Callable, str]],
            scope: str, target: Graph) -> tuple[Operation, Any]:
    """Traces each ``(label, fn, what)`` branch and builds the If/Case op choosing one."""
    traced = [_trace_branch(scope + label, fn, target, what) for label, fn, what in fns]
    first, first_outs = traced[0][1], traced[0][2]
    for (_, _, what), (_, result, outs) in zip(fns[1:], traced[1:]):
        if not _same_structure(first, result):
            raise ValueError(f"Incompatible return values of {fns[0][2]} and {what}: "
                             f"{first!r} vs {result!r}")
        for a, b in zip(first_outs, outs):
            if a.dtype != b.dtype:
                raise ValueError(f"Outputs of {fns[0][2]} and {what} must have the same "
                                 f"type: {a.dtype.name}, {b.dtype.name}")
    for func, _, outs in traced:
        func.outputs = outs
    op = _branch_op(op_type, selector, [t[0] for t in traced], _outer_source, name=scope)
    return op, first


def cond(pred: Any, true_fn: Callable[[], Any] | None = None,
         false_fn: Callable[[], Any] | None = None, strict: bool = False,
         name: str | None = None, fn1: Callable[[], Any] | None = None,
         fn2: Callable[[], Any] | None = None) -> Any:
    """``tf.cond``: ``true_fn()`` if ``pred`` else ``false_fn()``; only that branch runs.

    Both functions must return the same structure of tensors with matching dtypes;
    a one-element list or tuple is unpacked unless ``strict``. Tensors created outside
    the branches (and captured by them) are computed whichever branch runs.
    """
    if fn1 is not None:
        if true_fn is not None:
            raise TypeError("cond(): true_fn and fn1 may not be set simultaneously.")
        true_fn = fn1
    if fn2 is not None:
        if false_fn is not None:
            raise TypeError("cond(): false_fn and fn2 may not be set simultaneously.")
        false_fn = fn2
    if isinstance(pred, bool):
        raise TypeError("pred must not be a Python bool")
    if not callable(true_fn):
        raise TypeError("true_fn must be callable.")
    if not callable(false_fn):
        raise TypeError("false_fn must be callable.")
    pred = convert_to_tensor(pred)
    _check_scalar(pred, "bool", "pred")
    target = _target_graph([pred])
    with target.name_scope(name or "cond") as scope:
        op, structure = _select("If", capture_into(target, pred),
                                [("true", true_fn, "true_fn"), ("false", false_fn, "false_fn")],
                                scope, target)
    result = _rebuild(structure, op)
    return result if strict else _unpack_singleton(result)


# -- tf.case ----------------------------------------------------------------------------


def _case_index_kernel(*preds: np.ndarray, exclusive: bool, has_default: bool,
                       names: tuple) -> np.ndarray:
    values = [bool(p) for p in preds]
    chosen = [i for i, v in enumerate(values) if v]
    if exclusive and len(chosen) > 1:
        raise ValueError(f"Input error: exclusive=True: more than 1 conditions "
                         f"({', '.join(names[i] for i in chosen)}) evaluated as True: "
                         f"{values}")
    if not chosen and not has_default:
        raise ValueError(f"Input error: None of conditions evaluated as True: {values}")
    return np.array(chosen[0] if chosen else len(values), dtype=np.int32)


def _case_index_shape(inputs: list, attrs: dict) -> list:
    for t in inputs:
        _check_scalar(t, "bool", "pred")
    return [(TensorShape([]), dtypes.int32)]


define_op("CaseIndex", kernel=_case_index_kernel, shape_fn=_case_index_shape,
          doc="Index of the first true predicate (len(preds) when none), checking "
              "tf.case's exclusive/default rules.",
          view_of={})


def _case_pairs(pred_fn_pairs: Any) -> list[tuple[Tensor, Callable]]:
    if isinstance(pred_fn_pairs, dict):
        pairs = list(pred_fn_pairs.items())
    elif isinstance(pred_fn_pairs, (list, tuple)):
        pairs = list(pred_fn_pairs)
    else:
        raise TypeError("fns must be a list, tuple, or dict")
    checked = []
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError("Each entry in pred_fn_pairs must be a 2-tuple")
        pred, fn = pair
        if isinstance(pred, bool) or not hasattr(pred, "dtype") or not pred.dtype.is_bool:
            raise TypeError(f"pred must be Tensor of type bool: {pred!r}")
        if not callable(fn):
            raise TypeError(f"fn for pred {getattr(pred, 'name', pred)} must be callable.")
        checked.append((convert_to_tensor(pred), fn))
    return checked


def case(pred_fn_pairs: Any, default: Callable[[], Any] | None = None,
         exclusive: bool = False, strict: bool = False, name: str = "case") -> Any:
    """``tf.case``: runs the function of the first predicate that is true, else ``default``.

    Without ``default``, the last function runs when its predicate holds and it is an
    error (at run time) when none does. ``exclusive=True`` makes more than one true
    predicate a run-time error. Only the chosen function runs.
    """
    pairs = _case_pairs(pred_fn_pairs)
    if default is not None and not callable(default):
        raise TypeError("default must be callable.")
    if not pairs:
        if default is None:
            raise ValueError("case needs at least one (pred, fn) pair or a default")
        return default()
    preds = [p for p, _ in pairs]
    target = _target_graph(preds)
    with target.name_scope(name) as scope:
        index = apply_op("CaseIndex", [capture_into(target, p) for p in preds],
                         {"exclusive": bool(exclusive), "has_default": default is not None,
                          "names": tuple(p.name for p in preds)},
                         name="case_index").outputs[0]
        fns = [(f"branch{i}", fn, f"fn {i}") for i, (_, fn) in enumerate(pairs)]
        if default is not None:
            fns.append(("default", default, "default"))
        op, structure = _select("Case", index, fns, scope, target)
    result = _rebuild(structure, op)
    return result if strict else _unpack_singleton(result)


# ----------------------------------------------------------------------------------------
# While and its gradient
# ----------------------------------------------------------------------------------------


def _while_shape(inputs: list, attrs: dict) -> list:
    _check_scalar(inputs[0], "integer", "maximum_iterations")
    return [(ph.shape, ph.dtype) for ph in attrs["body"].explicit_inputs]


def _check_invariants(body: FuncGraph, values: Sequence[Any], iteration: int) -> None:
    for i, (ph, value) in enumerate(zip(body.explicit_inputs, values)):
        dims = ph.shape.as_tuple()
        shape = np.shape(value)
        if dims is not None and (len(shape) != len(dims) or any(
                d is not None and d != s for d, s in zip(dims, shape))):
            raise ValueError(f"loop variable {i} has shape {list(shape)} after iteration "
                             f"{iteration}, which does not match its shape invariant "
                             f"{ph.shape}")


def _run_loop(state: Any, max_iter: Any, operands: Sequence[Any], attrs: dict,
              extra: Sequence[Tensor] = (),
              record: Callable[[list, Sequence[Any]], None] | None = None) -> list:
    """Runs a While op's iterations; ``record(feed, extra_values)`` sees each one."""
    cond_f, body, n = attrs["cond"], attrs["body"], attrs["n_vars"]
    cond_map, body_map = attrs["cond_map"], attrs["body_map"]
    limit = int(max_iter) if attrs["has_max"] else None
    fetches = list(body.outputs) + list(extra)
    current = list(operands)
    count = 0
    while limit is None or count < limit:
        if not state.run_function(cond_f, [current[j] for j in cond_map])[0]:
            break
        feed = [current[j] for j in body_map]
        outs = state.run_function(body, feed, fetches)
        count += 1
        _check_invariants(body, outs[:n], count)
        if record is not None:
            record(feed, outs[n:])
        current[:n] = outs[:n]
    return current[:n]


def _while_kernel(state: Any, max_iter: np.ndarray, *operands: Any, **attrs: Any) -> Any:
    return _kernel_result(_run_loop(state, max_iter, operands, attrs), attrs["n_vars"])


def _refuse_stateful_body(op: Operation) -> None:
    """Derivatives of a While re-run its body, so the body must not draw random numbers
    or assign variables (the re-run would see other values)."""
    for inner in function_ops(op.get_attr("body")):
        if inner.op_def.stateful and inner.type not in ("Placeholder", "Unavailable"):
            raise ValueError(f"Cannot differentiate while loop {op.name}: its body contains "
                             f"the stateful op {inner.name} ({inner.type}), and the "
                             "derivative re-runs the loop")


def _while_vjp(op: Operation, *grads: Tensor | None) -> list:
    from ..autodiff.gradients import gradients, zeros_like_static
    body, n = op.get_attr("body"), op.get_attr("n_vars")
    diff = [i for i in range(n) if op.outputs[i].dtype.is_differentiable]
    given = [i for i in diff if grads[i] is not None]
    if not given or not op.get_attr("back_prop"):
        return [None] * len(op.inputs)
    _refuse_stateful_body(op)
    target = _target_graph([op.inputs[0]])
    func, seeds = _new_function(f"{body.name}_grad", target,
                                [(body.inputs[i].shape, body.inputs[i].dtype) for i in diff],
                                forward=body)
    with func.as_default():
        ext = [p for p in range(n, len(body.inputs)) if body.inputs[p].dtype.is_differentiable]
        found = gradients([body.outputs[i] for i in diff],
                          [body.inputs[i] for i in diff] + [body.inputs[p] for p in ext],
                          grad_ys=seeds)
        carried = [func.capture(g if g is not None else zeros_like_static(body.inputs[i]))
                   for g, i in zip(found, diff)]
        ext_found = [(p, g) for p, g in zip(ext, found[len(diff):]) if g is not None]
        func.outputs = carried + [func.capture(g) for _, g in ext_found]
    sources, stash, outer = [], [], []
    for source, _ in func.captures:
        p = next((p for p, ph in enumerate(body.inputs) if ph is source), None)
        if p is not None:
            sources.append((0, p))
        elif source.graph is body:
            sources.append((1, len(stash)))
            stash.append(source)
        else:
            sources.append((2, len(outer)))
            outer.append(source)
    body_map = op.get_attr("body_map")
    ext_out = tuple(body_map[p] for p, _ in ext_found)
    attrs = dict(op._attrs, grad=func, diff=tuple(diff), stash=tuple(stash),
                 grad_mask=tuple(grads[i] is not None for i in diff), sources=tuple(sources),
                 ext_out=ext_out, n_operands=len(op.inputs) - 1)
    inputs = [capture_into(target, t) for t in op.inputs] + [grads[i] for i in given] + outer
    grad_op = apply_op("WhileGrad", inputs, attrs, name=f"{op.name.rsplit('/', 1)[-1]}_grad")
    result: list = [None] * len(op.inputs)
    for pos, j in enumerate(list(diff) + list(ext_out)):
        result[1 + j] = grad_op.outputs[pos]
    return result


def _while_jvp(op: Operation, _max_iter: Any, *tangents: Tensor | None) -> list:
    from ..autodiff.forward import jvp
    from ..autodiff.gradients import zeros_like_static
    cond_f, body, n = op.get_attr("cond"), op.get_attr("body"), op.get_attr("n_vars")
    operands = list(op.inputs[1:])
    diff = [i for i in range(n) if op.outputs[i].dtype.is_differentiable]
    ext = [(j, t) for j, t in enumerate(tangents) if j >= n and t is not None]
    if all(tangents[i] is None for i in diff) and not ext:
        return [None] * n
    _refuse_stateful_body(op)

    def feed(func_map: tuple, states: Sequence[Tensor]) -> list:
        return [states[j] if j < n else operands[j] for j in func_map]

    def tangent_cond(*loop: Tensor) -> Tensor:
        return inline(cond_f, feed(op.get_attr("cond_map"), loop[:n]))[0]

    def tangent_body(*loop: Tensor) -> list:
        states, carried = loop[:n], loop[n:]
        outs = inline(body, feed(op.get_attr("body_map"), states))
        graph = get_default_graph()
        xs = [states[i] for i in diff] + [graph.capture(operands[j]) for j, _ in ext]
        found = jvp([outs[i] for i in diff], xs, list(carried) + [t for _, t in ext])
        return list(outs) + found

    start = operands[:n] + [tangents[i] if tangents[i] is not None
                            else zeros_like_static(operands[i]) for i in diff]
    invariants = [body.inputs[i].shape for i in range(n)] + [body.inputs[i].shape
                                                             for i in diff]
    max_iter = op.inputs[0] if op.get_attr("has_max") else None
    outs = _build_while(tangent_cond, tangent_body, start, invariants, max_iter,
                        back_prop=True, name=f"{op.name.rsplit('/', 1)[-1]}_jvp")
    result: list = [None] * n
    for pos, i in enumerate(diff):
        result[i] = outs[n + pos]
    return result


define_op("While", kernel=_while_kernel, shape_fn=_while_shape, vjp=_while_vjp,
          jvp=_while_jvp, uses_state=True, non_differentiable=(0,),
          none_output_grads=True,
          doc="Runs function ``body`` on the loop state while function ``cond`` holds.",
          view_of={EVERY: (EVERY,)})


def _while_grad_shape(inputs: list, attrs: dict) -> list:
    picks = list(attrs["diff"]) + list(attrs["ext_out"])
    return [(inputs[1 + j].shape, inputs[1 + j].dtype) for j in picks]


def _while_grad_kernel(state: Any, max_iter: np.ndarray, *args: Any, **attrs: Any) -> Any:
    n_operands, diff, mask = attrs["n_operands"], attrs["diff"], attrs["grad_mask"]
    operands = args[:n_operands]
    given = iter(args[n_operands:n_operands + sum(mask)])
    outer = args[n_operands + sum(mask):]
    history: list = []
    final = _run_loop(state, max_iter, operands, attrs, attrs["stash"],
                      lambda feed, extra: history.append((feed, extra)))
    carried = [next(given) if m else np.zeros_like(final[i]) for i, m in zip(diff, mask)]
    totals: list = [None] * len(attrs["ext_out"])
    for feed, extra in reversed(history):
        picks = (feed, extra, outer)
        captured = [picks[kind][i] for kind, i in attrs["sources"]]
        outs = state.run_function(attrs["grad"], carried + captured)
        carried = list(outs[:len(diff)])
        for k, value in enumerate(outs[len(diff):]):
            totals[k] = value if totals[k] is None else totals[k] + value
    ext = [t if t is not None else np.zeros_like(operands[j])
           for t, j in zip(totals, attrs["ext_out"])]
    return _kernel_result(carried + ext, len(carried) + len(ext))


define_op("WhileGrad", kernel=_while_grad_kernel, shape_fn=_while_grad_shape,
          uses_state=True,
          doc="Gradient of a While op: re-runs the loop, then its body's VJP backwards.",
          view_of={EVERY: (EVERY,)})


def _body_result(result: Any, structure: list, what: str) -> list:
    if not _is_sequence(result):
        result = [result]
    if not _same_structure(list(structure), list(result)):
        raise ValueError(f"{what} must return the same structure as loop_vars: "
                         f"expected {len(flatten(list(structure)))} tensors, got {result!r}")
    return flatten(list(result))


def _check_loop_output(var: Tensor, out: Tensor, invariant: TensorShape) -> None:
    if out.dtype != var.dtype:
        raise ValueError(f"Input tensor '{var.name}' enters the loop with dtype "
                         f"{var.dtype.name}, but has dtype {out.dtype.name} after one "
                         "iteration.")
    if not _shape_at_most(out.shape, invariant):
        raise ValueError(f"Input tensor '{var.name}' enters the loop with shape {invariant}, "
                         f"but has shape {out.shape} after one iteration. To allow the shape "
                         "to vary across iterations, use the `shape_invariants` argument of "
                         "tf.while_loop to specify a less-specific shape.")


def _shape_at_most(shape: TensorShape, invariant: TensorShape) -> bool:
    """True if ``shape`` is at least as specific as ``invariant`` and compatible with it."""
    if invariant.ndims is None:
        return True
    if shape.ndims != invariant.ndims:
        return False
    return all(b is None or a == b for a, b in zip(shape.dims, invariant.dims))


def _build_while(cond_fn: Callable[..., Any], body_fn: Callable[..., list],
                 loop_vars: list[Tensor], invariants: list[TensorShape],
                 max_iter: Tensor | None, back_prop: bool, name: str,
                 structure: list | None = None) -> list[Tensor]:
    """Traces ``cond_fn``/``body_fn`` (on flat loop variables) and builds the While op."""
    target = _target_graph(loop_vars)
    with target.name_scope(name) as scope:
        specs = [(inv, v.dtype) for inv, v in zip(invariants, loop_vars)]
        cond_f, args = _new_function(scope + "cond", target, specs)
        with cond_f.as_default():
            pred = _output_tensor(cond_f, cond_fn(*args), "cond")
        if not pred.dtype.is_bool or pred.shape.ndims not in (None, 0):
            raise TypeError(f"cond must return a boolean scalar tensor, got {pred.dtype.name} "
                            f"with shape {pred.shape}")
        cond_f.outputs = [pred]
        body, args = _new_function(scope + "body", target, specs)
        with body.as_default():
            outs = [_output_tensor(body, v, "body") for v in body_fn(*args)]
        if len(outs) != len(loop_vars):
            raise ValueError(f"body returned {len(outs)} tensors for {len(loop_vars)} loop "
                             "variables")
        for var, out, inv in zip(loop_vars, outs, invariants):
            _check_loop_output(var, out, inv)
        body.outputs = outs
        operands, (cond_map, body_map) = _bind([cond_f, body], len(loop_vars), _outer_source)
        limit = max_iter if max_iter is not None else convert_to_tensor(0, name="no_limit")
        attrs = {"cond": cond_f, "body": body, "n_vars": len(loop_vars),
                 "cond_map": cond_map, "body_map": body_map, "has_max": max_iter is not None,
                 "back_prop": bool(back_prop)}
        inputs = [capture_into(target, t) for t in [limit] + loop_vars] + operands
        op = apply_op("While", inputs, attrs, name=scope)
        _forward_control_captures(op, [cond_f, body])
    return list(op.outputs)


def _loop_invariants(flat_vars: list[Tensor], shape_invariants: Any) -> list[TensorShape]:
    if shape_invariants is None:
        return [v.shape for v in flat_vars]
    shapes = [as_shape(s) for s in flatten(shape_invariants)]
    if len(shapes) != len(flat_vars):
        raise ValueError(f"shape_invariants has {len(shapes)} shapes for {len(flat_vars)} "
                         "loop variables")
    for var, inv in zip(flat_vars, shapes):
        if not _shape_at_most(var.shape, inv):
            raise ValueError(f"The shape invariant specified for {var.name} is not compatible "
                             f"with the initial shape of the loop variable. It enters the "
                             f"loop with shape {var.shape}, but the specified shape "
                             f"invariant is {inv}.")
    return shapes


def while_loop(cond: Callable[..., Any], body: Callable[..., Any], loop_vars: Any,
               shape_invariants: Any = None, parallel_iterations: int = 10,
               back_prop: bool = True, swap_memory: bool = False, name: str | None = None,
               maximum_iterations: Any = None, return_same_structure: bool = False) -> Any:
    """``tf.while_loop``: repeats ``body`` while ``cond`` holds, on ``loop_vars``.

    ``cond`` and ``body`` take the loop variables as positional arguments; ``body``
    returns them updated, in the same structure. Each variable keeps its shape unless
    ``shape_invariants`` gives a less specific one. At most ``maximum_iterations`` run.
    Gradients flow back through the iterations (``back_prop=False`` stops them).
    Returns the final loop variables (a single tensor when there is only one, unless
    ``return_same_structure``).
    """
    if not callable(cond):
        raise TypeError("cond must be callable.")
    if not callable(body):
        raise TypeError("body must be callable.")
    if parallel_iterations < 1:
        raise TypeError("parallel_iterations must be a positive integer.")
    single = not isinstance(loop_vars, (list, tuple))
    structure = [loop_vars] if single else loop_vars
    flat_vars = [convert_to_tensor(v) for v in flatten(structure)]
    if not flat_vars:
        raise ValueError("No loop variables provided")
    invariants = _loop_invariants(flat_vars, shape_invariants)
    max_iter = None
    if maximum_iterations is not None:
        max_iter = convert_to_tensor(maximum_iterations, name="maximum_iterations")
        if max_iter.shape.ndims != 0:
            raise ValueError(f"maximum_iterations must be a scalar, saw shape: "
                             f"{max_iter.shape}")

    def flat_cond(*args: Tensor) -> Any:
        return cond(*pack_as(structure, args))

    def flat_body(*args: Tensor) -> list:
        return _body_result(body(*pack_as(structure, args)), structure, "body")

    outs = _build_while(flat_cond, flat_body, flat_vars, invariants, max_iter, back_prop,
                        name or "while")
    packed = pack_as(structure, outs)
    packed = packed[0] if single else packed
    if return_same_structure or len(outs) != 1:
        return packed
    return outs[0]


# ----------------------------------------------------------------------------------------
# BasisMap: a function run once per unit vector (Jacobians and Hessians)
# ----------------------------------------------------------------------------------------


def _basis_map_shape(inputs: list, attrs: dict) -> list:
    count = attrs["count"]
    return [(o.shape if red else TensorShape([count]).concatenate(o.shape), o.dtype)
            for o, red in zip(attrs["func"].outputs, attrs["reduce"])]


def _unit(basis: tuple, i: int) -> np.ndarray:
    shape, dtype = basis
    e = np.zeros(shape, dtype=dtype.dtype)
    e.flat[i] = 1
    return e


def _basis_map_kernel(state: Any, *args: Any, func: FuncGraph, count: int, basis: Any,
                      n_mapped: int, reduce: tuple, **unused: Any) -> Any:
    mapped, fixed = args[:n_mapped], list(args[n_mapped:])
    stacked: list[list] = [[] for _ in reduce]
    totals: list = [None] * len(reduce)
    for i in range(count):
        head = [_unit(basis, i)] if basis is not None else []
        outs = state.run_function(func, head + [m[i] for m in mapped] + fixed)
        for k, value in enumerate(outs):
            if reduce[k]:
                totals[k] = value if totals[k] is None else totals[k] + value
            else:
                stacked[k].append(value)
    results = [totals[k] if red else np.stack(stacked[k]) for k, red in enumerate(reduce)]
    return _kernel_result(results, len(results))


def _basis_map_op(func: FuncGraph, mapped: list[Tensor], fixed: list[Tensor], count: int,
                  basis: tuple | None, reduce: tuple, name: str) -> list[Tensor]:
    """A BasisMap op; ``func``'s explicit inputs are (basis,) + mapped rows + fixed, its
    captures become further fixed operands."""
    target = _target_graph(mapped + fixed)
    extra, _ = _bind([func], 0, _outer_source)
    operands = [capture_into(target, t) for t in mapped + fixed] + extra
    attrs = {"func": func, "count": int(count), "basis": basis, "n_mapped": len(mapped),
             "reduce": tuple(reduce)}
    return list(apply_op("BasisMap", operands, attrs, name=name, graph=target).outputs)


def _basis_map_derivative(op: Operation, suffix: str, extras: list[tuple[Tensor, bool]],
                          build: Callable[[list, list, list], tuple[list, list]]) -> list:
    """A BasisMap computing a derivative of BasisMap ``op``.

    Its function takes the basis, ``op``'s mapped rows and fixed inputs, and the
    ``extras`` (seeds: ``(tensor, is_row)``, mapped by rows when ``is_row``), inlines
    ``op``'s function and calls ``build(outputs, inputs, seeds)``, which returns the
    derivative tensors (None where there is none) and, for each, whether the map sums
    it over the basis (else stacks it). Returns the new op's outputs by position.
    """
    n_mapped = op.get_attr("n_mapped")
    basis = op.get_attr("basis")
    func = FuncGraph(f"{op.get_attr('func').name}_{suffix}", _target_graph(list(op.inputs)))

    def add(t: Tensor, row: bool, label: str) -> Tensor:
        return func.add_input(_row_shape(t.shape) if row else t.shape, t.dtype, label)

    with func.as_default():
        head = [func.add_input(TensorShape(basis[0]), basis[1], "basis")] if basis else []
        rows = [add(t, True, "row") for t in op.inputs[:n_mapped]]
        by_index = {i: add(t, True, "seed") for i, (t, row) in enumerate(extras) if row}
        fixed = [add(t, False, "fixed") for t in op.inputs[n_mapped:]]
        by_index.update({i: add(t, False, "seed") for i, (t, row) in enumerate(extras)
                         if not row})
        seeds = [by_index[i] for i in range(len(extras))]
        outs = inline(op.get_attr("func"), head + rows + fixed)
        results, sums = build(outs, rows + fixed, seeds)
        keep = [i for i, r in enumerate(results) if r is not None]
        func.outputs = [func.capture(results[i]) for i in keep]
    made: list = [None] * len(results)
    if keep:
        new = _basis_map_op(func, list(op.inputs[:n_mapped]) + [t for t, row in extras if row],
                            list(op.inputs[n_mapped:]) + [t for t, row in extras if not row],
                            op.get_attr("count"), basis, tuple(sums[i] for i in keep),
                            name=f"BasisMap_{suffix}")
        for pos, i in enumerate(keep):
            made[i] = new[pos]
    return made


def _basis_map_vjp(op: Operation, *grads: Tensor | None) -> list:
    from ..autodiff.gradients import gradients
    n_mapped, reduce = op.get_attr("n_mapped"), op.get_attr("reduce")
    active = _carrying(grads, op.outputs)
    if not active:
        return [None] * len(op.inputs)

    def build(outs: list, inputs: list, seeds: list) -> tuple[list, list]:
        found = gradients([outs[k] for k in active], inputs, grad_ys=seeds)
        return found, [i >= n_mapped for i in range(len(inputs))]

    return _basis_map_derivative(op, "grad", [(grads[k], not reduce[k]) for k in active],
                                 build)


def _basis_map_jvp(op: Operation, *tangents: Tensor | None) -> list:
    from ..autodiff.forward import jvp
    n_mapped, reduce = op.get_attr("n_mapped"), op.get_attr("reduce")
    moving = _carrying(tangents, op.inputs)
    if not moving:
        return [None] * len(op.outputs)

    def build(outs: list, inputs: list, seeds: list) -> tuple[list, list]:
        diff = [k for k, o in enumerate(outs) if o.dtype.is_differentiable]
        result: list = [None] * len(outs)
        for k, t in zip(diff, jvp([outs[k] for k in diff], [inputs[i] for i in moving],
                                  seeds)):
            result[k] = t
        return result, list(reduce)

    return _basis_map_derivative(op, "jvp", [(tangents[i], i < n_mapped) for i in moving],
                                 build)


define_op("BasisMap", kernel=_basis_map_kernel, shape_fn=_basis_map_shape,
          vjp=_basis_map_vjp, jvp=_basis_map_jvp, uses_state=True,
          none_output_grads=True,
          doc="Runs attr ``func`` once per unit vector of a basis (and per row of its "
              "mapped inputs), stacking or summing the results.",
          view_of={EVERY: (EVERY,)})


def basis_map(fn: Callable[[Tensor], list[Tensor]], basis_shape: TensorShape,
              dtype: dtypes.DType, graph: Graph, name: str = "basis_map") -> list[Tensor]:
    """Stacks ``fn(e)`` over every unit vector ``e`` of ``basis_shape`` (one new axis in
    front); ``fn`` is traced once into a function, so the graph does not grow with the
    number of unit vectors."""
    count = basis_shape.num_elements()
    if count is None or count < 1:
        raise ValueError(f"basis_map needs a fully defined, non-empty basis shape, got "
                         f"{basis_shape}")
    default = get_default_graph()
    target = default if is_building_function(default) else graph
    with target.name_scope(name) as scope:
        func, (unit,) = _new_function(scope + "body", target, [(basis_shape, dtype)])
        with func.as_default():
            func.outputs = [_output_tensor(func, t, name) for t in fn(unit)]
        return _basis_map_op(func, [], [], count, (tuple(basis_shape.as_list()), dtype),
                             (False,) * len(func.outputs), name=scope)

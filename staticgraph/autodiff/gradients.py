"""Reverse-mode differentiation: ``tf.gradients`` appends adjoint ops to the graph.

Adjoints are accumulated over every path (ū_i = Σ_j ū_j ∂u_j/∂u_i): ops between ``xs`` and
``ys`` are visited once each in reverse creation order (a reverse topological order), each
op's VJP rule builds the contributions to its inputs' adjoints, and a tensor with several
consumers gets its contributions summed by one ``AddN``.
"""
from __future__ import annotations

import sys
from typing import Any, Callable, Sequence

from ..core.call_site import SiteFixedAbove
from ..core.func_graph import is_building_function
from ..core.gc_pause import cyclic_gc_paused
from ..core.graph import Graph, Operation, Tensor, get_default_graph
from ..core.names import scope_stack
from ..core.registry import (REGISTERED_GRADIENTS, Role, get_gradient_function,
                             has_gradient_function)
from ..ops import math_ops
from ..ops.indexed_slices import IndexedSlices, aggregate
from ..ops.math_ops import zeros_like_static
from ..ops.framework import constant, convert_to_tensor
from .checkpointing import Recomputation
from .graph_walk import ops_between

UNCONNECTED = ("none", "zero")


def as_tensor_list(values: Any) -> list[Tensor]:
    """A tensor, Variable or sequence of them, as a list of tensors."""
    if isinstance(values, (list, tuple)):
        return [convert_to_tensor(v) for v in values]
    return [convert_to_tensor(values)]


def ones_like_static(t: Tensor) -> Tensor:
    """Ones of ``t``'s shape and dtype (a constant when the shape is known)."""
    one = constant(1, dtype=t.dtype, name="grad_ys_ones")
    return math_ops.broadcast_like(one, t)


def _carries_gradient(t: Tensor) -> bool:
    return t.dtype.is_differentiable


def _vjp_function(op: Operation) -> Callable[..., Any] | None:
    """The op's gradient rule: its ``gradient_override_map`` entry, else what
    ``tf.RegisterGradient`` registered for its type, else its definition's VJP."""
    override = op._gradient_override
    if override is not None and has_gradient_function(override):
        return get_gradient_function(override)
    registered = REGISTERED_GRADIENTS.get(op._type)  # (a live view: no call per op)
    return registered if registered is not None else op._op_def.vjp


def _normalize_grads(op: Operation, result: Any) -> list:
    if result.__class__ is list and len(result) == len(op._inputs):
        for g in result:  # a plain loop: this runs once per op differentiated
            if g is not None and g.__class__ is not Tensor:
                break
        else:
            return result  # the common case: nothing to convert
    if isinstance(result, Tensor) or result is None or hasattr(result, "_as_tensor"):
        result = [result]
    result = list(result)
    if len(result) != len(op.inputs):
        raise ValueError(f"The gradient function of {op.name} ({op.type}) returned "
                         f"{len(result)} gradients for {len(op.inputs)} inputs")
    return [g if g is None or isinstance(g, (Tensor, IndexedSlices)) else convert_to_tensor(g)
            for g in result]


def _dense_sum(contributions: list[Any]) -> Tensor:
    """The adjoint from its contributions, densified (what an op's VJP rule receives)."""
    total = aggregate(contributions)
    return total if total.__class__ is Tensor else convert_to_tensor(total)


def gradients(ys: Any, xs: Any, grad_ys: Any = None, name: str = "gradients",
              colocate_gradients_with_ops: bool = False, gate_gradients: bool = False,
              aggregation_method: Any = None, stop_gradients: Any = None,
              unconnected_gradients: str = "none",
              checkpoints: Any = None) -> list[Any]:
    """``tf.gradients``: symbolic d(sum ys)/dx for each x, appended to the graph.

    As in TF1, the gradient with respect to a tensor that is only gathered from along
    axis 0 (an embedding table) is an :class:`IndexedSlices`; ``tf.convert_to_tensor``
    densifies it, and :func:`dense_gradients` gives dense tensors throughout.

    ``grad_ys`` seeds the adjoints of ``ys`` (default ones); ``stop_gradients`` are treated
    as constants; an x that no y depends on gives None, or zeros with
    ``unconnected_gradients="zero"``. Integer and bool tensors carry no gradient.
    Gradient ops are created under the ``gradients`` name scope (``gradients_1`` next time).

    ``checkpoints`` (not in TF1) trades compute for memory: ``"sqrt"`` cuts the forward
    ops into about √N segments at single-tensor bottlenecks, a list of tensors cuts at
    those tensors; the backward pass recomputes each segment from its checkpoint instead
    of keeping its activations (see ``staticgraph.autodiff.checkpointing``).
    """
    if unconnected_gradients not in UNCONNECTED:
        raise ValueError(f"Unknown value for unconnected_gradients: {unconnected_gradients!r}")
    ys = as_tensor_list(ys)
    xs = as_tensor_list(xs)
    stops = as_tensor_list(stop_gradients) if stop_gradients is not None else []
    seeds = [None] * len(ys) if grad_ys is None else list(
        grad_ys if isinstance(grad_ys, (list, tuple)) else [grad_ys])
    if len(seeds) != len(ys):
        raise ValueError(f"Passed {len(seeds)} grad_ys for {len(ys)} ys")
    graph = building_graph(ys[0].graph)
    with graph.name_scope(name), cyclic_gc_paused():
        adjoints = _reverse_sweep(ys, xs, seeds, stops, checkpoints)
        results: list[Tensor | None] = []
        for x in xs:
            parts = adjoints.get(x)
            if parts:
                results.append(aggregate(parts))
            elif unconnected_gradients == "zero":
                results.append(zeros_like_static(x))
            else:
                results.append(None)
    return results


def dense_gradients(ys: Any, xs: Any, **kwargs: Any) -> list[Tensor | None]:
    """:func:`gradients` with every IndexedSlices densified: for the engine's own uses
    (loop and branch derivatives, Jacobians, Hessians, the gradient checker)."""
    return [None if g is None else convert_to_tensor(g) for g in gradients(ys, xs, **kwargs)]


def building_graph(graph: Graph) -> Graph:
    """Where derivative ops of ``graph``'s tensors go: the function body under
    construction if there is one (it captures ``graph``'s tensors), else ``graph``."""
    default = get_default_graph()
    return default if is_building_function(default) else graph


def _reverse_sweep(ys: list[Tensor], xs: list[Tensor], seeds: Sequence[Any],
                   stops: list[Tensor], checkpoints: Any = None) -> dict[Tensor, list[Any]]:
    """Accumulates adjoint contributions; returns ``tensor -> [contributions]``.

    Tensors key the dicts and sets here directly: they hash by identity in C, and a
    lookup compares identity before calling ``Tensor.__eq__``, which two distinct live
    tensors never reach (their hashes differ), so no ``id()`` call is needed per lookup."""
    adjoints: dict[Tensor, list[Any]] = {}
    for y, seed in zip(ys, seeds):
        if not _carries_gradient(y):
            continue
        seed = ones_like_static(y) if seed is None else convert_to_tensor(seed, dtype=y.dtype)
        adjoints.setdefault(y, []).append(seed)
    x_set = set(xs)
    graph = building_graph(ys[0].graph)
    between = ops_between(xs, ys, stops)
    # Reached from an x and carrying a gradient (each tensor's dtype is tested once here,
    # not at every reader).
    on_path = {x for x in xs if x._dtype.is_differentiable}
    on_path.update(t for op in between for t in op._outputs if t._dtype.is_differentiable)
    recompute = None if checkpoints is None else Recomputation(graph, between, ys, checkpoints)
    get = adjoints.get  # the loop below runs once per op between xs and ys
    identity = Role.IDENTITY  # a local: ``Role.X`` is a slow lookup
    outer_scope = graph._name_stack
    # Every op the rules build walks the stack to its creation site: the walk stops at
    # this frame, above which nothing moves meanwhile.
    with SiteFixedAbove(sys._getframe()):
        for op in reversed(between):
            outputs, inputs, op_def = op._outputs, op._inputs, op._op_def
            if len(outputs) == 1:  # the common case, without building a list first
                grads = get(outputs[0])
                if not grads:
                    continue
                out_grads = None
            else:
                out_grads = [get(t) for t in outputs]
                if not any(out_grads):
                    continue
            # The inputs to differentiate: on the path (which holds only tensors that carry
            # a gradient) and not declared non-differentiable.
            skip = op_def.non_differentiable
            needs = []
            i = 0
            for t in inputs:
                if t in on_path and i not in skip:
                    needs.append(i)
                i += 1
            if not needs:
                continue
            vjp = _vjp_function(op)
            if vjp is None:
                raise LookupError(f"No gradient defined for operation '{op.name}' "
                                  f"(op type: {op.type}), created at {op.traceback}")
            vjp_op = op if recompute is None else recompute.op_for_vjp(op)
            missing_ok = vjp is op_def.vjp and op_def.none_output_grads
            # ``with graph.name_scope(op.name + "_grad")``, spelled out: it runs once per op.
            graph._name_stack = scope_stack(graph, op._name + "_grad")
            try:
                add = aggregate if op_def.role is identity else _dense_sum
                if out_grads is not None:
                    summed = [add(g) if g else None if missing_ok else zeros_like_static(t)
                              for g, t in zip(out_grads, outputs)]
                elif len(grads) == 1 and grads[0].__class__ is Tensor:
                    summed = grads  # one dense contribution: the adjoint itself
                else:
                    summed = [add(grads)]
                for t in outputs:
                    if t not in x_set:
                        adjoints.pop(t, None)  # consumed: keeps the dict small
                # The rule is called from here, not through a helper: every op it builds
                # walks the stack to its creation site, one frame fewer each.
                in_grads = _normalize_grads(op, vjp(vjp_op, *summed, wanted=needs)
                                            if getattr(vjp, "reads_wanted_inputs", False)
                                            else vjp(vjp_op, *summed))
            finally:
                graph._name_stack = outer_scope
            for i in needs:
                g = in_grads[i]
                if g is not None:
                    adjoints.setdefault(inputs[i], []).append(g)
    return adjoints

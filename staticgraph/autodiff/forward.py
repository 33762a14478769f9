"""Forward-mode differentiation: ``jvp`` appends tangent ops to the graph.

Tangents are pushed through the ops between ``xs`` and ``ys`` in creation order (a
topological order), each op's JVP rule building its outputs' tangents from its inputs'
(v̇_j = Σ_i ∂v_j/∂v_i · v̇_i). A missing tangent means zero and builds no ops.
"""
from __future__ import annotations

from typing import Any

from ..core.graph import Tensor
from ..ops.framework import convert_to_tensor
from ..ops.math_ops import zeros_like_static
from .gradients import UNCONNECTED, as_tensor_list
from .graph_walk import ops_between


def jvp(ys: Any, xs: Any, tangents: Any, name: str = "jvp",
        unconnected_gradients: str = "zero") -> list[Tensor | None]:
    """Jacobian-vector products: the tangent of each y when each x moves along its tangent.

    ``xs`` and ``tangents`` are matching lists (or single tensors); returns a list with one
    tangent per y. A y that does not depend on any x gets zeros (or None with
    ``unconnected_gradients="none"``).
    """
    if unconnected_gradients not in UNCONNECTED:
        raise ValueError(f"Unknown value for unconnected_gradients: {unconnected_gradients!r}")
    ys = as_tensor_list(ys)
    xs = as_tensor_list(xs)
    tangent_list = tangents if isinstance(tangents, (list, tuple)) else [tangents]
    if len(tangent_list) != len(xs):
        raise ValueError(f"jvp got {len(tangent_list)} tangents for {len(xs)} xs")
    graph = ys[0].graph
    with graph.name_scope(name):
        known: dict[int, Tensor] = {}
        for x, t in zip(xs, tangent_list):
            if t is not None:
                t = convert_to_tensor(t, dtype=x.dtype)
                if not t.shape.is_compatible_with(x.shape):
                    raise ValueError(f"jvp: tangent of shape {t.shape} does not match "
                                     f"{x.name} of shape {x.shape}")
                known[id(x)] = t
        for op in ops_between(xs, ys):
            ins = [known.get(id(t)) if t.dtype.is_differentiable else None
                   for t in op.inputs]
            ins = [None if i in op.op_def.non_differentiable else v for i, v in enumerate(ins)]
            if all(v is None for v in ins):
                continue
            rule = op.op_def.jvp
            if rule is None:
                raise LookupError(f"No forward-mode (JVP) rule for operation '{op.name}' "
                                  f"(op type: {op.type}), created at {op.traceback}")
            with graph.name_scope(op.name + "_jvp"):
                outs = rule(op, *ins)
            for t, tangent in zip(op.outputs, outs):
                if tangent is not None and t.dtype.is_differentiable:
                    known[id(t)] = convert_to_tensor(tangent)
        results: list[Tensor | None] = []
        for y in ys:
            if id(y) in known:
                results.append(known[id(y)])
            else:
                results.append(zeros_like_static(y) if unconnected_gradients == "zero"
                               else None)
    return results

"""Hessian-vector products without forming the Hessian, and ``tf.hessians`` from them.

H v is the directional derivative of the gradient along v: one forward (tangent) sweep
over the gradient graph (forward-over-reverse, the cheapest), or, when some op on the way
has no JVP rule, the gradient of ⟨∇f, v⟩ (reverse-over-reverse, as TF1 does it).
"""
from __future__ import annotations

from typing import Any, Sequence

from ..core.graph import Tensor
from ..ops import fill_ops, math_ops, shape_ops
from ..ops.framework import convert_to_tensor
from .forward import jvp
from .gradients import as_tensor_list, building_graph, dense_gradients
from .jacobian import sweep_over_basis


def hvp_from_gradients(grads: Sequence[Tensor | None], xs: Sequence[Tensor],
                       vs: Sequence[Tensor]) -> list[Tensor | None]:
    """H v for ``grads`` (the gradient of a scalar w.r.t. ``xs``) along ``vs``; None where
    the gradient is None or does not depend on ``xs``."""
    present = [(i, g) for i, g in enumerate(grads) if g is not None]
    result: list[Tensor | None] = [None] * len(xs)
    if not present:
        return result
    try:
        tangents = jvp([g for _, g in present], list(xs), list(vs),
                       unconnected_gradients="none")
    except LookupError as missing:  # an op without a JVP rule: differentiate <grad, v>
        products = [math_ops.multiply(g, vs[i]) for i, g in present]
        found = dense_gradients(products, list(xs), stop_gradients=list(vs))
        # The op lacking a JVP lies between x and the gradient, so the gradient depends
        # on x: None here means reverse mode could not follow that path either (inside
        # a traced function the gradient is a captured value), never a zero Hessian.
        if any(found[i] is None for i, _ in present):
            raise missing
        return found
    for (i, _), t in zip(present, tangents):
        result[i] = t
    return result


def hessian_vector_product(ys: Any, xs: Any, vs: Any) -> list[Tensor | None]:
    """H v for the Hessian H of sum(ys) w.r.t. ``xs`` (TF1's internal
    ``_hessian_vector_product(ys, xs, v)``): lists of xs and matching vs in, a list out
    (None for an x the gradient does not reach)."""
    xs = as_tensor_list(xs)
    vs = list(vs) if isinstance(vs, (list, tuple)) else [vs]
    if len(vs) != len(xs):
        raise ValueError("xs and v must have the same length.")
    vs = [convert_to_tensor(v, dtype=x.dtype) for v, x in zip(vs, xs)]
    for v, x in zip(vs, xs):
        if not v.shape.is_compatible_with(x.shape):
            raise ValueError(f"hessian_vector_product: v of shape {v.shape} does not match "
                             f"{x.name} of shape {x.shape}")
    graph = building_graph(xs[0].graph)
    with graph.name_scope("hessian_vector_product"):
        return hvp_from_gradients(dense_gradients(ys, xs), xs, vs)


def hessians(ys: Any, xs: Any, name: str = "hessians",
             colocate_gradients_with_ops: bool = False, gate_gradients: bool = False,
             aggregation_method: Any = None) -> list[Tensor]:
    """``tf.hessians``: for each x, the Hessian of sum(ys) w.r.t. x (shape
    ``x.shape + x.shape``): one Hessian-vector product per unit vector, all run by one
    ``BasisMap`` op. The last three arguments are accepted for TF1 compatibility."""
    xs = as_tensor_list(xs)
    graph = building_graph(xs[0].graph)
    results = []
    with graph.name_scope(name):
        grads = dense_gradients(ys, xs)
        for x, g in zip(xs, grads):
            if not x.shape.is_fully_defined():
                raise ValueError(f"hessians needs a fully defined shape for {x.name}, "
                                 f"got {x.shape}")
            square = x.shape.as_list() * 2
            if g is None:
                results.append(fill_ops.zeros(square, dtype=x.dtype))
                continue
            columns = sweep_over_basis(
                lambda e, x=x, g=g: hvp_from_gradients([g], [x], [e])[0], x, x, graph)
            results.append(shape_ops.reshape(columns, square))
    return results

"""Full Jacobians: ``tf.jacobian(y, x)``, by tangent sweeps or by adjoint sweeps.

A Jacobian of y (m elements) w.r.t. x (n elements) costs n forward (tangent) sweeps, one
per column, or m reverse (adjoint) sweeps, one per row; ``mode="auto"`` picks the mode
with fewer sweeps (forward when n < m). The sweep is built once, as a function of its
seed, and one ``BasisMap`` op runs it for every unit seed, so the graph does not grow
with the number of sweeps.
"""
from __future__ import annotations

from typing import Any, Callable

from ..core.dtypes import DType
from ..core.graph import Graph, Tensor
from ..core.shapes import TensorShape
from ..ops import shape_ops
from ..ops.framework import convert_to_tensor
from ..ops.math_ops import zeros_like_static
from .forward import jvp
from .gradients import building_graph, dense_gradients, ones_like_static

MODES = ("auto", "forward", "reverse")

# basis_map(fn, basis_shape, dtype, graph, name) -> [Tensor]: stacks fn(e) over every
# unit tensor e; the control-flow layer (above this one) provides it as a BasisMap op.
BasisMapBuilder = Callable[[Callable[[Tensor], list], TensorShape, DType, Graph, str],
                           list]
_basis_map: list[BasisMapBuilder] = []


def register_basis_map(builder: BasisMapBuilder) -> None:
    """Installs the builder that runs a sweep once per unit vector (called by
    ``staticgraph.control_flow`` when it is imported, which ``import staticgraph``
    does); a second registration is an error."""
    if _basis_map:
        raise RuntimeError("a basis map builder is already registered")
    _basis_map.append(builder)


def sweep_over_basis(sweep: Callable[[Tensor], Tensor | None], like: Tensor,
                     out_like: Tensor, graph: Graph) -> Tensor:
    """``sweep(e)`` for every unit tensor ``e`` shaped like ``like``, stacked on a new
    leading axis; a sweep giving None (no dependence) counts as zeros like ``out_like``."""
    def run(seed: Tensor) -> Tensor:
        result = sweep(seed)
        return zeros_like_static(out_like) if result is None else result

    if like.shape.num_elements() == 1:
        single = run(ones_like_static(like))
        return shape_ops.reshape(single, [1] + out_like.shape.as_list())
    if not _basis_map:
        raise RuntimeError("Jacobians and Hessians need staticgraph.control_flow, which "
                           "registers the BasisMap op: import staticgraph first")
    return _basis_map[0](lambda e: [run(e)], like.shape, like.dtype, graph, "sweeps")[0]


def _check_operand(t: Tensor, what: str) -> None:
    if not t.shape.is_fully_defined():
        raise ValueError(f"jacobian needs a fully defined static shape for {what} "
                         f"({t.name}), got {t.shape}")
    if not t.dtype.is_floating:
        raise TypeError(f"jacobian needs floating-point tensors; {what} ({t.name}) is "
                        f"{t.dtype.name}")


def jacobian(y: Any, x: Any, mode: str = "auto", name: str = "jacobian") -> Tensor:
    """The Jacobian dy/dx as a tensor of shape ``y.shape + x.shape``.

    ``mode="forward"`` runs one tangent sweep per element of x, ``"reverse"`` one adjoint
    sweep per element of y, ``"auto"`` forward when x has fewer elements than y. Both
    shapes must be fully defined. Entries for an x that y does not depend on are zero.
    """
    if mode not in MODES:
        raise ValueError(f"jacobian mode must be one of {MODES}, got {mode!r}")
    y, x = convert_to_tensor(y), convert_to_tensor(x)
    _check_operand(y, "y")
    _check_operand(x, "x")
    m, n = y.shape.num_elements(), x.shape.num_elements()
    if mode == "auto":
        mode = "forward" if n < m else "reverse"
    graph = building_graph(y.graph)
    full_shape = y.shape.as_list() + x.shape.as_list()
    with graph.name_scope(name):
        if mode == "reverse":
            rows = sweep_over_basis(lambda seed: dense_gradients(y, x, grad_ys=seed)[0], y, x,
                                    graph)
            return shape_ops.reshape(rows, full_shape)
        columns = sweep_over_basis(lambda tangent: jvp(y, x, tangent)[0], x, y, graph)
        matrix = shape_ops.transpose(shape_ops.reshape(columns, [n, m]))
        return shape_ops.reshape(matrix, full_shape)

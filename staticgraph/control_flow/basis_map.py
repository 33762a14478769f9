"""``BasisMap``: a function run once per unit vector of a basis (Jacobians, Hessians).

The function is traced once, so the graph does not grow with the number of unit
vectors. Its VJP and JVP are BasisMaps over functions that inline the mapped function
and differentiate it. Importing this module gives ``staticgraph.autodiff`` its basis
map (:func:`staticgraph.autodiff.jacobian.register_basis_map`).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..autodiff.forward import jvp
from ..autodiff.gradients import dense_gradients
from ..autodiff.jacobian import register_basis_map
from ..core import dtypes
from ..core.func_graph import FuncGraph, capture_into, inline, is_building_function
from ..core.graph import Graph, Operation, Tensor, get_default_graph
from ..core.registry import define_op
from ..core.shapes import TensorShape
from ..ops.framework import apply_op
from .capture import (FUNCTIONAL_OP_FLAGS, bind, carrying, kernel_result, new_function,
                      outer_source, output_tensor, row_shape, target_graph)


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
    return kernel_result(results, len(results))


def _basis_map_op(func: FuncGraph, mapped: list[Tensor], fixed: list[Tensor], count: int,
                  basis: tuple | None, reduce: tuple, name: str) -> list[Tensor]:
    """A BasisMap op; ``func``'s explicit inputs are (basis,) + mapped rows + fixed, its
    captures become further fixed operands."""
    target = target_graph(mapped + fixed)
    extra, _ = bind([func], 0, outer_source)
    operands = [capture_into(target, t) for t in mapped + fixed] + extra
    attrs = {"func": func, "count": int(count), "basis": basis, "n_mapped": len(mapped),
             "reduce": tuple(reduce), "num_results": len(reduce)}
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
    func = FuncGraph(f"{op.get_attr('func').name}_{suffix}", target_graph(list(op.inputs)))

    def add(t: Tensor, row: bool, label: str) -> Tensor:
        return func.add_input(row_shape(t.shape) if row else t.shape, t.dtype, label)

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
    n_mapped, reduce = op.get_attr("n_mapped"), op.get_attr("reduce")
    active = carrying(grads, op.outputs)
    if not active:
        return [None] * len(op.inputs)

    def build(outs: list, inputs: list, seeds: list) -> tuple[list, list]:
        found = dense_gradients([outs[k] for k in active], inputs, grad_ys=seeds)
        return found, [i >= n_mapped for i in range(len(inputs))]

    return _basis_map_derivative(op, "grad", [(grads[k], not reduce[k]) for k in active],
                                 build)


def _basis_map_jvp(op: Operation, *tangents: Tensor | None) -> list:
    n_mapped, reduce = op.get_attr("n_mapped"), op.get_attr("reduce")
    moving = carrying(tangents, op.inputs)
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
          vjp=_basis_map_vjp, jvp=_basis_map_jvp, **FUNCTIONAL_OP_FLAGS,
          doc="Runs attr ``func`` once per unit vector of a basis (and per row of its "
              "mapped inputs), stacking or summing the results.")


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
        func, (unit,) = new_function(scope + "body", target, [(basis_shape, dtype)])
        with func.as_default():
            func.outputs = [output_tensor(func, t, name) for t in fn(unit)]
        return _basis_map_op(func, [], [], count, (tuple(basis_shape.as_list()), dtype),
                             (False,) * len(func.outputs), name=scope)


register_basis_map(basis_map)

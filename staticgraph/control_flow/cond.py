"""``tf.cond`` and ``tf.case``: each branch is traced once into a function graph and one
``If``/``Case`` op (see :mod:`.branch_ops`) runs only the branch chosen."""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..core import dtypes
from ..core.func_graph import FuncGraph, capture_into
from ..core.graph import Graph, Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from ..ops.framework import apply_op, convert_to_tensor
from .branch_ops import branch_op
from .capture import check_scalar, new_function, outer_source, output_tensor, target_graph
from .nest import flatten, pack_as, same_structure

__all__ = ["cond", "case"]


def _trace_branch(name: str, fn: Callable[[], Any], target: Graph,
                  what: str) -> tuple[FuncGraph, Any, list[Tensor]]:
    """Traces a zero-argument branch function; returns the graph, its raw result and
    the flattened outputs (not yet set as the graph's outputs)."""
    func, _ = new_function(name, target)
    with func.as_default():
        result = fn()
    if result is None:
        raise ValueError(f"{what} must have a return value.")
    return func, result, [output_tensor(func, v, what) for v in flatten(result)]


def _unpack_singleton(value: Any) -> Any:
    if isinstance(value, (list, tuple)) and len(value) == 1:
        return value[0]
    return value


def _rebuild(structure: Any, op: Operation) -> Any:
    """``op``'s results packed as ``structure``; Operation leaves give ``op`` itself."""
    leaves = [op if isinstance(leaf, Operation) else out
              for leaf, out in zip(flatten(structure), op.outputs)]
    return pack_as(structure, leaves)


def _select(op_type: str, selector: Tensor, fns: Sequence[tuple[str, Callable, str]],
            scope: str, target: Graph) -> tuple[Operation, Any]:
    """Traces each ``(label, fn, what)`` branch and builds the If/Case op choosing one."""
    traced = [_trace_branch(scope + label, fn, target, what) for label, fn, what in fns]
    first, first_outs = traced[0][1], traced[0][2]
    for (_, _, what), (_, result, outs) in zip(fns[1:], traced[1:]):
        if not same_structure(first, result):
            raise ValueError(f"Incompatible return values of {fns[0][2]} and {what}: "
                             f"{first!r} vs {result!r}")
        for a, b in zip(first_outs, outs):
            if a.dtype != b.dtype:
                raise ValueError(f"Outputs of {fns[0][2]} and {what} must have the same "
                                 f"type: {a.dtype.name}, {b.dtype.name}")
    for func, _, outs in traced:
        func.outputs = outs
    op = branch_op(op_type, selector, [t[0] for t in traced], outer_source, name=scope)
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
    check_scalar(pred, "bool", "pred")
    target = target_graph([pred])
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
        check_scalar(t, "bool", "pred")
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
    target = target_graph(preds)
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

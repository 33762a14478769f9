"""Constant folding: a pure op whose inputs are all constants runs once, at compile time.

Its outputs become read-only Const nodes. Ops that read only their inputs' static shapes
(declared ``shape_only``: ``Shape``, ``Size``, ``Rank``) fold whenever those shapes are
fully known, so the shape arithmetic of gradient graphs disappears. A result is kept only
when it stores at most :data:`LIMIT` elements: broadcasts (``ones_like`` of a known
shape) are cheap read-only views whatever their size, other large results stay run-time
computations.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ...core.registry import Role
from ..ir import Node, Program, const_node, const_value

LIMIT = 1_000_000
# Role members as globals: reading ``Role.X`` costs ~0.1 µs (an enum class attribute
# lookup), which the per-node loops below would pay on every node of a large plan.
_CONSTANT = Role.CONSTANT


def constant_folding(program: Program) -> int:
    """Replaces pure ops over constants with their values; returns how many were folded."""
    return program.sweep(_fold)


def stored_elements(value: np.ndarray) -> int:
    """Elements a (possibly broadcast) array really stores: dims with stride 0 count once."""
    return int(np.prod([n for n, s in zip(value.shape, value.strides) if s != 0],
                       dtype=np.int64))


def _fold(node: Node) -> list | None:
    if not node.pure or node.role is _CONSTANT or not node.specs:
        return None
    inputs = node.inputs
    if inputs and inputs[0][0].role is not _CONSTANT and not node.opdef.shape_only:
        return None  # the common case, decided without a call
    values = _input_values(node)
    if values is None:
        return None
    results = _evaluate(node, values)
    if results is None:
        return None
    return [(const_node(r, node, i), 0) for i, r in enumerate(results)]


def _input_values(node: Node) -> list | None:
    values = []
    shape_only = node.opdef.shape_only
    for src, i in node.inputs:
        if src.role is not _CONSTANT and not shape_only:
            return None  # the common case, decided before any other work
        value = const_value((src, i))
        if value is None and shape_only:
            value = _shape_stand_in(src, i)
        if value is None:
            return None
        values.append(value)
    return values


def _shape_stand_in(src: Node, index: int) -> np.ndarray | None:
    """A zero-strided array with the value's static shape (no memory), or None."""
    shape, dtype = src.specs[index]
    if not shape.is_fully_defined():
        return None
    return np.broadcast_to(np.zeros((), dtype.dtype), tuple(shape.as_list()))


def _evaluate(node: Node, values: list) -> list | None:
    """The node's outputs, or None when folding must not happen."""
    large = any(n is not None and n > LIMIT for n in (s[0].num_elements() for s in node.specs))
    if large and node.opdef.elementwise and all(v.size and stored_elements(v) == 1
                                                for v in values):
        return _evaluate_uniform(node, values)
    if large and node.role is not Role.BROADCAST:
        return None
    outputs = _call(node, values)
    if outputs is None or any(stored_elements(o) > LIMIT for o in outputs):
        return None
    return outputs


def _evaluate_uniform(node: Node, values: list) -> list | None:
    """An elementwise op over constants that each repeat one element: compute it once,
    then broadcast the result to the static output shape."""
    shape = node.specs[0][0]
    if not shape.is_fully_defined():
        return None
    firsts = [np.asarray(v[(0,) * v.ndim]) for v in values]
    outputs = _call(node, firsts)
    if outputs is None:
        return None
    return [np.broadcast_to(o, tuple(shape.as_list())) for o in outputs]


def _call(node: Node, values: list) -> list | None:
    """Runs the kernel quietly; None when it fails (the run then reports the error)."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result: Any = node.opdef.kernel(*values, **node.attrs)
    except Exception:  # the run will raise it with the op's name and the user's line
        return None
    results = list(result) if node.num_outputs != 1 else [result]
    arrays = [np.asarray(r) for r in results]
    if len(arrays) != node.num_outputs or any(
            a.dtype != spec[1].dtype for a, spec in zip(arrays, node.specs)):
        return None
    return arrays

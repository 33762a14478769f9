"""Algebraic simplification that is exact in IEEE arithmetic.

Rewrites ``x*1``, ``x/1``, ``x-0``, ``x+(-0.0)`` (and ``x+0`` for integers: for floats
``-0.0 + 0.0`` is ``+0.0``, so that one is not exact), ``-(-x)``, pass-through ops
(identity, stop_gradient, an unfed placeholder_with_default, cast to the same dtype,
``AddN`` of one input, a broadcast or sum to the shape the value already has) and
reshape/transpose/squeeze chains. ``x*0`` is never rewritten (NaN and inf). ``AddN`` of
several inputs becomes the same left-to-right chain of additions.

A rewrite never changes the output's dtype or shape: a constant operand is dropped only
when broadcasting against it provably leaves the other operand's shape unchanged. Rules
match the role an op declares (``OpDef.role``), never its type name.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from ...core.shapes import TensorShape
from ...core.registry import Role, op_for
from ..ir import Node, Program, Value, const_value

Rule = Callable[[Node], "Value | None"]
# Role members as globals: reading ``Role.X`` costs ~0.1 µs (an enum class attribute
# lookup), which the per-node loops below would pay on every node of a large plan.
_CONSTANT = Role.CONSTANT


def simplify(program: Program) -> int:
    """Applies the rewrite rules in one forward sweep; returns how many nodes it rewrote."""
    lazy_reads = program.writes_state

    def visit(node: Node) -> list | None:
        rule = RULES.get(node.role)
        if rule is None or not node.pure or len(node.specs) != 1:
            return None
        value = rule(node)
        if value is None:
            return None
        dtype = value[0].specs[value[1]][1]
        if dtype is not node.specs[0][1] and dtype != node.specs[0][1]:
            return None
        # A variable is read where its reader runs: moving the read could let it see
        # an assignment made in between.
        if lazy_reads and value[0].role is Role.VARIABLE:
            return None
        return [value]

    rewritten = program.sweep(visit)
    return rewritten


# -- helpers ---------------------------------------------------------------------------


def _absorbed(constant: np.ndarray, shape: TensorShape) -> bool:
    """True when broadcasting a value of ``shape`` with ``constant`` keeps ``shape``."""
    if constant.ndim == 0:  # the common case: a scalar broadcasts to anything
        return True
    if shape.ndims is None:
        return False
    dims = shape.as_list()
    if constant.ndim > len(dims):
        return False
    return all(c == 1 or c == d for c, d in zip(reversed(constant.shape), reversed(dims)))


def _neutral_operand(node: Node, side: int, is_neutral: Callable[[np.ndarray], bool]
                     ) -> Value | None:
    """The other operand when input ``side`` is a constant for which ``op(x, c) == x``."""
    constant = node.inputs[side]
    if constant[0].role is not _CONSTANT:
        return None  # the common case, decided before any other work
    c = const_value(constant)
    if c is None or not c.size:
        return None
    other_src, other_index = other = node.inputs[1 - side]
    if not _absorbed(c, other_src.specs[other_index][0]):
        return None
    return other if is_neutral(c) else None


def _number(c: np.ndarray) -> bool | int | float | complex | None:
    """The one number a one-element numeric array holds (None for other arrays): testing
    it is exact and much cheaper than a NumPy reduction over one element."""
    return c.item() if c.size == 1 and c.dtype.kind in "biufc" else None


def _all_equal(c: np.ndarray, target: int) -> bool:
    number = _number(c)
    return number == target if number is not None else bool(np.all(c == target))


def _is_one(c: np.ndarray) -> bool:
    return _all_equal(c, 1)


def _is_zero_signed(c: np.ndarray, negative: bool) -> bool:
    """c is 0 for integers; for floats, zero with the sign bit set exactly when
    ``negative``."""
    if c.dtype.kind in "iub":
        return _all_equal(c, 0)
    number = _number(c)
    if number is not None and c.dtype.kind == "f":
        return number == 0 and (math.copysign(1.0, number) < 0) == negative
    if negative:
        return bool(np.all(c == 0) and np.all(np.signbit(c)))
    return bool(np.all(c == 0) and not np.any(np.signbit(c)))


def _is_exact_zero_addend(c: np.ndarray) -> bool:
    """x + c == x for every x: c is 0 for integers, -0.0 for floats (+0.0 maps -0.0 to +0.0)."""
    return _is_zero_signed(c, negative=True)


def _is_exact_zero_subtrahend(c: np.ndarray) -> bool:
    """x - c == x for every x: c is 0 for integers, +0.0 for floats."""
    return _is_zero_signed(c, negative=False)


def _input_of(node: Node, role: Role) -> Node | None:
    """The node producing input 0 when it is a pure op of ``role``, else None."""
    src = node.inputs[0][0]
    return src if src.role is role and src.pure else None


def _same_static_shape(a: TensorShape, b: TensorShape) -> bool:
    return a.is_fully_defined() and b.is_fully_defined() and a.as_list() == b.as_list()


# -- rules -----------------------------------------------------------------------------


def _pass_through(node: Node) -> Value | None:
    return node.inputs[0]


def _multiply(node: Node) -> Value | None:
    return _neutral_operand(node, 1, _is_one) or _neutral_operand(node, 0, _is_one)


def _add(node: Node) -> Value | None:
    return (_neutral_operand(node, 1, _is_exact_zero_addend)
            or _neutral_operand(node, 0, _is_exact_zero_addend))


def _subtract(node: Node) -> Value | None:
    return _neutral_operand(node, 1, _is_exact_zero_subtrahend)


def _divide(node: Node) -> Value | None:
    return _neutral_operand(node, 1, _is_one)


def _double_negation(node: Node) -> Value | None:
    inner = _input_of(node, Role.NEG)
    return inner.inputs[0] if inner is not None else None


def _add_n(node: Node) -> Value | None:
    """AddN of one input is that input; of more, the same left-to-right sum as additions,
    which the executor can run as operators and in place."""
    value = node.inputs[0]
    add = op_for(Role.ADD)
    for operand in node.inputs[1:]:
        value = Node(add.type, add, [value, operand], {}, node.specs, node.name, node.source), 0
        value[0].origin = "AddN as additions"
    return value


def _same_dtype(node: Node) -> Value | None:
    src, i = node.inputs[0]
    return node.inputs[0] if src.specs[i][1] == node.specs[0][1] else None


def _already_shaped(node: Node) -> Value | None:
    """A broadcast, sum or reshape to the shape its input already has."""
    src, i = node.inputs[0]
    return node.inputs[0] if _same_static_shape(src.specs[i][0], node.specs[0][0]) else None


def _reshape(node: Node) -> Value | None:
    same = _already_shaped(node)
    if same is not None:
        return same
    inner = _input_of(node, Role.RESHAPE)
    if inner is None:
        return None
    # Reshaping x directly must fail exactly when the inner reshape would: true when
    # the outer shape has no -1 (same element count) or x's shape is static (checked).
    target = const_value(node.inputs[1])
    src, i = inner.inputs[0]
    if not src.specs[i][0].is_fully_defined() and (target is None or np.any(target < 0)):
        return None
    return node.derive([inner.inputs[0]] + node.inputs[1:], origin="reshape of reshape"), 0


def _transpose(node: Node) -> Value | None:
    inner = _input_of(node, Role.TRANSPOSE)
    if inner is None:
        return None
    perm = tuple(inner.attrs["perm"][p] for p in node.attrs["perm"])
    if perm == tuple(range(len(perm))):
        return inner.inputs[0]
    return node.derive(inner.inputs, {"perm": perm}, origin="transpose of transpose"), 0


def _squeeze(node: Node) -> Value | None:
    """Squeezing exactly the axis an ExpandDims inserted gives back its input."""
    inner = _input_of(node, Role.EXPAND_DIMS)
    if inner is None or inner.specs[0][0].ndims is None:
        return None
    rank = inner.specs[0][0].ndims
    axes = {a % rank for a in node.attrs["squeeze_dims"]}
    return inner.inputs[0] if axes == {inner.attrs["axis"] % rank} else None


def _expand_dims(node: Node) -> Value | None:
    """Re-inserting the one axis a Squeeze removed gives back its input, when that axis
    is statically 1 (else the squeeze must still fail at run time)."""
    inner = _input_of(node, Role.SQUEEZE)
    rank = node.specs[0][0].ndims
    if inner is None or rank is None or len(inner.attrs["squeeze_dims"]) != 1:
        return None
    src, i = inner.inputs[0]
    removed = inner.attrs["squeeze_dims"][0] % rank
    if node.attrs["axis"] % rank != removed or src.specs[i][0].as_list()[removed] != 1:
        return None
    return inner.inputs[0]


RULES: dict[Role, Rule] = {
    Role.IDENTITY: _pass_through,  # a fed placeholder_with_default is a feed, not this node
    Role.MUL: _multiply,
    Role.ADD: _add,
    Role.SUB: _subtract,
    Role.DIV: _divide,
    Role.NEG: _double_negation,
    Role.ADD_N: _add_n,
    Role.CAST: _same_dtype,
    Role.BROADCAST: _already_shaped,
    Role.SUM_TO_SHAPE: _already_shaped,
    Role.RESHAPE: _reshape,
    Role.TRANSPOSE: _transpose,
    Role.SQUEEZE: _squeeze,
    Role.EXPAND_DIMS: _expand_dims,
}

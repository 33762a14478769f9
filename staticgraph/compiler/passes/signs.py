"""Sign propagation: negations that a later op can absorb are removed, exactly.

Reverse-mode gradients are full of signs: the adjoint of ``-sum(...)`` is a constant −1,
the derivative of ``1 - p`` with respect to ``p`` is a negation, and products carry them
along. In IEEE arithmetic negation is exact and rounding is symmetric, so

    (−a)·b = −(a·b)    (−a)/b = a/(−b) = −(a/b)    (−1)·x = −x
    u + (−v) = u − v   (−u) + v = v − u            u − (−v) = u + v    −(−x) = x

hold bit for bit (signed zeros, infinities and NaNs included). The pass looks through a
value's chain of negations, products and quotients to find its sign; a ``Neg``, ``Add``
or ``Sub`` consuming a negative value absorbs the sign, and the chain is rebuilt without
its negations. A rewrite never adds an op: each rebuilt product replaces the negation
it drops, and nodes other ops still read stay as they are.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ...core.registry import OpDef, Role, op_for
from ..ir import Node, Program, Value, const_value

# How far down a chain of products to look for a sign (keeps the pass linear).
_DEPTH = 6
_PRODUCTS = (Role.MUL, Role.DIV)  # products and quotients carry signs along


class Signed(NamedTuple):
    """A value written as ``−magnitude`` (negative) or ``+magnitude``."""

    magnitude: Value
    negative: bool


def propagate_signs(program: Program) -> int:
    """Absorbs negations into the ops that consume them; returns how many it rewrote."""
    constant, neg = Role.CONSTANT, Role.NEG  # locals: ``Role.X`` is a slow lookup
    minus_ones = {node for node in program.nodes
                  if node.role is constant and _all_minus_one(node)}
    if not minus_ones and not any(node.role is neg for node in program.nodes):
        return 0  # no sign to take out: skip counting readers and visiting every node
    signs = _Signs(program, minus_ones)

    def visit(node: Node) -> list | None:
        rule = _RULES.get(node.role)
        if rule is None or not _rewritable(node):
            return None
        value = rule(signs, node)
        return None if value is None else [value]

    return program.sweep(visit)


def _rewritable(node: Node) -> bool:
    return node.pure and len(node.specs) == 1 and node.specs[0][1].is_floating


def _all_minus_one(node: Node) -> bool:
    """Whether a Const node holds −1 in every element (tested cheaply for one element)."""
    c = const_value((node, 0))
    if c is None or not c.size:
        return False
    return c.flat[0] == -1 if c.size == 1 else bool(np.all(c == -1))


class _Signs:
    """Finds the sign of a value; knows who reads what, so it only rebuilds products
    that die with the rewrite (a product someone else reads would be computed twice)."""

    def __init__(self, program: Program, minus_ones: set[Node]) -> None:
        self.readers = program.reader_counts()
        self.minus_ones = minus_ones  # Const nodes holding −1 everywhere
        # A variable is read where its reader runs; when the run assigns variables,
        # moving the reader could let it see an assignment made in between.
        self.guard_reads = program.writes_state

    def movable(self, value: Value) -> bool:
        return not (self.guard_reads and value[0].role is Role.VARIABLE)

    def of(self, value: Value, depth: int = _DEPTH) -> Signed | None:
        """``value`` as ±magnitude with its negations taken out; None when it has none.

        The magnitude is a new node when the negation sat inside a product or quotient."""
        node = value[0]
        if depth == 0 or not _rewritable(node):
            return None
        role = node.role
        if role is Role.NEG:
            return self._flipped(node.inputs[0], depth)
        if role is Role.MUL:
            other = self.minus_one_factor(node)
            if other is not None:
                return self._flipped(other, depth)
        if role in _PRODUCTS and self.readers.get(node) == 1:
            parts = [self.of(v, depth - 1) for v in node.inputs]
            if parts[0] is None and parts[1] is None:
                return None
            operands = [v if p is None else p.magnitude for v, p in zip(node.inputs, parts)]
            negative = sum(p is not None and p.negative for p in parts) % 2 == 1
            return Signed(_binary(node.opdef, operands, node, "sign taken out"), negative)
        return None

    def _flipped(self, inner: Value, depth: int) -> Signed | None:
        """The sign of −inner."""
        if not self.movable(inner):
            return None
        deeper = self.of(inner, depth - 1)
        if deeper is None:
            return Signed(inner, True)
        return Signed(deeper.magnitude, not deeper.negative)

    def minus_one_factor(self, node: Node) -> Value | None:
        """For ``(−1)·x`` or ``x·(−1)``, −1 a constant that does not broadcast x: x."""
        for side in (0, 1):
            constant = node.inputs[side]
            other = node.inputs[1 - side]
            if constant[0] in self.minus_ones and \
                    _keeps_shape(const_value(constant), other, node):
                return other
        return None


def _keeps_shape(constant: np.ndarray, other: Value, node: Node) -> bool:
    shape, out = other[0].specs[other[1]][0], node.specs[0][0]
    if not (shape.is_fully_defined() and out.is_fully_defined()):
        return False
    dims = tuple(shape.as_list())
    return dims == tuple(out.as_list()) and np.broadcast_shapes(constant.shape, dims) == dims


def _binary(opdef: OpDef, operands: list, like: Node, origin: str) -> Value:
    node = Node(opdef.type, opdef, list(operands), {}, like.specs, like.name, like.source)
    node.origin = origin
    return node, 0


def _negation(signs: _Signs, node: Node) -> Value | None:
    """−(−x) = x, also when the inner sign sits in a product: −((−a)·b) = a·b."""
    inner = signs.of(node.inputs[0])
    if inner is None:
        return None
    if inner.negative:
        return inner.magnitude
    # An even number of signs inside: the magnitude (without them) is negated once.
    return node.derive([inner.magnitude], origin="signs cancelled"), 0


def _addition(signs: _Signs, node: Node) -> Value | None:
    """u + (−v) = u − v and (−u) + v = v − u."""
    u, v = node.inputs
    right = signs.of(v)
    if right is not None and right.negative:
        return _binary(op_for(Role.SUB), [u, right.magnitude], node, "sign absorbed")
    left = signs.of(u)
    if left is not None and left.negative:
        return _binary(op_for(Role.SUB), [v, left.magnitude], node, "sign absorbed")
    return None


def _subtraction(signs: _Signs, node: Node) -> Value | None:
    """u − (−v) = u + v."""
    u, v = node.inputs
    right = signs.of(v)
    if right is not None and right.negative:
        return _binary(op_for(Role.ADD), [u, right.magnitude], node, "sign absorbed")
    return None


def _product(signs: _Signs, node: Node) -> Value | None:
    """(−a)·(−b) = a·b and (−a)/(−b) = a/b: both signs dropped together."""
    parts = [signs.of(v) for v in node.inputs]
    if any(p is None or not p.negative for p in parts):
        return None
    return _binary(node.opdef, [p.magnitude for p in parts], node, "signs cancelled")


_RULES = {Role.NEG: _negation, Role.SUB: _subtraction, Role.MUL: _product,
          Role.ADD: _addition, Role.DIV: _product}

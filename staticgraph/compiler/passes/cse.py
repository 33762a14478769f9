"""Common-subexpression elimination: same op type, same inputs, same attributes → one op.

Only pure ops are merged (never stateful, random or state-reading ones, nor ops with
control inputs). The inputs of an op are compared as a set only for the input dtypes for
which the op declares every order bit-identical (``OpDef.commutes_for``: integer
addition, never float addition, whose NaN payload is the first operand's, nor float
maximum, which returns its second operand on a tie of -0.0 and 0.0). Attributes compare
with :func:`~staticgraph.compiler.ir.freeze` (arrays by bytes, floats by bits), so two
constants merge only when they are bit-for-bit the same array.
"""
from __future__ import annotations

from ...core.registry import Role
from ..ir import Node, Program, freeze


def cse(program: Program) -> int:
    """Merges duplicate computations into their first occurrence; returns how many."""
    seen: dict[tuple, Node] = {}
    # A variable is read where each reader runs, so two readers of the same variable
    # may see different values when the plan assigns in between: keep them apart.
    lazy_reads = program.writes_state

    def visit(node: Node) -> list | None:
        if not node.pure or not node.specs:
            return None
        if lazy_reads and any(s.role is Role.VARIABLE for s, _ in node.inputs):
            return None
        try:
            key = _key(node)
        except TypeError:  # an attribute that cannot be compared safely
            return None
        first = seen.setdefault(key, node)
        if first is node:
            return None
        first.origin = first.origin or "merged"
        return [(first, i) for i in range(len(node.specs))]

    merged = program.sweep(visit)
    return merged


def _key(node: Node) -> tuple:
    inputs = node.inputs
    if node.opdef.commutes_for and _commutes(node):
        if len(inputs) == 2:  # the common case, without sorting
            a, b = inputs
            if a[0] is b[0] and a[1] > b[1] or id(a[0]) > id(b[0]):
                inputs = (b, a)
        else:
            inputs = sorted(inputs, key=_order)
    return (node.type, *inputs, freeze(node.attrs) if node.attrs else ())


def _commutes(node: Node) -> bool:
    """Whether every order of the node's inputs gives the same bits for their dtype."""
    src, i = node.inputs[0]
    return src.specs[i][1].dtype.kind in node.opdef.commutes_for


def _order(value: tuple) -> tuple:
    return id(value[0]), value[1]

"""For passes that replace a chain of nodes by one node standing where the chain's last
node stood: a variable is read where its reader runs, so the new node may read a
variable only if no assignment ran between the chain's first node and its last."""
from __future__ import annotations

from typing import Iterable

from ...core.registry import Role
from ..ir import Node, Value


class AssignmentCounter:
    """Counts, during a sweep, the nodes that may change session state before each node
    (call :meth:`visit` on every node in order)."""

    def __init__(self) -> None:
        self.count = 0
        self.before: dict[Node, int] = {}

    def visit(self, node: Node) -> None:
        """Records ``node``'s position among the assignments."""
        self.before[node] = self.count
        if node.opdef is not None and node.opdef.uses_state and node.role is not Role.VARIABLE:
            self.count += 1

    def reads_may_move(self, first: Node, inputs: Iterable[Value]) -> bool:
        """Whether ``inputs``, read by ``first``, may be read where the node being visited
        now stands: none is a variable, or nothing was assigned in between."""
        return self.before[first] == self.count or \
            not any(src.role is Role.VARIABLE for src, _ in inputs)

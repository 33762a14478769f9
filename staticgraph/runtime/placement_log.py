"""``ConfigProto(log_device_placement=True)``: the placement lines TF1 prints.

TF1 prints ``Device mapping: ...`` when the session starts, and places the whole graph
when a run first needs it (again for the ops added since, after the graph grew), printing
``<op name>: (<op type>): <device>`` per op on standard error. Every op runs on the one
CPU here, so every line names it.
"""
from __future__ import annotations

import sys

from ..core.graph import Graph

CPU_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"


class PlacementLog:
    """Prints each op's placement once per session, in creation order."""

    def __init__(self) -> None:
        self._placed = 0  # ops of the graph printed so far
        print("Device mapping: no known devices.", file=sys.stderr)

    def place(self, graph: Graph) -> None:
        """Prints the ops of ``graph`` created since the last call."""
        ops = graph.get_operations()[self._placed:]
        self._placed += len(ops)
        if ops:
            print("\n".join(f"{op.name}: ({op.type}): {CPU_DEVICE}" for op in ops),
                  file=sys.stderr)

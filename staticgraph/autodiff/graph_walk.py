"""Which ops lie between some tensors and others: the region a derivative sweep visits."""
from __future__ import annotations

from operator import attrgetter
from typing import Iterable

from ..core.graph import Operation, Tensor

_creation_order = attrgetter("creation_index")


def ops_between(sources: Iterable[Tensor], targets: Iterable[Tensor],
                stop: Iterable[Tensor] = ()) -> list[Operation]:
    """Ops on some path from a source tensor to a target tensor, in creation order.

    A path never passes through a tensor in ``stop``. Iterative and linear in the number of
    ops visited, so very deep graphs work.
    """
    stop_ids = {id(t) for t in stop}
    reached = _ids_of_ops_reached(sources, stop_ids)
    between: dict[int, Operation] = {}
    frontier = [t.op for t in targets if id(t.op) in reached]
    while frontier:
        op = frontier.pop()
        if id(op) in between:
            continue
        between[id(op)] = op
        for t in op.inputs:
            if id(t.op) in reached and id(t) not in stop_ids:
                frontier.append(t.op)
    return sorted(between.values(), key=_creation_order)


def _ids_of_ops_reached(sources: Iterable[Tensor], stop_ids: set[int]) -> set[int]:
    """ids of the ops that consume a source, directly or not, avoiding ``stop_ids``."""
    reached: set[int] = set()
    frontier = [op for t in sources if id(t) not in stop_ids for op in t.consumers()]
    while frontier:
        op = frontier.pop()
        if id(op) in reached:
            continue
        reached.add(id(op))
        for out in op.outputs:
            if id(out) not in stop_ids:
                frontier.extend(out.consumers())
    return reached

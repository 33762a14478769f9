"""Which ops lie between some tensors and others: the region a derivative sweep visits."""
from __future__ import annotations

from operator import attrgetter
from typing import Iterable

from ..core.graph import Operation, Tensor

_creation_order = attrgetter("_id")


def ops_between(sources: Iterable[Tensor], targets: Iterable[Tensor],
                stop: Iterable[Tensor] = ()) -> list[Operation]:
    """Ops on some path from a source tensor to a target tensor, in creation order.

    A path never passes through a tensor in ``stop``. Iterative and linear in the number of
    ops visited, so very deep graphs work. (Ops hash by identity, so sets hold them
    directly; tensors are tested by ``id`` since ``Tensor.__eq__`` is Python code.)
    """
    stop_ids = {id(t) for t in stop}
    reached = _ops_reached(sources, stop_ids)
    between: set[Operation] = set()
    frontier = [t._op for t in targets if t._op in reached]
    while frontier:
        op = frontier.pop()
        if op in between:
            continue
        between.add(op)
        for t in op._inputs:
            if t._op in reached and (not stop_ids or id(t) not in stop_ids):
                frontier.append(t._op)
    return sorted(between, key=_creation_order)


def _ops_reached(sources: Iterable[Tensor], stop_ids: set[int]) -> set[Operation]:
    """The ops that consume a source, directly or not, avoiding ``stop_ids``."""
    reached: set[Operation] = set()
    frontier = [op for t in sources if id(t) not in stop_ids
                for op in t._op._graph._readers_of(t)]
    while frontier:
        op = frontier.pop()
        if op in reached:
            continue
        reached.add(op)
        for out in op._outputs:
            if not stop_ids or id(out) not in stop_ids:
                frontier.extend(op._graph._readers_of(out))
    return reached

"""Which ops lie between some tensors and others: the region a derivative sweep visits."""
from __future__ import annotations

from operator import attrgetter
from typing import Iterable

from ..core.graph import Graph, Operation, Tensor

_creation_order = attrgetter("_id")


def ops_between(sources: Iterable[Tensor], targets: Iterable[Tensor],
                stop: Iterable[Tensor] = ()) -> list[Operation]:
    """Ops on some path from a source tensor to a target tensor, in creation order.

    A path never passes through a tensor in ``stop``. Two scans, linear in the ops after
    the first source, so very deep graphs work: forward over the ops a source feeds,
    then backward over those, keeping the ones that feed a target. (Ops and tensors hash
    by identity in C, so sets hold them directly; ``stop`` is tested by ``id`` as the
    callers give it.)
    """
    stop_ids = {id(t) for t in stop}
    reached = _ops_reached(sources, stop_ids)
    needed = {t._op for t in targets}
    between = []
    for op in reversed(reached):  # an op's inputs come before it: all its readers are seen
        if op in needed:
            between.append(op)
            for t in op._inputs:
                if not stop_ids or id(t) not in stop_ids:
                    needed.add(t._op)
    between.reverse()
    return between


def _ops_reached(sources: Iterable[Tensor], stop_ids: set[int]) -> list[Operation]:
    """The ops that consume a source, directly or not, avoiding ``stop_ids``, in creation
    order: one scan of each source's graph from its first source on (an op reads only
    tensors of its own graph, made before it)."""
    fed: dict[Graph, tuple[int, set[Tensor]]] = {}  # graph -> (first op to scan, live)
    for t in sources:
        if id(t) in stop_ids:
            continue
        graph = t._op._graph
        start, live = fed.get(graph, (t._op._id, set()))
        live.add(t)
        fed[graph] = (min(start, t._op._id), live)
    reached: list[Operation] = []
    for graph, (start, live) in fed.items():
        for op in graph._ops[start:]:
            for t in op._inputs:
                if t in live:
                    reached.append(op)
                    for out in op._outputs:
                        if not stop_ids or id(out) not in stop_ids:
                            live.add(out)
                    break
    if len(fed) > 1:  # (sources in several graphs: one order over them all)
        reached.sort(key=_creation_order)
    return reached

"""Training steps on partitions already in the workers' memory, through resident sessions.

When every block of a step's batch feeds is held in a worker's memory (a persisted Dask
array) and each partition's blocks sit on one worker, the step skips the task graph: each
such worker keeps a :class:`~.worker.ResidentSession` actor (its session on the imported
graph, created once per graph), and the driver calls it directly over the worker's
connection with the step's variable values, one call per worker for all its partitions.
No scheduler round trip happens per step (no scatter, no task graph, no gather through the
scheduler); the variables still live in the driver, which applies the update once.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Awaitable, Iterator

import numpy as np

from .worker import ResidentSession

# (worker address, keys of the partition's blocks, one per batch feed)
Place = tuple[str, tuple]
# Seconds between the checks, while a resident call runs, that its workers are still in
# the cluster.
_POLL_SECONDS = 0.2


class WorkerLost(ConnectionError):
    """A worker holding a resident session left the cluster during a step."""


@dataclass
class Residents:
    """One session's actors, at most one per worker, all on the graph shipped last."""

    client: Any
    _graph: Any = field(default=None, repr=False)  # the GraphDef future they were built on
    _actors: dict = field(default_factory=dict, repr=False)  # address -> actor's future
    _places: dict = field(default_factory=dict, repr=False)  # partitions' keys -> places

    def reset(self) -> None:
        """Forgets the actors (releasing them) and where the blocks were."""
        self._actors.clear()
        self._places.clear()

    def placement(self, arrays: list, sizes: list[int]) -> list[Place] | None:
        """Where every non-empty partition's blocks are, when each partition is in the
        memory of one worker; None otherwise (the step then runs as tasks)."""
        from distributed import futures_of
        blocks = [block_keys(a) for a in arrays]
        parts = tuple(tuple(keys[i] for keys in blocks) for i, n in enumerate(sizes) if n)
        if parts not in self._places:
            held = {f.key: f for a in arrays for f in futures_of(a)}
            if not all(key in held for part in parts for key in part):
                return None
            who = self.client.who_has([held[key] for part in parts for key in part])
            places = []
            for part in parts:
                common = set.intersection(*(set(who.get(key, ())) for key in part))
                if not common:
                    return None
                places.append((min(common), part))
            self._places = {parts: places}  # the feeds of one training loop
        return self._places[parts]

    def run(self, graph: Any, places: list[Place], constants: dict[str, np.ndarray],
            fetch_names: list[str], batch_names: list[str]) -> list[list[np.ndarray]]:
        """Every partition's values of ``fetch_names``, in the order of ``places``; raises
        what failed (a lost worker, a block no longer where it was, an op's error)."""
        if graph is not self._graph:
            self.reset()
            self._graph = graph
        by_worker: dict[str, list[int]] = {}
        for i, (worker, _) in enumerate(places):
            by_worker.setdefault(worker, []).append(i)
        calls = [(self._actor(worker), worker, [places[i][1] for i in indices])
                 for worker, indices in by_worker.items()]
        replies = self.client.sync(_call_all, self.client, calls, constants, fetch_names,
                                   batch_names)
        values: list = [None] * len(places)
        for indices, reply in zip(by_worker.values(), replies):
            for i, value in zip(indices, reply):
                values[i] = value
        return values

    def _actor(self, worker: str) -> Any:
        """The future of ``worker``'s actor, submitted when missing or lost (the call
        waits for it while its worker is in the cluster)."""
        future = self._actors.get(worker)
        if future is None or future.status in ("error", "cancelled", "lost"):
            future = self.client.submit(ResidentSession, self._graph, actor=True,
                                        workers=[worker], allow_other_workers=False,
                                        pure=False)
            self._actors[worker] = future
        return future


async def _call_all(client: Any, calls: list[tuple[Any, str, list]], constants: dict,
                    fetch_names: list[str], batch_names: list[str]) -> list:
    """Calls every worker's actor at once, straight over the workers' connections, while
    all those workers are in the cluster."""
    from distributed.protocol import to_serialize
    args = [to_serialize(constants), to_serialize(fetch_names), to_serialize(batch_names)]

    async def call(actor: Any, worker: str, partitions: list) -> Any:
        if actor.status != "finished":  # created on its worker by the first step
            await actor
        reply = await client.rpc(worker).actor_execute(
            actor=actor.key, function="run", args=[*args, to_serialize(partitions)],
            kwargs={})
        if reply["status"] != "OK":
            raise reply["exception"]
        return reply["result"]
    return await _while_present(client, [worker for _, worker, _ in calls],
                                [call(*c) for c in calls])


async def _while_present(client: Any, workers: list[str], calls: list[Awaitable]) -> list:
    """What ``calls`` return, run at once; the first failure is raised and the other
    calls cancelled, as they are when the scheduler no longer lists one of ``workers``
    (:class:`WorkerLost`).

    A call to an actor, or the wait for an actor pinned to its worker, would otherwise
    wait for a lost worker until its connection times out (or forever, for an actor not
    yet placed). The scheduler removes a worker when its connection breaks or its
    heartbeats stop (``distributed.scheduler.worker-ttl``), so this bounds the wait.
    """
    tasks = [asyncio.ensure_future(c) for c in calls]
    try:
        while True:
            done, pending = await asyncio.wait(tasks, timeout=_POLL_SECONDS,
                                               return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                if task.exception() is not None:
                    raise task.exception()
            if not pending:
                return [task.result() for task in tasks]
            present = await client.scheduler.ncores(workers=workers)
            lost = sorted(set(workers) - set(present))
            if lost:
                raise WorkerLost(f"Dask worker(s) {lost} left the cluster during the step")
    finally:
        for task in tasks:
            task.cancel()


def block_keys(array: Any) -> list:
    """The keys of a Dask array's blocks, in order: one per partition when the array has
    one chunk beyond axis 0."""
    return list(_flat(array.__dask_keys__()))


def _flat(keys: Any) -> Iterator[Any]:
    """Nested lists of keys, in order."""
    for item in keys:
        if isinstance(item, list):
            yield from _flat(item)
        else:
            yield item

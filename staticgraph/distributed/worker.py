"""What runs on a Dask worker: a batch partition through the shipped graph.

The graph arrives as the bytes of a TensorFlow ``GraphDef`` (parsed by protobuf, never
unpickled by this code) and is imported once per worker process, then reused for every
step; variables arrive as arrays fed to their reads. :class:`ResidentSession` is the same
session held by a Dask actor, for partitions already in the worker's memory.
"""
from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from ..core.graph import Graph
from ..io.import_graph import import_graph_def
from ..io.protos import GraphDef
from ..runtime.session import Session

# sha256 of the GraphDef bytes -> the session on its imported graph (one per worker).
_SESSIONS: dict[str, Session] = {}
# The bytes object last looked up and its session: Dask hands every step's task the same
# object it holds in worker memory, so steps after the first skip hashing megabytes.
_LAST: list = [None, None]


def session_for(graph_def: bytes) -> Session:
    """The session on the graph that ``graph_def`` serialises, imported on first use."""
    if _LAST[0] is graph_def:
        return _LAST[1]
    digest = hashlib.sha256(graph_def).hexdigest()
    session = _SESSIONS.get(digest)
    if session is None:
        proto = GraphDef()
        proto.ParseFromString(graph_def)
        graph = Graph()
        with graph.as_default():
            import_graph_def(proto, name="")
        session = _SESSIONS[digest] = Session(graph=graph)
    _LAST[:] = graph_def, session
    return session


def _run(session: Session, constants: dict[str, Any], fetch_names: list[str],
         batch_names: list[str], blocks: Any) -> list[np.ndarray]:
    feeds = dict(constants)
    feeds.update(zip(batch_names, blocks))
    return [np.asarray(v) for v in session.run(list(fetch_names), feeds)]


def run_partition(graph_def: bytes, constants: dict[str, Any], fetch_names: list[str],
                  batch_names: list[str], *blocks: np.ndarray) -> list[np.ndarray]:
    """Runs ``fetch_names`` on one partition: ``blocks`` fed to ``batch_names``,
    ``constants`` (variable values and the other feeds, by tensor name) fed as well."""
    return _run(session_for(graph_def), constants, fetch_names, batch_names, blocks)


class ResidentSession:
    """A Dask actor: the session on the imported graph, kept in one worker process, that
    runs the partitions whose blocks that worker holds in memory.

    The driver calls :meth:`run` straight over the worker's connection (no scheduler
    round trip, no task graph per step).
    """

    def __init__(self, graph_def: bytes) -> None:
        self._session = session_for(graph_def)

    def run(self, constants: dict[str, Any], fetch_names: list[str], batch_names: list[str],
            partitions: list[list[Any]]) -> list[list[np.ndarray]]:
        """``fetch_names`` of every partition; a partition is the keys of its blocks (one
        per name of ``batch_names``) in this worker's memory."""
        from distributed import get_worker
        data = get_worker().data
        return [_run(self._session, constants, fetch_names, batch_names,
                     [data[key] for key in keys]) for keys in partitions]

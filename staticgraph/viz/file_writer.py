"""``tf.summary.FileWriter``: TensorBoard event files as TF1 writes them.

``FileWriter(logdir, graph)`` writes the graph as a ``GraphDef`` event (TensorBoard's
Graphs tab draws it); ``add_summary`` writes the serialized ``Summary`` that summary ops
return (or a ``tf.Summary``) at a step. Drawing the graph with Graphviz is opt-in
(``graph_picture=True``) and bounded in time; it never runs otherwise.
"""
from __future__ import annotations

import os
import warnings
from typing import Any

from ..core.graph import Graph
from ..io.events import EventFileWriter
from ..io.files import atomic_write_bytes
from ..io.graph_def import graph_to_graph_def
from ..io.protos import Event
from .dot import GraphRenderingError, to_dot
from .summary import parse_summary

__all__ = ["FileWriter"]

PICTURE_TIMEOUT_SECS = 60.0


class FileWriter:
    """``tf.summary.FileWriter``: writes summaries and graphs into an event file in
    ``logdir``. ``graph_picture=True`` (staticgraph's) also writes ``graph.dot`` and,
    when Graphviz renders it within ``PICTURE_TIMEOUT_SECS``, ``graph.svg``."""

    def __init__(self, logdir: str, graph: Graph | None = None, max_queue: int = 10,
                 flush_secs: float = 120, graph_def: Any = None,
                 filename_suffix: str | None = None, session: Any = None, *,
                 graph_picture: bool = False) -> None:
        self._logdir = str(logdir)
        self._max_queue, self._flush_secs = max_queue, flush_secs
        self._suffix = filename_suffix or ""
        self._picture = graph_picture
        self._events = EventFileWriter(self._logdir, max_queue, flush_secs, self._suffix)
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)

    def get_logdir(self) -> str:
        """The directory written to."""
        return self._logdir

    def add_event(self, event: Event) -> None:
        """Writes one ``Event``."""
        self._events.add_event(Event.FromString(event.SerializeToString()))

    def add_graph(self, graph: Graph | None, global_step: int | None = None,
                  graph_def: Any = None) -> None:
        """Writes the graph (or ``graph_def``) for TensorBoard's Graphs tab."""
        if graph is not None:
            graph_def = graph_to_graph_def(graph, add_shapes=True)
        if graph_def is None:
            raise ValueError("add_graph needs a graph or a graph_def")
        event = Event(graph_def=graph_def.SerializeToString())
        if global_step is not None:
            event.step = int(global_step)
        self._events.add_event(event)
        if self._picture and graph is not None:
            self._write_picture(graph)

    def _write_picture(self, graph: Graph) -> None:
        dot = to_dot(graph)
        atomic_write_bytes(os.path.join(self._logdir, "graph.dot"), dot.source.encode())
        try:
            svg = dot.pipe(format="svg", timeout=PICTURE_TIMEOUT_SECS)
        except GraphRenderingError as err:
            warnings.warn(f"graph.svg not written: {err}", stacklevel=3)
        else:
            atomic_write_bytes(os.path.join(self._logdir, "graph.svg"), svg)

    def add_meta_graph(self, meta_graph_def: Any, global_step: int | None = None) -> None:
        """Writes a ``MetaGraphDef``."""
        event = Event(meta_graph_def=meta_graph_def.SerializeToString())
        if global_step is not None:
            event.step = int(global_step)
        self._events.add_event(event)

    def add_summary(self, summary: Any, global_step: int | None = None) -> None:
        """Writes a summary op's value (bytes from ``sess.run``) or a ``tf.Summary``."""
        event = Event(summary=parse_summary(summary))
        if global_step is not None:
            event.step = int(global_step)
        self._events.add_event(event)

    def add_run_metadata(self, run_metadata: Any, tag: str,
                         global_step: int | None = None) -> None:
        """Writes run metadata under ``tag`` (None records an empty one: staticgraph's
        sessions collect no step statistics)."""
        event = Event()
        event.tagged_run_metadata.tag = tag
        event.tagged_run_metadata.run_metadata = (
            b"" if run_metadata is None else run_metadata.SerializeToString())
        if global_step is not None:
            event.step = int(global_step)
        self._events.add_event(event)

    def flush(self) -> None:
        """Writes everything queued to disk."""
        self._events.flush()

    def close(self) -> None:
        """Flushes and closes the event file."""
        self._events.close()

    def reopen(self) -> None:
        """After ``close``: continues in a new event file."""
        if self._events.closed:
            self._events = EventFileWriter(self._logdir, self._max_queue, self._flush_secs,
                                           self._suffix)

    def __enter__(self) -> "FileWriter":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


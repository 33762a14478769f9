"""Installs ``Graph.as_graph_def`` and ``Session.graph_def`` (importing this module does it).

``core`` and ``runtime`` do not know about file formats (they sit below ``io``), so the
GraphDef methods TF1 users call on those classes are attached here, the way
``ops.overloads`` attaches the Tensor operators; ``staticgraph/__init__.py`` imports this
module once.
"""
from __future__ import annotations

from typing import Any

from ..core.graph import Graph
from ..runtime.session import Session
from .graph_def import graph_to_graph_def
from .protos import GraphDef

__all__ = ["as_graph_def"]


def as_graph_def(self: Graph, from_version: int | None = None,
                 add_shapes: bool = False) -> GraphDef:
    """``Graph.as_graph_def``: the graph as a TensorFlow ``GraphDef`` protocol buffer."""
    return graph_to_graph_def(self, add_shapes=add_shapes)


def _session_graph_def(self: Any) -> GraphDef:
    """``Session.graph_def``: the session's graph as a ``GraphDef``."""
    return graph_to_graph_def(self.graph)


Graph.as_graph_def = as_graph_def
Session.graph_def = property(_session_graph_def)

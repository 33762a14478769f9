"""``staticgraph.onnx.export``: the inference part of a graph as an ONNX model.

Needs the optional ``onnx`` package (``pip install staticgraph[onnx]``); see
:mod:`staticgraph.io.onnx_export` for what converts.
"""
from __future__ import annotations

from typing import Any, Sequence

from .core.default_session import get_default_session
from .core.graph import Tensor
from .io.onnx_export import OPSET, export_onnx

__all__ = ["export", "OPSET"]


def export(fetches: Any, feeds: Sequence[Tensor], path: str | None = None,
           session: Any = None) -> Any:
    """Writes (to ``path``, if given) and returns the ONNX model computing ``fetches``
    from the placeholders ``feeds``; variables are taken from ``session`` (default: the
    default session)."""
    session = session or get_default_session()
    if session is None:
        raise ValueError("staticgraph.onnx.export needs a session holding the variables' "
                         "values: pass session= or call it inside `with sess.as_default()`")
    return export_onnx(fetches, feeds, path, session)

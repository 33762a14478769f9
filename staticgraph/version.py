"""``tf.version``: TF1's version constants (also at the top level).

staticgraph is not TensorFlow: ``VERSION`` says which TensorFlow API it follows and which
staticgraph release this is, as a PEP 440 version with a local part,
``"1.15.5+staticgraph.0.1.0"`` (TF 1.15.5 is the last TF1 release, whose graph-mode API
``import staticgraph as tf`` stands in for). Scripts testing ``VERSION.startswith("1.")``
take their TF1 path. ``GIT_VERSION`` names the staticgraph release. staticgraph has no
compiled code: ``COMPILER_VERSION`` is the compiler of the running Python interpreter
(the only compiled code involved is Python's and NumPy's; the C++ build constants are
in ``tf.sysconfig``). The GraphDef versions are the ones staticgraph writes and reads
(``staticgraph.io.graph_def``), with TensorFlow's minimum consumer/producer of 0.
"""
from __future__ import annotations

import platform

from .io.graph_def import GRAPH_DEF_PRODUCER as _GRAPH_DEF_PRODUCER

__all__ = ["COMPILER_VERSION", "GIT_VERSION", "GRAPH_DEF_VERSION",
           "GRAPH_DEF_VERSION_MIN_CONSUMER", "GRAPH_DEF_VERSION_MIN_PRODUCER", "VERSION"]

_STATICGRAPH_VERSION = "0.1.0"
_TF_API_VERSION = "1.15.5"

VERSION: str = f"{_TF_API_VERSION}+staticgraph.{_STATICGRAPH_VERSION}"
GIT_VERSION: str = f"staticgraph-{_STATICGRAPH_VERSION}"
COMPILER_VERSION: str = platform.python_compiler()
GRAPH_DEF_VERSION: int = _GRAPH_DEF_PRODUCER
GRAPH_DEF_VERSION_MIN_CONSUMER: int = 0
GRAPH_DEF_VERSION_MIN_PRODUCER: int = 0

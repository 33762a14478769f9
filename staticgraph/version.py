"""``tf.version`` and TF1's top-level version constants.

staticgraph is not TensorFlow: ``VERSION`` says which TensorFlow API it follows and which
staticgraph release this is, as a PEP 440 version with a local part,
``"1.15.5+staticgraph.0.1.0"`` (TF 1.15.5 is the last TF1 release, whose graph-mode API
``import staticgraph as tf`` stands in for). Scripts testing ``VERSION.startswith("1.")``
take their TF1 path. ``GIT_VERSION`` names the staticgraph release. staticgraph has no
compiled code: ``COMPILER_VERSION`` is the compiler of the running Python interpreter
(the only compiled code involved is Python's and NumPy's) and ``CXX11_ABI_FLAG``,
``CXX_VERSION`` and ``MONOLITHIC_BUILD`` are 0. The GraphDef versions are the ones
staticgraph writes and reads (``staticgraph.io.graph_def``), with TensorFlow's minimum
consumer/producer of 0.
"""
from __future__ import annotations

import platform

from .io.graph_def import GRAPH_DEF_PRODUCER

__all__ = ["COMPILER_VERSION", "CXX11_ABI_FLAG", "CXX_VERSION", "GIT_VERSION",
           "GRAPH_DEF_VERSION", "GRAPH_DEF_VERSION_MIN_CONSUMER",
           "GRAPH_DEF_VERSION_MIN_PRODUCER", "MONOLITHIC_BUILD", "VERSION"]

STATICGRAPH_VERSION = "0.1.0"
TF_API_VERSION = "1.15.5"

VERSION: str = f"{TF_API_VERSION}+staticgraph.{STATICGRAPH_VERSION}"
GIT_VERSION: str = f"staticgraph-{STATICGRAPH_VERSION}"
COMPILER_VERSION: str = platform.python_compiler()
CXX11_ABI_FLAG: int = 0
CXX_VERSION: int = 0
MONOLITHIC_BUILD: int = 0
GRAPH_DEF_VERSION: int = GRAPH_DEF_PRODUCER
GRAPH_DEF_VERSION_MIN_CONSUMER: int = 0
GRAPH_DEF_VERSION_MIN_PRODUCER: int = 0

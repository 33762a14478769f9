"""``tf.gfile``: TF1's CamelCase names for the file API of :mod:`staticgraph.io.gfile`."""
from __future__ import annotations

from typing import Iterator

from .io import gfile as _io

__all__ = ["Copy", "DeleteRecursively", "Exists", "FastGFile", "GFile", "Glob",
           "IsDirectory", "ListDirectory", "MakeDirs", "MkDir", "Open", "Remove", "Rename",
           "Stat", "Walk"]

GFile = _io.GFile
Open = _io.GFile
FastGFile = _io.GFile
Copy = _io.copy
DeleteRecursively = _io.rmtree
Exists = _io.exists
Glob = _io.glob
IsDirectory = _io.isdir
ListDirectory = _io.listdir
MakeDirs = _io.makedirs
MkDir = _io.mkdir
Remove = _io.remove
Rename = _io.rename
Stat = _io.stat


def Walk(top: str, in_order: bool = True) -> Iterator[tuple[str, list[str], list[str]]]:  # noqa: N802
    """TF1's ``Walk``: like ``tf.io.gfile.walk`` with ``in_order`` for ``topdown``."""
    yield from _io.walk(top, topdown=in_order)


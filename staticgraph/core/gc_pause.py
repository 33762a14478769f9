"""Pausing Python's cyclic garbage collector during bulk graph work.

Building a gradient or compiling a plan allocates hundreds of thousands of objects and
no reference cycles worth collecting; each automatic collection then scans the whole
(growing) graph, which makes the work superlinear in the graph's size.
"""
from __future__ import annotations

import contextlib
import gc
from typing import Iterator


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Disables the cyclic collector inside the block; restores its previous state."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()

"""Pausing Python's cyclic garbage collector during bulk graph work.

Building a gradient or compiling a plan allocates hundreds of thousands of objects and
no reference cycles worth collecting; each automatic collection then scans the whole
(growing) graph, which makes the work superlinear in the graph's size.

When the pause ends, the objects made inside it are all young: the next automatic
collection would scan every one of them at once (0.9 s after compiling a 100k-op plan),
only to find them alive. Instead they are moved straight to the oldest generation, where
the next full collection sees them as it sees every other long-lived object, so garbage
cycles among them are still collected, later. This uses ``gc.freeze`` and
``gc.unfreeze``, so it is done only when nothing else is frozen (a program that froze
objects itself, e.g. before forking, keeps them frozen).

The trade-off: the young objects the program made before the pause are promoted too, and
promoted objects do not count towards CPython's trigger of the next full collection (it
counts survivors of the middle generation), so garbage cycles among them (a dropped
plan's function and its globals, a dropped graph) are freed at the next full collection
that the rest of the program's allocations trigger, not at the next young one.
"""
from __future__ import annotations

import contextlib
import gc
from typing import Iterator


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Disables the cyclic collector inside the block; restores its previous state, with
    the objects made inside promoted to the oldest generation when nothing is frozen."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.get_freeze_count():
                gc.freeze()  # every tracked object to the permanent generation...
                gc.unfreeze()  # ...and back into the oldest one, none of them scanned
            gc.enable()

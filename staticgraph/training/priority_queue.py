"""``tf.PriorityQueue`` / ``tf.io.PriorityQueue``: dequeues the elements of smallest
priority first (an int64 scalar component put in front of the others; elements of
equal priority leave in the order they came)."""
from __future__ import annotations

from typing import Any

from ..core import dtypes as _dtypes
from .queues import QueueBase

__all__ = ["PriorityQueue"]


class PriorityQueue(QueueBase):
    """A queue ordered by priority: every element is ``(priority, *components)`` with
    ``types`` and ``shapes`` describing the components after the priority."""

    def __init__(self, capacity: int, types: Any, shapes: Any, names: Any = None,
                 shared_name: str | None = None, name: str = "priority_queue") -> None:
        types = list(types) if isinstance(types, (list, tuple)) else [types]
        shapes = list(shapes)
        if len(shapes) != len(types):
            raise ValueError(f"PriorityQueue {name}: {len(types)} types but {len(shapes)} "
                             "shapes")
        if names is not None:
            raise ValueError(f"PriorityQueue {name}: named components are not supported")
        super().__init__([_dtypes.int64] + types, [[]] + shapes, None,
                         {"capacity": int(capacity), "priority": True}, name)

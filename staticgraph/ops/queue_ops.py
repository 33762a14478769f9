"""Queue ops (TF1's FIFOQueue, RandomShuffleQueue, PaddingFIFOQueue) and CountUpTo.

A queue's elements live in the session (one :class:`QueueState` per queue and session),
guarded by a condition variable so that threads running enqueue ops (queue runners)
and the thread running dequeue ops can block on each other, as in TF: an enqueue waits
while the queue is full, a dequeue while it has too few elements. Closing a queue wakes
them: a dequeue that cannot be served raises ``OutOfRangeError``; an enqueue raises
``CancelledError``.
"""
from __future__ import annotations

import threading
import weakref
from typing import Any

import numpy as np

from ..core import dtypes, errors
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .framework import apply_op

__all__ = ["QueueState", "queue_op", "count_up_to"]

_QUEUES: "weakref.WeakKeyDictionary[Any, dict[str, QueueState]]" = weakref.WeakKeyDictionary()
_TABLES_LOCK = threading.Lock()


class QueueState:
    """One queue's elements in one session (``config`` is the queue's description:
    ``name``, ``capacity``, ``min_after_dequeue``, ``seed``, ``padded``, ``dtypes``)."""

    def __init__(self, config: dict) -> None:
        self.config = config
        self.items: list[tuple] = []
        self.closed = False
        self.cond = threading.Condition()
        self.rng = np.random.default_rng(config.get("seed"))

    def _refuse_closed(self) -> None:
        raise errors.CancelledError(None, None, f"Queue '{self.config['name']}' is closed.")

    def enqueue(self, elements: list[tuple]) -> None:
        """Adds the elements one by one, waiting for room; CancelledError once closed."""
        with self.cond:
            for element in elements:
                while not self.closed and len(self.items) >= self.config["capacity"]:
                    self.cond.wait()
                if self.closed:
                    self._refuse_closed()
                self.items.append(element)
                self.cond.notify_all()

    def dequeue(self, n: int, up_to: bool) -> list[tuple]:
        """Removes ``n`` elements (at random for a shuffling queue), waiting for them;
        once closed, fewer (``up_to``) or OutOfRangeError."""
        keep = self.config.get("min_after_dequeue", 0)
        with self.cond:
            while not self.closed and len(self.items) < n + keep:
                self.cond.wait()
            if len(self.items) < n:
                if not (self.closed and up_to and self.items):
                    raise errors.OutOfRangeError(
                        None, None, f"Queue '{self.config['name']}' is closed and has "
                        f"insufficient elements (requested {n}, current size "
                        f"{len(self.items)})")
                n = len(self.items)
            if self.config.get("priority"):  # smallest first; ties in arrival order
                self.items.sort(key=lambda element: int(element[0]))
            if keep or self.config.get("shuffle"):
                taken = [self.items.pop(int(self.rng.integers(len(self.items))))
                         for _ in range(n)]
            else:
                taken, self.items = self.items[:n], self.items[n:]
            self.cond.notify_all()
            return taken

    def close(self, cancel_pending_enqueues: bool) -> None:
        """No more enqueues; waiting dequeues get what is left or OutOfRangeError."""
        with self.cond:
            self.closed = True
            self.cond.notify_all()


def _queue(state: Any, config: dict) -> QueueState:
    with _TABLES_LOCK:
        table = _QUEUES.get(state)
        if table is None:
            table = _QUEUES[state] = {}
        found = table.get(config["key"])
        if found is None:
            found = table[config["key"]] = QueueState(config)
        return found


def _stack(parts: list, padded: bool, dtype: dtypes.DType) -> np.ndarray:
    if not padded:
        return np.stack(parts) if parts else np.zeros((0,), dtype.dtype)
    target = np.max([np.shape(p) for p in parts], axis=0) if np.ndim(parts[0]) else ()
    out = np.zeros((len(parts),) + tuple(int(t) for t in target), dtype.dtype)
    for i, part in enumerate(parts):
        out[(i,) + tuple(slice(0, s) for s in np.shape(part))] = part
    return out


def _queue_kernel(state: Any, *values: Any, action: str, config: dict,
                  **unused: Any) -> Any:
    queue = _queue(state, config)
    types = config["dtypes"]
    if action == "enqueue":
        queue.enqueue([tuple(np.asarray(v, t.dtype) for v, t in zip(values, types))])
        return None
    if action == "enqueue_many":
        sizes = {len(v) for v in values}
        if len(sizes) != 1:
            raise errors.InvalidArgumentError(None, None, "enqueue_many: components have "
                                              f"different first dimensions {sorted(sizes)}")
        queue.enqueue(list(zip(*(np.asarray(v, t.dtype) for v, t in zip(values, types)))))
        return None
    if action == "close":
        queue.close(bool(values and values[0]))
        return None
    if action == "size":
        return np.int32(len(queue.items))
    if action == "is_closed":
        return np.bool_(queue.closed)
    if action == "dequeue":
        (element,) = queue.dequeue(1, False)
        return element[0] if len(types) == 1 else element
    taken = queue.dequeue(int(values[0]), action == "dequeue_up_to")
    stacked = tuple(_stack([e[i] for e in taken], config.get("padded", False), t)
                    for i, t in enumerate(types))
    return stacked[0] if len(types) == 1 else stacked


def _queue_shape(inputs: list, attrs: dict) -> list:
    return list(attrs["outputs"])


define_op("QueueOp", kernel=_queue_kernel, shape_fn=_queue_shape, stateful=True,
          uses_state=True, view_of={},
          doc="An action on a session's queue: enqueue(_many), dequeue(_many/_up_to), "
              "close, size, is_closed.")


def queue_op(action: str, config: dict, inputs: list[Tensor], outputs: list,
             name: str) -> Operation:
    """A ``QueueOp`` doing ``action`` on the queue described by ``config``;
    ``outputs`` lists its ``(TensorShape, DType)`` results."""
    return apply_op("QueueOp", inputs, {"action": action, "config": config,
                                        "outputs": tuple(outputs)}, name=name)


# -- CountUpTo --------------------------------------------------------------------------------


def _count_up_to_kernel(state: Any, *, var_key: str, limit: int, **unused: Any) -> Any:
    with state.locked((var_key,)):  # atomic, as TF's: queue runners count from threads
        value = state.read(var_key)
        if value >= limit:
            raise errors.OutOfRangeError(None, None, f"Reached limit of {limit}")
        state.assign(var_key, np.array(value + 1, dtype=np.asarray(value).dtype))
    return value


def _count_up_to_shape(inputs: list, attrs: dict) -> list:
    if not attrs["dtype"].is_integer or attrs["shape"].ndims != 0:
        raise TypeError(f"count_up_to needs a scalar integer variable, got "
                        f"{attrs['shape']} {attrs['dtype'].name}")
    return [(TensorShape([]), attrs["dtype"])]


define_op("CountUpTo", kernel=_count_up_to_kernel, shape_fn=_count_up_to_shape,
          stateful=True, uses_state=True, view_of={},
          doc="Increments a variable; its old value, or OutOfRangeError at the limit.")


def count_up_to(ref: Any, limit: int, name: str | None = None) -> Tensor:
    """``tf.count_up_to``: increments the integer variable ``ref`` until ``limit``,
    returning the value before the increment; at the limit, ``OutOfRangeError``."""
    var = ref._variable if hasattr(ref, "_variable") else ref
    attrs = var.op.attrs
    attrs["limit"] = int(limit)
    return apply_op("CountUpTo", [], attrs, name=name or "CountUpTo").outputs[0]

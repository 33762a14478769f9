"""``tf.FIFOQueue``, ``tf.RandomShuffleQueue``, ``tf.PaddingFIFOQueue`` and
``tf.train.QueueRunner`` / ``start_queue_runners`` (real threads, as in TF1)."""
from __future__ import annotations

import itertools
import threading
from typing import Any, Sequence

from ..core import dtypes as _dtypes
from ..core import errors
from ..core.default_session import get_default_session
from ..core.graph import GraphKeys, Operation, get_default_graph
from ..core.shapes import TensorShape, as_shape
from ..ops.framework import constant_value, convert_to_tensor
from ..ops.queue_ops import queue_op
from ..ops.random_ops import get_seed

__all__ = ["QueueBase", "FIFOQueue", "PaddingFIFOQueue", "RandomShuffleQueue",
           "QueueRunner", "add_queue_runner", "start_queue_runners", "QUEUE_RUNNERS"]

QUEUE_RUNNERS = GraphKeys.QUEUE_RUNNERS
"""The collection of queue runners ``start_queue_runners`` starts (TF1's key)."""

_keys = itertools.count()


class QueueBase:
    """A queue of elements (tuples of tensors of ``dtypes`` and ``shapes``) kept in the
    session; its methods build the ops acting on it."""

    def __init__(self, dtypes: Any, shapes: Any, names: Any, config: dict,
                 name: str) -> None:
        types = list(dtypes) if isinstance(dtypes, (list, tuple)) else [dtypes]
        self._dtypes = [_dtypes.as_dtype(t) for t in types]
        if shapes is None:
            self._shapes = [TensorShape(None)] * len(self._dtypes)
        else:
            shapes = list(shapes) if isinstance(shapes, (list, tuple)) and (
                not shapes or isinstance(shapes[0], (list, tuple, TensorShape))) else [shapes]
            self._shapes = [as_shape(s) for s in shapes]
        if len(self._shapes) != len(self._dtypes):
            raise ValueError(f"queue {name}: {len(self._dtypes)} dtypes but "
                             f"{len(self._shapes)} shapes")
        self._names = list(names) if names is not None else None
        self._name = get_default_graph().unique_name(name)
        self._config = dict(config, key=f"{self._name}_{next(_keys)}", name=self._name,
                            dtypes=tuple(self._dtypes))

    @property
    def name(self) -> str:
        """The queue's name."""
        return self._name

    @property
    def dtypes(self) -> list:
        """The dtype of each component."""
        return list(self._dtypes)

    @property
    def shapes(self) -> list:
        """The static shape of each component."""
        return list(self._shapes)

    @property
    def names(self) -> list | None:
        """The component names (elements are dicts) or None."""
        return self._names

    def _components(self, vals: Any, what: str) -> list:
        if isinstance(vals, dict):
            if self._names is None:
                raise ValueError(f"{what}: the queue has no names, got a dict")
            vals = [vals[n] for n in self._names]
        elif not isinstance(vals, (list, tuple)):
            vals = [vals]
        if len(vals) != len(self._dtypes):
            raise ValueError(f"{what} on queue {self._name}: expected {len(self._dtypes)} "
                             f"components, got {len(vals)}")
        return [convert_to_tensor(v, dtype=t) for v, t in zip(vals, self._dtypes)]

    def _pack(self, tensors: list) -> Any:
        if self._names is not None:
            return dict(zip(self._names, tensors))
        return tensors[0] if len(tensors) == 1 else tensors

    def enqueue(self, vals: Any, name: str | None = None) -> Operation:
        """Adds one element (waits while the queue is full)."""
        return queue_op("enqueue", self._config, self._components(vals, "enqueue"), [],
                        name or "enqueue")

    def enqueue_many(self, vals: Any, name: str | None = None) -> Operation:
        """Adds the rows of the given tensors as elements."""
        return queue_op("enqueue_many", self._config,
                        self._components(vals, "enqueue_many"), [], name or "enqueue_many")

    def dequeue(self, name: str | None = None) -> Any:
        """Removes one element (waits for one; OutOfRangeError once closed and empty)."""
        outputs = list(zip(self._shapes, self._dtypes))
        op = queue_op("dequeue", self._config, [], outputs, name or "dequeue")
        return self._pack(list(op.outputs))

    def _dequeue_n(self, action: str, n: Any, name: str | None) -> Any:
        n = convert_to_tensor(n, dtype=_dtypes.int32)
        known = constant_value(n)
        first = int(known) if known is not None and action == "dequeue_many" else None
        outputs = [(TensorShape([first]).concatenate(s), t)
                   for s, t in zip(self._shapes, self._dtypes)]
        return self._pack(list(queue_op(action, self._config, [n], outputs,
                                        name or action).outputs))

    def dequeue_many(self, n: Any, name: str | None = None) -> Any:
        """Removes ``n`` elements, stacked (waits for them)."""
        return self._dequeue_n("dequeue_many", n, name)

    def dequeue_up_to(self, n: Any, name: str | None = None) -> Any:
        """As ``dequeue_many``, but once closed returns what is left (at least one)."""
        return self._dequeue_n("dequeue_up_to", n, name)

    def close(self, cancel_pending_enqueues: bool = False, name: str | None = None
              ) -> Operation:
        """Closes the queue: later enqueues fail, dequeues drain what is left."""
        flag = convert_to_tensor(bool(cancel_pending_enqueues))
        return queue_op("close", self._config, [flag], [], name or "close")

    def size(self, name: str | None = None) -> Any:
        """The number of elements in the queue (an int32 scalar)."""
        return queue_op("size", self._config, [], [(TensorShape([]), _dtypes.int32)],
                        name or "size").outputs[0]

    def is_closed(self, name: str | None = None) -> Any:
        """Whether the queue is closed (a bool scalar)."""
        return queue_op("is_closed", self._config, [], [(TensorShape([]), _dtypes.bool_)],
                        name or "is_closed").outputs[0]


class FIFOQueue(QueueBase):
    """Elements in first-in first-out order."""

    def __init__(self, capacity: int, dtypes: Any, shapes: Any = None, names: Any = None,
                 shared_name: str | None = None, name: str = "fifo_queue") -> None:
        super().__init__(dtypes, shapes, names, {"capacity": int(capacity)}, name)


class PaddingFIFOQueue(QueueBase):
    """A FIFO queue whose ``dequeue_many`` pads unknown dimensions with zeros to the
    longest element of the batch."""

    def __init__(self, capacity: int, dtypes: Any, shapes: Any, names: Any = None,
                 shared_name: str | None = None, name: str = "padding_fifo_queue") -> None:
        super().__init__(dtypes, shapes, names, {"capacity": int(capacity), "padded": True},
                         name)


class RandomShuffleQueue(QueueBase):
    """Dequeues elements in random order, keeping at least ``min_after_dequeue`` in the
    queue until it is closed."""

    def __init__(self, capacity: int, min_after_dequeue: int, dtypes: Any,
                 shapes: Any = None, names: Any = None, seed: int | None = None,
                 shared_name: str | None = None, name: str = "random_shuffle_queue") -> None:
        seed1, seed2 = get_seed(seed)
        config = {"capacity": int(capacity), "min_after_dequeue": int(min_after_dequeue),
                  "shuffle": True, "seed": None if seed1 is None else [seed1, seed2]}
        super().__init__(dtypes, shapes, names, config, name)


class QueueRunner:
    """Threads running ``enqueue_ops`` (one thread each) until the input ends
    (``OutOfRangeError``: the last thread closes the queue) or the coordinator stops
    them (then ``cancel_op`` closes the queue, waking blocked enqueues)."""

    def __init__(self, queue: QueueBase | None = None,
                 enqueue_ops: Sequence[Operation] | None = None,
                 close_op: Operation | None = None, cancel_op: Operation | None = None,
                 queue_closed_exception_types: Any = None) -> None:
        if queue is None or not enqueue_ops:
            raise ValueError("QueueRunner needs a queue and enqueue ops")
        self.queue = queue
        self.enqueue_ops = list(enqueue_ops)
        self.close_op = close_op if close_op is not None else queue.close()
        self.cancel_op = cancel_op if cancel_op is not None else queue.close(True)
        self._closed_types = tuple(queue_closed_exception_types or (errors.OutOfRangeError,))
        self._lock = threading.Lock()
        self._running = 0
        self.exceptions_raised: list[BaseException] = []

    def _run(self, sess: Any, enqueue_op: Operation, coord: Any) -> None:
        try:
            while coord is None or not coord.should_stop():
                sess.run(enqueue_op)
        except self._closed_types:
            with self._lock:
                self._running -= 1
                last = self._running == 0
            if last:
                _ignore_closed_session(sess.run, self.close_op)
            return
        except errors.CancelledError:
            pass
        except Exception as err:  # noqa: BLE001  (reported to the coordinator)
            self.exceptions_raised.append(err)
            if coord is None:
                raise
            coord.request_stop(err)
        with self._lock:
            self._running -= 1

    def _close_on_stop(self, sess: Any, coord: Any) -> None:
        coord.wait_for_stop()
        _ignore_closed_session(sess.run, self.cancel_op)

    def create_threads(self, sess: Any, coord: Any = None, daemon: bool = False,
                       start: bool = False) -> list[threading.Thread]:
        """The threads of this runner (and, with a coordinator, one closing the queue
        when it stops), registered with ``coord``; started when ``start``."""
        with self._lock:
            self._running = len(self.enqueue_ops)
        threads = [threading.Thread(target=self._run, args=(sess, op, coord), daemon=daemon,
                                    name=f"QueueRunner-{self.queue.name}-{i}")
                   for i, op in enumerate(self.enqueue_ops)]
        if coord is not None:
            threads.append(threading.Thread(target=self._close_on_stop, args=(sess, coord),
                                            daemon=daemon,
                                            name=f"QueueRunner-{self.queue.name}-close"))
        for thread in threads:
            if coord is not None:
                coord.register_thread(thread)
            if start:
                thread.start()
        return threads


def _ignore_closed_session(run: Any, op: Operation) -> None:
    try:
        run(op)
    except (RuntimeError, errors.CancelledError):  # the session closed first: nothing to wake
        pass


def add_queue_runner(qr: QueueRunner, collection: str = QUEUE_RUNNERS) -> None:
    """Adds ``qr`` to the graph's queue runners."""
    get_default_graph().add_to_collection(collection, qr)


def start_queue_runners(sess: Any = None, coord: Any = None, daemon: bool = True,
                        start: bool = True, collection: str = QUEUE_RUNNERS
                        ) -> list[threading.Thread]:
    """Starts the threads of every queue runner of the graph; returns them."""
    sess = sess or get_default_session()
    if sess is None:
        raise ValueError("Cannot start queue runners: no default session is registered. "
                         "Use `with sess.as_default()` or pass an explicit session.")
    threads: list[threading.Thread] = []
    for qr in sess.graph.get_collection(collection):
        threads.extend(qr.create_threads(sess, coord=coord, daemon=daemon, start=start))
    return threads

"""``tf.train.batch`` and ``tf.train.shuffle_batch``: queue-based batching fed by queue
runner threads (start them with ``tf.train.start_queue_runners``)."""
from __future__ import annotations

from typing import Any

from ..ops.framework import convert_to_tensor
from .queues import (FIFOQueue, PaddingFIFOQueue, QueueBase, QueueRunner, RandomShuffleQueue,
                     add_queue_runner)

__all__ = ["batch", "shuffle_batch"]


def _flat(tensors: Any) -> tuple[list, list | None]:
    if isinstance(tensors, dict):
        names = sorted(tensors)
        return [convert_to_tensor(tensors[n]) for n in names], names
    return [convert_to_tensor(t) for t in tensors], None


def _element_shapes(tensors: list, shapes: Any, enqueue_many: bool) -> list:
    if shapes is not None:
        return list(shapes)
    found = [t.shape[1:] if enqueue_many else t.shape for t in tensors]
    return found


def _batched(queue: QueueBase, tensors: list, names: list | None, batch_size: int,
             num_threads: int, enqueue_many: bool, allow_smaller_final_batch: bool) -> Any:
    vals = dict(zip(names, tensors)) if names is not None else tensors
    enqueue = queue.enqueue_many(vals) if enqueue_many else queue.enqueue(vals)
    add_queue_runner(QueueRunner(queue, [enqueue] * int(num_threads)))
    if allow_smaller_final_batch:
        return queue.dequeue_up_to(batch_size)
    out = queue.dequeue_many(batch_size)
    return out if names is not None or len(tensors) > 1 else [out]


def batch(tensors: Any, batch_size: int, num_threads: int = 1, capacity: int = 32,
          enqueue_many: bool = False, shapes: Any = None, dynamic_pad: bool = False,
          allow_smaller_final_batch: bool = False, shared_name: str | None = None,
          name: str | None = None) -> Any:
    """Batches of ``tensors`` (a list or dict) in order, through a FIFO queue (a padding
    one with ``dynamic_pad``) filled by ``num_threads`` queue-runner threads."""
    flat, names = _flat(tensors)
    element_shapes = _element_shapes(flat, shapes, enqueue_many)
    kind = PaddingFIFOQueue if dynamic_pad else FIFOQueue
    queue = kind(capacity, [t.dtype for t in flat], element_shapes, names=names,
                 name=name or "batch_queue")
    return _batched(queue, flat, names, batch_size, num_threads, enqueue_many,
                    allow_smaller_final_batch)


def shuffle_batch(tensors: Any, batch_size: int, capacity: int, min_after_dequeue: int,
                  num_threads: int = 1, seed: int | None = None, enqueue_many: bool = False,
                  shapes: Any = None, allow_smaller_final_batch: bool = False,
                  shared_name: str | None = None, name: str | None = None) -> Any:
    """Batches of ``tensors`` drawn at random from a shuffling queue holding at least
    ``min_after_dequeue`` elements (until it is closed)."""
    flat, names = _flat(tensors)
    queue = RandomShuffleQueue(capacity, min_after_dequeue, [t.dtype for t in flat],
                               _element_shapes(flat, shapes, enqueue_many), names=names,
                               seed=seed, name=name or "shuffle_batch_queue")
    return _batched(queue, flat, names, batch_size, num_threads, enqueue_many,
                    allow_smaller_final_batch)

"""Queue-based input pipelines of ``tf.train``: the producers (``input_producer``,
``string_input_producer``, ``range_input_producer``, ``slice_input_producer``,
``limit_epochs``) and the batchers (``batch``, ``shuffle_batch``), each fed by queue
runner threads (start them with ``tf.train.start_queue_runners``)."""
from __future__ import annotations

from typing import Any

from ..core import dtypes
from ..core.graph import GraphKeys, control_dependencies, name_scope
from ..core.shapes import as_shape
from ..control_flow.cond import cond
from ..ops.cast_ops import cast
from ..ops.composites import boolean_mask
from ..ops.comparison_ops import greater
from ..ops.fill_ops import range as range_
from ..ops.framework import convert_to_tensor
from ..ops.gather_ops import gather
from ..ops.logging_ops import Assert
from ..ops.math_ops import maximum
from ..ops.queue_ops import count_up_to
from ..ops.random_ops import random_shuffle
from ..ops.shape_ops import shape, size
from ..ops.state_ops import identity, no_op
from ..ops.variables import Variable
from ..viz.summary import scalar as scalar_summary
from .queues import (FIFOQueue, PaddingFIFOQueue, QueueBase, QueueRunner, RandomShuffleQueue,
                     add_queue_runner)

__all__ = ["batch", "shuffle_batch", "maybe_batch", "maybe_shuffle_batch", "batch_join",
           "maybe_batch_join", "shuffle_batch_join", "maybe_shuffle_batch_join",
           "limit_epochs", "input_producer", "string_input_producer", "range_input_producer",
           "slice_input_producer"]


def limit_epochs(tensor: Any, num_epochs: int | None = None, name: str | None = None
                 ) -> Any:
    """``tensor``, evaluable ``num_epochs`` times; then ``OutOfRangeError`` (TF1's
    ``tf.train.limit_epochs``). Counts in a local variable ``epochs``: run
    ``tf.local_variables_initializer()`` first. ``num_epochs=None`` returns ``tensor``."""
    if num_epochs is None:
        return tensor
    if num_epochs <= 0:
        raise ValueError(f"num_epochs must be > 0 not {num_epochs}.")
    with name_scope(name, "limit_epochs", [tensor]) as scope:
        epochs = Variable(convert_to_tensor(0, dtype=dtypes.int64), name="epochs",
                          trainable=False, collections=[GraphKeys.LOCAL_VARIABLES])
        counter = count_up_to(epochs, num_epochs)
        with control_dependencies([counter]):
            return identity(tensor, name=scope)


def input_producer(input_tensor: Any, element_shape: Any = None,
                   num_epochs: int | None = None, shuffle: bool = True,
                   seed: int | None = None, capacity: int = 32,
                   shared_name: str | None = None, summary_name: str | None = None,
                   name: str | None = None, cancel_op: Any = None) -> QueueBase:
    """A FIFO queue holding the rows of ``input_tensor``, refilled by a queue runner
    (added to ``QUEUE_RUNNERS``) one epoch at a time: the rows in order, or shuffled
    afresh each epoch with ``shuffle``; after ``num_epochs`` epochs the queue closes and
    dequeues raise ``OutOfRangeError`` once it is empty. ``summary_name`` adds a scalar
    summary of how full the queue is."""
    with name_scope(name, "input_producer", [input_tensor]):
        input_tensor = convert_to_tensor(input_tensor, name="input_tensor")
        shape = input_tensor.shape[1:].merge_with(as_shape(element_shape))
        if not shape.is_fully_defined():
            raise ValueError("Either `input_tensor` must have a fully defined shape or "
                             f"`element_shape` must be specified (input_producer {name}: "
                             f"input shape {input_tensor.shape}, element_shape "
                             f"{element_shape})")
        if shuffle:
            input_tensor = random_shuffle(input_tensor, seed=seed)
        input_tensor = limit_epochs(input_tensor, num_epochs)
        queue = FIFOQueue(capacity, [input_tensor.dtype], [shape], shared_name=shared_name,
                          name=name or "input_producer")
        add_queue_runner(QueueRunner(queue, [queue.enqueue_many([input_tensor])],
                                     cancel_op=cancel_op))
        if summary_name is not None:
            scalar_summary(summary_name, cast(queue.size(), dtypes.float32) * (1.0 / capacity))
        return queue


def string_input_producer(string_tensor: Any, num_epochs: int | None = None,
                          shuffle: bool = True, seed: int | None = None, capacity: int = 32,
                          shared_name: str | None = None, name: str | None = None,
                          cancel_op: Any = None) -> QueueBase:
    """A queue of the strings (typically file names) in ``string_tensor``, one epoch
    after another (see :func:`input_producer`); an empty list is refused when building,
    an empty tensor when running."""
    message = "string_input_producer requires a non-null input tensor"
    if not hasattr(string_tensor, "dtype") and not len(string_tensor):
        raise ValueError(message)
    with name_scope(name, "input_producer", [string_tensor]) as scope:
        string_tensor = convert_to_tensor(string_tensor, dtype=dtypes.string)
        with control_dependencies([Assert(greater(size(string_tensor), 0), [message])]):
            string_tensor = identity(string_tensor)
        return input_producer(string_tensor, [], num_epochs, shuffle, seed, capacity,
                              shared_name, f"fraction_of_{capacity}_full", scope, cancel_op)


def range_input_producer(limit: Any, num_epochs: int | None = None, shuffle: bool = True,
                         seed: int | None = None, capacity: int = 32,
                         shared_name: str | None = None, name: str | None = None
                         ) -> QueueBase:
    """A queue of the integers ``0 .. limit-1``, one epoch after another (see
    :func:`input_producer`)."""
    with name_scope(name, "input_producer", [limit]) as scope:
        return input_producer(range_(limit), [], num_epochs, shuffle, seed, capacity,
                              shared_name, f"fraction_of_{capacity}_full", scope)


def slice_input_producer(tensor_list: Any, num_epochs: int | None = None,
                         shuffle: bool = True, seed: int | None = None, capacity: int = 32,
                         shared_name: str | None = None, name: str | None = None) -> list:
    """One row of each tensor in ``tensor_list`` per evaluation (the same row of each),
    going through the rows an epoch at a time, shuffled with ``shuffle``: a
    :func:`range_input_producer` of row indices, gathered from each tensor."""
    with name_scope(name, "input_producer", list(tensor_list)):
        tensors = [convert_to_tensor(t) for t in tensor_list]
        if not tensors:
            raise ValueError("Expected at least one tensor in slice_input_producer().")
        rows = {t.shape.as_tuple()[0] for t in tensors if t.shape.ndims} - {None}
        if len(rows) > 1:
            raise ValueError("slice_input_producer: the tensors' first dimensions differ: "
                             f"{[str(t.shape) for t in tensors]}")
        queue = range_input_producer(shape(tensors[0])[0], num_epochs=num_epochs,
                                     shuffle=shuffle, seed=seed, capacity=capacity,
                                     shared_name=shared_name)
        index = queue.dequeue()
        return [gather(t, index) for t in tensors]


def _flat(tensors: Any) -> tuple[list, list | None]:
    if isinstance(tensors, dict):
        names = sorted(tensors)
        return [convert_to_tensor(tensors[n]) for n in names], names
    return [convert_to_tensor(t) for t in tensors], None


def _flat_lists(tensors_list: Any) -> tuple[list, list | None]:
    """Each of the joined tensor lists (or dicts) flattened; they must agree in their
    names (dict keys), dtypes and number of tensors."""
    flats = [_flat(tensors) for tensors in tensors_list]
    if not flats:
        raise ValueError("Expected at least one set of tensors in tensors_list.")
    names = flats[0][1]
    dtype_lists = [[t.dtype for t in flat] for flat, _ in flats]
    if any(n != names for _, n in flats) or any(d != dtype_lists[0] for d in dtype_lists):
        raise ValueError("All the tensor lists in tensors_list must have the same names, "
                         f"number of tensors and dtypes, got {dtype_lists}")
    return [flat for flat, _ in flats], names


def _element_shapes(tensors: list, shapes: Any, enqueue_many: bool) -> list:
    if shapes is not None:
        return list(shapes)
    found = [t.shape[1:] if enqueue_many else t.shape for t in tensors]
    return found


def _keep_input(keep_input: Any, enqueue_many: bool) -> Any:
    """``keep_input`` as a bool tensor of rank 0, or 1 with ``enqueue_many`` (TF1's
    checks)."""
    keep = convert_to_tensor(keep_input, dtype=dtypes.bool_)
    rank = keep.shape.ndims
    if rank is None:
        raise ValueError("`keep_input` dimensions must be known at graph construction.")
    if not enqueue_many and rank == 1:
        raise ValueError("`keep_input` cannot be a vector when `enqueue_many=False`.")
    if rank > 1:
        raise ValueError(f"`keep_input` must be 0 or 1 dimensions, got shape {keep.shape}.")
    return keep


def _enqueue(queue: QueueBase, vals: Any, enqueue_many: bool, keep_input: Any) -> Any:
    """The enqueue op: every element, or with ``keep_input`` only those kept (a scalar
    decides for all of them, a vector row by row)."""
    enqueue = queue.enqueue_many if enqueue_many else queue.enqueue
    if keep_input is None:
        return enqueue(vals)
    if keep_input.shape.ndims == 1:
        if isinstance(vals, dict):
            return enqueue({k: boolean_mask(v, keep_input) for k, v in vals.items()})
        return enqueue([boolean_mask(v, keep_input) for v in vals])
    return cond(keep_input, lambda: enqueue(vals), no_op)


def _batch_join(tensors_list: Any, batch_size: int, capacity: int, enqueue_many: bool,
                shapes: Any, allow_smaller_final_batch: bool, keep_input: Any,
                threads_per_list: int, scope_name: str, name: str | None,
                make_queue: Any, fullness: Any) -> Any:
    """The pipeline under every batching function: inside the name scope ``name`` (or
    ``scope_name``), a queue from ``make_queue(dtypes, shapes, names)``, one queue-runner
    thread per enqueue of each tensor list, a scalar summary of how full the queue is
    (``fullness(queue)`` gives its tag and value, as TF1 names them) and the dequeue of a
    batch."""
    flats, names = _flat_lists(tensors_list)
    every_input = [t for flat in flats for t in flat]
    with name_scope(name, scope_name, every_input) as scope:
        keep = None if keep_input is None else _keep_input(keep_input, enqueue_many)
        queue = make_queue([t.dtype for t in flats[0]],
                           _element_shapes(flats[0], shapes, enqueue_many), names)
        enqueues = [_enqueue(queue, dict(zip(names, flat)) if names is not None else flat,
                             enqueue_many, keep) for flat in flats]
        add_queue_runner(QueueRunner(queue, enqueues * int(threads_per_list)))
        tag, value = fullness(queue)
        scalar_summary(tag, value)
        dequeue = queue.dequeue_up_to if allow_smaller_final_batch else queue.dequeue_many
        out = dequeue(batch_size, name=scope)
    return out if names is not None or len(flats[0]) > 1 else [out]  # a list, as given


def _fifo_batch_join(tensors_list: Any, keep_input: Any, batch_size: int,
                     threads_per_list: int, capacity: int, enqueue_many: bool, shapes: Any,
                     dynamic_pad: bool, allow_smaller_final_batch: bool,
                     shared_name: str | None, name: str | None, scope_name: str) -> Any:
    kind = PaddingFIFOQueue if dynamic_pad else FIFOQueue

    def make_queue(dtype_list: list, shape_list: list, names: list | None) -> QueueBase:
        queue_name = "padding_fifo_queue" if dynamic_pad else "fifo_queue"
        return kind(capacity, dtype_list, shape_list, names=names,
                    shared_name=shared_name, name=queue_name)

    def fullness(queue: QueueBase) -> tuple[str, Any]:
        return (f"fraction_of_{capacity}_full",
                cast(queue.size(), dtypes.float32) * (1.0 / capacity))

    return _batch_join(tensors_list, batch_size, capacity, enqueue_many, shapes,
                       allow_smaller_final_batch, keep_input, threads_per_list, scope_name,
                       name, make_queue, fullness)


def _shuffle_batch_join(tensors_list: Any, keep_input: Any, batch_size: int,
                        threads_per_list: int, capacity: int, min_after_dequeue: int,
                        seed: int | None, enqueue_many: bool, shapes: Any,
                        allow_smaller_final_batch: bool, shared_name: str | None,
                        name: str | None, scope_name: str) -> Any:
    def make_queue(dtype_list: list, shape_list: list, names: list | None) -> QueueBase:
        return RandomShuffleQueue(capacity, min_after_dequeue, dtype_list, shape_list,
                                  names=names, seed=seed, shared_name=shared_name,
                                  name="random_shuffle_queue")

    def fullness(queue: QueueBase) -> tuple[str, Any]:
        spare = capacity - min_after_dequeue
        above = maximum(0, queue.size() - min_after_dequeue)
        return (f"fraction_over_{min_after_dequeue}_of_{spare}_full",
                cast(above, dtypes.float32) * (1.0 / spare))

    return _batch_join(tensors_list, batch_size, capacity, enqueue_many, shapes,
                       allow_smaller_final_batch, keep_input, threads_per_list, scope_name,
                       name, make_queue, fullness)


def batch(tensors: Any, batch_size: int, num_threads: int = 1, capacity: int = 32,
          enqueue_many: bool = False, shapes: Any = None, dynamic_pad: bool = False,
          allow_smaller_final_batch: bool = False, shared_name: str | None = None,
          name: str | None = None) -> Any:
    """Batches of ``tensors`` (a list or dict) in order, through a FIFO queue (a padding
    one with ``dynamic_pad``) filled by ``num_threads`` queue-runner threads; adds TF1's
    ``<scope>/fraction_of_<capacity>_full`` summary."""
    return maybe_batch(tensors, None, batch_size, num_threads, capacity, enqueue_many,
                       shapes, dynamic_pad, allow_smaller_final_batch, shared_name, name)


def maybe_batch(tensors: Any, keep_input: Any, batch_size: int, num_threads: int = 1,
                capacity: int = 32, enqueue_many: bool = False, shapes: Any = None,
                dynamic_pad: bool = False, allow_smaller_final_batch: bool = False,
                shared_name: str | None = None, name: str | None = None) -> Any:
    """:func:`batch` of only the elements for which ``keep_input`` (a bool scalar, or
    with ``enqueue_many`` a vector, one flag per row) is True."""
    return _fifo_batch_join([tensors], keep_input, batch_size, num_threads, capacity,
                            enqueue_many, shapes, dynamic_pad, allow_smaller_final_batch,
                            shared_name, name, "batch")


def batch_join(tensors_list: Any, batch_size: int, capacity: int = 32,
               enqueue_many: bool = False, shapes: Any = None, dynamic_pad: bool = False,
               allow_smaller_final_batch: bool = False, shared_name: str | None = None,
               name: str | None = None) -> Any:
    """:func:`batch` of several tensor lists (or dicts) of the same structure, each
    enqueued by its own queue-runner thread (TF1's way to batch from parallel readers)."""
    return maybe_batch_join(tensors_list, None, batch_size, capacity, enqueue_many, shapes,
                            dynamic_pad, allow_smaller_final_batch, shared_name, name)


def maybe_batch_join(tensors_list: Any, keep_input: Any, batch_size: int, capacity: int = 32,
                     enqueue_many: bool = False, shapes: Any = None,
                     dynamic_pad: bool = False, allow_smaller_final_batch: bool = False,
                     shared_name: str | None = None, name: str | None = None) -> Any:
    """:func:`batch_join` of only the elements for which ``keep_input`` holds."""
    return _fifo_batch_join(tensors_list, keep_input, batch_size, 1, capacity, enqueue_many,
                            shapes, dynamic_pad, allow_smaller_final_batch, shared_name,
                            name, "batch_join")


def shuffle_batch(tensors: Any, batch_size: int, capacity: int, min_after_dequeue: int,
                  num_threads: int = 1, seed: int | None = None, enqueue_many: bool = False,
                  shapes: Any = None, allow_smaller_final_batch: bool = False,
                  shared_name: str | None = None, name: str | None = None) -> Any:
    """Batches of ``tensors`` drawn at random from a shuffling queue holding at least
    ``min_after_dequeue`` elements (until it is closed); adds TF1's
    ``<scope>/fraction_over_<min>_of_<capacity - min>_full`` summary."""
    return maybe_shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, None,
                               num_threads, seed, enqueue_many, shapes,
                               allow_smaller_final_batch, shared_name, name)


def maybe_shuffle_batch(tensors: Any, batch_size: int, capacity: int, min_after_dequeue: int,
                        keep_input: Any, num_threads: int = 1, seed: int | None = None,
                        enqueue_many: bool = False, shapes: Any = None,
                        allow_smaller_final_batch: bool = False,
                        shared_name: str | None = None, name: str | None = None) -> Any:
    """:func:`shuffle_batch` of only the elements for which ``keep_input`` holds (see
    :func:`maybe_batch`)."""
    return _shuffle_batch_join([tensors], keep_input, batch_size, num_threads, capacity,
                               min_after_dequeue, seed, enqueue_many, shapes,
                               allow_smaller_final_batch, shared_name, name, "shuffle_batch")


def shuffle_batch_join(tensors_list: Any, batch_size: int, capacity: int,
                       min_after_dequeue: int, seed: int | None = None,
                       enqueue_many: bool = False, shapes: Any = None,
                       allow_smaller_final_batch: bool = False,
                       shared_name: str | None = None, name: str | None = None) -> Any:
    """:func:`shuffle_batch` of several tensor lists of the same structure, each
    enqueued by its own queue-runner thread."""
    return maybe_shuffle_batch_join(tensors_list, batch_size, capacity, min_after_dequeue,
                                    None, seed, enqueue_many, shapes,
                                    allow_smaller_final_batch, shared_name, name)


def maybe_shuffle_batch_join(tensors_list: Any, batch_size: int, capacity: int,
                             min_after_dequeue: int, keep_input: Any,
                             seed: int | None = None, enqueue_many: bool = False,
                             shapes: Any = None, allow_smaller_final_batch: bool = False,
                             shared_name: str | None = None, name: str | None = None) -> Any:
    """:func:`shuffle_batch_join` of only the elements for which ``keep_input`` holds."""
    return _shuffle_batch_join(tensors_list, keep_input, batch_size, 1, capacity,
                               min_after_dequeue, seed, enqueue_many, shapes,
                               allow_smaller_final_batch, shared_name, name,
                               "shuffle_batch_join")

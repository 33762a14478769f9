"""Run tracing: what a run with ``tf.RunOptions(trace_level=...)`` records.

A traced run executes the plan's instrumented twin (:attr:`Plan.traced`), which calls a
:class:`StepRecorder` after each instruction with its start and end times
(:func:`time.perf_counter_ns`) and its outputs. The recorder keeps only the outputs'
shapes, dtypes and sizes (never the values, so a traced run frees memory as an untraced
one does) and then writes TF's ``StepStats`` protocol buffer into
``run_metadata.step_stats``: one device (the CPU), one ``NodeExecStats`` per executed
instruction, in execution order.

Fields filled, as TF1 fills them: ``node_name`` (the graph's op name), ``timeline_label``
(``"name = Type(input, input:1)"``, which TF's timeline parses for the op type and the
inputs), ``all_start_micros`` (wall-clock microseconds since the epoch),
``op_start_rel_micros`` (0), ``op_end_rel_micros`` and ``all_end_rel_micros`` (the
duration), their ``*_nanos`` twins, ``thread_id``, and one ``output`` per output value
with its ``tensor_description`` (dtype, shape, and an ``allocation_description`` whose
``requested_bytes`` is the value's size and ``allocated_bytes`` 0 when the op wrote into
an input's buffer). Constants, variable reads and feeds are not instructions and are
not listed. ``RunMetadata.partition_graphs``, ``cost_graph`` and ``function_graphs`` stay
empty: there is a single partition (the plan) and no cost model.
"""
from __future__ import annotations

import functools
import threading
import time
import weakref
from typing import Any

from tensorboard.compat.proto.step_stats_pb2 import StepStats

from ..core.dtypes import as_dtype

DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"
"""The device every op runs on, named as TF1 names the local CPU."""


def is_traced(options: Any) -> bool:
    """True when ``options`` (a ``tf.RunOptions`` or None) asks for a trace: any
    ``trace_level`` above ``NO_TRACE`` (SOFTWARE, HARDWARE and FULL all record the same
    software step statistics here; there are no hardware counters)."""
    return options is not None and getattr(options, "trace_level", 0) > 0


class StepRecorder:
    """Receives ``(k, start_ns, end_ns, *outputs)`` from a traced plan's instructions.

    ``generated`` is the plan's instrumented source (:attr:`Plan.traced`), whose
    ``traced`` list gives, for index ``k``, the instruction's node and whether it wrote
    its output in place.
    """

    __slots__ = ("nodes", "labels", "records", "wall_start_ns", "perf_start_ns")

    def __init__(self, generated: Any) -> None:
        self.nodes = generated.traced
        self.labels = _labels_of(generated)
        self.records: list[tuple] = []
        self.wall_start_ns = time.time_ns()
        self.perf_start_ns = time.perf_counter_ns()

    def __call__(self, k: int, start: int, end: int, *outputs: Any) -> None:
        # Only what describes the outputs is kept, not the values: (shape, dtype, bytes).
        self.records.append((k, start, end, [
            (getattr(v, "shape", None), getattr(v, "dtype", None), getattr(v, "nbytes", 0))
            for v in outputs]))

    def step_stats(self) -> StepStats:
        """The recorded instructions as TF's ``StepStats``."""
        stats = StepStats()
        device = stats.dev_stats.add()
        device.device = DEVICE
        thread = threading.get_ident() & 0xFFFFFFFF
        offset = self.wall_start_ns - self.perf_start_ns  # perf counter -> wall clock
        nodes, labels, add = self.nodes, self.labels, device.node_stats.add
        for k, start, end, outputs in self.records:
            node, inplace = nodes[k]
            ns = add()
            ns.node_name = node.name
            ns.timeline_label = labels[k]
            ns.thread_id = thread
            start_ns = start + offset
            duration_ns = end - start
            start_micros = start_ns // 1000
            ns.all_start_nanos = start_ns
            ns.all_start_micros = start_micros
            ns.op_end_rel_nanos = ns.all_end_rel_nanos = duration_ns
            # Rounded so that start + duration covers the end in whole microseconds.
            duration_micros = (start_ns + duration_ns + 999) // 1000 - start_micros
            ns.op_end_rel_micros = ns.all_end_rel_micros = duration_micros
            for slot, (shape, dtype, nbytes) in enumerate(outputs):
                out = ns.output.add()
                out.slot = slot
                desc = out.tensor_description
                enum = _datatype_of(dtype)
                if enum is not None:
                    desc.dtype = enum
                if shape is None:
                    desc.shape.unknown_rank = True
                else:
                    for d in shape:
                        desc.shape.dim.add().size = d
                alloc = desc.allocation_description
                alloc.requested_bytes = nbytes
                alloc.allocated_bytes = 0 if inplace else nbytes
                alloc.allocator_name = "cpu"
        return stats


def timeline_label(node: Any) -> str:
    """TF's label of an executed node: ``"name = Type(input, input:1)"``."""
    return f"{node.name} = {node.type}({', '.join(map(_input_name, node.inputs))})"


def _input_name(value: tuple) -> str:
    """An input as TF's labels name it: ``op`` for output 0, ``op:i`` for another; a
    fed tensor's node carries the tensor's name."""
    source, index = value
    if source.opdef is None:  # a feed
        name = source.name
        return name[:-2] if name.endswith(":0") else name
    return source.name if index == 0 else f"{source.name}:{index}"


@functools.lru_cache(maxsize=64)
def _datatype_of(dtype: Any) -> int | None:
    """TF's ``DataType`` enum value of a NumPy dtype (None for other kinds of value)."""
    if dtype is None:
        return None
    try:
        return as_dtype(dtype).as_datatype_enum or None
    except (TypeError, ValueError):
        return None


# The labels of a traced source's instructions (by its unique file name), made on its
# first traced run and dropped with it.
_LABELS: dict[str, list[str]] = {}


def _labels_of(generated: Any) -> list[str]:
    labels = _LABELS.get(generated.filename)
    if labels is None:
        labels = _LABELS[generated.filename] = [timeline_label(node)
                                                for node, _ in generated.traced]
        weakref.finalize(generated, _LABELS.pop, generated.filename, None)
    return labels

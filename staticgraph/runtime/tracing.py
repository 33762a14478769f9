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

import threading
import time
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

    ``nodes`` is :attr:`Generated.traced`: for index ``k``, the instruction's node and
    whether it wrote its output in place.
    """

    __slots__ = ("nodes", "records", "wall_start_ns", "perf_start_ns")

    def __init__(self, nodes: list) -> None:
        self.nodes = nodes
        self.records: list[tuple] = []
        self.wall_start_ns = time.time_ns()
        self.perf_start_ns = time.perf_counter_ns()

    def __call__(self, k: int, start: int, end: int, *outputs: Any) -> None:
        self.records.append((k, start, end, [_describe(v) for v in outputs]))

    def step_stats(self) -> StepStats:
        """The recorded instructions as TF's ``StepStats``."""
        stats = StepStats()
        device = stats.dev_stats.add()
        device.device = DEVICE
        thread = threading.get_ident() & 0xFFFFFFFF
        offset = self.wall_start_ns - self.perf_start_ns  # perf counter -> wall clock
        for k, start, end, outputs in self.records:
            node, inplace = self.nodes[k]
            ns = device.node_stats.add()
            ns.node_name = node.name
            ns.timeline_label = timeline_label(node)
            ns.thread_id = thread
            start_ns = start + offset
            duration_ns = end - start
            ns.all_start_nanos = start_ns
            ns.all_start_micros = start_ns // 1000
            ns.op_start_rel_nanos = ns.op_start_rel_micros = 0
            ns.op_end_rel_nanos = ns.all_end_rel_nanos = duration_ns
            # Rounded so that start + duration covers the end in whole microseconds.
            end_micros = (start_ns + duration_ns + 999) // 1000
            ns.op_end_rel_micros = ns.all_end_rel_micros = end_micros - ns.all_start_micros
            for slot, (shape, dtype, nbytes) in enumerate(outputs):
                out = ns.output.add()
                out.slot = slot
                desc = out.tensor_description
                if dtype is not None:
                    desc.dtype = dtype
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


def _describe(value: Any) -> tuple:
    """(shape or None, DataType enum or None, bytes) of an output value, read without
    copying it."""
    shape = getattr(value, "shape", None)
    dtype = getattr(value, "dtype", None)
    try:
        enum = as_dtype(dtype).as_datatype_enum if dtype is not None else None
    except (TypeError, ValueError):
        enum = None
    return (tuple(int(d) for d in shape) if shape is not None else None, enum,
            int(getattr(value, "nbytes", 0)))

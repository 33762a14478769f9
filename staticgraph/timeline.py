"""``staticgraph.timeline`` (TF1's ``tensorflow.python.client.timeline``): step statistics
of a traced run as a Chrome trace, and a per-op-type summary.

::

    run_metadata = tf.RunMetadata()
    sess.run(train_op, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
             run_metadata=run_metadata)
    trace = timeline.Timeline(run_metadata.step_stats).generate_chrome_trace_format()
    print_op_summary(run_metadata.step_stats)

The trace is the JSON that ``chrome://tracing`` and Perfetto load, laid out as TF1's
timeline lays it out: a process per device for compute ("<device> Compute"), one for
its tensors ("<device> Tensors") and one for "Allocators"; each op an ``"X"`` event in
category ``"Op"`` named by its type, with ``args`` ``name``, ``op`` and ``input0``…; ops
placed on the first lane (thread) free at their start. ``show_dataflow`` adds flow
arrows from producer to consumer between different lanes; ``show_memory`` adds each
output tensor's lifetime (create/snapshot/delete events) and a counter per allocator of
the bytes held.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["Timeline", "OpTypeStats", "op_type_summary", "format_op_summary",
           "print_op_summary"]

_LABEL = re.compile(r"(.*) = (.*)\((.*)\)")


def _parse_label(label: str) -> tuple[str, list[str]]:
    """(op type, input names) from a ``"name = Type(a, b:1)"`` timeline label."""
    match = _LABEL.match(label)
    if match is None:
        return "unknown", []
    inputs = match.group(3)
    return match.group(2), inputs.split(", ") if inputs else []


class Timeline:
    """A ``StepStats`` message turned into Chrome's trace event format (TF1's
    ``timeline.Timeline``). ``graph`` is accepted for TF1 compatibility and unused."""

    def __init__(self, step_stats: Any, graph: Any = None) -> None:
        self._step_stats = step_stats
        self._events: list[dict] = []
        self._metadata: list[dict] = []
        self._next_pid = 0
        self._next_flow = 0

    # -- events ------------------------------------------------------------------
    def _event(self, ph: str, cat: str, name: str, pid: int, tid: int, ts: int,
               **extra: Any) -> None:
        self._events.append(dict(ph=ph, cat=cat, name=name, pid=pid, tid=tid, ts=ts,
                                 **extra))

    def _process(self, name: str) -> int:
        pid = self._next_pid
        self._next_pid += 1
        self._metadata.append(dict(name="process_name", ph="M", pid=pid,
                                   args={"name": name}))
        return pid

    # -- analysis ----------------------------------------------------------------
    def _lanes(self, node_stats: Any) -> list[int]:
        """Each op's lane: the first whose last op ended strictly before it starts."""
        ends: list[int] = []
        lanes = []
        for ns in node_stats:
            start = ns.all_start_micros
            for lane, end in enumerate(ends):
                if start > end:
                    break
            else:
                lane = len(ends)
                ends.append(0)
            ends[lane] = start + ns.all_end_rel_micros
            lanes.append(lane)
        return lanes

    def _device(self, dev: Any, show_dataflow: bool,
                show_memory: bool, memory: dict) -> None:
        compute = self._process(dev.device + " Compute")
        tensors_pid = self._process(dev.device + " Tensors")
        lanes = self._lanes(dev.node_stats)
        tensors: dict[str, dict] = {}  # output name -> producer and lifetime
        for ns, lane in zip(dev.node_stats, lanes):
            start = ns.all_start_micros
            end = start + ns.all_end_rel_micros
            for index, out in enumerate(ns.output):
                name = ns.node_name if index == 0 else f"{ns.node_name}:{index}"
                alloc = out.tensor_description.allocation_description
                tensors[name] = dict(id=len(memory), created=start, end=end, last=end, lane=lane,
                                     bytes=alloc.requested_bytes,
                                     allocator=alloc.allocator_name, pid=tensors_pid)
                memory[(dev.device, name)] = tensors[name]
                if show_memory:
                    self._event("N", "Tensor", name, tensors_pid, lane, start,
                                id=tensors[name]["id"])
                    self._event("O", "Tensor", name, tensors_pid, lane, end - 1,
                                id=tensors[name]["id"],
                                args={"snapshot": {"tensor_description": str(
                                    out.tensor_description).replace('"', "")}})
        for ns, lane in zip(dev.node_stats, lanes):
            start = ns.all_start_micros
            op, inputs = _parse_label(ns.timeline_label)
            args = {"name": ns.node_name, "op": op}
            args.update((f"input{i}", name) for i, name in enumerate(inputs))
            self._event("X", "Op", op, compute, lane, start, dur=ns.all_end_rel_micros,
                        args=args)
            for name in inputs:
                tensor = tensors.get(name)
                if tensor is None:  # a constant, variable or feed: not an instruction
                    continue
                tensor["last"] = max(tensor["last"], start + ns.all_end_rel_micros - 1)
                if show_dataflow and tensor["lane"] != lane:
                    flow = self._next_flow
                    self._next_flow += 1
                    self._event("s", "DataFlow", name, compute, tensor["lane"],
                                tensor["end"], id=flow)
                    self._event("t", "DataFlow", name, compute, lane, start, id=flow)

    def _memory_counters(self, allocators: int, memory: dict) -> None:
        changes: dict[str, list] = {}
        for (_, name), tensor in memory.items():
            self._event("D", "Tensor", name, tensor["pid"], 0, tensor["last"],
                        id=tensor["id"])
            series = changes.setdefault(tensor["allocator"], [])
            series.append((tensor["created"], tensor["bytes"]))
            series.append((tensor["last"], -tensor["bytes"]))
        for allocator, series in changes.items():
            total = 0
            for ts, delta in sorted(series, key=lambda change: change[0]):
                total += delta
                self._event("C", "Memory", allocator, allocators, 0, ts,
                            args={allocator: total})

    def generate_chrome_trace_format(self, show_dataflow: bool = True,
                                     show_memory: bool = False,
                                     op_time: str = "schedule") -> str:
        """The trace as a JSON string (``{"traceEvents": [...]}``). ``op_time`` is
        accepted for TF1 compatibility: every op runs on the CPU, so its "schedule",
        "gpu" and "all" times are the same."""
        if op_time not in ("schedule", "gpu", "all"):
            raise ValueError(f"Timeline: op_time must be 'schedule', 'gpu' or 'all', "
                             f"got {op_time!r}")
        self._events, self._metadata = [], []
        self._next_pid = self._next_flow = 0
        allocators = self._process("Allocators")
        memory: dict = {}
        for dev in self._step_stats.dev_stats:
            self._device(dev, show_dataflow, show_memory, memory)
        if show_memory:
            self._memory_counters(allocators, memory)
        return json.dumps({"traceEvents": self._metadata + self._events}, indent=4)


@dataclass(frozen=True)
class OpTypeStats:
    """One row of :func:`op_type_summary`: an op type's executions in a step."""

    op_type: str
    count: int
    total_micros: int
    mean_micros: float
    percent_of_step: float


def op_type_summary(step_stats: Any) -> list[OpTypeStats]:
    """Per op type: how many ops ran, their total and mean time in microseconds and the
    share of the step (first op's start to last op's end), the costliest type first."""
    totals: dict[str, list[int]] = {}
    first, last = None, None
    for dev in step_stats.dev_stats:
        for ns in dev.node_stats:
            op, _ = _parse_label(ns.timeline_label)
            row = totals.setdefault(op, [0, 0])
            row[0] += 1
            row[1] += ns.all_end_rel_micros
            start = ns.all_start_micros
            first = start if first is None else min(first, start)
            end = start + ns.all_end_rel_micros
            last = end if last is None else max(last, end)
    step = max((last or 0) - (first or 0), 1)
    rows = [OpTypeStats(op, count, total, total / count, 100.0 * total / step)
            for op, (count, total) in totals.items()]
    return sorted(rows, key=lambda r: (-r.total_micros, r.op_type))


def format_op_summary(step_stats: Any) -> str:
    """:func:`op_type_summary` as an aligned text table with a total line."""
    rows = op_type_summary(step_stats)
    width = max([len("op type")] + [len(r.op_type) for r in rows])
    lines = [f"{'op type':<{width}}  {'count':>6}  {'total us':>10}  {'mean us':>9}  "
             f"{'% step':>6}"]
    for r in rows:
        lines.append(f"{r.op_type:<{width}}  {r.count:>6}  {r.total_micros:>10}  "
                     f"{r.mean_micros:>9.1f}  {r.percent_of_step:>6.1f}")
    lines.append(f"{'total':<{width}}  {sum(r.count for r in rows):>6}  "
                 f"{sum(r.total_micros for r in rows):>10}")
    return "\n".join(lines)


def print_op_summary(step_stats: Any) -> None:
    """Prints :func:`format_op_summary`."""
    print(format_op_summary(step_stats))

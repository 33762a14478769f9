"""TF1 summaries: ``tf.summary.scalar``/``histogram``/``merge``/``merge_all`` and ``FileWriter``.

A summary op's value (what ``sess.run`` returns) is bytes, as in TF1; here they hold JSON
records rather than a ``Summary`` protobuf. ``FileWriter.add_summary`` writes each record
- to ``summaries.jsonl`` in the log directory (always: one JSON object a line), and
- to a TensorBoard event file when the optional ``tensorboardX`` package is installed
  (``pip install staticgraph[summary]``), so ``tensorboard --logdir`` shows the scalars and
  histograms.

``FileWriter(logdir, graph)`` and ``add_graph`` write ``graph.dot`` and, when the Graphviz
program is installed, ``graph.svg`` (else a warning says how to install it); with
tensorboardX they also put the graph in the event file for TensorBoard's Graphs tab.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import time
import warnings
from typing import Any, Iterable, Iterator

import numpy as np

from ..core.dtypes import DType
from ..core.graph import Graph, GraphKeys, Tensor, get_collection, get_default_graph
from ..core.registry import define_op
from ..core.shapes import TensorShape
from ..ops.framework import apply_op, convert_to_tensor
from .dot import GraphvizNotInstalled, to_dot

SUMMARY_DTYPE = DType(np.object_)  # a serialized summary: bytes (TF1 returns a string)
_MAGIC = "staticgraph.summary"
HISTOGRAM_BINS = 30
JSONL_NAME = "summaries.jsonl"
_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w\.]")

__all__ = ["scalar", "histogram", "merge", "merge_all", "FileWriter"]


# -- serialized records ----------------------------------------------------------------------


def _encode(records: list[dict]) -> np.ndarray:
    out = np.empty((), dtype=object)
    out[()] = json.dumps({_MAGIC: records}).encode("utf-8")
    return out


def decode(summary: Any) -> list[dict]:
    """The records held by a summary value (bytes from ``sess.run``)."""
    if isinstance(summary, np.ndarray) and summary.shape == () and summary.dtype == object:
        summary = summary[()]
    try:
        records = json.loads(summary)[_MAGIC] if isinstance(summary, (bytes, str)) else None
    except (ValueError, KeyError, TypeError):
        records = None
    if records is None:
        raise TypeError("add_summary expects the value of a summary op (what sess.run "
                        f"returns for tf.summary.scalar/histogram/merge), got {summary!r:.80}")
    return records


# -- ops ---------------------------------------------------------------------------------------


def _real_input(inputs: list, what: str) -> Tensor:
    x = inputs[0]
    if not (x.dtype.is_floating or x.dtype.is_integer or x.dtype.is_bool):
        raise TypeError(f"{what} needs a real number tensor, got {x.dtype.name}")
    return x


def _scalar_shape(inputs: list, attrs: dict) -> list:
    x = _real_input(inputs, "tf.summary.scalar")
    if x.shape.ndims not in (None, 0):
        raise ValueError(f"tf.summary.scalar needs a scalar value, got shape {x.shape}")
    return [(TensorShape([]), SUMMARY_DTYPE)]


def _scalar_kernel(x: np.ndarray, *, tag: str) -> np.ndarray:
    if np.ndim(x) != 0:
        raise ValueError(f"tf.summary.scalar {tag!r} needs a scalar value, got shape "
                         f"{np.shape(x)}")
    return _encode([{"tag": tag, "kind": "scalar", "value": float(x)}])


def _histogram_shape(inputs: list, attrs: dict) -> list:
    _real_input(inputs, "tf.summary.histogram")
    return [(TensorShape([]), SUMMARY_DTYPE)]


def histogram_record(tag: str, values: np.ndarray, bins: int = HISTOGRAM_BINS) -> dict:
    """Summary statistics and bucket counts of ``values`` (as TensorBoard histograms)."""
    flat = np.asarray(values, dtype=np.float64).ravel()
    if not np.all(np.isfinite(flat)):
        raise ValueError(f"Nan or Inf in summary histogram for: {tag}")
    if flat.size == 0:
        counts, edges = np.zeros(1), np.zeros(2)
    else:
        counts, edges = np.histogram(flat, bins=bins)
    return {"tag": tag, "kind": "histogram",
            "min": float(flat.min()) if flat.size else 0.0,
            "max": float(flat.max()) if flat.size else 0.0,
            "num": int(flat.size), "sum": float(flat.sum()),
            "sum_squares": float(np.dot(flat, flat)),
            "bucket_limit": edges[1:].tolist(), "bucket": counts.astype(float).tolist()}


def _histogram_kernel(values: np.ndarray, *, tag: str) -> np.ndarray:
    return _encode([histogram_record(tag, values)])


def _merge_shape(inputs: list, attrs: dict) -> list:
    if not inputs:
        raise ValueError("tf.summary.merge needs at least one summary")
    for t in inputs:
        if t.dtype != SUMMARY_DTYPE:
            raise TypeError(f"tf.summary.merge takes summary tensors, got {t.name} of dtype "
                            f"{t.dtype.name}")
    return [(TensorShape([]), SUMMARY_DTYPE)]


def _merge_kernel(*summaries: np.ndarray) -> np.ndarray:
    return _encode([record for s in summaries for record in decode(s)])


define_op("ScalarSummary", kernel=_scalar_kernel, shape_fn=_scalar_shape,
          non_differentiable=(0,), doc="A serialized scalar summary.",
          view_of={})
define_op("HistogramSummary", kernel=_histogram_kernel, shape_fn=_histogram_shape,
          non_differentiable=(0,), doc="A serialized histogram summary.",
          view_of={})
define_op("MergeSummary", kernel=_merge_kernel, shape_fn=_merge_shape,
          doc="Summaries merged into one.",
          view_of={})


def clean_tag(name: str) -> str:
    """``name`` with characters TensorBoard does not accept replaced by ``_`` (TF1)."""
    return _INVALID_TAG_CHARACTERS.sub("_", name).lstrip("/")


@contextlib.contextmanager
def _summary_scope(graph: Graph, name: str, family: str | None) -> Iterator[tuple[str, str]]:
    """TF1's tag and op-name scope: ``name`` under the current scope (``family/`` first)."""
    name = clean_tag(name)
    family = clean_tag(family) if family else None
    with graph.name_scope(name if family is None else f"{family}/{name}") as scope:
        tag = scope.rstrip("/")
        yield (tag if family is None else f"{family}/{tag}"), scope


def _summary_op(op_type: str, name: str, value: Any, collections: Iterable[str] | None,
                family: str | None) -> Tensor:
    t = convert_to_tensor(value)
    with _summary_scope(t.graph, name, family) as (tag, scope):
        out = apply_op(op_type, [t], {"tag": tag}, name=scope).outputs[0]
    t.graph.add_to_collections(list(collections or [GraphKeys.SUMMARIES]), out)
    return out


def scalar(name: str, tensor: Any, collections: Iterable[str] | None = None,
           family: str | None = None) -> Tensor:
    """``tf.summary.scalar``: a summary of one real number, tagged by ``name`` and scope."""
    return _summary_op("ScalarSummary", name, tensor, collections, family)


def histogram(name: str, values: Any, collections: Iterable[str] | None = None,
              family: str | None = None) -> Tensor:
    """``tf.summary.histogram``: a histogram summary of all entries of ``values``."""
    return _summary_op("HistogramSummary", name, values, collections, family)


def merge(inputs: list, collections: Iterable[str] | None = None,
          name: str | None = None) -> Tensor:
    """``tf.summary.merge``: one summary holding every record of ``inputs``."""
    inputs = [convert_to_tensor(i) for i in inputs]
    graph = inputs[0].graph if inputs else get_default_graph()
    with graph.name_scope(name or "Merge"):
        out = apply_op("MergeSummary", inputs, name="MergeSummary", graph=graph).outputs[0]
    graph.add_to_collections(list(collections or []), out)
    return out


def merge_all(key: str = GraphKeys.SUMMARIES, scope: str | None = None,
              name: str | None = None) -> Tensor | None:
    """``tf.summary.merge_all``: all summaries of collection ``key``, or None if none."""
    summaries = get_collection(key, scope)
    return merge(summaries, name=name) if summaries else None


# -- writing -----------------------------------------------------------------------------------


def _write_atomically(path: str, data: bytes) -> None:
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _event_writer(logdir: str, max_queue: int, flush_secs: int, suffix: str) -> Any:
    """A ``tensorboardX.FileWriter``, or None when tensorboardX is not installed."""
    try:
        import tensorboardX
    except ImportError:
        return None
    return tensorboardX.FileWriter(logdir, max_queue=max_queue, flush_secs=flush_secs,
                                   filename_suffix=suffix)


def _record_summary(record: dict) -> Any:
    """The ``Summary`` protobuf (via tensorboardX) of one record."""
    from tensorboardX import summary as tbx
    if record["kind"] == "scalar":
        return tbx.scalar(record["tag"], record["value"])
    return tbx.histogram_raw(record["tag"], record["min"], record["max"], record["num"],
                             record["sum"], record["sum_squares"], record["bucket_limit"],
                             record["bucket"])


def to_graph_def(graph: Graph) -> Any:
    """The graph as a TensorFlow ``GraphDef`` protobuf (tensorboardX's), for TensorBoard."""
    from tensorboardX.proto import attr_value_pb2, graph_pb2, node_def_pb2, tensor_shape_pb2

    def shape_proto(shape: TensorShape) -> Any:
        if shape.ndims is None:
            return tensor_shape_pb2.TensorShapeProto(unknown_rank=True)
        return tensor_shape_pb2.TensorShapeProto(dim=[
            tensor_shape_pb2.TensorShapeProto.Dim(size=-1 if d is None else d)
            for d in shape.as_list()])

    nodes = []
    for op in graph.get_operations():
        inputs = [t.op.name if t.value_index == 0 else t.name for t in op.inputs]
        shapes = attr_value_pb2.AttrValue(list=attr_value_pb2.AttrValue.ListValue(
            shape=[shape_proto(t.shape) for t in op.outputs]))
        nodes.append(node_def_pb2.NodeDef(
            name=op.name, op=op.type, input=inputs + ["^" + c.name for c in op.control_inputs],
            attr={"_output_shapes": shapes}))
    return graph_pb2.GraphDef(node=nodes)


class FileWriter:
    """``tf.summary.FileWriter``: writes the graph picture and summaries into ``logdir``.

    ``max_queue``, ``flush_secs`` and ``filename_suffix`` configure the event file;
    ``graph_def`` and ``session`` are accepted for TF1 compatibility and not used.
    """

    def __init__(self, logdir: str, graph: Graph | None = None, max_queue: int = 10,
                 flush_secs: int = 120, graph_def: Any = None, filename_suffix: str = "",
                 session: Any = None) -> None:
        self._logdir = str(logdir)
        os.makedirs(self._logdir, exist_ok=True)
        self._events = _event_writer(self._logdir, max_queue, flush_secs, filename_suffix)
        self._jsonl = open(os.path.join(self._logdir, JSONL_NAME), "a", encoding="utf-8")
        self._warned = False
        if graph is not None:
            self.add_graph(graph)

    def get_logdir(self) -> str:
        """The directory written to."""
        return self._logdir

    def add_graph(self, graph: Graph, global_step: int | None = None,
                  graph_def: Any = None) -> None:
        """Writes ``graph.dot`` and ``graph.svg`` (and the graph event with tensorboardX).

        ``global_step`` and ``graph_def`` are accepted for TF1 compatibility.
        """
        dot = to_dot(graph)
        _write_atomically(os.path.join(self._logdir, "graph.dot"), dot.source.encode())
        try:
            svg = dot.pipe(format="svg")
        except GraphvizNotInstalled as err:
            warnings.warn(f"graph.svg not written: {err}", stacklevel=2)
        else:
            _write_atomically(os.path.join(self._logdir, "graph.svg"), svg)
        if self._events is not None:
            from tensorboardX.proto import event_pb2
            self._events.add_event(event_pb2.Event(
                graph_def=to_graph_def(graph).SerializeToString()))

    def add_summary(self, summary: Any, global_step: int | None = None) -> None:
        """Writes the records of a summary value (from ``sess.run``) at ``global_step``."""
        records = decode(summary)
        step = None if global_step is None else int(global_step)
        wall_time = time.time()
        for record in records:
            self._jsonl.write(json.dumps({"step": step, "wall_time": wall_time, **record}) + "\n")
        if self._events is not None:
            for record in records:
                self._events.add_summary(_record_summary(record), step)
        elif not self._warned:
            self._warned = True
            warnings.warn("tensorboardX is not installed, so summaries are written to "
                          f"{JSONL_NAME} only; `pip install staticgraph[summary]` also "
                          "writes TensorBoard event files.", stacklevel=2)

    def add_run_metadata(self, run_metadata: Any, tag: str,
                         global_step: int | None = None) -> None:
        """Accepted for TF1 compatibility: staticgraph records no run metadata."""

    def flush(self) -> None:
        """Writes everything buffered to disk."""
        self._jsonl.flush()
        if self._events is not None:
            self._events.flush()

    def close(self) -> None:
        """Flushes and closes the files."""
        self._jsonl.close()
        if self._events is not None:
            self._events.close()

    def __enter__(self) -> "FileWriter":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

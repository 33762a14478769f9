"""Printing and asserting at run time: ``tf.Print``, ``tf.print``, ``tf.Assert``.

``tf.Print`` (TF1) passes its input through and writes ``message`` and its data tensors
to standard error each time it runs (only the first ``first_n`` times when that is
positive), each tensor showing at most ``summarize`` elements. ``tf.print`` (TF2 in a
graph) is an op that prints its inputs, separated by ``sep``, when run. ``tf.Assert``
fails the run with an ``InvalidArgumentError`` naming the op and showing its data when its
condition is false.
"""
from __future__ import annotations

import itertools
import sys
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from .framework import apply_op, convert_to_tensor

__all__ = ["Print", "print", "Assert"]

_print_ids = itertools.count()
_times_printed: dict[int, int] = {}


def format_value(value: np.ndarray, summarize: int) -> str:
    """A tensor's value as TF prints it: nested brackets, at most ``summarize`` elements
    per dimension (``...`` marks the rest), strings as their text."""
    value = np.asarray(value)
    if value.ndim == 0:
        item = value.item()
        if isinstance(item, bytes):
            return item.decode("utf-8", "replace")
        if isinstance(item, float):  # TF's digits: 6 significant for float32, 15 for float64
            return f"{item:.{15 if value.dtype == np.float64 else 6}g}"
        return str(item)
    shown = value if summarize < 0 else value[:summarize]
    parts = [format_value(v, summarize) for v in shown]
    more = "..." if 0 <= summarize < len(value) else ""
    return "[" + " ".join(parts) + more + "]"


class AssertionFailed(AssertionError):
    """An Assert op's condition was false (the run reports an ``InvalidArgumentError``)."""


def _print_kernel(x: np.ndarray, *data: np.ndarray, message: str, first_n: int,
                  summarize: int, print_id: int) -> np.ndarray:
    count = _times_printed.get(print_id, 0)
    if first_n < 0 or count < first_n:
        _times_printed[print_id] = count + 1
        text = "".join(format_value(d, summarize) for d in data)
        sys.stderr.write(f"{message}{text}\n")
    return x


define_op("Print", kernel=_print_kernel, shape_fn=lambda inputs, attrs: [
    (inputs[0].shape, inputs[0].dtype)], vjp=lambda op, grad: [grad] + [None] * (
        len(op.inputs) - 1), jvp=lambda op, tangent, *data_tangents: [tangent],
    stateful=True, view_of={0: (0,)},
    doc="Its first input, after writing the message and the data to standard error.")


def Print(input_: Any, data: Sequence[Any], message: str | None = None,
          first_n: int | None = None, summarize: int | None = None,
          name: str | None = None) -> Tensor:
    """``tf.Print``: ``input_`` unchanged; running it writes ``message`` then each of
    ``data`` (``summarize`` elements each, 3 by default) to standard error, only the first
    ``first_n`` times if that is positive. The gradient passes through."""
    inputs = [convert_to_tensor(input_)] + [convert_to_tensor(d) for d in data]
    attrs = {"message": message or "", "first_n": -1 if first_n is None else int(first_n),
             "summarize": 3 if summarize is None else int(summarize),
             "print_id": next(_print_ids)}
    return apply_op("Print", inputs, attrs, name=name).outputs[0]


def _print_v2_kernel(*values: np.ndarray, texts: tuple, sep: str, end: str,
                     summarize: int, stream: str) -> None:
    pieces, it = [], iter(values)
    for text in texts:
        pieces.append(format_value(next(it), summarize) if text is None else text)
    (sys.stdout if stream == "stdout" else sys.stderr).write(sep.join(pieces) + end)


define_op("PrintV2", kernel=_print_v2_kernel, shape_fn=lambda inputs, attrs: [],
          stateful=True, view_of={}, doc="Prints its inputs when run (tf.print).")


def print(*inputs: Any, output_stream: Any = sys.stderr, summarize: int = 3,
          sep: str = " ", end: str = "\n", name: str | None = None) -> Operation:
    """``tf.print`` in a graph: an op that prints ``inputs`` (strings as they are, tensors
    with ``summarize`` elements per dimension, -1 for all) when it runs."""
    tensors, texts = [], []
    for item in inputs:
        if isinstance(item, str):
            texts.append(item)
        else:
            tensors.append(convert_to_tensor(item))
            texts.append(None)
    stream = "stdout" if output_stream is sys.stdout or output_stream == "stdout" else "stderr"
    attrs = {"texts": tuple(texts), "sep": sep, "end": end, "summarize": int(summarize),
             "stream": stream}
    return apply_op("PrintV2", tensors, attrs, name=name)


def _assert_kernel(condition: np.ndarray, *data: np.ndarray, summarize: int) -> None:
    if not np.all(condition):
        shown = " ".join("[" + format_value(d, summarize) + "]" if np.ndim(d) == 0
                         else format_value(d, summarize) for d in data)
        raise AssertionFailed(f"assertion failed: {shown}")


def _assert_shape(inputs: list, attrs: dict) -> list:
    condition = inputs[0]
    if condition.dtype != dtypes.bool_:
        raise TypeError(f"the condition must be a bool tensor, got {condition.dtype.name}")
    return []


define_op("Assert", kernel=_assert_kernel, shape_fn=_assert_shape, stateful=True,
          view_of={}, doc="Fails the run, showing its data, when its condition is false.")


def Assert(condition: Any, data: Sequence[Any], summarize: int | None = None,
           name: str | None = None) -> Operation:
    """``tf.Assert``: an op that fails the run with an ``InvalidArgumentError`` naming it
    and showing ``data`` when ``condition`` is false. Use it as a control dependency."""
    inputs = [convert_to_tensor(condition)] + [convert_to_tensor(d) for d in data]
    return apply_op("Assert", inputs, {"summarize": 3 if summarize is None else summarize},
                    name=name or "Assert")

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


def _one_element(item: Any, dtype: np.dtype) -> str:
    """One element as TF's ``StrCat`` writes it: floats with the fewest of 6 or 9 (float32)
    / 15 or 17 (float64) significant digits that read back exactly, bools as 1/0,
    strings as their text."""
    if dtype.kind == "f":
        short, full, kind = (15, 17, np.float64) if dtype == np.float64 else (6, 9, np.float32)
        text = f"{item:.{short}g}"
        return text if np.isnan(item) or kind(text) == kind(item) else f"{item:.{full}g}"
    if dtype.kind == "c":
        part = np.dtype(np.float64 if dtype == np.complex128 else np.float32)
        return f"({_one_element(item.real, part)},{_one_element(item.imag, part)})"
    if dtype.kind == "b":
        return "1" if item else "0"
    if isinstance(item, bytes):
        return item.decode("utf-8", "replace")
    return str(item)


def summarize_value(value: np.ndarray, summarize: int) -> str:
    """TF1's ``Tensor::SummarizeValue``, as ``tf.Print`` and ``tf.Assert`` show data: the
    first ``summarize`` elements (all for a negative value) in row-major order, each row
    bracketed with no space between rows, ``...`` where elements were left out."""
    value = np.asarray(value)
    flat = value.reshape(-1)
    limit = flat.size if summarize < 0 else min(summarize, flat.size)
    shown = [_one_element(flat[i], value.dtype) for i in range(limit)]
    if value.ndim == 0:
        return " ".join(shown)
    pieces: list[str] = []
    _one_dim(value.shape, 0, shown, [0], pieces)
    return "".join(pieces) + ("..." if flat.size > limit else "")


def _one_dim(shape: tuple, dim: int, shown: list, index: list, out: list) -> None:
    """TF's ``PrintOneDim``: the elements of one dimension, recursing into the next;
    ``index[0]`` counts the elements written so far."""
    if index[0] >= len(shown):
        return
    if dim == len(shape) - 1:
        for i in range(shape[dim]):
            if index[0] >= len(shown):
                if dim != 0:
                    out.append("...")
                return
            out.append((" " if i else "") + shown[index[0]])
            index[0] += 1
        return
    for _ in range(shape[dim]):
        opened = index[0] < len(shown)
        if opened:
            out.append("[")
        _one_dim(shape, dim + 1, shown, index, out)
        if index[0] < len(shown) or opened:
            out.append("]")


def format_value(value: np.ndarray, summarize: int) -> str:
    """A datum of ``tf.Print`` / ``tf.Assert`` as TF1 writes it: ``[`` summary ``]``."""
    return "[" + summarize_value(value, summarize) + "]"


def format_value_v2(value: np.ndarray, summarize: int) -> str:
    """A tensor as ``tf.print`` writes it (TF's ``PrintOneDimV2``): NumPy-like nesting,
    rows on new lines, the first and last ``summarize`` entries of each dimension with
    ``...`` between (all of them for a negative value); a scalar bare."""
    value = np.asarray(value)
    ends = max(value.shape, default=0) if summarize < 0 else summarize
    return _one_dim_v2(value, ends, 0)


def _one_dim_v2(value: np.ndarray, ends: int, dim: int) -> str:
    if value.ndim == 0:
        return _one_element(value.item(), value.dtype)
    spacing = " " if value.ndim == 1 else "\n" * (value.ndim - 1) + " " * (dim + 1)
    count = len(value)
    head = [_one_dim_v2(v, ends, dim + 1) for v in value[:min(ends, count)]]
    tail = [_one_dim_v2(v, ends, dim + 1) for v in value[max(ends, count - ends):]]
    middle = ["..."] if count > 2 * ends else []
    return "[" + spacing.join(head + middle + tail) + "]"


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
        pieces.append(format_value_v2(next(it), summarize) if text is None else text)
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
        shown = " ".join(format_value(d, summarize) for d in data)
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

"""String reductions and formatting of TF1: ``reduce_join``,
``strings.unsorted_segment_join`` and ``strings.format``. None carries a gradient."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .framework import apply_op, constant_value, convert_to_tensor
from .string_text_ops import check_string_input, as_string_tensor

__all__ = ["reduce_join", "unsorted_segment_join", "string_format"]


# ----------------------------------------------------------------------------------------
# ReduceJoin
# ----------------------------------------------------------------------------------------


def _normalize_axes(axis: tuple | None, rank: int) -> tuple[int, ...]:
    if axis is None:  # every axis, joined in row-major order
        return tuple(range(rank - 1, -1, -1))
    axes = tuple(a + rank if a < 0 else a for a in axis)
    if any(not 0 <= a < rank for a in axes) or len(set(axes)) != len(axes):
        raise ValueError(f"ReduceJoin: axis {list(axis)} is invalid for a tensor of rank "
                         f"{rank} (each axis once, in [-{rank}, {rank}))")
    return axes


def _reduce_join_kernel(x: np.ndarray, *, axis: tuple | None, keep_dims: bool,
                        separator: str) -> np.ndarray:
    x = np.asarray(x, dtype=object)
    axes = _normalize_axes(axis, x.ndim)
    kept = [a for a in range(x.ndim) if a not in axes]
    # The first axis listed varies fastest in the joined order, as in TF.
    moved = np.transpose(x, kept + list(reversed(axes)))
    rows = moved.reshape([x.shape[a] for a in kept] + [-1])
    sep = separator.encode("utf-8")
    out = np.empty(rows.shape[:-1], dtype=object)
    for index in np.ndindex(out.shape):
        out[index] = sep.join(rows[index])
    if keep_dims:
        out = out.reshape([1 if a in axes else n for a, n in enumerate(x.shape)])
    return out


def _reduce_join_shape(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    check_string_input("ReduceJoin", x)
    if x.shape.ndims is None:
        return [(TensorShape(None), dtypes.string)]
    dims = x.shape.as_list()
    axes = _normalize_axes(attrs["axis"], len(dims))
    if attrs["keep_dims"]:
        return [(TensorShape([1 if a in axes else n for a, n in enumerate(dims)]),
                 dtypes.string)]
    return [(TensorShape([n for a, n in enumerate(dims) if a not in axes]), dtypes.string)]


define_op("ReduceJoin", kernel=_reduce_join_kernel, shape_fn=_reduce_join_shape,
          view_of={}, non_differentiable=(0,),
          doc="Strings joined with a separator across the given axes.")


def reduce_join(inputs: Any, axis: Any = None, keep_dims: bool | None = None,
                separator: str = "", name: str | None = None,
                reduction_indices: Any = None, keepdims: bool | None = None) -> Any:
    """``tf.reduce_join`` / ``tf.strings.reduce_join``: the strings along ``axis`` (an int,
    a list, or None for all axes) joined with ``separator``. When several axes are listed
    the first varies fastest in the joined order, as in TF (``axis=None`` joins in
    row-major order); ``keep_dims``/``keepdims`` keeps the reduced axes with size 1."""
    if axis is not None and reduction_indices is not None:
        raise ValueError("reduce_join: give axis or reduction_indices, not both")
    axis = reduction_indices if axis is None else axis
    if hasattr(axis, "op"):  # a tensor: its value must be known when the graph is built
        static = constant_value(axis)
        if static is None:
            raise ValueError(f"reduce_join: axis must be a constant, got the computed "
                             f"tensor {axis.name}")
        axis = static
    if axis is not None:
        axis = tuple(int(a) for a in np.atleast_1d(np.asarray(axis, dtype=np.int64)))
    keep = bool(keepdims if keepdims is not None else keep_dims)
    return apply_op("ReduceJoin", [as_string_tensor(inputs)],
                    {"axis": axis, "keep_dims": keep, "separator": str(separator)},
                    name=name).outputs[0]


# ----------------------------------------------------------------------------------------
# UnsortedSegmentJoin
# ----------------------------------------------------------------------------------------


def _segment_join_kernel(x: np.ndarray, ids: np.ndarray, num_segments: np.ndarray, *,
                         separator: str) -> np.ndarray:
    x, ids, count = np.asarray(x, dtype=object), np.asarray(ids), int(num_segments)
    if x.shape[:ids.ndim] != ids.shape:
        raise ValueError(f"UnsortedSegmentJoin: segment_ids of shape {list(ids.shape)} "
                         f"must be a prefix of the input's shape {list(x.shape)}")
    rows = x.reshape((ids.size,) + x.shape[ids.ndim:])
    parts: list[list] = [[] for _ in range(count)]
    for row, segment in enumerate(ids.ravel()):
        if not 0 <= segment < count:
            raise ValueError(f"UnsortedSegmentJoin: segment id {segment} is out of range "
                             f"[0, {count})")
        parts[segment].append(row)
    sep = separator.encode("utf-8")
    out = np.full((count,) + x.shape[ids.ndim:], b"", dtype=object)
    for segment, members in enumerate(parts):
        for index in np.ndindex(out.shape[1:]):
            out[(segment,) + index] = sep.join(rows[(m,) + index] for m in members)
    return out


def _segment_join_shape(inputs: list, attrs: dict) -> list:
    x, ids, num_segments = inputs
    check_string_input("UnsortedSegmentJoin", x)
    if not ids.dtype.is_integer or not num_segments.dtype.is_integer:
        raise TypeError(f"UnsortedSegmentJoin: segment_ids and num_segments must be "
                        f"integers, got {ids.dtype.name} and {num_segments.dtype.name}")
    if x.shape.ndims is None or ids.shape.ndims is None:
        return [(TensorShape(None), dtypes.string)]
    if not TensorShape(x.shape.as_list()[:ids.shape.ndims]).is_compatible_with(ids.shape):
        raise ValueError(f"UnsortedSegmentJoin: segment_ids of shape {ids.shape} must be a "
                         f"prefix of the input's shape {x.shape}")
    count = constant_value(num_segments)
    rest = x.shape.as_list()[ids.shape.ndims:]
    return [(TensorShape([None if count is None else int(count)] + rest), dtypes.string)]


define_op("UnsortedSegmentJoin", kernel=_segment_join_kernel,
          shape_fn=_segment_join_shape, view_of={}, non_differentiable=(0, 1, 2),
          doc="The strings of each segment joined with a separator ('' when empty).")


def unsorted_segment_join(inputs: Any, segment_ids: Any, num_segments: Any,
                          separator: str = "", name: str | None = None) -> Any:
    """``tf.strings.unsorted_segment_join``: the rows of ``inputs`` whose ``segment_ids``
    are equal joined with ``separator``, in input order; an empty segment gives ``''``.
    An id outside ``[0, num_segments)`` fails the run naming the op."""
    ids = convert_to_tensor(segment_ids, preferred_dtype=dtypes.int32)
    count = convert_to_tensor(num_segments, preferred_dtype=dtypes.int32)
    return apply_op("UnsortedSegmentJoin", [as_string_tensor(inputs), ids, count],
                    {"separator": str(separator)}, name=name).outputs[0]


# ----------------------------------------------------------------------------------------
# StringFormat
# ----------------------------------------------------------------------------------------

_ESCAPES = {0x0A: b"\\n", 0x0D: b"\\r", 0x09: b"\\t", 0x22: b'\\"', 0x27: b"\\'",
            0x5C: b"\\\\"}


def _escape(item: bytes) -> str:
    """C-style escaping of a string element (bytes >= 0x80 kept: UTF-8 safe), quoted."""
    out = bytearray(b'"')
    for b in item:
        if b in _ESCAPES:
            out += _ESCAPES[b]
        elif b < 0x20 or b == 0x7F:
            out += b"\\%03o" % b
        else:
            out.append(b)
    return out.decode("utf-8", "replace") + '"'


def _element(item: Any, dtype: np.dtype) -> str:
    if isinstance(item, bytes):
        return _escape(item)
    if dtype.kind == "b":
        return "1" if item else "0"
    if dtype.kind == "f":  # the shortest of TF's two precisions that reads back exactly
        short, full = (6, 9) if dtype.itemsize <= 4 else (15, 17)
        text = f"{item:.{short}g}"
        return text if dtype.type(text) == item or item != item else f"{item:.{full}g}"
    return str(item)


def _summarize(value: np.ndarray, ends: int, dim: int = 0, at: tuple = ()) -> str:
    """TF's print_v2 layout: ``ends`` elements at each end of every axis, ``...`` between."""
    if dim == value.ndim:
        return _element(value[at], value.dtype)
    count = value.shape[dim]
    spacing = " " if dim == value.ndim - 1 else "\n" * (value.ndim - dim - 1) + " " * (dim + 1)
    shown = [i for i in range(count) if i < ends or i >= max(ends, count - ends)]
    parts = [_summarize(value, ends, dim + 1, at + (i,)) for i in shown]
    if count > 2 * ends:
        parts.insert(ends, "...")
    return "[" + spacing.join(parts) + "]"


def _format_kernel(*values: np.ndarray, template: str, placeholder: str, summarize: int
                   ) -> np.ndarray:
    pieces = template.split(placeholder)
    out = [pieces[0]]
    for value, piece in zip(values, pieces[1:]):
        value = np.asarray(value)
        ends = value.size if summarize < 0 else summarize
        out += [_summarize(value, ends), piece]
    return np.array("".join(out).encode("utf-8"), dtype=object)


def _format_shape(inputs: list, attrs: dict) -> list:
    holes = attrs["template"].count(attrs["placeholder"])
    if holes != len(inputs):
        raise ValueError(f"StringFormat: the template {attrs['template']!r} has {holes} "
                         f"placeholders {attrs['placeholder']!r} but {len(inputs)} inputs "
                         f"were given")
    return [(TensorShape([]), dtypes.string)]


define_op("StringFormat", kernel=_format_kernel, shape_fn=_format_shape, view_of={},
          doc="A scalar string: the template with each placeholder replaced by a tensor.")


def string_format(template: str, inputs: Any, placeholder: str = "{}", summarize: int = 3,
                  name: str | None = None) -> Any:
    """``tf.strings.format``: a scalar string, ``template`` with each ``placeholder``
    replaced by the next tensor of ``inputs`` (one tensor or a list), printed as TF
    prints tensors: nested brackets, strings quoted, at most ``summarize`` elements at
    each end of every axis (``-1``: all)."""
    if not placeholder:
        raise ValueError("strings.format: placeholder must not be empty")
    items: Sequence[Any] = inputs if isinstance(inputs, (list, tuple)) else [inputs]
    tensors = [convert_to_tensor(t) for t in items]
    return apply_op("StringFormat", tensors,
                    {"template": str(template), "placeholder": str(placeholder),
                     "summarize": int(summarize)}, name=name).outputs[0]

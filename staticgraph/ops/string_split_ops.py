"""Splitting strings into tokens: ``tf.string_split`` (TF1's ``StringSplit``),
``tf.strings.split`` (``StringSplitV2``) and ``tf.strings.ngrams`` on dense tensors.

Both splits return a ``SparseTensor`` of strings, as ``tensorflow.compat.v1`` does by
default (``result_type='SparseTensor'``): row ``i`` holds the tokens of string ``i``, and
the dense shape's last dimension is the largest token count. staticgraph has no
RaggedTensor, so ``result_type='RaggedTensor'`` is refused with a ``ValueError``.
"""
from __future__ import annotations

import itertools
import re
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .framework import apply_op, constant_value
from .sparse_tensor import SparseTensor
from .string_text_ops import check_string_input, as_string_tensor

__all__ = ["string_split", "split", "ngrams"]


def _tokens_v1(item: bytes, cut: re.Pattern | None, skip_empty: bool) -> list[bytes]:
    """StringSplit: ``item`` cut where ``cut`` (a class of the delimiter's bytes) matches,
    or between every byte when ``cut`` is None; an empty string has no tokens, even with
    ``skip_empty=False`` (as TF)."""
    if cut is None or not item:
        return [item[i:i + 1] for i in range(len(item))]
    tokens = cut.split(item)
    return [t for t in tokens if t] if skip_empty else tokens


def _tokens_v2(item: bytes, sep: bytes, maxsplit: int) -> list[bytes]:
    """StringSplitV2: Python's ``bytes.split`` (runs of ASCII whitespace when ``sep`` is
    empty, empty tokens dropped; otherwise every ``sep``, empty tokens kept)."""
    return item.split(sep or None, maxsplit)


def _sparse_tokens(x: np.ndarray, split_one: Any) -> tuple:
    """The (indices, values, dense_shape) of the tokens of every string of ``x``, one row
    of the result per string (a scalar is one row)."""
    x = np.asarray(x, dtype=object)
    grid = x.reshape(1) if x.ndim == 0 else x
    tokens = [split_one(item) for item in grid.ravel()]
    counts = np.array([len(t) for t in tokens], dtype=np.int64)
    values = np.empty(int(counts.sum()), dtype=object)
    values[:] = list(itertools.chain.from_iterable(tokens))
    rows = np.repeat(np.arange(len(tokens)), counts)
    positions = np.arange(len(values)) - np.repeat(np.cumsum(counts) - counts, counts)
    indices = np.stack(np.unravel_index(rows, grid.shape) + (positions,), axis=1)
    widest = int(counts.max()) if len(counts) else 0
    return (indices.astype(np.int64).reshape(-1, grid.ndim + 1), values,
            np.array(grid.shape + (widest,), dtype=np.int64))


def _split_v1_kernel(x: np.ndarray, *, delimiter: str, skip_empty: bool) -> tuple:
    sep = delimiter.encode("utf-8")
    cut = re.compile(b"[" + b"".join(re.escape(sep[i:i + 1]) for i in range(len(sep)))
                     + b"]") if sep else None
    return _sparse_tokens(x, lambda item: _tokens_v1(item, cut, skip_empty))


def _split_v2_kernel(x: np.ndarray, *, sep: str, maxsplit: int) -> tuple:
    sep_bytes = sep.encode("utf-8")
    return _sparse_tokens(x, lambda item: _tokens_v2(item, sep_bytes, maxsplit))


def _split_shape(op: str, needs_vector: bool):
    def shape_fn(inputs: list, attrs: dict) -> list:
        x = inputs[0]
        check_string_input(op, x)
        rank = x.shape.ndims
        if needs_vector and rank is not None and rank != 1:
            raise ValueError(f"{op}: the input must be a vector (rank 1), got shape {x.shape}")
        out_rank = None if rank is None else max(rank, 1) + 1
        return [(TensorShape([None, out_rank]), dtypes.int64),
                (TensorShape([None]), dtypes.string),
                (TensorShape([out_rank]), dtypes.int64)]
    return shape_fn


define_op("StringSplit", kernel=_split_v1_kernel, shape_fn=_split_shape("StringSplit", True),
          view_of={}, non_differentiable=(0,),
          doc="Tokens of each string cut at any byte of the delimiter (a SparseTensor).")
define_op("StringSplitV2", kernel=_split_v2_kernel,
          shape_fn=_split_shape("StringSplitV2", False), view_of={}, non_differentiable=(0,),
          doc="Tokens of each string cut at a separator or whitespace (a SparseTensor).")


def _check_result_type(op: str, result_type: str) -> None:
    if result_type != "SparseTensor":
        raise ValueError(f"{op}: result_type={result_type!r} is not supported: staticgraph "
                         f"has no RaggedTensor; use the default 'SparseTensor'")


def _python_text(value: Any, what: str) -> str:
    """A separator given as Python text or as a constant tensor."""
    if not isinstance(value, (str, bytes)):
        static = constant_value(value) if hasattr(value, "op") else None
        if static is None or np.ndim(static) != 0:
            raise TypeError(f"{what} must be a Python string or a constant scalar, got "
                            f"{value!r}")
        value = static.item() if isinstance(static, np.ndarray) else static
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _sparse(op: Any) -> SparseTensor:
    return SparseTensor(*op.outputs)


def string_split(source: Any, sep: Any = None, skip_empty: bool = True,
                 delimiter: Any = None, result_type: str = "SparseTensor",
                 name: str | None = None) -> SparseTensor:
    """``tf.string_split`` (TF1): each string of the vector ``source`` cut at every byte of
    the delimiter (``sep``, or ``delimiter`` of older scripts; default ``' '``, an empty
    one cuts between every byte), empty tokens dropped unless ``skip_empty=False`` (an
    empty string has no tokens either way). The
    tokens form a 2-D ``SparseTensor`` (row = string, dense width = most tokens)."""
    if sep is not None and delimiter is not None:
        raise ValueError("string_split: give sep or delimiter, not both")
    _check_result_type("string_split", result_type)
    text = _python_text(" " if sep is None and delimiter is None else
                        (delimiter if sep is None else sep), "string_split: delimiter")
    return _sparse(apply_op("StringSplit", [as_string_tensor(source)],
                            {"delimiter": text, "skip_empty": bool(skip_empty)}, name=name))


def split(input: Any = None, sep: Any = None, maxsplit: int = -1,
          result_type: str = "SparseTensor", source: Any = None,
          name: str | None = None) -> SparseTensor:
    """``tf.strings.split`` (``tensorflow.compat.v1``): each string cut at ``sep`` (every
    occurrence, empty tokens kept, at most ``maxsplit`` cuts when not -1), or at runs of
    ASCII whitespace when ``sep`` is None or empty, as Python's ``bytes.split``. Returns a
    ``SparseTensor`` of rank ``rank(input) + 1`` (a scalar counts as one string)."""
    if input is not None and source is not None:
        raise ValueError("strings.split: give input or source, not both")
    _check_result_type("strings.split", result_type)
    text = "" if sep is None else _python_text(sep, "strings.split: sep")
    value = source if input is None else input
    return _sparse(apply_op("StringSplitV2", [as_string_tensor(value)],
                            {"sep": text, "maxsplit": int(maxsplit)}, name=name))


# ----------------------------------------------------------------------------------------
# Ngrams of dense token tensors
# ----------------------------------------------------------------------------------------


def _ngram_plan(length: int, attrs: dict) -> list[tuple[int, int, int]]:
    """(width, padding per side, start in the padded row) of every ngram taken from a row
    of ``length`` tokens, in order, as TF's kernel counts them (padding never wider than
    width - 1)."""
    padded = bool(attrs["pad_values"])
    wanted = attrs["padding_width"]
    plan = []
    for width in attrs["widths"]:
        pad = min(width - 1 if wanted < 0 else wanted, width - 1) if padded else 0
        plan += [(width, pad, k) for k in range(length + 2 * pad - width + 1)]
    if not plan and attrs["preserve_short"] and length > 0:  # one ngram of the whole row
        pad = max(wanted, 0) if padded else 0
        plan = [(length + 2 * pad, pad, 0)]
    return plan


def _ngrams_kernel(x: np.ndarray, **attrs: Any) -> np.ndarray:
    x = np.asarray(x, dtype=object)
    sep = attrs["separator"].encode("utf-8")
    left, right = (p.encode("utf-8") for p in (attrs["pad_values"] or ("", "")))
    plan = _ngram_plan(x.shape[-1], attrs)
    rows = x.reshape(-1, x.shape[-1])
    out = np.empty((len(rows), len(plan)), dtype=object)
    for i, row in enumerate(rows):
        padded = {pad: [left] * pad + list(row) + [right] * pad for _, pad, _ in plan}
        for j, (width, pad, k) in enumerate(plan):
            out[i, j] = sep.join(padded[pad][k:k + width])
    return out.reshape(x.shape[:-1] + (len(plan),))


def _ngrams_shape(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    check_string_input("Ngrams", x)
    if x.shape.ndims is None:
        return [(TensorShape(None), dtypes.string)]
    if x.shape.ndims == 0:
        raise ValueError("Ngrams: the data must have at least one axis (the tokens), got a "
                         "scalar")
    dims = x.shape.as_list()
    width = None if dims[-1] is None else len(_ngram_plan(dims[-1], attrs))
    return [(TensorShape(dims[:-1] + [width]), dtypes.string)]


define_op("Ngrams", kernel=_ngrams_kernel, shape_fn=_ngrams_shape, view_of={},
          non_differentiable=(0,), doc="The ngrams of the tokens along the last axis.")


def ngrams(data: Any, ngram_width: Any, separator: str = " ", pad_values: Any = None,
           padding_width: int | None = None, preserve_short_sequences: bool = False,
           name: str | None = None) -> Any:
    """``tf.strings.ngrams`` on a dense tensor of tokens: the ngrams of width
    ``ngram_width`` (an int or a list of ints, concatenated in that order) along the last
    axis, tokens joined with ``separator``. ``pad_values`` (a string, or a pair for the
    left and right) pads each row with ``padding_width`` tokens (default width - 1) per
    side. RaggedTensor input (TF's other form) is not supported: staticgraph has none."""
    widths = tuple(int(w) for w in np.atleast_1d(ngram_width))
    if any(w < 1 for w in widths):
        raise ValueError(f"strings.ngrams: ngram_width must be positive, got {widths}")
    if pad_values is None:
        pads: tuple = ()
    elif isinstance(pad_values, (str, bytes)):
        pads = (pad_values, pad_values)
    else:
        pads = tuple(pad_values)
    if padding_width is not None and padding_width < 1:
        raise ValueError(f"strings.ngrams: padding_width must be positive, got "
                         f"{padding_width}")
    attrs = {"widths": widths, "separator": str(separator),
             "pad_values": tuple(p.decode() if isinstance(p, bytes) else str(p) for p in pads),
             "padding_width": -1 if padding_width is None else int(padding_width),
             "preserve_short": bool(preserve_short_sequences)}
    return apply_op("Ngrams", [as_string_tensor(data)], attrs, name=name).outputs[0]

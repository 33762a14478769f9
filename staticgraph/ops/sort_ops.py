"""Sorting and set-like ops on values: ``sort``/``argsort`` (through TopKV2, as TF1 builds
them), Unique and UniqueWithCounts, SearchSorted, ListDiff (``setdiff1d``), UnravelIndex and
the fixed-width histograms."""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape, normalize_axis
from .cast_ops import cast
from .clip_ops import clip_by_value
from .framework import apply_op, constant_value, convert_to_tensor
from .math_ops import floor, multiply, negative, realdiv, subtract
from .op_util import _check_index_dtype, as_index_tensor, const_int, op_scope
from .shape_ops import transpose
from .indexing_ops import strided_slice
from .topk_ops import top_k

__all__ = ["sort", "argsort", "unique", "unique_with_counts", "searchsorted", "setdiff1d",
           "unravel_index", "histogram_fixed_width", "histogram_fixed_width_bins"]

_DIRECTIONS = ("ASCENDING", "DESCENDING")


# ----------------------------------------------------------------------------------------
# sort and argsort: top_k over the whole axis, as TF1 builds them
# ----------------------------------------------------------------------------------------


def _sorted_along(values: Any, axis: Any, direction: str, want_indices: bool,
                  what: str) -> Tensor:
    if direction not in _DIRECTIONS:
        raise ValueError(f"{what}: direction must be one of {_DIRECTIONS}, got {direction!r}")
    x = convert_to_tensor(values)
    if x.shape.ndims is None:
        raise ValueError(f"{what}: the input needs a known rank, got shape {x.shape}")
    if x.dtype.is_bool or x.dtype.is_complex or x.dtype == dtypes.string:
        raise TypeError(f"{what}: cannot sort {x.dtype.name} values")
    rank = x.shape.ndims
    axis = normalize_axis(const_int(axis, f"{what}'s axis"), rank, f"{what} axis")
    n = x.shape.as_tuple()[axis]
    if n is None:
        raise ValueError(f"{what}: the size of the sorted axis {axis} must be known when "
                         f"the graph is built, got shape {x.shape}")
    perm = list(range(rank))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    swapped = x if axis == rank - 1 else transpose(x, perm)
    # Descending order is top_k's; ascending sorts an order-reversing image of the values
    # that cannot overflow: -x for floats, -x - 1 (= ~x) for integers (TF1's mapping;
    # for unsigned integers the wrapping -x - 1 is 2**bits - 1 - x, order-reversing too).
    if direction == "DESCENDING":
        result = top_k(swapped, n)
        values = result.values
    elif x.dtype.is_integer:
        one = np.array(1, x.dtype.dtype)
        result = top_k(subtract(negative(swapped), one), n)
        values = subtract(negative(result.values), one)
    else:
        result = top_k(negative(swapped), n)
        values = negative(result.values)
    out = result.indices if want_indices else values
    return out if axis == rank - 1 else transpose(out, perm)


def sort(values: Any, axis: Any = -1, direction: str = "ASCENDING",
         name: str | None = None) -> Tensor:
    """``tf.sort``: ``values`` sorted along ``axis`` (a constant) in ``direction``.

    Equal values keep their order. NaN sorts after every number in both directions
    (TF1's own order for NaN is unspecified: its top_k kernel leaves NaNs scattered). The
    sorted axis needs a size known when the graph is built. Differentiable through top_k.
    """
    with op_scope(name, "sort", [values]):
        return _sorted_along(values, axis, direction, False, "sort")


def argsort(values: Any, axis: Any = -1, direction: str = "ASCENDING", stable: bool = False,
            name: str | None = None) -> Tensor:
    """``tf.argsort``: int32 indices that sort ``values`` along ``axis``. The sort is
    always stable (equal values keep their index order), so ``stable`` changes nothing."""
    with op_scope(name, "argsort", [values]):
        return _sorted_along(values, axis, direction, True, "argsort")


# ----------------------------------------------------------------------------------------
# Unique / UniqueWithCounts: distinct values in order of first occurrence
# ----------------------------------------------------------------------------------------


def _first_occurrence(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(unique values, index of each entry's value, counts)`` with the values in order
    of first occurrence. Values are equal as numbers (0.0 == -0.0, the first spelling is
    kept); a NaN equals nothing, so every NaN is its own value (TF1's hashing)."""
    nan = np.isnan(x) if x.dtype.kind in "fc" else np.zeros(x.shape, bool)
    numbers, inverse = np.unique(x[~nan], return_inverse=True)
    group = np.empty(x.size, np.int64)
    group[~nan] = inverse.reshape(-1)
    group[nan] = len(numbers) + np.arange(int(nan.sum()))
    count = len(numbers) + int(nan.sum())
    starts = np.full(count, x.size, np.int64)
    np.minimum.at(starts, group, np.arange(x.size))
    order = np.argsort(starts)
    rank = np.empty_like(order)
    rank[order] = np.arange(count)
    idx = rank[group]
    return x[starts[order]], idx, np.bincount(idx, minlength=count)


def _unique_kernel(x: np.ndarray, *, out_idx: dtypes.DType, with_counts: bool) -> tuple:
    if x.ndim != 1:
        raise ValueError(f"Unique: x must be a vector, got shape {x.shape}")
    y, idx, counts = _first_occurrence(x)
    idx = idx.astype(out_idx.dtype)
    if with_counts:
        return y, idx, counts.astype(out_idx.dtype)
    return y, idx


def _unique_shape(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    if x.shape.ndims not in (None, 1):
        raise ValueError(f"x must be a vector, got shape {x.shape}")
    if attrs["out_idx"] not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"out_idx must be int32 or int64, got {attrs['out_idx'].name}")
    outs = [(TensorShape([None]), x.dtype), (x.shape.merge_with([None]), attrs["out_idx"])]
    if attrs["with_counts"]:
        outs.append((TensorShape([None]), attrs["out_idx"]))
    return outs


for _type in ("Unique", "UniqueWithCounts"):
    define_op(_type, kernel=_unique_kernel, shape_fn=_unique_shape, view_of={},
              doc="The distinct values of a vector in order of first occurrence, the index "
                  "of each entry's value (and each value's count). No gradient, as in TF1.")


class Unique(NamedTuple):
    """What ``unique`` returns (TF's namedtuple of the same name)."""

    y: Tensor
    idx: Tensor


class UniqueWithCounts(NamedTuple):
    """What ``unique_with_counts`` returns (TF's namedtuple of the same name)."""

    y: Tensor
    idx: Tensor
    count: Tensor


def unique(x: Any, out_idx: Any = dtypes.int32, name: str | None = None) -> Unique:
    """``tf.unique``: ``(y, idx)``: the distinct values of vector ``x`` in order of first
    occurrence and, for each entry, the position of its value in ``y`` (``x == y[idx]``).
    0.0 and -0.0 are one value; every NaN is a value of its own, as in TF1."""
    attrs = {"out_idx": dtypes.as_dtype(out_idx), "with_counts": False}
    return Unique(*apply_op("Unique", [convert_to_tensor(x)], attrs, name=name).outputs)


def unique_with_counts(x: Any, out_idx: Any = dtypes.int32,
                       name: str | None = None) -> UniqueWithCounts:
    """``tf.unique_with_counts``: :func:`unique`'s ``(y, idx)`` and how many entries of
    ``x`` hold each value of ``y``."""
    attrs = {"out_idx": dtypes.as_dtype(out_idx), "with_counts": True}
    return UniqueWithCounts(*apply_op("UniqueWithCounts", [convert_to_tensor(x)], attrs,
                                      name=name).outputs)


# ----------------------------------------------------------------------------------------
# SearchSorted: insertion points in sorted rows (TF's LowerBound / UpperBound)
# ----------------------------------------------------------------------------------------


def _search_sorted_kernel(sorted_sequence: np.ndarray, values: np.ndarray, *, side: str,
                          out_type: dtypes.DType) -> np.ndarray:
    if sorted_sequence.shape[:-1] != values.shape[:-1]:
        raise ValueError(f"SearchSorted: sorted_sequence {sorted_sequence.shape} and values "
                         f"{values.shape} must agree in all but the last dimension")
    rows = sorted_sequence.reshape(-1, sorted_sequence.shape[-1])
    wanted = values.reshape(len(rows), -1) if rows.shape[0] else values.reshape(0, -1)
    out = np.stack([np.searchsorted(r, v, side=side) for r, v in zip(rows, wanted)]) \
        if len(rows) else np.zeros(wanted.shape, np.int64)
    return out.reshape(values.shape).astype(out_type.dtype)


def _search_sorted_shape(inputs: list, attrs: dict) -> list:
    seq, values = inputs
    if seq.dtype != values.dtype:
        raise TypeError(f"sorted_sequence ({seq.dtype.name}) and values ({values.dtype.name})"
                        f" must have one dtype")
    for t, what in ((seq, "sorted_sequence"), (values, "values")):
        if t.shape.ndims == 0:
            raise ValueError(f"{what} must have rank >= 1, got shape {t.shape}")
    if seq.shape.ndims is not None and values.shape.ndims is not None and \
            not seq.shape[:-1].is_compatible_with(values.shape[:-1]):
        raise ValueError(f"sorted_sequence {seq.shape} and values {values.shape} must "
                         f"agree in all but the last dimension")
    return [(values.shape, attrs["out_type"])]


define_op("SearchSorted", kernel=_search_sorted_kernel, shape_fn=_search_sorted_shape,
          view_of={}, doc="For each value, its insertion point in the matching sorted row "
                          "(before equal entries for side 'left', after them for 'right').")


def searchsorted(sorted_sequence: Any, values: Any, side: str = "left",
                 out_type: Any = dtypes.int32, name: str | None = None) -> Tensor:
    """``tf.searchsorted``: for each of ``values[..., j]`` the index in the sorted last-axis
    row ``sorted_sequence[...]`` where it would be inserted: before entries equal to it for
    ``side="left"``, after them for ``side="right"``. Leading dimensions must match."""
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right', got {side!r}")
    seq, vals = convert_to_tensor(sorted_sequence), convert_to_tensor(values)
    attrs = {"side": side, "out_type": dtypes.as_dtype(out_type)}
    return apply_op("SearchSorted", [seq, vals], attrs,
                    name=name or ("LowerBound" if side == "left" else "UpperBound")).outputs[0]


# ----------------------------------------------------------------------------------------
# ListDiff (setdiff1d) and UnravelIndex
# ----------------------------------------------------------------------------------------


def _list_diff_kernel(x: np.ndarray, y: np.ndarray, *, out_idx: dtypes.DType) -> tuple:
    if x.ndim != 1 or y.ndim != 1:
        raise ValueError(f"ListDiff: x and y must be vectors, got shapes {x.shape} and "
                         f"{y.shape}")
    keep = np.flatnonzero(~np.isin(x, y))
    return x[keep], keep.astype(out_idx.dtype)


def _list_diff_shape(inputs: list, attrs: dict) -> list:
    x, y = inputs
    if x.dtype != y.dtype:
        raise TypeError(f"x ({x.dtype.name}) and y ({y.dtype.name}) must have one dtype")
    for t, what in ((x, "x"), (y, "y")):
        if t.shape.ndims not in (None, 1):
            raise ValueError(f"{what} must be a vector, got shape {t.shape}")
    return [(TensorShape([None]), x.dtype), (TensorShape([None]), attrs["out_idx"])]


define_op("ListDiff", kernel=_list_diff_kernel, shape_fn=_list_diff_shape, view_of={},
          doc="The entries of x not in y, in x's order, and their positions in x.")


class ListDiff(NamedTuple):
    """What ``setdiff1d`` returns (TF's namedtuple of the same name)."""

    out: Tensor
    idx: Tensor


def setdiff1d(x: Any, y: Any, index_dtype: Any = dtypes.int32,
              name: str | None = None) -> ListDiff:
    """``tf.setdiff1d``: ``(out, idx)``: the entries of vector ``x`` that are not in ``y``
    (repeats kept, in ``x``'s order) and their positions in ``x``."""
    tx = convert_to_tensor(x)
    ty = convert_to_tensor(y, dtype=tx.dtype)
    attrs = {"out_idx": dtypes.as_dtype(index_dtype)}
    return ListDiff(*apply_op("ListDiff", [tx, ty], attrs, name=name).outputs)


def _unravel_index_kernel(indices: np.ndarray, dims: np.ndarray) -> np.ndarray:
    total = int(np.prod(dims)) if dims.size else 1
    if np.any(dims <= 0):
        raise ValueError(f"UnravelIndex: dims must be positive, got {dims.tolist()}")
    if indices.size and (indices.min() < 0 or indices.max() >= total):
        bad = indices[(indices < 0) | (indices >= total)].reshape(-1)[0]
        raise ValueError(f"UnravelIndex: index {bad} is out of bounds of dims "
                         f"{dims.tolist()} ({total} entries)")
    return np.array(np.unravel_index(indices, tuple(int(d) for d in dims)), indices.dtype)


def _unravel_index_shape(inputs: list, attrs: dict) -> list:
    indices, dims = inputs
    _check_index_dtype(indices, "indices")
    if dims.dtype != indices.dtype:
        raise TypeError(f"indices ({indices.dtype.name}) and dims ({dims.dtype.name}) must "
                        f"have one dtype")
    if indices.shape.ndims not in (None, 0, 1) or dims.shape.ndims not in (None, 1):
        raise ValueError(f"indices must be a scalar or vector and dims a vector, got "
                         f"shapes {indices.shape} and {dims.shape}")
    if dims.shape.ndims is None or indices.shape.ndims is None:
        return [(TensorShape(None), indices.dtype)]
    return [(TensorShape(dims.shape.as_list() + indices.shape.as_list()), indices.dtype)]


define_op("UnravelIndex", kernel=_unravel_index_kernel, shape_fn=_unravel_index_shape,
          view_of={}, doc="Coordinates in an array of shape dims of flat indices.")


def unravel_index(indices: Any, dims: Any, name: str | None = None) -> Tensor:
    """``tf.unravel_index``: the coordinates (``[len(dims)]`` for a scalar index,
    ``[len(dims), n]`` for a vector) of flat row-major ``indices`` in shape ``dims``."""
    ti = as_index_tensor(indices, "indices")
    td = convert_to_tensor(dims, dtype=ti.dtype)
    return apply_op("UnravelIndex", [ti, td], name=name).outputs[0]


# ----------------------------------------------------------------------------------------
# Fixed-width histograms
# ----------------------------------------------------------------------------------------


def _bin_of(values: np.ndarray, value_range: np.ndarray, nbins: int) -> np.ndarray:
    """TF1's bin of each value: floor(nbins * (v - lo) / (hi - lo)) clipped to the bins."""
    lo, hi = value_range[0], value_range[1]
    with np.errstate(invalid="ignore"):
        scaled = np.floor(nbins * ((values - lo) / (hi - lo)))
    return np.clip(scaled, 0, nbins - 1)


def _histogram_kernel(values: np.ndarray, value_range: np.ndarray, nbins: np.ndarray, *,
                      dtype: dtypes.DType) -> np.ndarray:
    n = int(nbins)
    if n <= 0:
        raise ValueError(f"HistogramFixedWidth: nbins must be positive, got {n}")
    if not value_range[0] < value_range[1]:
        raise ValueError(f"HistogramFixedWidth: value_range must satisfy lo < hi, got "
                         f"{value_range.tolist()}")
    if values.dtype.kind == "f" and np.isnan(values).any():
        raise ValueError(f"HistogramFixedWidth: values must not contain NaN (shape "
                         f"{values.shape})")
    bins = _bin_of(values.reshape(-1), value_range, n)
    return np.bincount(bins.astype(np.int64), minlength=n).astype(dtype.dtype)


def _histogram_shape(inputs: list, attrs: dict) -> list:
    values, value_range, nbins = inputs
    if values.dtype != value_range.dtype or values.dtype.is_bool:
        raise TypeError(f"values ({values.dtype.name}) and value_range "
                        f"({value_range.dtype.name}) must have one numeric dtype")
    if not value_range.shape.is_compatible_with([2]):
        raise ValueError(f"value_range must have shape [2], got {value_range.shape}")
    if nbins.dtype != dtypes.int32 or nbins.shape.ndims not in (None, 0):
        raise TypeError(f"nbins must be an int32 scalar, got {nbins.dtype.name} of shape "
                        f"{nbins.shape}")
    known = constant_value(nbins)
    return [(TensorShape([None if known is None else int(known)]), attrs["dtype"])]


define_op("HistogramFixedWidth", kernel=_histogram_kernel, shape_fn=_histogram_shape,
          view_of={}, doc="Counts of values in nbins equal-width bins over value_range "
                          "(values outside go to the first or last bin; NaN is an error).")


def histogram_fixed_width(values: Any, value_range: Any, nbins: Any = 100,
                          dtype: Any = dtypes.int32, name: str | None = None) -> Tensor:
    """``tf.histogram_fixed_width``: how many ``values`` fall in each of ``nbins`` equal
    bins spanning ``value_range = [lo, hi]``; values below ``lo`` count in the first bin,
    values at or above ``hi`` in the last."""
    v = convert_to_tensor(values)
    r = convert_to_tensor(value_range, dtype=v.dtype)
    n = convert_to_tensor(nbins, dtype=dtypes.int32)
    return apply_op("HistogramFixedWidth", [v, r, n], {"dtype": dtypes.as_dtype(dtype)},
                    name=name).outputs[0]


def histogram_fixed_width_bins(values: Any, value_range: Any, nbins: Any = 100,
                               dtype: Any = dtypes.int32, name: str | None = None) -> Tensor:
    """``tf.histogram_fixed_width_bins``: the bin (as :func:`histogram_fixed_width`
    counts them) of each entry of ``values``, with ``values``' shape."""
    with op_scope(name, "histogram_fixed_width_bins", [values, value_range]) as scope:
        v = convert_to_tensor(values)
        r = convert_to_tensor(value_range, dtype=v.dtype)
        n = convert_to_tensor(nbins, dtype=dtypes.int32)
        lo, hi = strided_slice(r, [0], [1], shrink_axis_mask=1), \
            strided_slice(r, [1], [2], shrink_axis_mask=1)
        scaled = realdiv(subtract(v, lo), subtract(hi, lo))
        bins = cast(floor(multiply(cast(n, v.dtype), scaled)), dtypes.int32)
        top = subtract(n, np.array(1, np.int32))
        return cast(clip_by_value(bins, 0, top), dtypes.as_dtype(dtype), name=scope)

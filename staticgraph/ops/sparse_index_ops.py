"""The index arithmetic of the SparseTensor ops: NumPy kernels that compute new indices
and dense shapes, and where each output entry's value comes from.

These ops never compute values: they return positions (``perm``, ``positions``,
``segment_ids``) that the functions in ``sparse_math_ops``/``sparse_reshape_ops`` feed to
``gather`` or ``unsorted_segment_sum``, so every gradient with respect to values is the
gather's or segment sum's. Their own outputs are integers (no gradient). Indices are
int64 ``[N, rank]``; every kernel checks them against the dense shape.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .framework import apply_op

I64 = dtypes.int64


def check_in_bounds(indices: np.ndarray, shape: np.ndarray, op_type: str) -> None:
    """ValueError naming ``op_type`` when an index row lies outside ``shape``."""
    if indices.ndim != 2 or indices.shape[1] != len(shape):
        raise ValueError(f"{op_type}: indices of shape {list(indices.shape)} do not match "
                         f"dense_shape {shape.tolist()} (rank {len(shape)})")
    bad = np.any((indices < 0) | (indices >= shape), axis=1)
    if np.any(bad):
        row = int(np.argmax(bad))
        raise ValueError(f"{op_type}: index {indices[row].tolist()} (entry {row}) is out of "
                         f"bounds of dense_shape {shape.tolist()}")


def row_major_order(indices: np.ndarray) -> np.ndarray:
    """The stable permutation sorting index rows lexicographically (row-major)."""
    if indices.shape[1] == 0:
        return np.arange(len(indices))
    return np.lexsort(indices.T[::-1])


def _i64(*arrays: np.ndarray) -> tuple:
    return tuple(np.asarray(a, dtype=np.int64) for a in arrays)


def _rank_of(t: Tensor) -> int | None:
    dims = t.shape
    if dims.ndims == 2 and dims.as_tuple()[1] is not None:
        return dims.as_tuple()[1]
    return None


def _shape_rank(t: Tensor) -> int | None:
    return t.shape.as_tuple()[0] if t.shape.ndims == 1 else None


def run_index_op(op_type: str, inputs: Sequence[Tensor], attrs: dict | None = None,
                 name: str | None = None) -> list[Tensor]:
    """Applies one of this module's ops; returns its outputs."""
    return list(apply_op(op_type, list(inputs), attrs, name=name).outputs)


# ----------------------------------------------------------------------------------------
# SparseReorder: row-major order and the permutation giving it
# ----------------------------------------------------------------------------------------


def _reorder_kernel(indices: np.ndarray, shape: np.ndarray) -> tuple:
    check_in_bounds(indices, shape, "SparseReorder")
    perm = row_major_order(indices)
    return _i64(indices[perm], perm)


define_op("SparseReorder", kernel=_reorder_kernel, view_of={}, non_differentiable=(0, 1),
          shape_fn=lambda inputs, attrs: [(inputs[0].shape, I64),
                                          (TensorShape([inputs[0].shape.as_tuple()[0]]
                                                       if inputs[0].shape.ndims else [None]),
                                           I64)],
          doc="Indices sorted row-major, and the permutation that sorts them.")


# ----------------------------------------------------------------------------------------
# SparseSlice: the entries in a box, moved to its origin
# ----------------------------------------------------------------------------------------


def _slice_kernel(indices: np.ndarray, shape: np.ndarray, start: np.ndarray,
                  size: np.ndarray) -> tuple:
    check_in_bounds(indices, shape, "SparseSlice")
    if len(start) != len(shape) or len(size) != len(shape):
        raise ValueError(f"SparseSlice: start {start.tolist()} and size {size.tolist()} "
                         f"must have the rank of dense_shape {shape.tolist()}")
    stop = np.minimum(start + size, shape)
    inside = np.all((indices >= start) & (indices < stop), axis=1)
    positions = np.flatnonzero(inside)
    return _i64(indices[positions] - start, positions, np.maximum(stop - start, 0))


define_op("SparseSlice", kernel=_slice_kernel, view_of={}, non_differentiable=(0, 1, 2, 3),
          shape_fn=lambda inputs, attrs: [(TensorShape([None, _rank_of(inputs[0])]), I64),
                                          (TensorShape([None]), I64),
                                          (inputs[1].shape, I64)],
          doc="Indices inside [start, start + size) shifted to the origin, their positions, "
              "and the clipped size.")


# ----------------------------------------------------------------------------------------
# SparseReshape: the same row-major positions in a new dense shape (-1 inferred)
# ----------------------------------------------------------------------------------------


def _reshape_kernel(indices: np.ndarray, shape: np.ndarray, new_shape: np.ndarray) -> tuple:
    check_in_bounds(indices, shape, "SparseReshape")
    size = int(np.prod(shape))
    target = new_shape.astype(np.int64).copy()
    unknown = np.flatnonzero(target == -1)
    if len(unknown) > 1 or np.any(target < -1):
        raise ValueError(f"SparseReshape: new shape {new_shape.tolist()} may hold one -1 "
                         f"and otherwise non-negative sizes")
    if len(unknown):
        rest = int(np.prod(np.delete(target, unknown)))
        if rest == 0 or size % rest:
            raise ValueError(f"SparseReshape: cannot reshape a tensor of shape "
                             f"{shape.tolist()} ({size} elements) to {new_shape.tolist()}")
        target[unknown[0]] = size // rest
    if int(np.prod(target)) != size:
        raise ValueError(f"SparseReshape: cannot reshape a tensor of shape {shape.tolist()} "
                         f"({size} elements) to {new_shape.tolist()} "
                         f"({int(np.prod(target))} elements)")
    if len(indices) == 0:
        return _i64(np.zeros((0, len(target))), target)
    flat = np.ravel_multi_index(indices.T, shape) if len(shape) else np.zeros(len(indices))
    new = np.stack(np.unravel_index(flat, target), axis=1) if len(target) else \
        np.zeros((len(indices), 0))
    return _i64(new, target)


def _reshape_shape(inputs: list, attrs: dict) -> list:
    indices, _, new_shape = inputs
    rank = _shape_rank(new_shape)
    return [(TensorShape([indices.shape[0] if indices.shape.ndims else None, rank]), I64),
            (TensorShape([rank]), I64)]


define_op("SparseReshape", kernel=_reshape_kernel, shape_fn=_reshape_shape, view_of={},
          non_differentiable=(0, 1, 2),
          doc="Indices of the same row-major positions in a new dense shape.")


# ----------------------------------------------------------------------------------------
# SparseUnion: the union of two index sets (sparse_add, sparse_maximum/minimum)
# ----------------------------------------------------------------------------------------


def _union_kernel(a: np.ndarray, b: np.ndarray, a_shape: np.ndarray,
                  b_shape: np.ndarray) -> tuple:
    if not np.array_equal(a_shape, b_shape):
        raise ValueError(f"SparseUnion: the two SparseTensors must have one dense shape, got "
                         f"{a_shape.tolist()} and {b_shape.tolist()}")
    check_in_bounds(a, a_shape, "SparseUnion")
    check_in_bounds(b, b_shape, "SparseUnion")
    both = np.concatenate([a, b], 0)
    if both.shape[1] == 0:
        unique, inverse = both[:1], np.zeros(len(both), np.int64)
    else:
        unique, inverse = np.unique(both, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    return _i64(unique, inverse[:len(a)], inverse[len(a):])


define_op("SparseUnion", kernel=_union_kernel, view_of={}, non_differentiable=(0, 1, 2, 3),
          shape_fn=lambda inputs, attrs: [
              (TensorShape([None, _rank_of(inputs[0]) or _rank_of(inputs[1])]), I64),
              (TensorShape([inputs[0].shape[0] if inputs[0].shape.ndims else None]), I64),
              (TensorShape([inputs[1].shape[0] if inputs[1].shape.ndims else None]), I64)],
          doc="The sorted union of two index sets and where each input entry lands in it.")


# ----------------------------------------------------------------------------------------
# SparseReduceIndex: which output cell each entry is reduced into
# ----------------------------------------------------------------------------------------


def reduced_axes(axes: Any, rank: int, what: str) -> tuple[int, ...]:
    """Axes normalized to [0, rank) (None: all); ValueError naming ``what``."""
    if axes is None:
        return tuple(range(rank))
    out = []
    for axis in np.reshape(axes, -1):
        if not -rank <= int(axis) < rank:
            raise ValueError(f"{what}: axis {int(axis)} is out of range for a tensor of "
                             f"rank {rank}")
        out.append(int(axis) % rank)
    return tuple(sorted(set(out)))


def _reduce_index_kernel(indices: np.ndarray, shape: np.ndarray, *, axes: Any,
                         keepdims: bool) -> tuple:
    check_in_bounds(indices, shape, "SparseReduceIndex")
    axes = reduced_axes(axes, len(shape), "SparseReduceIndex")
    keep = [d for d in range(len(shape)) if d not in axes]
    out_shape = shape.copy()
    out_shape[list(axes)] = 1
    kept = indices[:, keep]
    if kept.shape[1] == 0:
        unique = np.zeros((1 if len(indices) else 0, 0), np.int64)
        inverse = np.zeros(len(indices), np.int64)
    else:
        unique, inverse = np.unique(kept, axis=0, return_inverse=True)
    if keepdims:
        full = np.zeros((len(unique), len(shape)), np.int64)
        full[:, keep] = unique
        unique = full
    else:
        out_shape = shape[keep]
    return _i64(inverse.reshape(-1), unique, out_shape)


def _reduce_index_shape(inputs: list, attrs: dict) -> list:
    indices, shape = inputs
    rank = _shape_rank(shape)
    if rank is not None and not attrs["keepdims"]:
        rank -= len(reduced_axes(attrs["axes"], rank, "SparseReduceIndex"))
    n = indices.shape.as_tuple()[0] if indices.shape.ndims else None
    return [(TensorShape([n]), I64), (TensorShape([None, rank]), I64),
            (TensorShape([rank]), I64)]


define_op("SparseReduceIndex", kernel=_reduce_index_kernel, shape_fn=_reduce_index_shape,
          view_of={}, non_differentiable=(0, 1),
          doc="For a reduction over axes: each entry's output cell, the sorted non-empty "
              "output cells and the output shape.")


# ----------------------------------------------------------------------------------------
# SparseFillEmptyRows: a default entry in every empty row
# ----------------------------------------------------------------------------------------


def _fill_kernel(indices: np.ndarray, shape: np.ndarray) -> tuple:
    check_in_bounds(indices, shape, "SparseFillEmptyRows")
    if len(shape) == 0:
        raise ValueError("SparseFillEmptyRows: the SparseTensor must have rank >= 1")
    rows = int(shape[0])
    empty = np.ones(rows, bool)
    empty[indices[:, 0]] = False
    added = np.zeros((int(empty.sum()), len(shape)), np.int64)
    added[:, 0] = np.flatnonzero(empty)
    all_indices = np.concatenate([indices, added], 0)
    source = np.concatenate([np.arange(len(indices)), -np.ones(len(added), np.int64)])
    order = np.argsort(all_indices[:, 0], kind="stable")
    return all_indices[order].astype(np.int64), source[order].astype(np.int64), empty


define_op("SparseFillEmptyRows", kernel=_fill_kernel, view_of={}, non_differentiable=(0, 1),
          shape_fn=lambda inputs, attrs: [(TensorShape([None, _rank_of(inputs[0])]), I64),
                                          (TensorShape([None]), I64),
                                          (TensorShape([None]), dtypes.bool_)],
          doc="Indices with an entry [row, 0, ...] added for each empty row, where each "
              "comes from (-1: added), and which rows were empty.")


# ----------------------------------------------------------------------------------------
# SparseConcat: indices of several SparseTensors joined along an axis
# ----------------------------------------------------------------------------------------


def _concat_kernel(*parts: np.ndarray, axis: int, expand_nonconcat_dim: bool) -> tuple:
    n = len(parts) // 2
    indices, shapes = parts[:n], parts[n:]
    for i, s in zip(indices, shapes):
        check_in_bounds(i, s, "SparseConcat")
    rank = len(shapes[0])
    if any(len(s) != rank for s in shapes):
        raise ValueError(f"SparseConcat: all inputs must have one rank, got dense shapes "
                         f"{[s.tolist() for s in shapes]}")
    axis = reduced_axes(axis, rank, "SparseConcat")[0]
    others = [d for d in range(rank) if d != axis]
    stacked = np.stack(shapes)
    if not expand_nonconcat_dim and np.any(stacked[:, others] != stacked[0, others]):
        raise ValueError(f"SparseConcat: dense shapes {[s.tolist() for s in shapes]} differ "
                         f"in a dimension other than the concat axis {axis} (pass "
                         f"expand_nonconcat_dim=True to take the largest)")
    out_shape = stacked.max(axis=0)
    out_shape[axis] = stacked[:, axis].sum()
    offsets = np.concatenate([[0], np.cumsum(stacked[:, axis])[:-1]])
    moved = []
    for i, offset in zip(indices, offsets):
        shifted = i.copy()
        shifted[:, axis] += offset
        moved.append(shifted)
    joined = np.concatenate(moved, 0) if moved else np.zeros((0, rank), np.int64)
    perm = row_major_order(joined)
    return _i64(joined[perm], perm, out_shape)


def _concat_shape(inputs: list, attrs: dict) -> list:
    n = len(inputs) // 2
    ranks = [r for r in map(_rank_of, inputs[:n]) if r is not None]
    rank = ranks[0] if ranks else None
    return [(TensorShape([None, rank]), I64), (TensorShape([None]), I64),
            (TensorShape([rank]), I64)]


define_op("SparseConcat", kernel=_concat_kernel, shape_fn=_concat_shape, view_of={},
          doc="Indices of SparseTensors joined along an axis (row-major), the permutation "
              "of their concatenated values, and the joined dense shape.")


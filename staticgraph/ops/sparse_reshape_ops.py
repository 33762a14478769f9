"""Rearranging SparseTensors: reorder, reshape, transpose, concat, slice, split,
expand_dims, merge and to_indicator.

Indices are computed by the kernels of ``sparse_index_ops``; values follow by ``gather``
with the permutation or positions those kernels return, so gradients with respect to
values are gather's.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from .cast_ops import cast
from .comparison_ops import equal, less
from .fill_ops import fill, ones_like, range as tf_range, zeros
from .framework import constant_value, convert_to_tensor
from .gather_ops import gather
from .join_ops import concat
from .math_ops import add, floordiv, floormod, minimum, multiply
from .op_util import op_scope
from .segment_ops import sparse_to_dense
from .selection_ops import where
from .shape_ops import expand_dims as dense_expand_dims, shape as tf_shape
from .sparse_index_ops import run_index_op
from .sparse_tensor import SparseTensor, as_sparse, constant_dense_shape, known_rank

__all__ = [
    "sparse_reorder", "sparse_reshape", "sparse_transpose", "sparse_concat", "sparse_slice",
    "sparse_split", "sparse_merge", "sparse_to_indicator",
]


def sparse_reorder(sp_input: Any, name: str | None = None) -> SparseTensor:
    """``tf.sparse.reorder``: the same SparseTensor with its indices in row-major
    (canonical) order, values permuted alike (ties keep their order)."""
    sp = as_sparse(sp_input, "sparse_reorder")
    with op_scope(name, "SparseReorder", [sp.values]):
        indices, perm = run_index_op("SparseReorder", [sp.indices, sp.dense_shape])
        return SparseTensor(indices, gather(sp.values, perm), sp.dense_shape)


def sparse_reshape(sp_input: Any, shape: Any, name: str | None = None) -> SparseTensor:
    """``tf.sparse.reshape``: the same row-major positions in a dense shape ``shape``
    (one -1 is inferred); the number of elements must not change."""
    sp = as_sparse(sp_input, "sparse_reshape")
    with op_scope(name, "SparseReshape", [sp.values]):
        target = convert_to_tensor(shape, dtype=dtypes.int64)
        old, new = constant_dense_shape(sp), constant_value(target)
        if old is not None and new is not None and -1 not in np.reshape(new, -1):
            if int(np.prod(old)) != int(np.prod(new)):
                raise ValueError(f"sparse_reshape: cannot reshape a SparseTensor of shape "
                                 f"{old} ({int(np.prod(old))} elements) to shape "
                                 f"{np.asarray(new).tolist()} ({int(np.prod(new))} "
                                 f"elements)")
        indices, out_shape = run_index_op("SparseReshape", [sp.indices, sp.dense_shape,
                                                            target])
        return SparseTensor(indices, sp.values, out_shape)


def sparse_transpose(sp_input: Any, perm: Any = None, name: str | None = None
                     ) -> SparseTensor:
    """``tf.sparse.transpose``: dimensions permuted by ``perm`` (default: reversed),
    indices reordered row-major."""
    sp = as_sparse(sp_input, "sparse_transpose")
    rank = known_rank(sp, "sparse_transpose")
    with op_scope(name, "SparseTranspose", [sp.values]):
        order = list(range(rank))[::-1] if perm is None else perm
        order_t = convert_to_tensor(order, dtype=dtypes.int64)
        moved = SparseTensor(gather(sp.indices, order_t, axis=1), sp.values,
                             gather(sp.dense_shape, order_t))
        return sparse_reorder(moved)


def sparse_concat(axis: Any, sp_inputs: Sequence[Any], name: str | None = None,
                  expand_nonconcat_dim: bool = False, concat_dim: Any = None,
                  expand_nonconcat_dims: Any = None) -> SparseTensor:
    """``tf.sparse.concat``: SparseTensors joined along ``axis`` (row-major result). Other
    dimensions must agree, unless ``expand_nonconcat_dim`` takes their maximum."""
    axis = concat_dim if concat_dim is not None else axis
    expand = expand_nonconcat_dims if expand_nonconcat_dims is not None else \
        expand_nonconcat_dim
    parts = [as_sparse(p, "sparse_concat") for p in sp_inputs]
    if not parts:
        raise ValueError("sparse_concat: sp_inputs must not be empty")
    known_axis = constant_value(axis)
    if known_axis is None:
        raise ValueError(f"sparse_concat: axis must be known when the graph is built, got "
                         f"{axis!r}")
    with op_scope(name, "SparseConcat", [p.values for p in parts]):
        indices, perm, shape = run_index_op(
            "SparseConcat", [p.indices for p in parts] + [p.dense_shape for p in parts],
            {"axis": int(known_axis), "expand_nonconcat_dim": bool(expand)})
        values = gather(concat([p.values for p in parts], 0), perm)
        return SparseTensor(indices, values, shape)


def sparse_slice(sp_input: Any, start: Any, size: Any, name: str | None = None
                 ) -> SparseTensor:
    """``tf.sparse.slice``: the entries in ``[start, start + size)``, moved to the origin;
    the dense shape is ``size`` clipped to the input's extent."""
    sp = as_sparse(sp_input, "sparse_slice")
    with op_scope(name, "SparseSlice", [sp.values]):
        indices, positions, shape = run_index_op(
            "SparseSlice", [sp.indices, sp.dense_shape,
                            convert_to_tensor(start, dtype=dtypes.int64),
                            convert_to_tensor(size, dtype=dtypes.int64)])
        return SparseTensor(indices, gather(sp.values, positions), shape)


def sparse_split(keyword_required: Any = None, sp_input: Any = None, num_split: Any = None,
                 axis: Any = None, name: str | None = None, split_dim: Any = None
                 ) -> list[SparseTensor]:
    """``tf.sparse.split``: ``num_split`` slices along ``axis``; the first
    ``size % num_split`` slices are one larger."""
    if keyword_required is not None:
        raise ValueError("sparse_split: pass sp_input, num_split and axis by keyword")
    axis = split_dim if split_dim is not None else axis
    sp = as_sparse(sp_input, "sparse_split")
    rank = known_rank(sp, "sparse_split")
    known = constant_value(axis), constant_value(num_split)
    if known[0] is None or known[1] is None:
        raise ValueError("sparse_split: axis and num_split must be known when the graph "
                         "is built")
    axis, count = int(known[0]) % rank, int(known[1])
    with op_scope(name, "SparseSplit", [sp.values]):
        size = sp.dense_shape[axis]
        base, extra = floordiv(size, count), floormod(size, count)
        on_axis = equal(tf_range(rank, dtype=dtypes.int64), axis)
        pieces = []
        for i in range(count):
            begin = add(multiply(base, i), minimum(extra, i))
            length = add(base, cast(less(convert_to_tensor(i, dtype=dtypes.int64), extra),
                                    dtypes.int64))
            start = where(on_axis, fill([rank], begin), zeros([rank], dtypes.int64))
            extent = where(on_axis, fill([rank], length), sp.dense_shape)
            pieces.append(sparse_slice(sp, start, extent))
        return pieces


def expand_dims(sp_input: Any, axis: Any = None, name: str | None = None) -> SparseTensor:
    """``tf.sparse.expand_dims``: a size-1 dimension inserted at ``axis`` (in
    ``[-rank - 1, rank]``)."""
    sp = as_sparse(sp_input, "sparse.expand_dims")
    rank = known_rank(sp, "sparse.expand_dims")
    known = constant_value(0 if axis is None else axis)
    if known is None or not -rank - 1 <= int(known) <= rank:
        raise ValueError(f"sparse.expand_dims: axis must be an integer in [{-rank - 1}, "
                         f"{rank}], got {axis!r}")
    at = int(known) % (rank + 1)
    with op_scope(name, "expand_dims", [sp.values]):
        column = zeros([tf_shape(sp.indices)[0], 1], dtypes.int64)
        indices = concat([sp.indices[:, :at], column, sp.indices[:, at:]], 1)
        shape = concat([sp.dense_shape[:at], [1], sp.dense_shape[at:]], 0)
        return SparseTensor(indices, sp.values, shape)


def sparse_merge(sp_ids: Any, sp_values: Any, vocab_size: Any, name: str | None = None,
                 already_sorted: bool = False) -> SparseTensor:
    """``tf.sparse_merge``: ids and values of one shape as one SparseTensor whose last
    dimension is the id (size ``vocab_size``): ``out[..., ids[..., k]] = values[..., k]``."""
    ids = as_sparse(sp_ids, "sparse_merge")
    if not isinstance(vocab_size, (int, np.integer, Tensor)):
        raise TypeError(f"sparse_merge: vocab_size must be one integer (a list of "
                        f"vocabularies is not supported), got {vocab_size!r}")
    with op_scope(name, "SparseMerge", [ids.values]):
        if not ids.dtype.is_integer:
            raise TypeError(f"sparse_merge: sp_ids must hold integers, got {ids.dtype.name}")
        last = dense_expand_dims(cast(ids.values, dtypes.int64), 1)
        indices = concat([ids.indices[:, :-1], last], 1)
        size = cast(convert_to_tensor(vocab_size), dtypes.int64)
        shape = concat([ids.dense_shape[:-1], dense_expand_dims(size, 0)], 0)
        values = sp_values.values if isinstance(sp_values, SparseTensor) else sp_values
        merged = SparseTensor(indices, values, shape)
        return merged if already_sorted else sparse_reorder(merged)


def sparse_to_indicator(sp_input: Any, vocab_size: Any, name: str | None = None) -> Tensor:
    """``tf.sparse.to_indicator``: a bool tensor ``[..., vocab_size]`` that is True at
    ``[..., id]`` for each id in a row of ``sp_input``."""
    sp = as_sparse(sp_input, "sparse_to_indicator")
    with op_scope(name, "SparseToIndicator", [sp.values]) as scope:
        merged = sparse_merge(sp, ones_like(sp.values, dtype=dtypes.bool_), vocab_size)
        return sparse_to_dense(merged.indices, merged.dense_shape, merged.values, False,
                               validate_indices=False, name=scope)

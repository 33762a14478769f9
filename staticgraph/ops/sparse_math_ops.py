"""Arithmetic on SparseTensors: to/from dense, reductions, sums, element-wise extrema,
softmax, products with dense matrices, and the sparse segment reductions of dense data.

Each function is a composite: the index arithmetic is a kernel of ``sparse_index_ops``
and values move through ``gather``/``unsorted_segment_*``/``SparseToDense``, so the
gradients with respect to values (and dense operands) are those ops' rules.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from ..core.shapes import TensorShape
from .cast_ops import cast
from .comparison_ops import equal, greater_equal, logical_not, not_equal
from .composites import boolean_mask
from .fill_ops import fill, ones, range as tf_range, zeros_like
from .framework import constant_value, convert_to_tensor
from .gather_ops import gather, gather_nd, scatter_nd
from .indexed_slices import IndexedSlices
from .join_ops import concat
from .math_ops import (abs as tf_abs, add, conj, exp, maximum, minimum, multiply, realdiv,
                       sqrt, subtract)
from .matmul_ops import matmul
from .op_util import op_scope
from .reduce_ops import reduce_any, reduce_max, reduce_sum
from .segment_ops import (_FROM_IDS, _scaled_sum, segment_mean, segment_sum,
                          sparse_to_dense, unsorted_segment_max, unsorted_segment_mean,
                          unsorted_segment_sqrt_n, unsorted_segment_sum)
from .selection_ops import stop_gradient, where
from .shape_ops import expand_dims, reshape, shape as tf_shape, transpose
from .sparse_index_ops import reduced_axes, run_index_op
from .sparse_tensor import SparseTensor, as_sparse, constant_dense_shape, known_rank
from .stack_ops import stack

__all__ = [
    "sparse_tensor_to_dense", "sparse_reduce_sum", "sparse_reduce_sum_sparse",
    "sparse_reduce_max", "sparse_reduce_max_sparse", "sparse_add", "sparse_maximum",
    "sparse_minimum", "sparse_softmax", "sparse_tensor_dense_matmul", "sparse_matmul",
    "sparse_segment_sum", "sparse_segment_mean", "sparse_segment_sqrt_n", "sparse_retain",
    "sparse_reset_shape", "sparse_fill_empty_rows", "sparse_mask",
]


def sparse_tensor_to_dense(sp_input: Any, default_value: Any = None,
                           validate_indices: bool = True, name: str | None = None) -> Tensor:
    """``tf.sparse.to_dense``: the dense tensor, ``default_value`` (0) where no entry is.
    With ``validate_indices`` the indices must be in row-major order without repeats."""
    sp = as_sparse(sp_input, "sparse_tensor_to_dense")
    default = (b"" if sp.dtype == dtypes.string else 0) if default_value is None \
        else default_value
    out = sparse_to_dense(sp.indices, sp.dense_shape, sp.values, default,
                          validate_indices=validate_indices, name=name or "SparseToDense")
    out.set_shape(sp.shape)
    return out


def from_dense(tensor: Any, name: str | None = None) -> SparseTensor:
    """``tf.sparse.from_dense``: the non-zero entries of a dense tensor (row-major)."""
    with op_scope(name, "dense_to_sparse", [tensor]):
        x = convert_to_tensor(tensor)
        indices = where(not_equal(x, zeros_like(x)))
        return SparseTensor(indices, gather_nd(x, indices), tf_shape(x, out_type=dtypes.int64))


# ----------------------------------------------------------------------------------------
# Reductions
# ----------------------------------------------------------------------------------------


def _reduce(sp_input: Any, axis: Any, keepdims: Any, reduction_axes: Any, keep_dims: Any,
            segment_fn: Any, what: str) -> tuple[SparseTensor, TensorShape]:
    """The reduction as a SparseTensor of its non-empty cells, and its static shape."""
    sp = as_sparse(sp_input, what)
    axes = axis if axis is not None else reduction_axes
    keep = bool(keepdims if keepdims is not None else keep_dims)
    known_axes = None if axes is None else constant_value(axes)
    if axes is not None and known_axes is None:
        raise ValueError(f"{what}: axis must be known when the graph is built, got {axes!r}")
    axes_attr = None if axes is None else tuple(int(a) for a in np.reshape(known_axes, -1))
    ids, cells, out_shape = run_index_op("SparseReduceIndex", [sp.indices, sp.dense_shape],
                                         {"axes": axes_attr, "keepdims": keep})
    values = segment_fn(sp.values, ids, tf_shape(cells)[0])
    dims = sp.shape
    if dims.ndims is None:
        return SparseTensor(cells, values, out_shape), TensorShape(None)
    reduced = reduced_axes(axes_attr, dims.ndims, what)
    static = [1 if d in reduced else size for d, size in enumerate(dims.as_list())
              if keep or d not in reduced]
    return SparseTensor(cells, values, out_shape), TensorShape(static)


def _dense_reduction(segment_fn: Any, tf_name: str, doc: str) -> Any:
    def reduction(sp_input: Any, axis: Any = None, keepdims: Any = None,
                  reduction_axes: Any = None, keep_dims: Any = None) -> Tensor:
        sp, static = _reduce(sp_input, axis, keepdims, reduction_axes, keep_dims,
                             segment_fn, tf_name)
        if static.ndims == 0:  # at most one cell: its value, or 0 without entries
            return reduce_sum(sp.values, name=tf_name)
        out = sparse_to_dense(sp.indices, sp.dense_shape, sp.values, 0, name=tf_name)
        out.set_shape(static)
        return out
    reduction.__name__ = reduction.__qualname__ = tf_name
    reduction.__doc__ = doc
    return reduction


def _sparse_reduction(segment_fn: Any, tf_name: str, doc: str) -> Any:
    def reduction(sp_input: Any, axis: Any = None, keepdims: Any = None,
                  reduction_axes: Any = None, keep_dims: Any = None) -> SparseTensor:
        return _reduce(sp_input, axis, keepdims, reduction_axes, keep_dims, segment_fn,
                       tf_name)[0]
    reduction.__name__ = reduction.__qualname__ = tf_name
    reduction.__doc__ = doc
    return reduction


sparse_reduce_sum = _dense_reduction(
    unsorted_segment_sum, "sparse_reduce_sum",
    "``tf.sparse.reduce_sum``: sums over ``axis`` (None: all), a dense tensor.")
sparse_reduce_max = _dense_reduction(
    unsorted_segment_max, "sparse_reduce_max",
    "``tf.sparse.reduce_max``: maxima of the entries over ``axis`` (the implicit zeros "
    "are not taken into account, as TF1); an output cell with no entry holds 0.")
sparse_reduce_sum_sparse = _sparse_reduction(
    unsorted_segment_sum, "sparse_reduce_sum_sparse",
    "``tf.sparse.reduce_sum_sparse``: :func:`sparse_reduce_sum` as a SparseTensor of the "
    "cells that received an entry.")
sparse_reduce_max_sparse = _sparse_reduction(
    unsorted_segment_max, "sparse_reduce_max_sparse",
    "``tf.sparse.reduce_max_sparse``: :func:`sparse_reduce_max` as a SparseTensor of the "
    "cells that received an entry.")


# ----------------------------------------------------------------------------------------
# Sums and element-wise extrema
# ----------------------------------------------------------------------------------------


def _on_union(a: SparseTensor, b: SparseTensor) -> tuple[Tensor, Tensor, Tensor]:
    """The union of the index sets, and both value vectors on it (0 where absent)."""
    if a.dtype != b.dtype:
        raise TypeError(f"the two SparseTensors must have one dtype, got {a.dtype.name} and "
                        f"{b.dtype.name}")
    cells, at_a, at_b = run_index_op("SparseUnion", [a.indices, b.indices, a.dense_shape,
                                                     b.dense_shape])
    count = tf_shape(cells)[0]
    return (cells, unsorted_segment_sum(a.values, at_a, count),
            unsorted_segment_sum(b.values, at_b, count))


def sparse_add(a: Any, b: Any, threshold: Any = None, thresh: Any = None,
               name: str | None = None) -> Any:
    """``tf.sparse.add``: ``a + b``. Two SparseTensors give a SparseTensor on the union of
    their indices, dropping sums with ``|sum| < thresh``; a SparseTensor and a dense
    tensor give a dense tensor."""
    thresh = threshold if threshold is not None else thresh
    sparse_a, sparse_b = isinstance(a, SparseTensor), isinstance(b, SparseTensor)
    with op_scope(name, "SparseAdd", []):
        if not (sparse_a or sparse_b):
            raise TypeError("sparse_add: at least one input must be a SparseTensor")
        if not (sparse_a and sparse_b):
            sp, dense = (a, convert_to_tensor(b)) if sparse_a else (b, convert_to_tensor(a))
            return add(dense, scatter_nd(sp.indices, sp.values, sp.dense_shape))
        cells, va, vb = _on_union(a, b)
        total = add(va, vb)
        if thresh is None or (constant_value(thresh) is not None
                              and float(constant_value(thresh)) <= 0):
            return SparseTensor(cells, total, a.dense_shape)
        keep = greater_equal(tf_abs(total), cast(convert_to_tensor(thresh), total.dtype))
        return SparseTensor(boolean_mask(cells, keep), boolean_mask(total, keep),
                            a.dense_shape)


def _elementwise(combine: Any, tf_name: str, op_name: str, doc: str) -> Any:
    def function(sp_a: Any, sp_b: Any, name: str | None = None) -> SparseTensor:
        with op_scope(name, op_name, []):
            a, b = as_sparse(sp_a, tf_name), as_sparse(sp_b, tf_name)
            cells, va, vb = _on_union(a, b)
            return SparseTensor(cells, combine(va, vb), a.dense_shape)
    function.__name__ = function.__qualname__ = tf_name
    function.__doc__ = doc
    return function


sparse_maximum = _elementwise(
    maximum, "sparse_maximum", "SparseSparseMaximum",
    "``tf.sparse.maximum``: the element-wise maximum on the union of the indices (an "
    "index missing from one input counts as its 0).")
sparse_minimum = _elementwise(
    minimum, "sparse_minimum", "SparseSparseMinimum",
    "``tf.sparse.minimum``: the element-wise minimum on the union of the indices (an "
    "index missing from one input counts as its 0).")


def sparse_softmax(sp_input: Any, name: str | None = None) -> SparseTensor:
    """``tf.sparse.softmax``: a softmax over the entries of each innermost row (the
    implicit zeros take no part); the result has the input's indices."""
    sp = as_sparse(sp_input, "sparse_softmax")
    if known_rank(sp, "sparse_softmax") < 2:
        raise ValueError(f"sparse_softmax: the SparseTensor must have rank >= 2, got shape "
                         f"{sp.shape}")
    with op_scope(name, "SparseSoftmax", []):
        rows, cells, _ = run_index_op("SparseReduceIndex", [sp.indices, sp.dense_shape],
                                      {"axes": (-1,), "keepdims": False})
        count = tf_shape(cells)[0]
        peak = stop_gradient(gather(unsorted_segment_max(sp.values, rows, count), rows))
        e = exp(subtract(sp.values, peak))
        return SparseTensor(sp.indices, realdiv(e, gather(unsorted_segment_sum(e, rows, count),
                                                          rows)), sp.dense_shape)


# ----------------------------------------------------------------------------------------
# Products
# ----------------------------------------------------------------------------------------


def sparse_tensor_dense_matmul(sp_a: Any, b: Any, adjoint_a: bool = False,
                               adjoint_b: bool = False, name: str | None = None) -> Tensor:
    """``tf.sparse.sparse_dense_matmul``: ``op(A) @ op(B)`` for a rank-2 SparseTensor A
    (repeated indices add up) and a dense matrix B, ``op`` the adjoint when asked."""
    sp = as_sparse(sp_a, "sparse_tensor_dense_matmul")
    with op_scope(name, "SparseTensorDenseMatMul", [sp.values, b]) as scope:
        dense = convert_to_tensor(b)
        if dense.dtype != sp.dtype:
            raise TypeError(f"sparse_tensor_dense_matmul: b has dtype {dense.dtype.name}, "
                            f"which does not match {sp.dtype.name} of sp_a's values")
        if known_rank(sp, "sparse_tensor_dense_matmul") != 2 or dense.shape.ndims not in \
                (None, 2):
            raise ValueError(f"sparse_tensor_dense_matmul: sp_a and b must be matrices, got "
                             f"shapes {sp.shape} and {dense.shape}")
        if adjoint_b:
            dense = transpose(dense, conjugate=True)
        rows, cols = sp.indices[:, 0], sp.indices[:, 1]
        values = sp.values
        out_rows, inner = sp.shape.as_list()
        if adjoint_a:
            rows, cols, out_rows, inner = cols, rows, inner, out_rows
            values = conj(values)
        if inner is not None and dense.shape.as_tuple()[0] not in (None, inner):
            raise ValueError(f"sparse_tensor_dense_matmul: inner dimensions differ: op(sp_a) "
                             f"has shape [{out_rows}, {inner}] and op(b) has shape "
                             f"{dense.shape}")
        count = sp.dense_shape[1 if adjoint_a else 0]
        products = multiply(expand_dims(values, 1), gather(dense, cols))
        out = unsorted_segment_sum(products, rows, count, name=scope)
        out.set_shape([out_rows, dense.shape[1] if dense.shape.ndims else None])
        return out


def sparse_matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False,
                  a_is_sparse: bool = False, b_is_sparse: bool = False,
                  name: str | None = None) -> Tensor:
    """``tf.sparse_matmul`` (TF1): a dense float32 matrix product; the sparsity hints
    only chose TF's kernel and change no result (bfloat16 is not supported here)."""
    del a_is_sparse, b_is_sparse
    x, y = convert_to_tensor(a), convert_to_tensor(b)
    for t, what in ((x, "a"), (y, "b")):
        if t.dtype != dtypes.float32:
            raise TypeError(f"sparse_matmul: {what} must be float32, got {t.dtype.name}")
    return matmul(x, y, transpose_a=transpose_a,
                  transpose_b=transpose_b, name=name or "SparseMatMul")


# ----------------------------------------------------------------------------------------
# Sparse segment reductions (dense data, rows chosen by indices)
# ----------------------------------------------------------------------------------------


def sparse_segment_sum(data: Any, indices: Any, segment_ids: Any, name: str | None = None,
                       num_segments: Any = None) -> Tensor:
    """``tf.sparse.segment_sum``: ``segment_sum(gather(data, indices), segment_ids)``
    (segment ids sorted; with ``num_segments`` any ids in [0, num_segments))."""
    with op_scope(name, "SparseSegmentSum", [data, indices, segment_ids]) as scope:
        rows = gather(data, indices)
        if num_segments is None:
            return segment_sum(rows, segment_ids, name=scope)
        return unsorted_segment_sum(rows, segment_ids, num_segments, name=scope)


def sparse_segment_mean(data: Any, indices: Any, segment_ids: Any, name: str | None = None,
                        num_segments: Any = None) -> Tensor:
    """``tf.sparse.segment_mean``: means of the rows ``data[indices]`` per segment id
    (0 for an empty segment)."""
    with op_scope(name, "SparseSegmentMean", [data, indices, segment_ids]) as scope:
        rows = gather(data, indices)
        if num_segments is None:
            return segment_mean(rows, segment_ids, name=scope)
        return unsorted_segment_mean(rows, segment_ids, num_segments, name=scope)


def sparse_segment_sqrt_n(data: Any, indices: Any, segment_ids: Any,
                          name: str | None = None, num_segments: Any = None) -> Tensor:
    """``tf.sparse.segment_sqrt_n``: sums of the rows ``data[indices]`` per segment id
    divided by the square root of their count."""
    with op_scope(name, "SparseSegmentSqrtN", [data, indices, segment_ids]) as scope:
        rows = gather(data, indices)
        if num_segments is None:
            return _scaled_sum(rows, segment_ids, _FROM_IDS, True, sqrt, scope)
        return unsorted_segment_sqrt_n(rows, segment_ids, num_segments, name=scope)


# ----------------------------------------------------------------------------------------
# Selecting entries, shapes, empty rows
# ----------------------------------------------------------------------------------------


def sparse_retain(sp_input: Any, to_retain: Any) -> SparseTensor:
    """``tf.sparse.retain``: the entries where the bool vector ``to_retain`` is True."""
    sp = as_sparse(sp_input, "sparse_retain")
    keep = convert_to_tensor(to_retain)
    if keep.dtype != dtypes.bool_ or keep.shape.ndims not in (None, 1):
        raise ValueError(f"sparse_retain: to_retain must be a bool vector, got "
                         f"{keep.dtype.name} of shape {keep.shape}")
    return SparseTensor(boolean_mask(sp.indices, keep), boolean_mask(sp.values, keep),
                        sp.dense_shape)


def sparse_reset_shape(sp_input: Any, new_shape: Any = None) -> SparseTensor:
    """``tf.sparse.reset_shape``: the same entries with dense shape ``new_shape`` (which
    must not be smaller), or the tightest shape holding them."""
    sp = as_sparse(sp_input, "sparse_reset_shape")
    if new_shape is None:
        return SparseTensor(sp.indices, sp.values, add(reduce_max(sp.indices, 0), 1))
    shape = convert_to_tensor(new_shape, dtype=dtypes.int64)
    old, new = constant_dense_shape(sp), constant_value(shape)
    if old is not None and new is not None and (len(old) != len(new) or np.any(
            np.asarray(new) < old)):
        raise ValueError(f"sparse_reset_shape: new_shape {np.asarray(new).tolist()} must "
                         f"have the rank of the dense shape {old} and no smaller size")
    return SparseTensor(sp.indices, sp.values, shape)


def sparse_fill_empty_rows(sp_input: Any, default_value: Any,
                           name: str | None = None) -> tuple[SparseTensor, Tensor]:
    """``tf.sparse.fill_empty_rows``: an entry ``default_value`` at ``[row, 0, ...]`` for
    each row without entries (entries stay ordered by row), and a bool vector of the rows
    that were empty."""
    sp = as_sparse(sp_input, "sparse_fill_empty_rows")
    with op_scope(name, "SparseFillEmptyRows", [sp.values]):
        default = convert_to_tensor(default_value, dtype=sp.dtype)
        indices, source, empty = run_index_op("SparseFillEmptyRows",
                                              [sp.indices, sp.dense_shape])
        pool = concat([sp.values, reshape(default, [1])], 0)
        count = cast(tf_shape(sp.values)[0], dtypes.int64)
        values = gather(pool, where(greater_equal(source, 0), source,
                                    fill(tf_shape(source), count)))
        return SparseTensor(indices, values, sp.dense_shape), empty


def sparse_mask(a: IndexedSlices, mask_indices: Any, name: str | None = None
                ) -> IndexedSlices:
    """``tf.sparse.mask``: the slices of ``a`` whose index is not in ``mask_indices``."""
    with op_scope(name, "sparse_mask", [a.values, a.indices]):
        mask = cast(convert_to_tensor(mask_indices), a.indices.dtype)
        masked = reduce_any(equal(expand_dims(a.indices, 1), expand_dims(mask, 0)), axis=1)
        keep = logical_not(masked)
        return IndexedSlices(boolean_mask(a.values, keep), boolean_mask(a.indices, keep),
                             a.dense_shape)


def eye(num_rows: Any, num_columns: Any = None, dtype: Any = dtypes.float32,
        name: str | None = None) -> SparseTensor:
    """``tf.sparse.eye``: a SparseTensor with ones on the main diagonal."""
    with op_scope(name, "eye", []):
        rows = cast(convert_to_tensor(num_rows), dtypes.int64)
        cols = rows if num_columns is None else cast(convert_to_tensor(num_columns),
                                                      dtypes.int64)
        diagonal = tf_range(minimum(rows, cols), dtype=dtypes.int64)
        return SparseTensor(stack([diagonal, diagonal], axis=1),
                            ones(tf_shape(diagonal), dtype=dtypes.as_dtype(dtype)),
                            stack([rows, cols]))


# ----------------------------------------------------------------------------------------
# SparseTensor * dense, SparseTensor / dense
# ----------------------------------------------------------------------------------------


def _dense_at_entries(sp: SparseTensor, other: Any) -> Tensor:
    """The dense operand, broadcast to the sparse operand's shape, at its entries."""
    dense = convert_to_tensor(other, dtype=sp.dtype)
    rank = known_rank(sp, "SparseTensor arithmetic")
    dims = dense.shape
    if dims.ndims is None or dims.ndims > rank or not dims.is_fully_defined():
        raise ValueError(f"SparseTensor arithmetic: the dense operand needs a known shape "
                         f"that broadcasts to the SparseTensor's rank {rank}, got {dims}")
    if dims.ndims == 0:
        return dense
    # Dimensions of size 1 broadcast: index 0 there; missing leading dimensions are dropped.
    keep = np.array([d != 1 for d in dims.as_list()], np.int64)
    columns = multiply(sp.indices[:, rank - dims.ndims:], keep)
    return gather_nd(dense, columns)


def _cwise(combine: Any, doc: str) -> Any:
    def method(self: SparseTensor, other: Any) -> SparseTensor:
        return SparseTensor(self.indices, combine(self.values, _dense_at_entries(self, other)),
                            self.dense_shape)
    method.__doc__ = doc
    return method


SparseTensor.__mul__ = _cwise(multiply, "Entries times a dense tensor broadcast to the "
                                        "SparseTensor's shape (a SparseTensor).")
SparseTensor.__truediv__ = _cwise(realdiv, "Entries divided by a dense tensor broadcast to "
                                           "the SparseTensor's shape (a SparseTensor).")
SparseTensor.__div__ = SparseTensor.__truediv__

"""Segment reductions and scatter-style counting: ``segment_sum/mean/max/min``, their
``unsorted_`` forms, ``bincount``, ``confusion_matrix`` and ``sparse_to_dense``.

A segment reduction combines the rows of ``data`` whose ``segment_ids`` are equal. The
sorted forms (``segment_*``) need non-decreasing ids and produce ``ids[-1] + 1`` rows;
the unsorted forms take ``num_segments``. Empty segments hold 0 for sums, means and the
sorted max/min, and the dtype's lowest (max) or highest (min) finite value for the
unsorted max/min, as in TF1.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .cast_ops import cast
from .comparison_ops import equal
from .fill_ops import ones_like, zeros_like
from .framework import apply_op, constant_value, convert_to_tensor
from .gather_ops import gather, gather_nd
from .math_ops import add, maximum, multiply, realdiv, sqrt, subtract
from .op_util import _check_index_dtype, _linear_jvp, as_index_tensor, const_int, op_scope
from .reduce_ops import reduce_max, reduce_sum
from .row_sums import add_rows_at
from .shape_ops import reshape

__all__ = [
    "segment_sum", "segment_mean", "segment_max", "segment_min", "unsorted_segment_sum",
    "unsorted_segment_mean", "unsorted_segment_sqrt_n", "unsorted_segment_max",
    "unsorted_segment_min", "bincount", "confusion_matrix", "sparse_to_dense",
]

# num_segments given to the sorted forms: "the last segment id plus one".
_FROM_IDS = -1


# ----------------------------------------------------------------------------------------
# UnsortedSegmentSum / Max / Min (one kernel each, ``sorted`` attr for the sorted forms)
# ----------------------------------------------------------------------------------------


def _segment_count(ids: np.ndarray, num_segments: np.ndarray, op_type: str,
                   sorted: bool) -> int:
    flat = ids.reshape(-1)
    if sorted:
        if flat.size and np.any(np.diff(flat) < 0):
            raise ValueError(f"{op_type}: segment_ids must be sorted (non-decreasing), got "
                             f"{flat.tolist()}")
        count = int(flat[-1]) + 1 if flat.size else 0
    else:
        count = int(num_segments)
    if flat.size and (flat.min() < 0 or flat.max() >= count):
        bad = flat[(flat < 0) | (flat >= count)][0]
        raise ValueError(f"{op_type}: segment id {bad} is not in [0, {count})")
    return count


def _segment_kernel(op_type: str, ufunc: np.ufunc | None) -> Callable:
    """A kernel reducing rows with ``ufunc`` (None: addition) into ``num_segments`` rows."""
    def kernel(data: np.ndarray, ids: np.ndarray, num_segments: np.ndarray, *,
               sorted: bool) -> np.ndarray:
        count = _segment_count(ids, num_segments, op_type, sorted)
        rows = data.reshape((ids.size,) + data.shape[ids.ndim:])
        if ufunc is None:
            out = np.zeros((count,) + rows.shape[1:], dtype=data.dtype)
            add_rows_at(out, ids.reshape(-1), rows)
            return out
        info = np.finfo if data.dtype.kind == "f" else np.iinfo
        start = info(data.dtype).min if ufunc is np.maximum else info(data.dtype).max
        out = np.full((count,) + rows.shape[1:], start, dtype=data.dtype)
        ufunc.at(out, ids.reshape(-1), rows)
        if sorted:  # the sorted forms give 0 for an empty segment
            filled = np.zeros(count, dtype=bool)
            filled[ids.reshape(-1)] = True
            out[~filled] = 0
        return out
    return kernel


def _segment_shape(inputs: list, attrs: dict) -> list:
    data, ids, num_segments = inputs
    _check_index_dtype(ids, "segment_ids")
    if attrs["sorted"] and ids.shape.ndims not in (None, 1):
        raise ValueError(f"segment_ids must be a vector, got shape {ids.shape}")
    if data.shape.ndims is None or ids.shape.ndims is None:
        return [(TensorShape(None), data.dtype)]
    lead = data.shape.as_list()[:ids.shape.ndims]
    if not TensorShape(lead).is_compatible_with(ids.shape):
        raise ValueError(f"segment_ids of shape {ids.shape} must be a prefix of the data's "
                         f"shape {data.shape}")
    known = constant_value(ids) if attrs["sorted"] else constant_value(num_segments)
    if known is None:
        rows = None
    elif attrs["sorted"]:
        rows = int(np.reshape(known, -1)[-1]) + 1 if np.size(known) else 0
    else:
        rows = int(known)
    return [(TensorShape([rows] + data.shape.as_list()[ids.shape.ndims:]), data.dtype)]


def _sum_vjp(op: Operation, g: Tensor) -> list:
    return [gather(g, op.inputs[1]), None, None]


def _selection_weights(op: Operation) -> Tensor:
    """Each data row's share of its segment's max (min): 1/ties where it attains it."""
    data, ids, num_segments = op.inputs
    chosen = cast(equal(data, gather(op.outputs[0], ids)), data.dtype)
    ties = _apply_segment("UnsortedSegmentSum", chosen, ids, num_segments,
                          op.get_attr("sorted"))
    return realdiv(chosen, gather(maximum(ties, 1), ids))


def _extremum_vjp(op: Operation, g: Tensor) -> list:
    return [multiply(_selection_weights(op), gather(g, op.inputs[1])), None, None]


def _extremum_jvp(op: Operation, t: Tensor | None, *unused: Any) -> list:
    if t is None:
        return [None]
    _, ids, num_segments = op.inputs
    return [_apply_segment("UnsortedSegmentSum", multiply(_selection_weights(op), t), ids,
                           num_segments, op.get_attr("sorted"))]


define_op("UnsortedSegmentSum", kernel=_segment_kernel("UnsortedSegmentSum", None),
          shape_fn=_segment_shape, vjp=_sum_vjp, jvp=_linear_jvp(), non_differentiable=(1, 2),
          view_of={}, fresh=True, doc="Sums of the data rows of each segment id.")
for _type, _ufunc in (("UnsortedSegmentMax", np.maximum), ("UnsortedSegmentMin", np.minimum)):
    define_op(_type, kernel=_segment_kernel(_type, _ufunc), shape_fn=_segment_shape,
              vjp=_extremum_vjp, jvp=_extremum_jvp, non_differentiable=(1, 2), view_of={},
              fresh=True, doc="Extremum of the data rows of each segment id (the gradient "
                              "is shared equally among tied rows, as TF1's).")


def _apply_segment(op_type: str, data: Any, segment_ids: Any, num_segments: Any,
                   sorted: bool, name: str | None = None) -> Tensor:
    return apply_op(op_type, [convert_to_tensor(data), as_index_tensor(segment_ids),
                              as_index_tensor(num_segments, "num_segments")],
                    {"sorted": sorted}, name=name).outputs[0]


def _sorted_function(op_type: str, tf_name: str, doc: str) -> Callable[..., Tensor]:
    def function(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
        return _apply_segment(op_type, data, segment_ids, _FROM_IDS, True, name)
    function.__name__ = function.__qualname__ = tf_name
    function.__doc__ = doc
    return function


def _unsorted_function(op_type: str, tf_name: str, doc: str) -> Callable[..., Tensor]:
    def function(data: Any, segment_ids: Any, num_segments: Any, name: str | None = None
                 ) -> Tensor:
        return _apply_segment(op_type, data, segment_ids, num_segments, False, name)
    function.__name__ = function.__qualname__ = tf_name
    function.__doc__ = doc
    return function


segment_sum = _sorted_function("UnsortedSegmentSum", "segment_sum",
                               "``tf.math.segment_sum``: sums over sorted segment ids.")
segment_max = _sorted_function("UnsortedSegmentMax", "segment_max",
                               "``tf.math.segment_max``: maxima over sorted segment ids "
                               "(0 for an empty segment).")
segment_min = _sorted_function("UnsortedSegmentMin", "segment_min",
                               "``tf.math.segment_min``: minima over sorted segment ids "
                               "(0 for an empty segment).")
unsorted_segment_sum = _unsorted_function(
    "UnsortedSegmentSum", "unsorted_segment_sum",
    "``tf.math.unsorted_segment_sum``: sums of the rows of each id in [0, num_segments).")
unsorted_segment_max = _unsorted_function(
    "UnsortedSegmentMax", "unsorted_segment_max",
    "``tf.math.unsorted_segment_max``: maxima per id (the dtype's lowest value if empty).")
unsorted_segment_min = _unsorted_function(
    "UnsortedSegmentMin", "unsorted_segment_min",
    "``tf.math.unsorted_segment_min``: minima per id (the dtype's highest value if empty).")


def _scaled_sum(data: Any, segment_ids: Any, num_segments: Any, sorted: bool,
                scale: Callable[[Tensor], Tensor], scope: str) -> Tensor:
    """Segment sums divided by ``scale(max(count, 1))`` per segment."""
    data = convert_to_tensor(data)
    ids = as_index_tensor(segment_ids)
    counts = _apply_segment("UnsortedSegmentSum", ones_like(ids, dtype=data.dtype), ids,
                            num_segments, sorted)
    rank = data.shape.ndims
    if rank is None or ids.shape.ndims is None:
        raise ValueError(f"{scope.rstrip('/')}: data and segment_ids need known ranks")
    counts = reshape(scale(maximum(counts, 1)), [-1] + [1] * (rank - ids.shape.ndims))
    total = _apply_segment("UnsortedSegmentSum", data, ids, num_segments, sorted)
    return realdiv(total, counts, name=scope)


def segment_mean(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """``tf.math.segment_mean``: means over sorted segment ids (0 for an empty segment)."""
    with op_scope(name, "SegmentMean", [data, segment_ids]) as scope:
        return _scaled_sum(data, segment_ids, _FROM_IDS, True, lambda c: c, scope)


def unsorted_segment_mean(data: Any, segment_ids: Any, num_segments: Any,
                          name: str | None = None) -> Tensor:
    """``tf.math.unsorted_segment_mean``: means per id (0 for an empty segment)."""
    with op_scope(name, "UnsortedSegmentMean", [data, segment_ids]) as scope:
        return _scaled_sum(data, segment_ids, num_segments, False, lambda c: c, scope)


def unsorted_segment_sqrt_n(data: Any, segment_ids: Any, num_segments: Any,
                            name: str | None = None) -> Tensor:
    """``tf.math.unsorted_segment_sqrt_n``: sums per id divided by sqrt(count)."""
    with op_scope(name, "UnsortedSegmentSqrtN", [data, segment_ids]) as scope:
        return _scaled_sum(data, segment_ids, num_segments, False, sqrt, scope)


# ----------------------------------------------------------------------------------------
# Bincount and confusion_matrix
# ----------------------------------------------------------------------------------------


def _bincount_kernel(arr: np.ndarray, weights: np.ndarray, *, minlength: int,
                     maxlength: int | None) -> np.ndarray:
    flat = arr.reshape(-1)
    if flat.size and flat.min() < 0:
        raise ValueError(f"Bincount: values must be >= 0, got {int(flat.min())}")
    length = max(int(flat.max()) + 1 if flat.size else 0, minlength)
    if maxlength is not None:
        length = min(length, maxlength)
    keep = flat < length
    out = np.zeros(length, dtype=weights.dtype)
    w = weights.reshape(-1) if weights.ndim else np.broadcast_to(weights, flat.shape)
    np.add.at(out, flat[keep], w[keep])
    return out


def _bincount_shape(inputs: list, attrs: dict) -> list:
    arr, weights = inputs
    if arr.dtype != dtypes.int32:
        raise TypeError(f"arr must be int32, got {arr.dtype.name}")
    if weights.shape.ndims != 0 and not weights.shape.is_compatible_with(arr.shape):
        raise ValueError(f"weights must have the shape of arr {arr.shape}, got "
                         f"{weights.shape}")
    return [(TensorShape([None]), weights.dtype)]


define_op("Bincount", kernel=_bincount_kernel, shape_fn=_bincount_shape, view_of={},
          fresh=True, doc="Counts (or summed weights) of each non-negative integer.")


def bincount(arr: Any, weights: Any = None, minlength: Any = None, maxlength: Any = None,
             dtype: Any = dtypes.int32, name: str | None = None) -> Tensor:
    """``tf.math.bincount``: ``out[i]`` counts the entries of ``arr`` equal to ``i`` (or
    sums their ``weights``); length ``max(arr) + 1``, at least ``minlength`` and at most
    ``maxlength`` (larger values are dropped). Not differentiable, as in TF1."""
    x = convert_to_tensor(arr)
    w = (convert_to_tensor(np.ones((), dtypes.as_dtype(dtype).dtype)) if weights is None
         else convert_to_tensor(weights))
    attrs = {"minlength": 0 if minlength is None else const_int(minlength, "minlength"),
             "maxlength": None if maxlength is None else const_int(maxlength, "maxlength")}
    return apply_op("Bincount", [x, w], attrs, name=name or "bincount").outputs[0]


def confusion_matrix(labels: Any, predictions: Any, num_classes: Any = None,
                     dtype: Any = dtypes.int32, name: str | None = None,
                     weights: Any = None) -> Tensor:
    """``tf.math.confusion_matrix``: ``[n, n]`` counts (or summed ``weights``) with rows
    the labels and columns the predictions; ``n`` defaults to the largest of both plus 1."""
    dtype = dtypes.as_dtype(dtype)
    with op_scope(name, "confusion_matrix", [labels, predictions]) as scope:
        labels = cast(convert_to_tensor(labels), dtypes.int64)
        predictions = cast(convert_to_tensor(predictions), dtypes.int64)
        if num_classes is None:
            n = add(maximum(reduce_max(labels), reduce_max(predictions)), 1)
        else:
            n = cast(convert_to_tensor(num_classes), dtypes.int64)
        values = (ones_like(labels, dtype=dtype) if weights is None
                  else cast(convert_to_tensor(weights), dtype))
        flat = add(multiply(labels, n), predictions)
        counts = _apply_segment("UnsortedSegmentSum", values, flat, multiply(n, n), False)
        known = None if num_classes is None else constant_value(num_classes)
        side = n if known is None else int(known)
        return reshape(counts, [side, side], name=scope)


# ----------------------------------------------------------------------------------------
# SparseToDense
# ----------------------------------------------------------------------------------------


def _sparse_to_dense_kernel(indices: np.ndarray, shape: np.ndarray, values: np.ndarray,
                            default: np.ndarray, *, validate_indices: bool) -> np.ndarray:
    dims = tuple(int(d) for d in shape)
    if indices.shape[1] != len(dims):
        raise ValueError(f"SparseToDense: indices have {indices.shape[1]} coordinates but "
                         f"the output shape {list(dims)} has rank {len(dims)}")
    if np.any(indices < 0) or np.any(indices >= np.array(dims, dtype=np.int64)):
        raise ValueError(f"SparseToDense: an index is out of bounds of shape {list(dims)}")
    if validate_indices and len(indices) > 1:
        flat = np.ravel_multi_index(indices.T, dims) if dims else np.zeros(len(indices))
        if np.any(np.diff(flat) <= 0):
            raise ValueError("SparseToDense: indices must be sorted in lexicographic order "
                             "and have no repeats (or pass validate_indices=False)")
    out = np.full(dims, default, dtype=values.dtype)
    out[tuple(indices.T)] = values
    return out


def _sparse_to_dense_shape(inputs: list, attrs: dict) -> list:
    indices, shape, values, default = inputs
    _check_index_dtype(indices, "sparse_indices")
    if values.dtype != default.dtype:
        raise TypeError(f"sparse_values ({values.dtype.name}) and default_value "
                        f"({default.dtype.name}) must have one dtype")
    if default.shape.ndims not in (None, 0):
        raise ValueError(f"default_value must be a scalar, got shape {default.shape}")
    if values.shape.ndims not in (None, 0, 1):
        raise ValueError(f"sparse_values must be a scalar or vector, got {values.shape}")
    known = constant_value(shape)
    out = (TensorShape([int(d) for d in np.reshape(known, -1)]) if known is not None
           else TensorShape(None))
    return [(out, values.dtype)]


def _sparse_to_dense_vjp(op: Operation, g: Tensor) -> list:
    values_grad = gather_nd(g, op.inputs[0])
    default_grad = subtract(reduce_sum(g), reduce_sum(values_grad))
    if op.inputs[2].shape.ndims == 0:
        values_grad = reduce_sum(values_grad)
    return [None, None, values_grad, default_grad]


def _sparse_to_dense_jvp(op: Operation, _: Any, __: Any, tv: Tensor | None,
                         td: Tensor | None) -> list:
    if tv is None and td is None:
        return [None]
    indices, shape, values, default = op.inputs
    tangents = [zeros_like(x) if t is None else t for x, t in ((values, tv), (default, td))]
    return [apply_op("SparseToDense", [indices, shape, *tangents], op.attrs).outputs[0]]


define_op("SparseToDense", kernel=_sparse_to_dense_kernel, shape_fn=_sparse_to_dense_shape,
          vjp=_sparse_to_dense_vjp, jvp=_sparse_to_dense_jvp, non_differentiable=(0, 1),
          view_of={}, fresh=True,
          doc="A dense tensor holding values at indices and a default elsewhere.")


def sparse_to_dense(sparse_indices: Any, output_shape: Any, sparse_values: Any,
                    default_value: Any = 0, validate_indices: bool = True,
                    name: str | None = None) -> Tensor:
    """``tf.sparse_to_dense``: a tensor of ``output_shape`` with ``sparse_values`` at
    ``sparse_indices`` (0-D, 1-D or ``[N, rank]``) and ``default_value`` elsewhere."""
    values = convert_to_tensor(sparse_values)
    indices = as_index_tensor(sparse_indices, "sparse_indices")
    if indices.shape.ndims is not None and indices.shape.ndims < 2:
        indices = reshape(indices, [-1, 1])
    default = convert_to_tensor(default_value, dtype=values.dtype)
    return apply_op("SparseToDense", [indices, as_index_tensor(output_shape, "output_shape"),
                                      values, default],
                    {"validate_indices": bool(validate_indices)}, name=name).outputs[0]

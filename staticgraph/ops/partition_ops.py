"""Splitting rows by partition and merging them back: DynamicPartition and DynamicStitch
(with TF1's gradients), and the product segment reduction UnsortedSegmentProd
(``segment_prod``, ``unsorted_segment_prod``)."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .cast_ops import cast
from .comparison_ops import equal, greater
from .fill_ops import ones_like, range as range_, zeros_like
from .framework import apply_op, convert_to_tensor
from .gather_ops import gather
from .math_ops import multiply, realdiv
from .op_util import _linear_jvp, as_index_tensor, const_int
from .segment_ops import _FROM_IDS, _apply_segment, _segment_count, _segment_shape
from .selection_ops import where_v2
from .shape_ops import _shape_tensor, reshape, size

__all__ = ["dynamic_partition", "dynamic_stitch", "segment_prod", "unsorted_segment_prod"]


# ----------------------------------------------------------------------------------------
# DynamicPartition
# ----------------------------------------------------------------------------------------


def _partition_kernel(data: np.ndarray, partitions: np.ndarray, *,
                      num_partitions: int) -> tuple:
    if data.shape[:partitions.ndim] != partitions.shape:
        raise ValueError(f"DynamicPartition: partitions of shape {partitions.shape} must be "
                         f"a prefix of data's shape {data.shape}")
    flat = partitions.reshape(-1)
    bad = (flat < 0) | (flat >= num_partitions)
    if np.any(bad):
        raise ValueError(f"DynamicPartition: partitions[{int(np.argmax(bad))}] = "
                         f"{int(flat[bad][0])} is not in [0, {num_partitions})")
    rows = data.reshape((flat.size,) + data.shape[partitions.ndim:])
    return tuple(rows[flat == i] for i in range(num_partitions))


def _partition_shape(inputs: list, attrs: dict) -> list:
    data, partitions = inputs
    if partitions.dtype != dtypes.int32:
        raise TypeError(f"partitions must be int32, got {partitions.dtype.name}")
    n = attrs["num_partitions"]
    if n < 1:
        raise ValueError(f"num_partitions must be at least 1, got {n}")
    if data.shape.ndims is None or partitions.shape.ndims is None:
        return [(TensorShape(None), data.dtype)] * n
    lead = data.shape[:partitions.shape.ndims]
    if partitions.shape.ndims > data.shape.ndims or not lead.is_compatible_with(
            partitions.shape):
        raise ValueError(f"partitions of shape {partitions.shape} must be a prefix of "
                         f"data's shape {data.shape}")
    out = TensorShape([None]).concatenate(data.shape[partitions.shape.ndims:])
    return [(out, data.dtype)] * n


def _partition_vjp(op: Operation, *grads: Tensor) -> list:
    """TF1's rule: partition the positions of data's rows the same way, then stitch the
    output gradients back to those positions."""
    data, partitions = op.inputs
    positions = reshape(range_(size(partitions)), _shape_tensor(partitions))
    parts = apply_op("DynamicPartition", [positions, partitions], op.attrs).outputs
    merged = dynamic_stitch(list(parts), list(grads))
    return [reshape(merged, _shape_tensor(data)), None]


define_op("DynamicPartition", kernel=_partition_kernel, shape_fn=_partition_shape,
          vjp=_partition_vjp, jvp=_linear_jvp(), non_differentiable=(1,), view_of={},
          doc="The rows of data split into num_partitions outputs by partition number.")


def dynamic_partition(data: Any, partitions: Any, num_partitions: int,
                      name: str | None = None) -> list[Tensor]:
    """``tf.dynamic_partition``: ``num_partitions`` tensors; output ``i`` holds, in order,
    the entries of ``data`` (slices past ``partitions``' rank) whose partition is ``i``."""
    x = convert_to_tensor(data)
    p = convert_to_tensor(partitions, dtype=dtypes.int32)
    attrs = {"num_partitions": const_int(num_partitions, "num_partitions")}
    return list(apply_op("DynamicPartition", [x, p], attrs, name=name).outputs)


# ----------------------------------------------------------------------------------------
# DynamicStitch
# ----------------------------------------------------------------------------------------


def _stitch_kernel(*arrays: np.ndarray, N: int) -> np.ndarray:
    indices, data = arrays[:N], arrays[N:]
    for m, (i, d) in enumerate(zip(indices, data)):
        if d.shape[:i.ndim] != i.shape:
            raise ValueError(f"DynamicStitch: indices[{m}] of shape {i.shape} must be a "
                             f"prefix of data[{m}]'s shape {d.shape}")
        if i.size and i.min() < 0:
            raise ValueError(f"DynamicStitch: indices[{m}] holds {int(i.min())} < 0")
    rows = 1 + max((int(i.max()) for i in indices if i.size), default=-1)
    inner = data[0].shape[indices[0].ndim:]
    out = np.zeros((rows,) + inner, data[0].dtype)
    for m, (i, d) in enumerate(zip(indices, data)):
        if d.shape[i.ndim:] != inner:
            raise ValueError(f"DynamicStitch: data[{m}] of shape {d.shape} past indices "
                             f"{i.shape} must have slices of shape {inner}")
        out[i.reshape(-1)] = d.reshape((i.size,) + inner)  # later rows win
    return out


def _stitch_shape(inputs: list, attrs: dict) -> list:
    n = attrs["N"]
    indices, data = inputs[:n], inputs[n:]
    for m, i in enumerate(indices):
        if i.dtype != dtypes.int32:
            raise TypeError(f"indices[{m}] must be int32, got {i.dtype.name}")
    dt = data[0].dtype
    inner = TensorShape(None)
    for m, (i, d) in enumerate(zip(indices, data)):
        if d.dtype != dt:
            raise TypeError(f"data[{m}] is {d.dtype.name}, data[0] is {dt.name}")
        if d.shape.ndims is None or i.shape.ndims is None:
            continue
        if not d.shape[:i.shape.ndims].is_compatible_with(i.shape):
            raise ValueError(f"indices[{m}] of shape {i.shape} must be a prefix of data[{m}]"
                             f"'s shape {d.shape}")
        slice_shape = d.shape[i.shape.ndims:]
        if not inner.is_compatible_with(slice_shape):
            raise ValueError(f"data[{m}] of shape {d.shape} has slices of shape "
                             f"{slice_shape}, earlier data slices of shape {inner}")
        inner = inner.merge_with(slice_shape)
    out = TensorShape([None]).concatenate(inner) if inner.ndims is not None \
        else TensorShape(None)
    return [(out, dt)]


def _stitch_vjp(op: Operation, g: Tensor) -> list:
    """TF1's rule: every data entry gets the gradient at its index, also an entry that a
    later one with the same index overwrote (TF documents the op for distinct indices)."""
    n = op.get_attr("N")
    return [None] * n + [gather(g, i) for i in op.inputs[:n]]


def _stitch_jvp(op: Operation, *tangents: Tensor | None) -> list:
    n = op.get_attr("N")
    data_t = tangents[n:]
    if all(t is None for t in data_t):
        return [None]
    data = op.inputs[n:]
    filled = [zeros_like(d) if t is None else t for d, t in zip(data, data_t)]
    return [apply_op("DynamicStitch", list(op.inputs[:n]) + filled, op.attrs).outputs[0]]


define_op("DynamicStitch", kernel=_stitch_kernel, shape_fn=_stitch_shape, vjp=_stitch_vjp,
          jvp=_stitch_jvp, view_of={},
          doc="Slices of several data tensors placed at their indices in one tensor "
              "(later ones win on a repeated index; indices never given hold 0).")


def dynamic_stitch(indices: Sequence[Any], data: Sequence[Any],
                   name: str | None = None) -> Tensor:
    """``tf.dynamic_stitch``: ``merged[indices[m][i...], ...] = data[m][i..., ...]`` for
    every ``m`` in order, so for a repeated index the later entry wins; rows no index
    names hold 0. Its gradient is TF1's: each entry gets the gradient at its index."""
    if len(indices) != len(data) or not indices:
        raise ValueError(f"dynamic_stitch needs as many indices as data tensors (at least "
                         f"one), got {len(indices)} and {len(data)}")
    idx = [convert_to_tensor(i, dtype=dtypes.int32) for i in indices]
    values = [convert_to_tensor(d) for d in data]
    values = [values[0]] + [convert_to_tensor(d, dtype=values[0].dtype) for d in values[1:]]
    return apply_op("DynamicStitch", idx + values, {"N": len(idx)}, name=name).outputs[0]


# ----------------------------------------------------------------------------------------
# UnsortedSegmentProd (sorted attr for segment_prod)
# ----------------------------------------------------------------------------------------


def _prod_kernel(data: np.ndarray, ids: np.ndarray, num_segments: np.ndarray, *,
                 sorted: bool) -> np.ndarray:
    count = _segment_count(ids, num_segments, "UnsortedSegmentProd", sorted)
    rows = data.reshape((ids.size,) + data.shape[ids.ndim:])
    out = np.ones((count,) + rows.shape[1:], dtype=data.dtype)  # an empty segment holds 1
    np.multiply.at(out, ids.reshape(-1), rows)
    return out


def _prod_partials(op: Operation) -> Tensor:
    """d(segment product)/d(row), as TF1 computes it without dividing by zero: the product
    of the others, which is 0 when another row of the segment is 0 too."""
    data, ids, num_segments = op.inputs
    is_zero = equal(data, zeros_like(data))
    sorted_ids = op.get_attr("sorted")
    zeros = _apply_segment("UnsortedSegmentSum", cast(is_zero, dtypes.int32), ids,
                           num_segments, sorted_ids)
    nonzero = where_v2(is_zero, ones_like(data), data)
    nonzero_prod = _apply_prod(nonzero, ids, num_segments, sorted_ids)
    others = where_v2(is_zero, gather(nonzero_prod, ids),
                      realdiv(gather(op.outputs[0], ids), nonzero))
    return where_v2(greater(gather(zeros, ids), 1), zeros_like(data), others)


def _prod_vjp(op: Operation, g: Tensor) -> list:
    return [multiply(gather(g, op.inputs[1]), _prod_partials(op)), None, None]


def _prod_jvp(op: Operation, t: Tensor | None, *unused: Any) -> list:
    if t is None:
        return [None]
    _, ids, num_segments = op.inputs
    return [_apply_segment("UnsortedSegmentSum", multiply(t, _prod_partials(op)), ids,
                           num_segments, op.get_attr("sorted"))]


define_op("UnsortedSegmentProd", kernel=_prod_kernel, shape_fn=_segment_shape,
          vjp=_prod_vjp, jvp=_prod_jvp, non_differentiable=(1, 2), view_of={},
          doc="Products of the data rows of each segment id (1 for an empty segment).")


def _apply_prod(data: Any, ids: Any, num_segments: Any, sorted: bool,
                name: str | None = None) -> Tensor:
    return apply_op("UnsortedSegmentProd",
                    [convert_to_tensor(data), as_index_tensor(ids, "segment_ids"),
                     as_index_tensor(num_segments, "num_segments")],
                    {"sorted": sorted}, name=name).outputs[0]


def segment_prod(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """``tf.math.segment_prod``: products over sorted segment ids (1 for an empty
    segment); ``ids[-1] + 1`` rows."""
    return _apply_prod(data, segment_ids, _FROM_IDS, True, name)


def unsorted_segment_prod(data: Any, segment_ids: Any, num_segments: Any,
                          name: str | None = None) -> Tensor:
    """``tf.math.unsorted_segment_prod``: products of the rows of each id in
    ``[0, num_segments)`` (1 for an empty segment)."""
    return _apply_prod(data, segment_ids, num_segments, False, name)

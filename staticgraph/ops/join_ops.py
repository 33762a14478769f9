"""Joining and splitting along an axis: ConcatV2, Split, SplitV; Tile."""
from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import EVERY, define_op
from ..core.shapes import TensorShape, normalize_axis
from .broadcast_ops import sum_to_shape
from .fill_ops import _fill_missing, ones_like
from .framework import (apply_op, check_same_dtype, constant, constant_value, convert_n,
                        convert_to_tensor)
from .indexing_ops import _dim_size
from .op_util import (_apply, _check_vector, _linear_jvp, _outputs, _pyrange,
                      _static_values, as_index_tensor, const_int)
from .shape_ops import _shape_tensor, reshape
from .stack_ops import stack
from .state_ops import identity

__all__ = [
    "concat", "split", "tile",
]


# ----------------------------------------------------------------------------------------
# ConcatV2, Split, SplitV
# ----------------------------------------------------------------------------------------


def _concat_kernel(*values: np.ndarray, axis: int) -> np.ndarray:
    return np.concatenate(values, axis=axis)


def _concat_shape(inputs: list, attrs: dict) -> list:
    dt = check_same_dtype(inputs)
    ranks = {t.shape.ndims for t in inputs if t.shape.ndims is not None}
    if not ranks:
        return [(TensorShape(None), dt)]
    shapes = ", ".join(str(t.shape) for t in inputs)
    if len(ranks) > 1:
        raise ValueError(f"all inputs must have the same rank, got shapes {shapes}")
    rank_ = ranks.pop()
    if rank_ == 0:
        raise ValueError("cannot concatenate scalars (use tf.stack instead)")
    axis = normalize_axis(attrs["axis"], rank_, "concat axis")
    rows = [t.shape.as_list() if t.shape.ndims is not None else [None] * rank_ for t in inputs]
    out = []
    for i in _pyrange(rank_):
        column = [r[i] for r in rows]
        if i == axis:
            out.append(None if None in column else sum(column))
            continue
        known = {d for d in column if d is not None}
        if len(known) > 1:
            raise ValueError(f"dimension {i} of the inputs must match, got shapes {shapes}")
        out.append(known.pop() if known else None)
    return [(TensorShape(out), dt)]


def _concat_vjp(op: Operation, grad: Tensor) -> list:
    axis = op.get_attr("axis")
    return split(grad, [_dim_size(x, axis) for x in op.inputs], axis=axis)


def _concat_jvp(op: Operation, *tangents: Tensor | None) -> list:
    if all(t is None for t in tangents):
        return [None]
    return [concat(_fill_missing(tangents, op.inputs), op.get_attr("axis"))]


define_op("ConcatV2", kernel=_concat_kernel, shape_fn=_concat_shape, vjp=_concat_vjp,
          jvp=_concat_jvp, doc="Joins tensors along an existing axis.",
          view_of={}, fresh=True)


def concat(values: Any, axis: Any, name: str = "concat") -> Tensor:
    """``tf.concat``: joins ``values`` along dimension ``axis``."""
    if not isinstance(values, (list, tuple)):
        values = [values]
    axis = const_int(axis, "concat axis")
    if len(values) == 1:
        return identity(values[0], name=name)
    return _apply("ConcatV2", convert_n(values, "ConcatV2"), {"axis": axis}, name)


def _split_kernel(value: np.ndarray, *, num_split: int, axis: int) -> Any:
    return _outputs(np.split(value, num_split, axis=axis))


def _split_sizes(sizes: Sequence[int], total: int) -> list[int]:
    """Resolves one -1 in split sizes against the total; ``ValueError`` if they don't add up."""
    sizes = [int(s) for s in sizes]
    if sizes.count(-1) > 1 or any(s < -1 for s in sizes):
        raise ValueError(f"invalid size_splits {sizes}: sizes must be >= 0 with at most one -1")
    if -1 in sizes:
        sizes[sizes.index(-1)] = total - (sum(sizes) + 1)
    if sum(sizes) != total or min(sizes, default=0) < 0:
        raise ValueError(f"size_splits {sizes} must sum to the dimension size {total}")
    return sizes


def _split_v_kernel(value: np.ndarray, size_splits: np.ndarray, *, num_split: int,
                    axis: int) -> Any:
    sizes = _split_sizes(size_splits.tolist(), value.shape[axis])
    return _outputs(np.split(value, np.cumsum(sizes)[:-1], axis=axis))


def _split_dims(x: TensorShape, attrs: dict) -> tuple[list, int] | None:
    if x.ndims is None:
        return None
    dims = x.as_list()
    return dims, normalize_axis(attrs["axis"], len(dims), "split axis")


def _split_shape(inputs: list, attrs: dict) -> list:
    x, num = inputs[0], attrs["num_split"]
    found = _split_dims(x.shape, attrs)
    if found is None:
        return [(TensorShape(None), x.dtype)] * num
    dims, axis = found
    if num <= 0:
        raise ValueError(f"num_split must be positive, got {num}")
    if dims[axis] is not None:
        if dims[axis] % num:
            raise ValueError(f"Dimension {axis} of size {dims[axis]} must be evenly "
                             f"divisible by {num} (shape {x.shape})")
        dims[axis] //= num
    return [(TensorShape(dims), x.dtype)] * num


def _split_v_shape(inputs: list, attrs: dict) -> list:
    x, sizes_t = inputs
    _check_vector(sizes_t, "size_splits")
    num = attrs["num_split"]
    found = _split_dims(x.shape, attrs)
    if found is None:
        return [(TensorShape(None), x.dtype)] * num
    dims, axis = found
    sizes = _static_values(sizes_t) or [None] * num
    if len(sizes) != num:
        raise ValueError(f"size_splits has {len(sizes)} entries, expected {num}")
    if dims[axis] is not None and None not in sizes:
        sizes = _split_sizes(sizes, dims[axis])
    return [(TensorShape(dims[:axis] + [None if s == -1 else s] + dims[axis + 1:]), x.dtype)
            for s in sizes]


def _split_vjp(op: Operation, *grads: Tensor) -> list:
    joined = concat(_fill_missing(grads, op.outputs), op.get_attr("axis"))
    return [joined] + [None] * (len(op.inputs) - 1)


define_op("Split", kernel=_split_kernel, shape_fn=_split_shape, vjp=_split_vjp,
          jvp=_linear_jvp(), doc="Splits a tensor into equal parts along an axis.",
          view_of={EVERY: (0,)})
define_op("SplitV", kernel=_split_v_kernel, shape_fn=_split_v_shape, vjp=_split_vjp,
          jvp=_linear_jvp(), non_differentiable=(1,),
          doc="Splits a tensor into parts of given sizes along an axis.",
          view_of={EVERY: (0,)})


def split(value: Any, num_or_size_splits: Any, axis: Any = 0, num: int | None = None,
          name: str = "split") -> list[Tensor]:
    """``tf.split``: ``num_or_size_splits`` equal parts (an int) or parts of given sizes."""
    x = convert_to_tensor(value)
    axis = const_int(axis, "split axis")
    splits = num_or_size_splits
    if isinstance(splits, (numbers.Integral, np.integer)) or (
            isinstance(splits, Tensor) and splits.shape.ndims == 0):
        count = const_int(splits, "num_or_size_splits")
        return list(apply_op("Split", [x], {"num_split": count, "axis": axis},
                             name=name).outputs)
    sizes = as_index_tensor(splits, "size_splits")
    if num is None:
        num = sizes.shape.as_tuple()[0] if sizes.shape.ndims == 1 else None
        if num is None:
            raise ValueError(f"Cannot infer num from shape {sizes.shape}")
    return list(apply_op("SplitV", [x, sizes], {"num_split": int(num), "axis": axis},
                         name=name).outputs)


# ----------------------------------------------------------------------------------------
# Tile
# ----------------------------------------------------------------------------------------


def _tile_kernel(input: np.ndarray, multiples: np.ndarray) -> np.ndarray:
    if multiples.shape != (input.ndim,):
        raise ValueError(f"multiples {multiples.tolist()} must have one entry per dimension "
                         f"of the input of shape {input.shape}")
    return np.tile(input, tuple(int(m) for m in multiples))


def _tile_shape(inputs: list, attrs: dict) -> list:
    x, multiples = inputs
    if multiples.dtype != dtypes.int32:
        raise TypeError(f"multiples must be int32, got {multiples.dtype.name}")
    values = _static_values(multiples)
    if values is None:
        return [(TensorShape(None) if x.shape.ndims is None
                 else TensorShape([None] * x.shape.ndims), x.dtype)]
    if x.shape.ndims is None:
        return [(TensorShape([None] * len(values)), x.dtype)]
    if len(values) != x.shape.ndims:
        raise ValueError(f"multiples {values} must have one entry per dimension of shape "
                         f"{x.shape}")
    return [(TensorShape([None if d is None or m is None else d * m
                          for d, m in zip(x.shape.as_list(), values)]), x.dtype)]


def _interleave(a: Tensor, b: Tensor) -> Tensor:
    """[a0, b0, a1, b1, ...] from two int vectors of one length (a constant if both are)."""
    va, vb = constant_value(a), constant_value(b)
    if va is not None and vb is not None:
        return constant(np.stack([va, vb], axis=1).reshape(-1).astype(a.dtype.dtype))
    return reshape(stack([a, b], axis=1), [-1])


def _tile_vjp(op: Operation, grad: Tensor) -> list:
    # Split each tiled dimension into (multiple, size) and sum over the multiples.
    x, multiples = op.inputs
    dims = _shape_tensor(x)
    split_shape = _interleave(multiples, dims)
    kept_shape = _interleave(ones_like(multiples), dims)
    return [reshape(sum_to_shape(reshape(grad, split_shape), kept_shape), dims), None]


define_op("Tile", kernel=_tile_kernel, shape_fn=_tile_shape, vjp=_tile_vjp,
          jvp=_linear_jvp(), non_differentiable=(1,),
          doc="Repeats a tensor ``multiples[i]`` times along each dimension i.",
          view_of={})


def tile(input: Any, multiples: Any, name: str | None = None) -> Tensor:
    """``tf.tile``: ``input`` repeated ``multiples[i]`` times along dimension i."""
    return _apply("Tile", [convert_to_tensor(input), as_index_tensor(multiples, "multiples")],
                  name=name)

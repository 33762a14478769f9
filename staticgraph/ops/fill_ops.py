"""Tensors made from a shape and a value: Fill, zeros, ones, ZerosLike; Range."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .broadcast_ops import sum_to_shape, zeros_like_static
from .cast_ops import cast
from .framework import (check_same_dtype, constant, constant_value, convert_to_tensor,
                        is_tensor_like, same_as_first, to_numpy_value)
from .op_util import (_apply, _check_vector, _has_tensor, _linear_jvp, as_index_tensor,
                      op_scope, static_shape)
from .shape_ops import reshape, shape, shape_of

__all__ = [
    "zeros", "ones", "zeros_like", "ones_like", "fill", "range",
]


def _fill_missing(values: Sequence[Tensor | None], like: Sequence[Tensor]) -> list[Tensor]:
    """Replaces None gradients or tangents by zeros shaped like the matching tensor."""
    return [v if v is not None else zeros_like_static(t) for v, t in zip(values, like)]


# ----------------------------------------------------------------------------------------
# Fill, zeros, ones, ZerosLike
# ----------------------------------------------------------------------------------------


def _fill_kernel(dims: np.ndarray, value: np.ndarray) -> np.ndarray:
    return np.full(tuple(int(d) for d in dims), value)


def _negative_dimensions(shape: Any) -> str | None:
    """The message for a shape with a negative dimension (TF1 raises ValueError)."""
    if shape is None or not np.any(np.asarray(shape) < 0):
        return None
    return (f"shape {[int(d) for d in np.ravel(shape)]} has a negative dimension; "
            "dimensions must be >= 0")


def _fill_shape(inputs: list, attrs: dict) -> list:
    dims, value = inputs
    _check_vector(dims, "dims")
    message = _negative_dimensions(constant_value(dims))
    if message:
        raise ValueError(message)
    if value.shape.ndims not in (None, 0):
        raise ValueError(f"value must be a scalar, got shape {value.shape}")
    return [(static_shape(dims), value.dtype)]


def _fill_vjp(op: Operation, grad: Tensor) -> list:
    return [None, sum_to_shape(grad, shape_of(op.inputs[1]))]


define_op("Fill", kernel=_fill_kernel, shape_fn=_fill_shape, vjp=_fill_vjp,
          jvp=_linear_jvp(1), non_differentiable=(0,),
          doc="A tensor of shape dims filled with a scalar value.",
          view_of={})


def fill(dims: Any, value: Any, name: str | None = None) -> Tensor:
    """``tf.fill``: a tensor of shape ``dims`` with every element ``value``."""
    return _apply("Fill", [as_index_tensor(dims, "dims"), convert_to_tensor(value)], name=name)


# TF1 embeds small all-zero/all-one tensors as constants; larger ones use a Fill op.
_SMALL_CONSTANT = 1000


def _filled(value: int, shape: Any, dtype: Any, name: str | None, default: str) -> Tensor:
    dtype = dtypes.as_dtype(dtype)
    fill_value = bool(value) if dtype.is_bool else value
    with op_scope(name, default) as scope:
        known = _known_shape(shape)
        message = _negative_dimensions(known)
        if message:
            raise ValueError(f"{default} '{scope.rstrip('/')}': {message}")
        if known is not None and int(np.prod(known)) < _SMALL_CONSTANT:
            return constant(np.full(known, fill_value, dtype=dtype.dtype), name=scope)
        dims = as_index_tensor(shape, "shape")
        if dims.shape.ndims == 0:
            dims = reshape(dims, [-1])
        return fill(dims, constant(fill_value, dtype=dtype), name=scope)


def _known_shape(shape: Any) -> list[int] | None:
    """``shape`` (an int, list or TensorShape) as a list of ints, or None if it holds
    tensors or unknown dimensions."""
    if isinstance(shape, TensorShape):
        return shape.as_list() if shape.is_fully_defined() else None
    if _has_tensor(shape):
        return None
    return [int(d) for d in np.reshape(np.asarray(shape, dtype=np.int64), -1)]


def zeros(shape: Any, dtype: Any = dtypes.float32, name: str | None = None) -> Tensor:
    """``tf.zeros``: a tensor of ``shape`` (a list or an int tensor) filled with 0."""
    return _filled(0, shape, dtype, name, "zeros")


def ones(shape: Any, dtype: Any = dtypes.float32, name: str | None = None) -> Tensor:
    """``tf.ones``: a tensor of ``shape`` (a list or an int tensor) filled with 1."""
    return _filled(1, shape, dtype, name, "ones")


def _zeros_like_kernel(x: np.ndarray) -> np.ndarray:
    return np.zeros_like(x)


define_op("ZerosLike", kernel=_zeros_like_kernel, shape_fn=same_as_first,
          non_differentiable=(0,), doc="Zeros with the shape and dtype of its input.",
          view_of={}, fresh=True)


def zeros_like(tensor: Any, dtype: Any = None, name: str | None = None,
               optimize: bool = True) -> Tensor:
    """``tf.zeros_like``: zeros shaped like ``tensor`` (of ``dtype``, default its own)."""
    x = convert_to_tensor(tensor)
    dtype = x.dtype if dtype is None else dtypes.as_dtype(dtype)
    with op_scope(name, "zeros_like") as scope:
        if optimize and x.shape.is_fully_defined():
            return zeros(x.shape, dtype=dtype, name=scope)
        if dtype != x.dtype:
            return zeros(shape(x), dtype=dtype, name=scope)
        return _apply("ZerosLike", [x], name=scope)


def ones_like(tensor: Any, dtype: Any = None, name: str | None = None,
              optimize: bool = True) -> Tensor:
    """``tf.ones_like``: ones shaped like ``tensor`` (of ``dtype``, default its own)."""
    x = convert_to_tensor(tensor)
    dtype = x.dtype if dtype is None else dtypes.as_dtype(dtype)
    with op_scope(name, "ones_like") as scope:
        dims = x.shape.as_list() if optimize and x.shape.is_fully_defined() else shape(x)
        result = ones(dims, dtype=dtype, name=scope)
    result.set_shape(x.shape)
    return result


# ----------------------------------------------------------------------------------------
# Range
# ----------------------------------------------------------------------------------------


def _check_range(start: Any, limit: Any, delta: Any) -> None:
    if delta == 0:
        raise ValueError(f"Requires delta != 0: {delta}")
    if delta > 0 and start > limit:
        raise ValueError(f"Requires start <= limit when delta > 0: {start}/{limit}")
    if delta < 0 and start < limit:
        raise ValueError(f"Requires start >= limit when delta < 0: {start}/{limit}")


def _range_kernel(start: np.ndarray, limit: np.ndarray, delta: np.ndarray) -> np.ndarray:
    _check_range(start, limit, delta)
    return np.arange(start, limit, delta, dtype=start.dtype)


def _range_shape(inputs: list, attrs: dict) -> list:
    dt = check_same_dtype(inputs)
    if dt not in (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64):
        raise TypeError(f"range needs int32, int64, float32 or float64 values, got {dt.name}")
    for t in inputs:
        if t.shape.ndims not in (None, 0):
            raise ValueError(f"start, limit and delta must be scalars, got shape {t.shape}")
    values = [constant_value(t) for t in inputs]
    if any(v is None for v in values):
        return [(TensorShape([None]), dt)]
    _check_range(*values)
    return [(TensorShape([len(np.arange(*values))]), dt)]


define_op("Range", kernel=_range_kernel, shape_fn=_range_shape, non_differentiable=(0, 1, 2),
          doc="The sequence start, start + delta, ... up to (not including) limit.",
          view_of={})

_RANGE_DTYPES = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64]


def range(start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None,
          name: str = "range") -> Tensor:
    """``tf.range``: [start, start + delta, ...) below ``limit``; ``tf.range(n)`` counts
    from 0. Without ``dtype`` the widest of the arguments' types is used."""
    if limit is None:
        start, limit = 0, start
    args = [convert_to_tensor(a) if is_tensor_like(a) else a for a in (start, limit, delta)]
    if dtype is None:
        found = [a.dtype if isinstance(a, Tensor) else
                 dtypes.as_dtype(to_numpy_value(a, None, "range").dtype) for a in args]
        dtype = max(found, key=lambda d: _RANGE_DTYPES.index(d) if d in _RANGE_DTYPES else -1)
    dtype = dtypes.as_dtype(dtype)
    tensors = [(cast(a, dtype) if a.dtype != dtype else a) if isinstance(a, Tensor)
               else constant(a, dtype=dtype, name=n)
               for a, n in zip(args, ("start", "limit", "delta"))]
    return _apply("Range", tensors, name=name)

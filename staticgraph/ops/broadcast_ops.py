"""Broadcasting ops and helpers for VJPs and JVPs: ``tf.broadcast_to``, SumToShape (which
undoes broadcasting), ``unbroadcast`` / ``broadcast_like`` used by gradient rules, and
``zeros_like_static``."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import Role, define_op
from ..core.shapes import TensorShape, broadcast_shapes
from .framework import apply_op, constant, constant_value, convert_to_tensor
from .shape_ops import shape_of

__all__ = ["broadcast_to"]


def _sum_to_shape_kernel(g: np.ndarray, shape: np.ndarray) -> np.ndarray:
    shape = tuple(int(d) for d in shape)
    g = np.asarray(g)
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, d in enumerate(shape)
                                      if d == 1 and g.shape[lead + i] != 1)
    if not axes:
        return g.reshape(shape)
    if axes == tuple(range(len(axes))) and g.flags.c_contiguous:  # a bias gradient
        rows, width = math.prod(g.shape[:len(axes)]), math.prod(g.shape[len(axes):])
        return _sum_leading(g.reshape(rows, width)).reshape(shape)
    return np.sum(g, axis=axes, keepdims=False).reshape(shape)


_ROW_ELEMENTS = 1024  # rows at least this long sum fast along axis 0


def _sum_leading(g2: np.ndarray) -> np.ndarray:
    """``g2.sum(axis=0)`` of a C-contiguous ``[rows, width]`` array. NumPy's pass over
    short rows is slow (one inner loop per row: 1.2 ms for the W7 CNN's [50176, 32]
    bias gradient), so groups of rows are first summed as rows of at least
    ``_ROW_ELEMENTS`` elements when the row count allows (0.17 ms there)."""
    rows, width = g2.shape
    group = 1
    while 0 < group * width < _ROW_ELEMENTS:
        group *= 2
    group = math.gcd(rows, group)
    if group == 1:
        return g2.sum(axis=0)
    return g2.reshape(rows // group, group * width).sum(axis=0).reshape(group, width).sum(
        axis=0)


def _shape_from_input(t: Tensor) -> TensorShape:
    """The static shape a 1-D shape tensor describes, as far as it is known."""
    value = constant_value(t)
    if value is not None:
        return TensorShape([int(d) for d in value])
    if t.op.type == "Shape":  # the shape of another tensor: its static shape
        return t.op.inputs[0].shape
    return TensorShape(None) if t.shape.ndims != 1 or t.shape.as_tuple()[0] is None \
        else TensorShape([None] * t.shape.as_tuple()[0])


def _sum_to_shape_shape(inputs: list, attrs: dict) -> list:
    return [(_shape_from_input(inputs[1]), inputs[0].dtype)]


def _sum_to_shape_vjp(op: Operation, grad: Tensor) -> list:
    return [broadcast_to(grad, shape_of(op.inputs[0])), None]


def _sum_to_shape_jvp(op: Operation, tangent: Tensor | None, _: Any = None) -> list:
    return [None if tangent is None else sum_to_shape(tangent, op.inputs[1])]


define_op("SumToShape", kernel=_sum_to_shape_kernel, shape_fn=_sum_to_shape_shape,
          vjp=_sum_to_shape_vjp, jvp=_sum_to_shape_jvp, non_differentiable=(1,),
          doc="Sums a broadcast gradient back down to a shape (undoes broadcasting).",
          view_of={0: (0,)}, role=Role.SUM_TO_SHAPE)


def _broadcast_to_kernel(x: np.ndarray, shape: np.ndarray) -> np.ndarray:
    return np.broadcast_to(x, tuple(int(d) for d in shape))


def _broadcast_to_shape(inputs: list, attrs: dict) -> list:
    target = _shape_from_input(inputs[1])
    try:
        out = broadcast_shapes(inputs[0].shape, target)
    except ValueError:
        raise ValueError(f"cannot broadcast shape {inputs[0].shape} to {target}") from None
    if target.ndims is not None and out.ndims is not None and out.ndims != target.ndims:
        raise ValueError(f"cannot broadcast shape {inputs[0].shape} to {target}")
    return [(target if target.ndims is not None else out, inputs[0].dtype)]


def _broadcast_to_vjp(op: Operation, grad: Tensor) -> list:
    return [sum_to_shape(grad, shape_of(op.inputs[0])), None]


def _broadcast_to_jvp(op: Operation, tangent: Tensor | None, _: Any = None) -> list:
    return [None if tangent is None else broadcast_to(tangent, op.inputs[1])]


define_op("BroadcastTo", kernel=_broadcast_to_kernel, shape_fn=_broadcast_to_shape,
          vjp=_broadcast_to_vjp, jvp=_broadcast_to_jvp, non_differentiable=(1,),
          doc="NumPy broadcast of x to a shape (a read-only view).",
          view_of={0: (0,)}, role=Role.BROADCAST)


def sum_to_shape(grad: Tensor, shape: Any, name: str | None = None) -> Tensor:
    """Sums ``grad`` over broadcast dimensions down to ``shape`` (an int tensor or list)."""
    return apply_op("SumToShape", [grad, convert_to_tensor(shape, dtype=dtypes.int32)],
                    name=name or "SumToShape").outputs[0]


def broadcast_to(input: Any, shape: Any, name: str | None = None) -> Tensor:
    """``tf.broadcast_to``: ``input`` broadcast to ``shape``."""
    return apply_op("BroadcastTo", [convert_to_tensor(input),
                                    convert_to_tensor(shape, dtype=dtypes.int32)],
                    name=name).outputs[0]


def _surely_not_broadcast(x: TensorShape, others: tuple[Tensor, ...]) -> bool:
    """True when broadcasting shape ``x`` against the shapes of ``others`` provably leaves
    it unchanged. (Slots read directly: every sum and product a gradient differentiates
    asks this of each input.)"""
    dims = x._dims
    if dims is None:
        return False
    for o in others:
        other_dims = o._shape._dims
        if other_dims == dims:  # the common case (often one shape object): unchanged
            if None in dims:  # unless a dimension may be 1 where the other's is larger
                return False
            continue
        if other_dims is None or len(other_dims) > len(dims):
            return False
        for d, od in zip(dims[len(dims) - len(other_dims):], other_dims):
            if (d is None or d == 1) and od != 1:
                return False  # d may be 1 (or is) while od may be larger
    return True


def unbroadcast(grad: Tensor, x: Tensor, *others: Tensor) -> Tensor:
    """Reduces ``grad`` (shaped like the broadcast of ``x`` with ``others``) to x's shape."""
    if _surely_not_broadcast(x._shape, others):
        return grad
    return sum_to_shape(grad, shape_of(x))


def broadcast_like(t: Tensor, out: Tensor) -> Tensor:
    """``t`` broadcast to the shape of ``out`` (no op when already the same static shape)."""
    if t.shape.is_fully_defined() and t.shape == out.shape:
        return t
    return broadcast_to(t, shape_of(out))


def zeros_like_static(t: Tensor) -> Tensor:
    """Zeros of ``t``'s shape and dtype: a scalar constant broadcast to that shape (a
    read-only view, no new buffer). Every zero gradient or tangent is built by this."""
    return broadcast_like(constant(0, dtype=t.dtype, name="zeros"), t)

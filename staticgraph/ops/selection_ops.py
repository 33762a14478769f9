"""Choosing values: Where, Select, SelectV2; and StopGradient, which passes its input
through and blocks gradients."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import Role, define_op
from ..core.shapes import TensorShape, broadcast_all
from .broadcast_ops import unbroadcast
from .fill_ops import _fill_missing, zeros_like
from .framework import check_same_dtype, convert_n, convert_to_tensor, same_as_first
from .op_util import _apply, _no_tangent_jvp

__all__ = [
    "stop_gradient", "where", "where_v2",
]


# ----------------------------------------------------------------------------------------
# StopGradient
# ----------------------------------------------------------------------------------------


def _identity_kernel(input: np.ndarray) -> np.ndarray:
    return input


def _stop_gradient_vjp(op: Operation, grad: Tensor) -> list:
    return [None]


define_op("StopGradient", kernel=_identity_kernel, shape_fn=same_as_first,
          vjp=_stop_gradient_vjp, jvp=_no_tangent_jvp,
          doc="Its input, treated as a constant by gradients (no adjoint, no tangent).",
          view_of={0: (0,)}, role=Role.IDENTITY)


def stop_gradient(input: Any, name: str | None = None) -> Tensor:
    """``tf.stop_gradient``: the same value, but gradients do not flow through it."""
    return _apply("StopGradient", [convert_to_tensor(input)], name=name)


# ----------------------------------------------------------------------------------------
# Where (indices), Select, SelectV2
# ----------------------------------------------------------------------------------------


def _where_kernel(condition: np.ndarray) -> np.ndarray:
    return np.argwhere(condition).astype(np.int64)


def _where_shape(inputs: list, attrs: dict) -> list:
    return [(TensorShape([None, inputs[0].shape.ndims]), dtypes.int64)]


define_op("Where", kernel=_where_kernel, shape_fn=_where_shape, non_differentiable=(0,),
          doc="The coordinates of the true (non-zero) elements, one row each.",
          view_of={})


def _select_kernel(condition: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if condition.ndim == 1 and x.ndim > 1:
        if condition.shape[0] != x.shape[0]:
            raise ValueError(f"condition of shape {condition.shape} must match the first "
                             f"dimension of x, of shape {x.shape}")
        condition = condition.reshape(condition.shape + (1,) * (x.ndim - 1))
    elif condition.ndim and condition.shape != x.shape:
        raise ValueError(f"condition of shape {condition.shape} must have the shape of x, "
                         f"{x.shape}, or be a vector of its first dimension")
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape, got {x.shape} and {y.shape}")
    return np.where(condition, x, y)


def _check_condition(condition: Tensor) -> None:
    if not condition.dtype.is_bool:
        raise TypeError(f"condition must be bool, got {condition.dtype.name}")


def _select_shape(inputs: list, attrs: dict) -> list:
    condition, x, y = inputs
    _check_condition(condition)
    dt = check_same_dtype([x, y])
    try:
        out = x.shape.merge_with(y.shape)
    except ValueError:
        raise ValueError(f"x and y must have the same shape, got {x.shape} and "
                         f"{y.shape}") from None
    c, n = condition.shape.ndims, out.ndims
    if c is None or n is None or c == 0:
        return [(out, dt)]
    if c == 1 and n > 1:
        if not TensorShape(out[:1]).is_compatible_with(condition.shape):
            raise ValueError(f"condition of shape {condition.shape} must match the first "
                             f"dimension of x and y, of shape {out}")
        return [(out.merge_with(condition.shape.concatenate(out[1:])), dt)]
    if not condition.shape.is_compatible_with(out):
        raise ValueError(f"condition of shape {condition.shape} must have the shape of x "
                         f"and y, {out}, or be a vector of their first dimension")
    return [(out.merge_with(condition.shape), dt)]


def _select_v2_shape(inputs: list, attrs: dict) -> list:
    condition, x, y = inputs
    _check_condition(condition)
    dt = check_same_dtype([x, y])
    return [(broadcast_all([condition.shape, x.shape, y.shape]), dt)]


def _selected(op: Operation, chosen: Tensor, other: Tensor, first: bool) -> Tensor:
    """``chosen`` where the condition is true (false if not ``first``), ``other`` elsewhere."""
    a, b = (chosen, other) if first else (other, chosen)
    return _apply(op.type, [op.inputs[0], a, b])


def _select_vjp(op: Operation, grad: Tensor) -> list:
    condition, x, y = op.inputs
    zero = zeros_like(grad)
    gx, gy = _selected(op, grad, zero, True), _selected(op, grad, zero, False)
    if op.type == "SelectV2":
        gx, gy = unbroadcast(gx, x, condition, y), unbroadcast(gy, y, condition, x)
    return [None, gx, gy]


def _select_jvp(op: Operation, _: Any, tx: Tensor | None, ty: Tensor | None) -> list:
    if tx is None and ty is None:
        return [None]
    tx, ty = _fill_missing([tx, ty], op.inputs[1:])
    return [_apply(op.type, [op.inputs[0], tx, ty])]


define_op("Select", kernel=_select_kernel, shape_fn=_select_shape, vjp=_select_vjp,
          jvp=_select_jvp, non_differentiable=(0,),
          doc="x where condition, else y (condition: same shape, a scalar, or a vector "
              "over the first dimension).",
          view_of={})
define_op("SelectV2", kernel=np.where, shape_fn=_select_v2_shape, vjp=_select_vjp,
          jvp=_select_jvp, non_differentiable=(0,),
          doc="x where condition, else y, all three broadcast together.",
          view_of={})


def _where(op_type: str, condition: Any, x: Any, y: Any, name: str | None) -> Tensor:
    condition = convert_to_tensor(condition)
    if x is None and y is None:
        return _apply("Where", [condition], name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    tx, ty = convert_n([x, y], op_type)
    return _apply(op_type, [condition, tx, ty], name=name)


def where(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> Tensor:
    """``tf.where``: with x and y, x where ``condition`` else y (op "Select"; condition has
    their shape or is a vector over the first dimension); alone, the int64 coordinates of
    the true elements, shaped [N, rank]."""
    return _where("Select", condition, x, y, name)


def where_v2(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> Tensor:
    """``tf.where_v2``: like :func:`where`, but condition, x and y broadcast together."""
    return _where("SelectV2", condition, x, y, name)

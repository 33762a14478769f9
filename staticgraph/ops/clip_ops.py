"""Clipping: ``tf.clip_by_value``, ``tf.clip_by_norm``, ``tf.global_norm``,
``tf.clip_by_global_norm``.

Built from existing ops (so they are differentiable and need no kernels of their own),
following TF1's formulas exactly. As in TF1, an IndexedSlices is clipped through its
values (so its norm is that of its values: repeated indices are not summed first) and
stays an IndexedSlices.
"""
from __future__ import annotations

from typing import Any, Sequence

from ..core.graph import Tensor, name_scope
from . import cast_ops, comparison_ops, fill_ops, math_ops, reduce_ops, selection_ops
from .framework import constant, convert_to_tensor
from .indexed_slices import IndexedSlices
from .state_ops import identity

__all__ = ["clip_by_value", "clip_by_norm", "global_norm", "clip_by_global_norm"]


def _keep_shape(t: Tensor, result: Tensor) -> None:
    if not t.shape.is_compatible_with(result.shape):
        raise ValueError(f"clip_by_value: the clip values would broadcast t of shape "
                         f"{t.shape} to shape {result.shape}")


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any,
                  name: str | None = None) -> Tensor:
    """``tf.clip_by_value``: min(max(t, lo), hi); the gradient passes only where t is not
    clipped (ties pass), and goes to the clip values where it is."""
    with name_scope(name, "clip_by_value", [t, clip_value_min, clip_value_max]) as scope:
        t = convert_to_tensor(t, name="t")
        t_min = math_ops.minimum(t, clip_value_max)
        _keep_shape(t, t_min)
        result = math_ops.maximum(t_min, clip_value_min, name=scope)
        _keep_shape(t, result)
        return result


def _values(t: Any, name: str) -> Tensor:
    """A tensor, or an IndexedSlices' values."""
    return convert_to_tensor(t.values if isinstance(t, IndexedSlices) else t, name=name)


def _like(t: Any, values: Tensor) -> Tensor | IndexedSlices:
    """``values`` in the form of ``t``: an IndexedSlices with t's indices if t is one."""
    return IndexedSlices(values, t.indices, t.dense_shape) if isinstance(t, IndexedSlices) \
        else values


def clip_by_norm(t: Any, clip_norm: Any, axes: Any = None,
                 name: str | None = None) -> Tensor | IndexedSlices:
    """``t · clip_norm / max(‖t‖₂, clip_norm)``, the L2 norm taken over ``axes`` (all
    by default): ``t`` unchanged when its norm is at most ``clip_norm``."""
    with name_scope(name, "clip_by_norm") as scope:
        values = _values(t, "t")
        l2sum = reduce_ops.reduce_sum(values * values, axes, keepdims=True)
        positive = comparison_ops.greater(l2sum, 0.0)
        # where twice, so that an all-zero t has a zero (not NaN) gradient, as in TF1
        safe = selection_ops.where(positive, l2sum, fill_ops.ones_like(l2sum))
        l2norm = selection_ops.where(positive, math_ops.sqrt(safe), l2sum)
        intermediate = values * clip_norm
        values.shape.merge_with(intermediate.shape)  # clip_norm must not broadcast t
        return _like(t, identity(intermediate / math_ops.maximum(l2norm, clip_norm),
                                 name=scope))


def _tensor_list(t_list: Any) -> list[Tensor | None]:
    if not isinstance(t_list, Sequence) or isinstance(t_list, str):
        raise TypeError("t_list should be a sequence")
    return [None if t is None else _values(t, f"t_{i}") for i, t in enumerate(t_list)]


def global_norm(t_list: Sequence[Any], name: str | None = None) -> Tensor:
    """√(Σᵢ ‖tᵢ‖₂²) over the tensors of ``t_list`` (None entries are ignored)."""
    with name_scope(name, "global_norm"):
        values = [v for v in _tensor_list(t_list) if v is not None]
        if not values:
            raise ValueError("global_norm needs at least one tensor")
        squares = [reduce_ops.reduce_sum(math_ops.square(v)) for v in values]
        total = squares[0] if len(squares) == 1 else math_ops.add_n(squares)
        return math_ops.sqrt(total, name="global_norm")


def clip_by_global_norm(t_list: Sequence[Any], clip_norm: Any, use_norm: Any = None,
                        name: str | None = None) -> tuple[list[Any], Tensor]:
    """Scales every tensor by ``clip_norm / max(global_norm, clip_norm)``.

    Returns ``(clipped list, global norm)``; None entries stay None. If the norm is
    infinite or NaN, every clipped value is NaN (as in TF1).
    """
    values = _tensor_list(t_list)
    if use_norm is None:
        use_norm = global_norm(values, name)
    use_norm = convert_to_tensor(use_norm)
    with name_scope(name, "clip_by_global_norm") as scope:
        one = constant(1.0, dtype=use_norm.dtype)
        scale = clip_norm * math_ops.minimum(one / use_norm, one / clip_norm)
        scale = scale + (use_norm - use_norm)  # NaN for an infinite or NaN norm
        clipped = [None if v is None else
                   _like(t, identity(v * cast_ops.cast(scale, v.dtype),
                                     name=f"{scope[:-1]}_{i}"))
                   for i, (t, v) in enumerate(zip(t_list, values))]
    return clipped, use_norm

"""Pack and Unpack (``tf.stack``, ``tf.unstack``)."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core.graph import Operation, Tensor
from ..core.registry import EVERY, define_op
from ..core.shapes import TensorShape, normalize_axis
from .fill_ops import _fill_missing
from .framework import (apply_op, check_same_dtype, constant, convert_n, convert_to_tensor,
                        register_list_packer)
from .op_util import _apply, _has_tensor, _linear_jvp, _merge_shapes, _outputs

__all__ = [
    "stack", "unstack",
]


def _pack_kernel(*values: np.ndarray, axis: int) -> np.ndarray:
    return np.stack(values, axis=axis)


def _pack_shape(inputs: list, attrs: dict) -> list:
    dt = check_same_dtype(inputs)
    merged = _merge_shapes([t.shape for t in inputs], "stacked values")
    if merged.ndims is None:
        return [(TensorShape(None), dt)]
    dims = merged.as_list()
    axis = normalize_axis(attrs["axis"], len(dims) + 1, "stack axis")
    return [(TensorShape(dims[:axis] + [len(inputs)] + dims[axis:]), dt)]


def _pack_vjp(op: Operation, grad: Tensor) -> list:
    return unstack(grad, num=len(op.inputs), axis=op.get_attr("axis"))


def _pack_jvp(op: Operation, *tangents: Tensor | None) -> list:
    if all(t is None for t in tangents):
        return [None]
    return [stack(_fill_missing(tangents, op.inputs), axis=op.get_attr("axis"))]


define_op("Pack", kernel=_pack_kernel, shape_fn=_pack_shape, vjp=_pack_vjp, jvp=_pack_jvp,
          doc="Stacks same-shaped tensors along a new axis.",
          view_of={}, fresh=True)


def stack(values: Sequence[Any], axis: int = 0, name: str = "stack") -> Tensor:
    """``tf.stack``: packs same-shaped tensors along a new dimension ``axis``."""
    values = list(values)
    if axis == 0 and not _has_tensor(values):
        return constant(values, name=name)  # a list of numbers is just a constant (TF1)
    return _apply("Pack", convert_n(values, "Pack"), {"axis": int(axis)}, name)


register_list_packer(lambda values, name: stack(values, name=name))


def _unpack_kernel(value: np.ndarray, *, num: int, axis: int) -> Any:
    if value.shape[axis] != num:
        raise ValueError(f"cannot unstack {value.shape[axis]} values along axis {axis} into "
                         f"{num} tensors")
    return _outputs(list(np.moveaxis(value, axis, 0)))


def _unpack_shape(inputs: list, attrs: dict) -> list:
    x, num = inputs[0], attrs["num"]
    if x.shape.ndims is None:
        return [(TensorShape(None), x.dtype)] * num
    dims = x.shape.as_list()
    axis = normalize_axis(attrs["axis"], len(dims), "unstack axis")
    if dims[axis] is not None and dims[axis] != num:
        raise ValueError(f"cannot unstack dimension {axis} of size {dims[axis]} into {num} "
                         f"tensors (shape {x.shape})")
    return [(TensorShape(dims[:axis] + dims[axis + 1:]), x.dtype)] * num


def _unpack_vjp(op: Operation, *grads: Tensor) -> list:
    return [stack(_fill_missing(grads, op.outputs), axis=op.get_attr("axis"))]


define_op("Unpack", kernel=_unpack_kernel, shape_fn=_unpack_shape, vjp=_unpack_vjp,
          jvp=_linear_jvp(), doc="Splits a tensor into its slices along an axis.",
          view_of={EVERY: (0,)})


def unstack(value: Any, num: int | None = None, axis: int = 0,
            name: str = "unstack") -> list[Tensor]:
    """``tf.unstack``: the list of slices of ``value`` along ``axis``."""
    x = convert_to_tensor(value)
    if num is None:
        if x.shape.ndims is None:
            raise ValueError(f"Cannot infer num from shape {x.shape}")
        num = x.shape.as_tuple()[normalize_axis(axis, x.shape.ndims, "unstack axis")]
        if num is None:
            raise ValueError(f"Cannot infer num from shape {x.shape}")
    return list(apply_op("Unpack", [x], {"num": int(num), "axis": int(axis)},
                         name=name).outputs)

"""Build-time helpers shared by the op modules: index and axis arguments, values known
when the graph is built, TF1 function builders and generic JVP rules."""
from __future__ import annotations

import builtins
from typing import Any, Callable, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor, name_scope
from ..core.shapes import TensorShape, normalize_axes
from .framework import (apply_binary, apply_op, apply_unary, constant, constant_value,
                        convert_to_tensor, is_tensor_like)


# ``range`` and ``slice`` are TF1 op functions (fill_ops, indexing_ops); these are Python's.
_pyrange = builtins.range
_pyslice = builtins.slice

_INDEX_DTYPES = (dtypes.int32, dtypes.int64)
_SLICE_TYPE_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) "
                     "and scalar tf.int32/tf.int64 tensors are valid indices")

# ----------------------------------------------------------------------------------------
# Helpers shared by the array ops
# ----------------------------------------------------------------------------------------


def _apply(op_type: str, inputs: Sequence[Tensor], attrs: dict | None = None,
           name: str | None = None) -> Tensor:
    return apply_op(op_type, inputs, attrs, name=name).outputs[0]


# TF1's ``name_scope(name, default)``: yields ``"scope/"``, a name that the scope's final
# op takes verbatim (so ``tf.zeros(...)`` is named ``zeros``).
op_scope = name_scope


def _outputs(parts: Sequence[np.ndarray]) -> Any:
    """A kernel result: one array for one output, else a tuple."""
    return parts[0] if len(parts) == 1 else tuple(parts)


def as_index_tensor(value: Any, name: str = "Const") -> Tensor:
    """An int32 (or int64) tensor from a Tensor, a TensorShape or a list of ints/tensors.

    Python or NumPy values that are not integers (``[2.0, 3.0]``) raise ``TypeError``
    naming the parameter (``name``), as TF1 does; tensors are left to the op's checks.
    """
    if isinstance(value, TensorShape):
        value = value.as_list()
    if isinstance(value, (list, tuple)) and len(value) == 0:
        return constant(np.zeros(0, np.int32), name=name)
    if is_tensor_like(value):
        return convert_to_tensor(value)
    if _holds_non_integers(value):
        raise TypeError(f"Value passed to parameter '{name}' must hold integers (allowed "
                        f"dtypes: int32, int64), got {value!r}")
    return convert_to_tensor(value, preferred_dtype=dtypes.int32, name=name)


def _holds_non_integers(value: Any) -> bool:
    """Whether a (nested) Python/NumPy value holds a float, complex, bool or string; the
    tensors inside a list do not count (their ops check their dtypes)."""
    if isinstance(value, (list, tuple)):
        return any(_holds_non_integers(v) for v in value)
    if isinstance(value, np.ndarray):
        return value.dtype.kind not in "iuO"
    return isinstance(value, (float, complex, bool, str, bytes, np.floating,
                              np.complexfloating, np.bool_))


def _check_index_dtype(t: Tensor, what: str) -> None:
    if t.dtype not in _INDEX_DTYPES:
        raise TypeError(f"{what} must be int32 or int64, got {t.dtype.name}")


def _check_vector(t: Tensor, what: str) -> None:
    _check_index_dtype(t, what)
    if t.shape.ndims not in (None, 1):
        raise ValueError(f"{what} must be a vector, got shape {t.shape}")


def const_int(value: Any, what: str) -> int:
    """A Python int from an int or a build-time constant scalar tensor."""
    known = constant_value(value)
    if known is None or np.ndim(known) != 0 or np.asarray(known).dtype.kind not in "iu":
        raise ValueError(f"{what} must be an integer known when the graph is built, "
                         f"got {value!r}")
    return int(known)


def _const_ints(value: Any, what: str) -> tuple[int, ...]:
    """A tuple of ints from an int, a list of ints or a build-time constant tensor."""
    known = constant_value(value)
    if known is None or (np.size(known) and np.asarray(known).dtype.kind not in "iu"):
        raise ValueError(f"{what} must be integers known when the graph is built, "
                         f"got {value!r}")
    return tuple(int(v) for v in np.reshape(known, -1))


def _static_scalar(t: Tensor) -> int | None:
    """The value of a scalar int tensor if it is known at build time (``tf.shape(x)[0]``
    with a static first dimension counts), else None."""
    value = constant_value(t)
    if value is not None:
        return int(value)
    op = t.op
    if (op.type == "StridedSlice" and op.get_attr("shrink_axis_mask") == 1
            and op.inputs[0].shape.ndims == 1 and not op.get_attr("ellipsis_mask")
            and not op.get_attr("new_axis_mask")):
        values, index = _static_values(op.inputs[0]), constant_value(op.inputs[1])
        if values is not None and index is not None and -len(values) <= index[0] < len(values):
            return values[int(index[0])]
    return None


def _static_values(t: Tensor) -> list | None:
    """Elements of a 1-D int tensor known at build time (None for unknown elements);
    None when even its length is unknown."""
    value = constant_value(t)
    if value is not None:
        return [int(v) for v in np.reshape(value, -1)]
    op = t.op
    if op.type == "Shape":
        dims = op.inputs[0].shape
        return None if dims.ndims is None else dims.as_list()
    if op.type == "Pack" and op.get_attr("axis") == 0 and all(
            i.shape.ndims == 0 for i in op.inputs):
        return [_static_scalar(i) for i in op.inputs]
    if op.type == "ConcatV2":
        parts = [_static_values(i) for i in op.inputs]
        if all(p is not None for p in parts):
            return [v for p in parts for v in p]
    if t.shape.ndims == 1 and t.shape.as_tuple()[0] is not None:
        return [None] * t.shape.as_tuple()[0]
    return None


def static_shape(t: Tensor) -> TensorShape:
    """The shape a 1-D int tensor describes, as far as it is known at build time."""
    return TensorShape(_static_values(t))


def _static_matrix(t: Tensor) -> np.ndarray | None:
    value = constant_value(t)
    return None if value is None else np.asarray(value, dtype=np.int64)


def _has_tensor(values: Any) -> bool:
    """True if ``values`` is, or is a (nested) list holding, a tensor or Variable."""
    if isinstance(values, (list, tuple)):
        return any(_has_tensor(v) for v in values)
    return is_tensor_like(values)


def _linear_jvp(index: int = 0, **overrides: Any) -> Callable:
    """The JVP of an op that is linear in input ``index`` (its other inputs are indices or
    shapes): the same op applied to that input's tangent (attrs updated by ``overrides``)."""
    def jvp(op: Operation, *tangents: Tensor | None) -> list:
        tangent = tangents[index]
        if tangent is None:
            return [None] * len(op.outputs)
        inputs = list(op.inputs)
        inputs[index] = tangent
        attrs = op.attrs
        attrs.update(overrides)
        return list(apply_op(op.type, inputs, attrs).outputs)
    return jvp


def _no_tangent_jvp(op: Operation, *unused: Tensor | None) -> list:
    return [None] * len(op.outputs)


def _merge_shapes(shapes: Sequence[TensorShape], what: str) -> TensorShape:
    merged = TensorShape(None)
    for s in shapes:
        try:
            merged = merged.merge_with(s)
        except ValueError:
            raise ValueError(f"{what} must have compatible shapes, got "
                             f"{', '.join(str(x) for x in shapes)}") from None
    return merged


# ----------------------------------------------------------------------------------------
# Public TF1 functions of one op
# ----------------------------------------------------------------------------------------


def _unary_function(op_type: str, tf_name: str, doc: str) -> Callable[..., Tensor]:
    """The public TF1 function ``tf_name(x, name=None)`` applying ``op_type``."""
    def function(x: Any, name: str | None = None) -> Tensor:
        return apply_unary(op_type, x, name)
    function.__name__ = function.__qualname__ = tf_name
    function.__doc__ = doc
    return function


def _binary_function(op_type: str, tf_name: str, doc: str,
                     default_name: str | None = None) -> Callable[..., Tensor]:
    """The public TF1 function ``tf_name(x, y, name=None)`` applying ``op_type``; its op
    is named ``default_name`` (else the op type) unless a name is given."""
    def function(x: Any, y: Any, name: str | None = None) -> Tensor:
        return apply_binary(op_type, x, y, name or default_name)
    function.__name__ = function.__qualname__ = tf_name
    function.__doc__ = doc
    function.applies_binary_op = op_type  # type: ignore[attr-defined]
    return function

# ----------------------------------------------------------------------------------------
# Axis arguments
# ----------------------------------------------------------------------------------------


def _static_axis(axis: Any, x: Tensor, what: str) -> tuple[int, ...] | None:
    """``axis`` (None, int, list or constant tensor) as a tuple of ints, normalized to
    ``[0, rank)`` when ``x``'s rank is known; ``TypeError`` for a non-constant tensor."""
    if axis is None:
        return None
    value = constant_value(axis)
    if value is None:
        raise TypeError(f"{what}: the axis must be known when the graph is built (a Python "
                        f"int or list, or a constant tensor), got {axis!r}")
    value = np.asarray(value)
    if value.size and value.dtype.kind not in "iu":
        raise TypeError(f"{what}: axis must be integers, got {value.dtype} {value!r}")
    axes = [int(a) for a in value.reshape(-1)]
    if x.shape.ndims is None:
        return tuple(dict.fromkeys(axes))
    try:
        return normalize_axes(axes, x.shape.ndims)
    except ValueError as err:
        raise ValueError(f"{what}: {err} (input shape {x.shape})") from None


def _one_axis(axis: Any, x: Tensor, what: str) -> int:
    """A single static axis (normalized when the rank is known)."""
    axes = _static_axis(axis, x, what)
    if axes is None or len(axes) != 1 or np.ndim(constant_value(axis)) != 0:
        raise TypeError(f"{what}: axis must be a single integer, got {axis!r}")
    return axes[0]


def _deprecated_lookup(new_name: str, new: Any, old_name: str, old: Any) -> Any:
    """TF1's handling of a renamed argument: either spelling, not both."""
    if new is not None and old is not None:
        raise ValueError(f"Cannot specify both '{new_name}' and '{old_name}'")
    return old if new is None else new

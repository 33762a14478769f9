"""Building blocks every op module uses: tensor conversion, ``apply_op``, shape rules.

An op module defines, for each op, a public TF1 function that converts its arguments and
calls :func:`apply_op`, and registers an ``OpDef`` (kernel, shape rule, VJP, JVP) with
:func:`staticgraph.core.registry.define_op`.
"""
from __future__ import annotations

import numbers
import sys
from typing import Any, Callable, Container, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import (FUNCTION_BODIES_AS_DEFAULT, Graph, Operation, Tensor,
                          get_default_graph)
from ..core.registry import NO_ATTRS, Role, define_op, get_op_def
from ..core.shapes import TensorShape, as_shape, broadcast_all, broadcast_shapes
from .conversion_registry import convert_registered

__all__ = [
    "constant",
    "convert_to_tensor",
]

# ----------------------------------------------------------------------------------------
# Constants and conversion
# ----------------------------------------------------------------------------------------


# The shape of every rank-0 constant (shapes are immutable; one object fewer per op for
# the cyclic collector to scan in graphs built with ``x * 0.5``).
_SCALAR_SHAPE = TensorShape._from_canonical(())


def _const_shape_fn(inputs: Sequence, attrs: dict) -> list:
    value = attrs["value"]
    dims = value.shape
    return [(TensorShape._from_canonical(dims) if dims else _SCALAR_SHAPE,
             dtypes.as_dtype(value.dtype))]


def _const_kernel(*, value: np.ndarray) -> np.ndarray:
    return value


define_op("Const", kernel=_const_kernel, shape_fn=_const_shape_fn,
          doc="A constant array (the attr ``value``, read-only).",
          view_of={}, role=Role.CONSTANT)


def _float_constant(value: float, dtype: dtypes.DType) -> Tensor:
    """``constant(value, dtype)`` for a Python float and a floating ``dtype`` (the operand
    ``x * 0.5`` makes), built directly: the conversion cannot lose anything and the
    shape rule is called as ``apply_op`` would, so the op is the same; it saves two
    Python levels (``constant``, ``apply_op``), each a frame the creation-site walk
    materialises, and their generic checks."""
    arr = np.array(value, dtype=dtype.dtype)
    arr.setflags(write=False)
    attrs = {"value": arr}
    return get_default_graph().create_op("Const", (), attrs, name="Const",
                                         outputs_spec=_const_shape_fn((), attrs))._outputs[0]


def _default_dtype_for(value: Any) -> dtypes.DType:
    """TF1's dtype for a Python/NumPy value: floats float32, ints int32, arrays their own."""
    if isinstance(value, (np.ndarray, np.generic)):
        return dtypes.as_dtype(value.dtype)
    arr = np.asarray(value)
    if arr.dtype.kind == "f":
        return dtypes.float32
    if arr.dtype.kind in "iu":
        if arr.size and (arr.max() > np.iinfo(np.int32).max or arr.min() < np.iinfo(np.int32).min):
            return dtypes.int64
        return dtypes.int32
    if arr.dtype.kind == "b":
        return dtypes.bool_
    if arr.dtype.kind == "c":
        return dtypes.complex128
    if arr.dtype.kind in "US" or (arr.dtype.kind == "O" and arr.size
                                  and all(isinstance(v, (str, bytes)) for v in arr.flat)):
        return dtypes.string
    raise TypeError(f"Cannot convert {value!r} to a tensor: unsupported type {arr.dtype}")


def to_numpy_value(value: Any, dtype: dtypes.DType | None, what: str) -> np.ndarray:
    """Converts a Python/NumPy value to an array of ``dtype``, refusing lossy conversions."""
    target = dtype or _default_dtype_for(value)
    if type(value) is float and target.is_floating:  # ``x * 0.5``: nothing can be lost
        return np.array(value, dtype=target.dtype)
    if target is dtypes.string:
        return as_bytes_array(value, what)
    arr = np.asarray(value)
    if arr.dtype == object:
        raise TypeError(f"{what}: cannot convert {value!r} to a tensor of {target.name}")
    if target.is_integer and arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
            raise TypeError(f"{what}: expected {target.name}, got {value!r} of type "
                            f"'{type(value).__name__}' instead.")
    if target.is_bool and arr.dtype.kind != "b":
        raise TypeError(f"{what}: expected bool, got {value!r} of type "
                        f"'{type(value).__name__}' instead.")
    if (target.is_integer or target.is_bool) and arr.dtype.kind == "c":
        raise TypeError(f"{what}: expected {target.name}, got complex value {value!r}")
    return np.array(arr, dtype=target.dtype)


def as_bytes_array(value: Any, what: str) -> np.ndarray:
    """Strings (str, encoded as UTF-8, or bytes; nested lists or arrays of them) as the
    object array of ``bytes`` that holds a ``tf.string`` tensor's value."""
    arr = np.asarray(value, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for index, item in np.ndenumerate(arr):
        if isinstance(item, (np.str_, str)):
            item = str(item).encode("utf-8")
        elif not isinstance(item, bytes):
            raise TypeError(f"{what}: expected a string, got {item!r} of type "
                            f"'{type(item).__name__}'")
        out[index] = bytes(item)
    return out


def constant(value: Any, dtype: Any = None, shape: Any = None, name: str = "Const",
             verify_shape: bool = False) -> Tensor:
    """``tf.constant``: a tensor with a fixed value; a scalar ``value`` fills ``shape``."""
    dt = dtypes.as_dtype(dtype) if dtype is not None else None
    arr = to_numpy_value(value, dt, f"Const '{name}'")
    if shape is not None:
        shape = tuple(as_shape(shape).as_list())
        if arr.size == 1 and not verify_shape:
            arr = np.full(shape, arr.reshape(()), dtype=arr.dtype)
        elif arr.shape != shape:
            if arr.size != int(np.prod(shape)) or verify_shape:
                raise TypeError(f"Const '{name}': expected shape {list(shape)}, "
                                f"got a value of shape {list(arr.shape)}")
            arr = arr.reshape(shape)
    arr.setflags(write=False)
    return apply_op("Const", [], {"value": arr}, name=name).outputs[0]


# How convert_to_tensor packs a list holding tensors: the Pack op is defined above this
# module (its gradient needs other ops), so stack_ops registers it here when imported.
_list_packer: Callable[[list, str], Tensor] | None = None


def register_list_packer(pack: Callable[[list, str], Tensor]) -> None:
    """Makes ``convert_to_tensor`` pack a list holding tensors with ``pack(values, name)``
    (TF1 registers ``tf.stack`` for this, as a tensor conversion function)."""
    global _list_packer
    _list_packer = pack


def convert_to_tensor(value: Any, dtype: Any = None, name: str | None = None,
                      preferred_dtype: Any = None) -> Tensor:
    """``tf.convert_to_tensor``: Tensors pass through (dtype checked); values become Consts.

    Objects with an ``_as_tensor()`` method (Variables) convert through it, objects of
    types given ``tf.register_tensor_conversion_function`` through their function. A list that
    contains tensors is packed by the function given to :func:`register_list_packer`
    (``tf.stack``, registered by ``stack_ops``).
    """
    dt = dtypes.as_dtype(dtype) if dtype is not None else None
    if not isinstance(value, Tensor):
        converted = convert_registered(value, dt, name)  # tf.register_tensor_conversion_...
        value = value if converted is None else converted
        as_tensor = getattr(value, "_as_tensor", None)
        if as_tensor is not None:
            value = as_tensor()
    if isinstance(value, Tensor):
        if dt is not None and value.dtype != dt:
            raise ValueError(f"Tensor conversion requested dtype {dt.name} for Tensor "
                             f"{value.name} with dtype {value.dtype.name}")
        return value
    if isinstance(value, (list, tuple)) and _contains_tensor(value):
        if _list_packer is None:
            raise TypeError(f"cannot convert a list holding tensors ({value!r}): no op to "
                            "pack lists is registered (import staticgraph.ops.stack_ops)")
        packed = _list_packer(list(value), name or "packed")
        return convert_to_tensor(packed, dtype=dt)
    if dt is None and preferred_dtype is not None:
        try:
            return constant(value, dtypes.as_dtype(preferred_dtype), name=name or "Const")
        except (TypeError, ValueError):
            pass
    return constant(value, dt, name=name or "Const")


def _contains_tensor(values: Sequence) -> bool:
    for v in values:
        if isinstance(v, Tensor) or hasattr(v, "_as_tensor"):
            return True
        if isinstance(v, (list, tuple)) and _contains_tensor(v):
            return True
    return False


def is_tensor_like(value: Any) -> bool:
    """True for Tensors and objects that convert to one (Variables)."""
    return isinstance(value, Tensor) or hasattr(value, "_as_tensor")


def _tensor_or_none(value: Any) -> Tensor | None:
    """``value`` as a Tensor if it is tensor-like, else None (a value to make a Const of)."""
    if isinstance(value, Tensor):
        return value
    return convert_to_tensor(value) if hasattr(value, "_as_tensor") else None


def convert_n(values: Sequence[Any], op_type: str, dtype: Any = None) -> list[Tensor]:
    """Converts several op arguments to tensors of one dtype (taken from the tensor ones).

    Python numbers adopt the dtype of the tensor arguments, as in TF1 (``x + 1`` with
    float32 ``x`` makes a float32 constant). Mismatched tensor dtypes are a ``TypeError``.
    """
    tensors = [_tensor_or_none(v) for v in values]
    if dtype is None:
        for t in tensors:
            if t is not None:
                dtype = t.dtype
                break
    for i, t in enumerate(tensors):
        if t is None:
            tensors[i] = convert_to_tensor(values[i], dtype=dtype)
        elif dtype is not None and t.dtype is not dtype and t.dtype != dtype:
            raise TypeError(f"{op_type}: input {t.name} has dtype {t.dtype.name}, which "
                            f"does not match {dtypes.as_dtype(dtype).name} of the other "
                            "inputs")
    return tensors


def constant_value(tensor: Any) -> np.ndarray | None:
    """The value of ``tensor`` if it is known at build time (a Const), else None."""
    if not isinstance(tensor, Tensor):
        if is_tensor_like(tensor):
            return None
        return np.asarray(tensor)
    op = tensor.op
    if op.type == "Const":
        return op.get_attr("value")
    if op.type == "Shape" and op.inputs[0].shape.is_fully_defined():
        return np.array(op.inputs[0].shape.as_list(), dtype=tensor.dtype.dtype)
    return None


# ----------------------------------------------------------------------------------------
# Creating ops
# ----------------------------------------------------------------------------------------


def _describe(inputs: Sequence[Tensor]) -> str:
    return ", ".join(f"{t.name} {t.shape} {t.dtype.name}" for t in inputs)


def apply_op(op_type: str, inputs: Sequence[Tensor], attrs: dict | None = None,
             name: str | None = None, graph: Graph | None = None) -> Operation:
    """Runs the op's shape rule and appends the op to the graph of its inputs.

    A ``ValueError``/``TypeError`` from the shape rule is re-raised with the op's type and
    name and every input's name, shape and dtype, so the user sees which line went wrong.
    """
    attrs = attrs or NO_ATTRS
    if graph is None:
        # The inputs' graph, unless there are none or the default graph is a function body
        # (which captures them); the default graph is one only if some function body is.
        if not inputs or FUNCTION_BODIES_AS_DEFAULT and get_default_graph().building_function:
            graph = get_default_graph()
        else:
            first = inputs[0]
            graph = first._op._graph if first.__class__ is Tensor else first.op.graph
    opdef = get_op_def(op_type)
    try:
        spec = opdef.shape_fn(list(inputs), attrs)
    except (ValueError, TypeError) as err:
        label = f"{op_type} op '{name or op_type}'"
        detail = f" (inputs: {_describe(inputs)})" if inputs else ""
        raise type(err)(f"{label}: {err}{detail}") from None
    return graph.create_op(op_type, inputs, attrs, name=name, outputs_spec=spec)


def apply_unary(op_type: str, x: Any, name: str | None, attrs: dict | None = None) -> Tensor:
    """Applies a one-input, one-output op to ``x`` (converted to a tensor)."""
    if x.__class__ is not Tensor:
        x = convert_to_tensor(x)
    return apply_op(op_type, [x], attrs, name=name)._outputs[0]


def apply_binary(op_type: str, x: Any, y: Any, name: str | None,
                 attrs: dict | None = None) -> Tensor:
    """Applies a two-input, one-output op; Python values adopt the tensor's dtype."""
    # The common cases first, with what convert_n would do spelled out: two tensors of
    # one dtype, or a tensor and a Python float (``x * 0.5``; floats cannot have
    # registered conversions) that becomes a constant of the tensor's floating dtype.
    if x.__class__ is Tensor:
        if y.__class__ is Tensor and x._dtype is y._dtype:
            inputs = [x, y]
        elif y.__class__ is float and x._dtype.is_floating:
            inputs = [x, _float_constant(y, x._dtype)]
        else:
            inputs = convert_n([x, y], op_type)
    elif x.__class__ is float and y.__class__ is Tensor and y._dtype.is_floating:
        inputs = [_float_constant(x, y._dtype), y]
    else:
        inputs = convert_n([x, y], op_type)
    return apply_op(op_type, inputs, attrs, name=name)._outputs[0]


# ----------------------------------------------------------------------------------------
# Shape rules shared by many ops
# ----------------------------------------------------------------------------------------


def same_as_first(inputs: list, attrs: dict) -> list:
    """Output has the shape and dtype of input 0."""
    return [(inputs[0].shape, inputs[0].dtype)]


def float_unary(inputs: list, attrs: dict) -> list:
    """Like :func:`same_as_first`, but the input must be floating point."""
    x = inputs[0]
    if not (x.dtype.is_floating or x.dtype.is_complex):
        raise TypeError(f"expects a floating-point input, got {x.dtype.name}")
    return [(x.shape, x.dtype)]


def numeric_unary(inputs: list, attrs: dict) -> list:
    """Like :func:`same_as_first`, but the input must be numeric (not bool)."""
    x = inputs[0]
    if x.dtype.is_bool:
        raise TypeError("expects a numeric input, got bool")
    return [(x.shape, x.dtype)]


def check_same_dtype(inputs: list) -> dtypes.DType:
    """The common dtype of ``inputs``; ``TypeError`` listing them if they differ."""
    dt = inputs[0].dtype
    for t in inputs[1:]:
        if t.dtype is not dt and t.dtype != dt:
            raise TypeError(f"inputs must have the same dtype, got "
                            f"{', '.join(i.dtype.name for i in inputs)}")
    return dt


def broadcast_binary(inputs: list, attrs: dict) -> list:
    """Broadcast of the inputs' shapes; all inputs share one dtype."""
    if len(inputs) == 2:  # the common case, two tensors of one dtype, spelled out
        x, y = inputs
        if x.__class__ is Tensor and y.__class__ is Tensor and x._dtype is y._dtype:
            return [(broadcast_shapes(x._shape, y._shape), x._dtype)]
    dt = check_same_dtype(inputs)
    return [(broadcast_all(t.shape for t in inputs), dt)]


def broadcast_compare(inputs: list, attrs: dict) -> list:
    """Broadcast of the inputs' shapes, bool result."""
    check_same_dtype(inputs)
    return [(broadcast_all(t.shape for t in inputs), dtypes.bool_)]


def is_python_number(value: Any) -> bool:
    """True for ints/floats (not bools, not tensors)."""
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


# ----------------------------------------------------------------------------------------
# Which inputs a VJP rule may skip
# ----------------------------------------------------------------------------------------

# Every input index: the ``wanted`` of a VJP rule called outside a reverse sweep.
EVERY_INPUT: Container[int] = range(sys.maxsize)


def reads_wanted_inputs(vjp: Callable[..., Any]) -> Callable[..., Any]:
    """Marks a VJP rule as taking ``wanted=``, the indices of the inputs whose gradients
    the reverse sweep will read; the others lie off the path from xs to ys (a constant
    factor, say). Such a rule may return None for them instead of building their ops;
    returning the gradient anyway is always correct, just wasted work."""
    vjp.reads_wanted_inputs = True  # type: ignore[attr-defined]
    return vjp

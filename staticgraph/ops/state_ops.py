"""Placeholders, variables' storage ops, assignment, identity and grouping ops."""
from __future__ import annotations

import weakref
from typing import Any, Iterable

import numpy as np

from ..core import dtypes, errors
from ..core.graph import Operation, Tensor, get_default_graph
from ..core.registry import EVERY, CommitPhase, Role, define_op
from ..core.session_state import KernelState
from ..core.shapes import TensorShape, as_shape
from .framework import apply_op, convert_to_tensor, same_as_first
from .row_sums import add_rows_at
from .update_phases import locks, var_key_of

__all__ = [
    "placeholder",
    "placeholder_with_default",
    "identity",
    "identity_n",
    "no_op",
    "group",
    "assign",
    "assign_add",
    "assign_sub",
    "scatter_update",
    "scatter_add",
    "scatter_sub",
    "scatter_mul",
    "scatter_div",
    "is_variable_initialized",
]

# -- placeholders ----------------------------------------------------------------------


def _placeholder_shape(inputs: list, attrs: dict) -> list:
    return [(attrs["shape"], attrs["dtype"])]


def _placeholder_kernel(*, dtype: dtypes.DType, shape: TensorShape) -> None:
    # Unreachable in practice: the compiler reports unfed placeholders before running.
    raise errors.InvalidArgumentError(None, None, "You must feed a value for a placeholder")


define_op("Placeholder", kernel=_placeholder_kernel, shape_fn=_placeholder_shape,
          stateful=True, doc="A value supplied through feed_dict at run time.",
          view_of={}, role=Role.PLACEHOLDER)


def placeholder(dtype: Any, shape: Any = None, name: str | None = None) -> Tensor:
    """``tf.placeholder``: a tensor that must be fed; ``shape`` may contain None (or -1)
    for unknown dims. Any other negative dimension is a ``ValueError``."""
    if isinstance(shape, (list, tuple)):
        bad = [d for d in shape if isinstance(d, (int, np.integer)) and d < -1]
        if bad:
            raise ValueError(f"placeholder {name or 'Placeholder'}: dimension {bad[0]} of "
                             f"shape {list(shape)} must be >= 0 (None or -1 for unknown)")
    return apply_op("Placeholder", [], {"dtype": dtypes.as_dtype(dtype),
                                        "shape": as_shape(shape)}, name=name).outputs[0]


def _placeholder_with_default_shape(inputs: list, attrs: dict) -> list:
    default = inputs[0]
    shape = attrs["shape"]
    if not shape.is_compatible_with(default.shape):
        raise ValueError(f"default value of shape {default.shape} is incompatible with the "
                         f"placeholder shape {shape}")
    return [(shape, default.dtype)]


def _identity_kernel(x: np.ndarray, **unused: Any) -> np.ndarray:
    return x


def _identity_vjp(op: Operation, grad: Tensor) -> list:
    return [grad]


def _identity_jvp(op: Operation, tangent: Tensor | None) -> list:
    return [tangent]


define_op("PlaceholderWithDefault", kernel=_identity_kernel,
          shape_fn=_placeholder_with_default_shape, vjp=_identity_vjp, jvp=_identity_jvp,
          doc="Its input unless fed.",
          view_of={0: (0,)}, role=Role.IDENTITY)


def placeholder_with_default(input: Any, shape: Any, name: str | None = None) -> Tensor:
    """``tf.placeholder_with_default``: ``input`` unless a value is fed."""
    return apply_op("PlaceholderWithDefault", [convert_to_tensor(input)],
                    {"shape": as_shape(shape)}, name=name).outputs[0]


# -- identity, no_op, group ---------------------------------------------------------------

define_op("Identity", kernel=_identity_kernel, shape_fn=same_as_first, vjp=_identity_vjp,
          jvp=_identity_jvp, elementwise=True, doc="Its input, unchanged.",
          view_of={0: (0,)}, role=Role.IDENTITY)


def identity(input: Any, name: str | None = None) -> Tensor:
    """``tf.identity``: the same value (useful with control dependencies)."""
    return apply_op("Identity", [convert_to_tensor(input)], name=name).outputs[0]


def _no_op_kernel() -> None:
    return None


define_op("NoOp", kernel=_no_op_kernel, shape_fn=lambda inputs, attrs: [], stateful=True,
          doc="Does nothing; groups control dependencies.",
          view_of={}, role=Role.NO_OP)


def no_op(name: str | None = None) -> Operation:
    """``tf.no_op``: an op that does nothing (a target for control dependencies)."""
    return apply_op("NoOp", [], name=name)


def group(*inputs: Any, name: str | None = None) -> Operation:
    """``tf.group``: an op that runs all ``inputs`` (ops or tensors)."""
    deps = []
    for item in inputs:
        for x in (item if isinstance(item, (list, tuple)) else [item]):
            conv = getattr(x, "_as_graph_element", None)
            x = conv() if conv is not None else x
            deps.append(x.op if isinstance(x, Tensor) else x)
    graph = deps[0].graph if deps else get_default_graph()
    with graph.control_dependencies(deps):
        return apply_op("NoOp", [], name=name or "group_deps", graph=graph)


def tuple_(tensors: Iterable[Any], name: str | None = None,
           control_inputs: Iterable[Any] | None = None) -> list:
    """``tf.tuple``: the tensors, each available only once all of them are computed."""
    tensors = [convert_to_tensor(t) if t is not None else None for t in tensors]
    gate = group(*[t for t in tensors if t is not None], *(control_inputs or []))
    with gate.graph.control_dependencies([gate]):
        return [identity(t) if t is not None else None for t in tensors]


# -- variable storage -------------------------------------------------------------------


def _variable_shape(inputs: list, attrs: dict) -> list:
    return [(attrs["shape"], attrs["dtype"])]


def _variable_kernel(state: KernelState, *, var_key: str, **unused: Any) -> np.ndarray:
    return state.read(var_key)


define_op("VariableV2", kernel=_variable_kernel, shape_fn=_variable_shape, stateful=True,
          uses_state=True, doc="Reads a variable's current value from the session.",
          view_of={}, role=Role.VARIABLE)


def _assign_shape(inputs: list, attrs: dict) -> list:
    value = inputs[0]
    if value.dtype != attrs["dtype"]:
        raise TypeError(f"cannot assign a {value.dtype.name} value to the "
                        f"{attrs['dtype'].name} variable {attrs['var_key']}")
    if attrs.get("validate_shape", True) and not attrs["shape"].is_compatible_with(value.shape):
        raise ValueError(f"cannot assign a value of shape {value.shape} to the variable "
                         f"{attrs['var_key']} of shape {attrs['shape']}")
    return [(attrs["shape"] if attrs.get("validate_shape", True) else value.shape,
             attrs["dtype"])]


def _check_assign(value: np.ndarray, shape: TensorShape, var_key: str,
                  validate_shape: bool) -> None:
    if validate_shape and shape.ndims is not None and (
            value.ndim != shape.ndims or any(d is not None and d != v
                                             for d, v in zip(shape.as_list(), value.shape))):
        raise ValueError(f"cannot assign a value of shape {value.shape} to the variable "
                         f"{var_key} of shape {shape}")


# The arrays of the graph's own constants (by id; the value is the array itself, so a
# reused id of a freed array never matches). Only these may become a variable's value
# without a copy: the caller cannot reach them to write (a fed array, even a read-only
# one, is the caller's: its owner can make it writable again).
_GRAPH_OWNED: "weakref.WeakValueDictionary[int, np.ndarray]" = weakref.WeakValueDictionary()


def _value_to_store(value: np.ndarray, dtype: dtypes.DType) -> tuple[np.ndarray, bool]:
    """The array to store for an assigned ``value``, and whether it is a new one (only
    the state will hold it). A graph constant (the usual initial value) is kept as it
    is: nothing writes into a shared array (updates store new arrays; in-place writes
    copy a variable's array first unless the state owns it), so sharing it saves a
    second copy of every initialized weight."""
    if _GRAPH_OWNED.get(id(value)) is not value or value.dtype != dtype.dtype:
        return np.array(value, dtype=dtype.dtype, order="C", copy=True), True
    return value, False


def _assign_kernel(state: KernelState, value: np.ndarray, *, var_key: str,
                   shape: TensorShape, dtype: dtypes.DType, validate_shape: bool = True,
                   use_locking: bool = True) -> np.ndarray:
    _check_assign(value, shape, var_key, validate_shape)
    value = _value_to_store(value, dtype)[0]
    with locks(state, (var_key,), use_locking):
        return state.assign(var_key, value)


def _assign_prepare(state: KernelState, value: np.ndarray, *, var_key: str,
                    shape: TensorShape, dtype: dtypes.DType, validate_shape: bool = True,
                    use_locking: bool = True) -> tuple:
    _check_assign(value, shape, var_key, validate_shape)
    return (var_key, use_locking, *_value_to_store(value, dtype))


def _assign_commit(state: KernelState, pending: tuple) -> np.ndarray:
    var_key, use_locking, value, private = pending
    with locks(state, (var_key,), use_locking):
        return state.commit_value(var_key, value, private)


def _update_kernel(ufunc: np.ufunc) -> Any:
    """The kernel storing ``ufunc(variable, delta)``, read and written under the
    variable's lock when ``use_locking``."""

    def kernel(state: KernelState, delta: np.ndarray, *, var_key: str, shape: TensorShape,
               dtype: dtypes.DType, validate_shape: bool = True,
               use_locking: bool = False) -> np.ndarray:
        with locks(state, (var_key,), use_locking):
            return state.assign(var_key, ufunc(state.read(var_key), delta, dtype=dtype.dtype))
    return kernel


def _update_phase(ufunc: np.ufunc) -> CommitPhase:
    """The commit phase of the kernel storing ``ufunc(variable, delta)``: in place when
    the result has the variable's shape and dtype, else stored as a new array."""

    def prepare(state: KernelState, delta: np.ndarray, *, var_key: str, shape: TensorShape,
                dtype: dtypes.DType, validate_shape: bool = True,
                use_locking: bool = False) -> tuple:
        current = state.read(var_key)
        in_place = current.dtype == dtype.dtype and \
            np.broadcast_shapes(current.shape, delta.shape) == current.shape
        return var_key, use_locking, delta, dtype.dtype, in_place

    def commit(state: KernelState, pending: tuple) -> np.ndarray:
        var_key, use_locking, delta, dtype, in_place = pending
        with locks(state, (var_key,), use_locking):
            if not in_place:
                return state.commit_value(var_key, ufunc(state.read(var_key), delta,
                                                         dtype=dtype), True)
            value = state.commit_target(var_key)
            return ufunc(value, delta, out=value, dtype=dtype)
    return CommitPhase(prepare, commit, var_key_of)


for _type, _kernel, _phase in (
        ("Assign", _assign_kernel, CommitPhase(_assign_prepare, _assign_commit, var_key_of)),
        ("AssignAdd", _update_kernel(np.add), _update_phase(np.add)),
        ("AssignSub", _update_kernel(np.subtract), _update_phase(np.subtract))):
    # Assign may keep its (read-only) value array as the variable's value.
    define_op(_type, kernel=_kernel, shape_fn=_assign_shape, stateful=True, uses_state=True,
              view_of={0: (0,)}, commit=_phase,
              doc="Updates a variable in the session; outputs the new value.")


def _is_initialized_kernel(state: KernelState, *, var_key: str) -> np.ndarray:
    return np.array(state.get(var_key) is not None)


define_op("IsVariableInitialized", kernel=_is_initialized_kernel,
          shape_fn=lambda inputs, attrs: [(TensorShape([]), dtypes.bool_)], stateful=True,
          uses_state=True, doc="Whether a variable has a value in this session.",
          view_of={})


def is_variable_initialized(variable: Any) -> Tensor:
    """``tf.is_variable_initialized``: a bool scalar, true once the variable has a value."""
    key = _variable_tensor(variable).op.get_attr("var_key")
    return apply_op("IsVariableInitialized", [], {"var_key": key},
                    name="IsVariableInitialized").outputs[0]


def _initialized_value_kernel(state: KernelState, default: np.ndarray, *,
                              var_key: str) -> np.ndarray:
    return state.get(var_key, default)


define_op("InitializedValue", kernel=_initialized_value_kernel, shape_fn=same_as_first,
          stateful=True, uses_state=True,
          doc="A variable's value if it has one in this session, else the given default.",
          view_of={0: (0,)})


def initialized_value(variable: Any, default: Any) -> Tensor:
    """The variable's current value, or ``default`` while it is uninitialized."""
    var = _variable_tensor(variable)
    return apply_op("InitializedValue", [convert_to_tensor(default, dtype=var.dtype)],
                    {"var_key": var.op.get_attr("var_key")},
                    name="initialized_value").outputs[0]


def variable_op(shape: TensorShape, dtype: dtypes.DType, name: str | None) -> Tensor:
    """Creates the VariableV2 op whose output reads the variable's current value."""
    graph = get_default_graph()
    name = name or "Variable"
    # The session stores the value under the op's name: chosen first, then used verbatim.
    key = name[:-1] if name[-1] == "/" else graph.unique_name(name)
    op = apply_op("VariableV2", [], {"shape": shape, "dtype": dtype, "var_key": key},
                  name=key + "/", graph=graph)
    return op.outputs[0]


def _state_update(op_type: str, ref: Any, value: Any, name: str | None,
                  use_locking: bool, validate_shape: bool = True) -> Tensor:
    var = _variable_tensor(ref)
    attrs = var.op.attrs
    attrs["validate_shape"] = validate_shape
    attrs["use_locking"] = use_locking
    value = convert_to_tensor(value, dtype=var.dtype)
    if value.op.type == "Const":
        array = value.op.get_attr("value")
        _GRAPH_OWNED[id(array)] = array
    return apply_op(op_type, [value], attrs, name=name or op_type).outputs[0]


def _variable_tensor(ref: Any) -> Tensor:
    as_element = getattr(ref, "_as_graph_element", None)  # a Variable (TF's protocol)
    tensor = as_element() if as_element is not None else ref
    if not isinstance(tensor, Tensor) or tensor.op.type != "VariableV2":
        raise TypeError(f"assign needs a Variable, got {ref!r}")
    return tensor


def assign(ref: Any, value: Any, validate_shape: bool | None = None,
           use_locking: bool | None = None, name: str | None = None) -> Tensor:
    """``tf.assign``: sets variable ``ref`` to ``value``; outputs the new value.

    ``use_locking`` (default True, as TF's Assign op) orders it with locked updates of
    the same variable."""
    return _state_update("Assign", ref, value, name,
                         True if use_locking is None else bool(use_locking),
                         True if validate_shape is None else validate_shape)


def assign_add(ref: Any, value: Any, use_locking: bool | None = None,
               name: str | None = None) -> Tensor:
    """``tf.assign_add``: ``ref += value``; outputs the new value. With ``use_locking``
    the read and the write hold the variable's lock, so concurrent runs lose nothing."""
    return _state_update("AssignAdd", ref, value, name, bool(use_locking))


def assign_sub(ref: Any, value: Any, use_locking: bool | None = None,
               name: str | None = None) -> Tensor:
    """``tf.assign_sub``: ``ref -= value``; outputs the new value (``use_locking`` as
    for :func:`assign_add`)."""
    return _state_update("AssignSub", ref, value, name, bool(use_locking))


# -- scatter updates: rows of a variable ------------------------------------------------


def _scatter_shape(inputs: list, attrs: dict) -> list:
    indices, updates = inputs
    var_shape, key = attrs["shape"], attrs["var_key"]
    if not indices.dtype.is_integer:
        raise TypeError(f"indices must be int32 or int64, got {indices.dtype.name}")
    if updates.dtype != attrs["dtype"]:
        raise TypeError(f"cannot scatter {updates.dtype.name} updates into the "
                        f"{attrs['dtype'].name} variable {key}")
    if var_shape.ndims == 0:
        raise ValueError(f"cannot scatter into the scalar variable {key}")
    if updates.shape.ndims != 0 and var_shape.ndims is not None and \
            indices.shape.ndims is not None:
        expected = TensorShape(indices.shape.as_list() + var_shape.as_list()[1:])
        if not updates.shape.is_compatible_with(expected):
            raise ValueError(f"updates of shape {updates.shape} do not match indices of "
                             f"shape {indices.shape} into the variable {key} of shape "
                             f"{var_shape} (expected {expected} or a scalar)")
    return [(var_shape, attrs["dtype"])]


def _scatter_kernel(apply: Any, reads_old: bool = False) -> Any:
    """The kernel doing ``apply(variable, indices, updates)`` in place on the rows at
    ``indices`` (``apply(..., old rows)`` with ``reads_old``), read and written under the
    variable's lock when ``use_locking``."""

    def kernel(state: KernelState, indices: np.ndarray, updates: np.ndarray, *,
               var_key: str, shape: TensorShape, dtype: dtypes.DType,
               validate_shape: bool = True, use_locking: bool = False) -> np.ndarray:
        if not use_locking:
            return _scatter(state, apply, reads_old, var_key, indices, updates)
        with state.locked((var_key,)):
            return _scatter(state, apply, reads_old, var_key, indices, updates)
    return kernel


def _check_scatter(var: np.ndarray, var_key: str, indices: np.ndarray,
                   updates: np.ndarray | None = None) -> None:
    """Checks the indices against the variable's rows (and the updates' shape)."""
    rows = var.shape[0]
    if indices.size and (indices.min() < 0 or indices.max() >= rows):
        bad = (indices < 0) | (indices >= rows)
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"indices{list(where)} = {int(indices[where])} is not in "
                         f"[0, {rows}) (the rows of variable {var_key})")
    expected = indices.shape + var.shape[1:]
    if updates is not None and updates.shape != expected and \
            np.broadcast_shapes(updates.shape, expected) != expected:
        raise ValueError(f"updates of shape {list(updates.shape)} do not match indices of "
                         f"shape {list(indices.shape)} into the variable {var_key} of "
                         f"shape {list(var.shape)}")


def _scatter_phase(apply: Any, reads_old: bool) -> CommitPhase:
    """The commit phase of a scatter kernel: checked first, applied in place last."""

    def prepare(state: KernelState, indices: np.ndarray, updates: np.ndarray, *,
                var_key: str, shape: TensorShape, dtype: dtypes.DType,
                validate_shape: bool = True, use_locking: bool = False) -> tuple:
        _check_scatter(state.read(var_key), var_key, indices, updates)
        return var_key, use_locking, indices, updates

    def commit(state: KernelState, pending: tuple) -> np.ndarray:
        var_key, use_locking, indices, updates = pending
        with locks(state, (var_key,), use_locking):
            value = state.commit_target(var_key)
            apply(value, indices, updates, *((None,) if reads_old else ()))
        return value
    return CommitPhase(prepare, commit, var_key_of)


def _scatter(state: KernelState, apply: Any, reads_old: bool, var_key: str,
             indices: np.ndarray, updates: np.ndarray) -> np.ndarray:
    """Checks the indices and applies the update (the state's ``writable_rows`` keeps
    the old rows for a failed run, and hands them to ``apply`` with ``reads_old``)."""
    _check_scatter(state.read(var_key), var_key, indices)
    if not reads_old:
        new = state.writable_rows(var_key, indices)
        apply(new, indices, updates)
        return new
    new, old = state.writable_rows_and_old(var_key, indices)
    apply(new, indices, updates, old)
    return new


def _scatter_set(new: np.ndarray, indices: np.ndarray, updates: np.ndarray) -> None:
    new[indices] = updates


def _scatter_add(new: np.ndarray, indices: np.ndarray, updates: np.ndarray,
                 old: np.ndarray | None) -> None:
    add_rows_at(new, indices, updates, current=old)


def _scatter_sub(new: np.ndarray, indices: np.ndarray, updates: np.ndarray,
                 old: np.ndarray | None) -> None:
    add_rows_at(new, indices, updates, subtract=True, current=old)


for _type, _apply, _reads_old in (("ScatterUpdate", _scatter_set, False),
                                  ("ScatterAdd", _scatter_add, True),
                                  ("ScatterSub", _scatter_sub, True),
                                  ("ScatterMul", np.multiply.at, False),
                                  ("ScatterDiv", np.divide.at, False)):
    define_op(_type, kernel=_scatter_kernel(_apply, _reads_old), shape_fn=_scatter_shape,
              stateful=True, uses_state=True, view_of={}, non_differentiable=(0, 1),
              commit=_scatter_phase(_apply, _reads_old),
              doc="Updates rows of a variable in the session; outputs its new value.")


def _scatter_op(op_type: str, ref: Any, indices: Any, updates: Any, use_locking: bool,
                name: str | None) -> Tensor:
    var = _variable_tensor(ref)
    attrs = var.op.attrs
    attrs["use_locking"] = bool(use_locking)
    inputs = [convert_to_tensor(indices), convert_to_tensor(updates, dtype=var.dtype)]
    return apply_op(op_type, inputs, attrs, name=name or op_type).outputs[0]


def scatter_update(ref: Any, indices: Any, updates: Any, use_locking: bool = True,
                   name: str | None = None) -> Tensor:
    """``tf.scatter_update``: ``ref[indices, ...] = updates``; outputs the new value.
    With repeated indices, the last update wins (TF leaves the order undefined)."""
    return _scatter_op("ScatterUpdate", ref, indices, updates, use_locking, name)


def scatter_add(ref: Any, indices: Any, updates: Any, use_locking: bool = False,
                name: str | None = None) -> Tensor:
    """``tf.scatter_add``: ``ref[indices, ...] += updates`` (repeated indices add up);
    outputs the new value. With ``use_locking`` concurrent runs lose no update."""
    return _scatter_op("ScatterAdd", ref, indices, updates, use_locking, name)


def scatter_sub(ref: Any, indices: Any, updates: Any, use_locking: bool = False,
                name: str | None = None) -> Tensor:
    """``tf.scatter_sub``: ``ref[indices, ...] -= updates`` (repeated indices add up);
    outputs the new value."""
    return _scatter_op("ScatterSub", ref, indices, updates, use_locking, name)


def scatter_mul(ref: Any, indices: Any, updates: Any, use_locking: bool = False,
                name: str | None = None) -> Tensor:
    """``tf.scatter_mul``: ``ref[indices, ...] *= updates`` (repeated indices multiply);
    outputs the new value."""
    return _scatter_op("ScatterMul", ref, indices, updates, use_locking, name)


def scatter_div(ref: Any, indices: Any, updates: Any, use_locking: bool = False,
                name: str | None = None) -> Tensor:
    """``tf.scatter_div``: ``ref[indices, ...] /= updates`` (repeated indices divide);
    outputs the new value."""
    return _scatter_op("ScatterDiv", ref, indices, updates, use_locking, name)


# -- IdentityN: several tensors passed through together --------------------------------


def _identity_n_kernel(*xs: np.ndarray) -> tuple:
    return xs


def _identity_n_shape(inputs: list, attrs: dict) -> list:
    return [(t.shape, t.dtype) for t in inputs]


def _identity_n_vjp(op: Operation, *grads: Tensor) -> list:
    return list(grads)


def _identity_n_jvp(op: Operation, *tangents: Tensor | None) -> list:
    return list(tangents)


define_op("IdentityN", kernel=_identity_n_kernel, shape_fn=_identity_n_shape,
          vjp=_identity_n_vjp, jvp=_identity_n_jvp,
          doc="Its inputs, unchanged (a hook for custom gradients).",
          view_of={EVERY: (EVERY,)})


def identity_n(input: list, name: str | None = None) -> list[Tensor]:
    """``tf.identity_n``: the same tensors, as one op."""
    return list(apply_op("IdentityN", [convert_to_tensor(t) for t in input],
                         name=name).outputs)

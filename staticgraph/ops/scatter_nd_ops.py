"""Scatters at multi-dimensional indices: TensorScatterUpdate/Add/Sub/Max/Min (a new tensor),
ScatterNdUpdate/Add/Sub and ScatterMax/Min (a variable, in place, undone by a failed run),
and ``batch_gather``/``batch_scatter_update``, built on gather_nd/scatter_nd_update."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import CommitPhase, define_op
from ..core.session_state import KernelState
from ..core.shapes import TensorShape
from .broadcast_ops import broadcast_to
from .cast_ops import cast
from .comparison_ops import equal
from .fill_ops import range as range_, zeros_like
from .framework import apply_op, convert_to_tensor
from .gather_ops import _nd_index, gather_nd, scatter_nd
from .math_ops import add, multiply, negative, realdiv
from .op_util import _check_index_dtype, as_index_tensor, op_scope
from .shape_ops import _shape_tensor, reshape, shape
from .stack_ops import stack
from .state_ops import (_scatter_kernel, _scatter_op, _scatter_phase, _scatter_shape,
                        _variable_tensor)
from .update_phases import locks, var_key_of

__all__ = ["tensor_scatter_nd_update", "tensor_scatter_nd_add", "tensor_scatter_nd_sub",
           "tensor_scatter_nd_max", "tensor_scatter_nd_min", "tensor_scatter_update",
           "tensor_scatter_add", "tensor_scatter_sub", "scatter_nd_update", "scatter_nd_add",
           "scatter_nd_sub", "scatter_max", "scatter_min", "batch_gather",
           "batch_scatter_update"]


def _set(out: np.ndarray, key: tuple, updates: np.ndarray) -> None:
    out[key] = updates  # repeated indices: the last update wins (TF leaves it undefined)


_APPLY: dict[str, Callable[[np.ndarray, tuple, np.ndarray], None]] = {
    "Update": _set, "Add": np.add.at, "Sub": np.subtract.at, "Max": np.maximum.at,
    "Min": np.minimum.at,
}


def _check_nd(shape: tuple, indices: np.ndarray, updates: np.ndarray, op_type: str,
              what: str) -> None:
    """Run-time checks: every index inside ``shape``, updates of the right shape."""
    depth = indices.shape[-1]
    if depth > len(shape):
        raise ValueError(f"{op_type}: indices of shape {indices.shape} index {depth} "
                         f"dimensions of {what} of shape {shape}")
    for k in range(depth):
        column = indices[..., k]
        bad = (column < 0) | (column >= shape[k])
        if np.any(bad):
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(f"{op_type}: indices{list(where)} = "
                             f"{indices[where].tolist()} does not index into {what} of "
                             f"shape {shape}")
    expected = indices.shape[:-1] + tuple(shape[depth:])
    if updates.shape != expected:
        raise ValueError(f"{op_type}: updates of shape {updates.shape} do not match "
                         f"indices {indices.shape} into {what} of shape {shape} (expected "
                         f"{expected})")


def _nd_shape_check(target: TensorShape, indices: Tensor, updates: Tensor,
                    what: str) -> None:
    """Build-time checks of a scatter at ``indices`` into a tensor of shape ``target``."""
    _check_index_dtype(indices, "indices")
    if target.ndims is None or indices.shape.ndims is None or indices.shape.as_tuple()[-1] is None:
        return
    depth = indices.shape.as_tuple()[-1]
    if depth > target.ndims:
        raise ValueError(f"indices of shape {indices.shape} index more dimensions than "
                         f"{what} of shape {target} has")
    expected = indices.shape[:-1].concatenate(target[depth:])
    if not updates.shape.is_compatible_with(expected):
        raise ValueError(f"updates of shape {updates.shape} do not match indices of shape "
                         f"{indices.shape} into {what} of shape {target} (expected "
                         f"{expected})")


# ----------------------------------------------------------------------------------------
# TensorScatterUpdate / Add / Sub / Max / Min: a copy of a tensor, scattered into
# ----------------------------------------------------------------------------------------


def _tensor_scatter_kernel(op_type: str) -> Callable:
    apply = _APPLY[op_type[len("TensorScatter"):]]

    def kernel(tensor: np.ndarray, indices: np.ndarray, updates: np.ndarray) -> np.ndarray:
        _check_nd(tensor.shape, indices, updates, op_type, "the tensor")
        out = tensor.copy()
        apply(out, _nd_index(indices), updates)
        return out
    return kernel


def _tensor_scatter_shape(inputs: list, attrs: dict) -> list:
    tensor, indices, updates = inputs
    if updates.dtype != tensor.dtype:
        raise TypeError(f"updates ({updates.dtype.name}) must have the tensor's dtype "
                        f"({tensor.dtype.name})")
    _nd_shape_check(tensor.shape, indices, updates, "the tensor")
    return [(tensor.shape, tensor.dtype)]


def _tensor_scatter(op_type: str, tensor: Any, indices: Any, updates: Any) -> Tensor:
    return apply_op(op_type, [tensor, indices, updates]).outputs[0]


def _update_vjp(op: Operation, g: Tensor) -> list:
    _, indices, updates = op.inputs
    return [_tensor_scatter("TensorScatterUpdate", g, indices, zeros_like(updates)), None,
            gather_nd(g, indices)]


def _add_vjp(op: Operation, g: Tensor) -> list:
    return [g, None, gather_nd(g, op.inputs[1])]


def _sub_vjp(op: Operation, g: Tensor) -> list:
    return [g, None, negative(gather_nd(g, op.inputs[1]))]


def _same_op_jvp(op: Operation, tx: Tensor | None, _: Any, tu: Tensor | None) -> list:
    """Update, Add and Sub are linear in (tensor, updates) together."""
    if tx is None and tu is None:
        return [None]
    tensor, indices, updates = op.inputs
    return [_tensor_scatter(op.type, zeros_like(tensor) if tx is None else tx, indices,
                            zeros_like(updates) if tu is None else tu)]


def _shares(op: Operation) -> tuple[Tensor, Tensor]:
    """TF1's split of a max/min's derivative between the tensor's entry and the updates
    equal to the result: each holder's share of position p is 1 / (their count at p)."""
    tensor, indices, updates = op.inputs
    out = op.outputs[0]
    x_hits = cast(equal(tensor, out), out.dtype)
    u_hits = cast(equal(updates, gather_nd(out, indices)), out.dtype)
    holders = add(x_hits, scatter_nd(indices, u_hits, _shape_tensor(tensor, indices.dtype)))
    return realdiv(x_hits, holders), multiply(u_hits, realdiv(1.0, gather_nd(holders,
                                                                              indices)))


def _extremum_vjp(op: Operation, g: Tensor) -> list:
    x_share, u_share = _shares(op)
    return [multiply(g, x_share), None, multiply(gather_nd(g, op.inputs[1]), u_share)]


def _extremum_jvp(op: Operation, tx: Tensor | None, _: Any, tu: Tensor | None) -> list:
    if tx is None and tu is None:
        return [None]
    tensor, indices, _updates = op.inputs
    x_share, u_share = _shares(op)
    parts = []
    if tx is not None:
        parts.append(multiply(tx, x_share))
    if tu is not None:
        parts.append(scatter_nd(indices, multiply(tu, u_share),
                                _shape_tensor(tensor, indices.dtype)))
    return [parts[0] if len(parts) == 1 else add(*parts)]


for _kind, _vjp, _jvp in (("Update", _update_vjp, _same_op_jvp),
                          ("Add", _add_vjp, _same_op_jvp), ("Sub", _sub_vjp, _same_op_jvp),
                          ("Max", _extremum_vjp, _extremum_jvp),
                          ("Min", _extremum_vjp, _extremum_jvp)):
    define_op(f"TensorScatter{_kind}", kernel=_tensor_scatter_kernel(f"TensorScatter{_kind}"),
              shape_fn=_tensor_scatter_shape, vjp=_vjp, jvp=_jvp, non_differentiable=(1,),
              view_of={}, doc=f"A copy of a tensor with updates combined in ({_kind}) at "
                              f"multi-dimensional indices.")


def _tensor_scatter_function(kind: str, tf_name: str, doc: str) -> Callable[..., Tensor]:
    def function(tensor: Any, indices: Any, updates: Any, name: str | None = None) -> Tensor:
        t = convert_to_tensor(tensor)
        return apply_op(f"TensorScatter{kind}",
                        [t, as_index_tensor(indices, "indices"),
                         convert_to_tensor(updates, dtype=t.dtype)], name=name).outputs[0]
    function.__name__ = function.__qualname__ = tf_name
    function.__doc__ = doc
    return function


tensor_scatter_nd_update = _tensor_scatter_function(
    "Update", "tensor_scatter_nd_update",
    "``tf.tensor_scatter_nd_update``: a copy of ``tensor`` with ``updates`` written at "
    "``indices`` (``[..., depth]``, each row a prefix of coordinates); for a repeated index "
    "the last update wins (TF leaves the order undefined).")
tensor_scatter_nd_add = _tensor_scatter_function(
    "Add", "tensor_scatter_nd_add",
    "``tf.tensor_scatter_nd_add``: a copy of ``tensor`` with ``updates`` added at "
    "``indices``; repeated indices add up.")
tensor_scatter_nd_sub = _tensor_scatter_function(
    "Sub", "tensor_scatter_nd_sub",
    "``tf.tensor_scatter_nd_sub``: a copy of ``tensor`` with ``updates`` subtracted at "
    "``indices``; repeated indices add up.")
tensor_scatter_nd_max = _tensor_scatter_function(
    "Max", "tensor_scatter_nd_max",
    "``tf.tensor_scatter_nd_max``: a copy of ``tensor`` holding the maximum of each entry "
    "and the updates at its index (the gradient is shared equally among tied holders).")
tensor_scatter_nd_min = _tensor_scatter_function(
    "Min", "tensor_scatter_nd_min",
    "``tf.tensor_scatter_nd_min``: as :func:`tensor_scatter_nd_max` with the minimum.")
tensor_scatter_update = tensor_scatter_nd_update
tensor_scatter_add = tensor_scatter_nd_add
tensor_scatter_sub = tensor_scatter_nd_sub


# ----------------------------------------------------------------------------------------
# ScatterNdUpdate / Add / Sub, ScatterMax / Min: a variable, updated where indexed
# ----------------------------------------------------------------------------------------


def _scatter_nd_variable_kernel(op_type: str) -> Callable:
    apply = _APPLY[op_type[len("ScatterNd"):]]

    def scatter(state: KernelState, indices: np.ndarray, updates: np.ndarray,
                var_key: str) -> np.ndarray:
        var = state.read(var_key)
        _check_nd(var.shape, indices, updates, op_type, f"variable {var_key}")
        rows = indices[..., 0] if indices.shape[-1] else np.arange(var.shape[0])
        new = state.writable_rows(var_key, rows)  # the old rows return if the run fails
        apply(new, _nd_index(indices), updates)
        return new

    def kernel(state: KernelState, indices: np.ndarray, updates: np.ndarray, *,
               var_key: str, shape: TensorShape, dtype: dtypes.DType,
               validate_shape: bool = True, use_locking: bool = False) -> np.ndarray:
        if not use_locking:
            return scatter(state, indices, updates, var_key)
        with state.locked((var_key,)):
            return scatter(state, indices, updates, var_key)
    return kernel


def _scatter_nd_variable_phase(op_type: str) -> CommitPhase:
    """The commit phase of a ScatterNd* variable kernel: checked first, applied last."""
    apply = _APPLY[op_type[len("ScatterNd"):]]

    def prepare(state: KernelState, indices: np.ndarray, updates: np.ndarray, *,
                var_key: str, shape: TensorShape, dtype: dtypes.DType,
                validate_shape: bool = True, use_locking: bool = False) -> tuple:
        _check_nd(state.read(var_key).shape, indices, updates, op_type, f"variable {var_key}")
        return var_key, use_locking, _nd_index(indices), updates

    def commit(state: KernelState, pending: tuple) -> np.ndarray:
        var_key, use_locking, index, updates = pending
        with locks(state, (var_key,), use_locking):
            value = state.commit_target(var_key)
            apply(value, index, updates)
        return value
    return CommitPhase(prepare, commit, var_key_of)


def _scatter_nd_variable_shape(inputs: list, attrs: dict) -> list:
    indices, updates = inputs
    var_shape, key = attrs["shape"], attrs["var_key"]
    if updates.dtype != attrs["dtype"]:
        raise TypeError(f"cannot scatter {updates.dtype.name} updates into the "
                        f"{attrs['dtype'].name} variable {key}")
    if var_shape.ndims == 0:
        raise ValueError(f"cannot scatter into the scalar variable {key}")
    _nd_shape_check(var_shape, indices, updates, f"the variable {key}")
    return [(var_shape, attrs["dtype"])]


_VARIABLE_SCATTERS = [(f"ScatterNd{kind}", _scatter_nd_variable_kernel(f"ScatterNd{kind}"),
                       _scatter_nd_variable_shape, _scatter_nd_variable_phase(f"ScatterNd{kind}"))
                      for kind in ("Update", "Add", "Sub")]
_VARIABLE_SCATTERS += [(t, _scatter_kernel(apply), _scatter_shape, _scatter_phase(apply, False))
                       for t, apply in (("ScatterMax", np.maximum.at),
                                        ("ScatterMin", np.minimum.at))]
for _type, _kernel, _shape_fn, _phase in _VARIABLE_SCATTERS:
    define_op(_type, kernel=_kernel, shape_fn=_shape_fn, stateful=True, uses_state=True,
              view_of={}, non_differentiable=(0, 1), commit=_phase,
              doc="Updates a variable at indices (rows, or multi-dimensional for ScatterNd*; "
                  "Max/Min keep the larger/smaller value); outputs its new value.")


def _scatter_nd_variable(kind: str, ref: Any, indices: Any, updates: Any, use_locking: bool,
                         name: str | None) -> Tensor:
    var = _variable_tensor(ref)
    attrs = var.op.attrs
    attrs["use_locking"] = bool(use_locking)
    inputs = [as_index_tensor(indices, "indices"), convert_to_tensor(updates, dtype=var.dtype)]
    return apply_op(f"ScatterNd{kind}", inputs, attrs,
                    name=name or f"ScatterNd{kind}").outputs[0]


def scatter_nd_update(ref: Any, indices: Any, updates: Any, use_locking: bool = True,
                      name: str | None = None) -> Tensor:
    """``tf.scatter_nd_update``: writes ``updates`` into variable ``ref`` at ``indices``
    (``[..., depth]``); outputs the new value. For a repeated index the last update wins.
    A run that fails later leaves the variable as it was."""
    return _scatter_nd_variable("Update", ref, indices, updates, use_locking, name)


def scatter_nd_add(ref: Any, indices: Any, updates: Any, use_locking: bool = False,
                   name: str | None = None) -> Tensor:
    """``tf.scatter_nd_add``: adds ``updates`` into variable ``ref`` at ``indices``
    (repeated indices add up); outputs the new value."""
    return _scatter_nd_variable("Add", ref, indices, updates, use_locking, name)


def scatter_nd_sub(ref: Any, indices: Any, updates: Any, use_locking: bool = False,
                   name: str | None = None) -> Tensor:
    """``tf.scatter_nd_sub``: subtracts ``updates`` from variable ``ref`` at ``indices``
    (repeated indices add up); outputs the new value."""
    return _scatter_nd_variable("Sub", ref, indices, updates, use_locking, name)


def scatter_max(ref: Any, indices: Any, updates: Any, use_locking: bool = False,
                name: str | None = None) -> Tensor:
    """``tf.scatter_max``: ``ref[indices, ...] = max(ref[indices, ...], updates)``
    (repeated indices: the largest wins); outputs the new value."""
    return _scatter_op("ScatterMax", ref, indices, updates, use_locking, name)


def scatter_min(ref: Any, indices: Any, updates: Any, use_locking: bool = False,
                name: str | None = None) -> Tensor:
    """``tf.scatter_min``: ``ref[indices, ...] = min(ref[indices, ...], updates)``
    (repeated indices: the smallest wins); outputs the new value."""
    return _scatter_op("ScatterMin", ref, indices, updates, use_locking, name)


# ----------------------------------------------------------------------------------------
# batch_gather and batch_scatter_update: per-batch-entry indices made multi-dimensional
# ----------------------------------------------------------------------------------------


def _with_batch_coordinates(indices: Tensor) -> Tensor:
    """``[..., k] -> [..., k, rank]`` indices: each entry's batch coordinates (its position
    in all but the last axis of ``indices``) followed by the entry itself."""
    rank = indices.shape.ndims
    if rank is None or rank < 1:
        raise ValueError(f"batch indices need a known rank >= 1, got shape {indices.shape}")
    full = shape(indices, out_type=indices.dtype)
    coords = []
    for axis in range(rank - 1):
        along = range_(indices.shape.as_tuple()[axis] if indices.shape.as_tuple()[axis] is not None
                       else full[axis], dtype=indices.dtype)
        target = [1] * rank
        target[axis] = -1
        coords.append(broadcast_to(reshape(along, target), full))
    return stack(coords + [indices], axis=-1)


def batch_gather(params: Any, indices: Any, name: str | None = None) -> Tensor:
    """``tf.batch_gather``: ``out[b..., j] = params[b..., indices[b..., j]]``: a gather
    along the axis after the leading batch axes that ``indices`` shares with ``params``."""
    with op_scope(name, "BatchGather", [params, indices]) as scope:
        p = convert_to_tensor(params)
        i = as_index_tensor(indices, "indices")
        if p.shape.ndims is not None and i.shape.ndims is not None and \
                p.shape.ndims < i.shape.ndims:
            raise ValueError(f"batch_gather: params of shape {p.shape} need at least the "
                             f"rank of indices {i.shape}")
        return gather_nd(p, _with_batch_coordinates(i), name=scope)


def batch_scatter_update(ref: Any, indices: Any, updates: Any, use_locking: bool = True,
                         name: str | None = None) -> Tensor:
    """``tf.batch_scatter_update``: ``ref[b..., indices[b..., j]] = updates[b..., j]`` for
    the leading batch axes that ``indices`` shares with variable ``ref``; outputs the new
    value."""
    with op_scope(name, "BatchScatterUpdate", [indices, updates]) as scope:
        nd = _with_batch_coordinates(as_index_tensor(indices, "indices"))
        return scatter_nd_update(ref, nd, updates, use_locking=use_locking, name=scope)

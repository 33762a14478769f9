"""The optimizers' sparse updates (TF1's ``SparseApplyMomentum``, ``SparseApplyAdagrad``,
``SparseApplyRMSProp``, ``SparseApplyAdadelta``, ``SparseApplyFtrl``,
``SparseApplyProximalGradientDescent``, ``SparseApplyProximalAdagrad``, its non-lazy
sparse Adam and ``tf.contrib.opt``'s lazy one), and the duplicate-index summing
TF1's optimizers do first (the scatter ops live in ``state_ops``).

The row updates change only the rows they are given, in place
(:meth:`SessionState.writable_rows` logs the old rows, so a failed run still puts the
variable back): one step on an embedding table costs memory of the batch's rows, not of
the table. Indices are checked before anything is written. Each update also declares a
commit phase (``OpDef.commit``): checked where it is scheduled, written in place at the
end of the plan with no undo record, which is what keeps non-lazy sparse Adam (whose
decay touches every row) at the memory of its rows too.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from ..core.registry import CommitPhase, define_op
from ..core.shapes import TensorShape
from .framework import apply_op, convert_to_tensor, is_tensor_like
from .row_sums import add_rows_at
from .indexed_slices import IndexedSlices
from .op_util import _check_index_dtype
from .state_ops import _variable_tensor
from .training_ops_extra import (adadelta_rows, ftrl_rows, proximal_adagrad_rows,
                                 proximal_gd_rows)
from .update_phases import blocks, locks, var_keys_of

__all__: list[str] = []


def _rows_checked(indices: np.ndarray, var: np.ndarray, updates: np.ndarray | None,
                  what: str) -> np.ndarray:
    """``indices`` flattened, after checking them against ``var``'s first axis and the
    shape of ``updates`` (``indices.shape + var.shape[1:]``)."""
    flat = indices.reshape(-1)
    limit = var.shape[0]
    if flat.size and (flat.min() < 0 or flat.max() >= limit):
        bad = flat[(flat < 0) | (flat >= limit)][0]
        raise ValueError(f"{what}: index {bad} is not in [0, {limit})")
    if updates is not None and updates.shape != indices.shape + var.shape[1:]:
        raise ValueError(f"{what}: updates of shape {list(updates.shape)} do not match "
                         f"indices of shape {list(indices.shape)} and a variable of shape "
                         f"{list(var.shape)}")
    return flat


# -- summing the values of repeated indices ------------------------------------------------


def _dedup_kernel(values: np.ndarray, indices: np.ndarray) -> tuple:
    unique, positions = np.unique(indices.reshape(-1), return_inverse=True)
    summed = np.zeros((unique.size,) + values.shape[1:], dtype=values.dtype)
    add_rows_at(summed, positions.reshape(-1), values)
    return summed, unique.astype(indices.dtype, copy=False)


def _dedup_shape(inputs: list, attrs: dict) -> list:
    values, indices = inputs
    _check_index_dtype(indices, "indices")
    rows = TensorShape([None]).concatenate(values.shape[1:]) \
        if values.shape.ndims is not None else TensorShape(None)
    return [(rows, values.dtype), (TensorShape([None]), indices.dtype)]


define_op("DeduplicateIndexedSlices", kernel=_dedup_kernel, shape_fn=_dedup_shape,
          non_differentiable=(1,), view_of={},
          doc="The values of repeated indices summed, with the sorted unique indices "
              "(TF1's _deduplicate_indexed_slices: unique + unsorted_segment_sum).")


def deduplicate_indexed_slices(slices: IndexedSlices) -> IndexedSlices:
    """The same IndexedSlices with each index once (its values summed)."""
    values, indices = apply_op("DeduplicateIndexedSlices",
                               [slices.values, slices.indices]).outputs
    return IndexedSlices(values, indices, slices.dense_shape)


# -- the sparse optimizer updates --------------------------------------------------------


def _sparse_apply_shape(num_refs: int) -> Callable:
    def shape_fn(inputs: list, attrs: dict) -> list:
        var, values, indices = inputs[0], inputs[-2], inputs[-1]
        _check_index_dtype(indices, "indices")
        if values.dtype != var.dtype:
            raise TypeError(f"grad has dtype {values.dtype.name}, var {attrs['var_keys'][0]} "
                            f"has {var.dtype.name}")
        for t in inputs[num_refs:-2]:
            if t.shape.ndims not in (None, 0):
                raise ValueError(f"hyperparameters must be scalars, got shape {t.shape}")
        return [(var.shape, var.dtype)]
    return shape_fn


def _define_sparse_update(op_type: str, num_refs: int, update: Callable, doc: str) -> None:
    """An op whose inputs are the variable and its slots (``num_refs`` reads), scalar
    hyperparameters, then the gradient's values and unique indices; ``update(rows of
    each ref..., *scalars, values)`` returns the new rows of each ref."""
    def kernel(state: Any, *inputs: np.ndarray, var_keys: tuple,
               use_locking: bool = False) -> np.ndarray:
        if not use_locking:
            return update_rows(state, inputs, var_keys)
        with state.locked(var_keys):
            return update_rows(state, inputs, var_keys)

    def update_rows(state: Any, inputs: tuple, var_keys: tuple) -> np.ndarray:
        refs, scalars = inputs[:num_refs], [float(s) for s in inputs[num_refs:-2]]
        values, indices = inputs[-2], inputs[-1]
        rows = _rows_checked(indices, refs[0], values, op_type)
        arrays, olds = zip(*(state.writable_rows_and_old(key, rows) for key in var_keys))
        for array, new in zip(arrays, update(*olds, *scalars, values)):
            array[rows] = new
        return state.read(var_keys[0])

    def prepare(state: Any, *inputs: np.ndarray, var_keys: tuple,
                use_locking: bool = False) -> tuple:
        rows = _rows_checked(inputs[-1], inputs[0], inputs[-2], op_type)
        _check_slots(inputs[:num_refs], var_keys, op_type)
        return (var_keys, use_locking, rows, [float(s) for s in inputs[num_refs:-2]],
                inputs[-2])

    def commit(state: Any, pending: tuple) -> np.ndarray:
        var_keys, use_locking, rows, scalars, values = pending
        with locks(state, var_keys, use_locking):
            arrays = [state.commit_target(key) for key in var_keys]
            for array, new in zip(arrays, update(*[a[rows] for a in arrays], *scalars,
                                                 values)):
                array[rows] = new
        return arrays[0]
    define_op(op_type, kernel=kernel, shape_fn=_sparse_apply_shape(num_refs),
              stateful=True, uses_state=True, view_of={}, doc=doc,
              commit=CommitPhase(prepare, commit, var_keys_of, refs=num_refs))


def _check_slots(refs: tuple, var_keys: tuple, what: str) -> None:
    """Run-time check that the slots have the variable's shape."""
    for key, ref in zip(var_keys[1:], refs[1:]):
        if ref.shape != refs[0].shape:
            raise ValueError(f"{what}: slot {key} has shape {list(ref.shape)} but its "
                             f"variable {var_keys[0]} has shape {list(refs[0].shape)}")


def _momentum_rows(var: np.ndarray, accum: np.ndarray, lr: float, momentum: float,
                   grad: np.ndarray, nesterov: bool) -> tuple:
    accum = accum * momentum + grad
    step = grad + accum * momentum if nesterov else accum
    return var - lr * step, accum


def _adagrad_rows(var: np.ndarray, accum: np.ndarray, lr: float,
                  grad: np.ndarray) -> tuple:
    accum = accum + grad * grad
    return var - lr * grad / np.sqrt(accum), accum


def _rms_prop_rows(var: np.ndarray, ms: np.ndarray, mom: np.ndarray, lr: float, rho: float,
                   momentum: float, epsilon: float, grad: np.ndarray) -> tuple:
    ms = rho * ms + (1.0 - rho) * grad * grad
    mom = momentum * mom + lr * grad / np.sqrt(ms + epsilon)
    return var - mom, ms, mom


def _centered_rms_prop_rows(var: np.ndarray, ms: np.ndarray, mom: np.ndarray,
                            mg: np.ndarray, lr: float, rho: float, momentum: float,
                            epsilon: float, grad: np.ndarray) -> tuple:
    ms = rho * ms + (1.0 - rho) * grad * grad
    mg = rho * mg + (1.0 - rho) * grad
    mom = momentum * mom + lr * grad / np.sqrt(ms - mg * mg + epsilon)
    return var - mom, ms, mom, mg


_define_sparse_update(
    "SparseApplyMomentum", 2, lambda *a: _momentum_rows(*a, nesterov=False),
    "At the given rows only: accum ← momentum·accum + grad; var ← var − lr·accum.")
_define_sparse_update(
    "SparseApplyNesterovMomentum", 2, lambda *a: _momentum_rows(*a, nesterov=True),
    "At the given rows only: accum ← momentum·accum + grad; "
    "var ← var − lr·(grad + momentum·accum).")
_define_sparse_update("SparseApplyAdagrad", 2, _adagrad_rows,
                      "At the given rows only: accum ← accum + g²; var ← var − lr·g/√accum.")
_define_sparse_update("SparseApplyRMSProp", 3, _rms_prop_rows,
                      "At the given rows only: ms ← ρ·ms + (1−ρ)·g²; "
                      "mom ← momentum·mom + lr·g/√(ms + ε); var ← var − mom.")
_define_sparse_update("SparseApplyCenteredRMSProp", 4, _centered_rms_prop_rows,
                      "At the given rows only: centered RMSProp (mg ← ρ·mg + (1−ρ)·g; "
                      "mom ← momentum·mom + lr·g/√(ms − mg² + ε); var ← var − mom).")


_define_sparse_update("SparseApplyAdadelta", 3, adadelta_rows,
                      "At the given rows only: TF1's Adadelta (accum ← ρ·accum + (1−ρ)·g²; "
                      "u = √(accum_update+ε)/√(accum+ε)·g; var ← var − lr·u; "
                      "accum_update ← ρ·accum_update + (1−ρ)·u²).")
_define_sparse_update("SparseApplyFtrlV2", 3, ftrl_rows,
                      "At the given rows only: TF1's FTRL-proximal with L1, L2 and "
                      "L2-shrinkage terms (SparseApplyFtrl when the shrinkage is 0).")
_define_sparse_update("SparseApplyProximalGradientDescent", 1, proximal_gd_rows,
                      "At the given rows only: var ← prox(var − alpha·g) with L1 "
                      "soft-thresholding and L2 shrinking.")
_define_sparse_update("SparseApplyProximalAdagrad", 2, proximal_adagrad_rows,
                      "At the given rows only: accum ← accum + g²; "
                      "var ← prox(var − lr/√accum·g) with L1 and L2.")


def _lazy_adam_rows(var: np.ndarray, m: np.ndarray, v: np.ndarray, beta1_power: float,
                    beta2_power: float, lr: float, beta1: float, beta2: float,
                    epsilon: float, grad: np.ndarray) -> tuple:
    lr_t = lr * np.sqrt(1.0 - beta2_power) / (1.0 - beta1_power)
    m = beta1 * m + (1.0 - beta1) * grad
    v = beta2 * v + (1.0 - beta2) * (grad * grad)
    return var - lr_t * m / (np.sqrt(v) + epsilon), m, v


_define_sparse_update("SparseApplyLazyAdam", 3, _lazy_adam_rows,
                      "tf.contrib.opt.LazyAdamOptimizer's rule, at the given rows only: "
                      "m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², "
                      "var ← var − lr_t·m/(√v + ε) (lr_t = lr·√(1−β2ᵗ)/(1−β1ᵗ)).")


def sparse_apply(op_type: str, refs: list, scalars: list, grad: IndexedSlices,
                 use_locking: bool = False, name: str | None = None) -> Tensor:
    """Builds a sparse update op; ``refs`` are Variables (the updated one first) and
    ``grad`` an IndexedSlices whose indices are unique. With ``use_locking`` the update
    runs under the locks of every ref."""
    tensors = [_variable_tensor(r) for r in refs]
    dtype = tensors[0].dtype
    scalar_tensors = [convert_to_tensor(s) if is_tensor_like(s) else
                      convert_to_tensor(s, dtype=dtype) for s in scalars]
    indices = grad.indices
    if indices.dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"{op_type}: indices must be int32 or int64, got {indices.dtype.name}")
    attrs = {"var_keys": tuple(t.op.get_attr("var_key") for t in tensors),
             "use_locking": bool(use_locking)}
    return apply_op(op_type, tensors + scalar_tensors + [grad.values, indices], attrs,
                    name=name or op_type).outputs[0]


def _sparse_adam_kernel(state: Any, var: np.ndarray, m: np.ndarray, v: np.ndarray,
                        beta1_power: np.ndarray, beta2_power: np.ndarray, lr: np.ndarray,
                        beta1: np.ndarray, beta2: np.ndarray, epsilon: np.ndarray,
                        values: np.ndarray, indices: np.ndarray, *,
                        var_keys: tuple, use_locking: bool = False) -> np.ndarray:
    if use_locking:  # the variable and slots as they are once the locks are held
        with state.locked(var_keys):
            var, m, v = (state.read(key) for key in var_keys)
            return _sparse_adam_kernel(state, var, m, v, beta1_power, beta2_power, lr,
                                       beta1, beta2, epsilon, values, indices,
                                       var_keys=var_keys)
    rows = _rows_checked(indices, var, values, "SparseApplyAdam")
    b1, b2 = float(beta1), float(beta2)
    lr_t = float(lr) * np.sqrt(1.0 - float(beta2_power)) / (1.0 - float(beta1_power))
    new_m = np.multiply(m, b1, out=np.empty_like(m))
    new_m[rows] += (1.0 - b1) * values
    new_v = np.multiply(v, b2, out=np.empty_like(v))
    new_v[rows] += (1.0 - b2) * (values * values)
    new_var = np.sqrt(new_v, out=np.empty_like(var))
    new_var += float(epsilon)
    np.divide(new_m, new_var, out=new_var)
    new_var *= -lr_t
    new_var += var
    state.assign(var_keys[1], new_m)
    state.assign(var_keys[2], new_v)
    return state.assign(var_keys[0], new_var)


def _sparse_adam_prepare(state: Any, var: np.ndarray, m: np.ndarray, v: np.ndarray,
                         beta1_power: np.ndarray, beta2_power: np.ndarray, lr: np.ndarray,
                         beta1: np.ndarray, beta2: np.ndarray, epsilon: np.ndarray,
                         values: np.ndarray, indices: np.ndarray, *, var_keys: tuple,
                         use_locking: bool = False) -> tuple:
    rows = _rows_checked(indices, var, values, "SparseApplyAdam")
    _check_slots((var, m, v), var_keys, "SparseApplyAdam")
    lr_t = float(lr) * np.sqrt(1.0 - float(beta2_power)) / (1.0 - float(beta1_power))
    return (var_keys, use_locking, rows, values, float(beta1), float(beta2), lr_t,
            float(epsilon))


def _sparse_adam_commit(state: Any, pending: tuple) -> np.ndarray:
    """The kernel's arithmetic in place: the decays need no temporary, the variable's
    update one block at a time."""
    var_keys, use_locking, rows, values, b1, b2, lr_t, epsilon = pending
    with locks(state, var_keys, use_locking):
        var, m, v = (state.commit_target(key) for key in var_keys)
        m *= b1
        m[rows] += (1.0 - b1) * values
        v *= b2
        v[rows] += (1.0 - b2) * (values * values)
        for block in blocks(var):
            step = np.sqrt(v[block])
            step += epsilon
            np.divide(m[block], step, out=step)
            step *= -lr_t
            step += var[block]
            var[block] = step
    return var


define_op("SparseApplyAdam", kernel=_sparse_adam_kernel, shape_fn=_sparse_apply_shape(3),
          stateful=True, uses_state=True, view_of={},
          commit=CommitPhase(_sparse_adam_prepare, _sparse_adam_commit, var_keys_of,
                             refs=3),
          doc="TF1's non-lazy sparse Adam: m ← β1·m, v ← β2·v everywhere, then "
              "m[rows] += (1−β1)·g, v[rows] += (1−β2)·g²; var ← var − lr_t·m/(√v + ε) "
              "everywhere (lr_t = lr·√(1−β2ᵗ)/(1−β1ᵗ)).")

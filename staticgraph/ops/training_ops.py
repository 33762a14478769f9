"""Fused optimizer updates: TF1's ApplyGradientDescent, ApplyMomentum, ApplyAdam, ...

One op updates one variable and its slot variables in one NumPy kernel. Its first inputs
read the variable and its slots (their current values at the time the op runs), then come
scalar hyperparameters and the gradient. Each op's arithmetic is one elementwise *rule*
(new arrays from the old ones, with as few temporaries as possible). The one-piece kernel
stores the rule's results with ``state.assign`` as *new* arrays — never in place — so
that a run that fails can put every variable back; the op's commit phase
(``update_phases.dense_update_phase``) applies the same rule block by block in place, at
the end of a plan where nothing can fail any more. The output is the variable's new
value. Hyperparameters may have any real dtype: rules get them as Python floats, so the
results keep the variable's dtype.

Every update op has a ``use_locking`` attribute (TF1's): when set, the kernel holds the
locks of the variable and its slots, reads their current values and stores the new ones
before releasing them, so that concurrent runs lose no update.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import numpy as np

from ..core.graph import Tensor
from ..core.registry import define_op
from ..core.session_state import KernelState
from ..core.shapes import TensorShape
from .framework import apply_op, convert_to_tensor, is_tensor_like
from .state_ops import _variable_tensor
from .update_phases import dense_update_kernel, dense_update_phase

__all__ = [
    "apply_gradient_descent",
    "apply_momentum",
    "apply_adam",
    "apply_rms_prop",
    "apply_centered_rms_prop",
    "apply_adagrad",
]

_SCALAR = TensorShape([])


# -- shape rule shared by every update op ------------------------------------------------


def _apply_shape_fn(ref_names: Sequence[str], scalar_names: Sequence[str]) -> Callable:
    """The shape rule of an update op with inputs ``refs + scalars + [grad]``."""

    def shape_fn(inputs: list, attrs: dict) -> list:
        refs = inputs[:len(ref_names)]
        scalars = inputs[len(ref_names):-1]
        grad = inputs[-1]
        var = refs[0]
        if not var.dtype.is_floating:
            raise TypeError(f"var must be floating point, got {var.dtype.name}")
        for label, t in zip(ref_names[1:], refs[1:]):
            if t.dtype != var.dtype or not t.shape.is_compatible_with(var.shape):
                raise ValueError(f"{label} must match var ({var.shape} {var.dtype.name}), "
                                 f"got {t.shape} {t.dtype.name}")
        for label, t in zip(scalar_names, scalars):
            if not t.shape.is_compatible_with(_SCALAR):
                raise ValueError(f"{label} must be a scalar, got shape {t.shape}")
            if not (t.dtype.is_floating or t.dtype.is_integer):
                raise TypeError(f"{label} must be a real number, got {t.dtype.name}")
        if grad.dtype != var.dtype:
            raise TypeError(f"grad has dtype {grad.dtype.name}, var has {var.dtype.name}")
        if not grad.shape.is_compatible_with(var.shape):
            raise ValueError(f"grad of shape {grad.shape} does not match var of shape "
                             f"{var.shape}")
        return [(var.shape, var.dtype)]

    return shape_fn


def define_update(op_type: str, rule: Callable, ref_names: Sequence[str],
                   scalar_names: Sequence[str], doc: str, inline: Callable | None = None,
                   in_place: Callable | None = None) -> None:
    """Registers a fused update whose arithmetic is ``rule(*refs, *scalars, grad,
    **attrs)`` (scalars as floats) returning the new value of each ref, the variable
    first: a one-piece kernel and a commit phase computing the same bits (``in_place``:
    the rule writing them into the refs, for the commit)."""
    refs = len(ref_names)
    define_op(op_type, kernel=_with_locking(dense_update_kernel(rule, refs), refs),
              shape_fn=_apply_shape_fn(ref_names, scalar_names),
              stateful=True, uses_state=True, view_of={}, doc=doc, inline=inline,
              commit=dense_update_phase(rule, refs, in_place))


def _with_locking(kernel: Callable, refs: int) -> Callable:
    """``kernel`` honouring ``use_locking``: under the locks of its ``refs`` variables it
    runs on their current values instead of the values read earlier in the run."""

    def update(state: KernelState, *inputs: np.ndarray, var_keys: tuple,
               use_locking: bool = False, **attrs: Any) -> np.ndarray:
        if not use_locking:
            return kernel(state, *inputs, var_keys=var_keys, **attrs)
        with state.locked(var_keys):
            current = [state.read(key) for key in var_keys]
            return kernel(state, *current, *inputs[refs:], var_keys=var_keys, **attrs)
    update.__doc__ = kernel.__doc__
    return update


def apply_update(op_type: str, refs: Sequence[Any], scalars: Sequence[Any], grad: Any,
                  name: str | None, use_locking: bool, **attrs: Any) -> Tensor:
    """Builds an update op; ``refs`` are Variables (the updated one first)."""
    tensors = [_variable_tensor(r) for r in refs]
    dtype = tensors[0].dtype
    scalar_tensors = [convert_to_tensor(s) if is_tensor_like(s) else
                      convert_to_tensor(s, dtype=dtype) for s in scalars]
    attrs["var_keys"] = tuple(t.op.get_attr("var_key") for t in tensors)
    attrs["use_locking"] = bool(use_locking)
    return apply_op(op_type, tensors + scalar_tensors + [convert_to_tensor(grad)], attrs,
                    name=name or op_type).outputs[0]


# -- NumPy helpers: each writes into an array the kernel owns -----------------------------


def _blend(diff: np.ndarray, old: np.ndarray, decay: float) -> np.ndarray:
    """``diff`` (holding x − old) becomes old + (x − old)·(1 − decay), TF1's moving average."""
    diff *= 1.0 - decay
    diff += old
    return diff


def _blend_into(diff: np.ndarray, old: np.ndarray, decay: float) -> None:
    """``old`` becomes what :func:`_blend` returns (the same bits), in place."""
    diff *= 1.0 - decay
    np.add(diff, old, out=old)


def _blend_toward(x: np.ndarray, old: np.ndarray, decay: float) -> np.ndarray:
    """A new array decay·old + (1 − decay)·x."""
    return _blend(np.subtract(x, old, out=np.empty_like(old)), old, decay)


def _blend_toward_square(x: np.ndarray, old: np.ndarray, decay: float) -> np.ndarray:
    """A new array decay·old + (1 − decay)·x²."""
    diff = _square(x)
    diff -= old
    return _blend(diff, old, decay)


def _step(out: np.ndarray, var: np.ndarray, scale: float) -> np.ndarray:
    """``out`` (holding an update u) becomes var − scale·u."""
    out *= -scale
    out += var
    return out


def _square(x: np.ndarray) -> np.ndarray:
    return np.multiply(x, x, out=np.empty_like(x))


def _descend(var: np.ndarray, direction: np.ndarray, scale: float) -> np.ndarray:
    """A new array var − scale·direction."""
    out = np.multiply(direction, -scale, out=np.empty_like(var))
    out += var
    return out


# -- gradient descent --------------------------------------------------------------------


def _gradient_descent_rule(var: np.ndarray, alpha: float, delta: np.ndarray) -> tuple:
    return (_descend(var, delta, alpha),)


def _gradient_descent_in_place(var: np.ndarray, alpha: float, delta: np.ndarray) -> None:
    np.add(np.multiply(delta, -alpha, dtype=var.dtype), var, out=var)


def _gradient_descent_inline(attrs: dict, constants: list,
                             specs: list) -> str | tuple[str, list] | None:
    """The kernel's arithmetic as one expression, when the shapes are static (so its
    run-time shape check cannot fail): ``(delta·(−alpha)) += var`` in one new array. A
    constant ``alpha`` is bound once as a 0-d array of the variable's dtype: the kernel's
    Python float takes that dtype in the product too (NumPy converts it on every call)."""
    (var, var_dtype), (delta, _) = specs[0], specs[-1]
    if attrs.get("use_locking"):
        return None  # the kernel re-reads the variable under its lock
    if not (var.is_fully_defined() and delta.is_fully_defined() and var.ndims):
        return None  # a 0-d product would be a NumPy scalar, not an array
    def update(scale: str) -> str:
        return f"S.assign({attrs['var_keys'][0]!r}, ({{2}} * {scale}).__iadd__({{0}}))"

    alpha = constants[1]
    if alpha is None or not math.isfinite(float(alpha)):
        return update("-float({1})")
    if var_dtype.is_floating:
        return update("{3}"), [np.array(-float(alpha), var_dtype.as_numpy_dtype)]
    return update(repr(-float(alpha)))


define_update("ApplyGradientDescent", _gradient_descent_rule, ["var"], ["alpha"],
               "var ← var − alpha·delta.", inline=_gradient_descent_inline,
               in_place=_gradient_descent_in_place)


def apply_gradient_descent(var: Any, alpha: Any, delta: Any, use_locking: bool = False,
                           name: str | None = None) -> Tensor:
    """``var -= alpha * delta`` in one op; outputs the new value."""
    return apply_update("ApplyGradientDescent", [var], [alpha], delta, name, use_locking)


# -- momentum ----------------------------------------------------------------------------


def _momentum_rule(var: np.ndarray, accum: np.ndarray, lr: float, mu: float,
                   grad: np.ndarray, *, use_nesterov: bool) -> tuple:
    new_accum = np.multiply(accum, mu, out=np.empty_like(accum))
    new_accum += grad
    if use_nesterov:
        new_var = np.multiply(new_accum, mu, out=np.empty_like(var))
        new_var += grad
        _step(new_var, var, lr)
    else:
        new_var = _descend(var, new_accum, lr)
    return new_var, new_accum


def _momentum_in_place(var: np.ndarray, accum: np.ndarray, lr: float, mu: float,
                       grad: np.ndarray, *, use_nesterov: bool) -> None:
    np.multiply(accum, mu, out=accum)
    accum += grad
    if use_nesterov:
        step = np.multiply(accum, mu)
        step += grad
        step *= -lr
    else:
        step = np.multiply(accum, -lr)
    np.add(step, var, out=var)


define_update("ApplyMomentum", _momentum_rule, ["var", "accum"], ["lr", "momentum"],
               "accum ← momentum·accum + grad; var ← var − lr·accum "
               "(Nesterov: var ← var − lr·(grad + momentum·accum)).")


def apply_momentum(var: Any, accum: Any, lr: Any, grad: Any, momentum: Any,
                   use_locking: bool = False, use_nesterov: bool = False,
                   name: str | None = None) -> Tensor:
    """TF1's ApplyMomentum; outputs the new value of ``var``."""
    return apply_update("ApplyMomentum", [var, accum], [lr, momentum], grad, name,
                         use_locking, use_nesterov=bool(use_nesterov))


# -- Adam --------------------------------------------------------------------------------


def _adam_rule(var: np.ndarray, m: np.ndarray, v: np.ndarray, beta1_power: float,
               beta2_power: float, lr: float, beta1: float, beta2: float, epsilon: float,
               grad: np.ndarray) -> tuple:
    lr_t = lr * math.sqrt(1.0 - beta2_power) / (1.0 - beta1_power)
    new_m = _blend_toward(grad, m, beta1)
    new_v = _blend_toward_square(grad, v, beta2)
    new_var = np.sqrt(new_v, out=np.empty_like(var))
    new_var += epsilon
    np.divide(new_m, new_var, out=new_var)
    _step(new_var, var, lr_t)
    return new_var, new_m, new_v


def _adam_in_place(var: np.ndarray, m: np.ndarray, v: np.ndarray, beta1_power: float,
                   beta2_power: float, lr: float, beta1: float, beta2: float,
                   epsilon: float, grad: np.ndarray) -> None:
    lr_t = lr * math.sqrt(1.0 - beta2_power) / (1.0 - beta1_power)
    _blend_into(np.subtract(grad, m), m, beta1)
    diff = _square(grad)
    diff -= v
    _blend_into(diff, v, beta2)
    step = np.sqrt(v)
    step += epsilon
    np.divide(m, step, out=step)
    step *= -lr_t
    np.add(step, var, out=var)


define_update("ApplyAdam", _adam_rule, ["var", "m", "v"],
               ["beta1_power", "beta2_power", "lr", "beta1", "beta2", "epsilon"],
               "lr_t = lr·√(1−β2ᵗ)/(1−β1ᵗ); m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; "
               "var ← var − lr_t·m/(√v + ε).")


def apply_adam(var: Any, m: Any, v: Any, beta1_power: Any, beta2_power: Any, lr: Any,
               beta1: Any, beta2: Any, epsilon: Any, grad: Any, use_locking: bool = False,
               name: str | None = None) -> Tensor:
    """TF1's ApplyAdam; outputs the new value of ``var``."""
    return apply_update("ApplyAdam", [var, m, v],
                         [beta1_power, beta2_power, lr, beta1, beta2, epsilon], grad, name,
                         use_locking)


# -- RMSProp -----------------------------------------------------------------------------


def _rms_prop_update(var: np.ndarray, ms: np.ndarray, mom: np.ndarray,
                     mg: np.ndarray | None, lr: float, decay: float, momentum: float,
                     epsilon: float, grad: np.ndarray) -> tuple:
    """Shared by both RMSProp rules; ``mg`` is None unless centered."""
    new_ms = _blend_toward_square(grad, ms, decay)
    if mg is None:
        denom = np.add(new_ms, epsilon, out=np.empty_like(var))
    else:
        new_mg = _blend_toward(grad, mg, decay)
        denom = _square(new_mg)
        np.subtract(new_ms, denom, out=denom)
        denom += epsilon
    np.sqrt(denom, out=denom)
    np.divide(grad, denom, out=denom)
    denom *= lr
    new_mom = np.multiply(mom, momentum, out=np.empty_like(mom))
    new_mom += denom
    new_var = np.subtract(var, new_mom, out=denom)
    return (new_var, new_ms, new_mom) if mg is None else (new_var, new_ms, new_mom, new_mg)


def _rms_prop_rule(var: np.ndarray, ms: np.ndarray, mom: np.ndarray, lr: float, rho: float,
                   momentum: float, epsilon: float, grad: np.ndarray) -> tuple:
    return _rms_prop_update(var, ms, mom, None, lr, rho, momentum, epsilon, grad)


def _centered_rms_prop_rule(var: np.ndarray, ms: np.ndarray, mom: np.ndarray,
                            mg: np.ndarray, lr: float, rho: float, momentum: float,
                            epsilon: float, grad: np.ndarray) -> tuple:
    return _rms_prop_update(var, ms, mom, mg, lr, rho, momentum, epsilon, grad)


_RMS_SCALARS = ["lr", "rho", "momentum", "epsilon"]
define_update("ApplyRMSProp", _rms_prop_rule, ["var", "ms", "mom"], _RMS_SCALARS,
               "ms ← ρ·ms + (1−ρ)·g²; mom ← momentum·mom + lr·g/√(ms + ε); var ← var − mom.")
define_update("ApplyCenteredRMSProp", _centered_rms_prop_rule, ["var", "ms", "mom", "mg"],
               _RMS_SCALARS, "RMSProp normalized by the variance: mg ← ρ·mg + (1−ρ)·g; "
               "mom ← momentum·mom + lr·g/√(ms − mg² + ε); var ← var − mom.")


def apply_rms_prop(var: Any, ms: Any, mom: Any, lr: Any, rho: Any, momentum: Any,
                   epsilon: Any, grad: Any, use_locking: bool = False,
                   name: str | None = None) -> Tensor:
    """TF1's ApplyRMSProp; outputs the new value of ``var``."""
    return apply_update("ApplyRMSProp", [var, ms, mom], [lr, rho, momentum, epsilon], grad,
                         name, use_locking)


def apply_centered_rms_prop(var: Any, mg: Any, ms: Any, mom: Any, lr: Any, rho: Any,
                            momentum: Any, epsilon: Any, grad: Any,
                            use_locking: bool = False, name: str | None = None) -> Tensor:
    """TF1's ApplyCenteredRMSProp; outputs the new value of ``var``."""
    return apply_update("ApplyCenteredRMSProp", [var, ms, mom, mg],
                         [lr, rho, momentum, epsilon], grad, name, use_locking)


# -- Adagrad -----------------------------------------------------------------------------


def _adagrad_rule(var: np.ndarray, accum: np.ndarray, lr: float,
                  grad: np.ndarray) -> tuple:
    new_accum = _square(grad)
    new_accum += accum
    new_var = np.sqrt(new_accum, out=np.empty_like(var))
    np.divide(grad, new_var, out=new_var)
    _step(new_var, var, lr)
    return new_var, new_accum


define_update("ApplyAdagrad", _adagrad_rule, ["var", "accum"], ["lr"],
               "accum ← accum + g²; var ← var − lr·g/√accum.")


def apply_adagrad(var: Any, accum: Any, lr: Any, grad: Any, use_locking: bool = False,
                  name: str | None = None) -> Tensor:
    """TF1's ApplyAdagrad; outputs the new value of ``var``."""
    return apply_update("ApplyAdagrad", [var, accum], [lr], grad, name, use_locking)

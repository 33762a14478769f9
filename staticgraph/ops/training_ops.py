"""Fused optimizer updates: TF1's ApplyGradientDescent, ApplyMomentum, ApplyAdam, ...

One op updates one variable and its slot variables in one NumPy kernel. Its first inputs
read the variable and its slots (their current values at the time the op runs), then come
scalar hyperparameters and the gradient. The kernel computes the new values with as few
temporaries as possible and stores them with ``state.assign`` as *new* arrays — never in
place — so that a run that fails can put every variable back. The output is the
variable's new value. Hyperparameters may have any real dtype: kernels use them as Python
floats, so the results keep the variable's dtype.

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


def define_update(op_type: str, kernel: Callable, ref_names: Sequence[str],
                   scalar_names: Sequence[str], doc: str, inline: Callable | None = None
                   ) -> None:
    define_op(op_type, kernel=_with_locking(kernel, len(ref_names)),
              shape_fn=_apply_shape_fn(ref_names, scalar_names),
              stateful=True, uses_state=True, view_of={}, doc=doc, inline=inline)


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


def check_grad(var: np.ndarray, grad: np.ndarray, var_keys: tuple) -> None:
    """Run-time check for gradients whose static shape was not fully known."""
    if grad.shape != var.shape:
        raise ValueError(f"var {var_keys[0]} has shape {list(var.shape)} but its gradient "
                         f"has shape {list(grad.shape)}")


def _square(x: np.ndarray) -> np.ndarray:
    return np.multiply(x, x, out=np.empty_like(x))


def _descend(var: np.ndarray, direction: np.ndarray, scale: float) -> np.ndarray:
    """A new array var − scale·direction."""
    out = np.multiply(direction, -scale, out=np.empty_like(var))
    out += var
    return out


# -- gradient descent --------------------------------------------------------------------


def _gradient_descent_kernel(state: KernelState, var: np.ndarray, alpha: np.ndarray,
                             delta: np.ndarray, *, var_keys: tuple) -> np.ndarray:
    check_grad(var, delta, var_keys)
    return state.assign(var_keys[0], _descend(var, delta, float(alpha)))


def _gradient_descent_inline(attrs: dict, constants: list, shapes: list) -> str | None:
    """The kernel's arithmetic as one expression, when the shapes are static (so its
    run-time shape check cannot fail): ``(delta·(−alpha)) += var`` in one new array."""
    var, delta = shapes[0], shapes[-1]
    if attrs.get("use_locking"):
        return None  # the kernel re-reads the variable under its lock
    if not (var.is_fully_defined() and delta.is_fully_defined() and var.ndims):
        return None  # a 0-d product would be a NumPy scalar, not an array
    alpha = constants[1]
    if alpha is not None and math.isfinite(float(alpha)):
        scale = repr(-float(alpha))
    else:
        scale = "-float({1})"
    return f"S.assign({attrs['var_keys'][0]!r}, ({{2}} * {scale}).__iadd__({{0}}))"


define_update("ApplyGradientDescent", _gradient_descent_kernel, ["var"], ["alpha"],
               "var ← var − alpha·delta.", inline=_gradient_descent_inline)


def apply_gradient_descent(var: Any, alpha: Any, delta: Any, use_locking: bool = False,
                           name: str | None = None) -> Tensor:
    """``var -= alpha * delta`` in one op; outputs the new value."""
    return apply_update("ApplyGradientDescent", [var], [alpha], delta, name, use_locking)


# -- momentum ----------------------------------------------------------------------------


def _momentum_kernel(state: KernelState, var: np.ndarray, accum: np.ndarray, lr: np.ndarray,
                     momentum: np.ndarray, grad: np.ndarray, *, var_keys: tuple,
                     use_nesterov: bool) -> np.ndarray:
    check_grad(var, grad, var_keys)
    mu = float(momentum)
    new_accum = np.multiply(accum, mu, out=np.empty_like(accum))
    new_accum += grad
    if use_nesterov:
        new_var = np.multiply(new_accum, mu, out=np.empty_like(var))
        new_var += grad
        _step(new_var, var, float(lr))
    else:
        new_var = _descend(var, new_accum, float(lr))
    state.assign(var_keys[1], new_accum)
    return state.assign(var_keys[0], new_var)


define_update("ApplyMomentum", _momentum_kernel, ["var", "accum"], ["lr", "momentum"],
               "accum ← momentum·accum + grad; var ← var − lr·accum "
               "(Nesterov: var ← var − lr·(grad + momentum·accum)).")


def apply_momentum(var: Any, accum: Any, lr: Any, grad: Any, momentum: Any,
                   use_locking: bool = False, use_nesterov: bool = False,
                   name: str | None = None) -> Tensor:
    """TF1's ApplyMomentum; outputs the new value of ``var``."""
    return apply_update("ApplyMomentum", [var, accum], [lr, momentum], grad, name,
                         use_locking, use_nesterov=bool(use_nesterov))


# -- Adam --------------------------------------------------------------------------------


def _adam_kernel(state: KernelState, var: np.ndarray, m: np.ndarray, v: np.ndarray,
                 beta1_power: np.ndarray, beta2_power: np.ndarray, lr: np.ndarray,
                 beta1: np.ndarray, beta2: np.ndarray, epsilon: np.ndarray,
                 grad: np.ndarray, *, var_keys: tuple) -> np.ndarray:
    check_grad(var, grad, var_keys)
    lr_t = float(lr) * math.sqrt(1.0 - float(beta2_power)) / (1.0 - float(beta1_power))
    new_m = _blend_toward(grad, m, float(beta1))
    new_v = _blend_toward_square(grad, v, float(beta2))
    new_var = np.sqrt(new_v, out=np.empty_like(var))
    new_var += float(epsilon)
    np.divide(new_m, new_var, out=new_var)
    _step(new_var, var, lr_t)
    state.assign(var_keys[1], new_m)
    state.assign(var_keys[2], new_v)
    return state.assign(var_keys[0], new_var)


define_update("ApplyAdam", _adam_kernel, ["var", "m", "v"],
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


def _rms_prop_update(state: KernelState, var: np.ndarray, ms: np.ndarray, mom: np.ndarray,
                     mg: np.ndarray | None, lr: np.ndarray, rho: np.ndarray,
                     momentum: np.ndarray, epsilon: np.ndarray, grad: np.ndarray,
                     var_keys: tuple) -> np.ndarray:
    """Shared by both RMSProp kernels; ``mg`` is None unless centered."""
    check_grad(var, grad, var_keys)
    decay = float(rho)
    new_ms = _blend_toward_square(grad, ms, decay)
    if mg is None:
        denom = np.add(new_ms, float(epsilon), out=np.empty_like(var))
    else:
        new_mg = _blend_toward(grad, mg, decay)
        denom = _square(new_mg)
        np.subtract(new_ms, denom, out=denom)
        denom += float(epsilon)
        state.assign(var_keys[-1], new_mg)
    np.sqrt(denom, out=denom)
    np.divide(grad, denom, out=denom)
    denom *= float(lr)
    new_mom = np.multiply(mom, float(momentum), out=np.empty_like(mom))
    new_mom += denom
    new_var = np.subtract(var, new_mom, out=denom)
    state.assign(var_keys[1], new_ms)
    state.assign(var_keys[2], new_mom)
    return state.assign(var_keys[0], new_var)


def _rms_prop_kernel(state: KernelState, var: np.ndarray, ms: np.ndarray, mom: np.ndarray,
                     lr: np.ndarray, rho: np.ndarray, momentum: np.ndarray,
                     epsilon: np.ndarray, grad: np.ndarray, *, var_keys: tuple) -> np.ndarray:
    return _rms_prop_update(state, var, ms, mom, None, lr, rho, momentum, epsilon, grad,
                            var_keys)


def _centered_rms_prop_kernel(state: KernelState, var: np.ndarray, ms: np.ndarray, mom: np.ndarray,
                              mg: np.ndarray, lr: np.ndarray, rho: np.ndarray,
                              momentum: np.ndarray, epsilon: np.ndarray, grad: np.ndarray,
                              *, var_keys: tuple) -> np.ndarray:
    return _rms_prop_update(state, var, ms, mom, mg, lr, rho, momentum, epsilon, grad,
                            var_keys)


_RMS_SCALARS = ["lr", "rho", "momentum", "epsilon"]
define_update("ApplyRMSProp", _rms_prop_kernel, ["var", "ms", "mom"], _RMS_SCALARS,
               "ms ← ρ·ms + (1−ρ)·g²; mom ← momentum·mom + lr·g/√(ms + ε); var ← var − mom.")
define_update("ApplyCenteredRMSProp", _centered_rms_prop_kernel, ["var", "ms", "mom", "mg"],
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


def _adagrad_kernel(state: KernelState, var: np.ndarray, accum: np.ndarray, lr: np.ndarray,
                    grad: np.ndarray, *, var_keys: tuple) -> np.ndarray:
    check_grad(var, grad, var_keys)
    new_accum = _square(grad)
    new_accum += accum
    new_var = np.sqrt(new_accum, out=np.empty_like(var))
    np.divide(grad, new_var, out=new_var)
    _step(new_var, var, float(lr))
    state.assign(var_keys[1], new_accum)
    return state.assign(var_keys[0], new_var)


define_update("ApplyAdagrad", _adagrad_kernel, ["var", "accum"], ["lr"],
               "accum ← accum + g²; var ← var − lr·g/√accum.")


def apply_adagrad(var: Any, accum: Any, lr: Any, grad: Any, use_locking: bool = False,
                  name: str | None = None) -> Tensor:
    """TF1's ApplyAdagrad; outputs the new value of ``var``."""
    return apply_update("ApplyAdagrad", [var, accum], [lr], grad, name, use_locking)

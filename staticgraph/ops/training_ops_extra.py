"""More fused optimizer updates: TF1's ApplyAdadelta, ApplyFtrl (and FtrlV2, with L2
shrinkage), ApplyProximalGradientDescent and ApplyProximalAdagrad.

Built like ``training_ops``: the inputs are the variable and its slots, then scalar
hyperparameters, then the gradient; each op's arithmetic is one elementwise rule (the
``*_rows`` functions, shared with the sparse updates), which the one-piece kernel stores as
new arrays and the commit phase applies in place (see ``training_ops``); the output is the
variable's new value. The arithmetic is that of TF1's kernels.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core.graph import Tensor
from .training_ops import apply_update, define_update

__all__ = ["apply_adadelta", "apply_ftrl", "apply_proximal_gradient_descent",
           "apply_proximal_adagrad"]


# -- Adadelta -------------------------------------------------------------------------------


def adadelta_rows(var: np.ndarray, accum: np.ndarray, accum_update: np.ndarray,
                  lr: float, rho: float, epsilon: float, grad: np.ndarray) -> tuple:
    """Adadelta's new (var, accum, accum_update), for whole arrays or for rows."""
    new_accum = accum * rho + grad * grad * (1.0 - rho)
    update = np.sqrt(accum_update + epsilon) / np.sqrt(new_accum + epsilon) * grad
    new_update = accum_update * rho + update * update * (1.0 - rho)
    return var - update * lr, new_accum, new_update


define_update("ApplyAdadelta", adadelta_rows, ["var", "accum", "accum_update"],
              ["lr", "rho", "epsilon"],
              "accum ← ρ·accum + (1−ρ)·g²; u = √(accum_update+ε)/√(accum+ε)·g; "
              "var ← var − lr·u; accum_update ← ρ·accum_update + (1−ρ)·u².")


def apply_adadelta(var: Any, accum: Any, accum_update: Any, lr: Any, rho: Any,
                   epsilon: Any, grad: Any, use_locking: bool = False,
                   name: str | None = None) -> Tensor:
    """TF1's ApplyAdadelta; outputs the new value of ``var``."""
    return apply_update("ApplyAdadelta", [var, accum, accum_update], [lr, rho, epsilon],
                        grad, name, use_locking)


# -- FTRL -------------------------------------------------------------------------------------


def _lr_scaled_power(accum: np.ndarray, lr_power: float) -> np.ndarray:
    """accum^(−lr_power) (the square root for TF's usual −0.5)."""
    return np.sqrt(accum) if lr_power == -0.5 else np.power(accum, -lr_power)


def ftrl_rows(var: np.ndarray, accum: np.ndarray, linear: np.ndarray, lr: float,
              l1: float, l2: float, l2_shrinkage: float, lr_power: float,
              grad: np.ndarray) -> tuple:
    """FTRL's new (var, accum, linear), for whole arrays or for rows."""
    new_accum = accum + grad * grad
    shrunk_grad = grad + 2.0 * l2_shrinkage * var if l2_shrinkage > 0 else grad
    new_linear = linear + shrunk_grad - (
        _lr_scaled_power(new_accum, lr_power) - _lr_scaled_power(accum, lr_power)) / lr * var
    quadratic = _lr_scaled_power(new_accum, lr_power) / lr + 2.0 * l2
    new_var = np.where(np.abs(new_linear) > l1,
                       (np.sign(new_linear) * l1 - new_linear) / quadratic, 0.0)
    return new_var, new_accum, new_linear


define_update("ApplyFtrlV2", ftrl_rows, ["var", "accum", "linear"],
              ["lr", "l1", "l2", "l2_shrinkage", "lr_power"],
              "FTRL-proximal (McMahan et al.) with L1, L2 and L2-shrinkage terms.")


def apply_ftrl(var: Any, accum: Any, linear: Any, grad: Any, lr: Any, l1: Any, l2: Any,
               lr_power: Any, l2_shrinkage: Any = 0.0, use_locking: bool = False,
               name: str | None = None) -> Tensor:
    """TF1's ApplyFtrl (ApplyFtrlV2 when ``l2_shrinkage`` > 0); outputs the new ``var``."""
    return apply_update("ApplyFtrlV2", [var, accum, linear],
                         [lr, l1, l2, l2_shrinkage, lr_power], grad, name, use_locking)


# -- proximal updates ---------------------------------------------------------------------------


def _proximal_step(var: np.ndarray, grad: np.ndarray, rate: Any, l1: float,
                   l2: float) -> np.ndarray:
    """The proximal step: prox = var − rate·g, soft-thresholded by rate·l1 when l1 > 0,
    then divided by 1 + rate·l2 (``rate`` may be an array)."""
    prox = var - grad * rate
    if l1 > 0:
        prox = np.sign(prox) * np.maximum(np.abs(prox) - rate * l1, 0.0)
    return (prox / (1.0 + rate * l2)).astype(var.dtype, copy=False)


def proximal_gd_rows(var: np.ndarray, alpha: float, l1: float, l2: float,
                     delta: np.ndarray) -> tuple:
    """Proximal gradient descent's new (var,), for a whole array or for rows."""
    return (_proximal_step(var, delta, alpha, l1, l2),)


define_update("ApplyProximalGradientDescent", proximal_gd_rows, ["var"],
              ["alpha", "l1", "l2"],
              "var ← prox(var − alpha·g) with L1 soft-thresholding and L2 shrinking.")


def apply_proximal_gradient_descent(var: Any, alpha: Any, l1: Any, l2: Any, delta: Any,
                                    use_locking: bool = False,
                                    name: str | None = None) -> Tensor:
    """TF1's ApplyProximalGradientDescent; outputs the new value of ``var``."""
    return apply_update("ApplyProximalGradientDescent", [var], [alpha, l1, l2], delta, name,
                        use_locking)


def proximal_adagrad_rows(var: np.ndarray, accum: np.ndarray, lr: float, l1: float,
                          l2: float, grad: np.ndarray) -> tuple:
    """Proximal Adagrad's new (var, accum), for whole arrays or for rows."""
    new_accum = accum + grad * grad
    return _proximal_step(var, grad, lr / np.sqrt(new_accum), l1, l2), new_accum


define_update("ApplyProximalAdagrad", proximal_adagrad_rows, ["var", "accum"],
              ["lr", "l1", "l2"],
              "accum ← accum + g²; var ← prox(var − lr/√accum·g) with L1 and L2.")


def apply_proximal_adagrad(var: Any, accum: Any, lr: Any, l1: Any, l2: Any, grad: Any,
                           use_locking: bool = False, name: str | None = None) -> Tensor:
    """TF1's ApplyProximalAdagrad; outputs the new value of ``var``."""
    return apply_update("ApplyProximalAdagrad", [var, accum], [lr, l1, l2], grad, name,
                        use_locking)

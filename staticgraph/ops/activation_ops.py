"""Activations (``tf.nn.relu``, ``elu``, ``softplus``...): kernel, shape rule, VJP and JVP
of each op together."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .cast_ops import cast
from .comparison_ops import less
from .framework import apply_op, apply_unary, convert_to_tensor, float_unary, numeric_unary
from .math_ops import abs, add, define_unary, reciprocal, sigmoid, square
from .selection_ops import where_v2
from .wide_rows import WIDE, max_with_zero_into

__all__ = [
    "relu", "relu6", "leaky_relu", "elu", "selu", "softplus", "softsign",
]


# ----------------------------------------------------------------------------------------
# Piecewise-linear activations. Each has a fused ``<Type>Grad(g, x)`` op computing
# g * slope(x); that op is linear in g (its gradient w.r.t. x is zero almost everywhere),
# so it serves as its own VJP and JVP.
# ----------------------------------------------------------------------------------------


def _matching_pair(a: Tensor, b: Tensor, names: str) -> TensorShape:
    """The merged shape of two inputs that need one dtype and one shape (``names``: "a and
    b" for the messages)."""
    if a.dtype != b.dtype:
        raise TypeError(f"{names} must have the same dtype, got {a.dtype.name} and "
                        f"{b.dtype.name}")
    if not a.shape.is_compatible_with(b.shape):
        raise ValueError(f"{names} must have the same shape, got {a.shape} and {b.shape}")
    return a.shape.merge_with(b.shape)


def _grad_shape(inputs: list, attrs: dict) -> list:
    return [(_matching_pair(*inputs, "gradients and features"), inputs[0].dtype)]


def _define_piecewise_linear(op_type: str, kernel: Callable[..., np.ndarray],
                             slope: Callable[..., np.ndarray],
                             shape_fn: Callable = numeric_unary,
                             slope_of_output: bool = False) -> None:
    """Registers ``op_type`` and its fused gradient op ``g * slope(x)``. With
    ``slope_of_output`` the gradient op reads the activation's output instead of its
    input (as TF's Relu and Relu6 gradients do; ``slope`` must give the same mask on
    both), so nothing but the output keeps the input alive and the compiler may compute
    the activation in place."""
    grad_type = op_type + "Grad"
    features = (lambda op: op.outputs[0]) if slope_of_output else (lambda op: op.inputs[0])

    def grad_kernel(g: np.ndarray, x: np.ndarray, **attrs: Any) -> np.ndarray:
        return np.multiply(g, slope(x, **attrs), dtype=g.dtype)

    def apply_grad(op: Operation, g: Tensor, x: Tensor) -> Tensor:
        return apply_op(grad_type, [g, x], op.attrs, name=grad_type).outputs[0]

    def vjp(op: Operation, g: Tensor) -> list:
        return [apply_grad(op, g, features(op))]

    def jvp(op: Operation, t: Tensor | None) -> list:
        return [None if t is None else apply_grad(op, t, features(op))]

    def grad_vjp(op: Operation, gg: Tensor) -> list:
        return [apply_grad(op, gg, op.inputs[1]), None]

    def grad_jvp(op: Operation, tg: Tensor | None, tx: Tensor | None) -> list:
        return [None if tg is None else apply_grad(op, tg, op.inputs[1])]

    define_op(op_type, kernel=kernel, shape_fn=shape_fn, vjp=vjp, jvp=jvp, elementwise=True,
              view_of={}, fresh=True)
    define_op(grad_type, kernel=grad_kernel, shape_fn=_grad_shape, vjp=grad_vjp, jvp=grad_jvp,
              elementwise=True, non_differentiable=(1,), view_of={}, fresh=True,
              doc=f"Gradient of {op_type}: g times its slope at the features.")


def _relu_slope(x: np.ndarray) -> np.ndarray:
    return x > 0


def _relu6_slope(x: np.ndarray) -> np.ndarray:
    return (x > 0) & (x < 6)


def _leaky_relu(x: np.ndarray, *, alpha: float) -> np.ndarray:
    return np.where(x > 0, x, alpha * x)


def _leaky_relu_slope(x: np.ndarray, *, alpha: float) -> np.ndarray:
    return np.where(x > 0, np.ones((), x.dtype), np.asarray(alpha, x.dtype))


def _relu_kernel(x: np.ndarray) -> np.ndarray:
    """``max(x, 0)``; large float32 arrays by :func:`.wide_rows.max_with_zero_into`
    (NumPy 2.4 does not vectorize float32 ``maximum`` with a scalar; small arrays and
    other dtypes measured faster with the scalar)."""
    if x.dtype != np.float32 or x.size < 16 * WIDE:
        return np.maximum(x, 0)
    out = np.empty(x.shape, np.float32)
    max_with_zero_into(np.ascontiguousarray(x).reshape(-1), out.reshape(-1))
    return out


# max(x, 0) > 0 exactly where x > 0, and 0 < clip(x, 0, 6) < 6 exactly where 0 < x < 6.
_define_piecewise_linear("Relu", _relu_kernel, _relu_slope,
                         slope_of_output=True)
_define_piecewise_linear("Relu6", lambda x: np.clip(x, 0, 6), _relu6_slope,
                         slope_of_output=True)
_define_piecewise_linear("LeakyRelu", _leaky_relu, _leaky_relu_slope, float_unary)


def relu(features: Any, name: str | None = None) -> Tensor:
    """``tf.nn.relu``: max(features, 0)."""
    return apply_unary("Relu", features, name)


def relu6(features: Any, name: str | None = None) -> Tensor:
    """``tf.nn.relu6``: min(max(features, 0), 6)."""
    x = convert_to_tensor(features)
    return apply_op("Relu6", [x], name=name).outputs[0]


def leaky_relu(features: Any, alpha: float = 0.2, name: str | None = None) -> Tensor:
    """``tf.nn.leaky_relu``: features where positive, alpha * features elsewhere."""
    x = convert_to_tensor(features)
    if x.dtype.is_integer:
        x = cast(x, dtypes.float32)
    # TF's alpha attr is a 32-bit float: 0.2 means float32(0.2) for every dtype.
    return apply_op("LeakyRelu", [x], {"alpha": float(np.float32(alpha))},
                    name=name).outputs[0]


# ----------------------------------------------------------------------------------------
# Smooth activations: one derivative rule (from graph ops) gives VJP and JVP
# ----------------------------------------------------------------------------------------

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _define_smooth(op_type: str, kernel: Callable[[np.ndarray], np.ndarray],
                   derivative: Callable[[Tensor, Tensor], Tensor]) -> None:
    """Registers an elementwise op whose derivative is ``derivative(x, y)``."""
    define_unary(op_type, kernel, lambda op: derivative(op.inputs[0], op.outputs[0]))


def _elu_kernel(x: np.ndarray) -> np.ndarray:
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))


def _selu_kernel(x: np.ndarray) -> np.ndarray:
    return (SELU_SCALE * _elu_kernel(x) * np.where(x > 0, 1, SELU_ALPHA)).astype(x.dtype)


def _softplus_kernel(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(np.zeros((), x.dtype), x)


def _softsign_kernel(x: np.ndarray) -> np.ndarray:
    return x / (1 + np.abs(x))


# TF1's EluGrad and SeluGrad read the output: y + 1 (times scale) where y < 0, else 1
# (scale). So the slope at x = 0 is the right-hand one, and a NaN input passes the
# upstream gradient through instead of making it NaN.
_define_smooth("Elu", _elu_kernel, lambda x, y: where_v2(less(y, 0), add(y, 1), 1.0))
_define_smooth("Selu", _selu_kernel,
               lambda x, y: where_v2(less(y, 0), add(y, SELU_SCALE * SELU_ALPHA),
                                     SELU_SCALE))
_define_smooth("Softplus", _softplus_kernel, lambda x, y: sigmoid(x))
_define_smooth("Softsign", _softsign_kernel,
               lambda x, y: square(reciprocal(add(abs(x), 1))))


def elu(features: Any, name: str | None = None) -> Tensor:
    """``tf.nn.elu``: features where positive, exp(features) - 1 elsewhere."""
    return apply_unary("Elu", features, name)


def selu(features: Any, name: str | None = None) -> Tensor:
    """``tf.nn.selu``: scale * (features if positive else alpha * (exp(features) - 1))."""
    return apply_unary("Selu", features, name)


def softplus(features: Any, name: str | None = None) -> Tensor:
    """``tf.nn.softplus``: log(exp(features) + 1), computed without overflow."""
    return apply_unary("Softplus", features, name)


def softsign(features: Any, name: str | None = None) -> Tensor:
    """``tf.nn.softsign``: features / (|features| + 1)."""
    return apply_unary("Softsign", features, name)

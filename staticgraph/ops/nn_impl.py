"""``tf.nn`` functions built from other ops, with no op type of their own (``moments``,
``batch_normalization``, ``l2_normalize``, ``xw_plus_b``)."""
from __future__ import annotations

from typing import Any

from ..core.graph import Tensor, name_scope
from .cast_ops import cast
from .framework import convert_to_tensor
from .math_ops import maximum, multiply, rsqrt, square, squared_difference
from .matmul_ops import matmul
from .nn_ops import _renamed, bias_add
from .reduce_ops import reduce_mean, reduce_sum
from .shape_ops import squeeze

__all__ = [
    "moments", "batch_normalization", "l2_normalize", "xw_plus_b",
]


# ----------------------------------------------------------------------------------------
# Composite helpers
# ----------------------------------------------------------------------------------------


def moments(x: Any, axes: Any, shift: Any = None, name: str | None = None,
            keep_dims: bool | None = None, keepdims: bool | None = None) -> tuple:
    """``tf.nn.moments``: (mean, variance) of ``x`` over ``axes``."""
    keep = bool(_renamed("keepdims", keepdims, "keep_dims", keep_dims, False))
    x = convert_to_tensor(x)
    with name_scope(name, "moments", [x]):
        mean = reduce_mean(x, axes, keepdims=True, name="mean")
        # TF1 stops the gradient at the mean here: the first derivative is the same
        # either way, but only without the stop is the second derivative right.
        variance = reduce_mean(squared_difference(x, mean), axes, keepdims=True,
                               name="variance")
        if not keep:
            mean, variance = squeeze(mean, axes), squeeze(variance, axes)
        return mean, variance


def batch_normalization(x: Any, mean: Any, variance: Any, offset: Any, scale: Any,
                        variance_epsilon: float, name: str | None = None) -> Tensor:
    """``tf.nn.batch_normalization``: (x - mean) / sqrt(variance + ε) * scale + offset."""
    with name_scope(name, "batchnorm", [x, mean, variance, scale, offset]):
        # Python operators in TF1's order, so that the ops get TF1's names (add, mul_1, ...)
        x = convert_to_tensor(x)
        inv = rsqrt(convert_to_tensor(variance) + variance_epsilon)
        if scale is not None:
            inv = inv * scale
        scaled = x * cast(inv, x.dtype)
        mean = convert_to_tensor(mean)
        shift = offset - mean * inv if offset is not None else -mean * inv
        return scaled + cast(shift, x.dtype)


def l2_normalize(x: Any, axis: Any = None, epsilon: float = 1e-12, name: str | None = None,
                 dim: Any = None) -> Tensor:
    """``tf.nn.l2_normalize``: x / sqrt(max(sum(x²) along axis, epsilon))."""
    axis = _renamed("axis", axis, "dim", dim, None)
    with name_scope(name, "l2_normalize", [x]) as scope:
        x = convert_to_tensor(x)
        square_sum = reduce_sum(square(x), axis, keepdims=True)
        return multiply(x, rsqrt(maximum(square_sum, epsilon)), name=scope)


def xw_plus_b(x: Any, weights: Any, biases: Any, name: str | None = None) -> Tensor:
    """``tf.nn.xw_plus_b``: matmul(x, weights) + biases."""
    with name_scope(name, "xw_plus_b", [x, weights, biases]) as scope:
        return bias_add(matmul(x, weights), biases, name=scope)

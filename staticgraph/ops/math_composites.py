"""``tf.math`` functions built from existing ops (so their gradients and tangents follow):
``accumulate_n``, ``is_non_decreasing``, ``is_strictly_increasing``, ``reciprocal_no_nan``,
``reduce_variance``, ``reduce_std`` and ``cumulative_logsumexp``."""
from __future__ import annotations

from typing import Any, Callable, Sequence

from ..core.graph import Tensor
from .comparison_ops import greater, greater_equal
from .framework import convert_to_tensor
from .indexing_ops import strided_slice
from .math_ops import add, add_n, div_no_nan, exp, log, sqrt, square, subtract
from .op_util import op_scope
from .reduce_ops import reduce_all, reduce_max, reduce_mean
from .scan_ops import cumsum
from .selection_ops import stop_gradient
from .shape_ops import reshape

__all__ = ["accumulate_n", "is_non_decreasing", "is_strictly_increasing"]
# and reciprocal_no_nan, reduce_variance, reduce_std, cumulative_logsumexp
# (tf.math only)


def accumulate_n(inputs: Sequence[Any], shape: Any = None, tensor_dtype: Any = None,
                 name: str | None = None) -> Tensor:
    """``tf.math.accumulate_n``: the elementwise sum of ``inputs`` (as ``add_n``)."""
    del shape, tensor_dtype  # the inputs' own shape and dtype decide
    return add_n(inputs, name=name)


def _ordered(compare: Callable[[Any, Any], Tensor], x: Any, name: str | None,
             default: str) -> Tensor:
    with op_scope(name, default, [x]) as scope:
        flat = reshape(convert_to_tensor(x), [-1])
        later = strided_slice(flat, [1], [2 ** 31 - 1])
        earlier = strided_slice(flat, [0], [-1])
        return reduce_all(compare(later, earlier), name=scope)


def is_non_decreasing(x: Any, name: str | None = None) -> Tensor:
    """``tf.math.is_non_decreasing``: whether each entry (row-major order) is >= the one
    before it; True for fewer than two entries."""
    return _ordered(greater_equal, x, name, "is_non_decreasing")


def is_strictly_increasing(x: Any, name: str | None = None) -> Tensor:
    """``tf.math.is_strictly_increasing``: whether each entry (row-major order) is > the
    one before it; True for fewer than two entries."""
    return _ordered(greater, x, name, "is_strictly_increasing")


def reciprocal_no_nan(x: Any, name: str | None = None) -> Tensor:
    """``tf.math.reciprocal_no_nan``: 1 / x, and 0 where x is 0."""
    with op_scope(name, "reciprocal_no_nan", [x]) as scope:
        x = convert_to_tensor(x)
        return div_no_nan(convert_to_tensor(1, dtype=x.dtype), x, name=scope)


def reduce_variance(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                    name: str | None = None) -> Tensor:
    """``tf.math.reduce_variance``: the mean squared deviation from the mean over
    ``axis`` (the population variance, as TF)."""
    with op_scope(name, "reduce_variance", [input_tensor]) as scope:
        x = convert_to_tensor(input_tensor)
        centered = subtract(x, reduce_mean(x, axis, keepdims=True))
        return reduce_mean(square(centered), axis, keepdims=keepdims, name=scope)


def reduce_std(input_tensor: Any, axis: Any = None, keepdims: bool = False,
               name: str | None = None) -> Tensor:
    """``tf.math.reduce_std``: the square root of :func:`reduce_variance`."""
    with op_scope(name, "reduce_std", [input_tensor]) as scope:
        return sqrt(reduce_variance(input_tensor, axis, keepdims), name=scope)


def cumulative_logsumexp(x: Any, axis: Any = 0, exclusive: bool = False,
                         reverse: bool = False, name: str | None = None) -> Tensor:
    """``tf.math.cumulative_logsumexp``: log of the cumulative sum of exp(x) along
    ``axis``, shifted by the axis maximum for stability (-inf for an exclusive start)."""
    with op_scope(name, "cumulative_logsumexp", [x]) as scope:
        x = convert_to_tensor(x)
        shift = stop_gradient(reduce_max(x, axis, keepdims=True))
        sums = cumsum(exp(subtract(x, shift)), axis, exclusive=exclusive, reverse=reverse)
        return add(log(sums), shift, name=scope)

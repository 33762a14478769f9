"""More of ``tf.math``: hyperbolic functions, ``erfc``, ``lgamma``/``digamma``/``polygamma``,
``atan2``, ``xlogy``/``xdivy``, ``rint``, and the functions built from them (``lbeta``,
``polyval``, ``reduce_euclidean_norm``). Each op's kernel and derivative rule sit together;
the gamma-family kernels are plain NumPy (a recurrence up to x >= 10, then the asymptotic
series)."""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from .cast_ops import cast
from .comparison_ops import not_equal
from .fill_ops import zeros_like
from .framework import apply_binary, apply_op, convert_to_tensor
from .math_ops import (_float_binary, _over, _x, add, define_binary, define_unary, exp, multiply,
                       negative, realdiv, rsqrt, sqrt, square, subtract, unbroadcast)
from .op_util import _binary_function, _unary_function, op_scope
from .reduce_ops import reduce_sum
from .state_ops import identity

__all__ = [
    "sinh", "cosh", "asinh", "acosh", "atanh", "erfc", "lgamma", "digamma", "polygamma",
    "atan2", "rint", "lbeta", "zeta",
]  # and xlogy, xdivy, xlog1py, polyval, reduce_euclidean_norm (tf.math only)


# ----------------------------------------------------------------------------------------
# Hyperbolic functions, erfc, rint
# ----------------------------------------------------------------------------------------


def _per_element(function: Any) -> Any:
    """A NumPy kernel applying a scalar ``math`` function (inf where it has a pole)."""
    def scalar(v: float) -> float:
        try:
            return function(v)
        except (ValueError, OverflowError):
            return math.inf
    vectorized = np.frompyfunc(scalar, 1, 1)

    def kernel(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        return np.asarray(vectorized(x), dtype=x.dtype)
    return kernel


def _one_plus_square(op: Operation) -> Tensor:
    return add(square(_x(op)), 1)


define_unary("Sinh", np.sinh, lambda op: cosh(_x(op)))
define_unary("Cosh", np.cosh, lambda op: sinh(_x(op)))
define_unary("Asinh", np.arcsinh, lambda op: rsqrt(_one_plus_square(op)))
define_unary("Acosh", np.arccosh, lambda op: sqrt(subtract(square(_x(op)), 1)), chain=_over)
define_unary("Atanh", np.arctanh, lambda op: subtract(1, square(_x(op))), chain=_over)
define_unary("Erfc", _per_element(math.erfc),
             lambda op: multiply(exp(negative(square(_x(op)))), -2 / math.sqrt(math.pi)))
define_unary("Rint", np.rint, None)


sinh = _unary_function("Sinh", "sinh", "``tf.math.sinh``: hyperbolic sine.")
cosh = _unary_function("Cosh", "cosh", "``tf.math.cosh``: hyperbolic cosine.")
asinh = _unary_function("Asinh", "asinh", "``tf.math.asinh``: inverse hyperbolic sine.")
acosh = _unary_function("Acosh", "acosh", "``tf.math.acosh``: inverse hyperbolic cosine.")
atanh = _unary_function("Atanh", "atanh", "``tf.math.atanh``: inverse hyperbolic tangent.")
erfc = _unary_function("Erfc", "erfc", "``tf.math.erfc``: 1 - erf(x), accurate for large x.")
rint = _unary_function("Rint", "rint", "``tf.math.rint``: nearest integer, halves to even "
                                       "(no gradient, as TF1).")


# ----------------------------------------------------------------------------------------
# lgamma, digamma, polygamma
# ----------------------------------------------------------------------------------------

# B_2k / (2k) for the digamma series and B_2k / (2k)! for the Hurwitz zeta series.
_BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6]


def _shifted_up(x: np.ndarray, term: Any) -> tuple[np.ndarray, np.ndarray]:
    """Moves every entry of ``x`` up to >= 10 by steps of 1, summing ``term(y)`` over the
    values passed; returns (shifted x, sum)."""
    y = np.array(x, dtype=np.float64, copy=True)
    total = np.zeros_like(y)
    low = np.isfinite(y) & (y < 10)
    with np.errstate(divide="ignore", invalid="ignore"):
        while np.any(low):
            total[low] += term(y[low])
            y[low] += 1
            low = y < 10
    return y, total


def _digamma_kernel(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    y, total = _shifted_up(x, lambda v: -1 / v)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv2 = 1 / (y * y)
        series = sum(b / (2 * k + 2) * inv2 ** (k + 1) for k, b in enumerate(_BERNOULLI))
        out = np.log(y) - 0.5 / y - series + total
    out = np.where(np.isposinf(x), np.inf, out)
    return out.astype(x.dtype)


def _hurwitz_zeta(s: np.ndarray, x: np.ndarray) -> np.ndarray:
    """zeta(s, x) = sum over k >= 0 of (x + k) ** -s, for s > 1 (Euler-Maclaurin)."""
    s, x = np.broadcast_arrays(np.asarray(s, np.float64), np.asarray(x, np.float64))
    s = s.copy()
    y = np.array(x, copy=True)
    total = np.zeros_like(y)
    low = np.isfinite(y) & (y < 10)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        while np.any(low):
            total[low] += y[low] ** -s[low]
            y[low] += 1
            low = y < 10
        out = total + y ** (1 - s) / (s - 1) + 0.5 * y ** -s
        factor = s * y ** (-s - 1)  # s (s+1) ... (s+2k-2) y^(-s-2k+1) / (2k)!
        for k, b in enumerate(_BERNOULLI, start=1):
            out = out + b * factor / math.factorial(2 * k)
            factor = factor * (s + 2 * k - 1) * (s + 2 * k) / (y * y)
    return out


def _polygamma_kernel(n: np.ndarray, x: np.ndarray) -> np.ndarray:
    dtype = np.result_type(n, x)
    n, x = np.broadcast_arrays(np.asarray(n, np.float64), np.asarray(x, np.float64))
    order = np.where((n >= 0) & (n == np.floor(n)), n, np.nan)
    safe = np.nan_to_num(order, nan=1.0)
    with np.errstate(invalid="ignore", over="ignore"):
        sign_fact = (-1.0) ** (safe + 1) * np.vectorize(math.gamma)(safe + 1)
        out = np.where(safe == 0, _digamma_kernel(x), sign_fact * _hurwitz_zeta(safe + 1, x))
    return np.where(np.isnan(order), np.nan, out).astype(dtype)


def _polygamma_vjp(op: Operation, g: Tensor) -> list:
    n, x = op.inputs
    return [None, unbroadcast(multiply(g, polygamma(add(n, 1), x)), x, n)]


def _polygamma_jvp(op: Operation, tn: Tensor | None, tx: Tensor | None) -> list:
    n, x = op.inputs
    return [None if tx is None else multiply(tx, polygamma(add(n, 1), x))]


define_op("Polygamma", kernel=_polygamma_kernel, shape_fn=_float_binary, vjp=_polygamma_vjp,
          jvp=_polygamma_jvp, non_differentiable=(0,), elementwise=True, view_of={},
          fresh=True, doc="The n-th derivative of digamma (n a non-negative integer).")
define_unary("Lgamma", _per_element(math.lgamma), lambda op: digamma(_x(op)))
define_unary("Digamma", _digamma_kernel, lambda op: polygamma(1.0, _x(op)))

lgamma = _unary_function("Lgamma", "lgamma", "``tf.math.lgamma``: log |Gamma(x)|.")
digamma = _unary_function("Digamma", "digamma",
                          "``tf.math.digamma``: Psi(x), the derivative of lgamma.")


def polygamma(a: Any, x: Any, name: str | None = None) -> Tensor:
    """``tf.math.polygamma(a, x)``: the a-th derivative of digamma at x (NaN for a not a
    non-negative integer; no gradient for a, as TF1)."""
    return apply_binary("Polygamma", a, x, name)


def lbeta(x: Any, name: str | None = None) -> Tensor:
    """``tf.math.lbeta``: log |B(x)| along the last axis,
    ``sum(lgamma(x)) - lgamma(sum(x))``."""
    with op_scope(name, "lbeta", [x]) as scope:
        x = convert_to_tensor(x)
        return subtract(reduce_sum(lgamma(x), -1), lgamma(reduce_sum(x, -1)), name=scope)


# ----------------------------------------------------------------------------------------
# atan2, xlogy, xdivy
# ----------------------------------------------------------------------------------------


def _atan2_partials(op: Operation) -> tuple[Tensor, Tensor]:
    y, x = op.inputs
    inv = realdiv(1, add(square(x), square(y)))
    return multiply(x, inv), multiply(negative(y), inv)


def _where_x_nonzero(kernel: Any) -> Any:
    def masked(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            value = kernel(x, y)
        return np.where(np.equal(x, 0), np.zeros((), value.dtype), value)
    return masked


def _nonzero(x: Tensor) -> Tensor:
    return cast(not_equal(x, 0), x.dtype)


def _xlogy_partials(op: Operation) -> tuple[Tensor, Tensor]:
    x, y = op.inputs
    return xlogy(_nonzero(x), y), xdivy(x, y)


def _xdivy_partials(op: Operation) -> tuple[Tensor, Tensor]:
    x, y = op.inputs
    return xdivy(_nonzero(x), y), xdivy(negative(x), square(y))


define_binary("Atan2", np.arctan2, _atan2_partials, shape_fn=_float_binary)
define_binary("Xlogy", _where_x_nonzero(lambda x, y: x * np.log(y)), _xlogy_partials,
              shape_fn=_float_binary, conjugate=False)
define_binary("Xdivy", _where_x_nonzero(np.true_divide), _xdivy_partials,
              shape_fn=_float_binary, conjugate=False)


def atan2(y: Any, x: Any, name: str | None = None) -> Tensor:
    """``tf.math.atan2(y, x)``: the angle of the point (x, y), arctan(y / x) in the right
    quadrant."""
    return apply_binary("Atan2", y, x, name)


xlogy = _binary_function("Xlogy", "xlogy", "``tf.math.xlogy``: x * log(y), 0 where x is 0.")
xdivy = _binary_function("Xdivy", "xdivy", "``tf.math.xdivy``: x / y, 0 where x is 0.")


# ----------------------------------------------------------------------------------------
# Built from other ops
# ----------------------------------------------------------------------------------------


def polyval(coeffs: Sequence[Any], x: Any, name: str | None = None) -> Tensor:
    """``tf.math.polyval``: ``coeffs[0] * x**(n-1) + ... + coeffs[n-1]`` by Horner's rule
    (zeros like ``x`` for no coefficients)."""
    if not isinstance(coeffs, (list, tuple)):
        raise ValueError(f"polyval: coeffs must be a list of tensors, got {type(coeffs)}")
    with op_scope(name, "polyval", [*coeffs, x]) as scope:
        x = convert_to_tensor(x)
        if not coeffs:
            return zeros_like(x, name=scope)
        result = convert_to_tensor(coeffs[0], dtype=x.dtype)
        for c in coeffs[1:]:
            result = add(multiply(result, x), convert_to_tensor(c, dtype=x.dtype))
        return identity(result, name=scope)


def reduce_euclidean_norm(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                          name: str | None = None) -> Tensor:
    """``tf.math.reduce_euclidean_norm``: sqrt of the sum of squares over ``axis``."""
    with op_scope(name, "reduce_euclidean_norm", [input_tensor]) as scope:
        x = convert_to_tensor(input_tensor)
        return sqrt(reduce_sum(square(x), axis, keepdims=keepdims), name=scope)


# ----------------------------------------------------------------------------------------
# xlog1py and the Hurwitz zeta function
# ----------------------------------------------------------------------------------------


def _xlog1py_partials(op: Operation) -> tuple[Tensor, Tensor]:
    x, y = op.inputs
    return xlog1py(_nonzero(x), y), xdivy(x, add(y, 1))


define_binary("Xlog1py", _where_x_nonzero(lambda x, y: x * np.log1p(y)), _xlog1py_partials,
              shape_fn=_float_binary, conjugate=False)
xlog1py = _binary_function("Xlog1py", "xlog1py",
                           "``tf.math.xlog1py``: x * log1p(y), 0 where x is 0.")


def _zeta_kernel(x: np.ndarray, q: np.ndarray) -> np.ndarray:
    dtype = np.result_type(x, q)
    x, q = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(q, np.float64))
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(x > 1, _hurwitz_zeta(np.where(x > 1, x, 2.0), q),
                       np.where(x == 1, np.inf, np.nan))
    return out.astype(dtype)


def _zeta_vjp(op: Operation, g: Tensor) -> list:
    x, q = op.inputs
    return [None, unbroadcast(multiply(g, _zeta_partial_q(op)), q, x)]


def _zeta_partial_q(op: Operation) -> Tensor:
    x, q = op.inputs
    return multiply(negative(x), zeta(add(x, 1), q))


def _zeta_jvp(op: Operation, tx: Tensor | None, tq: Tensor | None) -> list:
    return [None if tq is None else multiply(tq, _zeta_partial_q(op))]


define_op("Zeta", kernel=_zeta_kernel, shape_fn=_float_binary, vjp=_zeta_vjp,
          jvp=_zeta_jvp, non_differentiable=(0,), elementwise=True, view_of={}, fresh=True,
          doc="The Hurwitz zeta function zeta(x, q) (NaN for x < 1).")


def zeta(x: Any, q: Any, name: str | None = None) -> Tensor:
    """``tf.math.zeta(x, q)``: the Hurwitz zeta function, sum over k of (q + k) ** -x;
    differentiable in q only, as TF1."""
    return apply_binary("Zeta", x, q, name)

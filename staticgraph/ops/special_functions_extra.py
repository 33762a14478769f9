"""``tf.math`` special functions: Bessel I0/I1 (and the exponentially scaled forms),
``erfinv``, ``erfcinv``, ``ndtri``, ``igamma``/``igammac``, ``betainc`` and ``nextafter``,
with TF's gradients. The kernels are in :mod:`.special_kernels`; this module declares the
ops and their derivative rules.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from . import special_kernels as K
from .broadcast_ops import unbroadcast, zeros_like_static
from .comparison_ops import equal
from .fill_ops import ones_like
from .framework import apply_binary, apply_op, broadcast_binary, convert_n, convert_to_tensor
from .math_ops import (_float_binary, _x, _y, add, define_binary, define_unary, exp, log,
                       log1p, multiply, negative, realdiv, sign, square, subtract)
from .op_util import _unary_function, op_scope
from .selection_ops import where_v2
from .special_math_ops import lgamma

__all__ = ["bessel_i0", "bessel_i0e", "bessel_i1", "bessel_i1e", "erfinv", "erfcinv", "ndtri",
           "igamma", "igammac", "betainc", "nextafter"]


# ----------------------------------------------------------------------------------------
# Bessel functions
# ----------------------------------------------------------------------------------------


def _i1_over_x(op: Operation, y: Tensor) -> Tensor:
    """``y / x`` where x != 0 (the limit of I1(x)/x at 0 is 1/2)."""
    x = _x(op)
    at_zero = equal(x, 0)
    return where_v2(at_zero, 0.5 * ones_like(x), realdiv(y, where_v2(at_zero, ones_like(x), x)))


define_unary("BesselI0", K.bessel_i0, lambda op: bessel_i1(_x(op)))
define_unary("BesselI0e", K.bessel_i0e,
             lambda op: subtract(bessel_i1e(_x(op)), multiply(sign(_x(op)), _y(op))))
define_unary("BesselI1", K.bessel_i1,
             lambda op: subtract(bessel_i0(_x(op)), _i1_over_x(op, _y(op))))
define_unary("BesselI1e", K.bessel_i1e,
             lambda op: subtract(subtract(bessel_i0e(_x(op)), multiply(sign(_x(op)), _y(op))),
                                 _i1_over_x(op, _y(op))))

bessel_i0 = _unary_function("BesselI0", "bessel_i0",
                            "``tf.math.bessel_i0``: the modified Bessel function I0.")
bessel_i0e = _unary_function("BesselI0e", "bessel_i0e",
                             "``tf.math.bessel_i0e``: exp(-|x|) I0(x).")
bessel_i1 = _unary_function("BesselI1", "bessel_i1",
                            "``tf.math.bessel_i1``: the modified Bessel function I1.")
bessel_i1e = _unary_function("BesselI1e", "bessel_i1e",
                             "``tf.math.bessel_i1e``: exp(-|x|) I1(x).")


# ----------------------------------------------------------------------------------------
# Inverse error function and normal quantile
# ----------------------------------------------------------------------------------------

define_unary("Ndtri", K.ndtri,
             lambda op: multiply(exp(multiply(square(_y(op)), 0.5)), math.sqrt(2 * math.pi)))
define_unary("Erfinv", K.erfinv,
             lambda op: multiply(exp(square(_y(op))), math.sqrt(math.pi) / 2))

ndtri = _unary_function("Ndtri", "ndtri", "``tf.math.ndtri``: the standard normal quantile "
                                          "(inverse CDF); NaN outside [0, 1].")
erfinv = _unary_function("Erfinv", "erfinv",
                         "``tf.math.erfinv``: the inverse of erf; NaN outside [-1, 1].")


def erfcinv(x: Any, name: str | None = None) -> Tensor:
    """``tf.math.erfcinv``: the inverse of erfc, ``-ndtri(x / 2) / sqrt(2)`` (as TF)."""
    with op_scope(name, "erfcinv", [x]) as scope:
        x = convert_to_tensor(x)
        return multiply(ndtri(multiply(x, 0.5)), -math.sqrt(0.5), name=scope)


# ----------------------------------------------------------------------------------------
# Incomplete gamma and beta functions
# ----------------------------------------------------------------------------------------

define_op("IgammaGradA", kernel=K.igamma_grad_a, shape_fn=_float_binary, elementwise=True,
          view_of={}, fresh=True, doc="dP(a, x)/da of the regularized lower incomplete "
                                      "gamma function (no gradient, as TF).")


def _gamma_density(op: Operation) -> Tensor:
    """dP(a, x)/dx = exp(-x + (a - 1) log x - lgamma(a))."""
    a, x = op.inputs
    return exp(subtract(multiply(subtract(a, 1), log(x)), add(x, lgamma(a))))


def _igamma_partials(op: Operation) -> tuple[Tensor, Tensor]:
    a, x = op.inputs
    return apply_op("IgammaGradA", [a, x]).outputs[0], _gamma_density(op)


def _igammac_partials(op: Operation) -> tuple[Tensor, Tensor]:
    da, dx = _igamma_partials(op)
    return negative(da), negative(dx)


define_binary("Igamma", K.igamma, _igamma_partials, shape_fn=_float_binary)
define_binary("Igammac", K.igammac, _igammac_partials, shape_fn=_float_binary)


def igamma(a: Any, x: Any, name: str | None = None) -> Tensor:
    """``tf.math.igamma(a, x)``: the regularized lower incomplete gamma function P(a, x)."""
    return apply_binary("Igamma", a, x, name)


def igammac(a: Any, x: Any, name: str | None = None) -> Tensor:
    """``tf.math.igammac(a, x)``: the regularized upper incomplete gamma function Q(a, x)."""
    return apply_binary("Igammac", a, x, name)


def _float_ternary(inputs: list, attrs: dict) -> list:
    result = broadcast_binary(inputs, attrs)
    if not result[0][1].is_floating:
        raise TypeError(f"needs floating-point inputs, got {result[0][1].name}")
    return result


def _betainc_partial_x(op: Operation) -> Tensor:
    """d I_x(a, b) / dx = x^(a-1) (1-x)^(b-1) / B(a, b)."""
    a, b, x = op.inputs
    log_beta = subtract(add(lgamma(a), lgamma(b)), lgamma(add(a, b)))
    return exp(subtract(add(multiply(subtract(a, 1), log(x)),
                            multiply(subtract(b, 1), log1p(negative(x)))), log_beta))


def _betainc_vjp(op: Operation, g: Tensor) -> list:
    a, b, x = op.inputs
    return [None, None, unbroadcast(multiply(g, _betainc_partial_x(op)), x, a, b)]


def _betainc_jvp(op: Operation, ta: Tensor | None, tb: Tensor | None,
                 tx: Tensor | None) -> list:
    return [None if tx is None else multiply(tx, _betainc_partial_x(op))]


define_op("Betainc", kernel=K.betainc, shape_fn=_float_ternary, vjp=_betainc_vjp,
          jvp=_betainc_jvp, non_differentiable=(0, 1), elementwise=True, view_of={},
          fresh=True, doc="The regularized incomplete beta function I_x(a, b).")


def betainc(a: Any, b: Any, x: Any, name: str | None = None) -> Tensor:
    """``tf.math.betainc(a, b, x)``: the regularized incomplete beta function I_x(a, b)
    (differentiable in x only, as TF)."""
    tensors = convert_n([a, b, x], "Betainc")
    return apply_op("Betainc", tensors, name=name).outputs[0]


define_binary("NextAfter", np.nextafter,
              lambda op: (None, zeros_like_static(op.inputs[1])), shape_fn=_float_binary)


def nextafter(x1: Any, x2: Any, name: str | None = None) -> Tensor:
    """``tf.math.nextafter(x1, x2)``: the next representable value after x1 in the
    direction of x2 (gradient 1 for x1 and 0 for x2, as TF)."""
    return apply_binary("NextAfter", x1, x2, name)

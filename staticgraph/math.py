"""``tf.math``: the TF1 math namespace (the same functions as the top-level ``tf.*``)."""
from __future__ import annotations

from .ops.comparison_ops import (equal, greater, greater_equal, is_finite, is_inf, is_nan,
                                 less, less_equal, logical_and, logical_not, logical_or,
                                 logical_xor, not_equal)
from .ops.math_ops import (abs, acos, add, add_n, asin, atan, ceil, conj, cos, div_no_nan,
                           divide, erf, exp, expm1, floor, floordiv, floormod, log, log1p,
                           maximum, minimum, mod, multiply, multiply_no_nan, negative, pow,
                           realdiv, reciprocal, round, rsqrt, scalar_mul, sigmoid, sign, sin,
                           sqrt, square, squared_difference, subtract, tan, tanh, truediv)
from .ops.reduce_ops import (count_nonzero, reduce_all, reduce_any, reduce_logsumexp,
                             reduce_max, reduce_mean, reduce_min, reduce_prod, reduce_sum)
from .ops.scan_ops import argmax, argmin, cumprod, cumsum

divide_no_nan = div_no_nan

__all__ = [
    "abs", "acos", "add", "add_n", "argmax", "argmin", "asin", "atan", "ceil", "conj", "cos",
    "count_nonzero", "cumprod", "cumsum", "divide", "divide_no_nan", "equal", "erf", "exp",
    "expm1", "floor", "floordiv", "floormod", "greater", "greater_equal", "is_finite",
    "is_inf", "is_nan", "less", "less_equal", "log", "log1p", "logical_and", "logical_not",
    "logical_or", "logical_xor", "maximum", "minimum", "mod", "multiply",
    "multiply_no_nan", "negative",
    "not_equal", "pow", "realdiv", "reciprocal", "reduce_all", "reduce_any",
    "reduce_logsumexp", "reduce_max", "reduce_mean", "reduce_min", "reduce_prod",
    "reduce_sum", "round", "rsqrt", "scalar_mul", "sigmoid", "sign", "sin", "sqrt",
    "square", "squared_difference", "subtract", "tan", "tanh", "truediv",
]

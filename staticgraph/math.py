"""``tf.math``: the TF1 math namespace (the same functions as the top-level ``tf.*``)."""

from .ops.comparison_ops import (equal, greater, greater_equal, is_finite, is_inf, is_nan,
                                 less, less_equal, logical_and, logical_not, logical_or,
                                 logical_xor, not_equal)
from .ops.math_ops import (abs, acos, add, add_n, asin, atan, ceil, conj, cos,
                           divide, erf, exp, expm1, floor, floordiv, floormod, log, log1p,
                           maximum, minimum, mod, multiply, multiply_no_nan, negative, pow,
                           reciprocal, round, rsqrt, scalar_mul, sigmoid, sign, sin,
                           sqrt, square, squared_difference, subtract, tan, tanh, truediv)
from .ops.reduce_ops import (count_nonzero, reduce_all, reduce_any, reduce_logsumexp,
                             reduce_max, reduce_mean, reduce_min, reduce_prod, reduce_sum)
from .ops.math_ops import div_no_nan as divide_no_nan
from .ops.scan_ops import argmax, argmin, cumprod, cumsum
from .ops.activation_ops import softplus, softsign
from .ops.math_composites import (accumulate_n, cumulative_logsumexp, is_non_decreasing,
                                  is_strictly_increasing, reciprocal_no_nan,
                                  reduce_std, reduce_variance)
from .ops.nn_extra_ops import log_sigmoid, zero_fraction
from .ops.nn_impl import l2_normalize
from .ops.complex_ops import abs, angle, imag, real  # noqa: F811  (complex: wt-linalg)
from .ops.nn_ops import log_softmax, softmax
from .ops.segment_ops import (bincount, confusion_matrix, segment_max, segment_mean,
                              segment_min, segment_sum, unsorted_segment_max,
                              unsorted_segment_mean, unsorted_segment_min,
                              unsorted_segment_sqrt_n, unsorted_segment_sum)
from .ops.special_math_ops import (acosh, asinh, atan2, atanh, cosh, digamma, erfc, lbeta,
                                   lgamma, polygamma, polyval, reduce_euclidean_norm, rint,
                                   sinh, xdivy, xlog1py, xlogy, zeta)
from .ops.shape_ops import invert_permutation
from .ops.topk_ops import in_top_k, top_k

__all__ = [
    "abs", "acos", "add", "add_n", "argmax", "argmin", "asin", "atan", "ceil", "conj", "cos",
    "count_nonzero", "cumprod", "cumsum", "divide", "divide_no_nan", "equal", "erf", "exp",
    "expm1", "floor", "floordiv", "floormod", "greater", "greater_equal", "is_finite",
    "is_inf", "is_nan", "less", "less_equal", "log", "log1p", "logical_and", "logical_not",
    "logical_or", "logical_xor", "maximum", "minimum", "mod", "multiply",
    "multiply_no_nan", "negative",
    "not_equal", "pow", "reciprocal", "reduce_all", "reduce_any",
    "reduce_logsumexp", "reduce_max", "reduce_mean", "reduce_min", "reduce_prod",
    "reduce_sum", "round", "rsqrt", "scalar_mul", "sigmoid", "sign", "sin", "sqrt",
    "square", "squared_difference", "subtract", "tan", "tanh", "truediv",
    # special functions, segments, counting, softmax family
    "acosh", "asinh", "atan2", "atanh", "bincount", "confusion_matrix", "cosh", "digamma",
    "erfc", "in_top_k", "l2_normalize", "lbeta", "lgamma", "log_sigmoid", "log_softmax",
    "polygamma", "polyval", "reduce_euclidean_norm", "rint", "segment_max", "segment_mean",
    "segment_min", "segment_sum", "sinh", "softmax", "softplus", "softsign", "top_k",
    "unsorted_segment_max", "unsorted_segment_mean", "unsorted_segment_min",
    "unsorted_segment_sqrt_n", "unsorted_segment_sum", "xdivy", "xlogy", "zero_fraction",
    "accumulate_n", "cumulative_logsumexp", "invert_permutation", "is_non_decreasing",
    "is_strictly_increasing", "reciprocal_no_nan", "reduce_std",
    "reduce_variance", "xlog1py", "zeta",
    # complex numbers (wt-linalg)
    "angle", "imag", "real",
]

# products over segments (array, scatter and sort ops)
from .ops.partition_ops import segment_prod, unsorted_segment_prod  # noqa: E402
__all__ += ["segment_prod", "unsorted_segment_prod"]

# Bessel I0/I1, erfinv/erfcinv/ndtri, incomplete gamma and beta, nextafter (issue 14)
from .ops.special_functions_extra import (bessel_i0, bessel_i0e, bessel_i1,  # noqa: E402
                                          bessel_i1e, betainc, erfcinv, erfinv, igamma,
                                          igammac, ndtri, nextafter)

from .ops.approx_topk import approx_max_k, approx_min_k  # noqa: E402
from .ops.sobol_ops import sobol_sample  # noqa: E402

__all__ += ["bessel_i0", "bessel_i0e", "bessel_i1", "bessel_i1e", "betainc", "erfcinv",
            "erfinv", "igamma", "igammac", "ndtri", "nextafter", "approx_max_k",
            "approx_min_k", "sobol_sample"]

"""Gradients at the edges of ops' domains (inf or NaN upstream gradients in lanes a mask
discards, zero upstream gradients times an infinite partial, bases of 0 or NaN), with
the values TensorFlow gives for them.

``CASES`` is written against the TF1 API only (each build takes the ``tf`` module), so
tools/tf_gradient_conventions.py can run the same cases in TensorFlow and print
``EXPECTED``; tests/ops/test_gradient_conventions.py checks staticgraph against it.
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

import numpy as np

nan, inf = np.nan, np.inf


class Case(NamedTuple):
    """``build(tf, *xs)`` gives y; the case's gradients are ``tf.gradients(y, xs)``."""

    build: Callable[..., Any]
    inputs: tuple


def _f(*values: float) -> np.ndarray:
    return np.array(values, np.float64)


CASES: dict[str, Case] = {
    "log_maximum": Case(lambda tf, x: tf.log(tf.maximum(x, 0.0)), (_f(-1, 0, 2),)),
    "log_maximum_both": Case(lambda tf, x, y: tf.log(tf.maximum(x, y)),
                             (_f(-1, 0, 2, 1, 0), _f(0, 0, 1, 3, -1))),
    "log_neg_minimum": Case(lambda tf, x: tf.log(-tf.minimum(x, 0.0)), (_f(1, 0, -2),)),
    "log_neg_minimum_both": Case(lambda tf, x, y: tf.log(-tf.minimum(x, y)),
                                 (_f(1, 0, -2, -1, 0), _f(0, 0, -1, -3, 1))),
    "log_clip_by_value": Case(lambda tf, x: tf.log(tf.clip_by_value(x, 0.0, 1.0)),
                              (_f(-1, 0, 0.5, 1, 2),)),
    "log_one_minus_clip_by_value": Case(
        lambda tf, x: tf.log(1.0 - tf.clip_by_value(x, 0.0, 1.0)), (_f(-1, 0, 0.5, 1, 2),)),
    "clip_by_value_bounds": Case(lambda tf, x, lo, hi: tf.log(tf.clip_by_value(x, lo, hi)),
                                 (_f(-1, 0, 0.5, 1, 2), _f(0, 0, 0, 0, 0), _f(1, 1, 1, 1, 1))),
    "div_no_nan": Case(lambda tf, x, y: tf.div_no_nan(x, y),
                       (_f(1, 0, 2, -3, inf), _f(0, 0, 2, 0, 0))),
    "log_div_no_nan": Case(lambda tf, x, y: tf.log(tf.div_no_nan(x, y)),
                           (_f(1, 0, 2, 0), _f(0, 0, 2, 3))),
    "pow": Case(lambda tf, x, y: tf.pow(x, y),
                (_f(0, 0, 0, nan, nan, 2, -1, -2, inf), _f(2, -1, 0, 0, 2, 0.5, 2, 3, 1))),
    "pow_zero_upstream": Case(lambda tf, x, y: tf.pow(x, y) * _f(0, 1, 0),
                              (_f(1e308, 3, 1e300), _f(2, 0.5, 3))),
    "sqrt_zero_upstream": Case(lambda tf, x: tf.sqrt(x) * _f(0, 0, 1, 0),
                               (_f(0, 4, 4, -1),)),
    "rsqrt_zero_upstream": Case(lambda tf, x: tf.rsqrt(x) * _f(0, 0, 1),
                                (_f(0, 4, 4),)),
    "reciprocal_zero_upstream": Case(lambda tf, x: tf.reciprocal(x) * _f(0, 0, 1),
                                     (_f(0, 4, 4),)),
    "log_zero_upstream": Case(lambda tf, x: tf.log(x) * _f(0, 1), (_f(0, 4),)),
    "log_abs": Case(lambda tf, x: tf.log(tf.abs(x)), (_f(-2, 0, 3),)),
    "log_relu": Case(lambda tf, x: tf.log(tf.nn.relu(x)), (_f(-1, 0, 2),)),
    "log_where": Case(lambda tf, x: tf.log(tf.where(x > 0.0, x, tf.zeros_like(x))),
                      (_f(-1, 0, 2),)),
    "log_reduce_max": Case(lambda tf, x: tf.log(tf.reduce_max(x, axis=1)),
                           (_f(0, -1, 2, 2).reshape(2, 2),)),
    "reduce_prod_zeros": Case(lambda tf, x: tf.reduce_prod(x, axis=1),
                              (_f(0, 2, 3, 0, 0, 3, 1, 2, 3).reshape(3, 3),)),
    "log_sign": Case(lambda tf, x: tf.log(tf.sign(x)), (_f(0, 2, -1),)),
    "multiply_no_nan": Case(lambda tf, x, y: tf.math.multiply_no_nan(x, y),
                            (_f(inf, nan, 1, 2, inf), _f(0, 0, 0, 3, 2))),
    "log_multiply_no_nan": Case(lambda tf, x, y: tf.log(tf.math.multiply_no_nan(x, y)),
                                (_f(inf, 0, 2, 2), _f(0, 2, 0, 3))),
    "squared_difference_zero_upstream": Case(
        lambda tf, x, y: tf.squared_difference(x, y) * _f(0, 1), (_f(1e308, 3), _f(-1, 1))),
    "squared_difference_inf": Case(lambda tf, x, y: tf.squared_difference(x, y) * 0.0,
                                   (_f(inf, 1), _f(1, 1))),
    "elu_edges": Case(lambda tf, x: tf.nn.elu(x), (_f(-1, 0, 2, nan),)),
    "selu_edges": Case(lambda tf, x: tf.nn.selu(x), (_f(-1, 0, 2, nan),)),
}
"""Every case's inputs are float64."""

# Printed by tools/tf_gradient_conventions.py with TensorFlow 2.21.0 (tf.compat.v1).
EXPECTED: dict[str, list] = {
    'log_maximum': [_f(0.0, inf, 0.5)],
    'log_maximum_both': [_f(0.0, inf, 0.5, 0.0, inf), _f(inf, 0.0, 0.0, 0.3333333333333333, 0.0)],
    'log_neg_minimum': [_f(0.0, inf, -0.5)],
    'log_neg_minimum_both': [_f(0.0, inf, -0.5, 0.0, inf), _f(inf, 0.0, 0.0, -0.3333333333333333, 0.0)],
    'log_clip_by_value': [_f(0.0, inf, 2.0, 1.0, 0.0)],
    'log_one_minus_clip_by_value': [_f(0.0, -1.0, -2.0, -inf, 0.0)],
    'clip_by_value_bounds': [_f(0.0, inf, 2.0, 1.0, 0.0), _f(inf, 0.0, 0.0, 0.0, 0.0), _f(0.0, 0.0, 0.0, 0.0, 1.0)],
    'div_no_nan': [_f(0.0, 0.0, 0.5, 0.0, 0.0), _f(0.0, 0.0, -0.5, 0.0, 0.0)],
    'log_div_no_nan': [_f(0.0, 0.0, 0.5, inf), _f(nan, nan, -0.5, nan)],
    'pow': [_f(0.0, -inf, nan, nan, nan, 0.3535533905932738, -2.0, 12.0, 1.0), _f(0.0, nan, 0.0, 0.0, nan, 0.9802581434685472, 0.0, -0.0, inf)],
    'pow_zero_upstream': [_f(0.0, 0.28867513459481287, nan), _f(nan, 1.902852301792692, nan)],
    'sqrt_zero_upstream': [_f(0.0, 0.0, 0.25, 0.0)],
    'rsqrt_zero_upstream': [_f(0.0, 0.0, -0.0625)],
    'reciprocal_zero_upstream': [_f(0.0, 0.0, -0.0625)],
    'log_zero_upstream': [_f(nan, 0.25)],
    'log_abs': [_f(-0.5, nan, 0.3333333333333333)],
    'log_relu': [_f(nan, nan, 0.5)],
    'log_where': [_f(0.0, 0.0, 0.5)],
    'log_reduce_max': [_f(inf, nan, 0.25, 0.25).reshape(2, 2)],
    'reduce_prod_zeros': [_f(6.0, 0.0, 0.0, 0.0, 0.0, 0.0, 6.0, 3.0, 2.0).reshape(3, 3)],
    'log_sign': [_f(0.0, 0.0, 0.0)],
    'multiply_no_nan': [_f(0.0, 0.0, 0.0, 3.0, 2.0), _f(inf, nan, 1.0, 2.0, inf)],
    'log_multiply_no_nan': [_f(0.0, inf, 0.0, 0.5), _f(inf, nan, inf, 0.3333333333333333)],
    'squared_difference_zero_upstream': [_f(0.0, 4.0), _f(-0.0, -4.0)],
    'squared_difference_inf': [_f(nan, 0.0), _f(nan, -0.0)],
    'elu_edges': [_f(0.36787944117144233, 1.0, 1.0, 1.0)],
    'selu_edges': [_f(0.6467686030348141, 1.0507009873554805, 1.0507009873554805, 1.0507009873554805)],
}

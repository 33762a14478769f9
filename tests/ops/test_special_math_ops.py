"""Hyperbolic, gamma-family, erfc, atan2, xlogy/xdivy, rint, lbeta, polyval: gradients,
kernels against SciPy, and edge values."""
import numpy as np
import pytest
import scipy.special as sp

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case

RNG = np.random.RandomState(17)
POSITIVE = RNG.uniform(0.5, 3.0, size=(2, 3))


def _away_from_integers(shape):
    return RNG.randint(-3, 3, size=shape) + RNG.uniform(0.2, 0.8, size=shape)


GRADIENT_CASES = [
    GradCase("hyperbolic", lambda x: [tf.sinh(x), tf.cosh(x), tf.asinh(x), tf.atanh(x * 0.3),
                                      tf.acosh(x * x + 1.5)], [RNG.randn(2, 3)], order=2),
    GradCase("erfc", lambda x: tf.erfc(x), [RNG.randn(2, 3)], order=2),
    GradCase("lgamma_digamma", lambda x: [tf.lgamma(x), tf.digamma(x)], [POSITIVE], order=2),
    GradCase("polygamma", lambda x: tf.math.polygamma(tf.constant(2.0, tf.float64), x),
             [POSITIVE], order=2),
    GradCase("lgamma_negative", lambda x: tf.lgamma(x), [-POSITIVE + 0.01]),
    GradCase("atan2", lambda y, x: tf.atan2(y, x), [RNG.randn(2, 3), RNG.randn(3)], order=2),
    GradCase("xlogy_xdivy", lambda x, y: [tf.math.xlogy(x, y), tf.math.xdivy(x, y)],
             [RNG.randn(2, 3), POSITIVE], order=2),
    GradCase("rint_times_x", lambda x: tf.rint(x) * x, [_away_from_integers((2, 3))]),
    GradCase("lbeta", lambda x: tf.math.lbeta(x), [POSITIVE]),
    GradCase("polyval_log_sigmoid_norm",
             lambda c, x: [tf.math.polyval([c[0], c[1], 2.0], x), tf.math.log_sigmoid(x),
                           tf.math.reduce_euclidean_norm(x, 1)],
             [RNG.randn(2), RNG.randn(2, 3)]),
    GradCase("xlog1py_zeta", lambda x, q: [tf.math.xlog1py(x, q),
                                           tf.math.zeta(tf.constant(3.0, tf.float64), q)],
             [RNG.randn(2, 3), POSITIVE], order=2),
    GradCase("math_composites",
             lambda x, y: [tf.math.cumulative_logsumexp(x, 1),
                           tf.math.cumulative_logsumexp(x, 0, reverse=True),
                           tf.math.reduce_std(x, 0), tf.math.multiply_no_nan(x, y),
                           tf.math.reciprocal_no_nan(y), tf.math.accumulate_n([x, y, x])],
             [RNG.randn(2, 3), POSITIVE]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


def test_gamma_family_matches_scipy_over_a_wide_range():
    x = np.concatenate([np.linspace(-7.65, -0.15, 12), np.linspace(0.01, 60.0, 40)])
    with tf.Session() as sess:
        lg, dg, p1, p3 = sess.run([tf.lgamma(x), tf.digamma(x), tf.math.polygamma(np.float64(1), x),
                                   tf.math.polygamma(np.float64(3), x)])
    np.testing.assert_allclose(lg, sp.gammaln(x), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dg, sp.digamma(x), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(p1, sp.polygamma(1, x), rtol=1e-10)
    np.testing.assert_allclose(p3, sp.polygamma(3, x), rtol=1e-10)


def test_poles_and_invalid_orders():
    with tf.Session() as sess:
        lg, pg = sess.run([tf.lgamma([0.0, -2.0]), tf.math.polygamma([0.5, -1.0], [2.0, 2.0])])
    assert np.all(np.isposinf(lg)) and np.all(np.isnan(pg))


def test_no_nan_and_ordering_helpers():
    with tf.Session() as sess:
        got = sess.run([tf.math.multiply_no_nan([np.inf, np.nan], [0.0, 0.0]),
                        tf.is_non_decreasing(tf.zeros([0])),
                        tf.is_strictly_increasing([[1, 2], [2, 3]]),
                        tf.math.cumulative_logsumexp([1000.0, 1000.0])])
    np.testing.assert_array_equal(got[0], [0.0, 0.0])
    assert bool(got[1]) and not bool(got[2])
    np.testing.assert_allclose(got[3], [1000.0, 1000.0 + np.log(2.0)])


def test_dtypes_are_checked_with_the_op_named():
    with pytest.raises(TypeError, match="Atan2.*floating-point"):
        tf.atan2(tf.constant([1]), tf.constant([2]))
    with pytest.raises(TypeError, match="Lgamma.*floating-point"):
        tf.lgamma(tf.constant([1]))

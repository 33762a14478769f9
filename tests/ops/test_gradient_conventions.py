"""Gradients at the edges of ops' domains follow TensorFlow's values (generated once by
tools/tf_gradient_conventions.py into tests/ops/gradient_conventions.py), and the rules
changed for them still agree with finite differences in float64."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case

from .gradient_conventions import CASES, EXPECTED


def _gradients(name: str) -> list:
    case = CASES[name]
    xs = [tf.placeholder(tf.float64, x.shape) for x in case.inputs]
    grads = tf.gradients(case.build(tf, *xs), xs)
    with tf.Session() as sess, np.errstate(all="ignore"):
        return sess.run(grads, dict(zip(xs, case.inputs)))


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_matches_tensorflow_at_the_edges(name):
    got = _gradients(name)
    assert len(got) == len(EXPECTED[name])
    for value, expected in zip(got, EXPECTED[name]):
        np.testing.assert_array_equal(value, expected)
        zeros = value == 0
        np.testing.assert_array_equal(np.signbit(value[zeros]), np.signbit(expected[zeros]))


_rng = np.random.RandomState(12)
_x = np.array([-1.5, -0.4, 0.3, 0.8, 2.0])
_y = np.array([0.7, -1.1, 0.1, 1.6, 1.2])
_positive = np.array([0.3, 0.9, 1.7, 2.5])
GRADIENT_CASES = [
    GradCase("maximum", lambda x, y: tf.maximum(x, y) * x, [_x, _y], order=2),
    GradCase("minimum", lambda x, y: tf.minimum(x, y) * y, [_x, _y], order=2),
    GradCase("maximum-broadcast", lambda x, y: tf.maximum(x, y),
             [_rng.randn(2, 3), np.array([0.25, -0.3, 0.1])], order=2),
    GradCase("clip_by_value", lambda x, lo, hi: tf.square(tf.clip_by_value(x, lo, hi)),
             [_x, np.array(-1.0), np.array(1.0)], order=2),
    GradCase("div_no_nan", lambda x, y: tf.div_no_nan(x, y), [_x, _y], order=2),
    GradCase("pow", lambda x, y: tf.pow(x, y), [_positive, _positive[::-1].copy()], order=2),
    GradCase("sqrt", lambda x: tf.sqrt(x), [_positive], order=2),
    GradCase("rsqrt", lambda x: tf.rsqrt(x), [_positive], order=2),
    GradCase("reciprocal", lambda x: tf.reciprocal(x), [_positive], order=2),
    GradCase("sign", lambda x: tf.sign(x) * x, [_x], order=2),
    GradCase("squared_difference-broadcast", lambda x, y: tf.squared_difference(x, y),
             [_rng.randn(2, 3), np.array([0.25, -0.3, 0.1])], order=2),
    GradCase("multiply_no_nan", lambda x, y: tf.math.multiply_no_nan(x, y), [_x, _y], order=2),
    GradCase("multiply_no_nan-broadcast", lambda x, y: tf.math.multiply_no_nan(x, y),
             [_rng.randn(2, 3), np.array([0.25, -0.3, 0.1])], order=2),
    # real(conj(x (1+2i)) i) = 2x: the conjugation decides the sign
    GradCase("conj", lambda x: tf.cast(tf.conj(tf.cast(x, tf.complex128) * (1 + 2j)) * 1j,
                                       tf.float64), [_x], order=2),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_changed_gradients_agree_with_finite_differences(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case


def test_checker_detects_a_wrong_gradient():
    wrong = tf.define_numpy_op("TestWrongSin", np.sin,
                               vjp=lambda op, g: [g * tf.sin(op.inputs[0])],
                               jvp=lambda op, t: [t * tf.cos(op.inputs[0])])
    result = check_case(GradCase("wrong", lambda x: wrong(x), [np.array([0.3, 1.2])]))
    assert result.max_error > 0.1


def test_checker_jacobian_shapes_and_values():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    result = check_case(GradCase("matvec", lambda x: tf.matmul(tf.constant(a), x),
                                 [np.array([[0.5], [-1.0]])]))
    np.testing.assert_allclose(result.reverse[0], a, atol=1e-12)
    np.testing.assert_allclose(result.forward[0], a, atol=1e-12)
    np.testing.assert_allclose(result.numeric[0], a, atol=1e-7)
    assert result.max_error < 1e-8


def test_second_order_check():
    result = check_case(GradCase("sin2", lambda x: tf.sin(x) * x, [np.array([0.4, 1.1])],
                                 order=2))
    assert result.max_error < 1e-6


def test_tf1_compute_gradient():
    x = tf.placeholder(tf.float64, [2, 3])
    y = tf.exp(x) * 2.0
    with tf.Session():
        theoretical, numerical = tf.test.compute_gradient(x, [2, 3], y, [2, 3], delta=1e-6)
        assert theoretical.shape == (6, 6)
        np.testing.assert_allclose(theoretical, numerical, atol=1e-6)
        assert tf.test.compute_gradient_error(x, [2, 3], y, [2, 3], delta=1e-6) < 1e-6


def test_compute_gradient_needs_a_session():
    x = tf.placeholder(tf.float64, [2])
    with pytest.raises(ValueError, match="session"):
        tf.test.compute_gradient(x, [2], x * 2.0, [2])


def test_numeric_jacobian_of_a_non_contiguous_input():
    # A transposed (Fortran-ordered) input: each nudge must reach the fed value, in the
    # C order of the Jacobian's columns.
    x = np.arange(1.0, 7.0).reshape(2, 3).T
    assert not x.flags.c_contiguous
    result = check_case(GradCase("square-transposed", lambda v: tf.square(v), [x]))
    np.testing.assert_allclose(result.numeric[0], np.diag(2 * x.reshape(-1)), atol=1e-7)
    assert result.max_error < 1e-8

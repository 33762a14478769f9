"""Gradients of a real loss of complex inputs equal TF's (values printed by
tools/tf_complex_gradients.py with TF 2.21 compat.v1), and where TF follows its convention
dL/dx + i dL/dy (the VJPs of products conjugate the other factor) they also agree with
finite differences on the real and imaginary parts. Real graphs get no Conj op from it."""
import numpy as np
import pytest

import staticgraph as tf

from . import complex_gradient_cases as cases
from .complex_gradient_cases import CASES, EXPECTED

_rng = np.random.RandomState(3)

# TF's gradients of these do not follow the convention (it does not conjugate them).
NOT_CONJUGATED = {"multiply_no_nan", "squared_difference", "xlogy", "xdivy", "xlog1py",
                  "cumprod", "cumprod-exclusive-reverse"}


def _complex(*shape: int) -> np.ndarray:
    return _rng.uniform(0.3, 0.9, shape) + 1j * _rng.uniform(0.2, 0.8, shape)


def _numeric_gradient(sess, loss, xs, inputs, i, eps=1e-6):
    """d loss / d re(x_i) + i d loss / d im(x_i) by central differences."""
    grad = np.zeros_like(inputs[i])
    for index in np.ndindex(inputs[i].shape):
        parts = []
        for step in (eps, 1j * eps):
            plus = [v.copy() for v in inputs]
            minus = [v.copy() for v in inputs]
            plus[i][index] += step
            minus[i][index] -= step
            parts.append((sess.run(loss, dict(zip(xs, plus)))
                          - sess.run(loss, dict(zip(xs, minus)))) / (2 * eps))
        grad[index] = parts[0] + 1j * parts[1]
    return grad


@pytest.mark.parametrize("name", sorted(CASES))
def test_complex_gradient_matches_tensorflow(name):
    case = CASES[name]
    with tf.Graph().as_default():
        xs = [tf.placeholder(tf.complex128, v.shape) for v in case.inputs]
        loss = cases.loss(tf, case, xs)
        with tf.Session() as sess:
            feed = dict(zip(xs, case.inputs))
            got = sess.run(tf.gradients(loss, xs), feed)
            for i, (value, expected) in enumerate(zip(got, EXPECTED[name])):
                np.testing.assert_allclose(value, expected, rtol=1e-9, atol=1e-12)
                if name not in NOT_CONJUGATED:
                    numeric = _numeric_gradient(sess, loss, xs, list(case.inputs), i)
                    np.testing.assert_allclose(value, numeric, rtol=1e-6, atol=1e-7)


def test_gradient_of_squared_modulus_is_twice_z():
    z = _complex(4)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.complex128, [4])
        (grad,) = tf.gradients(tf.real(x * tf.conj(x)), [x])
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run(grad, {x: z}), 2 * z, rtol=1e-12)


@pytest.mark.parametrize("build", [
    lambda x, y: tf.reduce_prod(tf.matmul(x * y, y, transpose_b=True) / y[:, :2], 1),
    lambda x, y: tf.pow(tf.exp(x), tf.square(y)) + tf.tanh(x),
])
def test_real_graphs_get_no_conj_ops(build):
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float64, [2, 3])
        y = tf.placeholder(tf.float64, [2, 3])
        tf.gradients(build(x, y), [x, y])
        assert "Conj" not in {op.type for op in graph.get_operations()}


def test_python_abs_of_complex_is_the_real_modulus():
    z = _complex(3)
    with tf.Graph().as_default():
        x = tf.constant(z)
        modulus = abs(x)
        assert modulus.op.type == "ComplexAbs" and modulus.dtype == tf.float64
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run(modulus), np.abs(z), rtol=1e-15)
        assert abs(tf.constant([-1.5, 2.0])).op.type == "Abs"

"""Gradients of a real loss of complex inputs follow TF's convention dL/dx + i dL/dy (the
VJPs of products conjugate the other factor), checked against finite differences on the
real and imaginary parts; TF 2.21 (compat.v1) gives these same values for every op below.
Real graphs get no Conj op from it."""
import numpy as np
import pytest

import staticgraph as tf

_rng = np.random.RandomState(3)


def _complex(*shape: int) -> np.ndarray:
    return _rng.uniform(0.3, 0.9, shape) + 1j * _rng.uniform(0.2, 0.8, shape)


_X, _Y = _complex(2, 3), _complex(2, 3)
UNARY = ["square", "sqrt", "rsqrt", "reciprocal", "exp", "log", "log1p", "expm1", "sin",
         "cos", "tan", "asin", "acos", "atan", "tanh", "sigmoid", "sinh", "cosh", "asinh",
         "acosh", "atanh"]
CASES = {name: (lambda x, f=getattr(tf.math, name): f(x), [_X]) for name in UNARY}
CASES.update({
    "multiply": (tf.multiply, [_X, _Y]),
    "multiply-broadcast": (tf.multiply, [_X, _complex(3)]),
    "truediv": (tf.truediv, [_X, _Y]),
    "realdiv": (tf.realdiv, [_X, _Y]),
    "div_no_nan": (tf.div_no_nan, [_X, _Y]),
    "pow": (tf.pow, [_X, _Y]),
    "operator-square": (lambda x: x * x, [_X]),
    "reduce_prod": (lambda x: tf.reduce_prod(x, 1), [_X]),
    "reduce_prod-all": (tf.reduce_prod, [_X]),
    "matmul": (tf.matmul, [_X, _complex(3, 4)]),
    "matmul-transpose_a": (lambda a, b: tf.matmul(a, b, transpose_a=True),
                           [_complex(3, 2), _complex(3, 4)]),
    "matmul-transpose_b": (lambda a, b: tf.matmul(a, b, transpose_b=True),
                           [_X, _complex(4, 3)]),
    "matmul-transpose_both": (lambda a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True),
                              [_complex(3, 2), _complex(4, 3)]),
    "matmul-adjoint_a": (lambda a, b: tf.matmul(a, b, adjoint_a=True),
                         [_complex(3, 2), _complex(3, 4)]),
    "matmul-batched": (tf.matmul, [_complex(2, 2, 3), _complex(2, 3, 2)]),
})


def _loss_and_gradients(build, inputs):
    xs = [tf.placeholder(tf.complex128, v.shape) for v in inputs]
    out = build(*xs)
    weights = tf.constant(_complex(*out.shape.as_list()))
    loss = tf.reduce_sum(tf.real(out * weights))
    return xs, loss, tf.gradients(loss, xs)


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
def test_complex_gradient_is_conjugate_convention(name):
    build, inputs = CASES[name]
    with tf.Graph().as_default():
        xs, loss, grads = _loss_and_gradients(build, inputs)
        with tf.Session() as sess:
            got = sess.run(grads, dict(zip(xs, inputs)))
            for i, value in enumerate(got):
                expected = _numeric_gradient(sess, loss, xs, inputs, i)
                np.testing.assert_allclose(value, expected, rtol=1e-6, atol=1e-7)


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

"""Second-order derivatives through dynamic_rnn's while loop, in float64: the
Hessian-vector product of an RNN loss w.r.t. the cell's weights against central finite
differences of the gradient, and against the same model unrolled by static_rnn (no loop);
tf.hessians and reverse-over-reverse through the loop."""
import numpy as np
import pytest

import staticgraph as tf
from tests.rnn.test_drivers import _weights

rng = np.random.RandomState(7)
cell = tf.nn.rnn_cell
BATCH, STEPS, DEPTH, UNITS = 2, 3, 2, 3
X = rng.uniform(-1, 1, (BATCH, STEPS, DEPTH))
TARGET = rng.uniform(-1, 1, (BATCH, STEPS, UNITS))
CELLS = {"BasicRNNCell": (cell.BasicRNNCell, 1), "BasicLSTMCell": (cell.BasicLSTMCell, 4)}


def _loss(cell_name, driver, kernel, bias):
    make, _ = CELLS[cell_name]
    with tf.variable_scope(driver, custom_getter=_weights({"kernel": kernel, "bias": bias})):
        if driver == "dynamic":
            out, _ = tf.nn.dynamic_rnn(make(UNITS), tf.constant(X), dtype=tf.float64)
        else:
            outs, _ = tf.nn.static_rnn(make(UNITS), tf.unstack(tf.constant(X), axis=1),
                                       dtype=tf.float64)
            out = tf.stack(outs, axis=1)
    return tf.reduce_sum(tf.sin(out) * TARGET)


def _weights_and_directions(gates):
    shapes = [(DEPTH + UNITS, gates * UNITS), (gates * UNITS,)]
    return ([rng.uniform(-0.8, 0.8, s) for s in shapes],
            [rng.uniform(-1, 1, s) for s in shapes])


@pytest.mark.parametrize("cell_name", sorted(CELLS))
def test_rnn_hvp_equals_finite_differences_and_the_unrolled_model(cell_name):
    values, directions = _weights_and_directions(CELLS[cell_name][1])
    ws = [tf.placeholder(tf.float64, v.shape) for v in values]
    vs = [tf.placeholder(tf.float64, v.shape) for v in values]
    loss = _loss(cell_name, "dynamic", *ws)
    grads = tf.gradients(loss, ws)
    hvp = tf.hessian_vector_product(loss, ws, vs)
    static_hvp = tf.hessian_vector_product(_loss(cell_name, "static", *ws), ws, vs)
    assert any(op.type == "WhileGrad" for op in tf.get_default_graph().get_operations())
    feed = {**dict(zip(ws, values)), **dict(zip(vs, directions))}
    eps = 1e-5
    with tf.Session() as sess:
        got, unrolled = sess.run([hvp, static_hvp], feed)
        plus = sess.run(grads, {w: v + eps * d for w, v, d in zip(ws, values, directions)})
        minus = sess.run(grads, {w: v - eps * d for w, v, d in zip(ws, values, directions)})
    for g, u, p, m in zip(got, unrolled, plus, minus):
        np.testing.assert_allclose(g, (p - m) / (2 * eps), rtol=1e-6, atol=1e-8)
        np.testing.assert_allclose(g, u, rtol=1e-10, atol=1e-12)


def test_rnn_hessian_through_the_loop_equals_the_unrolled_one():
    values, _ = _weights_and_directions(1)
    bias = tf.placeholder(tf.float64, values[1].shape)
    kernel = tf.constant(values[0])
    dynamic = tf.hessians(_loss("BasicRNNCell", "dynamic", kernel, bias), bias)[0]
    static = tf.hessians(_loss("BasicRNNCell", "static", kernel, bias), bias)[0]
    with tf.Session() as sess:
        got, want = sess.run([dynamic, static], {bias: values[1]})
    assert got.shape == (UNITS, UNITS)
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got, got.T, rtol=1e-10, atol=1e-12)


def test_scalar_loop_hessian_and_forward_mode_through_the_gradient_loop():
    # f(x) = x^(2^3) by squaring three times: f'' = 56 x^6
    x = tf.placeholder(tf.float64, [])
    y = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * v), [0, x])[1]
    hessian = tf.hessians(y, x)[0]
    grad = tf.gradients(y, x)[0]
    forward = tf.jvp(grad, x, tf.constant(1.0, tf.float64))[0]
    reverse = tf.gradients(grad, x)[0]
    assert grad.op.type == "WhileGrad"
    with tf.Session() as sess:
        got = sess.run([hessian, forward, reverse], {x: 1.3})
    for value in got:
        np.testing.assert_allclose(value, 56 * 1.3 ** 6, rtol=1e-12)


def test_loop_training_step_gradients_equal_the_unrolled_models():
    values, _ = _weights_and_directions(4)
    ws = [tf.placeholder(tf.float64, v.shape) for v in values]
    dynamic = tf.gradients(_loss("BasicLSTMCell", "dynamic", *ws), ws)
    static = tf.gradients(_loss("BasicLSTMCell", "static", *ws), ws)
    feed = dict(zip(ws, values))
    with tf.Session() as sess:
        got, want = sess.run([dynamic, static], feed)
    with tf.Session(optimize=False) as sess:
        plain = sess.run(dynamic, feed)
    for g, w, p in zip(got, want, plain):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(g, p, rtol=1e-12, atol=1e-14)

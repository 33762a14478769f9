"""Hessian-vector products (forward-over-reverse, reverse-over-reverse fallback),
tf.hessians built on them, and the Newton-CG example that uses only HVPs."""
import importlib.util
import pathlib
import re
import sys

import numpy as np
import pytest
from scipy.optimize import minimize
from sklearn.datasets import make_moons

import staticgraph as tf
from staticgraph.ops.custom_ops import define_numpy_op
from tests.autodiff.test_jacobian import numeric_jacobian
from tests.test_examples import run_example

rng = np.random.RandomState(5)
EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"


def test_hvp_of_a_quadratic_form():
    a = rng.randn(4, 4)
    x = tf.placeholder(tf.float64, [4, 1])
    v = tf.placeholder(tf.float64, [4, 1])
    f = tf.matmul(tf.transpose(x), tf.matmul(a, x))
    (hv,) = tf.hessian_vector_product(f, [x], [v])
    vector = rng.randn(4, 1)
    with tf.Session() as sess:
        got = sess.run(hv, {x: rng.randn(4, 1), v: vector})
    np.testing.assert_allclose(got, (a + a.T) @ vector, rtol=1e-12)


def test_hvp_couples_several_xs():
    x = tf.placeholder(tf.float64, [3])
    y = tf.placeholder(tf.float64, [2])
    f = tf.reduce_sum(tf.sin(x)) * tf.reduce_sum(tf.square(y)) + tf.reduce_sum(x[:2] * y)
    vx, vy = rng.randn(3), rng.randn(2)
    hx, hy = tf.hessian_vector_product(f, [x, y], [vx, vy])
    grads = tf.gradients(f, [x, y])
    point = rng.randn(5)
    with tf.Session() as sess:
        got = np.concatenate(sess.run([hx, hy], {x: point[:3], y: point[3:]}))
        hessian = numeric_jacobian(
            lambda p: np.concatenate(sess.run(grads, {x: p[:3], y: p[3:]})), point)
    np.testing.assert_allclose(got, hessian @ np.concatenate([vx, vy]), atol=1e-7)


def test_hvp_is_forward_over_reverse():
    x = tf.placeholder(tf.float64, [3])
    tf.hessian_vector_product(tf.reduce_sum(tf.exp(x)), [x], [np.ones(3)])
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert any("/jvp/" in n for n in names)


def test_hvp_falls_back_to_reverse_over_reverse_without_a_jvp_rule():
    cube = define_numpy_op(
        "TestCubeWithoutJvp", lambda a: a ** 3,
        vjp=lambda op, g: [g * 3.0 * tf.square(op.inputs[0])])
    x = tf.placeholder(tf.float64, [3])
    v = tf.placeholder(tf.float64, [3])
    (hv,) = tf.hessian_vector_product(tf.reduce_sum(cube(x)), [x], [v])
    point, vector = rng.randn(3), rng.randn(3)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(hv, {x: point, v: vector}), 6 * point * vector)


def test_hvp_is_none_where_the_gradient_is():
    x = tf.placeholder(tf.float64, [2])
    z = tf.placeholder(tf.float64, [2])
    linear = tf.placeholder(tf.float64, [2])
    f = tf.reduce_sum(tf.square(x)) + tf.reduce_sum(linear * 3.0)
    hx, hz, hl = tf.hessian_vector_product(f, [x, z, linear], [np.ones(2)] * 3)
    assert hz is None and hl is None
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(hx, {x: [1.0, 2.0]}), [2.0, 2.0])


def test_hvp_argument_errors():
    x = tf.placeholder(tf.float64, [2])
    f = tf.reduce_sum(tf.square(x))
    with pytest.raises(ValueError, match="xs and v must have the same length"):
        tf.hessian_vector_product(f, [x], [np.ones(2), np.ones(2)])
    with pytest.raises(ValueError, match="does not match"):
        tf.hessian_vector_product(f, [x], [np.ones(3)])


def test_hessians_of_a_matrix_variable():
    x = tf.placeholder(tf.float64, [2, 2])
    f = tf.reduce_sum(tf.sin(x) * tf.reduce_sum(x)) + tf.reduce_prod(x)
    (hessian,) = tf.hessians(f, x)
    assert hessian.shape.as_list() == [2, 2, 2, 2]
    assert [op.get_attr("count") for op in tf.get_default_graph().get_operations()
            if op.type == "BasisMap"] == [4]
    grad = tf.gradients(f, x)[0]
    point = rng.randn(2, 2)
    with tf.Session() as sess:
        got = sess.run(hessian, {x: point})
        want = numeric_jacobian(lambda p: sess.run(grad, {x: p}), point)
    np.testing.assert_allclose(got.reshape(4, 4), want, atol=1e-7)


def test_hessians_of_an_unconnected_x_are_zero():
    x = tf.placeholder(tf.float64, [3])
    z = tf.placeholder(tf.float64, [2])
    hx, hz = tf.hessians(tf.reduce_sum(tf.square(x)), [x, z])
    with tf.Session() as sess:
        got_x, got_z = sess.run([hx, hz], {x: np.ones(3)})
    np.testing.assert_array_equal(got_x, 2 * np.eye(3))
    np.testing.assert_array_equal(got_z, np.zeros((2, 2)))


def _example_module():
    spec = importlib.util.spec_from_file_location("newton_cg", EXAMPLES / "newton_cg.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(EXAMPLES))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(EXAMPLES))
    return module


def test_newton_cg_example_reaches_the_optimum(tmp_path):
    out = run_example("newton_cg.py", tmp_path, quick=False)
    loss = float(re.search(r"final loss: ([\d.]+)", out).group(1))
    grad_norm = float(re.search(r"gradient norm: ([\d.e+-]+)", out).group(1))
    steps = int(re.search(r"newton steps: (\d+)", out).group(1))
    assert grad_norm < 1e-10 and steps <= 15
    points, labels = make_moons(500, noise=0.1, random_state=0)
    features = _example_module().cubic_features(points)
    signs = 2.0 * labels - 1.0

    def objective(w):
        return np.mean(np.logaddexp(0, -signs * (features @ w))) + 0.5e-3 * w @ w

    best = minimize(objective, np.zeros(features.shape[1]), method="BFGS", tol=1e-12)
    assert abs(loss - best.fun) < 1e-8
    assert (tmp_path / "newton_cg.png").read_bytes()[:4] == b"\x89PNG"


def test_hessians_through_while_loop():
    # WhileGrad has a JVP and a VJP: the Hessian of sum(x^4) (squaring twice in a loop) is
    # diag(12 x^2), never the all-zero matrix tf.hessians once returned here
    x = tf.placeholder(tf.float64, [2])
    y = tf.while_loop(lambda i, v: i < 2, lambda i, v: (i + 1, v * v), [0, x])[1]
    hessian = tf.hessians(tf.reduce_sum(y), x)[0]
    x0 = np.array([0.7, -1.3])
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(hessian, {x: x0}), np.diag(12 * x0 ** 2),
                                   rtol=1e-12)

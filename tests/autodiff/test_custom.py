import sys

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case


def test_register_gradient_with_override_map():
    @tf.RegisterGradient("TestClippedSquareGrad")
    def _clipped(op, grad):
        return [grad * 100.0]

    x = tf.placeholder(tf.float64, [2])
    g = tf.get_default_graph()
    with g.gradient_override_map({"Square": "TestClippedSquareGrad"}):
        y = tf.square(x)
    plain = tf.square(x)
    gy, = tf.gradients(y, x)
    gp, = tf.gradients(plain, x)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(gy, {x: [1.0, 2.0]}), [100.0, 100.0])
        np.testing.assert_allclose(sess.run(gp, {x: [1.0, 2.0]}), [2.0, 4.0])


def test_register_gradient_twice_is_an_error():
    @tf.RegisterGradient("TestTwiceGrad")
    def _g(op, grad):
        return grad

    with pytest.raises(KeyError, match="TestTwiceGrad"):
        tf.RegisterGradient("TestTwiceGrad")(_g)


def test_custom_gradient_replaces_the_gradient():
    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)

        def grad(dy):
            return dy * (1 - 1 / (1 + e))
        return tf.log(1 + e), grad

    x = tf.placeholder(tf.float64, [])
    y = log1pexp(x)
    g, = tf.gradients(y, x)
    with tf.Session() as sess:
        value, grad = sess.run([y, g], {x: 100.0})
    assert value == pytest.approx(100.0)
    assert grad == pytest.approx(1.0)


def test_py_func_with_registered_gradient():
    @tf.RegisterGradient("TestPyCubeGrad")
    def _cube_grad(op, grad):
        return [grad * 3.0 * tf.square(op.inputs[0])]

    x = tf.placeholder(tf.float64, [3])
    with tf.get_default_graph().gradient_override_map({"PyFunc": "TestPyCubeGrad"}):
        y = tf.py_func(lambda a: a ** 3, [x], tf.float64)
    g, = tf.gradients(y, x)
    with tf.Session() as sess:
        v = np.array([1.0, -2.0, 0.5])
        np.testing.assert_allclose(sess.run(y, {x: v}), v ** 3)
        np.testing.assert_allclose(sess.run(g, {x: v}), 3 * v ** 2)


_softsign = tf.define_numpy_op(
    "TestSoftsign", lambda x: x / (1 + np.abs(x)),
    vjp=lambda op, g: [g / tf.square(1 + tf.abs(op.inputs[0]))],
    jvp=lambda op, t: [t / tf.square(1 + tf.abs(op.inputs[0]))])


def test_define_numpy_op_gradient_checks():
    case = GradCase("TestSoftsign", lambda x: _softsign(x), [np.array([0.5, -1.5, 2.0])])
    result = check_case(case)
    assert result.max_error < 1e-7, result
    assert "TestSoftsign" in result.op_types


def _clipped_identity_graph() -> tuple:
    """A fresh graph with a custom gradient whose function refers to a graph tensor."""
    graph = tf.Graph()
    with graph.as_default():
        @tf.custom_gradient
        def clip_grad(x):
            bound = tf.constant(0.5, tf.float64)

            def grad(dy):
                return tf.clip_by_value(dy, -bound, bound)
            return tf.identity(x), grad

        x = tf.placeholder(tf.float64, [2])
        g, = tf.gradients(clip_grad(x) * 3.0, x)
    return graph, x, g


def test_custom_gradient_registers_nothing_globally_and_old_graphs_are_freed():
    import gc
    import weakref

    from staticgraph.core import registry

    before = registry.registered_gradient_names()
    refs = [weakref.ref(_clipped_identity_graph()[0]) for _ in range(100)]
    assert registry.registered_gradient_names() == before
    gc.collect()
    assert all(ref() is None for ref in refs)
    graph, x, g = _clipped_identity_graph()  # and the gradient is still the custom one
    with tf.Session(graph=graph) as sess:
        np.testing.assert_array_equal(sess.run(g, {x: [1.0, -2.0]}), [0.5, 0.5])


def test_custom_gradient_inside_a_cond_branch_keeps_its_gradient():
    @tf.custom_gradient
    def doubled_grad(x):
        return tf.identity(x), lambda dy: 2.0 * dy

    x = tf.placeholder(tf.float64, [])
    y = tf.cond(x > 0.0, lambda: doubled_grad(x) * x, lambda: x)
    g, = tf.gradients(y, x)
    with tf.Session() as sess:
        assert sess.run(g, {x: 3.0}) == 9.0  # d/dx [x * x] with one factor's grad doubled
        assert sess.run(g, {x: -3.0}) == 1.0



def test_ops_of_a_user_gradient_record_its_lines_and_the_others_the_gradients_call():
    lines = {}

    @tf.custom_gradient
    def scaled(x):
        def grad(dy):
            result, lines["custom"] = dy * 3.0, sys._getframe().f_lineno
            return result
        return tf.identity(x), grad

    @tf.RegisterGradient("TestSitesSinGrad")
    def _sin_grad(op, grad):
        result, lines["registered"] = grad * tf.cos(op.inputs[0]), sys._getframe().f_lineno
        return [result]

    x = tf.placeholder(tf.float64, [2])
    with tf.get_default_graph().gradient_override_map({"Sin": "TestSitesSinGrad"}):
        y = tf.reduce_sum(tf.exp(tf.sin(scaled(x))))
    before = len(tf.get_default_graph().get_operations())
    g, line = tf.gradients(y, x)[0], sys._getframe().f_lineno
    made = tf.get_default_graph().get_operations()[before:]
    custom = [op for op in made if op.call_site == (__file__, lines["custom"])]
    registered = [op for op in made if op.call_site == (__file__, lines["registered"])]
    assert [op.type for op in custom] == ["Const", "Mul"]
    assert sorted(op.type for op in registered) == ["Cos", "Mul"]
    rest = [op for op in made if op not in custom and op not in registered]
    assert rest and {op.call_site for op in rest} == {(__file__, line)}
    assert len({id(op.call_site) for op in rest}) == 1  # one shared tuple
    with tf.Session() as sess:
        value = sess.run(g, {x: [0.5, -1.0]})
    np.testing.assert_allclose(value, 3 * np.exp(np.sin([0.5, -1.0])) * np.cos([0.5, -1.0]))

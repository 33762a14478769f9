import numpy as np
import pytest

import staticgraph as tf


def _seed_expression():
    x1 = tf.placeholder(tf.float64, [], name="x1")
    x2 = tf.placeholder(tf.float64, [], name="x2")
    v1 = x1 / x2
    v2 = tf.sin(v1)
    v3 = tf.exp(x2)
    v4 = v1 - v3
    v5 = v2 + v4
    y = v5 * v4
    return x1, x2, v4, v5, y


def test_lecture_seed_expression_value_and_adjoints():
    x1, x2, v4, v5, y = _seed_expression()
    grads = tf.gradients(y, [x1, x2, v4, v5])
    with tf.Session() as sess:
        value, g1, g2, u4, u5 = sess.run([y] + grads, {x1: 1.5, x2: 0.5})
    assert round(float(value), 3) == 2.017
    assert round(float(u5), 3) == 1.351
    assert round(float(u4), 3) == 2.844
    # Hand-derived: y = (sin(a) + a - e)(a - e) with a = x1/x2, e = exp(x2).
    a, e = 1.5 / 0.5, np.exp(0.5)
    dy_da = np.cos(a) * (a - e) + (np.sin(a) + a - e) + (a - e)
    dy_de = -(a - e) - (np.sin(a) + a - e)
    np.testing.assert_allclose(g1, dy_da / 0.5, rtol=1e-12)
    np.testing.assert_allclose(g2, dy_da * (-1.5 / 0.25) + dy_de * e, rtol=1e-12)


def test_lecture_log_sqrt_example():
    w1 = tf.placeholder(tf.float64, [])
    w2 = tf.placeholder(tf.float64, [])
    t = w2 * tf.log(w1)
    loss = t + tf.sqrt(t)
    g1, g2 = tf.gradients(loss, [w1, w2])
    with tf.Session() as sess:
        d1, d2 = sess.run([g1, g2], {w1: 2.0, w2: 3.0})
    s = 3.0 * np.log(2.0)
    np.testing.assert_allclose(d1, (3.0 / 2.0) * (1 + 0.5 / np.sqrt(s)), rtol=1e-12)
    np.testing.assert_allclose(d2, np.log(2.0) * (1 + 0.5 / np.sqrt(s)), rtol=1e-12)


def test_lecture_product_sine_example():
    x1 = tf.placeholder(tf.float64, [])
    x2 = tf.placeholder(tf.float64, [])
    z = x1 * x2 + tf.sin(x1)
    g1, g2 = tf.gradients(z, [x1, x2])
    with tf.Session() as sess:
        d1, d2 = sess.run([g1, g2], {x1: 0.7, x2: -1.3})
    np.testing.assert_allclose(d1, -1.3 + np.cos(0.7), rtol=1e-12)
    np.testing.assert_allclose(d2, 0.7, rtol=1e-12)


def test_gradient_ops_live_under_the_gradients_scope():
    x = tf.placeholder(tf.float32, [3], name="x")
    y = tf.sin(x) * x
    g1 = tf.gradients(y, x)[0]
    g2 = tf.gradients(y, x)[0]
    assert g1.op.name.startswith("gradients/")
    assert g2.op.name.startswith("gradients_1/")
    assert any(op.name.startswith("gradients/Sin_grad/") for op in
               tf.get_default_graph().get_operations())


def test_several_consumers_are_summed_with_one_addn():
    x = tf.placeholder(tf.float64, [2])
    y = x * 3.0 + tf.sin(x) + tf.exp(x)
    g = tf.gradients(y, x)[0]
    assert g.op.type == "AddN" and len(g.op.inputs) == 3
    with tf.Session() as sess:
        v = np.array([0.1, 0.2])
        np.testing.assert_allclose(sess.run(g, {x: v}), 3 + np.cos(v) + np.exp(v))


def test_sum_of_ys_and_grad_ys():
    x = tf.placeholder(tf.float64, [2])
    y1, y2 = x * 2.0, tf.square(x)
    g = tf.gradients([y1, y2], x)[0]
    gw = tf.gradients([y1, y2], x, grad_ys=[np.array([1.0, 0.0]), np.array([0.0, 10.0])])[0]
    with tf.Session() as sess:
        v = np.array([1.0, 3.0])
        np.testing.assert_allclose(sess.run(g, {x: v}), 2 + 2 * v)
        np.testing.assert_allclose(sess.run(gw, {x: v}), [2.0, 60.0])


def test_unconnected_gradients():
    x = tf.placeholder(tf.float32, [2])
    z = tf.placeholder(tf.float32, [3])
    y = x * 2.0
    assert tf.gradients(y, z) == [None]
    zero = tf.gradients(y, z, unconnected_gradients="zero")[0]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(zero), np.zeros(3, np.float32))
    with pytest.raises(ValueError, match="unconnected_gradients"):
        tf.gradients(y, x, unconnected_gradients="bogus")


def test_integer_tensors_carry_no_gradient():
    i = tf.placeholder(tf.int32, [2])
    y = i * 2
    assert tf.gradients(y, i) == [None]


def test_an_integer_tensor_on_the_path_carries_no_gradient():
    x = tf.placeholder(tf.float64, [], name="x")
    k = tf.cast(x, tf.int32)  # on a path from x to y, but an integer
    y = tf.cast(k, tf.float64) * x
    g, = tf.gradients(y, x)
    with tf.Session() as sess:
        assert sess.run(g, {x: 2.7}) == 2.0  # only the direct path: d(2x)/dx
    assert tf.gradients(tf.cast(k, tf.float64), x) == [None]


def test_stop_gradients_argument_cuts_paths():
    x = tf.placeholder(tf.float64, [])
    a = x * x
    y = a * x
    g_all, = tf.gradients(y, x)
    g_cut, = tf.gradients(y, x, stop_gradients=[a])
    with tf.Session() as sess:
        assert sess.run(g_all, {x: 2.0}) == pytest.approx(12.0)
        assert sess.run(g_cut, {x: 2.0}) == pytest.approx(4.0)


def test_gradient_with_respect_to_variable_value():
    w = tf.Variable(np.array([1.0, 2.0]), name="w")
    loss = tf.square(w) * 0.5
    g, = tf.gradients(loss, w)
    with tf.Session() as sess:
        sess.run(w.initializer)
        np.testing.assert_allclose(sess.run(g), [1.0, 2.0])


def test_second_order_gradients():
    x = tf.placeholder(tf.float64, [])
    y = tf.sin(x) * x
    g, = tf.gradients(y, x)
    h, = tf.gradients(g, x)
    with tf.Session() as sess:
        v = 0.3
        assert sess.run(h, {x: v}) == pytest.approx(2 * np.cos(v) - v * np.sin(v))


def test_hessians_match_tf1_shape_and_values():
    x = tf.placeholder(tf.float64, [2])
    y = x[0] * x[0] * x[1] + tf.exp(x[1])
    h, = tf.hessians(y, x)
    assert h.shape.as_list() == [2, 2]
    with tf.Session() as sess:
        a, b = 1.5, -0.5
        np.testing.assert_allclose(sess.run(h, {x: [a, b]}),
                                   [[2 * b, 2 * a], [2 * a, np.exp(b)]], rtol=1e-12)


def test_deep_chain_gradient_builds_without_recursion():
    x = tf.placeholder(tf.float64, [3])
    y = x
    for _ in range(3000):
        y = tf.sin(y) * 0.01 + y
    g, = tf.gradients(y, x)
    with tf.Session() as sess:
        out = sess.run(g, {x: np.zeros(3)})
    np.testing.assert_allclose(out, np.full(3, 1.01 ** 3000), rtol=1e-9)


def test_missing_gradient_is_a_lookup_error_naming_the_op():
    x = tf.placeholder(tf.float64, [2])
    y = tf.py_func(lambda a: a * 2, [x], tf.float64, name="double")
    with pytest.raises(LookupError, match="double"):
        tf.gradients(y, x)


def test_no_gradient_ops_for_inputs_off_the_path():
    x = tf.placeholder(tf.float64, [4])
    y = tf.reduce_sum(tf.sin(x) * 0.01 + x / 3.0 - 2.0)
    g, = tf.gradients(y, x)
    grad_types = [op.type for op in tf.get_default_graph().get_operations()
                  if op.name.startswith("gradients/")]
    # The constants 0.01, 3.0 and 2.0 get no adjoint: nothing is summed down to their
    # scalar shape.
    assert "SumToShape" not in grad_types
    with tf.Session() as sess:
        v = np.array([0.1, 0.5, -1.0, 2.0])
        np.testing.assert_allclose(sess.run(g, {x: v}), 0.01 * np.cos(v) + 1 / 3.0)


def test_vjp_rules_marked_so_are_told_which_inputs_are_wanted():
    from staticgraph.ops.framework import reads_wanted_inputs
    seen = []

    @tf.RegisterGradient("TestWantedMulGrad")
    @reads_wanted_inputs
    def _mul_grad(op, g, wanted):
        inner = tf.gradients(tf.reduce_sum(op.inputs[0] * op.inputs[1]), op.inputs[1])[0]
        seen.append([i in wanted for i in range(2)])
        return [g * op.inputs[1] + 0 * inner, g * op.inputs[0]]

    x = tf.placeholder(tf.float64, [3])
    c = tf.constant([1.0, 2.0, 3.0], tf.float64)
    with tf.get_default_graph().gradient_override_map({"Mul": "TestWantedMulGrad"}):
        y = tf.reduce_sum(x * c)
    g, = tf.gradients(y, x)
    assert seen == [[True, False]]  # the constant needs no gradient
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(g, {x: np.zeros(3)}), [1.0, 2.0, 3.0])


def test_a_vjp_rule_called_outside_a_sweep_builds_every_input_gradient():
    x = tf.placeholder(tf.float64, [3])
    z = x - tf.constant(2.0, tf.float64)
    gx, gc = z.op.op_def.vjp(z.op, tf.ones_like(z))
    with tf.Session() as sess:
        vx, vc = sess.run([gx, gc], {x: np.zeros(3)})
    np.testing.assert_array_equal(vx, [1.0, 1.0, 1.0])
    assert vc == -3.0


def test_deep_chain_gradient_builds_four_ops_per_link():
    x = tf.placeholder(tf.float64, [5])
    h = x
    for _ in range(50):
        h = tf.sin(h) * 0.01 + h
    g, = tf.gradients(tf.reduce_sum(h), x)
    grad_ops = [op for op in tf.get_default_graph().get_operations()
                if op.name.startswith("gradients/")]
    types = [op.type for op in grad_ops]
    assert types.count("Cos") == types.count("AddN") == 50 and types.count("Mul") == 100
    assert len(types) == 4 * 50 + 3  # and the seed: ones broadcast to h's shape
    assert {op.traceback for op in grad_ops} == {g.op.traceback}


def test_a_failing_gradient_rule_leaves_the_name_scope_as_it_was():
    @tf.RegisterGradient("TestFailingGrad")
    def _fail(op, grad):
        assert tf.get_default_graph().get_name_scope() == "outer/gradients/Square_grad"
        raise RuntimeError("rule failed")

    x = tf.placeholder(tf.float64, [2])
    with tf.get_default_graph().gradient_override_map({"Square": "TestFailingGrad"}):
        y = tf.square(x)
    with tf.name_scope("outer"):
        with pytest.raises(RuntimeError, match="rule failed"):
            tf.gradients(y, x)
        assert tf.get_default_graph().get_name_scope() == "outer"
        g, = tf.gradients(tf.sin(x), x)  # the scopes already taken stay taken
    assert g.op.name == "outer/gradients_1/outer/Sin_grad/Mul"

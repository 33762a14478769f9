"""tf.cond and tf.case: values, structure, errors, and what their gradients run."""
import numpy as np
import pytest

import staticgraph as tf
from tests.control_flow.test_derivatives import VEC, run_session


def test_cond_picks_the_branch_and_builds_an_if_op():
    p = tf.placeholder(tf.bool, [])
    x = tf.constant([1.0, 2.0])
    y = tf.cond(p, lambda: x * 10.0, lambda: x - 1.0)
    assert y.op.type == "If" and y.op.name == "cond"
    assert y.shape.as_list() == [2] and y.dtype == tf.float32
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {p: True}), [10.0, 20.0])
        np.testing.assert_array_equal(sess.run(y, {p: False}), [0.0, 1.0])


def test_only_the_taken_branch_runs():
    calls = []

    def tracer(label):
        def record(a):
            calls.append(label)
            return a
        return lambda: tf.py_func(record, [tf.constant(1.0)], tf.float32)

    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, tracer("true"), tracer("false"))
    with tf.Session() as sess:
        sess.run(y, {p: True})
        assert calls == ["true"]
        sess.run(y, {p: False})
        assert calls == ["true", "false"]


def test_assignments_happen_only_in_the_taken_branch():
    v = tf.Variable(0.0)
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.assign(v, 1.0), lambda: tf.assign(v, 2.0))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(y, {p: False}) == 2.0
        assert sess.run(v) == 2.0


def test_cond_structures_and_singletons():
    p = tf.constant(True)
    out = tf.cond(p, lambda: {"a": tf.constant(1), "b": (tf.constant(2.0), 3.0)},
                  lambda: {"a": tf.constant(4), "b": (tf.constant(5.0), 6.0)})
    assert set(out) == {"a", "b"} and isinstance(out["b"], tuple)
    assert run_session(out) == {"a": 1, "b": (2.0, 3.0)}
    single = tf.cond(p, lambda: [tf.constant(1.0)], lambda: [tf.constant(2.0)])
    assert isinstance(single, tf.Tensor)
    strict = tf.cond(p, lambda: [tf.constant(1.0)], lambda: [tf.constant(2.0)], strict=True)
    assert isinstance(strict, list) and len(strict) == 1


def test_cond_returns_python_values_and_outer_tensors():
    x = tf.placeholder(tf.float32, [2, None])
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: x, lambda: tf.zeros([2, 5]))
    assert y.shape.as_list() == [2, None]
    z = tf.cond(p, lambda: 1.0, lambda: 2.0)
    value = np.ones((2, 5), np.float32)
    assert run_session(z, {p: False}) == 2.0
    np.testing.assert_array_equal(run_session(y, {x: value, p: True}), value)


def test_cond_branch_operation_result_runs_the_op():
    v = tf.Variable(0)
    p = tf.placeholder(tf.bool, [])
    result = tf.cond(p, lambda: tf.assign(v, 5).op, lambda: tf.no_op())
    assert isinstance(result, tf.Operation)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(result, {p: True})
        assert sess.run(v) == 5


def test_branch_control_dependency_on_outer_op():
    v = tf.Variable(1.0)
    bump = tf.assign_add(v, 1.0)
    p = tf.placeholder(tf.bool, [])

    def true_fn():
        with tf.control_dependencies([bump]):
            return tf.constant(7.0)

    y = tf.cond(p, true_fn, lambda: tf.constant(0.0))
    assert bump.op in y.op.control_inputs
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(y, {p: True})
        assert sess.run(v) == 2.0


@pytest.mark.parametrize("args, error, message", [
    ((True, lambda: 1.0, lambda: 2.0), TypeError, "pred must not be a Python bool"),
    ((tf.constant(True), 1.0, lambda: 2.0), TypeError, "true_fn must be callable"),
    ((tf.constant(True), lambda: 1.0, None), TypeError, "false_fn must be callable"),
    ((tf.constant(1.0), lambda: 1.0, lambda: 2.0), TypeError, "pred must be a bool scalar"),
    ((tf.constant([True, False]), lambda: 1.0, lambda: 2.0), ValueError, "must be a scalar"),
    ((tf.constant(True), lambda: (1.0, 2.0), lambda: 2.0), ValueError,
     "Incompatible return values of true_fn and false_fn"),
    ((tf.constant(True), lambda: 1.0, lambda: 2), ValueError,
     "Outputs of true_fn and false_fn must have the same type: float32, int32"),
    ((tf.constant(True), lambda: None, lambda: 2.0), ValueError,
     "true_fn must have a return value"),
])
def test_cond_errors(args, error, message):
    with pytest.raises(error, match=message):
        tf.cond(*args)


def test_cond_gradient_through_untaken_capture_is_zero():
    x = tf.placeholder(tf.float64, [3])
    w = tf.placeholder(tf.float64, [3])
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.reduce_sum(x * w), lambda: tf.reduce_sum(x))
    gx, gw = tf.gradients(y, [x, w])
    feed = {x: VEC, w: VEC * 2, p: False}
    got_x, got_w = run_session([gx, gw], feed)
    np.testing.assert_array_equal(got_x, np.ones(3))
    np.testing.assert_array_equal(got_w, np.zeros(3))


def test_random_values_in_a_branch_are_not_redrawn_for_the_gradient():
    x = tf.placeholder(tf.float64, [4])
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: x * tf.random_uniform([4], dtype=tf.float64), lambda: x)
    g = tf.gradients(tf.reduce_sum(y), x)[0]
    value, grad = run_session([y, g], {x: np.full(4, 2.0), p: True})
    np.testing.assert_allclose(grad, value / 2.0)  # dy/dx is the random factor drawn once


def test_derivatives_leave_the_forward_op_unchanged():
    x = tf.placeholder(tf.float64, [3])
    y = tf.cond(x[0] > 0, lambda: tf.exp(tf.sin(x)) * 2.0, lambda: tf.cos(x))
    op = y.op
    before = (op.outputs, op.inputs, op.attrs, op.control_inputs,
              [list(b.outputs) for b in op.get_attr("branches")])
    g = tf.gradients(tf.reduce_sum(y), x)[0]
    t = tf.jvp(y, x, tf.ones([3], tf.float64))[0]
    assert (op.outputs, op.inputs, op.attrs, op.control_inputs,
            [list(b.outputs) for b in op.get_attr("branches")]) == before
    assert len(op.outputs) == 1
    for value in (VEC, -VEC):
        grad, tangent = run_session([g, t], {x: value})
        want = 2 * np.exp(np.sin(value)) * np.cos(value) if value[0] > 0 else -np.sin(value)
        np.testing.assert_allclose(grad, want)
        np.testing.assert_allclose(tangent, want)


def test_a_branch_exposes_its_random_values_when_created():
    x = tf.placeholder(tf.float64, [4])
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: x * tf.random_uniform([4], dtype=tf.float64), lambda: x)
    assert len(y.op.outputs) == 2 and y.op.get_attr("num_results") == 1
    z = tf.cond(p, lambda: tf.sin(x), lambda: x)
    assert len(z.op.outputs) == 1  # nothing stateful: nothing exposed


def test_random_values_in_a_nested_branch_are_drawn_once():
    x = tf.placeholder(tf.float64, [3])
    p = tf.placeholder(tf.bool, [])
    q = tf.placeholder(tf.bool, [])

    def inner():
        return tf.cond(q, lambda: tf.sin(x * tf.random_uniform([3], dtype=tf.float64)),
                       lambda: x * 3.0)

    y = tf.cond(p, inner, lambda: x * 2.0)
    assert len(y.op.outputs) == 2  # exposes the inner cond's random draw
    g = tf.gradients(tf.reduce_sum(y), x)[0]
    t = tf.jvp(y, x, tf.ones([3], tf.float64))[0]
    with tf.Session() as sess:
        for taken, inner_taken in ((True, True), (True, False), (False, True)):
            value, grad, tangent = sess.run([y, g, t], {x: VEC, p: taken, q: inner_taken})
            if taken and inner_taken:
                r = np.arcsin(value) / VEC  # the draw the forward pass used
                want = r * np.cos(VEC * r)
            else:
                want = np.full(3, 3.0 if taken else 2.0)
            np.testing.assert_allclose(grad, want)
            np.testing.assert_allclose(tangent, want)


def test_derivative_of_a_branch_holding_a_stateful_loop_is_refused():
    x = tf.placeholder(tf.float64, [3])
    p = tf.placeholder(tf.bool, [])

    def noisy_loop():
        return tf.while_loop(lambda i, v: i < 2, lambda i, v: (
            i + 1, v * tf.random_uniform([3], dtype=tf.float64)), [0, x])[1]

    y = tf.cond(p, noisy_loop, lambda: x * 2.0)
    with pytest.raises(ValueError, match="Cannot differentiate While op .*stateful op "
                                         ".*RandomUniform"):
        tf.gradients(tf.reduce_sum(y), x)


def test_gradient_through_a_branch_that_assigns_reads_the_value_assigned_once():
    v = tf.Variable(np.array([1.0, 2.0, 3.0]))
    x = tf.placeholder(tf.float64, [3])
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.assign_add(v, np.ones(3)) * x, lambda: x * 5.0)
    g = tf.gradients(tf.reduce_sum(y), x)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(g, {x: VEC, p: True}), [2.0, 3.0, 4.0])
        np.testing.assert_array_equal(sess.run(v), [2.0, 3.0, 4.0])  # assigned once
        np.testing.assert_array_equal(sess.run(g, {x: VEC, p: False}), np.full(3, 5.0))


def test_derivatives_through_a_py_func_in_a_branch_need_its_gradient():
    x = tf.placeholder(tf.float64, [3])
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.py_func(np.sin, [x], tf.float64) * x, lambda: x)
    with pytest.raises(LookupError, match="No gradient defined for operation .*PyFunc"):
        tf.gradients(tf.reduce_sum(y), x)
    with pytest.raises(LookupError, match="No forward-mode .*PyFunc"):
        tf.jvp(y, x, tf.ones([3], tf.float64))


def test_a_py_func_with_a_gradient_in_a_branch_is_differentiated():
    @tf.RegisterGradient("TestCondPyCubeGrad")
    def _cube_grad(op, grad):
        return [grad * 3.0 * tf.square(op.inputs[0])]

    x = tf.placeholder(tf.float64, [3])
    p = tf.placeholder(tf.bool, [])

    def cube():
        with tf.get_default_graph().gradient_override_map({"PyFunc": "TestCondPyCubeGrad"}):
            return tf.py_func(lambda a: a ** 3, [x], tf.float64)

    y = tf.cond(p, cube, lambda: x * 2.0)
    g = tf.gradients(tf.reduce_sum(y), x)[0]
    for taken, want in ((True, 3.0 * VEC ** 2), (False, np.full(3, 2.0))):
        np.testing.assert_allclose(run_session(g, {x: VEC, p: taken}), want)


# -- case ---------------------------------------------------------------------------------


def _three_way(x, exclusive=False, default=True):
    pairs = [(x > 2, lambda: tf.constant(1)), (x > 1, lambda: tf.constant(2))]
    return tf.case(pairs, default=(lambda: tf.constant(3)) if default else None,
                   exclusive=exclusive)


def test_case_runs_the_first_true_predicate_or_the_default():
    x = tf.placeholder(tf.int32, [])
    y = _three_way(x)
    assert y.op.type == "Case"
    with tf.Session() as sess:
        assert [sess.run(y, {x: v}) for v in (3, 2, 0)] == [1, 2, 3]


def test_case_exclusive_and_missing_default_fail_at_run_time():
    x = tf.placeholder(tf.int32, [])
    exclusive = _three_way(x, exclusive=True)
    no_default = _three_way(x, default=False)
    with tf.Session() as sess:
        assert sess.run(exclusive, {x: 2}) == 2
        with pytest.raises(tf.errors.InvalidArgumentError, match="more than 1 conditions"):
            sess.run(exclusive, {x: 3})
        assert sess.run(no_default, {x: 2}) == 2
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="None of conditions evaluated as True"):
            sess.run(no_default, {x: 0})


def test_case_accepts_a_dict_and_runs_only_the_chosen_function():
    calls = []

    def fn(label):
        return lambda: tf.py_func(lambda a: calls.append(label) or a, [tf.constant(0)],
                                  tf.int32)

    p = tf.placeholder(tf.bool, [])
    y = tf.case({p: fn("p"), tf.logical_not(p): fn("not p")})
    run_session(y, {p: False})
    assert calls == ["not p"]


@pytest.mark.parametrize("pairs, error, message", [
    (42, TypeError, "must be a list, tuple, or dict"),
    ([(tf.constant(True),)], TypeError, "2-tuple"),
    ([(True, lambda: 1)], TypeError, "pred must be Tensor of type bool"),
    ([(tf.constant(1.0), lambda: 1)], TypeError, "pred must be Tensor of type bool"),
    ([(tf.constant(True), 1)], TypeError, "must be callable"),
])
def test_case_errors(pairs, error, message):
    with pytest.raises(error, match=message):
        tf.case(pairs)


def test_gradient_builds_derivatives_only_for_the_inputs_asked_for():
    x = tf.placeholder(tf.float64, [3])
    w = tf.placeholder(tf.float64, [3])
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.sin(x) * tf.exp(w), lambda: x * w)
    gx = tf.gradients(tf.reduce_sum(y), x)[0]
    grad_op = gx.op
    while grad_op.type != "If":
        grad_op = grad_op.inputs[0].op
    assert grad_op.get_attr("num_results") == 1  # d/dx only: no branch computes d/dw
    value = run_session(gx, {x: VEC, w: -VEC, p: True})
    np.testing.assert_allclose(value, np.cos(VEC) * np.exp(-VEC))

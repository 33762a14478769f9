"""tf.check_numerics and tf.add_check_numerics_ops."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case

rng = np.random.RandomState(3)

GRADIENT_CASES = [
    GradCase("CheckNumerics", lambda x: tf.check_numerics(tf.sin(x), "sin") * x,
             [rng.randn(2, 3)], order=2),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradient(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


def test_check_numerics_passes_finite_values_through():
    x = tf.placeholder(tf.float32, [None, 2])
    y = tf.check_numerics(x, "x is bad", name="checked")
    assert y.op.type == "CheckNumerics" and y.op.name == "checked"
    assert y.shape.as_list() == [None, 2] and y.dtype == tf.float32
    value = np.array([[1.0, -2.5]], np.float32)
    with tf.Session() as sess:
        out = sess.run(y, {x: value})
    np.testing.assert_array_equal(out, value)
    assert out.dtype == np.float32


@pytest.mark.parametrize("value, kind", [
    ([1.0, np.nan], "NaN"), ([np.inf, 1.0], "Inf"), ([-np.inf, np.nan], "Inf and NaN"),
])
def test_check_numerics_fails_the_run_naming_the_problem(value, kind):
    x = tf.placeholder(tf.float64, [2])
    y = tf.check_numerics(x * 2.0, "doubled x")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=f"doubled x : Tensor had {kind} values") as info:
            sess.run(y, {x: value})
    assert info.value.op is y.op


def test_check_numerics_rejects_integers_and_non_string_messages():
    with pytest.raises(TypeError, match="float16, float32 or float64"):
        tf.check_numerics(tf.constant([1, 2]), "ints")
    with pytest.raises(TypeError, match="message must be a string"):
        tf.check_numerics(tf.constant(1.0), 3)


def test_gradient_of_check_numerics_is_checked_too():
    x = tf.placeholder(tf.float64, [2])
    y = tf.check_numerics(x, "x")
    g = tf.gradients(y, x, grad_ys=tf.constant([1.0, np.inf], tf.float64))[0]
    assert g.op.type == "CheckNumerics"
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="values detected in gradient. x : Tensor had Inf values"):
            sess.run(g, {x: [1.0, 2.0]})


@pytest.mark.filterwarnings("ignore:invalid value encountered in log")
def test_add_check_numerics_ops_names_the_first_op_that_produced_a_nan():
    x = tf.placeholder(tf.float64, [3], name="x")
    logs = tf.log(x, name="logs")
    scaled = tf.multiply(logs, 3.0, name="scaled")
    total = tf.reduce_sum(scaled, name="total")
    check = tf.add_check_numerics_ops()
    assert check.type == "NoOp"
    with tf.Session() as sess:
        assert np.isclose(sess.run([total, check], {x: [1.0, 2.0, 3.0]})[0], 3 * np.log(6))
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"logs:0 : Tensor had NaN values"):
            sess.run([total, check], {x: [1.0, -2.0, 3.0]})
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"x:0 : Tensor had Inf"):
            sess.run([total, check], {x: [1.0, np.inf, 3.0]})


def test_add_check_numerics_ops_leaves_variables_alone():
    v = tf.Variable([1.0, 2.0], name="v")
    doubled = v * 2.0
    init = tf.global_variables_initializer()
    check = tf.add_check_numerics_ops()
    checked = {op.get_attr("message") for op in tf.get_default_graph().get_operations()
               if op.type == "CheckNumerics"}
    assert "v:0" in checked and doubled.name in checked
    assert not any("Assign" in m for m in checked)
    with tf.Session() as sess:
        sess.run(init)
        sess.run(tf.assign(v, [5.0, 6.0]))
        sess.run(check)
        np.testing.assert_array_equal(sess.run(v), [5.0, 6.0])


def test_add_check_numerics_ops_checks_cond_results_only():
    x = tf.placeholder(tf.float64, [2])
    y = tf.cond(x[0] > 0, lambda: x * tf.random_uniform([2], dtype=tf.float64), lambda: x)
    assert len(y.op.outputs) > 1  # the random draw, exposed for derivatives
    check = tf.add_check_numerics_ops()
    checked = {op.get_attr("message") for op in tf.get_default_graph().get_operations()
               if op.type == "CheckNumerics"}
    assert y.name in checked
    assert not any(t.name in checked for t in y.op.outputs[1:])
    with tf.Session() as sess:  # the branch not taken yields no value for the draw
        sess.run(check, {x: [-1.0, 2.0]})

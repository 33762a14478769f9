"""tf.while_loop: values, structure, shape invariants, errors, and gradients."""
import collections

import numpy as np
import pytest

import staticgraph as tf
from tests.control_flow.test_derivatives import VEC, loop_weights, rng, run_session


def test_while_loop_counts_and_returns_like_tf1():
    i = tf.constant(0)
    single = tf.while_loop(lambda i: i < 10, lambda i: i + 1, [i])
    assert isinstance(single, tf.Tensor) and single.op.type == "While"
    same = tf.while_loop(lambda i: i < 10, lambda i: i + 1, [i], return_same_structure=True)
    assert isinstance(same, list) and len(same) == 1
    pair = tf.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s + i), (i, 0))
    assert isinstance(pair, tuple)
    assert run_session([single, same, pair]) == [10, [10], (4, 6)]


def test_while_loop_nested_structures():
    State = collections.namedtuple("State", ["step", "acc"])
    start = State(tf.constant(0), {"x": tf.constant(1.0), "y": tf.constant(2.0)})

    def body(state):
        return [State(state.step + 1, {"x": state.acc["x"] * 2.0,
                                       "y": state.acc["y"] + 1.0})]

    (out,) = tf.while_loop(lambda s: s.step < 3, body, [start])
    assert isinstance(out, State)
    assert run_session(out) == State(3, {"x": 8.0, "y": 5.0})


def test_maximum_iterations_stops_the_loop():
    out = tf.while_loop(lambda i: i < 100, lambda i: i + 1, [tf.constant(0)],
                        maximum_iterations=7)
    limit = tf.placeholder(tf.int32, [])
    fed = tf.while_loop(lambda i: i < 100, lambda i: i + 1, [0], maximum_iterations=limit)
    assert run_session(out) == 7
    assert run_session(fed, {limit: 3}) == 3


def test_shape_invariants():
    x = tf.constant([1.0])
    grow = lambda v: tf.concat([v, v], 0)  # noqa: E731
    with pytest.raises(ValueError, match=r"enters the loop with shape \(1,\), but has shape "
                                         r"\(2,\) after one iteration"):
        tf.while_loop(lambda v: tf.size(v) < 8, grow, [x])
    out = tf.while_loop(lambda v: tf.size(v) < 8, grow, [x],
                        shape_invariants=[tf.TensorShape([None])])
    assert out.shape.as_list() == [None]
    np.testing.assert_array_equal(run_session(out), np.ones(8))
    with pytest.raises(ValueError, match="not compatible with the initial shape"):
        tf.while_loop(lambda v: tf.size(v) < 8, grow, [x],
                      shape_invariants=[tf.TensorShape([2])])


def test_shape_invariant_checked_at_run_time():
    def body(v):
        doubled = tf.py_func(lambda a: np.concatenate([a, a]), [v], tf.float64)
        doubled.set_shape([2])  # a false promise the run catches
        return doubled

    out = tf.while_loop(lambda v: tf.reduce_sum(v) < 10.0, body, [tf.constant([1.0, 1.0],
                                                                              tf.float64)])
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not match its shape "
                                                            "invariant"):
        run_session(out)


@pytest.mark.parametrize("call, error, message", [
    (lambda: tf.while_loop(1, lambda i: i, [0]), TypeError, "cond must be callable"),
    (lambda: tf.while_loop(lambda i: i < 1, 1, [0]), TypeError, "body must be callable"),
    (lambda: tf.while_loop(lambda: True, lambda: [], []), ValueError,
     "No loop variables provided"),
    (lambda: tf.while_loop(lambda i, j: i < 1, lambda i, j: i, [0, 1]), ValueError,
     "same structure as loop_vars"),
    (lambda: tf.while_loop(lambda i: i < 1, lambda i: tf.cast(i, tf.float32), [0]),
     ValueError, "enters the loop with dtype int32, but has dtype float32"),
    (lambda: tf.while_loop(lambda i: i, lambda i: i, [0]), TypeError,
     "cond must return a boolean scalar"),
    (lambda: tf.while_loop(lambda i: i < 1, lambda i: i, [0], maximum_iterations=[1, 2]),
     ValueError, "maximum_iterations must be a scalar"),
    (lambda: tf.while_loop(lambda i: i < 1, lambda i: i, [0], parallel_iterations=0),
     TypeError, "parallel_iterations must be a positive integer"),
])
def test_while_loop_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_while_gradient_matches_unrolled_loop_and_sums_over_captures():
    x = tf.placeholder(tf.float64, [2, 3])
    w = tf.placeholder(tf.float64, [3, 3])
    looped = loop_weights(x, w)
    unrolled = tf.tanh(tf.matmul(tf.tanh(tf.matmul(x, w)), w))
    grads = tf.gradients(tf.reduce_sum(looped * looped), [x, w])
    expected = tf.gradients(tf.reduce_sum(unrolled * unrolled), [x, w])
    feed = {x: rng.uniform(-1, 1, (2, 3)), w: rng.uniform(-1, 1, (3, 3))}
    got, want = run_session([grads, expected], feed)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_zero_iterations_pass_the_gradient_through():
    x = tf.placeholder(tf.float64, [3])
    out = tf.while_loop(lambda v: tf.reduce_sum(v) > 100.0, lambda v: v * v, [x])
    g = tf.gradients(tf.reduce_sum(out * 3.0), x)[0]
    np.testing.assert_array_equal(run_session(g, {x: VEC}), np.full(3, 3.0))


def test_back_prop_false_and_integer_loop_variables_carry_no_gradient():
    x = tf.placeholder(tf.float64, [3])
    frozen = tf.while_loop(lambda v: tf.reduce_sum(v) < 5.0, lambda v: v * 2.0, [x],
                           back_prop=False)
    assert tf.gradients(tf.reduce_sum(frozen), x) == [None]
    i, v = tf.while_loop(lambda i, v: i < 2, lambda i, v: (i + 1, v * 3.0), [0, x])
    assert tf.gradients(tf.cast(i, tf.float64), x) == [None]


def test_gradient_of_a_loop_with_random_draws_uses_the_drawn_values():
    # out = x * r1 * r2: the gradient reads the draws the forward loop kept (no re-run)
    x = tf.placeholder(tf.float64, [3])
    out = tf.while_loop(lambda i, v: i < 2,
                        lambda i, v: (i + 1, v * tf.random_uniform([3], 0.5, 1.5,
                                                                    dtype=tf.float64)),
                        [0, x])[1]
    grad = tf.gradients(tf.reduce_sum(out), x)[0]
    x0 = rng.uniform(0.5, 1.5, 3)
    with tf.Session() as sess:
        got_out, got_grad = sess.run([out, grad], {x: x0})
        again = sess.run(grad, {x: x0})
    np.testing.assert_allclose(got_grad, got_out / x0, rtol=1e-12)
    assert not np.allclose(again, got_grad)  # fresh draws on the next run
    with pytest.raises(ValueError, match="stateful op .*RandomUniform"):
        tf.jvp(out, x, np.ones(3))


def test_while_gradient_sums_over_captures_only_when_asked():
    x = tf.placeholder(tf.float64, [2, 3])
    w = tf.placeholder(tf.float64, [3, 3])
    looped = loop_weights(x, w)
    only_x = tf.gradients(tf.reduce_sum(looped), x)[0]
    both = tf.gradients(tf.reduce_sum(looped), [x, w])
    [grad_x] = [op for op in tf.get_default_graph().get_operations()
                if op.type == "WhileGrad" and op.outputs[0] is only_x]
    assert grad_x.get_attr("num_results") == 1  # no sum over iterations for w
    assert both[0].op.get_attr("num_results") == 2
    feed = {x: rng.uniform(-1, 1, (2, 3)), w: rng.uniform(-1, 1, (3, 3))}
    got, want = run_session([only_x, both[0]], feed)
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_while_gradient_sums_a_weight_product_and_read_rows_by_their_form():
    # y = sum_t tanh(x_t @ w): w's gradient sum_t x_t^T d_t is one product of the stacked
    # factors, x's gradient the rows each read adds; both as the unrolled sum.
    xs, w0 = rng.uniform(-1, 1, (4, 2, 3)), rng.uniform(-1, 1, (3, 3))
    x = tf.placeholder(tf.float64, xs.shape)
    w = tf.placeholder(tf.float64, w0.shape)
    reader = tf.TensorArray(tf.float64, size=4).unstack(x)

    def body(t, acc):
        return t + 1, acc + tf.tanh(tf.matmul(reader.read(t), w))

    total = tf.while_loop(lambda t, acc: t < 4, body,
                          [0, tf.zeros([2, 3], tf.float64)])[1]
    grads = tf.gradients(tf.reduce_sum(total), [x, w])
    [op] = [op for op in tf.get_default_graph().get_operations() if op.type == "WhileGrad"]
    assert sorted(op.get_attr("ext_sums")) == ["product", "rows"]
    got_x, got_w = run_session(grads, {x: xs, w: w0})
    d = 1 - np.tanh(xs @ w0) ** 2
    np.testing.assert_allclose(got_x, d @ w0.T, rtol=1e-12)
    np.testing.assert_allclose(got_w, sum(a.T @ b for a, b in zip(xs, d)), rtol=1e-12)

"""Gradient settings and control-flow conveniences: NotDifferentiable, UnconnectedGradients,
AggregationMethod, grad_pass_through, switch_case, vectorized_map."""
import itertools

import numpy as np
import pytest

import staticgraph as tf

_ids = itertools.count()


def _square_op():
    """A fresh op type (the gradient registry is global) computing x**2, with its VJP."""
    op_type = f"TestApiSquare{next(_ids)}"
    build = tf.define_numpy_op(op_type, lambda x: x * x,
                               vjp=lambda op, grad: [2.0 * op.inputs[0] * grad])
    return op_type, build


def test_not_differentiable_removes_an_op_types_gradient():
    op_type, square = _square_op()
    x = tf.constant([3.0])
    (before,) = tf.gradients(square(x), x)
    with tf.Session() as sess:
        assert sess.run(before).tolist() == [6.0]
    tf.NotDifferentiable(op_type)
    assert tf.gradients(square(x), x) == [None]
    (zero,) = tf.gradients(square(x), x, unconnected_gradients="zero")
    with tf.Session() as sess:
        assert sess.run(zero).tolist() == [0.0]


def test_no_gradient_aliases_and_errors():
    assert tf.no_gradient is tf.NotDifferentiable and tf.NoGradient is tf.NotDifferentiable
    op_type, _ = _square_op()
    tf.no_gradient(op_type)
    with pytest.raises(KeyError, match="already registered"):
        tf.NoGradient(op_type)
    with pytest.raises(TypeError, match="string"):
        tf.no_gradient(3)


def test_unconnected_gradients_enum_is_accepted_by_gradients():
    x, y = tf.constant(1.0), tf.constant(2.0)
    assert tf.UnconnectedGradients.ZERO == "zero"
    assert tf.gradients(x * 2.0, y, unconnected_gradients=tf.UnconnectedGradients.NONE) == [None]
    (zero,) = tf.gradients(x * 2.0, y, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    with tf.Session() as sess:
        assert sess.run(zero) == 0.0


def test_aggregation_methods_give_the_same_gradient():
    x = tf.Variable(2.0)
    loss = x * x + 3.0 * x
    results = [tf.gradients(loss, x, aggregation_method=method)[0] for method in (
        tf.AggregationMethod.ADD_N, tf.AggregationMethod.DEFAULT,
        tf.AggregationMethod.EXPERIMENTAL_TREE, tf.AggregationMethod.EXPERIMENTAL_ACCUMULATE_N)]
    step = tf.train.GradientDescentOptimizer(0.1).minimize(
        loss, aggregation_method=tf.AggregationMethod.EXPERIMENTAL_TREE)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(results) == [7.0] * 4
        sess.run(step)
        assert sess.run(x) == pytest.approx(2.0 - 0.7)


def test_grad_pass_through_keeps_the_value_and_passes_the_gradient():
    x = tf.constant([3.0, -1.5])
    y = tf.grad_pass_through(tf.square)(x)
    (grad,) = tf.gradients(2.0 * y, x)
    rounded = tf.grad_pass_through(tf.round)(x)
    (round_grad,) = tf.gradients(tf.reduce_sum(rounded * x), x)
    with tf.Session() as sess:
        value, g = sess.run([y, grad])
        assert value.tolist() == [9.0, 2.25] and g.tolist() == [2.0, 2.0]
        # d/dx sum(round(x) * x) with round's gradient passed through: x + round(x)
        np.testing.assert_allclose(sess.run(round_grad), [6.0, -3.5])


def _constant_fns(values):
    return [lambda v=v: tf.constant(v) for v in values]


@pytest.mark.parametrize("index, expected", [(0, 10), (1, 20), (2, 30), (5, 30), (-1, 30)])
def test_switch_case_runs_the_indexed_branch_and_the_last_one_out_of_range(index, expected):
    out = tf.switch_case(tf.constant(index), _constant_fns([10, 20, 30]))
    with tf.Session() as sess:
        assert sess.run(out) == expected


def test_switch_case_with_a_dict_pairs_and_a_default():
    i = tf.placeholder(tf.int32, [])
    by_dict = tf.switch_case(i, {1: lambda: tf.constant(10), 0: lambda: tf.constant(30)},
                             default=lambda: tf.constant(7))
    by_pairs = tf.switch_case(i, [(1, lambda: tf.constant(1)), (0, lambda: tf.constant(0))])
    with tf.Session() as sess:
        assert [sess.run([by_dict, by_pairs], {i: k}) for k in (0, 1, 3)] == [
            [30, 0], [10, 1], [7, 1]]


def test_switch_case_runs_only_the_chosen_branch_and_differentiates():
    x = tf.Variable(2.0)
    i = tf.placeholder(tf.int32, [])

    def failing():
        with tf.control_dependencies([tf.Assert(False, ["wrong branch"])]):
            return tf.identity(x)

    out = tf.switch_case(i, [lambda: x * x, failing, lambda: 3.0 * x])
    (grad,) = tf.gradients(out, x)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([out, grad], {i: 0}) == [4.0, 4.0]
        assert sess.run([out, grad], {i: 2}) == [6.0, 3.0]
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(out, {i: 1})


def test_switch_case_errors():
    with pytest.raises(ValueError, match="contiguous range"):
        tf.switch_case(tf.constant(0), {1: lambda: 1, 3: lambda: 3})
    with pytest.raises(ValueError, match="at least one"):
        tf.switch_case(tf.constant(0), [])
    with pytest.raises(TypeError, match="int32"):
        tf.switch_case(tf.constant(0.0), _constant_fns([1]))
    with pytest.raises(TypeError, match="callable"):
        tf.switch_case(tf.constant(0), [3])


def test_vectorized_map_matches_a_row_loop_and_infers_the_output_structure():
    elems = np.arange(6.0).reshape(3, 2)
    x = tf.constant(elems)
    sums = tf.vectorized_map(tf.reduce_sum, x)
    pairs = tf.vectorized_map(lambda r: (r * 2.0, tf.cast(r[0], tf.int32)), x)
    with tf.Session() as sess:
        assert sess.run(sums).tolist() == elems.sum(axis=1).tolist()
        doubled, firsts = sess.run(pairs)
    assert doubled.tolist() == (2 * elems).tolist() and firsts.tolist() == [0, 2, 4]
    assert firsts.dtype == np.int32


def test_vectorized_map_gradient_matches_finite_differences():
    value = np.random.RandomState(0).randn(3, 2)
    x = tf.constant(value)
    y = tf.vectorized_map(lambda r: tf.reduce_sum(tf.sin(r) * r), x)
    with tf.Session():
        error = tf.test.compute_gradient_error(x, [3, 2], y, [3], x_init_value=value)
    assert error < 1e-6

"""Derivatives of tf.cond, tf.case, tf.while_loop and BasisMap against finite differences."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case

rng = np.random.RandomState(0)
POS = rng.uniform(0.5, 1.5, size=(2, 3))
NEG = -rng.uniform(0.5, 1.5, size=(2, 3))
VEC = rng.uniform(0.2, 0.9, size=(3,))


def _branchy(x):
    return tf.cond(tf.reduce_sum(x) > 0, lambda: tf.sin(x) * x, lambda: tf.exp(x) * 2.0)


def _two_captures(x, y):
    return tf.cond(tf.reduce_sum(x) > 0, lambda: x * y, lambda: tf.square(x))


def _multi_output(x, y):
    a, b = tf.cond(tf.reduce_sum(x) < 0, lambda: (tf.sin(x), x * y),
                   lambda: (tf.cos(y), y / x))
    return [a, b]


def _case(x):
    first = x[0]
    return tf.case([(first > 1.0, lambda: tf.sin(x)), (first > 0.5, lambda: x * x)],
                   default=lambda: tf.exp(x))


def _loop(x):
    return tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, tf.sin(v) * v),
                         [tf.constant(0), x])[1]


def loop_weights(x, w):
    return tf.while_loop(lambda i, v: i < 2,
                         lambda i, v: (i + 1, tf.tanh(tf.matmul(v, w))), [0, x])[1]


def _loop_data_dependent(x):
    # doubles until the sum passes 5: the trip count depends on x (3 times for VEC)
    return tf.while_loop(lambda v: tf.reduce_sum(v) < 5.0, lambda v: v * 2.0 + tf.sin(v), x)


def _loop_with_limit(x):
    return tf.while_loop(lambda v: tf.reduce_sum(v) < 1e9, lambda v: v * tf.cos(v), x,
                         maximum_iterations=4)


def _cond_in_loop(x):
    def body(i, v):
        return i + 1, tf.cond(tf.equal(i % 2, 0), lambda: tf.sin(v) + v, lambda: v * v)
    return tf.while_loop(lambda i, v: i < 3, body, [0, x])[1]


def _loop_in_cond(x):
    return tf.cond(tf.reduce_sum(x) > 0, lambda: _loop(x), lambda: x)


def _nested_loops(x):
    def outer_body(i, v):
        inner = tf.while_loop(lambda j, u: j < 2, lambda j, u: (j + 1, tf.sin(u) * v),
                              [0, v])[1]
        return i + 1, inner + v
    return tf.while_loop(lambda i, v: i < 2, outer_body, [0, x])[1]


def _loop_gradient(x):
    return tf.gradients(tf.reduce_sum(_loop(x)), x)[0]


def _weights_gradients(x, w):
    return tf.gradients(tf.reduce_sum(tf.sin(loop_weights(x, w))), [x, w])


def _jacobian(x):
    return tf.jacobian(tf.sin(x) * x[0], x)


GRADIENT_CASES = [
    GradCase("If-true-branch", _branchy, [POS]),
    GradCase("If-false-branch", _branchy, [NEG]),
    GradCase("If-second-order", _branchy, [POS], order=2),
    GradCase("If-captures-differ-per-branch-true", _two_captures, [POS, NEG]),
    GradCase("If-captures-differ-per-branch-false", _two_captures, [NEG, POS]),
    GradCase("If-two-outputs", _multi_output, [NEG, POS]),
    GradCase("If-two-outputs-other-branch", _multi_output, [POS, NEG]),
    GradCase("Case-first", _case, [np.array([1.2, 0.3])]),
    GradCase("Case-second", _case, [np.array([0.7, 0.3])]),
    GradCase("Case-default", _case, [np.array([0.2, 0.3])], order=2),
    GradCase("While", _loop, [VEC]),
    GradCase("While-captured-weights", loop_weights,
             [rng.uniform(-1, 1, (2, 3)), rng.uniform(-1, 1, (3, 3))]),
    GradCase("While-data-dependent-trips", _loop_data_dependent, [VEC]),
    GradCase("While-maximum-iterations", _loop_with_limit, [VEC]),
    GradCase("While-around-If", _cond_in_loop, [VEC]),
    GradCase("If-around-While", _loop_in_cond, [VEC]),
    GradCase("While-around-While", _nested_loops, [VEC]),
    GradCase("While-second-order", _loop, [VEC], order=2),
    GradCase("WhileGrad", _loop_gradient, [VEC]),
    GradCase("WhileGrad-captured-weights", _weights_gradients,
             [rng.uniform(-1, 1, (2, 3)), rng.uniform(-1, 1, (3, 3))]),
    GradCase("While-captured-weights-second-order", loop_weights,
             [rng.uniform(-1, 1, (2, 3)), rng.uniform(-1, 1, (3, 3))], order=2),
    GradCase("While-data-dependent-trips-second-order", _loop_data_dependent, [VEC],
             order=2),
    GradCase("While-around-If-second-order", _cond_in_loop, [VEC], order=2),
    GradCase("While-around-While-second-order", _nested_loops, [VEC], order=2),
    GradCase("BasisMap", _jacobian, [VEC]),
    GradCase("BasisMap-second-order", _jacobian, [VEC], order=2),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradient(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


def run_session(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)

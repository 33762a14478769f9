"""top_k and in_top_k: TF1's tie rules, shapes, errors and top_k's gradient."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case

RNG = np.random.RandomState(16)

GRADIENT_CASES = [
    GradCase("top_k_values", lambda x: tf.nn.top_k(x, 2)[0], [RNG.randn(3, 5)], order=2),
    GradCase("top_k_batched_k_all", lambda x: tf.nn.top_k(x * 2.0, 4).values,
             [RNG.randn(2, 2, 4)]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


def test_tied_values_come_in_index_order_and_gradient_follows_them():
    x = tf.constant([[2.0, 5.0, 2.0, 5.0]])
    values, indices = tf.nn.top_k(x, 3)
    (grad,) = tf.gradients(values * [[1.0, 10.0, 100.0]], [x])
    with tf.Session() as sess:
        v, i, g = sess.run([values, indices, grad])
    np.testing.assert_array_equal(i, [[1, 3, 0]])
    np.testing.assert_array_equal(v, [[5.0, 5.0, 2.0]])
    np.testing.assert_array_equal(g, [[100.0, 1.0, 0.0, 10.0]])


def test_in_top_k_counts_every_tie_at_the_boundary():
    predictions = np.array([[0.1, 0.4, 0.4, 0.1]], np.float32)
    with tf.Session() as sess:
        got = sess.run([tf.nn.in_top_k(predictions, [t], 1) for t in range(4)])
    assert [bool(g[0]) for g in got] == [False, True, True, False]


def test_shapes_and_errors():
    x = tf.placeholder(tf.float32, [None, 6])
    values, indices = tf.nn.top_k(x, 4)
    assert values.shape.as_list() == [None, 4] and indices.dtype == tf.int32
    assert tf.nn.in_top_k(x, tf.placeholder(tf.int32, [None]), 2).shape.as_list() == [None]
    with pytest.raises(ValueError, match=r"TopKV2.*at least k=7 columns.*\(\?, 6\)"):
        tf.nn.top_k(x, 7)
    with pytest.raises(ValueError, match="InTopKV2.*same batch size"):
        tf.nn.in_top_k(np.ones((2, 3), np.float32), [0, 1, 2], 1)
    with pytest.raises(TypeError, match="InTopKV2.*targets must be int32"):
        tf.nn.in_top_k(np.ones((2, 3), np.float32), [0.0, 1.0], 1)
    with pytest.raises(ValueError, match="top_k's k must be an integer known"):
        tf.nn.top_k(x, tf.placeholder(tf.int32, []))


def test_old_arg_max_names():
    with tf.Session() as sess:
        got = sess.run([tf.arg_max([[1, 3, 3]], 1), tf.arg_min([[1, 3, 0]], 1, tf.int32)])
    assert got[0].dtype == np.int64 and got[0].tolist() == [1]
    assert got[1].dtype == np.int32 and got[1].tolist() == [2]


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.uint32, np.uint64, np.int8,
                                   np.int64])
def test_top_k_of_integers_at_the_ends_of_their_range(dtype):
    # TF 2.21 gives values [max, 100, 5, 5, 0, min-or-0] and indices [2, 3, 1, 5, 0, 4]
    # for every integer type (no wrap of -x for unsigned types or the signed minimum).
    info = np.iinfo(dtype)
    x = np.array([0, 5, info.max, 100, info.min, 5], dtype)
    values, indices = tf.nn.top_k(x, 6)
    with tf.Session() as sess:
        v, i = sess.run([values, indices])
    assert v.dtype == dtype
    np.testing.assert_array_equal(v, np.array([info.max, 100, 5, 5, 0, info.min], dtype))
    np.testing.assert_array_equal(i, [2, 3, 1, 5, 0, 4])


def test_top_k_refuses_bool_as_tf():
    with pytest.raises(TypeError, match="real number type, got bool"):
        tf.nn.top_k([True, False], 1)

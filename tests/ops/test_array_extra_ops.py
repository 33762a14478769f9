"""roll, reverse_sequence, ensure_shape, broadcast_*_shape, meshgrid, linspace, repeat,
shape_n, parallel_stack and clip_by_average_norm: gradients, TF1 values (as TensorFlow 2.21
``compat.v1`` gives them, see tools/tf_array_ops_check.py), shapes and errors."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase
from tests.ops.array_op_helpers import assert_gradient_ok, run

RNG = np.random.RandomState(11)

GRADIENT_CASES = [
    GradCase("roll", lambda x: tf.roll(x, [1, -2, 1], [0, 1, 1]), [RNG.randn(3, 4)], order=2),
    GradCase("reverse_sequence",
             lambda x: tf.reverse_sequence(x, [2, 0, 4], seq_axis=1, batch_axis=0),
             [RNG.randn(3, 4, 2)]),
    GradCase("ensure_shape", lambda x: tf.ensure_shape(x, [None, 3]) * x, [RNG.randn(2, 3)]),
    GradCase("meshgrid", lambda a, b: tf.meshgrid(a * a, b), [RNG.randn(3), RNG.randn(2)]),
    GradCase("linspace_bounds",
             lambda a, b: tf.linspace(tf.reshape(a, []), tf.reshape(b, []), 5),
             [RNG.randn(1), RNG.randn(1)]),
    GradCase("repeat_axis1", lambda x: tf.repeat(x, [2, 0, 1], axis=1), [RNG.randn(2, 3)]),
    GradCase("repeat_flat", lambda x: tf.repeat(x, 3), [RNG.randn(2, 2)]),
    GradCase("clip_by_average_norm", lambda x: tf.clip_by_average_norm(x, 0.1),
             [RNG.randn(2, 3)]),
    GradCase("parallel_stack", lambda a, b: tf.parallel_stack([a, b * b]),
             [RNG.randn(2), RNG.randn(2)]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    assert_gradient_ok(case)


def test_roll_and_reverse_sequence_values():
    x = np.arange(24).reshape(2, 3, 4)
    rolled, reversed_ = run(tf.roll(x, [1, -1, 2], [0, 2, -1]),
                             tf.reverse_sequence(x, [3, 1], seq_axis=1, batch_axis=0))
    np.testing.assert_array_equal(rolled, np.roll(x, (1, -1, 2), (0, 2, 2)))
    expected = x.copy()
    expected[0, :3] = x[0, 2::-1]
    np.testing.assert_array_equal(reversed_, expected)
    # TF1's older argument names
    old = run(tf.reverse_sequence(x, [2, 2, 2], seq_dim=2, batch_dim=1))[0]
    np.testing.assert_array_equal(old[:, :, :2], x[:, :, 1::-1])


def test_reverse_sequence_errors():
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match=r"seq_lengths \[5, 0\] must be in \[0, 4\]"):
        sess.run(tf.reverse_sequence(np.ones((2, 4)), tf.placeholder_with_default([5, 0], [2]),
                                     seq_axis=1))
    with pytest.raises(ValueError, match="ReverseSequence.*one length per batch entry"):
        tf.reverse_sequence(np.ones((2, 4)), [1, 2, 3], seq_axis=1)
    with pytest.raises(ValueError, match="exactly one of seq_axis and seq_dim"):
        tf.reverse_sequence(np.ones((2, 4)), [1, 2])


def test_ensure_shape_refines_the_static_shape_and_checks_at_run_time():
    x = tf.placeholder(tf.float32, [None, None])
    y = tf.ensure_shape(x, [2, None])
    assert y.shape.as_list() == [2, None]
    with pytest.raises(ValueError, match=r"EnsureShape.*not compatible with the expected"):
        tf.ensure_shape(tf.constant([1, 2]), [3])
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {x: np.ones((2, 5))}), np.ones((2, 5)))
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"shape \[3, 5\] is not compatible with the expected"):
            sess.run(y, {x: np.ones((3, 5))})


def test_broadcast_shapes():
    dynamic = run(tf.broadcast_dynamic_shape([2, 1, 3], [4, 1]))[0]
    assert dynamic.tolist() == [2, 4, 3]
    static = tf.broadcast_static_shape(tf.TensorShape([None, 1, 3]), tf.TensorShape([4, 1]))
    assert static.as_list() == [None, 4, 3]
    with pytest.raises(ValueError, match="Incompatible shapes for broadcasting"):
        tf.broadcast_static_shape(tf.TensorShape([2, 3]), tf.TensorShape([4]))
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match=r"incompatible shapes: \[2, 3\] vs. \[4\]"):
        sess.run(tf.broadcast_dynamic_shape([2, 3], [4]))


def test_meshgrid_matches_numpy_in_both_indexings():
    a, b, c = np.arange(3), np.arange(10, 12), np.arange(20, 24)
    for indexing in ("xy", "ij"):
        got = run(*tf.meshgrid(a, b, c, indexing=indexing))
        for g, e in zip(got, np.meshgrid(a, b, c, indexing=indexing)):
            np.testing.assert_array_equal(g, e)
    dynamic = tf.meshgrid(tf.placeholder(tf.float32, [None]), [1.0, 2.0])
    assert dynamic[0].shape.as_list() == [2, None]
    with pytest.raises(ValueError, match="indexing must be 'xy' or 'ij'"):
        tf.meshgrid([1], indexing="yx")


def test_linspace():
    values, one, ints = run(tf.linspace(0.0, 1.0, 5), tf.linspace(3.0, 1.0, 1),
                             tf.lin_space(0, 10, 3))
    np.testing.assert_array_equal(values, [0.0, 0.25, 0.5, 0.75, 1.0])
    assert one.tolist() == [3.0]  # TF: [3.]
    assert ints.dtype == np.float64 and ints.tolist() == [0.0, 5.0, 10.0]  # TF: float64
    long = run(tf.linspace(np.float64(-1.3), 2.9, tf.constant(37)))[0]
    np.testing.assert_allclose(long, np.linspace(-1.3, 2.9, 37), rtol=0, atol=1e-15)
    assert long[-1] == 2.9
    assert tf.linspace(0.0, 1.0, 5).shape.as_list() == [5]


def test_repeat():
    rows, flat, scalar_count = run(tf.repeat([[1, 2], [3, 4]], [1, 2], axis=0),
                                    tf.repeat([[1, 2], [3, 4]], 2),
                                    tf.repeat(np.arange(6).reshape(2, 3), 2, axis=-1))
    assert rows.tolist() == [[1, 2], [3, 4], [3, 4]]
    assert flat.tolist() == [1, 1, 2, 2, 3, 3, 4, 4]
    np.testing.assert_array_equal(scalar_count, np.repeat(np.arange(6).reshape(2, 3), 2, -1))
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="Repeat: repeats of shape"):
        sess.run(tf.repeat([1, 2, 3], [1, 2]))


def test_shape_n_parallel_stack_and_clip_by_average_norm():
    shapes = tf.shape_n([tf.zeros([2, 3]), tf.zeros([4])], out_type=tf.int64)
    got = run(*shapes, tf.parallel_stack([[1, 2], [3, 4]]),
               tf.clip_by_average_norm([[3.0, 4.0]], 1.0),
               tf.clip_by_average_norm([[3.0, 4.0]], 5.0))
    assert got[0].tolist() == [2, 3] and got[1].tolist() == [4] and got[0].dtype == np.int64
    assert got[2].tolist() == [[1, 2], [3, 4]]
    # average norm 5 / 2 = 2.5 > 1: scaled to 1 / 2.5; TF: [[1.2 1.6]]
    np.testing.assert_allclose(got[3], [[1.2, 1.6]], rtol=1e-6)
    np.testing.assert_allclose(got[4], [[3.0, 4.0]], rtol=1e-6)  # unchanged below the bound
    with pytest.raises(ValueError, match="parallel_stack needs fully defined"):
        tf.parallel_stack([tf.placeholder(tf.float32, [None])])


def test_ops_take_tf1_unique_names():
    g = tf.Graph()
    with g.as_default():
        first = tf.roll([1, 2], 1, 0)
        second = tf.roll([1, 2], 1, 0)
        named = tf.reverse_sequence([[1, 2]], [1], seq_axis=1, name="rev")
    assert (first.op.name, second.op.name, named.op.name) == ("Roll", "Roll_1", "rev")

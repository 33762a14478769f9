"""truncatediv, truncatemod, saturate_cast and tf.bitwise: values as TensorFlow 2.21
``compat.v1`` gives them (see tools/tf_array_ops_check.py), gradients and errors."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase
from tests.ops.array_op_helpers import assert_gradient_ok, run

RNG = np.random.RandomState(13)

GRADIENT_CASES = [
    # saturate_cast is clip_by_value then cast: differentiable inside the target's range
    GradCase("saturate_cast_float", lambda x: tf.cast(tf.saturate_cast(x * 1e3, tf.float32),
                                                      tf.float64),
             [RNG.randn(4)], delta=1e-3),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    assert_gradient_ok(case)


def test_truncating_division_rounds_toward_zero():
    x, y = [7, -7, 7, -7], [2, 2, -2, -2]
    div, mod, fdiv, fmod = run(tf.truncatediv(x, y), tf.truncatemod(x, y),
                               tf.truncatediv([7.0, -7.0], [2.0, 2.0]),
                               tf.truncatemod([7.5, -7.5], [2.0, 2.0]))
    assert div.tolist() == [3, -3, -3, 3] and mod.tolist() == [1, -1, 1, -1]  # TF
    assert fdiv.tolist() == [3.0, -3.0] and fmod.tolist() == [1.5, -1.5]  # TF
    a = RNG.randint(-50, 50, size=100)
    b = RNG.choice([-7, -3, -1, 1, 2, 5], size=100)
    got_div, got_mod = run(tf.truncatediv(a, b), tf.truncatemod(a, b))
    np.testing.assert_array_equal(got_div, np.trunc(a / b).astype(int))
    np.testing.assert_array_equal(got_div * b + got_mod, a)
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="TruncateDiv: integer division by zero"):
        sess.run(tf.truncatediv([7], [0]))


def test_truncating_division_has_tf1s_gradients():
    x = tf.constant([7.5, -3.0])
    assert tf.gradients(tf.truncatediv(x, 2.0), x) == [None]
    with pytest.raises(LookupError, match="No gradient defined.*TruncateMod"):
        tf.gradients(tf.truncatemod(x, 2.0), x)


def test_saturate_cast():
    to_uint8, to_int32, narrowing = run(
        tf.saturate_cast([-1.0, 300.0, 2.7, np.inf], tf.uint8),
        tf.saturate_cast([-1e10, 1e10, -2.7], tf.int32),
        tf.dtypes.saturate_cast(tf.constant([-5, 70000], tf.int32), tf.int16))
    assert to_uint8.tolist() == [0, 255, 2, 255]  # TF: [0 255 2 255]
    # float32 cannot hold 2**31 - 1: the largest float32 below it (TF: 2147483520)
    assert to_int32.tolist() == [-2147483648, 2147483520, -2]
    assert narrowing.dtype == np.int16 and narrowing.tolist() == [-5, 32767]


def test_bitwise_ops():
    a, b = tf.constant([12, -1], tf.int32), tf.constant([10, 5], tf.int32)
    got = run(tf.bitwise.bitwise_and(a, b), tf.bitwise.bitwise_or(a, b),
              tf.bitwise.bitwise_xor(a, b), tf.bitwise.invert(tf.constant([0, 5], tf.uint8)),
              tf.bitwise.invert(tf.constant([0, 5], tf.int8)))
    assert [g.tolist() for g in got] == [[8, 5], [14, -1], [6, -6], [255, 250], [-1, -6]]


def test_shift_amounts_out_of_range_are_clamped_as_in_tf1():
    left, right, unsigned = run(
        tf.bitwise.left_shift(tf.constant([1, -8, 1, 1], tf.int32),
                              tf.constant([3, 1, 40, -1], tf.int32)),
        tf.bitwise.right_shift(tf.constant([-8, 8, 8, -8], tf.int32),
                               tf.constant([1, 1, -1, 40], tf.int32)),
        tf.bitwise.right_shift(tf.constant([200], tf.uint8), tf.constant([9], tf.uint8)))
    assert left.tolist() == [8, -16, -2147483648, 1]  # TF: [8 -16 -2147483648 1]
    assert right.tolist() == [-4, 4, 8, -1]  # TF: [-4 4 8 -1]
    assert unsigned.tolist() == [1]  # TF: [1]


def test_bitwise_errors_and_namespace():
    with pytest.raises(TypeError, match="Invert.*needs an integer input, got float32"):
        tf.bitwise.invert(tf.constant([1.0]))
    with pytest.raises(TypeError, match="BitwiseAnd.*needs integer inputs"):
        tf.bitwise.bitwise_and(tf.constant([1.0]), tf.constant([1.0]))
    assert sorted(n for n in dir(tf.bitwise)) == ["bitwise_and", "bitwise_or", "bitwise_xor",
                                                  "invert", "left_shift", "right_shift"]
    assert tf.manip.roll is tf.roll and tf.manip.space_to_batch_nd is tf.space_to_batch_nd

"""space_to_batch(_nd), batch_to_space(_nd), required_space_to_batch_paddings and
tf.nn.with_space_to_batch: gradients, TF1's block and padding rules (values as TensorFlow
2.21 ``compat.v1`` gives them), shapes and errors."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase
from tests.ops.array_op_helpers import assert_gradient_ok, run

RNG = np.random.RandomState(9)
W = RNG.randn(3, 3, 2, 2)

GRADIENT_CASES = [
    GradCase("space_to_batch_nd_padded",
             lambda x: tf.space_to_batch_nd(x, [3, 2], [[1, 1], [0, 2]]), [RNG.randn(2, 4, 2, 1)],
             order=2),
    GradCase("batch_to_space_nd_cropped",
             lambda x: tf.batch_to_space_nd(x, [2, 1], [[1, 0], [0, 1]]), [RNG.randn(4, 2, 3, 2)]),
    GradCase("space_to_batch_4d", lambda x: tf.space_to_batch(x, [[0, 0], [1, 1]], 2),
             [RNG.randn(1, 2, 2, 1)]),
    GradCase("with_space_to_batch_conv",
             lambda x: tf.nn.with_space_to_batch(
                 x, [2, 2], "SAME", lambda inp, n, pad: tf.nn.conv2d(inp, W, [1, 1, 1, 1], pad),
                 filter_shape=[3, 3]), [RNG.randn(1, 5, 4, 2)]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    assert_gradient_ok(case)


def test_space_to_batch_moves_block_positions_into_the_batch():
    x = np.arange(16.0).reshape(1, 4, 4, 1)
    out = run(tf.space_to_batch_nd(x, [2, 2], [[0, 0], [0, 0]]))[0]
    # TF: batch entry (i, j) holds the entries at offset (i, j) of every 2x2 block
    assert out[..., 0].tolist() == [[[0, 2], [8, 10]], [[1, 3], [9, 11]],
                                    [[4, 6], [12, 14]], [[5, 7], [13, 15]]]
    padded = tf.space_to_batch_nd(x, [3, 2], [[1, 1], [0, 0]])
    assert padded.shape.as_list() == [6, 2, 2, 1]  # TF: [6 2 2 1]
    back = run(tf.batch_to_space_nd(padded, [3, 2], [[1, 1], [0, 0]]))[0]
    np.testing.assert_array_equal(back, x)
    assert tf.space_to_batch(x, [[0, 0], [0, 0]], block_size=2).shape.as_list() == [4, 2, 2, 1]
    np.testing.assert_array_equal(
        run(tf.batch_to_space(tf.space_to_batch(x, [[0, 0], [0, 2]], 2), [[0, 0], [0, 2]], 2))[0],
        x)


def test_remaining_dimensions_pass_through_and_unknown_sizes_stay_unknown():
    x = RNG.randn(2, 6, 3, 5)
    out = tf.space_to_batch_nd(x, [3], [[0, 0]])
    assert out.shape.as_list() == [6, 2, 3, 5]
    np.testing.assert_array_equal(run(tf.batch_to_space_nd(out, [3], [[0, 0]]))[0], x)
    dynamic = tf.space_to_batch_nd(tf.placeholder(tf.float32, [None, None, 4, 1]), [2, 2],
                                   [[0, 0], [0, 0]])
    assert dynamic.shape.as_list() == [None, None, 2, 1]


def test_block_and_padding_errors():
    x = np.ones((1, 4, 4, 1))
    with pytest.raises(ValueError, match=r"SpaceToBatchND.*padded size 4 of spatial axis 0.*"
                                         r"not divisible by the block size 3"):
        tf.space_to_batch_nd(x, [3, 2], [[0, 0], [0, 0]])
    with pytest.raises(ValueError, match=r"BatchToSpaceND.*batch size 3 .* not divisible by "
                                         r"the block count 4"):
        tf.batch_to_space_nd(np.ones((3, 2, 2, 1)), [2, 2], [[0, 0], [0, 0]])
    with pytest.raises(ValueError, match=r"SpaceToBatchND.*paddings of shape \[2, 2\], got "
                                         r"\(1, 2\)"):
        tf.space_to_batch_nd(x, [2, 2], [[0, 0]])
    with pytest.raises(ValueError, match="block_size must be greater than 1"):
        tf.space_to_batch(x, [[0, 0], [0, 0]], 1)
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="must be divisible by block_shape"):
        sess.run(tf.space_to_batch_nd(x, tf.placeholder_with_default([3, 3], [2]),
                                      [[0, 0], [0, 0]]))


def test_required_space_to_batch_paddings():
    plain, based = run(tf.required_space_to_batch_paddings([5, 7], [2, 3]),
                       tf.required_space_to_batch_paddings([5, 7], [2, 3],
                                                           base_paddings=[[1, 0], [0, 2]]))
    assert plain[0].tolist() == [[0, 1], [0, 2]] and plain[1].tolist() == [[0, 1], [0, 2]]
    assert based[0].tolist() == [[1, 0], [0, 2]] and based[1].tolist() == [[0, 0], [0, 0]]


def test_with_space_to_batch_is_a_dilated_op():
    x = RNG.randn(2, 7, 6, 2)
    conv = tf.nn.with_space_to_batch(
        x, [2, 3], "SAME", lambda inp, n, pad: tf.nn.conv2d(inp, W, [1, 1, 1, 1], pad),
        filter_shape=[3, 3])
    dilated = tf.nn.conv2d(x, W, [1, 1, 1, 1], "SAME", dilations=[1, 2, 3, 1])
    got, expected = run(conv, dilated)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)
    calls = []
    tf.nn.with_space_to_batch(x, [1, 1], "VALID", lambda inp, n, pad: calls.append((n, pad)))
    assert calls == [(2, "VALID")]  # a rate of ones calls the op directly
    with pytest.raises(ValueError, match="padding 'SAME' needs a filter_shape"):
        tf.nn.with_space_to_batch(x, [2, 2], "SAME", lambda *a: None)

"""The tf.nn convolution-family cases compared with TensorFlow 1's values.

Each case builds its outputs from a TF1-style module ``tf`` (staticgraph or
``tensorflow.compat.v1``) and float64 inputs drawn from a seeded RandomState, so that
``tools/make_conv_fixtures.py`` (run with TensorFlow) and the tests (run with staticgraph)
build the same graphs. Every case fetches the op's value and the gradients of
``sum(y * seed)`` w.r.t. each input. Only NumPy is imported here.
"""
import numpy as np


def _inputs(seed, *shapes):
    rng = np.random.RandomState(seed)
    return [rng.randn(*shape) for shape in shapes]


def _ties(seed, *shape):
    """Small integers: max-pooling windows with ties (which input gets the gradient)."""
    return np.random.RandomState(seed).randint(0, 3, size=shape).astype(np.float64)


# name: (inputs, function of (tf, *input tensors) -> output tensor)
CASES = {
    "conv1d_same_stride2": (_inputs(1, (2, 9, 3), (3, 3, 4)),
                            lambda tf, x, w: tf.nn.conv1d(x, w, 2, "SAME")),
    "conv1d_valid": (_inputs(2, (2, 10, 2), (3, 2, 3)),
                     lambda tf, x, w: tf.nn.conv1d(x, w, [1, 1, 1], "VALID")),
    "conv1d_transpose_same": (_inputs(3, (2, 5, 4), (3, 3, 4)),
                              lambda tf, x, w: tf.nn.conv1d_transpose(x, w, [2, 9, 3], 2)),
    "conv1d_transpose_valid": (_inputs(4, (1, 4, 2), (3, 3, 2)),
                               lambda tf, x, w: tf.nn.conv1d_transpose(
                                   x, w, [1, 9, 3], [1, 2, 1], "VALID")),
    "conv2d_transpose_valid_odd": (_inputs(5, (1, 3, 3, 4), (3, 3, 2, 4)),
                                   lambda tf, x, w: tf.nn.conv2d_transpose(
                                       x, w, [1, 7, 7, 2], [1, 2, 2, 1], "VALID")),
    "conv2d_transpose_same_odd": (_inputs(6, (2, 4, 3, 3), (2, 3, 2, 3)),
                                  lambda tf, x, w: tf.nn.conv2d_transpose(
                                      x, w, [2, 7, 5, 2], [1, 2, 2, 1], "SAME")),
    "depthwise_same_stride2": (_inputs(7, (2, 7, 6, 3), (3, 3, 3, 2)),
                               lambda tf, x, w: tf.nn.depthwise_conv2d(
                                   x, w, [1, 2, 2, 1], "SAME")),
    "depthwise_valid_rate2": (_inputs(8, (1, 8, 7, 2), (2, 3, 2, 3)),
                              lambda tf, x, w: tf.nn.depthwise_conv2d(
                                  x, w, [1, 1, 1, 1], "VALID", rate=[2, 2])),
    "depthwise_native_same": (_inputs(9, (1, 5, 5, 2), (3, 3, 2, 1)),
                              lambda tf, x, w: tf.nn.depthwise_conv2d_native(
                                  x, w, [1, 1, 1, 1], "SAME")),
    "separable_same": (_inputs(10, (2, 6, 5, 3), (3, 3, 3, 2), (1, 1, 6, 4)),
                       lambda tf, x, d, p: tf.nn.separable_conv2d(
                           x, d, p, [1, 1, 1, 1], "SAME")),
    "separable_valid_stride2": (_inputs(11, (1, 7, 7, 2), (3, 3, 2, 1), (1, 1, 2, 3)),
                                lambda tf, x, d, p: tf.nn.separable_conv2d(
                                    x, d, p, [1, 2, 2, 1], "VALID")),
    "max_pool2d_same_ties": ([_ties(12, 2, 7, 5, 3)],
                             lambda tf, x: tf.nn.max_pool2d(x, 3, 2, "SAME")),
    "max_pool2d_tiles_ties": ([_ties(13, 2, 6, 6, 2)],
                              lambda tf, x: tf.nn.max_pool2d(x, [2, 2], [2, 2], "VALID")),
    "avg_pool2d_same": (_inputs(14, (2, 7, 5, 3)),
                        lambda tf, x: tf.nn.avg_pool2d(x, [1, 3, 2, 1], [1, 2, 2, 1], "SAME")),
    "max_pool1d_same_ties": ([_ties(15, 2, 9, 3)],
                             lambda tf, x: tf.nn.max_pool1d(x, 2, 2, "SAME")),
    "avg_pool1d_valid": (_inputs(16, (2, 9, 3)),
                         lambda tf, x: tf.nn.avg_pool1d(x, [1, 3, 1], [1, 2, 1], "VALID")),
    "pool_max_1d": ([_ties(17, 1, 8, 2)],
                    lambda tf, x: tf.nn.pool(x, [3], "MAX", "SAME", strides=[2])),
    "pool_avg_2d": (_inputs(18, (1, 6, 7, 2)),
                    lambda tf, x: tf.nn.pool(x, [2, 3], "AVG", "SAME", strides=[2, 2])),
}


def build(tf, name):
    """Placeholders, the fetches [y, d sum(y*seed)/d input...] and the feed of case
    ``name``; the seed is random normal like the inputs."""
    arrays, fn = CASES[name]
    inputs = [tf.placeholder(tf.float64, a.shape) for a in arrays]
    y = fn(tf, *inputs)
    seed_value = np.random.RandomState(99).randn(*[int(d) for d in y.shape])
    grads = tf.gradients(tf.reduce_sum(y * seed_value), inputs)
    return [y, *grads], dict(zip(inputs, arrays))

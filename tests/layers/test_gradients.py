"""Every tf.layers / tf.contrib.layers layer with weights: reverse- and forward-mode
derivatives w.r.t. its input and each weight match central finite differences (float64).

The weights are fed as placeholders through a custom getter of the enclosing variable
scope, so the layers build exactly as usual while the checker varies their values.
"""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import check_function

RNG = np.random.RandomState(0)


def uniform(*shape):
    return RNG.uniform(-1, 1, shape)


def gradient_error(make_output, x, weights):
    """Largest Jacobian disagreement of ``make_output(x)`` w.r.t. x and ``weights``."""
    names = list(weights)

    def build(x_ph, *weight_phs):
        by_name = dict(zip(names, weight_phs))

        def getter(getter, name, *args, **kwargs):
            short = name.rsplit("/", 1)[-1]
            return by_name[short] if short in by_name else getter(name, *args, **kwargs)

        with tf.variable_scope("checked", custom_getter=getter):
            return make_output(x_ph)

    return check_function(build, [x, *weights.values()]).max_error


CASES = {
    "dense": (lambda x: tf.layers.dense(x, 3, activation=tf.tanh), uniform(2, 4),
              {"kernel": uniform(4, 3), "bias": uniform(3)}),
    "dense_rank3": (lambda x: tf.layers.Dense(2)(x), uniform(2, 3, 4),
                    {"kernel": uniform(4, 2), "bias": uniform(2)}),
    "conv2d_valid_strided": (lambda x: tf.layers.conv2d(x, 2, 3, strides=2), uniform(1, 5, 5, 2),
                             {"kernel": uniform(3, 3, 2, 2), "bias": uniform(2)}),
    "conv2d_same_dilated": (lambda x: tf.layers.conv2d(x, 1, 2, padding="same",
                                                       dilation_rate=2),
                            uniform(1, 4, 4, 2), {"kernel": uniform(2, 2, 2, 1),
                                                  "bias": uniform(1)}),
    "conv2d_channels_first": (lambda x: tf.layers.conv2d(x, 2, 2,
                                                         data_format="channels_first"),
                              uniform(1, 2, 3, 3), {"kernel": uniform(2, 2, 2, 2),
                                                    "bias": uniform(2)}),
    "conv1d": (lambda x: tf.layers.conv1d(x, 2, 3, padding="same"), uniform(2, 5, 2),
               {"kernel": uniform(3, 2, 2), "bias": uniform(2)}),
    "conv2d_transpose_valid": (lambda x: tf.layers.conv2d_transpose(x, 2, 3, strides=2),
                               uniform(1, 2, 2, 2), {"kernel": uniform(3, 3, 2, 2),
                                                     "bias": uniform(2)}),
    "conv2d_transpose_same": (lambda x: tf.layers.conv2d_transpose(
        x, 1, 2, strides=(2, 1), padding="same"), uniform(1, 2, 3, 2),
        {"kernel": uniform(2, 2, 1, 2), "bias": uniform(1)}),
    "batch_norm_training": (lambda x: tf.layers.batch_normalization(x, training=True),
                            uniform(4, 3), {"gamma": uniform(3), "beta": uniform(3)}),
    "batch_norm_training_images": (
        lambda x: tf.layers.batch_normalization(x, training=True),
        uniform(2, 2, 2, 2), {"gamma": uniform(2), "beta": uniform(2)}),
    "batch_norm_channels_first": (
        lambda x: tf.layers.batch_normalization(x, axis=1, training=True, fused=False),
        uniform(2, 2, 3), {"gamma": uniform(2), "beta": uniform(2)}),
    "batch_norm_inference": (
        lambda x: tf.layers.batch_normalization(x, training=False), uniform(3, 2),
        {"gamma": uniform(2), "beta": uniform(2), "moving_mean": uniform(2),
         "moving_variance": RNG.uniform(0.5, 2, 2)}),
    "contrib_fully_connected": (
        lambda x: tf.contrib.layers.fully_connected(x, 3), uniform(2, 4),
        {"weights": uniform(4, 3), "biases": uniform(3)}),
    "contrib_conv2d": (lambda x: tf.contrib.layers.conv2d(x, 2, 2, activation_fn=tf.tanh),
                       uniform(1, 3, 3, 2), {"weights": uniform(2, 2, 2, 2),
                                             "biases": uniform(2)}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_gradient(name):
    make_output, x, weights = CASES[name]
    assert gradient_error(make_output, x, weights) < 1e-6


def test_weights_are_fed_through_the_custom_getter():
    """The Jacobian w.r.t. the fed kernel is the one of x · kernel: d y[b, j] / d k[i, j]
    is x[b, i], so the checked derivatives are those of the real weights."""
    x, kernel = uniform(2, 4), uniform(4, 3)

    def build(x_ph, k_ph):
        def getter(getter, name, *args, **kwargs):
            return k_ph if name.endswith("kernel") else getter(name, *args, **kwargs)
        with tf.variable_scope("checked", custom_getter=getter):
            return tf.layers.dense(x_ph, 3, use_bias=False)

    result = check_function(build, [x, kernel])
    assert result.max_error < 1e-6
    np.testing.assert_allclose(result.numeric[1].reshape(2, 3, 4, 3)[0, :, :, :].sum(),
                               x[0].sum() * 3, rtol=1e-6)

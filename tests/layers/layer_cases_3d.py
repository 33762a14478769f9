"""3-D and separable layer models written once for TensorFlow
(``tools/tf_layers3d_fixtures.py`` records what TF 1's ``compat.v1`` layers give) and
staticgraph (``test_tf_fixtures_3d.py`` compares), run by ``layer_cases.run_case``."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from tests.layers.layer_cases import X3, X4, Built, weights

X5 = np.random.RandomState(4321).uniform(-1, 1, (2, 5, 6, 4, 3)).astype(np.float32)


def convolutions_3d(tf: Any) -> Built:
    x = tf.constant(X5)
    init = tf.constant_initializer
    valid = tf.layers.conv3d(x, 2, 3, kernel_initializer=init(weights(3, 3, 3, 3, 2)),
                             bias_initializer=init(0.1), kernel_regularizer=tf.nn.l2_loss)
    same = tf.layers.conv3d(x, 2, (3, 2, 3), strides=2, padding="same", activation=tf.nn.relu,
                            kernel_initializer=init(weights(3, 2, 3, 3, 2, seed=1)))
    dilated = tf.layers.Conv3D(1, 2, dilation_rate=(2, 1, 2), name="dilated",
                               kernel_initializer=init(weights(2, 2, 2, 3, 1, seed=2)))(x)
    shared = tf.layers.conv3d(x, 2, 3, name="conv3d", reuse=True)
    up_valid = tf.layers.conv3d_transpose(valid, 3, (2, 3, 2), strides=(2, 1, 2),
                                          kernel_initializer=init(weights(2, 3, 2, 3, 2,
                                                                          seed=3)))
    up_same = tf.layers.conv3d_transpose(valid, 2, 3, strides=2, padding="same",
                                         kernel_initializer=init(weights(3, 3, 3, 2, 2,
                                                                         seed=4)))
    return Built({"valid": valid, "same": same, "dilated": dilated, "shared": shared,
                  "up_valid": up_valid, "up_same": up_same,
                  "reg_total": tf.losses.get_regularization_loss()})


def pooling_3d(tf: Any) -> Built:
    x = tf.constant(X5)
    return Built({
        "max_valid": tf.layers.max_pooling3d(x, 2, 2),
        "max_same": tf.layers.max_pooling3d(x, (3, 2, 2), (2, 3, 1), padding="same"),
        "avg_valid": tf.layers.average_pooling3d(x, (2, 3, 2), 1),
        "avg_same": tf.layers.AveragePooling3D(3, 2, padding="same")(x),
    })


def separable(tf: Any) -> Built:
    init = tf.constant_initializer
    image, steps = tf.constant(X4), tf.constant(X3)
    valid = tf.layers.separable_conv2d(
        image, 4, 3, depth_multiplier=2, depthwise_initializer=init(weights(3, 3, 3, 2)),
        pointwise_initializer=init(weights(1, 1, 6, 4, seed=1)), bias_initializer=init(0.2),
        depthwise_regularizer=tf.nn.l2_loss, pointwise_regularizer=tf.nn.l2_loss)
    same = tf.layers.separable_conv2d(
        image, 2, (3, 2), strides=2, padding="same", activation=tf.nn.relu,
        depthwise_initializer=init(weights(3, 2, 3, 1, seed=2)),
        pointwise_initializer=init(weights(1, 1, 3, 2, seed=3)))
    dilated = tf.layers.SeparableConv2D(
        2, 2, dilation_rate=2, name="dilated_sep",
        depthwise_initializer=init(weights(2, 2, 3, 1, seed=4)),
        pointwise_initializer=init(weights(1, 1, 3, 2, seed=5)))(image)
    again = tf.layers.separable_conv2d(image, 4, 3, depth_multiplier=2,
                                       name="separable_conv2d", reuse=True)
    one_d = tf.layers.separable_conv1d(
        steps, 2, 3, strides=2, padding="same", depth_multiplier=2,
        depthwise_initializer=init(weights(3, 3, 2, seed=6)),
        pointwise_initializer=init(weights(1, 6, 2, seed=7)))
    one_d_valid = tf.layers.SeparableConv1D(
        3, 2, dilation_rate=2, use_bias=False,
        depthwise_initializer=init(weights(2, 3, 1, seed=8)),
        pointwise_initializer=init(weights(1, 3, 3, seed=9)))(steps)
    return Built({"valid": valid, "same": same, "dilated": dilated, "again": again,
                  "one_d": one_d, "one_d_valid": one_d_valid,
                  "reg_losses": tf.losses.get_regularization_losses()})


CASES: dict[str, Callable[[Any], Built]] = {
    f.__name__: f for f in (convolutions_3d, pooling_3d, separable)}

# Public names whose signatures (parameter names, order and simple defaults) are compared.
SIGNATURES = ["Conv3D", "Conv3DTranspose", "MaxPooling3D", "AveragePooling3D",
              "SeparableConv1D", "SeparableConv2D", "conv3d", "conv3d_transpose",
              "max_pooling3d", "average_pooling3d", "separable_conv1d", "separable_conv2d"]

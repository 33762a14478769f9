"""Layer models written once for both TensorFlow (``tools/tf_layers_fixtures.py`` records
what TF 1's ``compat.v1`` layers give) and staticgraph (``test_tf_fixtures.py`` compares).

Each case takes the ``tf`` module and returns a :class:`Built`: tensors to fetch, feeds,
and update ops to run once after fetching (then every global variable is read). Weights
come from fixed constant initializers, so the numbers are comparable.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

RNG = np.random.RandomState(1234)
X2 = RNG.uniform(-1, 1, (4, 5)).astype(np.float32)
X3 = RNG.uniform(-1, 1, (2, 6, 3)).astype(np.float32)
X4 = RNG.uniform(-1, 1, (2, 6, 7, 3)).astype(np.float32)


def weights(*shape: int, seed: int = 0) -> np.ndarray:
    """Fixed weights of ``shape`` (different per ``seed``)."""
    return np.random.RandomState(seed).uniform(-0.5, 0.5, shape).astype(np.float32)


@dataclass
class Built:
    """What a case built: fetches by name, feeds, update ops, and ``named``: tensors or ops
    whose names (name scopes) are compared, or strings such as a layer's name."""

    fetches: dict
    feeds: dict = field(default_factory=dict)
    updates: list = field(default_factory=list)
    named: dict = field(default_factory=dict)


def dense_names(tf: Any) -> Built:
    x = tf.constant(X2)
    a = tf.layers.dense(x, 3, kernel_initializer=tf.constant_initializer(weights(5, 3)))
    b = tf.layers.dense(a, 2, activation=tf.nn.relu, name="fc",
                        kernel_initializer=tf.constant_initializer(weights(3, 2, seed=1)),
                        bias_initializer=tf.constant_initializer(0.25))
    c = tf.layers.dense(a, 2, name="fc", reuse=True)
    with tf.variable_scope("outer"):
        d = tf.layers.dense(x, 4, use_bias=False)
    with tf.variable_scope("outer", reuse=True):
        e = tf.layers.dense(x, 4, use_bias=False)
    layer = tf.layers.Dense(2, name="shared")
    f, g = layer(a), layer(a)
    h = tf.layers.Dense(2, name="shared")(a)
    return Built({"a": a, "b": b, "c": c, "d_equals_e": tf.reduce_all(tf.equal(d, e)),
                  "f_equals_g": tf.reduce_all(tf.equal(f, g)), "h_shape": tf.shape(h)})


def dense_rank3_and_regularizers(tf: Any) -> Built:
    x = tf.constant(X3)
    y = tf.layers.dense(x, 4, kernel_initializer=tf.constant_initializer(weights(3, 4)),
                        bias_initializer=tf.constant_initializer(weights(4, seed=2)),
                        kernel_regularizer=tf.nn.l2_loss,
                        bias_regularizer=lambda b: tf.reduce_sum(tf.abs(b)),
                        activity_regularizer=lambda t: tf.reduce_sum(t * t))
    frozen = tf.layers.dense(y, 2, trainable=False)
    return Built({"y": y, "frozen_shape": tf.shape(frozen),
                  "reg_losses": tf.losses.get_regularization_losses(),
                  "reg_total": tf.losses.get_regularization_loss()})


def convolutions(tf: Any) -> Built:
    x = tf.constant(X4)
    init = tf.constant_initializer
    valid = tf.layers.conv2d(x, 2, 3, kernel_initializer=init(weights(3, 3, 3, 2)),
                             bias_initializer=init(0.1))
    same = tf.layers.conv2d(x, 2, (3, 2), strides=2, padding="same",
                            kernel_initializer=init(weights(3, 2, 3, 2, seed=1)))
    dilated = tf.layers.conv2d(x, 1, 2, dilation_rate=2, activation=tf.nn.relu,
                               kernel_initializer=init(weights(2, 2, 3, 1, seed=2)))
    layer = tf.layers.Conv2D(3, 3, padding="same", name="block",
                             kernel_initializer=init(weights(3, 3, 3, 3, seed=5)))
    twice = layer(layer(x))
    up_valid = tf.layers.conv2d_transpose(valid, 3, 3, strides=2,
                                          kernel_initializer=init(weights(3, 3, 3, 2, seed=3)))
    up_same = tf.layers.conv2d_transpose(valid, 2, (2, 3), strides=(2, 1), padding="same",
                                         kernel_initializer=init(weights(2, 3, 2, 2, seed=4)))
    steps = tf.constant(X3)
    conv1 = tf.layers.conv1d(steps, 2, 3, padding="same", strides=2,
                             kernel_initializer=init(weights(3, 3, 2, seed=6)))
    return Built({"valid": valid, "same": same, "dilated": dilated, "block": twice,
                  "up_valid": up_valid, "up_same": up_same, "conv1d": conv1})


def pooling_and_flatten(tf: Any) -> Built:
    x = tf.constant(X4)
    steps = tf.constant(X3)
    return Built({
        "max_valid": tf.layers.max_pooling2d(x, 2, 2),
        "max_same": tf.layers.max_pooling2d(x, (3, 2), (2, 3), padding="same"),
        "avg_valid": tf.layers.average_pooling2d(x, (2, 3), 1),
        "avg_same": tf.layers.average_pooling2d(x, 3, 2, padding="same"),
        "max1d": tf.layers.max_pooling1d(steps, 2, 2),
        "avg1d": tf.layers.average_pooling1d(steps, 3, 2, padding="same"),
        "flat": tf.layers.flatten(x),
        "flat_class": tf.layers.Flatten()(steps),
    })


def _bn_inits(tf: Any, n: int) -> dict:
    init = tf.constant_initializer
    return {"gamma_initializer": init(1 + weights(n, seed=7)),
            "beta_initializer": init(weights(n, seed=8))}


def batch_norm_training(tf: Any) -> Built:
    flat = tf.layers.batch_normalization(tf.constant(X2), training=True, **_bn_inits(tf, 5))
    image = tf.layers.batch_normalization(tf.constant(X4), training=True, momentum=0.5,
                                          **_bn_inits(tf, 3))
    unfused = tf.layers.batch_normalization(tf.constant(X4), training=True, momentum=0.5,
                                            fused=False, epsilon=0.1)
    channels_first = tf.layers.batch_normalization(tf.constant(X4), axis=1, training=True,
                                                   center=False, scale=False)
    return Built({"flat": flat, "image": image, "unfused": unfused,
                  "channels_first": channels_first},
                 updates=tf.get_collection(tf.GraphKeys.UPDATE_OPS))


def batch_norm_switch(tf: Any) -> Built:
    training = tf.placeholder(tf.bool, [])
    x = tf.constant(X2)
    inference = tf.layers.batch_normalization(
        x, training=False, moving_mean_initializer=tf.constant_initializer(0.5),
        moving_variance_initializer=tf.constant_initializer(2.0))
    switched = tf.layers.batch_normalization(x, training=training, momentum=0.9)
    layer = tf.layers.BatchNormalization(name="bn")
    called = layer(x, training=True)
    return Built({"inference": inference, "switched": switched, "called": called,
                  "n_updates": tf.constant(len(tf.get_collection(tf.GraphKeys.UPDATE_OPS))),
                  "layer_updates": tf.constant(len(layer.updates))},
                 feeds={training: True},
                 updates=tf.get_collection(tf.GraphKeys.UPDATE_OPS))


def batch_norm_switch_off(tf: Any) -> Built:
    training = tf.placeholder(tf.bool, [])
    switched = tf.layers.batch_normalization(tf.constant(X2), training=training)
    return Built({"switched": switched}, feeds={training: False},
                 updates=tf.get_collection(tf.GraphKeys.UPDATE_OPS))


def scopes(tf: Any) -> Built:
    x = tf.placeholder(tf.float32, [None, 3])
    with tf.name_scope("foo"):
        a = tf.layers.dense(x, 2)
    with tf.variable_scope("outer"):
        b = tf.layers.dense(x, 2)
        b2 = tf.layers.dense(x, 2)
    c = tf.layers.dense(x, 2)
    with tf.variable_scope(None, default_name="block"):
        d = tf.layers.batch_normalization(x, training=True)
    with tf.variable_scope(None, default_name="block"):
        e = tf.layers.conv2d(tf.reshape(x, [-1, 1, 3, 1]), 1, 1)
    layer = tf.layers.Dense(2)
    with tf.name_scope("bar"):
        f = layer(x)
    g = layer(x)
    return Built({"g_shape": tf.shape(g)}, feeds={x: X2[:, :3]},
                 named={"layer_scope": layer.scope_name, "layer_name": layer.name,
                        "a": a, "b": b, "b2": b2, "c": c, "e": e, "f": f, "g": g,
                        "updates": d.op.graph.get_collection(tf.GraphKeys.UPDATE_OPS)[0]})


def dropout_off(tf: Any) -> Built:
    x = tf.constant(X2)
    return Built({"off": tf.layers.dropout(x, 0.3),
                  "class_off": tf.layers.Dropout(0.9)(x, training=False)})


CASES: dict[str, Callable[[Any], Built]] = {
    f.__name__: f for f in (dense_names, dense_rank3_and_regularizers, convolutions,
                            pooling_and_flatten, batch_norm_training, batch_norm_switch,
                            batch_norm_switch_off, scopes, dropout_off)}

# Public names whose signatures (parameter names, order and simple defaults) are compared.
SIGNATURES = ["dense", "dropout", "flatten", "conv1d", "conv2d", "conv2d_transpose",
              "max_pooling1d", "max_pooling2d", "average_pooling1d", "average_pooling2d",
              "batch_normalization", "Dense", "Dropout", "Flatten", "Conv1D", "Conv2D",
              "Conv2DTranspose", "MaxPooling1D", "MaxPooling2D", "AveragePooling1D",
              "AveragePooling2D", "BatchNormalization"]


def _rounded(value: Any) -> Any:
    """A JSON-able value, floats rounded to 6 decimals (keeps the fixture small)."""
    value = np.asarray(value)
    return (value.round(6) if value.dtype.kind == "f" else value).tolist()


def run_case(tf: Any, name: str, cases: dict | None = None) -> dict:
    """Builds case ``name`` (of ``cases``, default :data:`CASES`) in a new graph and
    returns its fetched values, the global variables (name, shape, trainable) and their
    values after the updates ran."""
    with tf.Graph().as_default():
        built = (CASES if cases is None else cases)[name](tf)
        variables = tf.global_variables()
        trainable = set(v.name for v in tf.trainable_variables())
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            values = sess.run(built.fetches, built.feeds)
            if built.updates:
                sess.run(built.updates, built.feeds)
            after = sess.run(variables)
    return {"names": {k: getattr(t, "name", t) for k, t in built.named.items()},
            "fetches": {k: _rounded(v) for k, v in values.items()},
            "variables": [[v.name, [int(d) for d in v.shape], v.name in trainable]
                          for v in variables],
            "after_updates": {v.name: _rounded(a) for v, a in zip(variables, after)}}

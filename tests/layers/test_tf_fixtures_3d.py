"""staticgraph's 3-D and separable tf.layers against TensorFlow's compat.v1 layers
(recorded by tools/tf_layers3d_fixtures.py): variable names, shapes and trainability,
outputs and regularization losses for fixed weights, and the public signatures; plus
channels_first (which TF's CPU kernels refuse in 3-D) against channels_last and the
gradients of a separable layer's weights."""
import json
import pathlib

import numpy as np
import pytest

import staticgraph as tf
from tests.layers.layer_cases import run_case
from tests.layers.layer_cases_3d import CASES, SIGNATURES, X5
from tests.layers.test_tf_fixtures import check_case, check_signature

FIXTURE = json.loads((pathlib.Path(__file__).parent / "fixtures" / "tf_layers_3d.json")
                     .read_text())


def test_fixture_covers_every_case():
    assert sorted(FIXTURE["cases"]) == sorted(CASES)
    assert sorted(FIXTURE["signatures"]) == sorted(SIGNATURES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_matches_tensorflow(name):
    check_case(name, FIXTURE["cases"][name], run_case(tf, name, CASES))


@pytest.mark.parametrize("name", SIGNATURES)
def test_signature_matches_tensorflow(name):
    check_signature(name, FIXTURE["signatures"][name])


def test_channels_first_equals_channels_last():
    first = np.transpose(X5, [0, 4, 1, 2, 3])
    init = tf.constant_initializer(np.random.RandomState(0).randn(2, 3, 2, 3, 4))
    last = tf.layers.conv3d(X5, 4, (2, 3, 2), strides=2, padding="same",
                            kernel_initializer=init, name="last")
    chan = tf.layers.conv3d(first, 4, (2, 3, 2), strides=2, padding="same",
                            data_format="channels_first", kernel_initializer=init, name="first")
    pooled = tf.layers.max_pooling3d(first, 2, 2, data_format="channels_first")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b, p = sess.run([last, chan, pooled])
    np.testing.assert_allclose(np.transpose(b, [0, 2, 3, 4, 1]), a, rtol=1e-5, atol=1e-6)
    with tf.Session() as sess:
        want = sess.run(tf.nn.max_pool3d(X5, 2, 2, "VALID"))
    np.testing.assert_array_equal(np.transpose(p, [0, 2, 3, 4, 1]), want)


def test_separable_layer_trains_its_three_weights():
    x = tf.placeholder(tf.float32, [None, 6, 7, 3])
    y = tf.layers.separable_conv2d(x, 2, 3, depth_multiplier=2, name="sep")
    grads = tf.gradients(tf.reduce_sum(y * y), tf.trainable_variables())
    assert [g.shape.as_list() for g in grads] == [[3, 3, 3, 2], [1, 1, 6, 2], [2]]
    with pytest.raises(ValueError, match="channel dimension of the inputs to sep_1"):
        tf.layers.separable_conv2d(tf.placeholder(tf.float32, [None, 6, 7, None]), 2, 3,
                                   name="sep_1")

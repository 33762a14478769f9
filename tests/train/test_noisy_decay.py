"""tf.train.noisy_linear_cosine_decay: TF's formula, its noise's variance, seeding."""
import math

import numpy as np
import pytest

import staticgraph as tf


def noise_free(step, decay_steps, num_periods=0.5, alpha=0.0, beta=0.001):
    s = min(step, decay_steps)
    linear = (decay_steps - s) / decay_steps
    cosine = 0.5 * (1 + math.cos(2 * math.pi * num_periods * s / decay_steps))
    return linear, cosine, (alpha + linear) * cosine + beta


def test_zero_variance_is_linear_cosine_decay():
    with tf.Graph().as_default():
        step = tf.placeholder(tf.int64, [])
        noisy = tf.train.noisy_linear_cosine_decay(0.5, step, 10, initial_variance=0.0,
                                                   alpha=0.1, beta=0.01)
        plain = tf.train.linear_cosine_decay(0.5, step, 10, alpha=0.1, beta=0.01)
        assert noisy.name == "NoisyLinearCosineDecay:0" and noisy.dtype == tf.float32
        with tf.Session() as sess:
            for s in [0, 3, 10, 15]:
                a, b = sess.run([noisy, plain], {step: s})
                np.testing.assert_allclose(a, b, rtol=1e-6)
                np.testing.assert_allclose(a, 0.5 * noise_free(s, 10, 0.5, 0.1, 0.01)[2],
                                           rtol=1e-6)


@pytest.mark.parametrize("step", [0, 4])
def test_noise_has_tf_variance(step):
    tf.reset_default_graph()
    tf.set_random_seed(7)
    lr = tf.train.noisy_linear_cosine_decay(tf.constant(1.0, tf.float64),
                                            tf.constant(step), 10, initial_variance=2.0)
    linear, cosine, _ = noise_free(step, 10)
    with tf.Session() as sess:
        samples = np.array([sess.run(lr) for _ in range(2000)])
    eps = (samples - 0.001) / cosine - linear
    variance = 2.0 / (1.0 + step) ** 0.55
    assert abs(eps.mean()) < 4 * math.sqrt(variance / 2000)
    assert abs(eps.var() / variance - 1) < 0.15


def test_graph_seed_makes_it_reproducible():
    def draws():
        with tf.Graph().as_default():
            tf.set_random_seed(3)
            lr = tf.train.noisy_linear_cosine_decay(1.0, tf.constant(2), 10)
            with tf.Session() as sess:
                return [sess.run(lr) for _ in range(3)]
    first = draws()
    assert first == draws() and len(set(first)) == 3


def test_global_step_is_required():
    with pytest.raises(ValueError, match="global_step is required"):
        tf.train.noisy_linear_cosine_decay(1.0, None, 10)

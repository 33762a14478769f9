"""The learning-rate schedules beyond the TF1 fixture: documented formulas and errors."""
import math

import numpy as np
import pytest

import staticgraph as tf


def values(rate, step, steps):
    with tf.Session() as sess:
        return [float(sess.run(rate, {step: s})) for s in steps]


def test_polynomial_decay_cycle_restarts_from_the_next_multiple():
    step = tf.placeholder(tf.int64, [])
    rate = tf.train.polynomial_decay(tf.constant(1.0, tf.float64), step, 10, 0.0, 1.0,
                                     cycle=True)
    # decay_steps becomes 10·ceil(step/10): step 15 is half way through 20 steps
    assert values(rate, step, [0, 5, 10, 15]) == pytest.approx([1.0, 0.5, 0.0, 0.25])


def test_cosine_decay_restarts_periods_grow_by_t_mul():
    step = tf.placeholder(tf.int64, [])
    rate = tf.train.cosine_decay_restarts(tf.constant(1.0, tf.float64), step, 4, t_mul=2.0,
                                          m_mul=0.5)
    got = values(rate, step, [0, 2, 4, 8, 12])
    # periods: [0, 4), [4, 12), [12, 28); each starts at m_mul^i
    assert got == pytest.approx([1.0, 0.5, 0.5, 0.25, 0.25])


def test_linear_cosine_decay_formula():
    step = tf.placeholder(tf.int64, [])
    rate = tf.train.linear_cosine_decay(tf.constant(2.0, tf.float64), step, 10,
                                        num_periods=1.0, alpha=0.1, beta=0.01)
    s = 3
    expected = 2.0 * ((0.1 + 0.7) * 0.5 * (1 + math.cos(2 * math.pi * 0.3)) + 0.01)
    assert values(rate, step, [s]) == pytest.approx([expected])


def test_schedules_need_a_global_step_and_keep_the_rate_dtype():
    with pytest.raises(ValueError, match="global_step is required for cosine_decay"):
        tf.train.cosine_decay(0.1, None, 10)
    rate = tf.train.natural_exp_decay(np.float64(0.1), tf.constant(3), 10, 0.5)
    assert rate.dtype == tf.float64 and rate.op.name.startswith("NaturalExpDecay")
    assert tf.train.piecewise_constant_decay is tf.train.piecewise_constant

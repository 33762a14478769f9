"""tf.ConditionalAccumulator: mean of fresh gradients, stale ones dropped, step
handling and a take_grad waiting for a worker thread (the sequence of values below is
what TF 2.21's compat.v1 gives on the same runs)."""
import threading

import numpy as np
import pytest

import staticgraph as tf


def _accumulator(**kwargs):
    acc = tf.ConditionalAccumulator(tf.float32, shape=[2], **kwargs)
    grad, step = tf.placeholder(tf.float32, [2]), tf.placeholder(tf.int64, [])
    return acc, grad, step, acc.apply_grad(grad, step)


def test_mean_stale_gradients_and_global_step():
    acc, grad, step, apply = _accumulator()
    take, count = acc.take_grad(2), acc.num_accumulated()
    assert take.shape.as_list() == [2] and count.dtype == tf.int32
    with tf.Session() as sess:
        sess.run(apply, {grad: [1, 2], step: 0})
        sess.run(apply, {grad: [3, 6], step: 0})
        assert sess.run(count) == 2
        np.testing.assert_array_equal(sess.run(take), [2, 4])
        sess.run(apply, {grad: [100, 100], step: 0})  # older than the step (now 1)
        assert sess.run(count) == 0
        sess.run(apply, {grad: [1, 1], step: 1})
        sess.run(apply, {grad: [3, 3], step: 5})
        np.testing.assert_array_equal(sess.run(take), [2, 2])
        sess.run(acc.set_global_step(10))
        sess.run(apply, {grad: [1, 1], step: 9})
        assert sess.run(count) == 0
        with pytest.raises(tf.errors.InvalidArgumentError, match="num_required must be"):
            sess.run(acc.take_grad(0))


def test_sum_and_take_waits_for_a_worker():
    acc, grad, step, apply = _accumulator(reduction_type="SUM")
    take = acc.take_grad(2)
    with tf.Session() as sess:
        sess.run(apply, {grad: [1, 1], step: 0})
        worker = threading.Thread(target=sess.run, args=(apply, {grad: [2, 3], step: 0}))
        worker.start()
        total = sess.run(take)  # blocks until the worker's gradient arrives
        worker.join()
    np.testing.assert_array_equal(total, [3, 4])


def test_accumulator_checks():
    acc, grad, step, apply = _accumulator()
    with pytest.raises(ValueError, match=r"gradient of shape \(3,\)"):
        acc.apply_grad(tf.zeros([3]))
    with pytest.raises(TypeError, match="float type"):
        tf.ConditionalAccumulator(tf.int32)
    with pytest.raises(ValueError, match="reduction_type"):
        tf.ConditionalAccumulator(tf.float32, reduction_type="MAX")
    free = tf.ConditionalAccumulator(tf.float64)
    grad2 = tf.placeholder(tf.float64)
    apply2 = free.apply_grad(grad2)
    with tf.Session() as sess:
        sess.run(apply2, {grad2: [1.0, 2.0]})
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"gradient of shape \[3\]"):
            sess.run(apply2, {grad2: [1.0, 2.0, 3.0]})

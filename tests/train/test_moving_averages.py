"""tf.train.ExponentialMovingAverage: shadows, num_updates, restoring averages."""
import numpy as np
import pytest

import staticgraph as tf


def test_shadow_follows_the_rule_and_starts_at_the_initial_value():
    v = tf.Variable(np.array([1.0, -1.0]), name="v")
    ema = tf.train.ExponentialMovingAverage(0.75)
    update = ema.apply([v])
    shadow = ema.average(v)
    assert shadow.op.name == "v/ExponentialMovingAverage" == ema.average_name(v)
    assert shadow not in tf.trainable_variables() and shadow in tf.global_variables()
    new = tf.placeholder(tf.float64, [2])
    assign = tf.assign(v, new)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        expected = np.array([1.0, -1.0])
        np.testing.assert_array_equal(sess.run(shadow), expected)
        for value in ([3.0, 1.0], [0.0, 0.0], [2.0, 5.0]):
            sess.run(assign, {new: value})
            sess.run(update)
            expected = expected - (1 - 0.75) * (expected - np.array(value))
            np.testing.assert_allclose(sess.run(shadow), expected, rtol=1e-15)


def test_num_updates_caps_the_decay():
    v = tf.Variable(0.0, name="v", dtype=tf.float64)
    count = tf.placeholder(tf.int32, [])
    update = tf.train.ExponentialMovingAverage(0.999, num_updates=count).apply([v])
    shadow = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)[-1]
    set_v = tf.assign(v, 1.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(set_v)
        sess.run(update, {count: 0})  # decay min(0.999, 1/10) = 0.1
        assert sess.run(shadow) == pytest.approx(0.9, rel=1e-6)


def test_moving_average_of_a_tensor_starts_at_zero():
    x = tf.placeholder(tf.float32, [2])
    loss = tf.identity(x * 2.0, name="loss")
    ema = tf.train.ExponentialMovingAverage(0.5)
    update = ema.apply([loss])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(update, {x: [1.0, 2.0]})
        np.testing.assert_allclose(sess.run(ema.average(loss)), [1.0, 2.0])


def test_errors():
    v = tf.Variable(1, name="int_var")
    ema = tf.train.ExponentialMovingAverage(0.9)
    with pytest.raises(TypeError, match="int_var"):
        ema.apply([v])
    w = tf.Variable(1.0)
    ema.apply([w])
    with pytest.raises(ValueError, match="already computed"):
        ema.apply([w])


def test_variables_to_restore_loads_averages_into_the_model(tmp_path):
    path = str(tmp_path / "model.ckpt")
    with tf.Graph().as_default():
        w = tf.Variable([1.0, 2.0], name="w")
        step = tf.Variable(0, name="step", trainable=False)
        ema = tf.train.ExponentialMovingAverage(0.5)
        update = ema.apply([w])
        assign = tf.assign(w, [3.0, 6.0])
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(assign)
            sess.run(update)
            averaged = sess.run(ema.average(w))
            saver.save(sess, path)
    with tf.Graph().as_default():
        w = tf.Variable([0.0, 0.0], name="w")
        step = tf.Variable(0, name="step", trainable=False)
        names = tf.train.ExponentialMovingAverage(0.5).variables_to_restore()
        assert names == {"w/ExponentialMovingAverage": w, "step": step}
        with tf.Session() as sess:
            tf.train.Saver(names).restore(sess, path)
            np.testing.assert_array_equal(sess.run(w), averaged)


def test_zero_debias_corrects_tensor_shadows_as_tf1():
    """TF 2.21 (compat.v1) on this graph printed the shadows below; TF1 debiases only the
    averages of tensors (which start at zero), not of variables."""
    v = tf.Variable([1.0, 2.0], name="w")
    x = tf.placeholder(tf.float32, [2], name="x")
    t = tf.identity(x * 2.0, name="t")
    ema = tf.train.ExponentialMovingAverage(0.9, zero_debias=True)
    update = ema.apply([v, t])
    assert [u.op.name for u in tf.global_variables()] == [
        "w", "w/ExponentialMovingAverage", "t/ExponentialMovingAverage",
        "t/ExponentialMovingAverage/biased", "t/ExponentialMovingAverage/local_step"]
    assert tf.trainable_variables() == [v]
    tf_shadows = [([1.0, 2.0], [2.0, 0.0]), ([1.05, 2.05], [3.0526316, -1.0526315]),
                  ([1.145, 2.145], [4.1402206, -2.1402214])]
    biased = np.zeros(2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step, (tf_var_shadow, tf_tensor_shadow) in enumerate(tf_shadows, start=1):
            value = 2.0 * np.array([1.0 + (step - 1), -1.0 * (step - 1)])
            sess.run(update, {x: value / 2.0})
            sess.run(v.assign_add([0.5, 0.5]))
            biased = biased - 0.1 * (biased - value)
            var_shadow, tensor_shadow = sess.run([ema.average(v), ema.average(t)])
            np.testing.assert_allclose(tensor_shadow, biased / (1 - 0.9 ** step), rtol=1e-6)
            np.testing.assert_allclose(tensor_shadow, tf_tensor_shadow, rtol=1e-6)
            np.testing.assert_allclose(var_shadow, tf_var_shadow, rtol=1e-6)

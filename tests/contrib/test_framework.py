"""tf.contrib.framework: variable look-ups by scope, arg_scope with contrib's layers,
assign_from_checkpoint_fn, as TF 1.15's documentation states them."""
import numpy as np
import pytest

import staticgraph as tf

framework = tf.contrib.framework
layers = tf.contrib.layers


def _model():
    x = tf.placeholder(tf.float32, [None, 4])
    with tf.variable_scope("encoder"):
        hidden = layers.fully_connected(x, 3, scope="fc1")
    with tf.variable_scope("head"):
        logits = layers.fully_connected(hidden, 2, activation_fn=None, scope="fc")
    counter = tf.Variable(0, name="counter", trainable=False)
    return x, logits, counter


def _names(variables):
    return [v.op.name for v in variables]


def test_global_step_and_variable_lookups():
    assert framework.get_global_step() is None
    step = framework.get_or_create_global_step()
    assert framework.get_global_step() is step and step.op.name == "global_step"
    assert framework.get_or_create_global_step() is step
    _model()
    assert _names(framework.get_variables("encoder")) == ["encoder/fc1/weights",
                                                          "encoder/fc1/biases"]
    assert _names(framework.get_variables(suffix="biases")) == ["encoder/fc1/biases",
                                                                "head/fc/biases"]
    assert _names(framework.get_variables_by_name("weights")) == ["encoder/fc1/weights",
                                                                  "head/fc/weights"]
    assert _names(framework.get_variables_by_name("counter")) == ["counter"]
    assert framework.get_variables_by_name("eights") == []
    assert _names(framework.get_model_variables("head")) == ["head/fc/weights",
                                                             "head/fc/biases"]
    assert "counter" not in _names(framework.get_trainable_variables())
    with tf.variable_scope("head") as scope:
        pass
    assert _names(framework.get_variables(scope)) == ["head/fc/weights", "head/fc/biases"]
    assert _names(framework.get_variables_to_restore(exclude=["head", "global_step"])) == [
        "encoder/fc1/weights", "encoder/fc1/biases", "counter"]
    assert _names(framework.get_variables_to_restore(include=["head"], exclude=["head/fc/b"])
                  ) == ["head/fc/weights"]
    with pytest.raises(TypeError, match="exclude is provided but is not a list"):
        framework.get_variables_to_restore(exclude="head")
    with pytest.raises(AttributeError, match="tf.contrib.framework.model_variable is not"):
        framework.model_variable


def test_arg_scope_gives_defaults_that_calls_and_inner_scopes_override():
    x = tf.constant(np.ones((2, 4), np.float32))
    with framework.arg_scope([layers.fully_connected], activation_fn=None,
                             biases_initializer=tf.constant_initializer(0.5)) as outer:
        plain = layers.fully_connected(x, 3, weights_initializer=tf.zeros_initializer())
        with framework.arg_scope([layers.fully_connected, layers.conv2d],
                                 activation_fn=tf.nn.relu):
            inner = layers.fully_connected(x, 3, weights_initializer=tf.zeros_initializer(),
                                           biases_initializer=tf.constant_initializer(-1.0))
            assert framework.current_arg_scope() is not outer
        explicit = layers.fully_connected(x, 3, weights_initializer=tf.zeros_initializer(),
                                          activation_fn=tf.nn.relu,
                                          biases_initializer=tf.constant_initializer(-2.0))
    with framework.arg_scope(outer):
        reentered = layers.fully_connected(x, 3, weights_initializer=tf.zeros_initializer())
    outside = layers.fully_connected(x, 3, weights_initializer=tf.zeros_initializer(),
                                     biases_initializer=tf.constant_initializer(-1.0))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run([plain, inner, explicit, reentered, outside])
    np.testing.assert_array_equal(got[0], np.full((2, 3), 0.5))
    np.testing.assert_array_equal(got[1], np.zeros((2, 3)))
    np.testing.assert_array_equal(got[2], np.zeros((2, 3)))
    np.testing.assert_array_equal(got[3], np.full((2, 3), 0.5))
    np.testing.assert_array_equal(got[4], np.zeros((2, 3)))  # relu by default again
    assert framework.has_arg_scope(layers.batch_norm)
    assert "activation_fn" in framework.arg_scoped_arguments(layers.fully_connected)


def test_arg_scope_errors_and_user_functions():
    with pytest.raises(ValueError, match="relu is not decorated with @add_arg_scope"):
        with framework.arg_scope([tf.nn.relu], name="x"):
            pass
    with pytest.raises(ValueError, match="kwargs must be empty"):
        with framework.arg_scope({}, activation_fn=None):
            pass

    @framework.add_arg_scope
    def scaled(value, factor=1.0):
        return value * factor
    with framework.arg_scope([scaled], factor=3.0):
        assert scaled(2.0) == 6.0 and scaled(2.0, factor=0.5) == 1.0
    assert scaled(2.0) == 2.0


def test_assign_from_checkpoint_fn_restores_and_skips_missing(tmp_path):
    _, logits, _ = _model()
    path = str(tmp_path / "model.ckpt")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saved = sess.run(framework.get_variables("encoder"))
        tf.train.Saver(framework.get_variables("encoder")).save(sess, path)
    extra = tf.get_variable("extra", [2], initializer=tf.ones_initializer())
    restore = framework.assign_from_checkpoint_fn(
        path, framework.get_variables("encoder") + [extra], ignore_missing_vars=True)
    assert framework.assign_from_checkpoint_fn(path, [extra], ignore_missing_vars=True) is None
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([v.assign(tf.zeros_like(v)) for v in framework.get_variables("encoder")])
        restore(sess)
        for want, got in zip(saved, sess.run(framework.get_variables("encoder"))):
            np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(sess.run(extra), [1.0, 1.0])
    with pytest.raises(ValueError, match="var_list cannot be empty"):
        framework.assign_from_checkpoint_fn(path, [])


def test_slim_vgg_style_model_with_arg_scope():
    slim = tf.contrib.slim
    images = tf.placeholder(tf.float32, [None, 8, 8, 3])
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        weights_regularizer=slim.l2_regularizer(0.0005)):
        with slim.arg_scope([slim.conv2d], padding="SAME", kernel_size=[3, 3]):
            net = slim.repeat(images, 2, slim.conv2d, 4, scope="conv1")
        net = slim.max_pool2d(net, [2, 2], scope="pool1")
        net = slim.fully_connected(slim.flatten(net), 10, activation_fn=None, scope="fc8")
    assert net.shape.as_list() == [None, 10]
    assert _names(slim.get_model_variables()) == [
        "conv1/conv1_1/weights", "conv1/conv1_1/biases", "conv1/conv1_2/weights",
        "conv1/conv1_2/biases", "fc8/weights", "fc8/biases"]
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 3
    assert _names(slim.get_variables_to_restore(exclude=["fc8"])) == _names(
        slim.get_model_variables())[:4]
    with pytest.raises(AttributeError, match="tf.contrib.slim.learning is not supported"):
        slim.learning

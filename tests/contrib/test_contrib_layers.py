"""tf.contrib.layers' initializers, regularizers and layers, and the error for the rest of
tf.contrib."""
import numpy as np
import pytest

import staticgraph as tf

layers = tf.contrib.layers


def sample(initializer, shape):
    with tf.Session() as sess:
        return sess.run(initializer(shape))


def test_xavier_initializer_is_uniform_with_glorot_limit_by_default():
    values = sample(layers.xavier_initializer(seed=1), [200, 300])
    limit = np.sqrt(6 / 500)
    assert values.dtype == np.float32
    assert np.abs(values).max() <= limit and np.abs(values).max() > 0.99 * limit
    np.testing.assert_array_equal(values, sample(layers.xavier_initializer(seed=1),
                                                 [200, 300]))


def test_xavier_normal_and_variance_scaling_defaults_have_the_documented_stddev():
    # contrib truncates a normal of stddev sqrt(1.3 * factor / n) at two stddevs, which
    # leaves a standard deviation of about sqrt(factor / n).
    normal = sample(layers.xavier_initializer(uniform=False, seed=2), [300, 200])
    np.testing.assert_allclose(normal.std(), np.sqrt(1 / 250), rtol=0.02)
    assert np.abs(normal).max() <= 2 * np.sqrt(1.3 / 250) + 1e-6
    he = sample(layers.variance_scaling_initializer(seed=3), [3, 3, 20, 400])
    np.testing.assert_allclose(he.std(), np.sqrt(2 / (9 * 20)), rtol=0.02)
    fan_out = sample(layers.variance_scaling_initializer(1.0, "FAN_OUT", True, seed=4),
                     [500, 40])
    np.testing.assert_allclose(np.abs(fan_out).max(), np.sqrt(3 / 40), rtol=0.01)


def test_variance_scaling_rejects_bad_arguments():
    with pytest.raises(TypeError, match="Unknown mode"):
        layers.variance_scaling_initializer(mode="fan_in")
    with pytest.raises(TypeError, match="non-floating"):
        layers.xavier_initializer(dtype=tf.int32)


def test_regularizers():
    w = tf.constant([[1.0, -2.0], [3.0, -4.0]])
    l1, l2 = layers.l1_regularizer(0.5)(w), layers.l2_regularizer(0.1)(w)
    assert l1.op.name == "l1_regularizer" and l2.op.name == "l2_regularizer"
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run([l1, l2]), [5.0, 1.5], rtol=1e-6)
    assert layers.l2_regularizer(0.0)(w) is None
    with pytest.raises(ValueError, match="integer"):
        layers.l2_regularizer(1)
    with pytest.raises(ValueError, match="less than 0"):
        layers.l1_regularizer(-0.1)


def test_fully_connected_names_relu_and_regularizer():
    tf.set_random_seed(1)  # fixed weights: the signs checked below do not depend on luck
    x = tf.constant(np.random.RandomState(0).uniform(-1, 1, (8, 4)).astype(np.float32))
    y = layers.fully_connected(x, 6, weights_regularizer=layers.l2_regularizer(0.1))
    z = layers.fully_connected(y, 2, activation_fn=None)
    names = [v.name for v in tf.global_variables()]
    assert names == ["fully_connected/weights:0", "fully_connected/biases:0",
                     "fully_connected_1/weights:0", "fully_connected_1/biases:0"]
    assert tf.get_collection(tf.GraphKeys.MODEL_VARIABLES) == tf.global_variables()
    [loss] = tf.losses.get_regularization_losses()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        y_value, z_value, loss_value, w = sess.run([y, z, loss, tf.global_variables()[0]])
    assert y_value.min() == 0 and z_value.min() < 0  # relu unless activation_fn=None
    np.testing.assert_allclose(loss_value, 0.05 * (w ** 2).sum(), rtol=1e-5)


def test_fully_connected_scope_reuse_and_normalizer():
    x = tf.ones([2, 3])
    a = layers.fully_connected(x, 2, scope="fc")
    b = layers.fully_connected(x, 2, scope="fc", reuse=True)
    layers.fully_connected(x, 2, normalizer_fn=tf.layers.batch_normalization,
                           normalizer_params={"training": True})
    assert [v.name for v in tf.trainable_variables()] == [
        "fc/weights:0", "fc/biases:0", "fully_connected/weights:0",
        "fully_connected/batch_normalization/gamma:0",  # normalized inside the scope
        "fully_connected/batch_normalization/beta:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(*sess.run([a, b]))
    with pytest.raises(ValueError, match="num_outputs"):
        layers.fully_connected(x, 2.0)


def test_contrib_conv2d_and_flatten():
    images = tf.placeholder(tf.float32, [None, 6, 6, 3])
    y = layers.conv2d(images, 4, 3)
    y2 = layers.conv2d(y, 2, [2, 2], stride=2, padding="VALID", activation_fn=None)
    flat = layers.flatten(y2)
    assert [(v.name, v.shape.as_list()) for v in tf.global_variables()] == [
        ("Conv/weights:0", [3, 3, 3, 4]), ("Conv/biases:0", [4]),
        ("Conv_1/weights:0", [2, 2, 4, 2]), ("Conv_1/biases:0", [2])]
    assert y.shape.as_list() == [None, 6, 6, 4]  # SAME padding by default
    assert flat.shape.as_list() == [None, 18] and flat.op.name.startswith("Flatten/")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        value = sess.run(y, {images: np.random.RandomState(0).randn(2, 6, 6, 3)})
    assert value.min() == 0
    with pytest.raises(ValueError, match="at least 2 dimensions|a least 2 dimensions"):
        layers.flatten(tf.ones([3]))


def test_other_contrib_names_raise_listing_the_supported_ones():
    with pytest.raises(AttributeError, match="tf.contrib.learn is not supported.*"
                                             "tf.contrib.layers.fully_connected"):
        tf.contrib.learn
    with pytest.raises(AttributeError, match="tf.contrib.layers.optimize_loss is not "
                                             "supported.*xavier_initializer.*batch_norm"):
        tf.contrib.layers.optimize_loss
    with pytest.raises(AttributeError, match="tf.contrib.rnn.AttentionCellWrapper is not "
                                             "supported.*BasicLSTMCell"):
        tf.contrib.rnn.AttentionCellWrapper
    with pytest.raises(ImportError):
        from staticgraph.contrib import learn  # noqa: F401,F811


def test_contrib_layer_options():
    x = tf.ones([2, 3])
    layers.fully_connected(x, 2, biases_initializer=None, scope="nobias",
                           variables_collections=["mine"], outputs_collections="outs")
    assert [v.name for v in tf.global_variables()] == ["nobias/weights:0"]
    assert tf.get_collection("mine") == tf.global_variables()
    assert len(tf.get_collection("outs")) == 1
    with pytest.raises(TypeError, match="weights_init"):
        layers.fully_connected(x, 2, weights_init=None)


def test_contrib_rnn_is_tf_nn_rnn_cell():
    """TF1 scripts build their cells from tf.contrib.rnn: the same classes, the same
    variable names."""
    for name in ["BasicLSTMCell", "BasicRNNCell", "GRUCell", "LSTMCell", "LSTMStateTuple",
                 "MultiRNNCell", "DropoutWrapper", "ResidualWrapper"]:
        assert getattr(tf.contrib.rnn, name) is getattr(tf.nn.rnn_cell, name)
    assert tf.contrib.rnn.static_rnn is tf.nn.static_rnn
    x = tf.placeholder(tf.float32, [None, 4, 3])
    cell = tf.contrib.rnn.BasicLSTMCell(5)
    outputs, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    assert outputs.shape.as_list() == [None, 4, 5]
    assert sorted(v.name for v in tf.trainable_variables()) == [
        "rnn/basic_lstm_cell/bias:0", "rnn/basic_lstm_cell/kernel:0"]

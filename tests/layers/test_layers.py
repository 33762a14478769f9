"""tf.layers behaviour beyond the TF fixture: dropout's training switch and scaling,
sharing and its errors, layer properties, unknown shapes, channels_first and clear errors."""
import numpy as np
import pytest

import staticgraph as tf


def run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


def test_dropout_scales_kept_elements_and_drops_about_rate():
    x = np.ones((200, 50), np.float32)
    y = run(tf.layers.dropout(tf.constant(x), rate=0.3, training=True, seed=3))
    kept = y != 0
    np.testing.assert_allclose(y[kept], 1 / 0.7, rtol=1e-6)
    assert abs(kept.mean() - 0.7) < 0.02


def test_dropout_training_tensor_switches_at_run_time():
    training = tf.placeholder(tf.bool, [])
    x = np.arange(1, 1001, dtype=np.float32).reshape(10, 100)
    y = tf.layers.dropout(x, rate=0.5, training=training)
    np.testing.assert_array_equal(run(y, {training: False}), x)
    dropped = run(y, {training: True})
    assert 0.4 < (dropped == 0).mean() < 0.6
    kept = dropped != 0
    np.testing.assert_allclose(dropped[kept], 2 * x[kept])


def test_dropout_noise_shape_broadcasts_the_mask():
    y = tf.layers.dropout(tf.ones([30, 8]), rate=0.5, noise_shape=[None, 1], training=True)
    value = run(y)
    assert all(len(set(row)) == 1 for row in value)


def test_dropout_same_seed_same_mask():
    tf.set_random_seed(5)
    a = tf.layers.dropout(tf.ones([100]), training=True, seed=1)
    first = run(a)
    tf.reset_default_graph()
    tf.set_random_seed(5)
    b = tf.layers.dropout(tf.ones([100]), training=True, seed=1)
    np.testing.assert_array_equal(first, run(b))


def test_dropout_rejects_a_non_boolean_training_tensor():
    with pytest.raises(ValueError, match="training"):
        tf.layers.dropout(tf.ones([3]), training=tf.placeholder(tf.float32, []))


def test_functional_name_twice_without_reuse_fails_and_reuse_shares():
    x = tf.placeholder(tf.float32, [None, 3])
    tf.layers.dense(x, 2, name="fc")
    with pytest.raises(ValueError, match="fc/kernel already exists"):
        tf.layers.dense(x, 2, name="fc")
    tf.layers.dense(x, 2, name="fc", reuse=True)
    with tf.variable_scope("", reuse=tf.AUTO_REUSE):
        tf.layers.dense(x, 2, name="fc")
    assert [v.name for v in tf.global_variables()] == ["fc/kernel:0", "fc/bias:0"]


def test_reuse_of_a_missing_layer_fails():
    with pytest.raises(ValueError, match="does not exist"):
        tf.layers.dense(tf.ones([1, 2]), 2, name="nothing", reuse=True)


def test_layer_properties():
    layer = tf.layers.BatchNormalization()
    with pytest.raises(ValueError, match="has not been used yet"):
        layer.scope_name
    layer(tf.ones([2, 3]), training=True)
    assert layer.scope_name == "batch_normalization"
    assert [v.name for v in layer.trainable_variables] == [
        "batch_normalization/gamma:0", "batch_normalization/beta:0"]
    assert [v.name for v in layer.non_trainable_variables] == [
        "batch_normalization/moving_mean:0", "batch_normalization/moving_variance:0"]
    assert layer.weights == layer.variables == layer.trainable_weights + \
        layer.non_trainable_weights
    assert len(layer.updates) == 2
    assert set(layer.updates) <= set(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
    assert layer.name == "batch_normalization_1"


def test_frozen_layer_has_no_trainable_variables():
    layer = tf.layers.Dense(2, trainable=False, kernel_regularizer=tf.nn.l2_loss)
    layer(tf.ones([1, 3]))
    assert layer.trainable_variables == [] and len(layer.variables) == 2
    assert tf.trainable_variables() == []
    assert layer.losses == tf.losses.get_regularization_losses()


def test_variable_scope_initializer_applies_to_kernels_only():
    with tf.variable_scope("s", initializer=tf.constant_initializer(0.5)):
        layer = tf.layers.Dense(2)
        y = layer(tf.ones([1, 3]))
    kernel, bias, value = run([layer.kernel, layer.bias, y])
    np.testing.assert_array_equal(kernel, np.full((3, 2), 0.5))
    np.testing.assert_array_equal(bias, np.zeros(2))
    np.testing.assert_allclose(value, [[1.5, 1.5]])


def test_default_kernel_is_glorot_uniform():
    layer = tf.layers.Dense(300)
    layer(tf.ones([1, 200]))
    kernel = run(layer.kernel)
    limit = np.sqrt(6 / 500)
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.95 * limit
    np.testing.assert_allclose(kernel.std(), limit / np.sqrt(3), rtol=0.02)


def test_unknown_shapes():
    images = tf.placeholder(tf.float32, [None, None, None, 3])
    up = tf.layers.conv2d_transpose(images, 2, 3, strides=2)
    flat = tf.layers.flatten(tf.placeholder(tf.float32, [None, 3, None]))
    unranked = tf.placeholder(tf.float32, None)
    flat_unranked = tf.layers.flatten(unranked)
    assert up.shape.as_list() == [None, None, None, 2]
    assert flat.shape.as_list() == [None, None]
    value, flat_value = run([up, flat_unranked], {images: np.ones((2, 4, 5, 3)),
                                                  unranked: np.ones((2, 3, 4))})
    assert value.shape == (2, 9, 11, 2) and flat_value.shape == (2, 12)


def test_channels_first_equals_transposed_channels_last():
    x = np.random.RandomState(0).uniform(-1, 1, (2, 3, 5, 6)).astype(np.float32)
    init = tf.constant_initializer(np.random.RandomState(1).uniform(-1, 1, (2, 2, 3, 4)))
    first = tf.layers.conv2d(x, 4, 2, data_format="channels_first", kernel_initializer=init)
    first = tf.layers.max_pooling2d(first, 2, 2, data_format="channels_first")
    last = tf.layers.conv2d(x.transpose(0, 2, 3, 1), 4, 2, kernel_initializer=init)
    last = tf.layers.max_pooling2d(last, 2, 2)
    a, b = run([first, last])
    np.testing.assert_allclose(a, b.transpose(0, 3, 1, 2), rtol=1e-5)


def test_clear_errors():
    with pytest.raises(ValueError, match="last dimension of the inputs to `Dense`"):
        tf.layers.dense(tf.placeholder(tf.float32, [2, None]), 3)
    with pytest.raises(ValueError, match="conv2d.*expected ndim=4, found ndim=3"):
        tf.layers.conv2d(tf.ones([2, 3, 3]), 2, 2)
    with pytest.raises(ValueError, match="padding"):
        tf.layers.max_pooling2d(tf.ones([1, 4, 4, 1]), 2, 2, padding="full")
    with pytest.raises(ValueError, match="kernel_size"):
        tf.layers.conv2d(tf.ones([1, 4, 4, 1]), 2, (2, 2, 2))
    with pytest.raises(NotImplementedError, match="renorm"):
        tf.layers.batch_normalization(tf.ones([2, 2]), renorm=True)
    with pytest.raises(ValueError, match="fused=True"):
        tf.layers.batch_normalization(tf.ones([2, 2]), fused=True)
    layer = tf.layers.Dense(2)
    layer(tf.ones([1, 3]))
    with pytest.raises(ValueError, match="expected axis -1 .* value 3"):
        layer(tf.ones([1, 4]))


def test_batch_norm_update_ops_move_the_statistics_towards_the_batch():
    x = tf.placeholder(tf.float32, [None, 2])
    y = tf.layers.batch_normalization(x, training=True, momentum=0.5)
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        step = tf.identity(y)
    mean, variance = tf.global_variables()[2:]
    batch = np.array([[1.0, 2.0], [3.0, 6.0]], np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step, {x: batch})
        np.testing.assert_allclose(sess.run(mean), 0.5 * batch.mean(0))
        np.testing.assert_allclose(sess.run(variance), 0.5 + 0.5 * batch.var(0))


def test_subclassed_layer_with_add_variable():
    class Scale(tf.layers.Layer):
        def build(self, input_shape):
            self.factor = self.add_variable("factor", [input_shape.as_list()[-1]],
                                            initializer=tf.constant_initializer(3.0))

        def call(self, inputs):
            return inputs * self.factor

    layer = Scale()
    y = layer(tf.ones([2, 4]))
    assert [v.name for v in layer.variables] == ["scale/factor:0"]
    np.testing.assert_array_equal(run(y), np.full((2, 4), 3.0))


def test_tf1_layers_that_are_missing_say_so():
    with pytest.raises(AttributeError, match="tf.layers.experimental is part of TensorFlow "
                                             "1's API but not implemented"):
        tf.layers.experimental
    with pytest.raises(AttributeError, match="has no attribute 'nonsense'"):
        tf.layers.nonsense


@pytest.mark.parametrize("namespace", [tf.layers, tf.contrib, tf.contrib.layers],
                         ids=["layers", "contrib", "contrib.layers"])
def test_namespaces_hold_only_their_public_names(namespace):
    public = {n for n in dir(namespace) if not n.startswith("_")}
    assert public == set(namespace.__all__)


def test_a_bool_placeholder_of_unknown_shape_as_training_keeps_static_shapes():
    """TF1 scripts feed ``is_training = tf.placeholder(tf.bool)`` (no shape); the layers'
    outputs keep their shapes, so the next layer can be built, and feeding a non-scalar
    flag fails naming it."""
    training = tf.placeholder(tf.bool)
    x = tf.placeholder(tf.float32, [None, 2, 2, 3])
    normalized = tf.layers.batch_normalization(x, training=training)
    dropped = tf.layers.dropout(x, training=training)
    assert normalized.shape.as_list() == dropped.shape.as_list() == [None, 2, 2, 3]
    tf.layers.conv2d(normalized, 4, 2)  # needs the channel count
    value = np.ones((1, 2, 2, 3), np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(dropped, {x: value, training: False}), value)
        with pytest.raises(tf.errors.InvalidArgumentError, match="batch_normalization/training"):
            sess.run(normalized, {x: value, training: [True, False]})

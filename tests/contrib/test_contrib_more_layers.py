"""tf.contrib.layers' batch_norm, layer_norm, conv2d_transpose, pooling, dropout and
one_hot_encoding: contrib's scopes and variable names (as TF1 checkpoints hold them), its
defaults, and values against tf.layers / tf.nn / NumPy."""
import numpy as np
import pytest

import staticgraph as tf

layers = tf.contrib.layers
X = np.random.RandomState(3).normal(size=(2, 4, 3, 2)).astype(np.float64)


def _variables():
    return [v.op.name for v in tf.global_variables()]


def test_batch_norm_names_defaults_and_values_equal_tf_layers():
    x = tf.constant(X)
    contrib = layers.batch_norm(x, scale=True)
    reference = tf.layers.batch_normalization(x, momentum=0.999, training=True)
    assert _variables() == [
        "BatchNorm/gamma", "BatchNorm/beta", "BatchNorm/moving_mean",
        "BatchNorm/moving_variance", "batch_normalization/gamma",
        "batch_normalization/beta", "batch_normalization/moving_mean",
        "batch_normalization/moving_variance"]
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(updates) == 4
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(*sess.run([contrib, reference]), rtol=1e-12)
        sess.run(updates)
        moving = sess.run(tf.global_variables())
    np.testing.assert_allclose(moving[2], moving[6], rtol=1e-12)  # moving means
    np.testing.assert_allclose(moving[3], moving[7], rtol=1e-12)  # moving variances
    assert not np.allclose(moving[2], 0.0)


def test_batch_norm_without_scale_and_with_in_place_updates():
    training = tf.placeholder_with_default(True, [])
    out = layers.batch_norm(tf.constant(X), is_training=training, updates_collections=None,
                            decay=0.5)
    assert _variables() == ["BatchNorm/beta", "BatchNorm/moving_mean",
                            "BatchNorm/moving_variance"]
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
    mean = X.mean(axis=(0, 1, 2))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(out)  # the output's run also updates the moving averages
        moving_mean = sess.run("BatchNorm/moving_mean:0")
        np.testing.assert_allclose(moving_mean, 0.5 * mean, rtol=1e-12)
        inference = sess.run(out, {training: False})
        assert sess.run("BatchNorm/moving_mean:0") == pytest.approx(moving_mean)
    variance_after = 0.5 + 0.5 * X.var(axis=(0, 1, 2)) * X[..., 0].size / (X[..., 0].size - 1)
    expected = (X - 0.5 * mean) / np.sqrt(variance_after + 0.001)
    np.testing.assert_allclose(inference, expected, rtol=1e-6)


def test_batch_norm_updates_to_a_named_collection_and_refuses_unsupported_options():
    layers.batch_norm(tf.constant(X), updates_collections="my_updates")
    assert len(tf.get_collection("my_updates")) == 2
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
    with pytest.raises(NotImplementedError, match="zero_debias_moving_mean"):
        layers.batch_norm(tf.constant(X), zero_debias_moving_mean=True)


def test_layer_norm_matches_the_formula_and_finite_differences():
    flat = X.reshape(2, 24)
    x = tf.placeholder(tf.float64, [2, 24])
    out = layers.layer_norm(x)
    assert _variables() == ["LayerNorm/beta", "LayerNorm/gamma"]
    expected = (flat - flat.mean(1, keepdims=True)) / np.sqrt(flat.var(1, keepdims=True)
                                                              + 1e-12)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(out, {x: flat}), expected, atol=1e-10)
        error = tf.test.compute_gradient_error(x, [2, 24], out, [2, 24], x_init_value=flat,
                                               delta=1e-6)
    assert error < 1e-6
    with pytest.raises(ValueError, match="undefined rank"):
        layers.layer_norm(tf.placeholder(tf.float64))


def test_conv2d_transpose_pooling_dropout_and_one_hot():
    x = tf.constant(X)
    init = tf.constant_initializer(0.05)
    contrib = layers.conv2d_transpose(x, 3, [3, 3], stride=2, weights_initializer=init)
    reference = tf.layers.conv2d_transpose(x, 3, [3, 3], strides=2, padding="same",
                                           activation=tf.nn.relu, kernel_initializer=init)
    assert _variables()[:2] == ["Conv2d_transpose/weights", "Conv2d_transpose/biases"]
    pooled = [layers.max_pool2d(x, [2, 2]),
              layers.avg_pool2d(x, [2, 2], stride=1, padding="SAME")]
    pooled_reference = [tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID"),
                        tf.nn.avg_pool(x, [1, 2, 2, 1], [1, 1, 1, 1], "SAME")]
    kept = layers.dropout(x, keep_prob=0.25, is_training=True, seed=1)
    identity = layers.dropout(x, is_training=False)
    codes = layers.one_hot_encoding(tf.constant([0.0, 2.0]), 3)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, want = sess.run([contrib, reference])
        np.testing.assert_allclose(got, want, rtol=1e-12)
        for a, b in zip(sess.run(pooled), sess.run(pooled_reference)):
            np.testing.assert_allclose(a, b, rtol=1e-12)
        dropped = sess.run(kept)
        np.testing.assert_array_equal(sess.run(identity), X)
        np.testing.assert_array_equal(sess.run(codes), [[1, 0, 0], [0, 0, 1]])
    assert set(np.round(np.unique(dropped / X), 9)) <= {0.0, 4.0}

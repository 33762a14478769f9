"""ONNX export: the exported model, run by onnxruntime, gives sess.run's results."""
import numpy as np
import onnxruntime
import pytest

import staticgraph as tf


def _run_onnx(path, feeds):
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    return session.run(None, {t.name: v for t, v in feeds.items()})


def _compare(tmp_path, fetches, feeds, rtol=1e-5):
    path = str(tmp_path / "model.onnx")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        want = sess.run(fetches, feeds)
        model = tf.onnx.export(fetches, list(feeds), path, session=sess)
    got = _run_onnx(path, feeds)
    for g, w in zip(got, want):
        assert g.dtype == np.asarray(w).dtype and g.shape == np.shape(w)
        np.testing.assert_allclose(g, w, rtol=rtol, atol=1e-5)
    return model


def test_cnn_with_batch_norm_in_inference_mode(tmp_path):
    rng = np.random.RandomState(0)
    x = tf.placeholder(tf.float32, [None, 8, 8, 2], name="x")
    k = tf.Variable(rng.randn(3, 3, 2, 4).astype(np.float32), name="k")
    h = tf.nn.bias_add(tf.nn.conv2d(x, k, [1, 1, 1, 1], "SAME"), tf.constant(
        rng.randn(4).astype(np.float32)))
    mean, var = tf.constant(rng.rand(4).astype(np.float32)), tf.constant(
        rng.rand(4).astype(np.float32) + 0.5)
    h = tf.nn.batch_normalization(h, mean, var, tf.constant(np.ones(4, np.float32)),
                                  tf.constant(np.zeros(4, np.float32)), 1e-3)
    h = tf.nn.relu6(h)
    h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    h = tf.nn.avg_pool(h, [1, 3, 3, 1], [1, 2, 2, 1], "VALID")
    flat = tf.reshape(h, [-1, 4])
    w = tf.Variable(rng.randn(4, 5).astype(np.float32), name="w")
    logits = tf.matmul(flat, w)
    fetches = [tf.nn.softmax(logits), tf.argmax(logits, 1), tf.reduce_max(logits, axis=[1]),
               tf.concat([logits[:, 1:3], tf.transpose(tf.expand_dims(logits[:, 0], 0))],
                         axis=1)]
    model = _compare(tmp_path, fetches, {x: rng.rand(3, 8, 8, 2).astype(np.float32)})
    assert {"Conv", "MaxPool", "AveragePool", "MatMul", "Softmax"} <= {
        n.op_type for n in model.graph.node}
    assert {i.name for i in model.graph.initializer} >= {"k:0", "w:0"}


def test_mlp_elementwise_and_reductions(tmp_path):
    rng = np.random.RandomState(1)
    x = tf.placeholder(tf.float64, [None, 4], name="x")
    w = tf.Variable(rng.randn(4, 3), name="w")
    h = tf.tanh(tf.matmul(x, w, transpose_b=False)) + tf.sigmoid(x[:, :3]) * 2.0
    h = tf.nn.leaky_relu(h - tf.reduce_mean(h, axis=0, keepdims=True), alpha=0.1)
    out = [tf.reduce_sum(tf.square(h), axis=1), tf.nn.log_softmax(h), tf.maximum(h, 0.0),
           tf.cast(h > 0.0, tf.int32), tf.squeeze(tf.pad(h, [[0, 0], [1, 0]])[:, :1], [1])]
    _compare(tmp_path, out, {x: rng.randn(5, 4)})


def test_unsupported_ops_and_unfed_placeholders_are_listed(tmp_path):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    other = tf.placeholder(tf.float32, [3], name="other")
    y = tf.cumsum(tf.linalg.inv(tf.constant(np.eye(3, dtype=np.float32))) @ tf.transpose(x), axis=0) + tf.reshape(other,
                                                                                   [3, 1])
    with tf.Session() as sess, pytest.raises(ValueError, match=r"op types without an ONNX "
                                            r"conversion: .*Cumsum.*MatrixInverse.*"
                                            r"placeholders not in feeds: other"):
        tf.onnx.export(y, [x], str(tmp_path / "m.onnx"), session=sess)
    assert not (tmp_path / "m.onnx").exists()

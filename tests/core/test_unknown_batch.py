"""Ops, layers and cells built on placeholders whose batch dimension is unknown: the
static shapes keep the unknown batch, and the graph runs for two batch sizes. Guards the
internal reads of static shapes, which must see the unknown size as None whatever
indexing a TensorShape gives to scripts (TF1's Dimension or, after
``enable_v2_tensorshape``, None)."""
import numpy as np
import pytest

import staticgraph as tf


def _build():
    """A model touching many shape rules with batch None; returns (inputs, outputs)."""
    tf.set_random_seed(0)
    images = tf.placeholder(tf.float32, [None, 8, 8, 2], name="images")
    seq = tf.placeholder(tf.float32, [None, 5, 3], name="seq")
    labels = tf.placeholder(tf.int32, [None], name="labels")
    words = tf.placeholder(tf.int32, [None, 5], name="words")
    training = tf.placeholder_with_default(True, [])
    out = {}
    h = tf.layers.conv2d(images, 4, 3, padding="same", activation=tf.nn.relu)
    h = tf.layers.batch_normalization(h, training=training)
    h = tf.layers.max_pooling2d(h, 2, 2)
    h = tf.layers.conv2d_transpose(h, 3, 2, strides=2)
    h = tf.nn.depthwise_conv2d(h, tf.ones([3, 3, 3, 2]), [1, 1, 1, 1], "SAME")
    h = tf.nn.avg_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    out["lrn"] = tf.nn.lrn(h)
    flat = tf.layers.flatten(h)
    dense = tf.layers.dropout(tf.layers.dense(flat, 10), training=training)
    dense = tf.contrib.layers.fully_connected(dense, 7)
    out["logits"] = dense
    out["xent"] = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=dense)
    out["xent_v2"] = tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.one_hot(labels, 7), logits=dense)
    out["top_k"] = tf.nn.top_k(dense, 2).indices
    out["in_top_k"] = tf.nn.in_top_k(dense, labels, 3)
    out["argmax"] = tf.argmax(dense, 1)
    out["moments"] = tf.nn.moments(dense, [0])[0]
    out["split"] = tf.split(dense, [3, 4], axis=1)[1]
    out["concat"] = tf.concat([dense, tf.reduce_sum(dense, 1, keepdims=True)], 1)
    out["stack"] = tf.stack([dense, dense], axis=1)
    out["tile"] = tf.tile(dense, [2, 1])
    out["pad"] = tf.pad(dense, [[0, 0], [0, 1]])
    out["gather"] = tf.gather(dense, [0, 0])
    out["gather_nd"] = tf.gather_nd(dense, tf.stack([tf.range(tf.shape(labels)[0]), labels], 1))
    out["strided"] = dense[:, 1:5:2]
    out["reshape"] = tf.reshape(dense, [-1, 7, 1])
    out["expand"] = tf.squeeze(tf.expand_dims(dense, 1), [1])
    out["transpose"] = tf.transpose(dense)
    out["matmul"] = tf.matmul(dense, dense, transpose_b=True)
    out["batch_matmul"] = tf.matmul(out["stack"], out["stack"], transpose_a=True)
    out["embed"] = tf.nn.embedding_lookup(tf.Variable(tf.ones([9, 4])), words)
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(4),
                                        tf.nn.rnn_cell.GRUCell(3)])
    out["dynamic_rnn"] = tf.nn.dynamic_rnn(cell, seq, dtype=tf.float32)[0]
    with tf.variable_scope("bi"):
        fw, bw = tf.nn.rnn_cell.LSTMCell(2), tf.nn.rnn_cell.BasicRNNCell(2)
        out["bidi"] = tf.concat(tf.nn.bidirectional_dynamic_rnn(
            fw, bw, out["embed"], dtype=tf.float32)[0], 2)
    with tf.variable_scope("static"):
        out["static_rnn"] = tf.nn.static_rnn(tf.nn.rnn_cell.GRUCell(2), tf.unstack(seq, axis=1),
                                             dtype=tf.float32)[0][-1]
    out["conv1d"] = tf.layers.conv1d(seq, 2, 2)
    out["map_fn"] = tf.map_fn(lambda row: row * 2.0, dense)
    out["scan"] = tf.scan(lambda acc, row: acc + row, dense)
    out["cond"] = tf.cond(training, lambda: dense, lambda: -dense)
    out["while"] = tf.while_loop(lambda i, x: i < 2, lambda i, x: (i + 1, x * 2.0),
                                 [0, dense])[1]
    loss = tf.reduce_mean(out["xent"]) + tf.reduce_mean(out["dynamic_rnn"]) \
        + tf.reduce_mean(out["bidi"]) + tf.reduce_mean(out["static_rnn"])
    out["grad"] = tf.gradients(loss, images)[0]
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        out["train"] = tf.train.AdamOptimizer(0.01).minimize(loss)
    return (images, seq, labels, words), out


@pytest.mark.parametrize("v2", [False, True], ids=["tf1-dimensions", "v2-tensorshape"])
def test_models_with_unknown_batch(v2):
    if v2:
        tf.compat.v1.enable_v2_tensorshape()
    try:
        (images, seq, labels, words), out = _build()
    finally:
        tf.compat.v1.disable_v2_tensorshape()
    unknown_batch = [k for k, t in out.items() if k != "train" and t.shape.ndims
                     and k not in ("moments", "transpose", "gather", "tile", "batch_matmul")]
    for key in unknown_batch:
        assert out[key].shape.as_list()[0] is None, (key, out[key].shape)
    assert out["logits"].shape.as_list() == [None, 7]
    assert out["dynamic_rnn"].shape.as_list() == [None, 5, 3]
    assert out["bidi"].shape.as_list() == [None, 5, 4]
    assert out["lrn"].shape.as_list() == [None, 4, 4, 6]
    assert out["moments"].shape.as_list() == [7] and out["transpose"].shape.as_list() == [7, None]
    rng = np.random.default_rng(0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for batch in (3, 5):
            feed = {images: rng.normal(size=(batch, 8, 8, 2)), seq: rng.normal(size=(batch, 5, 3)),
                    labels: rng.integers(0, 7, batch), words: rng.integers(0, 9, (batch, 5))}
            values = sess.run(out, feed)
            for key in unknown_batch:
                assert values[key].shape[0] == batch, key
            assert values["grad"].shape == (batch, 8, 8, 2)
            assert np.isfinite(values["logits"]).all() and values["tile"].shape == (2 * batch, 7)


def test_unknown_sizes_reach_shape_rules_as_none():
    # Shape rules that test a size for None (here: pad of an unknown-rank input, whose
    # rank comes from the paddings' first dimension).
    x = tf.placeholder(tf.float32, None)
    assert tf.pad(x, tf.placeholder(tf.int32, [None, 2])).shape.ndims is None
    assert tf.pad(x, tf.placeholder(tf.int32, [3, 2])).shape.as_list() == [None] * 3
    assert len(tf.placeholder(tf.float32, [4, None])) == 4
    with pytest.raises(TypeError, match="len"):
        len(tf.placeholder(tf.float32, [None, 4]))

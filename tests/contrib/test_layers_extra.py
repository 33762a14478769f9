"""tf.contrib.layers' combined regularizers, apply_regularization, repeat, stack and
embed_sequence: TF 1.15's scopes/names, values from the documented formulas, errors."""
import functools

import numpy as np
import pytest

import staticgraph as tf

layers = tf.contrib.layers
W = np.array([[1.5, -2.0], [0.5, 3.0]])


def _run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


def test_l1_l2_and_sum_regularizers():
    w = tf.constant(W)
    both = layers.l1_l2_regularizer(0.1, 0.2)(w)
    only_l2 = layers.l1_l2_regularizer(0.0, 0.2)(w)
    only_l1 = layers.l1_l2_regularizer(0.1, 0.0)(w)
    summed = layers.sum_regularizer([layers.l1_regularizer(0.1), None,
                                     layers.l1_regularizer(0.0)])(w)
    assert both.op.name == "l1_l2_regularizer" and only_l2.op.name.startswith("l1_l2_reg")
    l1, l2 = np.abs(W).sum(), (W ** 2).sum() / 2
    got = _run([both, only_l2, only_l1, summed])
    np.testing.assert_allclose(got, [0.1 * l1 + 0.2 * l2, 0.2 * l2, 0.1 * l1, 0.1 * l1],
                               rtol=1e-12)
    assert layers.sum_regularizer([None]) is None
    assert layers.sum_regularizer([layers.l2_regularizer(0.0)])(w) is None
    with pytest.raises(ValueError, match="scale_l2 cannot be an integer: 1"):
        layers.l1_l2_regularizer(0.5, 1)


def test_apply_regularization_sums_into_regularization_losses():
    a = tf.constant(W)
    b = tf.constant(W * 2)
    total = layers.apply_regularization(layers.l2_regularizer(0.5), [a, b])
    assert total in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert total.op.name == "get_regularization_penalty"
    np.testing.assert_allclose(_run(total), 0.5 * 5 * (W ** 2).sum() / 2, rtol=1e-12)
    tf.add_to_collection(tf.GraphKeys.WEIGHTS, a)
    zero = layers.apply_regularization(layers.l2_regularizer(0.0))
    assert _run(zero) == 0.0
    with pytest.raises(ValueError, match="must return a scalar Tensor instead of a Tensor "
                                         "with rank 2"):
        layers.apply_regularization(lambda w: w, [a])
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="No weights to regularize."):
            layers.apply_regularization(layers.l2_regularizer(0.5))


def test_repeat_and_stack_scopes_and_values():
    x = tf.constant(np.ones((2, 3), np.float32))
    dense = functools.partial(layers.fully_connected, activation_fn=None,
                              weights_initializer=tf.constant_initializer(0.5),
                              biases_initializer=tf.constant_initializer(1.0))
    repeated = layers.repeat(x, 2, dense, 3, scope="fc")
    stacked = layers.stack(x, layers.fully_connected, [4, (2,)])
    layers.repeat(x, 1, dense, 3)  # scope Repeat, the calls named after the function
    names = [v.op.name for v in tf.global_variables()]
    assert names == ["fc/fc_1/weights", "fc/fc_1/biases", "fc/fc_2/weights", "fc/fc_2/biases",
                     "Stack/fully_connected_1/weights", "Stack/fully_connected_1/biases",
                     "Stack/fully_connected_2/weights", "Stack/fully_connected_2/biases",
                     "Repeat/fully_connected_1/weights", "Repeat/fully_connected_1/biases"]
    assert stacked.shape.as_list() == [2, 2]
    got = _run(repeated)
    # each layer: 3 inputs of 1.0 -> 3 * 0.5 + 1 = 2.5; then 3 * 2.5 * 0.5 + 1 = 4.75
    np.testing.assert_allclose(got, np.full((2, 3), 4.75))
    with tf.contrib.framework.arg_scope([layers.fully_connected], activation_fn=None):
        scoped = layers.stack(x, layers.fully_connected, [1], scope="s")
    assert scoped.op.type != "Relu"
    with pytest.raises(ValueError, match="stack_args need to be a list or tuple"):
        layers.stack(x, layers.fully_connected, 3)


# the unique lookup's gather of gathered rows densifies a gradient of unknown shape (and
# warns), as TF1's embedding_lookup_unique does
@pytest.mark.filterwarnings("ignore:Converting sparse IndexedSlices")
def test_embed_sequence_names_values_and_unique_lookup():
    ids = np.array([[1, 3, 1], [0, 3, 3]])
    table = np.arange(20, dtype=np.float32).reshape(5, 4)
    plain = layers.embed_sequence(ids, 5, 4, initializer=tf.constant_initializer(table))
    unique = layers.embed_sequence(ids, 5, 4, unique=True, scope="EmbedSequence", reuse=True)
    embeddings = tf.global_variables()[0]
    assert embeddings.op.name == "EmbedSequence/embeddings"
    assert embeddings.dtype.base_dtype == tf.float32
    assert tf.get_collection(tf.GraphKeys.MODEL_VARIABLES) == [embeddings]
    got_plain, got_unique = _run([plain, unique])
    np.testing.assert_array_equal(got_plain, table[ids])
    np.testing.assert_array_equal(got_unique, table[ids])
    grad = tf.gradients(tf.reduce_sum(unique), embeddings)[0]
    counts = np.bincount(ids.ravel(), minlength=5)[:, None] * np.ones((1, 4))
    slices = _run(grad)
    dense = np.zeros((5, 4))
    np.add.at(dense, slices.indices, slices.values)
    np.testing.assert_array_equal(dense, counts)
    with pytest.raises(ValueError, match="Must specify vocab size and embedding dimension"):
        layers.embed_sequence(ids, vocab_size=5)


@pytest.mark.parametrize("data_format", ["NHWC", "NCHW"])
def test_separable_conv2d_names_values_and_gradient(data_format):
    rng = np.random.RandomState(2)
    images = rng.normal(size=(2, 5, 5, 3))
    x = tf.placeholder(tf.float64, [2, 5, 5, 3])
    fed = x if data_format == "NHWC" else tf.transpose(x, [0, 3, 1, 2])
    y = layers.separable_conv2d(fed, 4, [3, 3], depth_multiplier=2, stride=2,
                                data_format=data_format,
                                biases_initializer=tf.constant_initializer(-0.1),
                                weights_regularizer=layers.l2_regularizer(0.1))
    if data_format == "NCHW":
        y = tf.transpose(y, [0, 2, 3, 1])
    depthwise, pointwise, biases = tf.global_variables()
    assert [v.op.name for v in (depthwise, pointwise, biases)] == [
        "SeparableConv2d/depthwise_weights", "SeparableConv2d/pointwise_weights",
        "SeparableConv2d/biases"]
    assert tf.get_collection(tf.GraphKeys.MODEL_VARIABLES) == [depthwise, pointwise, biases]
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 2
    expected = tf.nn.relu(tf.nn.separable_conv2d(x, depthwise, pointwise, [1, 2, 2, 1],
                                                 "SAME") + biases)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, want = sess.run([y, expected], {x: images})
        theoretical, numerical = tf.test.compute_gradient(x, [2, 5, 5, 3], y, [2, 3, 3, 4],
                                                          x_init_value=images, delta=1e-6)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_allclose(theoretical, numerical, atol=1e-7)


def test_separable_conv2d_without_num_outputs_is_depthwise_only():
    images = np.random.RandomState(4).normal(size=(2, 5, 5, 3))
    x = tf.placeholder(tf.float64, [2, 5, 5, 3])
    y = layers.separable_conv2d(x, None, 3, depth_multiplier=2, rate=2,
                                biases_initializer=tf.constant_initializer(0.3),
                                variables_collections=["mine"])
    depthwise, biases = tf.global_variables()
    assert [v.op.name for v in (depthwise, biases)] == ["SeparableConv2d/depthwise_weights",
                                                        "SeparableConv2d/biases"]
    assert depthwise.shape.as_list() == [3, 3, 3, 2] and y.shape.as_list() == [2, 5, 5, 6]
    assert tf.get_collection("mine") == [depthwise, biases]
    expected = tf.nn.relu(tf.nn.depthwise_conv2d(x, depthwise, [1, 1, 1, 1], "SAME",
                                                 rate=[2, 2]) + biases)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, want = sess.run([y, expected], {x: images})
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_summarize_activations_tags_and_fractions():
    x = tf.constant(np.array([[-1.0, 2.0, 7.0, -3.0]], np.float32))
    tf.add_to_collection(tf.GraphKeys.ACTIVATIONS, tf.nn.relu6(x, name="six"))
    tf.add_to_collection(tf.GraphKeys.ACTIVATIONS, tf.nn.relu(x, name="plain"))
    tf.add_to_collection(tf.GraphKeys.ACTIVATIONS, tf.tanh(x, name="squashed"))
    histograms = layers.summarize_activations()
    assert [h.op.name for h in histograms] == ["six/activation", "plain/activation",
                                               "squashed/activation"]
    summary = tf.Summary()
    summary.ParseFromString(_run(tf.summary.merge_all()))
    scalars = {v.tag: v.simple_value for v in summary.value if v.HasField("simple_value")}
    assert scalars == {"six/zeros": 0.5, "six/sixes": 0.25, "plain/zeros": 0.5}
    assert [h.op.name for h in layers.summarize_activations("plain")] == [
        "plain/activation_1"]

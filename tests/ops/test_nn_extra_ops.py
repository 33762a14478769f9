"""embedding_lookup, lrn, swish, weighted cross-entropy, zero_fraction: gradients, shapes
and errors (values against TF are in test_tf_fidelity.py)."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case

RNG = np.random.RandomState(19)
IDS = [[0, 4], [4, 6]]

GRADIENT_CASES = [
    GradCase("embedding_lookup", lambda p: tf.nn.embedding_lookup(p, IDS), [RNG.randn(7, 3)],
             order=2),
    GradCase("embedding_lookup_mod_partitions",
             lambda a, b: tf.nn.embedding_lookup([a, b], [0, 3, 2, 2]),
             [RNG.randn(2, 3), RNG.randn(2, 3)]),
    GradCase("embedding_lookup_div_max_norm",
             lambda a, b: tf.nn.embedding_lookup([a, b], [0, 4, 1], partition_strategy="div",
                                                 max_norm=1.0),
             [RNG.randn(3, 2), RNG.randn(2, 2)]),
    GradCase("lrn", lambda x: tf.nn.lrn(x, depth_radius=1, bias=1.5, alpha=0.3, beta=0.75),
             [RNG.randn(1, 2, 2, 4)], order=2),
    GradCase("swish_beta", lambda x: [tf.nn.swish(x), tf.nn.silu(x, beta=2.0)],
             [RNG.randn(2, 3)], order=2),
    GradCase("weighted_cross_entropy",
             lambda z, x: tf.nn.weighted_cross_entropy_with_logits(labels=z, logits=x,
                                                                   pos_weight=2.5),
             [RNG.uniform(size=(2, 3)), RNG.randn(2, 3) * 3], order=2),
    GradCase("crelu_relu_layer", lambda x, w: [tf.nn.crelu(x), tf.nn.relu_layer(x, w, [0.1])],
             [RNG.randn(2, 3), RNG.randn(3, 1)]),
    GradCase("log_poisson_loss_full",
             lambda c: tf.nn.log_poisson_loss(np.array([0.0, 0.5, 3.0]), c,
                                              compute_full_loss=True), [RNG.randn(3)]),
    GradCase("moments_family",
             lambda x, w: [*tf.nn.weighted_moments(x, [1], w),
                           *tf.nn.normalize_moments(*tf.nn.sufficient_statistics(
                               x, [0], shift=tf.reduce_mean(x)))],
             [RNG.randn(2, 3), RNG.uniform(0.5, 2.0, size=(2, 1))]),
    GradCase("softmax_xent_labels_reshaped_and_broadcast",
             lambda x, z: [tf.nn.softmax_cross_entropy_with_logits_v2(
                 labels=tf.reshape(z, [2, 1, 3]), logits=x),
                 tf.nn.softmax_cross_entropy_with_logits_v2(labels=z[:1], logits=x)],
             [RNG.randn(2, 3), RNG.uniform(size=(2, 3))]),
    GradCase("space_depth_round_trip",
             lambda x: [tf.space_to_depth(x, 2), tf.nn.depth_to_space(x * 2.0, 2)],
             [RNG.randn(1, 2, 4, 4)]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


def test_embedding_gradient_is_indexed_slices_accumulating_repeated_ids():
    params = tf.Variable(np.zeros((5, 2)))
    (grad,) = tf.gradients(tf.nn.embedding_lookup(params, [1, 1, 3]), [params])
    assert isinstance(grad, tf.IndexedSlices) and grad.shape.as_list() == [5, 2]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        dense = sess.run(tf.convert_to_tensor(grad))
        np.testing.assert_array_equal(dense[:, 0], [0, 2, 0, 1, 0])


def test_shapes_and_names():
    ids = tf.placeholder(tf.int64, [None, 3])
    emb = tf.nn.embedding_lookup(np.ones((10, 4), np.float32), ids, name="lookup")
    assert emb.shape.as_list() == [None, 3, 4] and emb.op.name == "lookup"
    assert tf.nn.zero_fraction(np.ones(3)).dtype == tf.float32
    assert tf.nn.lrn(tf.placeholder(tf.float32, [None, 5, 5, 3])).shape.as_list() == \
        [None, 5, 5, 3]


def test_space_to_depth_and_back():
    x = np.arange(48.0).reshape(1, 4, 2, 6)
    with tf.Session() as sess:
        packed, back = sess.run([tf.space_to_depth(x, 2),
                                 tf.depth_to_space(tf.space_to_depth(x, 2), 2)])
    assert packed.shape == (1, 2, 1, 24)
    np.testing.assert_array_equal(back, x)
    with pytest.raises(ValueError, match="space_to_depth: block_size 3 must be"):
        tf.space_to_depth(x, 3)
    with pytest.raises(ValueError, match="only data_format='NHWC'"):
        tf.nn.depth_to_space(x, 2, data_format="NCHW")


def test_softmax_xent_adapts_labels_as_tf1():
    logits = tf.placeholder(tf.float32, [None, 7])
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.placeholder(tf.float32, [None, 1, 7]), logits=logits)
    assert loss.shape.as_list() == [None]
    with pytest.raises(ValueError, match="at least the same number of classes"):
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=np.ones((2, 1, 6)), logits=logits)


def test_errors():
    with pytest.raises(ValueError, match="partition_strategy must be 'mod' or 'div'"):
        tf.nn.embedding_lookup([np.ones((2, 2))] * 2, [0], partition_strategy="xyz")
    with pytest.raises(ValueError, match="partitions of sizes \\[1, 3\\] do not fit"):
        tf.nn.embedding_lookup([np.ones((1, 2)), np.ones((3, 2))], [0])
    with pytest.raises(ValueError, match="first dimension known"):
        tf.nn.embedding_lookup([tf.placeholder(tf.float32, [None, 2])] * 2, [0])
    with pytest.raises(ValueError, match="lrn: input must be 4-D"):
        tf.nn.lrn(np.ones((2, 3), np.float32))
    with pytest.raises(ValueError, match="must have the same shape"):
        tf.nn.weighted_cross_entropy_with_logits(labels=np.ones(2), logits=np.ones(3),
                                                 pos_weight=1.0)
    with pytest.raises(ValueError, match="Cannot specify both 'labels' and 'targets'"):
        tf.nn.weighted_cross_entropy_with_logits(labels=1.0, targets=1.0, logits=1.0,
                                                 pos_weight=1.0)
    table = tf.nn.embedding_lookup(np.ones((3, 2)), tf.constant([5]))
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="index 5 is not in \\[0, 3\\)"):
        sess.run(table)

"""nce_loss and sampled_softmax_loss: values and gradients against TensorFlow 2.21 for
fixed sampled values (tests/fixtures/tf_sampled_losses.json, from
tools/tf_sampled_loss_fixtures.py), finite differences in float64, IndexedSlices gradients
through the sparse optimizer path, and the default seeded sampler."""
import json
import pathlib

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case
from tests.ops.sampled_loss_cases import CASES

FIXTURE = pathlib.Path(__file__).parent.parent / "fixtures" / "tf_sampled_losses.json"
TF_VALUES = json.loads(FIXTURE.read_text())["cases"]

RNG = np.random.RandomState(5)
LABELS = np.array([[1, 3], [3, 5], [0, 1]])
# fixed sampled values: 3 and 1 are accidental hits, 3 is drawn twice
SAMPLED = (np.array([3, 1, 6, 0, 3]), RNG.uniform(0.2, 1.0, (3, 2)),
           RNG.uniform(0.2, 1.0, 5))


def _loss_case(name, fn, hits, parts=1, strategy="mod"):
    def build(w, b, x):
        w_arg = w if parts == 1 else tf.split(w, parts, 0)
        b_arg = b if parts == 1 else tf.split(b, parts, 0)
        return fn(w_arg, b_arg, LABELS, x, 5, 8, num_true=2, sampled_values=SAMPLED,
                  remove_accidental_hits=hits, partition_strategy=strategy)
    return GradCase(name, build, [RNG.randn(8, 3), RNG.randn(8), RNG.randn(3, 3)])


GRADIENT_CASES = [
    _loss_case("nce_loss", tf.nn.nce_loss, False),
    _loss_case("nce_loss_remove_accidental_hits", tf.nn.nce_loss, True),
    _loss_case("sampled_softmax_loss", tf.nn.sampled_softmax_loss, True),
    _loss_case("sampled_softmax_loss_keep_hits", tf.nn.sampled_softmax_loss, False),
    _loss_case("sampled_softmax_loss_div_partitions", tf.nn.sampled_softmax_loss, True, 2,
               "div"),
    _loss_case("nce_loss_mod_partitions", tf.nn.nce_loss, False, 2, "mod"),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients_match_finite_differences_reverse_and_forward(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


@pytest.mark.parametrize("name, build", CASES, ids=[n for n, _ in CASES])
def test_values_and_gradients_equal_tensorflow(name, build):
    with tf.Graph().as_default(), tf.Session() as sess:
        values = sess.run(build(tf))
    rtol = 1e-5 if "float32" in name else 1e-10
    for got, want in zip(values, TF_VALUES[name], strict=True):
        np.testing.assert_allclose(got, np.asarray(want), rtol=rtol, atol=rtol, err_msg=name)


def _model(num_sampled=4, vocab=50, dim=6, batch=5, seed=None):
    rng = np.random.RandomState(1)
    weights = tf.Variable(rng.randn(vocab, dim), name="nce_w")
    biases = tf.Variable(np.zeros(vocab), name="nce_b")
    inputs = tf.constant(rng.randn(batch, dim))
    labels = rng.randint(0, vocab, (batch, 1))
    loss = tf.reduce_mean(tf.nn.sampled_softmax_loss(weights, biases, labels, inputs,
                                                     num_sampled, vocab, seed=seed))
    return weights, biases, labels, loss


def test_weight_and_bias_gradients_are_indexed_slices_of_the_looked_up_rows():
    weights, biases, _, loss = _model()
    grad_w, grad_b = tf.gradients(loss, [weights, biases])
    assert isinstance(grad_w, tf.IndexedSlices) and isinstance(grad_b, tf.IndexedSlices)
    assert grad_w.values.shape.as_list() == [5 + 4, 6]  # true rows, then sampled


def test_sgd_step_changes_only_the_true_and_sampled_rows_as_the_dense_gradient_says():
    weights, biases, labels, loss = _model(seed=3)
    sampler = [op for op in tf.get_default_graph().get_operations()
               if op.type == "LogUniformCandidateSampler"]
    assert len(sampler) == 1
    sampled = sampler[0].outputs[0]
    dense_grad = tf.convert_to_tensor(tf.gradients(loss, weights)[0])
    step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(weights)
        # one run: the gradient and the update see the same draw
        grad, ids, _ = sess.run([dense_grad, sampled, step])
        after = sess.run(weights)
    touched = np.union1d(labels.ravel(), ids)
    untouched = np.setdiff1d(np.arange(50), touched)
    np.testing.assert_array_equal(after[untouched], before[untouched])
    np.testing.assert_allclose(after, before - 0.5 * grad, rtol=1e-12, atol=1e-12)
    assert np.abs(after[touched] - before[touched]).max() > 0


def test_default_sampler_is_seeded_by_the_graph_seed():
    def loss_values():
        with tf.Graph().as_default():
            tf.set_random_seed(11)
            *_, loss = _model()
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                return [sess.run(loss) for _ in range(3)]
    first, second = loss_values(), loss_values()
    assert first == second
    assert len(set(first)) > 1  # each run draws new classes


def test_nce_loss_on_a_learnable_problem_falls():
    rng = np.random.RandomState(0)
    vocab, dim = 30, 8
    inputs = tf.Variable(rng.randn(vocab, dim) * 0.1)
    weights = tf.Variable(rng.randn(vocab, dim) * 0.1)
    biases = tf.Variable(np.zeros(vocab))
    ids = tf.placeholder(tf.int32, [None])
    labels = tf.placeholder(tf.int64, [None, 1])
    loss = tf.reduce_mean(tf.nn.nce_loss(weights, biases, labels,
                                         tf.nn.embedding_lookup(inputs, ids), 5, vocab))
    step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    x = np.arange(vocab)
    feed = {ids: x, labels: ((x + 1) % vocab)[:, None]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start = np.mean([sess.run(loss, feed) for _ in range(10)])
        for _ in range(300):
            sess.run(step, feed)
        end = np.mean([sess.run(loss, feed) for _ in range(10)])
    assert end < 0.5 * start


def test_bad_labels_shape_is_named():
    with pytest.raises(ValueError, match=r"labels must be \[batch_size, num_true=2\]"):
        tf.nn.nce_loss(np.ones((4, 2)), np.ones(4), [[1], [2]], np.ones((2, 2)), 2, 4,
                       num_true=2)


def test_an_sgd_step_allocates_o_batch_not_o_vocabulary():
    """A word2vec step on 40,000 x 32 tables (4.9 MiB each) allocates a few rows only."""
    import tracemalloc
    vocab, dim, batch = 40_000, 32, 64
    rng = np.random.RandomState(0)
    embeddings = tf.Variable(rng.uniform(-1, 1, (vocab, dim)).astype(np.float32))
    weights = tf.Variable(rng.randn(vocab, dim).astype(np.float32) * 0.1)
    biases = tf.Variable(np.zeros(vocab, np.float32))
    ids = tf.placeholder(tf.int32, [batch])
    labels = tf.placeholder(tf.int64, [batch, 1])
    loss = tf.reduce_mean(tf.nn.nce_loss(weights, biases, labels,
                                         tf.nn.embedding_lookup(embeddings, ids), 64, vocab))
    step = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
    feed = {ids: rng.randint(0, vocab, batch), labels: rng.randint(0, vocab, (batch, 1))}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(2):
            sess.run(step, feed)
        tracemalloc.start()
        try:
            sess.run(step, feed)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak < 0.1 * vocab * dim * 4, peak  # a dense gradient alone is the table

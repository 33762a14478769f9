"""tf.contrib.crf against a NumPy reference that enumerates every tag sequence (the
definition of the CRF's score and partition function), with TF 1.15's length masking
(lengths 0 and 1, a single time step) and float64 finite differences in reverse and
forward mode."""
import itertools

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.contrib import crf

RNG = np.random.RandomState(3)
INPUTS = RNG.normal(size=(4, 4, 3))
TAGS = RNG.randint(0, 3, size=(4, 4))
LENGTHS = np.array([4, 2, 1, 0])
TRANSITIONS = RNG.normal(size=(3, 3))


def _score(unary, tags, transitions):
    return sum(unary[t, tag] for t, tag in enumerate(tags)) + \
        sum(transitions[a, b] for a, b in zip(tags[:-1], tags[1:]))


def _sequences(length, num_tags):
    return itertools.product(range(num_tags), repeat=length)


def _reference(inputs, tags, lengths, transitions):
    """Per row: (score of its tags, log-norm, best sequence padded with 0, best score)."""
    rows = []
    for unary, row_tags, length in zip(inputs, tags, lengths):
        if length == 0:
            rows.append((0.0, 0.0, [int(np.argmax(unary[0]))], unary[0].max()))
            continue
        scores = {seq: _score(unary[:length], seq, transitions)
                  for seq in _sequences(length, inputs.shape[2])}
        best = max(scores, key=scores.get)
        rows.append((_score(unary[:length], row_tags[:length], transitions),
                     np.logaddexp.reduce(list(scores.values())), list(best), scores[best]))
    return rows


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


@pytest.mark.parametrize("steps", [4, 1])
def test_scores_log_norm_and_likelihood_match_enumeration(steps):
    inputs, tags = INPUTS[:, :steps], TAGS[:, :steps]
    lengths = np.minimum(LENGTHS, steps)
    expected = _reference(inputs, tags, lengths, TRANSITIONS)
    score = crf.crf_sequence_score(inputs, tags, lengths, TRANSITIONS)
    log_norm = crf.crf_log_norm(inputs, lengths, TRANSITIONS)
    likelihood, params = crf.crf_log_likelihood(inputs, tags, lengths, TRANSITIONS)
    unary = crf.crf_unary_score(tags, lengths, inputs)
    binary = crf.crf_binary_score(tags, lengths, TRANSITIONS)
    got = _run([score, log_norm, likelihood, unary + binary])
    np.testing.assert_allclose(got[0], [row[0] for row in expected], rtol=1e-12)
    np.testing.assert_allclose(got[1], [row[1] for row in expected], rtol=1e-12)
    np.testing.assert_allclose(got[2], got[0] - got[1], rtol=1e-12)
    np.testing.assert_allclose(got[3], got[0], rtol=1e-12)
    assert params is TRANSITIONS  # returned as given, as TF1 does
    assert got[2][-1] == 0.0


def test_likelihood_of_all_sequences_sums_to_one():
    length = 3
    sequences = np.array(list(_sequences(length, 3)))
    inputs = np.repeat(INPUTS[:1, :length], len(sequences), 0)
    likelihood, _ = crf.crf_log_likelihood(inputs, sequences, [length] * len(sequences),
                                           TRANSITIONS)
    np.testing.assert_allclose(np.exp(_run(likelihood)).sum(), 1.0, rtol=1e-12)


@pytest.mark.parametrize("steps", [4, 1])
def test_crf_decode_and_viterbi_decode_find_the_best_sequence(steps):
    inputs, lengths = INPUTS[:, :steps], np.minimum(LENGTHS, steps)
    expected = _reference(inputs, TAGS[:, :steps], lengths, TRANSITIONS)
    tags, best = _run(crf.crf_decode(inputs, TRANSITIONS, lengths))
    assert tags.dtype == np.int32 and tags.shape == (4, steps)
    for row, length, (_, _, sequence, score), got_tags, got_best in zip(
            inputs, lengths, expected, tags, best):
        padded = sequence + [0] * (steps - len(sequence))
        assert list(got_tags) == padded
        np.testing.assert_allclose(got_best, score, rtol=1e-12)
        if length:
            viterbi, viterbi_score = crf.viterbi_decode(row[:length], TRANSITIONS)
            assert viterbi == sequence
            np.testing.assert_allclose(viterbi_score, score, rtol=1e-12)


def test_dynamic_shapes_with_one_or_more_steps():
    inputs = tf.placeholder(tf.float64, [None, None, 3])
    tags = tf.placeholder(tf.int64, [None, None])
    lengths = tf.placeholder(tf.int32, [None])
    likelihood, _ = crf.crf_log_likelihood(inputs, tags, lengths, TRANSITIONS)
    decoded, _ = crf.crf_decode(inputs, TRANSITIONS, lengths)
    for steps in (4, 1):
        feed = {inputs: INPUTS[:, :steps], tags: TAGS[:, :steps],
                lengths: np.minimum(LENGTHS, steps)}
        static = crf.crf_log_likelihood(INPUTS[:, :steps], TAGS[:, :steps],
                                        np.minimum(LENGTHS, steps), TRANSITIONS)[0]
        static_tags = crf.crf_decode(INPUTS[:, :steps], TRANSITIONS,
                                     np.minimum(LENGTHS, steps))[0]
        got, want = _run([[likelihood, decoded], [static, static_tags]], feed)
        np.testing.assert_allclose(got[0], want[0], rtol=1e-12)
        np.testing.assert_array_equal(got[1], want[1])


def test_transitions_variable_is_created_with_tf1_name_and_trains():
    inputs = tf.constant(INPUTS.astype(np.float32))
    with tf.variable_scope("crf_layer"):
        likelihood, transitions = crf.crf_log_likelihood(inputs, TAGS, LENGTHS)
    assert transitions.name == "crf_layer/transitions:0"
    assert transitions.shape.as_list() == [3, 3] and transitions.dtype.base_dtype == tf.float32
    assert transitions in tf.trainable_variables()
    loss = tf.reduce_mean(-likelihood)
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(loss)
        for _ in range(20):
            sess.run(train)
        assert sess.run(loss) < before


def test_gradients_match_finite_differences_in_both_modes():
    inputs = tf.placeholder(tf.float64, [4, 4, 3])
    transitions = tf.placeholder(tf.float64, [3, 3])
    likelihood, _ = crf.crf_log_likelihood(inputs, TAGS, LENGTHS, transitions)
    feed = {inputs: INPUTS, transitions: TRANSITIONS}
    with tf.Session():
        for x, value in ((inputs, INPUTS), (transitions, TRANSITIONS)):
            other = {k: v for k, v in feed.items() if k is not x}
            theoretical, numerical = tf.test.compute_gradient(
                x, list(value.shape), likelihood, [4], x_init_value=value, delta=1e-6,
                extra_feed_dict=other)
            np.testing.assert_allclose(theoretical, numerical, atol=1e-7)
    tangent = RNG.normal(size=INPUTS.shape)
    forward = tf.jvp(likelihood, inputs, tf.constant(tangent))[0]
    got = _run(forward, feed)
    step = 1e-6
    plus = _run(likelihood, {inputs: INPUTS + step * tangent, transitions: TRANSITIONS})
    minus = _run(likelihood, {inputs: INPUTS - step * tangent, transitions: TRANSITIONS})
    np.testing.assert_allclose(got, (plus - minus) / (2 * step), atol=1e-7)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"crf_log_norm: inputs must be .*shape \(4, 4\)"):
        crf.crf_log_norm(INPUTS[..., 0], LENGTHS, TRANSITIONS)
    with pytest.raises(ValueError, match=r"crf_decode: transition_params .*shape \(3, 2\)"):
        crf.crf_decode(INPUTS, TRANSITIONS[:, :2], LENGTHS)
    with pytest.raises(ValueError, match="tag_indices must be an integer"):
        crf.crf_sequence_score(INPUTS, TAGS.astype(np.float64), LENGTHS, TRANSITIONS)
    with pytest.raises(ValueError, match="the number of tags .* must be known"):
        crf.crf_log_likelihood(tf.placeholder(tf.float32, [None, None, None]), TAGS, LENGTHS)
    with pytest.raises(ValueError, match=r"viterbi_decode: .*shapes \(4, 3\) and \(2, 2\)"):
        crf.viterbi_decode(INPUTS[0], TRANSITIONS[:2, :2])
    assert tf.contrib.crf.crf_decode is crf.crf_decode


# the unary score gathers from the flattened potentials, whose gradient TF1 also densifies
# from an unknown shape (with this warning)
@pytest.mark.filterwarnings("ignore:Converting sparse IndexedSlices")
def test_bilstm_crf_tagger_learns_a_toy_tagging_task():
    rng = np.random.RandomState(0)
    words = rng.randint(0, 6, size=(16, 6))
    lengths = rng.randint(2, 7, size=16)
    mask = np.arange(6) < lengths[:, None]
    tags = (words % 3) * mask
    ids, gold = tf.placeholder(tf.int32, [None, None]), tf.placeholder(tf.int32, [None, None])
    lens = tf.placeholder(tf.int32, [None])
    embedded = tf.contrib.layers.embed_sequence(ids, 6, 8)
    (fw, bw), _ = tf.nn.bidirectional_dynamic_rnn(
        tf.contrib.rnn.LSTMBlockCell(8), tf.contrib.rnn.LSTMBlockCell(8), embedded, lens,
        dtype=tf.float32)
    logits = tf.layers.dense(tf.concat([fw, bw], 2), 3)
    likelihood, transitions = tf.contrib.crf.crf_log_likelihood(logits, gold, lens)
    loss = tf.reduce_mean(-likelihood)
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    decoded, _ = tf.contrib.crf.crf_decode(logits, transitions, lens)
    feed = {ids: words, gold: tags, lens: lengths}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, feed)
        for _ in range(40):
            sess.run(train, feed)
        predicted, last = sess.run([decoded, loss], feed)
    assert last < 0.1 * first
    assert (predicted == tags)[mask].mean() > 0.95 and (predicted[~mask] == 0).all()

"""tf.contrib.seq2seq.sequence_loss and tf.contrib.legacy_seq2seq (losses, rnn_decoder)
against NumPy written from TF1's documented formulas, with float64 finite differences."""
import numpy as np
import pytest

import staticgraph as tf

RNG = np.random.RandomState(5)
LOGITS = RNG.normal(size=(3, 4, 5))
TARGETS = RNG.randint(0, 5, size=(3, 4))
WEIGHTS = np.array([[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1]], np.float64)


def _xent(logits, targets):
    shifted = logits - logits.max(-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
    return -np.take_along_axis(log_probs, targets[..., None], -1)[..., 0]


def _run(fetch):
    with tf.Session() as sess:
        return sess.run(fetch)


@pytest.mark.parametrize("flags", [
    dict(), dict(average_across_timesteps=False),
    dict(average_across_batch=False),
    dict(average_across_timesteps=False, average_across_batch=False),
    dict(average_across_timesteps=False, sum_over_timesteps=True),
    dict(average_across_batch=False, sum_over_batch=True),
    dict(average_across_timesteps=False, average_across_batch=False,
         sum_over_timesteps=True, sum_over_batch=True)])
def test_sequence_loss_averages_and_sums_as_documented(flags):
    weighted = _xent(LOGITS, TARGETS) * WEIGHTS
    average_t = flags.get("average_across_timesteps", True)
    average_b = flags.get("average_across_batch", True)
    sum_t, sum_b = flags.get("sum_over_timesteps", False), flags.get("sum_over_batch", False)
    axis = {(True, True): None, (True, False): 1, (False, True): 0}.get(
        (average_t or sum_t, average_b or sum_b), "none")
    if axis == "none":
        expected = weighted
    elif average_t or average_b:
        expected = weighted.sum(axis) / WEIGHTS.sum(axis)
    else:
        expected = weighted.sum(axis) / np.count_nonzero(WEIGHTS, axis)
    got = _run(tf.contrib.seq2seq.sequence_loss(LOGITS, TARGETS, WEIGHTS, **flags))
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_sequence_loss_zero_weights_give_zero_and_bad_ranks_are_named():
    loss = tf.contrib.seq2seq.sequence_loss(LOGITS, TARGETS, np.zeros((3, 4)))
    assert _run(loss) == 0.0
    with pytest.raises(ValueError, match=r"Logits must be .* shape \(3, 4\)"):
        tf.contrib.seq2seq.sequence_loss(LOGITS[..., 0], TARGETS, WEIGHTS)
    with pytest.raises(ValueError, match="cannot be set to True at same time"):
        tf.contrib.seq2seq.sequence_loss(LOGITS, TARGETS, WEIGHTS, sum_over_batch=True)
    with pytest.raises(AttributeError, match="tf.contrib.seq2seq.BasicDecoder is not"):
        tf.contrib.seq2seq.BasicDecoder


def test_sequence_loss_gradient_matches_finite_differences():
    logits = tf.placeholder(tf.float64, [3, 4, 5])
    loss = tf.contrib.seq2seq.sequence_loss(logits, TARGETS, WEIGHTS,
                                            average_across_batch=False)
    with tf.Session():
        theoretical, numerical = tf.test.compute_gradient(logits, [3, 4, 5], loss, [3],
                                                          x_init_value=LOGITS, delta=1e-6)
    np.testing.assert_allclose(theoretical, numerical, atol=1e-8)


def test_legacy_losses_over_lists_of_steps():
    steps = [tf.constant(LOGITS[:, t]) for t in range(4)]
    targets = [tf.constant(TARGETS[:, t]) for t in range(4)]
    weights = [tf.constant(WEIGHTS[:, t]) for t in range(4)]
    per_example = tf.contrib.legacy_seq2seq.sequence_loss_by_example(steps, targets, weights)
    total = tf.contrib.legacy_seq2seq.sequence_loss(steps, targets, weights,
                                                    average_across_timesteps=False)
    weighted = _xent(LOGITS, TARGETS) * WEIGHTS
    expected = weighted.sum(1) / (WEIGHTS.sum(1) + 1e-12)
    got_per_example, got_total = _run([per_example, total])
    np.testing.assert_allclose(got_per_example, expected, rtol=1e-12)
    np.testing.assert_allclose(got_total, weighted.sum() / 3, rtol=1e-12)
    with pytest.raises(ValueError, match="must be the same 4, 3, 4"):
        tf.contrib.legacy_seq2seq.sequence_loss_by_example(steps, targets, weights[:3])


def test_rnn_decoder_shares_the_cell_and_feeds_back_with_a_loop_function():
    cell = tf.nn.rnn_cell.BasicRNNCell(3)
    inputs = [tf.constant(RNG.normal(size=(2, 3))) for _ in range(3)]
    state = cell.zero_state(2, tf.float64)
    outputs, final = tf.contrib.legacy_seq2seq.rnn_decoder(inputs, state, cell)
    fed_back, _ = tf.contrib.legacy_seq2seq.rnn_decoder(
        inputs, state, cell, loop_function=lambda previous, i: previous * 2.0,
        scope="rnn_decoder")
    assert [v.op.name for v in tf.trainable_variables()] == [
        "rnn_decoder/basic_rnn_cell/kernel", "rnn_decoder/basic_rnn_cell/bias"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        kernel, bias = sess.run(tf.trainable_variables())
        got, got_final, got_fed = sess.run([outputs, final, fed_back])
    h, expected, h_fed, expected_fed = np.zeros((2, 3)), [], np.zeros((2, 3)), []
    x_fed = None
    for t, x in enumerate(_run(inputs)):
        h = np.tanh(np.concatenate([x, h], 1) @ kernel + bias)
        expected.append(h)
        x_fed = x if t == 0 else 2.0 * h_fed
        h_fed = np.tanh(np.concatenate([x_fed, h_fed], 1) @ kernel + bias)
        expected_fed.append(h_fed)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    np.testing.assert_allclose(got_final, expected[-1], rtol=1e-12)
    np.testing.assert_allclose(got_fed, expected_fed, rtol=1e-12)

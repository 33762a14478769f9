"""DropoutWrapper(variational_recurrent=True): TF1's masks, one per run shared by every
time step and batch entry ([1, size] noise), and the state filter inside nested states."""
import numpy as np
import pytest

import staticgraph as tf

cell = tf.nn.rnn_cell
BATCH, STEPS, DEPTH = 3, 4, 40


class Echo(cell.RNNCell):
    """Outputs its (dropped-out) inputs; its state is the last of them."""

    @property
    def state_size(self):
        return DEPTH

    @property
    def output_size(self):
        return DEPTH

    def _create(self, input_depth, dtype):
        pass

    def call(self, inputs, state):
        return inputs, inputs


def _x():
    return np.random.RandomState(0).uniform(1.0, 2.0, (BATCH, STEPS, DEPTH))


@pytest.mark.parametrize("which", ["input", "output"])
def test_one_mask_for_every_step_and_batch_entry(which):
    keeps = {"input_keep_prob": 1.0, "output_keep_prob": 1.0, which + "_keep_prob": 0.5}
    wrapped = cell.DropoutWrapper(Echo(), variational_recurrent=True, dtype=tf.float64,
                                  input_size=DEPTH, **keeps)
    out, _ = tf.nn.dynamic_rnn(wrapped, tf.constant(_x()), dtype=tf.float64)
    with tf.Session() as sess:
        first, second = sess.run(out), sess.run(out)
    mask = first[0, 0] != 0
    assert 0.2 < mask.mean() < 0.8
    np.testing.assert_allclose(first, _x() * mask / 0.5, rtol=1e-15)
    assert not np.array_equal(second[0, 0] != 0, mask)  # a new mask for each run


def test_state_dropout_keeps_lstm_c_also_inside_a_multi_cell():
    """TF1's filter is applied at every level: each layer's c is left alone, h dropped
    (one step, so the state's c equals the run without dropout)."""
    x = tf.constant(np.random.RandomState(1).randn(BATCH, 1, 3))
    states = []
    for keep in (1.0, 0.5):
        with tf.variable_scope(f"k{keep}"):
            multi = cell.MultiRNNCell([cell.BasicLSTMCell(30), cell.BasicLSTMCell(30)])
            wrapped = cell.DropoutWrapper(multi, state_keep_prob=keep, seed=5,
                                          variational_recurrent=keep < 1, dtype=tf.float64)
            states.append(tf.nn.dynamic_rnn(wrapped, x, dtype=tf.float64)[1])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for a, b in zip(tf.global_variables()[:4], tf.global_variables()[4:]):
            b.load(sess.run(a), sess)
        plain, dropped = sess.run(states)
    for layer in range(2):
        np.testing.assert_array_equal(dropped[layer].c, plain[layer].c)
        h_mask = dropped[layer].h != 0
        assert 0.2 < h_mask.mean() < 0.8 and np.all(h_mask == h_mask[0])
        np.testing.assert_allclose(dropped[layer].h, plain[layer].h * h_mask / 0.5)


def test_variational_dropout_needs_dtype_and_input_size():
    with pytest.raises(ValueError, match="dtype must be provided"):
        cell.DropoutWrapper(Echo(), output_keep_prob=0.5, variational_recurrent=True)
    with pytest.raises(ValueError, match="input_size must be provided"):
        cell.DropoutWrapper(Echo(), input_keep_prob=0.5, variational_recurrent=True,
                            dtype=tf.float32)
    # no input dropout: no input_size needed, and noise drawn for the state only
    cell.DropoutWrapper(Echo(), state_keep_prob=0.5, variational_recurrent=True,
                        dtype=tf.float32)
    assert [op.type for op in tf.get_default_graph().get_operations()].count(
        "RandomUniform") == 1

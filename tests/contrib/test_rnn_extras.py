"""tf.contrib.rnn's projection wrappers, block cells and stacked bidirectional RNNs: TF1's
variable names (checked against TF 1.15's sources), values against NumPy or the core cells
with the same weights, and a float64 finite-difference gradient."""
import numpy as np
import pytest

import staticgraph as tf

rnn = tf.contrib.rnn
RNG = np.random.RandomState(11)
X = RNG.normal(size=(2, 5, 3))
LENGTHS = np.array([5, 2])


def _names():
    return [v.op.name for v in tf.global_variables()]


def _run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


def test_projection_wrappers_names_and_values():
    inner = rnn.BasicRNNCell(4)
    out, _ = tf.nn.dynamic_rnn(rnn.OutputProjectionWrapper(inner, 2, activation=tf.tanh),
                               tf.constant(X), dtype=tf.float64)
    feeds, _ = tf.nn.dynamic_rnn(rnn.InputProjectionWrapper(rnn.BasicRNNCell(4), 6),
                                 tf.constant(X), dtype=tf.float64, scope="fed")
    assert _names() == ["rnn/output_projection_wrapper/basic_rnn_cell/kernel",
                        "rnn/output_projection_wrapper/basic_rnn_cell/bias",
                        "rnn/output_projection_wrapper/kernel",
                        "rnn/output_projection_wrapper/bias",
                        "fed/input_projection_wrapper/kernel",
                        "fed/input_projection_wrapper/bias",
                        "fed/input_projection_wrapper/basic_rnn_cell/kernel",
                        "fed/input_projection_wrapper/basic_rnn_cell/bias"]
    assert out.shape.as_list() == [2, 5, 2] and feeds.shape.as_list() == [2, 5, 4]
    got_out, got_feeds, weights = _run([out, feeds, tf.global_variables()])
    w, b, pw, pb, iw, ib, w2, b2 = weights

    def basic_rnn(xs, kernel, bias):
        h, outs = np.zeros((2, 4)), []
        for t in range(xs.shape[1]):
            h = np.tanh(np.concatenate([xs[:, t], h], 1) @ kernel + bias)
            outs.append(h)
        return np.stack(outs, 1)
    np.testing.assert_allclose(got_out, np.tanh(basic_rnn(X, w, b) @ pw + pb), rtol=1e-10)
    np.testing.assert_allclose(got_feeds, basic_rnn(X @ iw + ib, w2, b2), rtol=1e-10)
    with pytest.raises(ValueError, match="output_size must be > 0: 0"):
        rnn.OutputProjectionWrapper(inner, 0)
    with pytest.raises(TypeError, match="cell is not RNNCell, got int"):
        rnn.InputProjectionWrapper(3, 2)


def test_output_projection_gradient_matches_finite_differences():
    x = tf.placeholder(tf.float64, [2, 5, 3])
    cell = rnn.OutputProjectionWrapper(rnn.GRUCell(3), 2)
    out, _ = tf.nn.dynamic_rnn(cell, x, sequence_length=LENGTHS, dtype=tf.float64)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        theoretical, numerical = tf.test.compute_gradient(x, [2, 5, 3], out, [2, 5, 2],
                                                          x_init_value=X, delta=1e-6)
    np.testing.assert_allclose(theoretical, numerical, atol=1e-8)


@pytest.mark.parametrize("block, core, names", [
    (lambda: rnn.LSTMBlockCell(4, forget_bias=0.5, cell_clip=0.8, use_peephole=True),
     lambda: rnn.LSTMCell(4, forget_bias=0.5, cell_clip=0.8, use_peepholes=True),
     ["kernel", "bias", "w_f_diag", "w_i_diag", "w_o_diag"]),
    (lambda: rnn.GRUBlockCell(4), lambda: rnn.GRUCell(4), ["w_ru", "b_ru", "w_c", "b_c"]),
    (lambda: rnn.GRUBlockCellV2(cell_size=4), lambda: rnn.GRUCell(4),
     ["gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias"]),
])
def test_block_cells_are_the_core_cells_under_tf1_names(block, core, names):
    with tf.variable_scope("block"):
        block_out, _ = tf.nn.dynamic_rnn(block(), tf.constant(X), LENGTHS, dtype=tf.float64)
    block_vars = tf.global_variables()
    base = "lstm_cell" if len(names) == 5 else "gru_cell"
    assert _names() == [f"block/rnn/{base}/{n}" for n in names]
    with tf.variable_scope("core"):
        core_out, _ = tf.nn.dynamic_rnn(core(), tf.constant(X), LENGTHS, dtype=tf.float64)
    core_vars = tf.global_variables()[len(block_vars):]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for b, c in zip(block_vars, core_vars):  # same values, the same order of creation
            sess.run(c.assign(b))
        if names[0] == "w_ru":
            np.testing.assert_array_equal(sess.run(block_vars[1]), np.ones(8))
        got_block, got_core = sess.run([block_out, core_out])
    np.testing.assert_allclose(got_block, got_core, rtol=1e-12)
    with pytest.raises(ValueError, match="Exactly one of num_units or cell_size"):
        rnn.GRUBlockCell(4, cell_size=4)


def test_stack_bidirectional_dynamic_rnn_scopes_values_and_checks():
    cells = lambda: [rnn.LSTMCell(3), rnn.GRUCell(2)]  # noqa: E731
    outputs, states_fw, states_bw = rnn.stack_bidirectional_dynamic_rnn(
        cells(), cells(), tf.constant(X), dtype=tf.float64, sequence_length=LENGTHS)
    assert outputs.shape.as_list() == [2, 5, 4] and len(states_fw) == len(states_bw) == 2
    assert _names()[:2] == ["stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/lstm_cell/"
                            "kernel",
                            "stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/lstm_cell/"
                            "bias"]
    assert "stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/gru_cell/gates/kernel" in \
        _names()
    stacked = tf.global_variables()
    layer_input = tf.constant(X)
    manual_fw, manual_bw = cells(), cells()
    with tf.variable_scope("manual"):
        for i in range(2):
            (fw, bw), _ = tf.nn.bidirectional_dynamic_rnn(
                manual_fw[i], manual_bw[i], layer_input, LENGTHS, dtype=tf.float64,
                scope=f"layer{i}")
            layer_input = tf.concat([fw, bw], 2)
    manual = tf.global_variables()[len(stacked):]
    steps = [tf.constant(X[:, t]) for t in range(5)]
    static_out, _, _ = rnn.stack_bidirectional_rnn(cells(), cells(), steps, dtype=tf.float64,
                                                   sequence_length=LENGTHS, scope="static")
    static = tf.global_variables()[len(stacked) + len(manual):]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for source, copies in ((stacked, manual), (stacked, static)):
            for s, c in zip(source, copies):
                sess.run(c.assign(s))
        got, want, got_static = sess.run([outputs, layer_input, static_out])
    np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_allclose(np.stack(got_static, 1), want, rtol=1e-12)
    with pytest.raises(ValueError, match="Forward and Backward cells must have the same"):
        rnn.stack_bidirectional_dynamic_rnn(cells(), cells()[:1], X, dtype=tf.float64)
    with pytest.raises(ValueError, match="cells_fw must be a list of RNNCells"):
        rnn.stack_bidirectional_dynamic_rnn(tuple(cells()), cells(), X, dtype=tf.float64)
    with pytest.raises(ValueError, match="initial_states_bw must be a list of state"):
        rnn.stack_bidirectional_dynamic_rnn(cells(), cells(), X, initial_states_bw=[None])


def _layer_norm(x, gain, shift):
    mean, var = x.mean(1, keepdims=True), x.var(1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * gain + shift


def test_layer_norm_basic_lstm_cell_names_values_and_gradient():
    x = tf.placeholder(tf.float64, [2, 5, 3])
    cell = rnn.LayerNormBasicLSTMCell(4, forget_bias=0.5, norm_gain=1.5, norm_shift=0.2)
    out, state = tf.nn.dynamic_rnn(cell, x, LENGTHS, dtype=tf.float64)
    names = ["kernel"] + [f"{n}/{p}" for n in ("input", "transform", "forget", "output",
                                               "state") for p in ("gamma", "beta")]
    assert _names() == [f"rnn/layer_norm_basic_lstm_cell/{n}" for n in names]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        kernel = sess.run(tf.global_variables()[0])
        got_out, got_c = sess.run([out, state.c], {x: X})
        theoretical, numerical = tf.test.compute_gradient(x, [2, 5, 3], out, [2, 5, 4],
                                                          x_init_value=X, delta=1e-6)
    norm = lambda v: _layer_norm(v, 1.5, 0.2)  # noqa: E731
    sigmoid = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    c, h, outs = np.zeros((2, 4)), np.zeros((2, 4)), np.zeros((2, 5, 4))
    for t in range(5):
        i, j, f, o = np.split(np.concatenate([X[:, t], h], 1) @ kernel, 4, axis=1)
        new_c = norm(c * sigmoid(norm(f) + 0.5) + sigmoid(norm(i)) * np.tanh(norm(j)))
        new_h = np.tanh(new_c) * sigmoid(norm(o))
        live = (t < LENGTHS)[:, None]
        c, h = np.where(live, new_c, c), np.where(live, new_h, h)
        outs[:, t] = np.where(live, new_h, 0)
    np.testing.assert_allclose(got_out, outs, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(got_c, c, rtol=1e-9)
    np.testing.assert_allclose(theoretical, numerical, atol=1e-7)


def test_layer_norm_basic_lstm_cell_without_norm_is_basic_lstm_and_drops_out():
    with tf.variable_scope("plain"):
        plain, _ = tf.nn.dynamic_rnn(rnn.LayerNormBasicLSTMCell(4, layer_norm=False),
                                     tf.constant(X), dtype=tf.float64)
    assert _names() == ["plain/rnn/layer_norm_basic_lstm_cell/kernel",
                        "plain/rnn/layer_norm_basic_lstm_cell/bias"]
    with tf.variable_scope("basic"):
        basic, _ = tf.nn.dynamic_rnn(rnn.BasicLSTMCell(4), tf.constant(X), dtype=tf.float64)
    keep = tf.placeholder(tf.float64, [])
    with tf.variable_scope("dropped"):
        dropped, _ = tf.nn.dynamic_rnn(rnn.LayerNormBasicLSTMCell(4, dropout_keep_prob=keep),
                                       tf.constant(X), dtype=tf.float64)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for source, copy in zip(tf.global_variables()[:2], tf.global_variables()[2:4]):
            sess.run(copy.assign(source))
        got_plain, got_basic = sess.run([plain, basic])
        kept, zeroed = sess.run(dropped, {keep: 1.0}), sess.run(dropped, {keep: 1e-9})
    np.testing.assert_allclose(got_plain, got_basic, rtol=1e-12)
    assert not np.allclose(kept, zeroed)

"""RNN drivers and cells: derivatives w.r.t. inputs, initial states and weights against finite
differences in float64 (weights enter as placeholders through a custom getter), and TF1's
behaviours around them (sequence_length, zero_state, errors)."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case
from tests.control_flow.test_derivatives import run_session

rng = np.random.RandomState(3)
cell = tf.nn.rnn_cell
LENGTHS = np.array([3, 1], np.int32)


def _u(*shape):
    return rng.uniform(-0.7, 0.7, size=shape)


def _weights(values):
    """A variable_scope custom getter returning ``values[name suffix]`` for the variables."""
    def getter(getter, name, *args, **kwargs):
        return next(v for suffix, v in values.items() if name.endswith(suffix))
    return getter


def _lstm_dynamic(x, kernel, bias, c0):
    with tf.variable_scope("m", custom_getter=_weights({"kernel": kernel, "bias": bias})):
        state = cell.LSTMStateTuple(c0, tf.tanh(c0))
        out, final = tf.nn.dynamic_rnn(cell.BasicLSTMCell(3), x, sequence_length=LENGTHS,
                                       initial_state=state)
    return [out, final.c, final.h]


def _lstm_full_static(x, kernel, diag, proj):
    values = {"lstm_cell/kernel": kernel, "bias": tf.zeros([12], tf.float64),
              "w_f_diag": diag, "w_i_diag": diag * 0.5, "w_o_diag": -diag,
              "projection/kernel": proj}
    with tf.variable_scope("m", custom_getter=_weights(values)):
        lstm = cell.LSTMCell(3, use_peepholes=True, num_proj=2, cell_clip=0.6, proj_clip=0.3)
        outs, state = tf.nn.static_rnn(lstm, tf.unstack(x, axis=1), dtype=tf.float64)
    return outs + list(state)


def _gru_bidirectional(x, kernel):
    values = {"gates/kernel": kernel[:, :6], "gates/bias": tf.ones([6], tf.float64),
              "candidate/kernel": kernel[:, 6:], "candidate/bias": kernel[0, 6:] * 0.3}
    with tf.variable_scope("m", custom_getter=_weights(values)):
        outs, states = tf.nn.bidirectional_dynamic_rnn(
            cell.GRUCell(3), cell.GRUCell(3), x, sequence_length=LENGTHS, dtype=tf.float64)
    return list(outs) + list(states)


def _multi_time_major(x, k0, k1):
    values = {"cell_0/basic_rnn_cell/kernel": k0, "cell_0/basic_rnn_cell/bias": k0[0] * 0.2,
              "cell_1/basic_rnn_cell/kernel": k1, "cell_1/basic_rnn_cell/bias": k1[0] * 0.2}
    with tf.variable_scope("m", custom_getter=_weights(values)):
        multi = cell.MultiRNNCell([cell.ResidualWrapper(cell.BasicRNNCell(2)),
                                   cell.BasicRNNCell(3)])
        out, state = tf.nn.dynamic_rnn(multi, tf.transpose(x, [1, 0, 2]), time_major=True,
                                       dtype=tf.float64)
    return [out, state[1]]


X = _u(2, 3, 2)
GRADIENT_CASES = [
    GradCase("dynamic_rnn-BasicLSTMCell-sequence_length", _lstm_dynamic,
             [X, _u(5, 12), _u(12), _u(2, 3)]),
    GradCase("static_rnn-LSTMCell-peepholes-projection-clips", _lstm_full_static,
             [X, _u(4, 12), _u(3), _u(3, 2)]),
    GradCase("bidirectional_dynamic_rnn-GRUCell", _gru_bidirectional, [X, _u(5, 9)]),
    GradCase("dynamic_rnn-MultiRNNCell-ResidualWrapper-time_major", _multi_time_major,
             [X, _u(4, 2), _u(5, 3)]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradient(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


def test_sequence_length_zeroes_outputs_and_copies_state():
    x = tf.constant(X)
    out, state = tf.nn.dynamic_rnn(cell.GRUCell(3), x, sequence_length=[2, 1],
                                   dtype=tf.float64)
    full, _ = tf.nn.dynamic_rnn(cell.GRUCell(3), x, dtype=tf.float64, scope="again")
    out_v, state_v = run_session([out, state])
    assert np.all(out_v[0, 2] == 0) and np.all(out_v[1, 1:] == 0)
    np.testing.assert_array_equal(state_v[0], out_v[0, 1])
    np.testing.assert_array_equal(state_v[1], out_v[1, 0])


def test_zero_state_and_sizes():
    lstm = cell.BasicLSTMCell(5)
    assert lstm.state_size == (5, 5) and lstm.output_size == 5
    multi = cell.MultiRNNCell([lstm, cell.GRUCell(2)])
    assert multi.state_size == ((5, 5), 2) and multi.output_size == 2
    zs = multi.zero_state(4, tf.float32)
    assert isinstance(zs[0], cell.LSTMStateTuple)
    assert zs[0].c.shape.as_list() == [4, 5] and zs[1].shape.as_list() == [4, 2]
    lstm_proj = cell.LSTMCell(5, num_proj=3)
    assert lstm_proj.state_size == (5, 3) and lstm_proj.output_size == 3


def test_state_is_tuple_false_concatenates():
    x = tf.constant(X)
    out, state = tf.nn.dynamic_rnn(cell.BasicLSTMCell(3, state_is_tuple=False), x,
                                   dtype=tf.float64)
    assert state.shape.as_list() == [2, 6]
    out_v, state_v = run_session([out, state])
    np.testing.assert_array_equal(state_v[:, 3:], out_v[:, -1])


def test_static_rnn_reuses_one_set_of_variables():
    outs, _ = tf.nn.static_rnn(cell.BasicLSTMCell(4), tf.unstack(tf.constant(X), axis=1),
                               dtype=tf.float64)
    assert len(outs) == 3
    assert sorted(v.op.name for v in tf.global_variables()) == [
        "rnn/basic_lstm_cell/bias", "rnn/basic_lstm_cell/kernel"]


def test_dropout_wrapper_drops_outputs():
    tf.set_random_seed(1)
    x = tf.ones([1, 200, 1], tf.float64)
    out, _ = tf.nn.static_rnn(cell.DropoutWrapper(cell.BasicRNNCell(50), output_keep_prob=0.5),
                              tf.unstack(x, axis=1)[:2], dtype=tf.float64)
    value = run_session(out[0])
    assert 0.3 < np.mean(value == 0) < 0.7
    with pytest.raises(ValueError, match="output_keep_prob must be between 0 and 1"):
        cell.DropoutWrapper(cell.BasicRNNCell(2), output_keep_prob=1.5)


def test_dropout_inside_dynamic_rnn_differentiates_with_the_drawn_masks():
    # Seeded draws repeat in each new session, so every evaluation below (the gradient
    # and the losses at w +- eps v) sees the same masks: the loop's gradient must use
    # the masks its forward pass drew, not fresh ones.
    tf.set_random_seed(5)
    kernel = tf.placeholder(tf.float64, [5, 3])
    wrapped = cell.DropoutWrapper(cell.BasicRNNCell(3), input_keep_prob=0.8,
                                  output_keep_prob=0.5, state_keep_prob=0.7, seed=3)
    with tf.variable_scope("d", custom_getter=_weights({"kernel": kernel,
                                                         "bias": tf.zeros([3], tf.float64)})):
        out, _ = tf.nn.dynamic_rnn(wrapped, tf.constant(X), dtype=tf.float64)
    loss = tf.reduce_sum(tf.sin(out))
    grad = tf.gradients(loss, kernel)[0]
    w, v, eps = _u(5, 3), _u(5, 3), 1e-6

    def first_run(fetch, value):
        with tf.Session() as sess:
            return sess.run(fetch, {kernel: value})

    numeric = (first_run(loss, w + eps * v) - first_run(loss, w - eps * v)) / (2 * eps)
    np.testing.assert_allclose(np.sum(first_run(grad, w) * v), numeric, rtol=1e-6)


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="must give a dtype"):
        tf.nn.dynamic_rnn(cell.BasicRNNCell(2), tf.constant(X))
    with pytest.raises(ValueError, match="rank >= 3"):
        tf.nn.dynamic_rnn(cell.BasicRNNCell(2), tf.constant(X[0]), dtype=tf.float64)


def _bidirectional_static(x, kernel):
    with tf.variable_scope("b", custom_getter=_weights({"kernel": kernel,
                                                        "bias": tf.zeros([3], tf.float64)})):
        outs, fw, bw = tf.nn.static_bidirectional_rnn(
            cell.BasicRNNCell(3), cell.BasicRNNCell(3), tf.unstack(x, axis=1),
            dtype=tf.float64, sequence_length=LENGTHS)
    return [tf.stack(outs, axis=1), fw, bw]


def test_static_bidirectional_rnn_equals_the_dynamic_one():
    x, kernel = tf.constant(X), tf.constant(_u(5, 3))
    static = _bidirectional_static(x, kernel)
    with tf.variable_scope("d", custom_getter=_weights({"kernel": kernel,
                                                        "bias": tf.zeros([3], tf.float64)})):
        (out_fw, out_bw), (fw, bw) = tf.nn.bidirectional_dynamic_rnn(
            cell.BasicRNNCell(3), cell.BasicRNNCell(3), x, dtype=tf.float64,
            sequence_length=LENGTHS)
    got, want = run_session([static, [tf.concat([out_fw, out_bw], 2), fw, bw]])
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-12)
    assert np.all(got[0][1, 1:] == 0)  # past the second row's length
    check = check_case(GradCase("static_bidirectional_rnn", _bidirectional_static,
                                [X, _u(5, 3)]))
    assert check.max_error < 1e-6, check


def test_static_bidirectional_rnn_names_variables_as_tf1():
    tf.nn.static_bidirectional_rnn(cell.BasicLSTMCell(4), cell.BasicLSTMCell(4),
                                   [tf.constant(X[:, 0])] * 2, dtype=tf.float64)
    assert [v.op.name for v in tf.global_variables()] == [
        "bidirectional_rnn/fw/basic_lstm_cell/kernel", "bidirectional_rnn/fw/basic_lstm_cell/bias",
        "bidirectional_rnn/bw/basic_lstm_cell/kernel", "bidirectional_rnn/bw/basic_lstm_cell/bias"]
    with pytest.raises(TypeError, match="`inputs` must be a sequence"):
        tf.nn.static_bidirectional_rnn(cell.BasicRNNCell(2), cell.BasicRNNCell(2),
                                       tf.constant(X[:, 0]), dtype=tf.float64)


class _VariableSaver:
    """A state saver keeping each named state in a variable."""

    def __init__(self, size):
        self.saved = {}
        self.saves = []
        self.size = size

    def state(self, name):
        self.saved[name] = tf.Variable(tf.zeros([2, self.size], tf.float64), name=name)
        return self.saved[name].read_value()

    def save_state(self, name, value):
        self.saves.append(self.saved[name].assign(value).op)
        return self.saves[-1]


def test_static_state_saving_rnn_continues_from_the_saved_state():
    x = tf.placeholder(tf.float64, [2, 2, 2])
    saver = _VariableSaver(3)
    outs, state = tf.nn.static_state_saving_rnn(cell.BasicLSTMCell(3), tf.unstack(x, axis=1),
                                                saver, ("c", "h"))
    assert set(outs[-1].op.control_inputs) == set(saver.saves) and len(saver.saves) == 2
    with tf.variable_scope(tf.get_variable_scope(), reuse=True):
        whole, _ = tf.nn.static_rnn(cell.BasicLSTMCell(3), tf.unstack(tf.constant(X), axis=1),
                                    dtype=tf.float64)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(outs, {x: X[:, :2]})
        saved_h = sess.run(saver.saved["h"])
        second, last = sess.run([outs, state], {x: np.concatenate([X[:, 2:], X[:, 2:]], 1)})
        want = sess.run(whole)
    np.testing.assert_allclose(saved_h, first[-1], rtol=1e-12)
    np.testing.assert_allclose(np.stack(first + second[:1]), np.stack(want), rtol=1e-12)
    np.testing.assert_allclose(last.h, second[-1], rtol=1e-12)


def test_static_state_saving_rnn_checks_state_names_as_tf1():
    xs = [tf.constant(X[:, 0])]
    with pytest.raises(ValueError, match="`state_name` should be the same type as"):
        tf.nn.static_state_saving_rnn(cell.BasicLSTMCell(3), xs, _VariableSaver(3), "c")
    with pytest.raises(ValueError, match="with 3 elements and cell.state_size"):
        tf.nn.static_state_saving_rnn(cell.BasicLSTMCell(3), xs, _VariableSaver(3),
                                      ("a", "b", "c"))


def _raw_lstm(x, kernel):
    """TF1's raw_rnn example: dynamic_rnn over time-major x with LENGTHS, via loop_fn;
    the loop state counts the steps each row ran."""
    inputs = tf.TensorArray(tf.float64, size=3).unstack(x)
    lengths = tf.constant(LENGTHS)

    def loop_fn(time, cell_output, cell_state, loop_state):
        if cell_output is None:
            state = lstm.zero_state(2, tf.float64)
            counts = tf.zeros([2], tf.int32)
        else:
            state, counts = cell_state, loop_state + tf.cast(time <= lengths, tf.int32)
        finished = time >= lengths
        next_input = tf.cond(tf.reduce_all(finished), lambda: tf.zeros([2, 2], tf.float64),
                             lambda: inputs.read(tf.minimum(time, 2)))
        return finished, next_input, state, cell_output, counts

    with tf.variable_scope("raw", custom_getter=_weights({"kernel": kernel,
                                                          "bias": tf.zeros([12], tf.float64)})):
        lstm = cell.BasicLSTMCell(3)
        emit, final, counts = tf.nn.raw_rnn(lstm, loop_fn)
    return [emit.stack(), final.c, final.h, counts]


def test_raw_rnn_runs_the_loop_fn_as_dynamic_rnn_does():
    x, kernel = tf.constant(X.transpose(1, 0, 2)), tf.constant(_u(5, 12))
    raw = _raw_lstm(x, kernel)
    with tf.variable_scope("dyn", custom_getter=_weights({"kernel": kernel,
                                                          "bias": tf.zeros([12], tf.float64)})):
        out, final = tf.nn.dynamic_rnn(cell.BasicLSTMCell(3), x, sequence_length=LENGTHS,
                                       dtype=tf.float64, time_major=True)
    got, want = run_session([raw, [out, final.c, final.h]])
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-12)
    np.testing.assert_array_equal(got[3], LENGTHS)
    # (contiguous: the checker perturbs an input through a reshape of its copy)
    check = check_case(GradCase("raw_rnn", lambda x, k: _raw_lstm(x, k)[:3],
                                [np.ascontiguousarray(X.transpose(1, 0, 2)), _u(5, 12)]))
    assert check.max_error < 1e-6, check


def test_raw_rnn_emits_a_given_structure_and_names_variables_as_tf1():
    x = tf.constant(X[:, 0])

    def loop_fn(time, cell_output, cell_state, loop_state):
        emit = (tf.zeros([1], tf.float64), tf.zeros([], tf.int32)) if cell_output is None \
            else (tf.reduce_sum(cell_output, 1, keepdims=True), tf.fill([2], time))
        state = tf.zeros([2, 3], tf.float64) if cell_state is None else cell_state
        return time >= tf.constant([2, 1]), x, state, emit, None

    (sums, times), _, loop_state = tf.nn.raw_rnn(cell.BasicRNNCell(3), loop_fn)
    assert loop_state is None
    assert [v.op.name for v in tf.global_variables()] == ["rnn/basic_rnn_cell/kernel",
                                                          "rnn/basic_rnn_cell/bias"]
    got_sums, got_times = run_session([sums.stack(), times.stack()])
    assert got_sums.shape == (2, 2, 1)
    np.testing.assert_array_equal(got_times, [[1, 1], [2, 0]])  # as TF1 (2.21) gives
    assert got_sums[1, 1, 0] == 0 and got_sums[1, 0, 0] != 0


class LeakyAccumulatorCell(tf.nn.rnn_cell.RNNCell):
    """A user cell written as TF 1.x tutorials did: ``super().__init__(_reuse=reuse)``."""

    def __init__(self, units, reuse=None):
        super(LeakyAccumulatorCell, self).__init__(_reuse=reuse)
        self._units = units

    @property
    def state_size(self):
        return self._units

    @property
    def output_size(self):
        return self._units

    def __call__(self, inputs, state, scope=None):
        new_state = 0.5 * state + tf.reduce_sum(inputs, axis=1, keepdims=True)
        return new_state, new_state


def test_user_cell_with_tf1s_base_constructor_runs_in_dynamic_rnn():
    inputs = np.arange(12.0).reshape(1, 4, 3)
    outputs, state = tf.nn.dynamic_rnn(LeakyAccumulatorCell(2), tf.constant(inputs),
                                       dtype=tf.float64)
    expected, h = [], np.zeros(2)
    for t in range(4):
        h = 0.5 * h + inputs[0, t].sum()
        expected.append(h.copy())
    got_outputs, got_state = run_session([outputs, state])
    np.testing.assert_allclose(got_outputs[0], expected)
    np.testing.assert_allclose(got_state[0], expected[-1])


class BuildStyleCell(tf.nn.rnn_cell.RNNCell):
    """TF 1.5+ style: variables in build() through add_variable/add_weight."""

    def __init__(self, units, reuse=None):
        super(BuildStyleCell, self).__init__(_reuse=reuse)
        self._units = units

    state_size = property(lambda self: self._units)
    output_size = property(lambda self: self._units)

    def build(self, inputs_shape):
        depth = inputs_shape[1].value + self._units
        self._kernel = self.add_variable("kernel", shape=[depth, self._units],
                                         initializer=tf.constant_initializer(0.1))
        self._bias = self.add_weight("bias", shape=[self._units],
                                     initializer=tf.zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        output = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), self._kernel) + self._bias)
        return output, output


class CallStyleCell(BuildStyleCell):
    """TF 1.0 style: get_variable inside __call__, under the cell's own variable scope."""

    def __call__(self, inputs, state, scope=None):
        with tf.variable_scope(scope or type(self).__name__):
            kernel = tf.get_variable("w", [inputs.get_shape()[1].value + self._units,
                                           self._units],
                                     initializer=tf.constant_initializer(0.1))
            output = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), kernel))
        return output, output


def test_user_cells_of_both_tf1_styles_get_tf1s_variable_names_and_values():
    """Names and the final state as TF 2.21 (compat.v1) gives them for the same cells."""
    inputs = tf.constant(np.ones((2, 3, 4)), tf.float32)
    finals = []
    for cls in (BuildStyleCell, CallStyleCell):
        with tf.variable_scope(cls.__name__):
            outputs, final = tf.nn.dynamic_rnn(cls(5), inputs, dtype=tf.float32)
            finals.append(final)
    gradients = tf.gradients(tf.reduce_sum(finals[1]), tf.trainable_variables())
    assert [v.op.name for v in tf.global_variables()] == [
        "BuildStyleCell/rnn/build_style_cell/kernel",
        "BuildStyleCell/rnn/build_style_cell/bias",
        "CallStyleCell/rnn/CallStyleCell/w"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        build_final, call_final = sess.run(finals)
        grads = sess.run([g for g in gradients if g is not None])
    h = np.zeros(5)
    for _ in range(3):
        h = np.tanh(np.concatenate([np.ones(4), h]) @ np.full((9, 5), 0.1))
    np.testing.assert_allclose(build_final, [h, h], rtol=1e-6)
    np.testing.assert_allclose(call_final, [h, h], rtol=1e-6)
    assert build_final[0, 0] == pytest.approx(0.5816407, rel=1e-6)  # TF 2.21's value
    assert [g.shape for g in grads] == [(9, 5)]


def test_variables_made_in_a_loop_body_or_branch_belong_to_the_graph():
    def body(i, total):
        weight = tf.get_variable("w", [], initializer=tf.constant_initializer(2.0))
        return i + 1, total + weight

    with tf.variable_scope("outer"):
        _, total = tf.while_loop(lambda i, t: i < 3, body, [tf.constant(0), tf.constant(0.0)])
        branch = tf.cond(tf.constant(True),
                         lambda: tf.get_variable("b", [], initializer=tf.ones_initializer()) * 5.0,
                         lambda: tf.constant(0.0))
    assert [v.op.name for v in tf.global_variables()] == ["outer/w", "outer/b"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([total, branch]) == [6.0, 5.0]

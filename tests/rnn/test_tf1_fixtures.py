"""Every cell and driver against TF1's own results for fixed weights (recorded by
tools/tf_rnn_fixtures.py with TensorFlow 2.21's tf.compat.v1 + tf_keras): variable names
and shapes, outputs, final states, and gradients w.r.t. inputs and every variable."""
import pathlib

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.control_flow.nest import flatten

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "tf_rnn.npz"
LENGTHS = np.array([3, 2], np.int32)
cell = tf.nn.rnn_cell


def _dyn(make, **kw):
    def build(x):
        out, state = tf.nn.dynamic_rnn(make(), x, dtype=tf.float64, **kw)
        return out, flatten(state)
    return build


def _bidir(x):
    (fw, bw), (sf, sb) = tf.nn.bidirectional_dynamic_rnn(
        cell.BasicLSTMCell(4), cell.GRUCell(3), x, sequence_length=LENGTHS, dtype=tf.float64)
    return tf.concat([fw, bw], 2), flatten((sf, sb))


def _static(x):
    outs, state = tf.nn.static_rnn(cell.BasicLSTMCell(4), tf.unstack(x, axis=1),
                                   dtype=tf.float64, sequence_length=LENGTHS)
    return tf.stack(outs, 1), flatten(state)


def _time_major(x):
    out, state = tf.nn.dynamic_rnn(cell.BasicLSTMCell(4), tf.transpose(x, [1, 0, 2]),
                                   dtype=tf.float64, time_major=True)
    return tf.transpose(out, [1, 0, 2]), flatten(state)


CASES = {
    "basic_rnn": _dyn(lambda: cell.BasicRNNCell(4)),
    "basic_lstm": _dyn(lambda: cell.BasicLSTMCell(4), sequence_length=LENGTHS),
    "basic_lstm_bias": _dyn(lambda: cell.BasicLSTMCell(4, forget_bias=0.3)),
    "lstm": _dyn(lambda: cell.LSTMCell(4)),
    "lstm_peepholes_proj": _dyn(lambda: cell.LSTMCell(4, use_peepholes=True, num_proj=3,
                                                      cell_clip=0.5, proj_clip=0.4)),
    "gru": _dyn(lambda: cell.GRUCell(4), sequence_length=LENGTHS),
    "multi": _dyn(lambda: cell.MultiRNNCell([cell.BasicLSTMCell(4), cell.GRUCell(3)])),
    "residual": _dyn(lambda: cell.ResidualWrapper(cell.BasicRNNCell(3))),
    "dropout": _dyn(lambda: cell.DropoutWrapper(cell.BasicLSTMCell(4))),
    "bidirectional": _bidir,
    "static": _static,
    "time_major": _time_major,
    "lstm_concat_state": _dyn(lambda: cell.LSTMCell(4, use_peepholes=True, num_proj=3,
                                                    state_is_tuple=False)),
    "basic_lstm_concat_state": _dyn(lambda: cell.BasicLSTMCell(4, state_is_tuple=False),
                                    sequence_length=LENGTHS),
}


@pytest.fixture(scope="module")
def recorded():
    with np.load(FIXTURE, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_tf1(case, recorded):
    def get(kind):
        prefix = f"{case}/{kind}/"
        return {k[len(prefix):]: v for k, v in recorded.items() if k.startswith(prefix)}

    weights, grads = get("var"), get("grad")
    x_value = recorded[f"{case}/x"]
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, x_value.shape)
        out, leaves = CASES[case](x)
        variables = tf.global_variables()
        assert sorted(v.op.name for v in variables) == sorted(weights)
        for v in variables:
            assert v.shape.as_list() == list(weights[v.op.name].shape), v.op.name
        ss = get("s")
        loss = tf.reduce_sum(out * recorded[f"{case}/r"]) + tf.add_n(
            [tf.reduce_sum(s * ss[str(k)]) for k, s in enumerate(leaves)])
        found = tf.gradients(loss, [x] + variables)
        with tf.Session() as sess:
            for v in variables:
                v.load(weights[v.op.name], sess)
            out_v, leaves_v, grads_v = sess.run([out, leaves, found], {x: x_value})
    np.testing.assert_allclose(out_v, recorded[f"{case}/out"], rtol=1e-10, atol=1e-12)
    states = get("state")
    assert len(leaves_v) == len(states)
    for k, value in enumerate(leaves_v):
        np.testing.assert_allclose(value, states[str(k)], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(grads_v[0], recorded[f"{case}/grad_x"], rtol=1e-9, atol=1e-12)
    for v, g in zip(variables, grads_v[1:]):
        np.testing.assert_allclose(g, grads[v.op.name], rtol=1e-9, atol=1e-12,
                                   err_msg=v.op.name)

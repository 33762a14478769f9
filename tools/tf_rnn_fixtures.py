"""Records TF1's RNN cells and drivers, for fixed weights, into tests/rnn/fixtures/tf_rnn.npz.

Run with the TensorFlow install (its legacy cells need tf_keras)::

    TF_USE_LEGACY_KERAS=1 /work/tfenv/bin/python tools/tf_rnn_fixtures.py

For every case: each variable's name and the value it is set to, the inputs, the outputs
and final state leaves, and the gradients of ``sum(outputs * r) + sum(state_k * s_k)``
with respect to the inputs and every variable. Keys are ``case/kind/name``; the file is a
plain ``.npz`` of numeric arrays (read with ``allow_pickle=False``).
"""
from __future__ import annotations

import os
import pathlib

import numpy as np

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
import tensorflow.compat.v1 as tf  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parents[1] / "tests" / "rnn" / "fixtures" / "tf_rnn.npz"
BATCH, STEPS, DEPTH = 2, 3, 3
LENGTHS = np.array([3, 2], np.int32)


def _cases(rnn: object) -> dict:
    """Case name -> builder(inputs) returning (outputs, final state leaves)."""
    cell = tf.nn.rnn_cell

    def dyn(make: object, **kw: object) -> object:
        def build(x: object) -> tuple:
            out, state = tf.nn.dynamic_rnn(make(), x, dtype=tf.float64, **kw)
            return out, tf.nest.flatten(state)
        return build

    def bidir(x: object) -> tuple:
        (fw, bw), (sf, sb) = tf.nn.bidirectional_dynamic_rnn(
            cell.BasicLSTMCell(4), cell.GRUCell(3), x, sequence_length=LENGTHS,
            dtype=tf.float64)
        return tf.concat([fw, bw], 2), tf.nest.flatten((sf, sb))

    def static(x: object) -> tuple:
        outs, state = tf.nn.static_rnn(cell.BasicLSTMCell(4), tf.unstack(x, axis=1),
                                       dtype=tf.float64, sequence_length=LENGTHS)
        return tf.stack(outs, 1), tf.nest.flatten(state)

    def time_major(x: object) -> tuple:
        out, state = tf.nn.dynamic_rnn(cell.BasicLSTMCell(4), tf.transpose(x, [1, 0, 2]),
                                       dtype=tf.float64, time_major=True)
        return tf.transpose(out, [1, 0, 2]), tf.nest.flatten(state)

    return {
        "basic_rnn": dyn(lambda: cell.BasicRNNCell(4)),
        "basic_lstm": dyn(lambda: cell.BasicLSTMCell(4), sequence_length=LENGTHS),
        "basic_lstm_bias": dyn(lambda: cell.BasicLSTMCell(4, forget_bias=0.3)),
        "lstm": dyn(lambda: cell.LSTMCell(4)),
        "lstm_peepholes_proj": dyn(lambda: cell.LSTMCell(4, use_peepholes=True, num_proj=3,
                                                          cell_clip=0.5, proj_clip=0.4)),
        "gru": dyn(lambda: cell.GRUCell(4), sequence_length=LENGTHS),
        "multi": dyn(lambda: cell.MultiRNNCell([cell.BasicLSTMCell(4), cell.GRUCell(3)])),
        "residual": dyn(lambda: cell.ResidualWrapper(cell.BasicRNNCell(DEPTH))),
        "dropout": dyn(lambda: cell.DropoutWrapper(cell.BasicLSTMCell(4))),
        "bidirectional": bidir,
        "static": static,
        "time_major": time_major,
        "lstm_concat_state": dyn(lambda: cell.LSTMCell(4, use_peepholes=True, num_proj=3,
                                                       state_is_tuple=False)),
        "basic_lstm_concat_state": dyn(lambda: cell.BasicLSTMCell(4, state_is_tuple=False),
                                       sequence_length=LENGTHS),
    }


def main() -> None:
    rng = np.random.RandomState(42)
    arrays: dict[str, np.ndarray] = {}
    for case, build in _cases(None).items():
        graph = tf.Graph()
        with graph.as_default():
            x_value = rng.uniform(-1, 1, (BATCH, STEPS, DEPTH))
            x = tf.placeholder(tf.float64, x_value.shape)
            out, leaves = build(x)
            weights = {v.op.name: rng.uniform(-0.6, 0.6, v.shape.as_list())
                       for v in tf.global_variables()}
            r = rng.uniform(-1, 1, out.shape.as_list())
            ss = [rng.uniform(-1, 1, s.shape.as_list()) for s in leaves]
            loss = tf.reduce_sum(out * r) + tf.add_n(
                [tf.reduce_sum(s * v) for s, v in zip(leaves, ss)])
            variables = tf.global_variables()
            grads = tf.gradients(loss, [x] + variables)
            with tf.Session() as sess:
                for v in variables:
                    v.load(weights[v.op.name], sess)
                values = sess.run([out, leaves, grads], {x: x_value})
        arrays[f"{case}/x"] = x_value
        arrays[f"{case}/r"] = r
        arrays[f"{case}/out"] = values[0]
        for k, (s, v) in enumerate(zip(ss, values[1])):
            arrays[f"{case}/s/{k}"] = s
            arrays[f"{case}/state/{k}"] = v
        arrays[f"{case}/grad_x"] = values[2][0]
        for v, g in zip(variables, values[2][1:]):
            arrays[f"{case}/var/{v.op.name}"] = weights[v.op.name]
            arrays[f"{case}/grad/{v.op.name}"] = g
        print(case, sorted(weights))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, **arrays)


if __name__ == "__main__":
    main()

"""Graphs of nce_loss / sampled_softmax_loss with fixed sampled values, written against
the TF1 API so that TensorFlow (tools/tf_sampled_loss_fixtures.py) and staticgraph
(test_sampled_losses.py) build the same ones. Each case gives the loss and its gradients
with respect to inputs, weights and biases (densified)."""
from __future__ import annotations

from typing import Any

import numpy as np

VOCAB, DIM, BATCH, NUM_SAMPLED = 12, 4, 3, 5


def _data(num_true: int, dtype: str) -> dict:
    rng = np.random.RandomState(7 + num_true)
    labels = np.array([[1, 3], [3, 5], [0, 1]])[:, :num_true]
    return {"weights": rng.randn(VOCAB, DIM).astype(dtype),
            "biases": rng.randn(VOCAB).astype(dtype),
            "inputs": rng.randn(BATCH, DIM).astype(dtype),
            "labels": labels,
            # 3 and 1 are accidental hits of rows 0-2; 3 occurs twice
            "sampled": (np.array([3, 1, 9, 11, 3]),
                        rng.uniform(0.1, 1.0, (BATCH, num_true)).astype(dtype),
                        rng.uniform(0.1, 1.0, NUM_SAMPLED).astype(dtype))}


def _case(loss: str, num_true: int, remove_hits: bool, dtype: str, parts: int = 1,
          strategy: str = "mod"):
    def build(tf: Any) -> list:
        data = _data(num_true, dtype)
        weights = tf.constant(data["weights"])
        biases = tf.constant(data["biases"])
        inputs = tf.constant(data["inputs"])
        labels = tf.constant(data["labels"], tf.int64)
        sampled = tuple(tf.constant(v) for v in data["sampled"])
        if parts == 1:
            w_arg, b_arg = weights, biases
        else:  # the same table cut into partitions as the strategy lays them out
            order = (np.concatenate([np.arange(p, VOCAB, parts) for p in range(parts)])
                     if strategy == "mod" else np.arange(VOCAB))
            w_sorted, b_sorted = tf.gather(weights, order), tf.gather(biases, order)
            w_arg = tf.split(w_sorted, parts, 0)
            b_arg = tf.split(b_sorted, parts, 0)
        fn = tf.nn.nce_loss if loss == "nce" else tf.nn.sampled_softmax_loss
        out = fn(w_arg, b_arg, labels, inputs, NUM_SAMPLED, VOCAB, num_true=num_true,
                 sampled_values=sampled, remove_accidental_hits=remove_hits,
                 partition_strategy=strategy)
        grads = tf.gradients(tf.reduce_sum(out * np.arange(1, BATCH + 1, dtype=dtype)),
                             [inputs, weights, biases])
        return [out] + [tf.convert_to_tensor(g) for g in grads]
    return build


CASES = [
    (f"{loss}_true{nt}_{'hits' if hits else 'nohits'}_{dtype}", _case(loss, nt, hits, dtype))
    for loss in ("nce", "softmax") for nt in (1, 2) for hits in (False, True)
    for dtype in ("float32", "float64")
] + [
    (f"{loss}_parts3_{strategy}", _case(loss, 2, True, "float64", 3, strategy))
    for loss in ("nce", "softmax") for strategy in ("mod", "div")
]

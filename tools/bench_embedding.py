"""W9 of BENCHMARKS.md for tools/bench.py: an embedding table trained through sparse
gradients.

Table 200,000 × 128 float32, batch 512 ids, sum of the embeddings → dense 128→10 →
softmax cross-entropy; one table for SGD and one for Adam (TF1's non-lazy Adam: every
row's slots decay each step). Rows: staticgraph, a hand-written NumPy step (gradient
rows scattered with ``np.add.at``; Adam's dense part done in row blocks so that it needs
no table-sized temporary) and TF1 graph mode when importable, all from the same initial
weights and ids, their losses checked against each other before timing. The extra
column is the peak memory tracemalloc sees during one step after warm-up (NumPy and
staticgraph allocations; TF1 allocates outside Python's view, so it has none): it must
stay O(batch × 128), not O(table).

    python tools/bench.py --only W9 [--quick]
    python tools/bench_embedding.py [--quick]      (the same tables)
"""
from __future__ import annotations

import os
import sys
import tracemalloc
from types import ModuleType
from typing import Any, Callable

import numpy as np

FULL = (200_000, 128, 512)  # vocabulary, dimension, batch of ids
QUICK = (2_000, 16, 32)
CLASSES, SGD_LR = 10, 0.01
ADAM_BLOCK = 8192  # rows per block of the hand-written Adam's dense update


def w9_data(dims: tuple) -> tuple:
    """(table, dense weights, ids, label): the same for every system."""
    vocab, dim, batch = dims
    rng = np.random.RandomState(0)
    table = rng.randn(vocab, dim).astype(np.float32) * 0.01
    dense = rng.randn(dim, CLASSES).astype(np.float32) * 0.1
    return table, dense, rng.randint(0, vocab, batch).astype(np.int32), np.array([3], np.int32)


def w9_graph(dims: tuple, optimizer: str, adam: dict) -> Callable[[Any], tuple]:
    """A TF1-style builder (staticgraph or TF1): feeds, the loss and the train op."""
    def build(tf: Any) -> tuple:
        table0, dense0, ids0, label0 = w9_data(dims)
        table = tf.Variable(table0, name="table")
        dense = tf.Variable(dense0, name="dense")
        ids = tf.placeholder(tf.int32, ids0.shape, name="ids")
        label = tf.placeholder(tf.int32, label0.shape, name="label")
        summed = tf.reduce_sum(tf.nn.embedding_lookup(table, ids), axis=0, keepdims=True)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=label, logits=tf.matmul(summed, dense)))
        opt = tf.train.GradientDescentOptimizer(SGD_LR) if optimizer == "sgd" else \
            tf.train.AdamOptimizer(adam["lr"], adam["beta1"], adam["beta2"], adam["epsilon"])
        return {ids: ids0, label: label0}, loss, opt.minimize(loss)
    return build


class W9Numpy:
    """The same step by hand: forward, backward, and SGD or TF1's sparse Adam."""

    def __init__(self, dims: tuple, optimizer: str, adam: dict) -> None:
        self.table, self.dense, self.ids, self.label = w9_data(dims)
        self.optimizer, self.adam, self.t = optimizer, adam, 0
        if optimizer == "adam":
            self.slots = [np.zeros_like(p) for p in (self.table, self.table, self.dense,
                                                     self.dense)]

    def step(self) -> np.float32:
        """One training step; returns the loss before it."""
        summed = self.table[self.ids].sum(axis=0, keepdims=True)
        logits = summed @ self.dense
        logits -= logits.max()
        p = np.exp(logits)
        total = p.sum()
        loss = np.log(total) - logits[0, self.label[0]]
        p /= total
        p[0, self.label[0]] -= 1.0
        d_summed = (p @ self.dense.T)[0]
        dense_grad = summed.T @ p
        rows, counts = np.unique(self.ids, return_counts=True)  # repeated ids summed
        row_grads = np.multiply.outer(counts.astype(np.float32), d_summed)
        if self.optimizer == "sgd":
            self.table[rows] -= SGD_LR * row_grads
            self.dense -= SGD_LR * dense_grad
        else:
            self._adam(rows, row_grads, dense_grad)
        return np.float32(loss)

    def _adam(self, rows: np.ndarray, row_grads: np.ndarray, dense_grad: np.ndarray) -> None:
        a = self.adam
        self.t += 1
        lr = a["lr"] * np.sqrt(1 - a["beta2"] ** self.t) / (1 - a["beta1"] ** self.t)
        m, v, dm, dv = self.slots
        for var, m_, v_, idx, g in ((self.table, m, v, rows, row_grads),
                                    (self.dense, dm, dv, slice(None), dense_grad)):
            m_ *= a["beta1"]
            m_[idx] += (1 - a["beta1"]) * g
            v_ *= a["beta2"]
            v_[idx] += (1 - a["beta2"]) * g * g
            for start in range(0, len(var), ADAM_BLOCK):
                block = slice(start, start + ADAM_BLOCK)
                step = np.sqrt(v_[block])
                step += a["epsilon"]
                np.divide(m_[block], step, out=step)
                step *= lr
                var[block] -= step


def peak_bytes(step: Callable[[], Any]) -> int:
    """The peak memory tracemalloc sees during one call of ``step`` (after warm-up)."""
    for _ in range(2):
        step()
    tracemalloc.start()
    try:
        step()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def workload_w9(bench: ModuleType, sizes: Any, peers: dict) -> list:
    """W9: ms per step and peak memory per step, SGD and Adam."""
    dims = QUICK if sizes.quick else FULL
    vocab, dim, batch = dims
    table_mib = vocab * dim * 4 / 2 ** 20
    tables = []
    for optimizer in ("sgd", "adam"):
        graph = w9_graph(dims, optimizer, bench.ADAM)
        makers = bench.training_makers(
            graph, lambda o=optimizer: W9Numpy(dims, o, bench.ADAM).step, peers, {})
        baseline = W9Numpy(dims, optimizer, bench.ADAM)
        losses = [baseline.step() for _ in range(3)]
        table = bench.Table(
            f"W9 embedding ({optimizer.upper()}): table {vocab} x {dim} float32 "
            f"({table_mib:.1f} MiB), batch {batch} ids, sum -> dense {dim}->{CLASSES} -> "
            f"softmax xent; loss {losses[0]:.5g} -> {losses[-1]:.5g} after {len(losses)} "
            f"steps", "ms/step", columns=(("peak MiB/step", "{:.2f}"),))
        bench.run_systems(table, bench.training_cases(makers, len(losses)), losses[-1],
                          1e-4, sizes)
        for system in ("staticgraph", "numpy"):
            row = table.row(system)
            if row is not None:
                row.extra["peak MiB/step"] = peak_bytes(makers[system]()) / 2 ** 20
        tables.append(table)
    return tables


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import bench as _bench
    sys.exit(_bench.main(["--only", "W9", *sys.argv[1:]]))

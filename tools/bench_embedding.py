"""W9 of BENCHMARKS.md, on its own: an embedding table trained through sparse gradients.

Table 200,000 × 128 float32, batch 512 ids, sum of the embeddings → dense 128→10 →
softmax cross-entropy; SGD and Adam. Prints ms per step (median) and the peak memory
tracemalloc sees during one step (after warm-up), next to the table's size, for
staticgraph and a hand-written NumPy step (SGD only: the gradient rows scattered by
``np.subtract.at``). ``--quick`` uses a small table (a smoke test).

    python tools/bench_embedding.py [--quick]
"""
from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
import time
import tracemalloc
from typing import Any, Callable

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
import staticgraph as tf  # noqa: E402


def _batch(rng: np.random.RandomState, vocab: int, batch: int) -> tuple:
    return rng.randint(0, vocab, batch).astype(np.int32), rng.randint(0, 10, 1).astype(np.int32)


def staticgraph_step(vocab: int, dim: int, batch: int, optimizer: str) -> Callable:
    """A session running one training step per call, fed a new batch of ids."""
    graph = tf.Graph()
    with graph.as_default():
        rng = np.random.RandomState(0)
        table = tf.Variable(rng.randn(vocab, dim).astype(np.float32) * 0.01, name="table")
        dense = tf.Variable(rng.randn(dim, 10).astype(np.float32) * 0.1, name="dense")
        ids = tf.placeholder(tf.int32, [batch])
        label = tf.placeholder(tf.int32, [1])
        summed = tf.reduce_sum(tf.gather(table, ids), axis=0, keepdims=True)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=label, logits=tf.matmul(summed, dense)))
        opt = tf.train.GradientDescentOptimizer(0.1) if optimizer == "sgd" else \
            tf.train.AdamOptimizer(1e-3)
        step = opt.minimize(loss)
        sess = tf.Session(graph=graph)
        sess.run(tf.global_variables_initializer())
    data = np.random.RandomState(1)
    return lambda: sess.run(step, dict(zip((ids, label), _batch(data, vocab, batch))))


def numpy_sgd_step(vocab: int, dim: int, batch: int) -> Callable:
    """The same SGD step by hand: forward, backward and a row scatter."""
    rng = np.random.RandomState(0)
    table = rng.randn(vocab, dim).astype(np.float32) * 0.01
    dense = rng.randn(dim, 10).astype(np.float32) * 0.1
    data = np.random.RandomState(1)

    def step() -> None:
        ids, label = _batch(data, vocab, batch)
        summed = table[ids].sum(axis=0, keepdims=True)
        logits = summed @ dense
        p = np.exp(logits - logits.max())
        p /= p.sum()
        p[0, label[0]] -= 1.0
        d_summed = p @ dense.T
        dense_grad = summed.T @ p
        np.subtract.at(table, ids, np.broadcast_to(0.1 * d_summed, (batch, dim)))
        dense[...] -= 0.1 * dense_grad
    return step


def measure(step: Callable[[], Any], repeats: int) -> tuple[float, int]:
    """(median ms per step, peak bytes tracemalloc sees during one step)."""
    for _ in range(3):
        step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1e3)
    tracemalloc.start()
    try:
        step()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return statistics.median(times), peak


def main(argv: list[str] | None = None) -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--quick", action="store_true", help="a small table, few repeats")
    quick = args.parse_args(argv).quick
    vocab, dim, batch, repeats = (2_000, 16, 32, 3) if quick else (200_000, 128, 512, 50)
    table_mb = vocab * dim * 4 / 2**20
    print(f"W9 embedding: table {vocab} x {dim} float32 ({table_mb:.1f} MiB), batch {batch}")
    rows = [("numpy sgd", numpy_sgd_step(vocab, dim, batch)),
            ("staticgraph sgd", staticgraph_step(vocab, dim, batch, "sgd")),
            ("staticgraph adam", staticgraph_step(vocab, dim, batch, "adam"))]
    for name, step in rows:
        ms, peak = measure(step, repeats)
        print(f"  {name:18s} {ms:8.3f} ms/step   peak during a step {peak / 2**20:8.2f} MiB "
              f"({peak / (vocab * dim * 4):.3f} x table)")


if __name__ == "__main__":
    main()

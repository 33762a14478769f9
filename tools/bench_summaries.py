"""W10 of tools/bench.py: a training step that also fetches ``tf.summary.merge_all()``.

The XOR tutorials of the TF1 era train a 2-16-1 sigmoid network on the four XOR rows and
fetch a merged summary (here 3 scalars and 1 histogram) with every step. staticgraph and
TF1 graph mode run the same graph-building code; the NumPy row is the same step written
by hand *without* summaries, so ``/ NumPy`` shows what the summaries cost.

    python tools/bench.py --only W10
"""
from __future__ import annotations

from types import ModuleType
from typing import Any, Callable

import numpy as np

LR = 0.5
HIDDEN = 16


def w10_data() -> tuple:
    """The four XOR rows, their labels, and the initial weights (float32)."""
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
    y = np.array([[0], [1], [1], [0]], np.float32)
    rng = np.random.RandomState(0)
    w1 = rng.uniform(-1, 1, (2, HIDDEN)).astype(np.float32)
    w2 = rng.uniform(-1, 1, (HIDDEN, 1)).astype(np.float32)
    return x, y, w1, np.zeros(HIDDEN, np.float32), w2, np.zeros(1, np.float32)


def w10_graph(tf: Any) -> tuple:
    """Feeds, the loss, and the train op grouped with the merged summary."""
    x0, y0, w1, b1, w2, b2 = w10_data()
    x = tf.placeholder(tf.float32, x0.shape, name="x")
    y = tf.placeholder(tf.float32, y0.shape, name="y")
    W1, B1 = tf.Variable(w1, name="W1"), tf.Variable(b1, name="B1")
    W2, B2 = tf.Variable(w2, name="W2"), tf.Variable(b2, name="B2")
    hidden = tf.sigmoid(tf.matmul(x, W1) + B1)
    out = tf.sigmoid(tf.matmul(hidden, W2) + B2)
    loss = tf.reduce_mean(tf.square(out - y))
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.round(out), y), tf.float32))
    tf.summary.scalar("loss", loss)
    tf.summary.scalar("accuracy", accuracy)
    tf.summary.scalar("mean_output", tf.reduce_mean(out))
    tf.summary.histogram("W1", W1)
    merged = tf.summary.merge_all()
    train = tf.train.GradientDescentOptimizer(LR).minimize(loss)
    return {x: x0, y: y0}, loss, (merged, train)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


class W10Numpy:
    """The XOR step by hand (no summaries), updating the weights in place."""

    def __init__(self) -> None:
        self.x, self.y, *params = w10_data()
        self.w1, self.b1, self.w2, self.b2 = (p.copy() for p in params)

    def step(self) -> np.float32:
        """One SGD step; returns the loss before it."""
        h = _sigmoid(self.x @ self.w1 + self.b1)
        out = _sigmoid(h @ self.w2 + self.b2)
        diff = out - self.y
        loss = np.mean(diff * diff)
        g_z2 = (2 / diff.size) * diff * out * (1 - out)
        g_z1 = (g_z2 @ self.w2.T) * h * (1 - h)
        lr = np.float32(LR)
        self.w2 -= lr * (h.T @ g_z2)
        self.b2 -= lr * g_z2.sum(0)
        self.w1 -= lr * (self.x.T @ g_z1)
        self.b1 -= lr * g_z1.sum(0)
        return loss


def summary_step(tf: Any, tf_session: Callable) -> Callable[[], Any]:
    """``sess.run([loss, merged, train], feed)`` as a step; returns the loss."""
    sess, _, (feed, loss, (merged, train)) = tf_session(tf, w10_graph)
    fetches = [loss, merged, train]

    def step() -> Any:
        value, summary, _ = sess.run(fetches, feed)
        if not summary:
            raise AssertionError("the merged summary came back empty")
        return value
    return step


def workload_w10(bench: ModuleType, sizes: Any, peers: dict) -> list:
    """The W10 table: ms per step fetching the merged summaries with the train op."""
    makers = {"staticgraph": lambda: summary_step(bench.sg, bench.tf_session),
              "numpy": lambda: W10Numpy().step}
    if "tf1" in peers:
        makers["tf1"] = lambda: summary_step(peers["tf1"], bench.tf_session)
    steps = 50
    baseline = W10Numpy()
    want = [baseline.step() for _ in range(steps)][-1]
    table = bench.Table(f"W10 summaries: XOR 2-{HIDDEN}-1 sigmoid MLP, SGD (float32), "
                        f"fetching merge_all() of 3 scalars + 1 histogram every step "
                        f"(NumPy: the step alone); loss after {steps} steps {want:.6g}",
                        "ms/step")
    bench.run_systems(table, bench.training_cases(makers, steps), want, 1e-4, sizes,
                      atol=1e-6)
    return [table]

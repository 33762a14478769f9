"""W8 of BENCHMARKS.md for tools/bench.py: one Adam training step of an LSTM classifier.

``dynamic_rnn`` with ``BasicLSTMCell`` (batch 64, 50 steps, 128 inputs, 256 units, float32),
a dense layer to 10 classes on the last output, mean softmax cross-entropy, Adam. The
baseline is an LSTM written by hand in NumPy: the forward pass keeps every step's gates,
the backward pass runs back through time, and the kernel's gradient is one matmul over
all steps. staticgraph and TF1 run the same graph-building code.
"""
from __future__ import annotations

import time
from types import ModuleType
from typing import Any

import numpy as np

FULL = (64, 50, 128, 256, 10)  # batch, steps, inputs, units, classes
QUICK = (8, 5, 16, 32, 10)


def w8_data(dims: tuple) -> tuple:
    """x, integer labels, and (kernel, bias, dense W, dense b) (scaled uniform weights)."""
    batch, steps, inputs, units, classes = dims
    rng = np.random.RandomState(0)
    x = rng.randn(batch, steps, inputs).astype(np.float32)
    labels = rng.randint(0, classes, size=batch).astype(np.int32)
    scale = 1 / np.sqrt(inputs + units)
    params = (rng.uniform(-scale, scale, (inputs + units, 4 * units)).astype(np.float32),
              np.zeros(4 * units, np.float32),
              rng.uniform(-0.1, 0.1, (units, classes)).astype(np.float32),
              np.zeros(classes, np.float32))
    return x, labels, params


def _sigmoid(z: np.ndarray) -> np.ndarray:
    out = np.negative(z)
    np.exp(out, out=out)
    out += 1
    np.reciprocal(out, out=out)
    return out


class W8Numpy:
    """The LSTM's forward, backward through time and Adam, by hand."""

    def __init__(self, dims: tuple, adam: Any) -> None:
        self.x, self.labels, params = w8_data(dims)
        self.params = [p.copy() for p in params]
        self.adam = adam(self.params)
        batch, steps, inputs, units, _ = dims
        self.xh = np.zeros((steps, batch, inputs + units), np.float32)
        self.xh[:, :, :inputs] = self.x.transpose(1, 0, 2)
        self.gates = np.zeros((steps, batch, 4 * units), np.float32)
        self.cells = np.zeros((steps + 1, batch, units), np.float32)
        self.tanh_c = np.zeros((steps, batch, units), np.float32)

    def gradients(self) -> tuple:
        """The mean cross-entropy and the gradient of every parameter."""
        kernel, bias, w, b = self.params
        steps, batch, width = self.xh.shape
        units = self.cells.shape[2]
        inputs = width - units
        h = np.zeros((batch, units), np.float32)
        for t in range(steps):
            self.xh[t, :, inputs:] = h
            z = self.xh[t] @ kernel
            z += bias
            z[:, 2 * units:3 * units] += 1.0  # forget_bias
            g = self.gates[t]
            g[:, :units] = _sigmoid(z[:, :units])
            g[:, units:2 * units] = np.tanh(z[:, units:2 * units])
            g[:, 2 * units:] = _sigmoid(z[:, 2 * units:])
            i, j, f, o = (g[:, k * units:(k + 1) * units] for k in range(4))
            c = self.cells[t + 1]
            np.multiply(self.cells[t], f, out=c)
            c += i * j
            np.tanh(c, out=self.tanh_c[t])
            h = self.tanh_c[t] * o
        logits = h @ w + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        total = p.sum(axis=1, keepdims=True)
        rows = np.arange(batch)
        loss = np.mean(np.log(total[:, 0]) - logits[rows, self.labels])
        p /= total
        p[rows, self.labels] -= 1
        gz = p / np.float32(batch)
        grad_w, grad_b = h.T @ gz, gz.sum(0)
        dh = gz @ w.T
        dc = np.zeros((batch, units), np.float32)
        dz = np.empty((steps, batch, 4 * units), np.float32)
        kernel_h = kernel[inputs:].T
        for t in reversed(range(steps)):
            g = self.gates[t]
            i, j, f, o = (g[:, k * units:(k + 1) * units] for k in range(4))
            tc = self.tanh_c[t]
            dc += dh * o * (1 - tc * tc)
            d = dz[t]
            d[:, :units] = dc * j * i * (1 - i)
            d[:, units:2 * units] = dc * i * (1 - j * j)
            d[:, 2 * units:3 * units] = dc * self.cells[t] * f * (1 - f)
            d[:, 3 * units:] = dh * tc * o * (1 - o)
            dc *= f
            dh = d @ kernel_h
        flat_xh = self.xh.reshape(steps * batch, width)
        flat_dz = dz.reshape(steps * batch, 4 * units)
        return loss, [flat_xh.T @ flat_dz, flat_dz.sum(0), grad_w, grad_b]

    def step(self) -> np.float32:
        """One training step; returns the loss before it."""
        loss, grads = self.gradients()
        self.adam.update(self.params, grads)
        return loss


def w8_graph(dims: tuple, adam: dict) -> Any:
    """A TF1-style builder: feeds, the loss and the Adam train op."""
    def build(tf: Any) -> tuple:
        x0, labels0, (kernel, bias, w, b) = w8_data(dims)
        x = tf.placeholder(tf.float32, x0.shape, name="x")
        labels = tf.placeholder(tf.int32, labels0.shape, name="labels")
        start = {"kernel": kernel, "bias": bias}

        def getter(getter: Any, name: str, *args: Any, **kwargs: Any) -> Any:
            kwargs["initializer"] = tf.constant_initializer(start[name.rsplit("/", 1)[-1]])
            return getter(name, *args, **kwargs)

        with tf.variable_scope("lstm", custom_getter=getter):
            outputs, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(dims[3]), x,
                                           dtype=tf.float32)
        logits = tf.matmul(outputs[:, -1, :], tf.Variable(w, name="W")) + tf.Variable(b,
                                                                                  name="b")
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=labels, logits=logits))
        train = tf.train.AdamOptimizer(adam["lr"], adam["beta1"], adam["beta2"],
                                       adam["epsilon"]).minimize(loss)
        return {x: x0, labels: labels0}, loss, train
    return build


def workload_w8(bench: ModuleType, sizes: Any, peers: dict) -> list:
    """W8: ms per Adam step of the LSTM classifier; the loss after a few steps agrees."""
    dims = QUICK if sizes.quick else FULL
    makers = bench.training_makers(w8_graph(dims, bench.ADAM),
                                   lambda: W8Numpy(dims, bench.Adam).step, peers, {})
    baseline = W8Numpy(dims, bench.Adam)
    losses = [baseline.step() for _ in range(3)]
    batch, steps, inputs, units, _ = dims
    table = bench.Table(f"W8 lstm: dynamic_rnn BasicLSTMCell, batch {batch}, {steps} steps, "
                        f"{inputs} inputs, {units} units, Adam (float32); loss "
                        f"{losses[0]:.5g} -> {losses[-1]:.5g} after {len(losses)} steps",
                        "ms/step")
    bench.run_systems(table, bench.training_cases(makers, len(losses)), losses[-1], 1e-4,
                      sizes)
    return [table]


def cpu_time_pairs(pairs: int) -> tuple[float, float, float]:
    """CPU time (``time.process_time``) of a staticgraph step and a NumPy step, run one
    after the other ``pairs`` times in this process: medians of each and of the pair
    ratios. Less sensitive than wall time to other jobs on a shared machine; run it with
    BLAS on one thread (``OPENBLAS_NUM_THREADS=1``), as CPU time adds up every thread."""
    import bench  # tools/bench.py: Adam and its settings
    import staticgraph as sg
    feeds, loss, train = w8_graph(FULL, bench.ADAM)(sg)
    sess = sg.Session()
    sess.run(sg.global_variables_initializer())
    baseline = W8Numpy(FULL, bench.Adam)
    times = []
    for step in [lambda: sess.run([loss, train], feeds), baseline.step] * (pairs + 2):
        start = time.process_time()
        step()
        times.append(time.process_time() - start)
    ours, theirs = np.array(times[4::2]), np.array(times[5::2])  # two pairs of warm-up
    return (float(np.median(ours)) * 1e3, float(np.median(theirs)) * 1e3,
            float(np.median(ours / theirs)))


if __name__ == "__main__":  # OPENBLAS_NUM_THREADS=1 python tools/bench_w8.py [pairs]
    import sys
    sg_ms, numpy_ms, ratio = cpu_time_pairs(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
    print(f"W8 CPU time per step ({sys.modules['staticgraph'].__file__}): "
          f"staticgraph {sg_ms:.1f} ms, NumPy {numpy_ms:.1f} ms, "
          f"median pair ratio {ratio:.3f}")

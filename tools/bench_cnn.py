"""W7 of BENCHMARKS.md, the small CNN: its data, a hand-written NumPy training step, the
PyTorch step, the TF1-style graph builder and the step's multiply-add count.

``tools/bench_w7.py`` times it. The network: batch 64 of 28x28x1; conv
5x5x32 SAME + bias + ReLU, 2x2 max-pool stride 2; conv 5x5x64 SAME + bias + ReLU, 2x2
max-pool; dense 3136->256 ReLU; dense 256->10; mean softmax cross-entropy; float32.
"""
from __future__ import annotations

from typing import Any, Callable

from bench_common import softmax_xent_by_hand

import numpy as np  # after bench_common, which applies --threads first
from numpy.lib.stride_tricks import as_strided

BATCH, SIDE, KERNEL, POOL = 64, 28, 5, 2
CHANNELS = (1, 32, 64)          # image, conv1, conv2
DENSE = (7 * 7 * 64, 256, 10)   # flattened conv2 output, hidden, classes


def w7_data(batch: int = BATCH) -> tuple:
    """Images in [0, 1), integer labels, and the parameters [W1, b1, ..., W4, b4]
    (He-scaled normals in TF's layouts: HWIO filters, [in, out] matrices; zero biases)."""
    rng = np.random.RandomState(0)
    x = rng.rand(batch, SIDE, SIDE, CHANNELS[0]).astype(np.float32)
    labels = rng.randint(0, DENSE[-1], size=batch).astype(np.int32)
    shapes = [(KERNEL, KERNEL, CHANNELS[0], CHANNELS[1]), (KERNEL, KERNEL, *CHANNELS[1:]),
              DENSE[:2], DENSE[1:]]
    params = []
    for shape in shapes:
        fan_in = int(np.prod(shape[:-1]))
        params.append((rng.randn(*shape) * np.sqrt(2.0 / fan_in)).astype(np.float32))
        params.append(np.zeros(shape[-1], np.float32))
    return x, labels, params


def w7_macs(batch: int = BATCH) -> int:
    """Multiply-adds of one training step's products: each convolution and dense layer
    forward, its weight gradient, and its input gradient (not for the first layer,
    whose input is data)."""
    sides = (SIDE, SIDE // POOL)
    convs = [batch * s * s * KERNEL * KERNEL * c_in * c_out
             for s, c_in, c_out in zip(sides, CHANNELS[:-1], CHANNELS[1:])]
    dense = [batch * a * b for a, b in zip(DENSE[:-1], DENSE[1:])]
    layers = convs + dense
    return 2 * sum(layers) + sum(layers[1:])


# ----------------------------------------------------------------------------------------
# The step by hand (stride-1 SAME convolutions as one GEMM over copied windows)
# ----------------------------------------------------------------------------------------


def _same_windows(x: np.ndarray, k: int, out: np.ndarray) -> np.ndarray:
    """Writes the k x k SAME windows of NHWC ``x`` into ``out`` laid out
    [N, H, W, k, k*C] (each window row is contiguous in the zero-padded input) and
    returns them as a [N*H*W, k*k*C] matrix."""
    n, h, w, c = x.shape
    p = k // 2
    padded = np.zeros((n, h + k - 1, w + k - 1, c), x.dtype)
    padded[:, p:p + h, p:p + w] = x
    sn, sh, sw, sc = padded.strides
    np.copyto(out, as_strided(padded, (n, h, w, k, k * c), (sn, sh, sw, sh, sc)))
    return out.reshape(n * h * w, k * k * c)


def _pool_forward(a: np.ndarray) -> np.ndarray:
    n, h, w, c = a.shape
    return a.reshape(n, h // POOL, POOL, w // POOL, POOL, c).max(axis=(2, 4))


def _pool_backward(a: np.ndarray, pooled: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Routes each window's gradient to its first maximum in row-major order."""
    n, h, w, c = a.shape
    taps = a.reshape(n, h // POOL, POOL, w // POOL, POOL, c)
    out = np.zeros_like(a)
    grads = out.reshape(taps.shape)
    free = np.ones(pooled.shape, bool)
    for i in range(POOL):
        for j in range(POOL):
            hit = free & (taps[:, :, i, :, j] == pooled)
            free &= ~hit
            grads[:, :, i, :, j] = g * hit
    return out


class W7Numpy:
    """Forward, backward and an optimizer update by hand; window buffers are reused."""

    def __init__(self, optimizer: Callable[[list], Any], batch: int = BATCH) -> None:
        self.x, self.labels, params = w7_data(batch)
        self.params = [p.copy() for p in params]
        self.optimizer = optimizer(self.params)
        s1, s2 = SIDE, SIDE // POOL
        c0, c1, c2 = CHANNELS
        self.cols1 = np.empty((batch, s1, s1, KERNEL, KERNEL * c0), np.float32)
        self.cols2 = np.empty((batch, s2, s2, KERNEL, KERNEL * c1), np.float32)
        self.dcols2 = np.empty((batch, s2, s2, KERNEL, KERNEL * c2), np.float32)

    def gradients(self) -> tuple:
        """The mean cross-entropy and the gradient of every parameter."""
        w1, b1, w2, b2, w3, b3, w4, b4 = self.params
        n = self.x.shape[0]
        c1 = _same_windows(self.x, KERNEL, self.cols1)
        h1 = (c1 @ w1.reshape(-1, CHANNELS[1]) + b1).reshape(n, SIDE, SIDE, -1)
        a1 = np.maximum(h1, 0)
        p1 = _pool_forward(a1)
        c2 = _same_windows(p1, KERNEL, self.cols2)
        h2 = (c2 @ w2.reshape(-1, CHANNELS[2]) + b2).reshape(*p1.shape[:3], -1)
        a2 = np.maximum(h2, 0)
        p2 = _pool_forward(a2)
        flat = p2.reshape(n, -1)
        h3 = flat @ w3 + b3
        a3 = np.maximum(h3, 0)
        loss, gz = softmax_xent_by_hand(a3 @ w4 + b4, self.labels)
        ga3 = gz @ w4.T
        ga3 *= h3 > 0
        gflat = ga3 @ w3.T
        gh2 = _pool_backward(a2, p2, gflat.reshape(p2.shape))
        gh2 *= h2 > 0
        gh2_rows = gh2.reshape(-1, CHANNELS[2])
        flipped = w2[::-1, ::-1].transpose(0, 1, 3, 2).reshape(-1, CHANNELS[1])
        gp1 = (_same_windows(gh2, KERNEL, self.dcols2) @ flipped).reshape(p1.shape)
        gh1 = _pool_backward(a1, p1, gp1)
        gh1 *= h1 > 0
        gh1_rows = gh1.reshape(-1, CHANNELS[1])
        grads = [(c1.T @ gh1_rows).reshape(w1.shape), gh1_rows.sum(0),
                 (c2.T @ gh2_rows).reshape(w2.shape), gh2_rows.sum(0),
                 flat.T @ ga3, ga3.sum(0), a3.T @ gz, gz.sum(0)]
        return loss, grads

    def step(self) -> np.float32:
        """One training step; returns the loss before the update."""
        loss, grads = self.gradients()
        self.optimizer.update(self.params, grads)
        return loss


# ----------------------------------------------------------------------------------------
# TF1-style graph (staticgraph and tensorflow.compat.v1) and PyTorch
# ----------------------------------------------------------------------------------------


def w7_graph(tf: Any, adam: dict, batch: int = BATCH) -> tuple:
    """Feeds, mean cross-entropy loss and the Adam train op, for a TF1-style module."""
    x0, labels0, params = w7_data(batch)
    x = tf.placeholder(tf.float32, x0.shape, name="x")
    labels = tf.placeholder(tf.int32, labels0.shape, name="labels")
    v = [tf.Variable(p, name=f"p{i}") for i, p in enumerate(params)]
    h = x
    for i in (0, 2):
        h = tf.nn.relu(tf.nn.conv2d(h, v[i], [1, 1, 1, 1], "SAME") + v[i + 1])
        h = tf.nn.max_pool(h, [1, POOL, POOL, 1], [1, POOL, POOL, 1], "VALID")
    h = tf.reshape(h, [batch, DENSE[0]])
    h = tf.nn.relu(tf.matmul(h, v[4]) + v[5])
    logits = tf.matmul(h, v[6]) + v[7]
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=logits))
    train = tf.train.AdamOptimizer(adam["lr"], adam["beta1"], adam["beta2"],
                                   adam["epsilon"]).minimize(loss)
    return {x: x0, labels: labels0}, loss, train


def w7_torch(torch: Any, adam: dict, batch: int = BATCH) -> Callable[[], Any]:
    """PyTorch eager: NCHW convolutions with the same weights (filters as OIHW), the
    pooled activations flattened in NHWC order so the dense weights are the same."""
    x0, labels0, params = w7_data(batch)
    x = torch.from_numpy(x0.transpose(0, 3, 1, 2).copy())
    labels = torch.from_numpy(labels0).long()
    layouts = [(3, 2, 0, 1), None, (3, 2, 0, 1), None, None, None, None, None]
    tensors = [torch.from_numpy((p.transpose(t) if t else p).copy()).requires_grad_(True)
               for p, t in zip(params, layouts)]
    opt = torch.optim.Adam(tensors, lr=adam["lr"], betas=(adam["beta1"], adam["beta2"]),
                           eps=adam["epsilon"])
    fn = torch.nn.functional

    def step() -> Any:
        h = x
        for i in (0, 2):
            h = fn.relu(fn.conv2d(h, tensors[i], tensors[i + 1], padding=KERNEL // 2))
            h = fn.max_pool2d(h, POOL)
        h = h.permute(0, 2, 3, 1).reshape(batch, -1)
        h = fn.relu(h @ tensors[4] + tensors[5])
        loss = fn.cross_entropy(h @ tensors[6] + tensors[7], labels)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.item()
    return step

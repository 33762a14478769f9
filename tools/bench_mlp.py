"""W2 and W3 of tools/bench.py: MLP training steps (SGD on a small MLP, Adam on a wide one)."""
from __future__ import annotations

from typing import Any, Callable

from bench_common import (ADAM, Adam, Sizes, Table, run_systems, softmax_xent_by_hand,
                          training_cases, training_makers)

import numpy as np  # after bench_common, which applies --threads first


# ======================================================================================
# W2 mlp-step: relu(x @ W1) @ W2, loss = sum((y_hat - y)^2), SGD lr=1e-4, float32
# ======================================================================================

W2_SIZES = (64, 1000, 100, 10)  # N, D_in, H, D_out
W2_LR = 1e-4


def w2_data() -> tuple:
    """x, y and the initial weights (He-scaled normals, so that lr=1e-4 converges)."""
    n, d_in, h, d_out = W2_SIZES
    rng = np.random.RandomState(0)
    x = rng.randn(n, d_in).astype(np.float32)
    y = rng.randn(n, d_out).astype(np.float32)
    w1 = (rng.randn(d_in, h) * np.sqrt(2.0 / d_in)).astype(np.float32)
    w2 = (rng.randn(h, d_out) * np.sqrt(2.0 / h)).astype(np.float32)
    return x, y, w1, w2


class W2Numpy:
    """The training step by hand, updating the weights in place."""

    def __init__(self) -> None:
        self.x, self.y, w1, w2 = w2_data()
        self.w1, self.w2 = w1.copy(), w2.copy()

    def step(self) -> np.float32:
        h = self.x @ self.w1
        relu = np.maximum(h, 0)
        diff = relu @ self.w2 - self.y
        loss = np.sum(diff * diff)
        g_pred = 2.0 * diff
        g_w2 = relu.T @ g_pred
        g_h = g_pred @ self.w2.T
        g_h *= h > 0
        g_w1 = self.x.T @ g_h
        self.w1 -= np.float32(W2_LR) * g_w1
        self.w2 -= np.float32(W2_LR) * g_w2
        return loss


def w2_graph(tf: Any) -> tuple:
    """Feeds, loss and the SGD train op."""
    x0, y0, w1, w2 = w2_data()
    x = tf.placeholder(tf.float32, x0.shape, name="x")
    y = tf.placeholder(tf.float32, y0.shape, name="y")
    W1, W2 = tf.Variable(w1, name="W1"), tf.Variable(w2, name="W2")
    pred = tf.matmul(tf.nn.relu(tf.matmul(x, W1)), W2)
    loss = tf.reduce_sum(tf.square(pred - y))
    train = tf.train.GradientDescentOptimizer(W2_LR).minimize(loss)
    return {x: x0, y: y0}, loss, train


def w2_torch(torch: Any) -> Callable[[], Any]:
    x, y, w1, w2 = (torch.from_numpy(a.copy()) for a in w2_data())
    w1.requires_grad_(True)
    w2.requires_grad_(True)

    def step() -> Any:
        loss = ((torch.relu(x @ w1) @ w2 - y) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            for w in (w1, w2):
                w -= W2_LR * w.grad
                w.grad = None
        return loss.item()
    return step


def w2_jax(jax: Any) -> Callable[[], Any]:
    jnp = jax.numpy
    x, y, w1, w2 = (jnp.asarray(a) for a in w2_data())

    def loss_fn(params: tuple) -> Any:
        return jnp.sum((jnp.maximum(x @ params[0], 0) @ params[1] - y) ** 2)

    @jax.jit
    def update(params: tuple) -> tuple:
        loss, grads = jax.value_and_grad(loss_fn)(params)
        return tuple(p - W2_LR * g for p, g in zip(params, grads)), loss

    state = [(w1, w2)]

    def step() -> Any:
        state[0], loss = update(state[0])
        return float(loss)
    return step


def w2_autograd(autograd: Any) -> Callable[[], Any]:
    import autograd.numpy as anp
    x, y, w1, w2 = w2_data()
    f = autograd.value_and_grad(
        lambda p: anp.sum((anp.maximum(x @ p[0], 0) @ p[1] - y) ** 2))
    params = [w1, w2]

    def step() -> Any:
        loss, grads = f(params)
        params[:] = [p - np.float32(W2_LR) * g for p, g in zip(params, grads)]
        return loss
    return step


def w2_pytensor(pytensor: Any) -> Callable[[], Any]:
    import pytensor.tensor as pt
    x0, y0, w1, w2 = w2_data()
    W1, W2 = pytensor.shared(w1), pytensor.shared(w2)
    x, y = pt.fmatrix("x"), pt.fmatrix("y")
    loss = pt.sum((pt.maximum(x @ W1, 0) @ W2 - y) ** 2)
    grads = pytensor.grad(loss, [W1, W2])
    lr = np.float32(W2_LR)
    f = pytensor.function([x, y], loss, updates=[(W1, W1 - lr * grads[0]),
                                                  (W2, W2 - lr * grads[1])])
    return lambda: f(x0, y0)


def workload_w2(sizes: Sizes, peers: dict) -> list[Table]:
    """W2: ms per SGD step of the two-layer MLP; the loss after the check steps agrees."""
    makers = training_makers(w2_graph, lambda: W2Numpy().step, peers, {
        "torch": w2_torch, "jax": w2_jax, "autograd": w2_autograd, "pytensor": w2_pytensor})
    baseline = W2Numpy()
    losses = [baseline.step() for _ in range(sizes.w2_check_steps)]
    table = Table(f"W2 mlp-step: N=64, 1000-100-10, relu, sum of squares, SGD (float32); "
                  f"loss {losses[0]:.6g} -> {losses[-1]:.3g} after {len(losses)} steps",
                  "ms/step")
    # The loss falls to ~1e-10: compare it relative to where it started.
    run_systems(table, training_cases(makers, len(losses)), losses[-1], 1e-3, sizes,
                atol=1e-6 * losses[0])
    return [table]


# ======================================================================================
# W3 mlp-wide: 784-512-512-10 with biases, ReLU, mean softmax xent, Adam lr=1e-3, float32
# ======================================================================================

W3_BATCH, W3_LAYERS = 256, (784, 512, 512, 10)


def w3_data(batch: int = W3_BATCH) -> tuple:
    """x, integer labels, and [(W, b)] per layer (He-scaled normals, zero biases)."""
    rng = np.random.RandomState(0)
    x = rng.randn(batch, W3_LAYERS[0]).astype(np.float32)
    labels = rng.randint(0, W3_LAYERS[-1], size=batch).astype(np.int32)
    params = [((rng.randn(a, b) * np.sqrt(2.0 / a)).astype(np.float32),
               np.zeros(b, np.float32)) for a, b in zip(W3_LAYERS[:-1], W3_LAYERS[1:])]
    return x, labels, params


class W3Numpy:
    """Forward, backward and Adam by hand, with the Adam state updated in place."""

    def __init__(self) -> None:
        self.x, self.labels, params = w3_data()
        self.params = [p.copy() for layer in params for p in layer]
        self.adam = Adam(self.params)

    def gradients(self) -> tuple:
        """The mean cross-entropy and the gradient of every parameter."""
        w1, b1, w2, b2, w3, b3 = self.params
        h1 = self.x @ w1 + b1
        a1 = np.maximum(h1, 0)
        h2 = a1 @ w2 + b2
        a2 = np.maximum(h2, 0)
        loss, gz = softmax_xent_by_hand(a2 @ w3 + b3, self.labels)
        ga2 = gz @ w3.T
        ga2 *= h2 > 0
        ga1 = ga2 @ w2.T
        ga1 *= h1 > 0
        grads = [self.x.T @ ga1, ga1.sum(0), a1.T @ ga2, ga2.sum(0), a2.T @ gz, gz.sum(0)]
        return loss, grads

    def step(self) -> np.float32:
        loss, grads = self.gradients()
        self.adam.update(self.params, grads)
        return loss


def w3_graph(tf: Any, batch: int = W3_BATCH, dynamic: bool = False) -> tuple:
    """Feeds, mean cross-entropy loss and the Adam train op (``dynamic``: the batch
    size left unknown in the placeholders, to feed partitions of the batch)."""
    x0, labels0, params = w3_data(batch)
    rows = None if dynamic else batch
    x = tf.placeholder(tf.float32, (rows, *x0.shape[1:]), name="x")
    labels = tf.placeholder(tf.int32, (rows,), name="labels")
    h = x
    for i, (w, b) in enumerate(params):
        h = tf.matmul(h, tf.Variable(w, name=f"W{i}")) + tf.Variable(b, name=f"b{i}")
        if i < len(params) - 1:
            h = tf.nn.relu(h)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels,
                                                                         logits=h))
    train = tf.train.AdamOptimizer(ADAM["lr"], ADAM["beta1"], ADAM["beta2"],
                                   ADAM["epsilon"]).minimize(loss)
    return {x: x0, labels: labels0}, loss, train


def w3_torch(torch: Any) -> Callable[[], Any]:
    x0, labels0, params = w3_data()
    x, labels = torch.from_numpy(x0), torch.from_numpy(labels0).long()
    tensors = [torch.from_numpy(p.copy()).requires_grad_(True) for layer in params
               for p in layer]
    opt = torch.optim.Adam(tensors, lr=ADAM["lr"], betas=(ADAM["beta1"], ADAM["beta2"]),
                           eps=ADAM["epsilon"])
    xent = torch.nn.functional.cross_entropy

    def step() -> Any:
        loss = xent(_w3_logits(x, tensors, torch.relu), labels)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.item()
    return step


def w3_jax(jax: Any) -> Callable[[], Any]:
    jnp = jax.numpy
    x0, labels0, params = w3_data()
    x, labels = jnp.asarray(x0), jnp.asarray(labels0)

    def loss_fn(flat: tuple) -> Any:
        logp = jax.nn.log_softmax(_w3_logits(x, flat, jax.nn.relu))
        return -jnp.mean(jnp.take_along_axis(logp, labels[:, None], axis=1))

    @jax.jit
    def update(flat: tuple, m: tuple, v: tuple, t: Any) -> tuple:
        loss, grads = jax.value_and_grad(loss_fn)(flat)
        m = tuple(ADAM["beta1"] * a + (1 - ADAM["beta1"]) * g for a, g in zip(m, grads))
        v = tuple(ADAM["beta2"] * a + (1 - ADAM["beta2"]) * g * g for a, g in zip(v, grads))
        lr = ADAM["lr"] * jnp.sqrt(1 - ADAM["beta2"] ** t) / (1 - ADAM["beta1"] ** t)
        flat = tuple(p - (lr * a / (jnp.sqrt(b) + ADAM["epsilon"])).astype(p.dtype)
                     for p, a, b in zip(flat, m, v))
        return flat, m, v, loss

    flat = tuple(jnp.asarray(p) for layer in params for p in layer)
    state = [flat, tuple(jnp.zeros_like(p) for p in flat),
             tuple(jnp.zeros_like(p) for p in flat), 0]

    def step() -> Any:
        state[3] += 1
        state[0], state[1], state[2], loss = update(*state[:3], jnp.float32(state[3]))
        return float(loss)
    return step


def _w3_logits(x: Any, flat: list, relu: Callable[[Any], Any]) -> Any:
    """The MLP's logits from a flat [W0, b0, W1, b1, ...] list, for any array library."""
    h = x
    for i in range(0, len(flat), 2):
        h = h @ flat[i] + flat[i + 1]
        if i < len(flat) - 2:
            h = relu(h)
    return h


def w3_autograd(autograd: Any) -> Callable[[], Any]:
    import autograd.numpy as anp
    x, labels, params = w3_data()
    rows = np.arange(W3_BATCH)

    def loss_fn(flat: list) -> Any:
        z = _w3_logits(x, flat, lambda h: anp.maximum(h, 0))
        z = z - anp.max(z, axis=1, keepdims=True)
        return anp.mean(anp.log(anp.sum(anp.exp(z), axis=1)) - z[rows, labels])
    f = autograd.value_and_grad(loss_fn)
    flat = [p.copy() for layer in params for p in layer]
    adam = Adam(flat)

    def step() -> Any:
        loss, grads = f(flat)
        adam.update(flat, grads)
        return loss
    return step


def w3_pytensor(pytensor: Any) -> Callable[[], Any]:
    import pytensor.tensor as pt
    x0, labels0, params = w3_data()
    flat = [pytensor.shared(p) for layer in params for p in layer]
    x, labels = pt.fmatrix("x"), pt.ivector("labels")
    logp = pt.special.log_softmax(_w3_logits(x, flat, lambda h: pt.maximum(h, 0)), axis=1)
    loss = -pt.mean(logp[pt.arange(W3_BATCH), labels])
    t = pytensor.shared(np.float64(0))
    t1 = t + 1
    lr = ADAM["lr"] * pt.sqrt(1 - ADAM["beta2"] ** t1) / (1 - ADAM["beta1"] ** t1)
    updates = [(t, t1)]
    for p, g in zip(flat, pytensor.grad(loss, flat)):
        m = pytensor.shared(np.zeros_like(p.get_value()))
        v = pytensor.shared(np.zeros_like(p.get_value()))
        m1 = (ADAM["beta1"] * m + (1 - ADAM["beta1"]) * g).astype("float32")
        v1 = (ADAM["beta2"] * v + (1 - ADAM["beta2"]) * g * g).astype("float32")
        step = lr.astype("float32") * m1 / (pt.sqrt(v1) + np.float32(ADAM["epsilon"]))
        updates += [(m, m1), (v, v1), (p, (p - step).astype("float32"))]
    f = pytensor.function([x, labels], loss, updates=updates)
    return lambda: f(x0, labels0)


def workload_w3(sizes: Sizes, peers: dict) -> list[Table]:
    """W3: ms per Adam step of the wide MLP; the loss after the check steps agrees."""
    makers = training_makers(w3_graph, lambda: W3Numpy().step, peers, {
        "torch": w3_torch, "jax": w3_jax, "autograd": w3_autograd, "pytensor": w3_pytensor})
    steps = max(2, sizes.w2_check_steps // 25)
    baseline = W3Numpy()
    want = [baseline.step() for _ in range(steps)][-1]
    table = Table(f"W3 mlp-wide: batch 256, 784-512-512-10, relu, mean softmax xent, Adam "
                  f"(float32); loss after {steps} steps {want:.6g}", "ms/step")
    run_systems(table, training_cases(makers, steps), want, 1e-3, sizes)
    return [table]

"""W4 of tools/bench.py: logistic regression on two moons, per SGD step."""
from __future__ import annotations

from typing import Any, Callable

from bench_common import Sizes, Table, run_systems, training_cases, training_makers

import numpy as np  # after bench_common, which applies --threads first


# ======================================================================================
# W4 logreg-moons: p = 0.5 (tanh(X w) + 1), loss = -sum log-likelihood, SGD lr=1e-3
# ======================================================================================

W4_LR = 1e-3


def w4_data() -> tuple:
    """make_moons(500, noise=0.1, random_state=0) as float64, and zero initial weights."""
    from sklearn.datasets import make_moons
    X, y = make_moons(500, noise=0.1, random_state=0)
    return X.astype(np.float64), y.astype(np.float64), np.zeros(2)


class W4Numpy:
    """The step by hand: dloss/dz simplifies to tanh(z) + 1 - 2y."""

    def __init__(self) -> None:
        self.X, self.y, w = w4_data()
        self.w = w.copy()

    def step(self) -> np.float64:
        t = np.tanh(self.X @ self.w)
        p = 0.5 * (t + 1.0)
        loss = -np.sum(self.y * np.log(p) + (1.0 - self.y) * np.log(1.0 - p))
        self.w -= W4_LR * (self.X.T @ (t + 1.0 - 2.0 * self.y))
        return loss


def _w4_loss(np_: Any, X: Any, y: Any, w: Any) -> Any:
    p = 0.5 * (np_.tanh(X @ w) + 1.0)
    return -np_.sum(y * np_.log(p) + (1.0 - y) * np_.log(1.0 - p))


def w4_graph(tf: Any) -> tuple:
    X0, y0, w0 = w4_data()
    X = tf.placeholder(tf.float64, X0.shape, name="X")
    y = tf.placeholder(tf.float64, y0.shape, name="y")
    w = tf.Variable(w0, name="w")
    p = 0.5 * (tf.tanh(tf.reshape(tf.matmul(X, tf.reshape(w, [2, 1])), [-1])) + 1.0)
    loss = -tf.reduce_sum(y * tf.log(p) + (1.0 - y) * tf.log(1.0 - p))
    train = tf.train.GradientDescentOptimizer(W4_LR).minimize(loss)
    return {X: X0, y: y0}, loss, train


def w4_torch(torch: Any) -> Callable[[], Any]:
    X, y, w = (torch.from_numpy(a.copy()) for a in w4_data())
    w.requires_grad_(True)

    def step() -> Any:
        loss = _w4_loss(torch, X, y, w)
        loss.backward()
        with torch.no_grad():
            w.sub_(W4_LR * w.grad)
            w.grad = None
        return loss.item()
    return step


def w4_jax(jax: Any) -> Callable[[], Any]:
    X, y, w = (jax.numpy.asarray(a) for a in w4_data())

    @jax.jit
    def update(w: Any) -> tuple:
        loss, g = jax.value_and_grad(lambda w: _w4_loss(jax.numpy, X, y, w))(w)
        return w - W4_LR * g, loss

    state = [w]

    def step() -> Any:
        state[0], loss = update(state[0])
        return float(loss)
    return step


def w4_autograd(autograd: Any) -> Callable[[], Any]:
    import autograd.numpy as anp
    X, y, w = w4_data()
    f = autograd.value_and_grad(lambda w: _w4_loss(anp, X, y, w))
    state = [w]

    def step() -> Any:
        loss, g = f(state[0])
        state[0] = state[0] - W4_LR * g
        return loss
    return step


def w4_pytensor(pytensor: Any) -> Callable[[], Any]:
    import pytensor.tensor as pt
    X0, y0, w0 = w4_data()
    w = pytensor.shared(w0)
    X, y = pt.dmatrix("X"), pt.dvector("y")
    loss = _w4_loss(pt, X, y, w)
    f = pytensor.function([X, y], loss, updates=[(w, w - W4_LR * pytensor.grad(loss, w))])
    return lambda: f(X0, y0)


def workload_w4(sizes: Sizes, peers: dict) -> list[Table]:
    """W4: µs per SGD step of the logistic regression; the final loss agrees."""
    makers = training_makers(w4_graph, lambda: W4Numpy().step, peers, {
        "torch": w4_torch, "jax": w4_jax, "autograd": w4_autograd, "pytensor": w4_pytensor})
    baseline = W4Numpy()
    want = [baseline.step() for _ in range(sizes.w4_steps)][-1]
    table = Table(f"W4 logreg-moons: make_moons(500), tanh link, SGD lr=1e-3 (float64); "
                  f"loss after {sizes.w4_steps} steps {want:.8g}", "µs/step")
    run_systems(table, training_cases(makers, sizes.w4_steps), want, 1e-7, sizes)
    return [table]

"""W1 of tools/bench.py: a seed expression and its gradient, per run."""
from __future__ import annotations

from typing import Any, Callable

from bench_common import Case, Sizes, Table, peer_builders, run_systems, sg, tf_session

import numpy as np  # after bench_common, which applies --threads first


# ======================================================================================
# W1 seed-expr: y = (sin(x1/x2) + x1/x2 - exp(x2)) * (x1/x2 - exp(x2)) and its gradient
# ======================================================================================

W1_X = (1.5, 0.5)


def w1_numpy(x1: np.float64, x2: np.float64) -> tuple:
    """y, dy/dx1, dy/dx2 by hand."""
    a = x1 / x2
    e = np.exp(x2)
    b = a - e
    s = np.sin(a)
    y = (s + b) * b
    gb = s + b + b  # dy/db
    ga = np.cos(a) * b + gb  # dy/da through both paths
    return y, ga / x2, -ga * a / x2 - gb * e


def w1_graph(tf: Any) -> tuple:
    """Placeholders, and the fetches [y, dy/dx1, dy/dx2]."""
    x1 = tf.placeholder(tf.float64, [], name="x1")
    x2 = tf.placeholder(tf.float64, [], name="x2")
    a = x1 / x2
    e = tf.exp(x2)
    y = (tf.sin(a) + a - e) * (a - e)
    return (x1, x2), [y] + tf.gradients(y, [x1, x2])


def w1_session(tf: Any) -> Case:
    sess, _, ((x1, x2), fetches) = tf_session(tf, w1_graph)
    feed = {x1: W1_X[0], x2: W1_X[1]}
    return Case(lambda: sess.run(fetches, feed), lambda: sess.run(fetches, feed))


def w1_callable() -> Case:
    sess, _, ((x1, x2), fetches) = tf_session(sg, w1_graph)
    call = sess.make_callable(fetches, [x1, x2])
    return Case(lambda: call(*W1_X), lambda: call(*W1_X))


def w1_torch(torch: Any) -> Case:
    def step() -> tuple:
        x1 = torch.tensor(W1_X[0], dtype=torch.float64, requires_grad=True)
        x2 = torch.tensor(W1_X[1], dtype=torch.float64, requires_grad=True)
        a = x1 / x2
        e = torch.exp(x2)
        y = (torch.sin(a) + a - e) * (a - e)
        return (y.detach(), *torch.autograd.grad(y, [x1, x2]))
    return Case(step, lambda: [v.numpy() for v in step()])


def _w1_function(np_: Any) -> Callable:
    def f(x1: Any, x2: Any) -> Any:
        a = x1 / x2
        e = np_.exp(x2)
        return (np_.sin(a) + a - e) * (a - e)
    return f


def w1_jax(jax: Any) -> Case:
    f = jax.jit(jax.value_and_grad(_w1_function(jax.numpy), argnums=(0, 1)))
    x1, x2 = (jax.numpy.float64(v) for v in W1_X)

    def step() -> Any:
        y, (g1, g2) = f(x1, x2)
        g2.block_until_ready()
        return y, g1, g2
    return Case(step, step)


def w1_autograd(autograd: Any) -> Case:
    import autograd.numpy as anp
    f = autograd.value_and_grad(lambda xs: _w1_function(anp)(*xs))

    def step() -> tuple:
        y, (g1, g2) = f(W1_X)
        return y, g1, g2
    return Case(step, step)


def w1_pytensor(pytensor: Any) -> Case:
    import pytensor.tensor as pt
    x1, x2 = pt.dscalar("x1"), pt.dscalar("x2")
    y = _w1_function(pt)(x1, x2)
    f = pytensor.function([x1, x2], [y, *pytensor.grad(y, [x1, x2])])
    return Case(lambda: f(*W1_X), lambda: f(*W1_X))


def workload_w1(sizes: Sizes, peers: dict) -> list[Table]:
    """W1: µs per run fetching y and both partial derivatives."""
    x = (np.float64(W1_X[0]), np.float64(W1_X[1]))
    builders: dict[str, Callable[[], Case]] = {
        "staticgraph": lambda: w1_session(sg), "callable": w1_callable,
        "numpy": lambda: Case(lambda: w1_numpy(*x), lambda: w1_numpy(*x))}
    builders.update(peer_builders(peers, {
        "tf1": lambda m: w1_session(m), "torch": w1_torch, "jax": w1_jax,
        "autograd": w1_autograd, "pytensor": w1_pytensor}))
    table = Table("W1 seed-expr: y, dy/dx1, dy/dx2 at x1=1.5, x2=0.5 (float64 scalars)",
                  "µs/run")
    run_systems(table, builders, w1_numpy(*x), 1e-12, sizes)
    return [table]

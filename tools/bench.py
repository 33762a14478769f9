"""Benchmarks W1–W8 of BENCHMARKS.md: staticgraph against hand-written NumPy and its peers.

    python tools/bench.py                 # every workload, full size
    python tools/bench.py --quick         # small sizes, few repeats (a CI smoke test)
    python tools/bench.py --only W1,W5    # some workloads
    python tools/bench.py --peers none    # staticgraph and the NumPy baseline only

Every workload runs staticgraph, the hand-written NumPy baseline (gradients derived by
hand) and each peer that imports (TensorFlow 1 graph mode via ``tensorflow.compat.v1``,
PyTorch eager, JAX ``jit``, autograd, PyTensor) with the same dtype, inputs and initial
weights; results are checked against the baseline before anything is timed. Figures are
medians over repeats after a warm-up. Each workload prints one table with the ratios
``system / baseline`` and ``staticgraph / system``.

TF1 graph mode and staticgraph share the model-building code below: staticgraph's API is
TF1's, so the same function builds both graphs from the module it is given.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable



def _thread_limit(argv: list[str]) -> int | None:
    """``--threads N`` must act before NumPy loads its BLAS, so it is read here first."""
    for i, arg in enumerate(argv):
        if arg == "--threads" and i + 1 < len(argv):
            return int(argv[i + 1])
        if arg.startswith("--threads="):
            return int(arg.split("=", 1)[1])
    return None


THREADS = _thread_limit(sys.argv)
if THREADS is not None:  # every library's thread pool, before any of them is imported
    for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                 "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"):
        os.environ[_var] = str(THREADS)
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen="
                               f"{'false' if THREADS == 1 else 'true'}").strip()

import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import staticgraph as sg  # noqa: E402  (after the path set-up, for a source checkout)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_cnn import W7Numpy, w7_graph, w7_macs, w7_torch  # noqa: E402

PEER_NAMES = ("tf1", "torch", "jax", "autograd", "pytensor")
LABELS = {"staticgraph": "staticgraph", "callable": "staticgraph make_callable",
          "grads": "staticgraph fwd+bwd", "floor": "GEMM floor",
          "numpy": "NumPy by hand", "tf1": "TF1 graph", "torch": "PyTorch eager",
          "jax": "JAX jit", "autograd": "autograd", "pytensor": "PyTensor"}


# ======================================================================================
# Measuring and reporting
# ======================================================================================


@dataclass
class Sizes:
    """Problem sizes and repeat counts: full (the spec) or quick (CI smoke test)."""

    quick: bool
    repeats: int = 15
    w2_check_steps: int = 500
    w4_steps: int = 100
    w5_ns: tuple = (1_000, 10_000, 100_000)
    w6: tuple = (32, 1024, 1024)  # layers, width, batch
    w7_batch: int = 64
    gemm_side: int = 1024  # of the square float32 GEMM that measures the machine's rate

    @classmethod
    def make(cls, quick: bool) -> "Sizes":
        """The spec's sizes, or small ones with ``quick``."""
        if quick:
            return cls(True, repeats=3, w2_check_steps=5, w4_steps=5, w5_ns=(300,),
                       w6=(4, 256, 256), w7_batch=2, gemm_side=128)
        return cls(False)


# Pause before each timed batch: the previous system's worker threads (OpenMP, Eigen,
# XLA) spin for a while after their last task and would slow the next system's BLAS.
SETTLE = 0.25


def settle() -> None:
    """Waits :data:`SETTLE` seconds busily. Sleeping instead lets this virtual CPU go
    idle, and the batch after an idle pause ran up to 2.5x slower, by an amount that
    varied from batch to batch (W4 ratios from 0.8 to 1.8 across repeats)."""
    end = time.perf_counter() + SETTLE
    while time.perf_counter() < end:
        pass


def calls_per_batch(fn: Callable[[], Any], budget: float) -> int:
    """How many calls of ``fn`` take about ``budget`` seconds (after a warm-up call)."""
    fn()
    start = time.perf_counter()
    fn()
    return max(1, int(budget / max(time.perf_counter() - start, 1e-7)))


def interleaved_times(fns: dict[str, Callable[[], Any]], repeats: int,
                      budget: float = 0.1) -> dict[str, list[float]]:
    """Seconds per call of each function in each repeat, timing them in turn within a
    repeat so that a change in the machine's speed affects every system alike."""
    numbers = {name: calls_per_batch(fn, budget) for name, fn in fns.items()}
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            number = numbers[name]
            settle()
            start = time.perf_counter()
            for _ in range(number):
                fn()
            times[name].append((time.perf_counter() - start) / number)
    return times


@dataclass
class Row:
    """One system's figure in a table (None with a note when it was not measured)."""

    system: str
    figure: float | None
    note: str = ""
    extra: dict = field(default_factory=dict)
    samples: list[float] = field(default_factory=list)  # per repeat, timed in turn

    @classmethod
    def timed(cls, system: str, samples: list[float], scale: float, **kw: Any) -> "Row":
        """A row whose figure is the median of its per-repeat samples (scaled)."""
        return cls(system, statistics.median(samples) * scale, samples=samples, **kw)


def ratio(row: Row, base: Row) -> float:
    """``row`` over ``base``: the median of the per-repeat ratios when both were timed in
    the same repeats (each pair ran seconds apart, so a slower phase of the machine
    cancels out), else the ratio of the figures."""
    if row.samples and len(row.samples) == len(base.samples):
        return statistics.median(a / b for a, b in zip(row.samples, base.samples))
    return row.figure / base.figure


@dataclass
class Table:
    """One workload's results: rows, the unit of the figure, extra columns."""

    title: str
    unit: str
    rows: list[Row] = field(default_factory=list)
    columns: tuple = ()  # extra per-row columns (name, format)

    def row(self, system: str) -> Row | None:
        """The measured row of ``system`` (None when missing or not measured)."""
        return next((r for r in self.rows if r.system == system and r.figure is not None),
                    None)

    def render(self) -> str:
        """The table as text: figure, ratio to the baseline, staticgraph / system."""
        base, ours = self.row("numpy"), self.row("staticgraph")
        head = f"{'system':<28}{self.unit:>14}{'/ NumPy':>10}{'sg / this':>11}"
        head += "".join(f"{name:>16}" for name, _ in self.columns)
        lines = [f"\n== {self.title}", head, "-" * len(head)]
        for row in self.rows:
            label = LABELS.get(row.system, row.system)
            if row.figure is None:
                lines.append(f"{label:<28}{'—':>14}  {row.note}")
                continue
            to_base = f"{ratio(row, base):.2f}" if base else "—"
            versus = f"{ratio(ours, row):.2f}" if ours else "—"
            text = f"{label:<28}{row.figure:>14.4g}{to_base:>10}{versus:>11}"
            text += "".join(f"{fmt.format(row.extra[name]) if name in row.extra else '—':>16}"
                            for name, fmt in self.columns)
            lines.append(text + (f"  {row.note}" if row.note else ""))
        return "\n".join(lines)


class Disagreement(AssertionError):
    """A system's results differ from the hand-written baseline."""


def check_close(system: str, got: Any, want: Any, rtol: float, atol: float = 0.0) -> None:
    """Raises :class:`Disagreement` unless every array in ``got`` matches ``want``."""
    for g, w in zip(_arrays(got), _arrays(want)):
        if g.shape != w.shape or not np.allclose(g, w, rtol=rtol, atol=atol):
            worst = np.max(np.abs(g - w)) if g.shape == w.shape else "shape"
            raise Disagreement(f"{system} disagrees with the baseline ({worst})")


def _arrays(values: Any) -> list[np.ndarray]:
    items = values if isinstance(values, (list, tuple)) else [values]
    return [np.asarray(v, dtype=np.float64) for v in items]


# ======================================================================================
# Peers
# ======================================================================================


def load_peers(names: list[str]) -> dict[str, Any]:
    """Imports each named peer that is installed; the others are skipped quietly."""
    peers = {}
    for name in names:
        try:
            peers[name] = _IMPORTERS[name]()
        except ImportError:
            continue
    return peers


def _import_tf1() -> Any:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # tf.nn.rnn_cell (W8) needs tf_keras
    import tensorflow.compat.v1 as tf1
    tf1.disable_eager_execution()
    return tf1


def _import_torch() -> Any:
    import torch
    if THREADS is not None:
        torch.set_num_threads(THREADS)
    return torch


def _import_jax() -> Any:
    import jax
    jax.config.update("jax_enable_x64", True)  # W1/W4/W5 are float64
    return jax


def _import_autograd() -> Any:
    import autograd
    return autograd


def _import_pytensor() -> Any:
    import pytensor
    return pytensor


_IMPORTERS = {"tf1": _import_tf1, "torch": _import_torch, "jax": _import_jax,
              "autograd": _import_autograd, "pytensor": _import_pytensor}


@dataclass
class Case:
    """A system ready to run a workload: ``step()`` is timed, ``result()`` is checked."""

    step: Callable[[], Any]
    result: Callable[[], Any]


def run_systems(table: Table, builders: dict[str, Callable[[], Case]], want: Any,
                rtol: float, sizes: Sizes, atol: float = 0.0, wants: dict | None = None,
                references: dict | None = None) -> None:
    """Builds and checks each system, then times them all interleaved; one row each.

    staticgraph disagreeing with the baseline is an error; a peer that disagrees or
    fails is reported in its row and not timed. ``wants`` gives some systems their own
    expected result; ``references`` maps a row name to (function, factor): timed
    interleaved with the systems, unchecked, each time multiplied by ``factor``.
    """
    references = references or {}
    steps, failed = {}, {}
    for system, build in builders.items():
        try:
            case = build()
            check_close(system, case.result(), (wants or {}).get(system, want), rtol, atol)
            steps[system] = case.step
        except Exception as err:
            if system in ("staticgraph", "callable", "grads", "numpy"):
                raise
            failed[system] = f"not measured: {type(err).__name__}: " \
                             f"{str(err).splitlines()[0][:60] if str(err) else ''}"
    steps.update({name: fn for name, (fn, _) in references.items()})
    times = interleaved_times(steps, sizes.repeats)
    for system in builders:
        if system in times:
            table.rows.append(Row.timed(system, times[system], _SCALE[table.unit]))
        else:
            table.rows.append(Row(system, None, failed[system]))
    for name, (_, factor) in references.items():
        table.rows.append(Row.timed(name, [t * factor for t in times[name]],
                                    _SCALE[table.unit]))


_SCALE = {"µs/run": 1e6, "µs/step": 1e6, "ms/step": 1e3, "ms/run": 1e3}


def train_step(tf: Any, graph: Callable[[Any], tuple]) -> Callable[[], Any]:
    """``sess.run([loss, train], feed)`` as a step, for a TF1-style graph builder that
    returns (feed, loss, train op)."""
    sess, _, (feed, loss, train) = tf_session(tf, graph)
    fetches = [loss, train]
    return lambda: sess.run(fetches, feed)[0]


def tf_session(tf: Any, build: Callable[[Any], tuple]) -> tuple:
    """Builds ``build(tf)`` in a fresh graph of ``tf`` (staticgraph or TF1); returns the
    session, the graph and whatever ``build`` returned. Variables are initialized."""
    graph = tf.Graph()
    with graph.as_default():
        built = build(tf)
        init = tf.global_variables_initializer()
    sess = tf.Session(graph=graph, config=session_config(tf))
    sess.run(init)
    return sess, graph, built


def session_config(tf: Any) -> Any:
    """A ConfigProto limiting the session's thread pools under ``--threads`` (else None)."""
    if THREADS is None:
        return None
    return tf.ConfigProto(intra_op_parallelism_threads=THREADS,
                          inter_op_parallelism_threads=THREADS)


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
    builders.update(_peer_builders(peers, {
        "tf1": lambda m: w1_session(m), "torch": w1_torch, "jax": w1_jax,
        "autograd": w1_autograd, "pytensor": w1_pytensor}))
    table = Table("W1 seed-expr: y, dy/dx1, dy/dx2 at x1=1.5, x2=0.5 (float64 scalars)",
                  "µs/run")
    run_systems(table, builders, w1_numpy(*x), 1e-12, sizes)
    return [table]


def _peer_builders(peers: dict, makers: dict) -> dict:
    return {name: (lambda make=make, module=peers[name]: make(module))
            for name, make in makers.items() if name in peers}


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


def training_makers(graph: Callable[[Any], tuple], numpy_step: Callable[[], Callable],
                    peers: dict, peer_steps: dict) -> dict[str, Callable]:
    """Step factories for a training workload: staticgraph and TF1 from the shared TF1
    graph builder, the NumPy baseline, and the other importable peers."""
    makers: dict[str, Callable] = {"staticgraph": lambda: train_step(sg, graph),
                                   "numpy": numpy_step}
    makers.update(_peer_builders(peers, {"tf1": lambda m: train_step(m, graph),
                                         **peer_steps}))
    return makers


def training_cases(makers: dict[str, Callable[[], Callable[[], Any]]], steps: int
                   ) -> dict[str, Callable[[], Case]]:
    """Training workloads: each system trains ``steps`` steps; its last loss is checked,
    then further steps are timed."""
    def case(make: Callable[[], Callable[[], Any]]) -> Case:
        step = make()
        losses = [step() for _ in range(steps)]
        return Case(step, lambda: losses[-1])
    return {name: (lambda make=make: case(make)) for name, make in makers.items()}


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
ADAM = dict(lr=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8)


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
        z = a2 @ w3 + b3
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        total = p.sum(axis=1, keepdims=True)
        rows = np.arange(W3_BATCH)
        loss = np.mean(np.log(total[:, 0]) - z[rows, self.labels])
        p /= total
        p[rows, self.labels] -= 1
        gz = p / np.float32(W3_BATCH)
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


class Adam:
    """TF1's Adam on NumPy arrays, updating parameters and moments in place."""

    def __init__(self, params: list) -> None:
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def update(self, params: list, grads: list) -> None:
        """One step: params -= lr_t * m / (sqrt(v) + epsilon)."""
        self.t += 1
        lr = ADAM["lr"] * np.sqrt(1 - ADAM["beta2"] ** self.t) / (1 - ADAM["beta1"] ** self.t)
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= ADAM["beta1"]
            m += (1 - ADAM["beta1"]) * g
            v *= ADAM["beta2"]
            v += (1 - ADAM["beta2"]) * (g * g)
            p -= np.float32(lr) * m / (np.sqrt(v) + np.float32(ADAM["epsilon"]))


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


# ======================================================================================
# W5 deep-chain: x = sin(x) * 0.01 + x repeated (3 ops each) on 1000 float64, sum, gradient
# ======================================================================================

W5_SIZE = 1000
# Peers that build a graph are only run up to a size they finish in reasonable time.
W5_PEER_LIMITS = {"tf1": 10_000, "jax": 1_000, "pytensor": 0, "torch": 100_000,
                  "autograd": 10_000}  # PyTensor: compiling even N=300 takes minutes


def w5_input() -> np.ndarray:
    """The chain's input vector."""
    return np.random.RandomState(0).randn(W5_SIZE)


def w5_numpy(x: np.ndarray, links: int) -> tuple:
    """The sum and its gradient by hand, keeping each link's input for the backward pass."""
    inputs = []
    for _ in range(links):
        inputs.append(x)
        x = np.sin(x) * 0.01 + x
    grad = np.ones_like(x)
    for h in reversed(inputs):
        grad = grad + grad * 0.01 * np.cos(h)
    return np.sum(x), grad


@dataclass
class W5Setup:
    """One system set up for W5: its one-off timings (s), first result, steady run."""

    timings: dict
    result: Any
    run: Callable[[], Any]


def w5_graph_setup(tf: Any, links: int, x0: np.ndarray) -> W5Setup:
    """Build, gradient and compile + first run times for a TF1-style API."""
    graph = tf.Graph()
    with graph.as_default():
        start = time.perf_counter()
        x = tf.placeholder(tf.float64, [W5_SIZE], name="x")
        h = x
        for _ in range(links):
            h = tf.sin(h) * 0.01 + h
        y = tf.reduce_sum(h)
        built = time.perf_counter()
        grad = tf.gradients(y, x)[0]
        differentiated = time.perf_counter()
    sess = tf.Session(graph=graph, config=session_config(tf))
    result = sess.run([y, grad], {x: x0})
    first = time.perf_counter()
    return W5Setup({"build s": built - start, "gradient s": differentiated - built,
                    "compile+1st s": first - differentiated}, result,
                   lambda: sess.run([y, grad], {x: x0}))


def w5_eager(run: Callable[[], tuple]) -> W5Setup:
    """An eager system: the first run and the steady run are all there is."""
    start = time.perf_counter()
    result = run()
    return W5Setup({"compile+1st s": time.perf_counter() - start}, result, run)


def w5_torch(torch: Any, links: int, x0: np.ndarray) -> W5Setup:
    def run() -> tuple:
        x = torch.from_numpy(x0).requires_grad_(True)
        h = x
        for _ in range(links):
            h = torch.sin(h) * 0.01 + h
        y = h.sum()
        return y.item(), torch.autograd.grad(y, x)[0].numpy()
    return w5_eager(run)


def w5_jax(jax: Any, links: int, x0: np.ndarray) -> W5Setup:
    jnp = jax.numpy

    def f(x: Any) -> Any:
        for _ in range(links):
            x = jnp.sin(x) * 0.01 + x
        return jnp.sum(x)
    g = jax.jit(jax.value_and_grad(f))
    x = jnp.asarray(x0)

    def run() -> tuple:
        y, grad = g(x)
        grad.block_until_ready()
        return y, grad
    return w5_eager(run)


def w5_autograd(autograd: Any, links: int, x0: np.ndarray) -> W5Setup:
    import autograd.numpy as anp

    def f(x: Any) -> Any:
        for _ in range(links):
            x = anp.sin(x) * 0.01 + x
        return anp.sum(x)
    g = autograd.value_and_grad(f)
    return w5_eager(lambda: g(x0))


def w5_pytensor(pytensor: Any, links: int, x0: np.ndarray) -> W5Setup:
    import pytensor.tensor as pt
    start = time.perf_counter()
    x = pt.dvector("x")
    h = x
    for _ in range(links):
        h = pt.sin(h) * 0.01 + h
    y = pt.sum(h)
    built = time.perf_counter()
    grad = pytensor.grad(y, x)
    differentiated = time.perf_counter()
    f = pytensor.function([x], [y, grad])
    result = f(x0)
    first = time.perf_counter()
    return W5Setup({"build s": built - start, "gradient s": differentiated - built,
                    "compile+1st s": first - differentiated}, result, lambda: f(x0))


def workload_w5(sizes: Sizes, peers: dict) -> list[Table]:
    """W5: for each N, build / gradient / compile times, then the steady runs of all
    systems timed interleaved (a deep chain's run is long enough for the machine's load
    to change between systems timed one after another)."""
    x0 = w5_input()
    tables = []
    peer_setups = {"tf1": w5_graph_setup, "torch": w5_torch,
                   "jax": w5_jax, "autograd": w5_autograd, "pytensor": w5_pytensor}
    for n in sizes.w5_ns:
        links = n // 3
        repeats = max(3, sizes.repeats // (1 + n // 10_000))
        want = w5_numpy(x0, links)
        table = Table(f"W5 deep-chain: N={n} ops ({links} links of sin, mul, add) on 1000 "
                      f"float64, sum, gradient", "ms/run",
                      columns=(("build s", "{:.3f}"), ("gradient s", "{:.3f}"),
                               ("compile+1st s", "{:.3f}")))
        makers = {"staticgraph": lambda: w5_graph_setup(sg, links, x0),
                  "numpy": lambda: w5_eager(lambda: w5_numpy(x0, links))}
        for name, setup in peer_setups.items():
            if name in peers and n <= W5_PEER_LIMITS[name]:
                makers[name] = (lambda setup=setup, module=peers[name]:
                                setup(module, links, x0))
        setups, failed = {}, {}
        for name, make in makers.items():
            try:
                setups[name] = make()
                check_close(name, setups[name].result, want, 1e-9)
            except Exception as err:
                if name in ("staticgraph", "numpy"):
                    raise
                setups.pop(name, None)
                failed[name] = f"not measured: {type(err).__name__}"
        times = interleaved_times({name: s.run for name, s in setups.items()}, repeats,
                                  budget=0.5)
        for name in makers:
            if name in failed:
                table.rows.append(Row(name, None, failed[name]))
            else:
                table.rows.append(Row.timed(name, times[name], 1e3,
                                            extra=setups[name].timings))
        for name in peers:
            if n > W5_PEER_LIMITS.get(name, n):
                limit = W5_PEER_LIMITS[name]
                table.rows.append(Row(name, None, f"skipped above N={limit}" if limit else
                                      "skipped: compiling the chain takes minutes"))
        tables.append(table)
    return tables


# ======================================================================================
# W6 memory: 32 tanh layers of width 1024, batch 1024, float32; peak RSS above baseline
# ======================================================================================


def w6_data(layers: int, width: int, batch: int) -> tuple:
    """Input and weights (scaled normals keep tanh out of saturation)."""
    rng = np.random.RandomState(0)
    x = rng.randn(batch, width).astype(np.float32)
    weights = [(rng.randn(width, width) / np.sqrt(width)).astype(np.float32)
               for _ in range(layers)]
    return x, weights


def w6_numpy(x: np.ndarray, weights: list) -> list:
    """Forward keeping each layer's output, backward releasing them as it goes."""
    outputs = [x]
    for w in weights:
        outputs.append(np.tanh(outputs[-1] @ w))
    grad = np.full_like(outputs[-1], 1.0 / outputs[-1].size)
    grads = [None] * len(weights)
    for i in range(len(weights) - 1, -1, -1):
        out = outputs.pop()
        grad *= 1.0 - out * out  # through tanh
        del out
        grads[i] = outputs[-1].T @ grad
        grad = grad @ weights[i].T if i else None
    return grads


def w6_graph_runner(tf: Any, x: np.ndarray, weights: list) -> Callable[[], list]:
    graph = tf.Graph()
    with graph.as_default():
        inp = tf.placeholder(tf.float32, x.shape, name="x")
        variables = [tf.Variable(w, name=f"W{i}") for i, w in enumerate(weights)]
        h = inp
        for v in variables:
            h = tf.tanh(tf.matmul(h, v))
        grads = tf.gradients(tf.reduce_mean(h), variables)
        init = tf.global_variables_initializer()
    sess = tf.Session(graph=graph, config=session_config(tf))
    sess.run(init)
    run = sess.make_callable(grads, [inp])  # compiled here, before the baseline
    return lambda: run(x)


def w6_torch_runner(torch: Any, x: np.ndarray, weights: list) -> Callable[[], list]:
    inp = torch.from_numpy(x)
    ws = [torch.from_numpy(w).requires_grad_(True) for w in weights]

    def run() -> list:
        h = inp
        for w in ws:
            h = torch.tanh(h @ w)
        return [g.numpy() for g in torch.autograd.grad(h.mean(), ws)]
    return run


def w6_jax_runner(jax: Any, x: np.ndarray, weights: list) -> Callable[[], list]:
    jnp = jax.numpy

    def f(ws: list, h: Any) -> Any:
        for w in ws:
            h = jnp.tanh(h @ w)
        return jnp.mean(h)
    ws, inp = [jnp.asarray(w) for w in weights], jnp.asarray(x)
    g = jax.jit(jax.grad(f)).lower(ws, inp).compile()  # before the baseline

    def run() -> list:
        grads = g(ws, inp)
        grads[-1].block_until_ready()
        return grads
    return run


def w6_autograd_runner(autograd: Any, x: np.ndarray, weights: list) -> Callable[[], list]:
    import autograd.numpy as anp

    def f(ws: list) -> Any:
        h = x
        for w in ws:
            h = anp.tanh(h @ w)
        return anp.mean(h)
    g = autograd.grad(f)
    return lambda: g(weights)


def w6_pytensor_runner(pytensor: Any, x: np.ndarray, weights: list) -> Callable[[], list]:
    import pytensor.tensor as pt
    ws = [pytensor.shared(w) for w in weights]
    inp = pt.fmatrix("x")
    h = inp
    for w in ws:
        h = pt.tanh(h @ w)
    f = pytensor.function([inp], pytensor.grad(pt.mean(h), ws))
    return lambda: f(x)


W6_RUNNERS = {"staticgraph": lambda x, w: w6_graph_runner(sg, x, w),
              "numpy": lambda x, w: (lambda: w6_numpy(x, w)),
              "tf1": lambda x, w: w6_graph_runner(load_peers(["tf1"])["tf1"], x, w),
              "torch": lambda x, w: w6_torch_runner(_import_torch(), x, w),
              "jax": lambda x, w: w6_jax_runner(_import_jax(), x, w),
              "autograd": lambda x, w: w6_autograd_runner(_import_autograd(), x, w),
              "pytensor": lambda x, w: w6_pytensor_runner(_import_pytensor(), x, w)}


def _status_kib(field_name: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    raise KeyError(field_name)


def w6_child(system: str, layers: int, width: int, batch: int) -> dict:
    """Runs in a fresh process: peak RSS of one forward+backward above the baseline.

    The baseline is the resident size after the import, the data, the weights and
    whatever compiling happens before the first run (sessions' plans, JAX's ``jit``,
    PyTensor's functions). The kernel's high-water mark is then reset
    (``/proc/self/clear_refs``), the gradients computed once and held, and the new
    high-water mark read. No warm-up run: memory a framework caches after a run would
    hide that run's peak.
    """
    x, weights = w6_data(layers, width, batch)
    run = W6_RUNNERS[system](x, weights)
    gc.collect()
    baseline = _status_kib("VmRSS")
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    grads = run()
    peak = _status_kib("VmHWM")
    checksum = float(sum(np.asarray(g, np.float64).sum() for g in grads))
    return {"peak_mib": (peak - baseline) / 1024, "baseline_mib": baseline / 1024,
            "checksum": checksum}


def workload_w6(sizes: Sizes, peers: dict) -> list[Table]:
    """W6: each system in a fresh process; peak MiB above its baseline."""
    layers, width, batch = sizes.w6
    mib = layers * width * batch * 4 / 2 ** 20
    table = Table(f"W6 memory: {layers} tanh layers, width {width}, batch {batch} (float32); "
                  f"activations {mib:.0f} MiB, gradients {layers * width * width * 4 / 2**20:.0f}"
                  " MiB; peak RSS above baseline", "MiB", columns=(("baseline MiB", "{:.0f}"),))
    results = {}
    for system in ["staticgraph", "numpy", *peers]:
        results[system] = _w6_in_subprocess(system, sizes.w6)
    want = results["numpy"].get("checksum")
    for system, result in results.items():
        if "error" in result:
            table.rows.append(Row(system, None, result["error"]))
        elif not np.isclose(result["checksum"], want, rtol=1e-3):
            table.rows.append(Row(system, None, "gradients disagree with the baseline"))
        else:
            table.rows.append(Row(system, result["peak_mib"],
                                  extra={"baseline MiB": result["baseline_mib"]}))
    if "error" in results["staticgraph"]:
        raise RuntimeError(f"staticgraph W6 failed: {results['staticgraph']['error']}")
    return [table]


def _w6_in_subprocess(system: str, w6: tuple) -> dict:
    # A fixed mmap threshold makes glibc return every large freed buffer to the kernel,
    # so the resident size follows the live arrays of every system alike.
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_="131072", TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, os.path.abspath(__file__), "--w6-child", system,
                           *(str(v) for v in w6)], capture_output=True, text=True, env=env)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"failed: {last[:70]}"}
    return json.loads(lines[-1])


# ======================================================================================
# W7 cnn: two 5x5 SAME convolutions with max-pooling, two dense layers, Adam (float32)
# ======================================================================================


def w7_gradients_step(batch: int) -> Callable[[], Case]:
    """staticgraph's forward and backward alone: the loss and every parameter's gradient
    fetched, no update (checked against the baseline's first loss and gradients)."""
    def build() -> Case:
        sess, graph, (feed, loss, _) = tf_session(sg, lambda tf: w7_graph(tf, ADAM, batch))
        with graph.as_default():
            variables = sg.trainable_variables()
            grads = sg.gradients(loss, variables)
        call = sess.make_callable([loss, *grads], list(feed))
        values = list(feed.values())
        return Case(lambda: call(*values), lambda: call(*values))
    return build


def gemm_reference(side: int, macs: int) -> tuple:
    """A float32 GEMM of ``side``^3 multiply-adds and the factor that scales its time to
    ``macs`` multiply-adds at the same rate (the GEMM floor of a workload)."""
    rng = np.random.RandomState(0)
    a, b = (rng.randn(side, side).astype(np.float32) for _ in range(2))
    return (lambda: a @ b), macs / side ** 3


def workload_w7(sizes: Sizes, peers: dict) -> list[Table]:
    """W7: ms per Adam step of the CNN; the loss after the check steps agrees. Also the
    forward+backward alone and the GEMM floor of the step's multiply-adds."""
    batch = sizes.w7_batch
    makers = training_makers(lambda tf: w7_graph(tf, ADAM, batch),
                             lambda: W7Numpy(Adam, batch).step, peers,
                             {"torch": lambda torch: w7_torch(torch, ADAM, batch)})
    steps = 3
    baseline = W7Numpy(Adam, batch)
    first_loss, first_grads = baseline.gradients()
    want = [baseline.step() for _ in range(steps)][-1]
    builders = training_cases(makers, steps)
    builders["grads"] = w7_gradients_step(batch)
    macs = w7_macs(batch)
    table = Table(f"W7 cnn: batch {batch} of 28x28x1, conv5x5x32-pool-conv5x5x64-pool-"
                  f"256-10, Adam (float32); {macs / 1e9:.2f} G multiply-adds per step; "
                  f"loss after {steps} steps {want:.6g}", "ms/step")
    run_systems(table, builders, want, 1e-3, sizes, atol=1e-6,
                wants={"grads": [first_loss, *first_grads]},
                references={"floor": gemm_reference(sizes.gemm_side, macs)})
    return [table]


# ======================================================================================
# Main
# ======================================================================================

def workload_w8(sizes: Sizes, peers: dict) -> list[Table]:
    """W8 (tools/bench_w8.py): ms per Adam step of an LSTM classifier."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_w8 import workload_w8 as w8
    return w8(sys.modules[__name__], sizes, peers)


def workload_w9(sizes: Sizes, peers: dict) -> list[Table]:
    """W9 (tools/bench_embedding.py): ms and peak memory per step of an embedding model."""
    from bench_embedding import workload_w9 as w9
    return w9(sys.modules[__name__], sizes, peers)


WORKLOADS = {"W1": workload_w1, "W2": workload_w2, "W3": workload_w3, "W4": workload_w4,
             "W5": workload_w5, "W6": workload_w6, "W7": workload_w7, "W8": workload_w8,
             "W9": workload_w9}


def workload_w11(sizes: Sizes, peers: dict) -> list[Table]:
    """W11 (run only when named: it starts Dask clusters): tools/bench_distributed.py."""
    from bench_distributed import w11_table
    return [w11_table(sizes)]


OPT_IN = {"W11": workload_w11}


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few repeats")
    parser.add_argument("--only", default=",".join(WORKLOADS),
                        help="comma-separated workloads (default: all but W11)")
    parser.add_argument("--peers", default=",".join(PEER_NAMES),
                        help="comma-separated peers to try, or 'none'")
    parser.add_argument("--threads", type=int, default=None,
                        help="limit every library's thread pools to N threads")
    parser.add_argument("--w6-child", nargs=4, metavar=("SYSTEM", "LAYERS", "WIDTH", "BATCH"),
                        help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    """Runs the selected workloads and prints one table each."""
    args = parse_args(argv)
    if args.w6_child:
        system, *dims = args.w6_child
        print(json.dumps(w6_child(system, *(int(d) for d in dims))))
        return 0
    sizes = Sizes.make(args.quick)
    wanted = [] if args.peers == "none" else [p for p in args.peers.split(",") if p]
    unknown = set(wanted) - set(PEER_NAMES)
    if unknown:
        raise SystemExit(f"unknown peers: {', '.join(sorted(unknown))}")
    peers = load_peers(wanted)
    print(f"staticgraph {sg.__version__}, NumPy {np.__version__}, Python "
          f"{sys.version.split()[0]}, {os.cpu_count()} CPUs"
          f"{f', {THREADS} thread(s) per library' if THREADS else ''}; peers: "
          f"{', '.join(peers) or 'none'}{' (quick sizes)' if sizes.quick else ''}")
    for name in args.only.split(","):
        for table in {**WORKLOADS, **OPT_IN}[name.strip().upper()](sizes, peers):
            print(table.render(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

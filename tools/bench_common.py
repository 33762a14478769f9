"""What every workload of tools/bench.py shares: thread limits, timing, tables, peers.

Imported first by ``tools/bench.py``: ``--threads N`` is read from the command line here,
before NumPy (or any peer) loads its BLAS and thread pools.
"""
from __future__ import annotations

import gc
import os
import statistics
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
    if peers:
        # The peers' modules are millions of long-lived objects that every full cyclic
        # collection would scan again, during whichever system's timing it falls in
        # (it tripled staticgraph's W5 build phase). Frozen, no collection scans them,
        # for every system alike. (staticgraph's own promotion of the objects it makes
        # with the collector paused, see core/gc_pause.py, is then off: it needs nothing
        # else frozen, so the figures are those of a program that froze objects itself.)
        gc.collect()
        gc.freeze()
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



def peer_builders(peers: dict, makers: dict) -> dict:
    """The entries of ``makers`` (peer name -> function of the peer's module) for the
    importable ``peers``, each bound to its module."""
    return {name: (lambda make=make, module=peers[name]: make(module))
            for name, make in makers.items() if name in peers}


def training_makers(graph: Callable[[Any], tuple], numpy_step: Callable[[], Callable],
                    peers: dict, peer_steps: dict) -> dict[str, Callable]:
    """Step factories for a training workload: staticgraph and TF1 from the shared TF1
    graph builder, the NumPy baseline, and the other importable peers."""
    makers: dict[str, Callable] = {"staticgraph": lambda: train_step(sg, graph),
                                   "numpy": numpy_step}
    makers.update(peer_builders(peers, {"tf1": lambda m: train_step(m, graph),
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



ADAM = dict(lr=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8)


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


def softmax_xent_by_hand(z: np.ndarray, labels: np.ndarray) -> tuple:
    """The mean softmax cross-entropy of logits ``z`` (rows; overwritten) against integer
    ``labels``, and its gradient with respect to ``z``: the NumPy baselines' last layer."""
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    total = e.sum(axis=1, keepdims=True)
    rows = np.arange(len(z))
    loss = np.mean(np.log(total[:, 0]) - z[rows, labels])
    e /= total
    e[rows, labels] -= 1
    return loss, e / np.float32(len(z))

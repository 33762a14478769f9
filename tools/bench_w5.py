"""W5 of tools/bench.py: a deep chain of elementwise ops; build, gradient, compile and run."""
from __future__ import annotations

import gc
import statistics
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from bench_common import Row, Sizes, Table, check_close, interleaved_times, session_config, sg

import numpy as np  # after bench_common, which applies --threads first


# ======================================================================================
# W5 deep-chain: x = sin(x) * 0.01 + x repeated (3 ops each) on 1000 float64, sum, gradient
# ======================================================================================

W5_SIZE = 1000
# Peers that build a graph are only run up to a size they finish in reasonable time.
W5_PEER_LIMITS = {"tf1": 10_000, "jax": 1_000, "pytensor": 0, "torch": 100_000,
                  "autograd": 10_000}  # PyTensor: compiling even N=300 takes minutes
# A graph system's one-off phases are timed on this many fresh graphs and the median is
# reported (one sample of a 10 s phase swings by 20 % with the machine's load) ...
W5_GRAPH_SETUPS = 3
# ... unless its first setup took longer than this (TF1 takes ~30 s at N=10,000).
W5_REPEAT_BELOW_S = 20.0
GRAPH_SYSTEMS = ("staticgraph", "tf1", "pytensor")  # eager ones have no fresh first run
# The sizes whose one-off totals the scaling figure compares (issue 18: 100k at most 11
# times 10k), set up alternately: the per-size tables time them a minute or more apart.
W5_SCALING_SIZES = (10_000, 100_000)
W5_SCALING_PAIRS = 5  # one pair's ratio swings by +-20 % in a noisy spell: a median of 5


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
    """One system set up for W5: its one-off timings (s), first result, steady run, and
    the one-off totals of every setup made when it was set up more than once."""

    timings: dict
    result: Any
    run: Callable[[], Any]
    totals: list = field(default_factory=list)


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


def median_setup(make: Callable[[], W5Setup], repeats: int) -> W5Setup:
    """Sets a system up ``repeats`` times (once when its first setup took longer than
    ``W5_REPEAT_BELOW_S``), each time from no garbage (see ``workload_w5``), and returns
    the last setup (for the steady runs) with the one-off timings of the setup whose
    total is the median: the phases reported add up to the total one setup measured."""
    gc.collect()
    setup = make()
    timings = [setup.timings]
    if sum(setup.timings.values()) > W5_REPEAT_BELOW_S:
        repeats = 1
    for _ in range(repeats - 1):
        setup = None  # the previous graph and session, dropped before the next is built
        gc.collect()
        setup = make()
        timings.append(setup.timings)
    timings.sort(key=lambda phases: sum(phases.values()))
    setup.timings = timings[len(timings) // 2]
    if len(timings) > 1:
        setup.totals = [sum(phases.values()) for phases in timings]
    return setup


@dataclass
class ScalingTable:
    """W5's scaling figure: staticgraph's one-off totals at two sizes, set up in
    alternation (small, large, small, large...), so that a slower spell of the machine
    hits both sizes of a pair alike; the ratio is the median of the pairs' ratios, as
    ``bench_common.ratio`` takes for figures timed in the same repeats."""

    small: int
    large: int
    pairs: list[tuple[float, float]]  # (small total, large total) in seconds, per pair

    def ratio(self) -> float:
        """The median of the pairs' large / small ratios."""
        return statistics.median(large / small for small, large in self.pairs)

    def render(self) -> str:
        """The pairs, their medians and the ratio, as text."""
        head = f"{'pair':<8}{f'N={self.small} s':>14}{f'N={self.large} s':>14}{'ratio':>10}"
        lines = [f"\n== W5 scaling: staticgraph's one-off total (build + gradient + "
                 f"compile+1st) at N={self.small} and N={self.large}, set up alternately",
                 head, "-" * len(head)]
        for number, (small, large) in enumerate(self.pairs, 1):
            lines.append(f"{number:<8}{small:>14.3f}{large:>14.3f}{large / small:>9.2f}x")
        smalls, larges = zip(*self.pairs)
        lines.append(f"{'median':<8}{statistics.median(smalls):>14.3f}"
                     f"{statistics.median(larges):>14.3f}{self.ratio():>9.2f}x"
                     "  (the median of the pairs' ratios)")
        return "\n".join(lines)


def w5_scaling(make: Callable[[int], W5Setup], small: int, large: int, pairs: int
               ) -> ScalingTable:
    """Sets a system up at ``small`` and ``large`` ops in turn, ``pairs`` times, each
    time from no garbage (the previous setup dropped and collected first)."""
    totals = []
    for _ in range(pairs):
        pair = []
        for n in (small, large):
            gc.collect()
            pair.append(sum(make(n).timings.values()))  # (the setup is dropped here)
        totals.append((pair[0], pair[1]))
    return ScalingTable(small, large, totals)


PEER_SETUPS = {"tf1": w5_graph_setup, "torch": w5_torch, "jax": w5_jax,
               "autograd": w5_autograd, "pytensor": w5_pytensor}


def workload_w5(sizes: Sizes, peers: dict) -> list[Table | ScalingTable]:
    """W5: for each N, build / gradient / compile times, then the steady runs of all
    systems timed interleaved (a deep chain's run is long enough for the machine's load
    to change between systems timed one after another); then, when both sizes are
    measured, staticgraph's scaling figure from 10k to 100k ops (:func:`w5_scaling`).
    Each table's graphs and sessions are garbage before the next is measured: a live
    100k-op graph (~1M objects) would change when the collector makes its full
    collections in the next setups, and what they scan."""
    x0 = w5_input()
    tables: list[Table | ScalingTable] = [w5_table(n, sizes, peers, x0) for n in sizes.w5_ns]
    if not sizes.quick and set(W5_SCALING_SIZES) <= set(sizes.w5_ns):
        tables.append(w5_scaling(lambda n: w5_graph_setup(sg, n // 3, x0),
                                 *W5_SCALING_SIZES, W5_SCALING_PAIRS))
    return tables


def w5_table(n: int, sizes: Sizes, peers: dict, x0: np.ndarray) -> Table:
    """W5's table at ``n`` ops: every system set up (one-off phases), then its steady
    runs; the setups are garbage when it returns."""
    links = n // 3
    repeats = max(3, sizes.repeats // (1 + n // 10_000))
    want = w5_numpy(x0, links)
    table = Table(f"W5 deep-chain: N={n} ops ({links} links of sin, mul, add) on 1000 "
                  f"float64, sum, gradient", "ms/run",
                  columns=(("build s", "{:.3f}"), ("gradient s", "{:.3f}"),
                           ("compile+1st s", "{:.3f}")))
    makers = {"staticgraph": lambda: w5_graph_setup(sg, links, x0),
              "numpy": lambda: w5_eager(lambda: w5_numpy(x0, links))}
    for name, setup in PEER_SETUPS.items():
        if name in peers and n <= W5_PEER_LIMITS[name]:
            makers[name] = (lambda setup=setup, module=peers[name]:
                            setup(module, links, x0))
    setups, failed = {}, {}
    for name, make in makers.items():
        # Each system's one-off phases start with no garbage left by the one set up
        # before it: a cyclic graph dropped by another system (TF1's at the previous
        # size) would otherwise be scanned and freed inside the next one's build.
        try:
            setups[name] = median_setup(
                make, W5_GRAPH_SETUPS if name in GRAPH_SYSTEMS and not sizes.quick else 1)
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
            totals = setups[name].totals
            note = (f"one-off totals {' '.join(f'{t:.3f}' for t in totals)} s: the median "
                    "is shown" if totals else "")
            table.rows.append(Row.timed(name, times[name], 1e3, note=note,
                                        extra=setups[name].timings))
    for name in peers:
        if n > W5_PEER_LIMITS.get(name, n):
            limit = W5_PEER_LIMITS[name]
            table.rows.append(Row(name, None, f"skipped above N={limit}" if limit else
                                  "skipped: compiling the chain takes minutes"))
    return table

"""CPU time of W5's phases (build, gradient, compile + first run) for several source trees.

    python tools/w5_phases.py --n 10000 --pairs 7 /work/main /work/wt/wt-w5
    python tools/w5_phases.py --n 10000 100000 --pairs 3 /work/main /work/wt/wt-w5
    TF_USE_LEGACY_KERAS=1 /work/tfenv/bin/python tools/w5_phases.py --peers tf1,torch \
        --threads 1 --n 10000 --pairs 5 /work/main /work/wt/wt-w5

Each run is a fresh process importing ``staticgraph`` from one tree (and no peer unless
``--peers`` names some: they are then imported and frozen as ``tools/bench.py`` does, so
their objects stay out of the cyclic collector's scans and staticgraph's collector pause
cannot promote what it made; ``--freeze`` freezes without importing anything); the trees (and the sizes, when several
are given) alternate, run after run, so a change in the machine's load hits them alike.
Prints the medians of ``time.process_time`` per phase (the total is the median of the
per-run totals) and of the cyclic collector's share of the first three (``gc.callbacks``),
the load average range, and the chain's result, which must be the same
in every tree; with several sizes, also each tree's ratio of the median totals to the
first size's (W5's target: 100k at most 11 times 10k).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

PHASES = ("build", "gradient", "compile+1st", "total", "steady")


def child(n: int, peers: list[str], freeze: bool) -> dict:
    """Times one W5 chain of ``n`` ops with the ``staticgraph`` first on ``sys.path``,
    after loading ``peers`` (see ``bench_common.load_peers``) or freezing (``freeze``)."""
    import gc

    import numpy as np
    import staticgraph as tf  # from the tree on PYTHONPATH (bench_common prepends its own)
    if peers:
        sys.path.insert(1, os.path.dirname(os.path.abspath(__file__)))
        import bench_common
        if not bench_common.load_peers(peers):
            raise SystemExit(f"none of the peers {peers} imports")
    elif freeze:
        gc.collect()
        gc.freeze()
    clock = time.process_time
    collecting = [0.0, 0.0]  # the collector's time so far, and when its current pass began

    def on_collection(phase: str, info: dict) -> None:
        if phase == "start":
            collecting[1] = clock()
        else:
            collecting[0] += clock() - collecting[1]
    gc.callbacks.append(on_collection)
    x0 = np.random.RandomState(0).randn(1000)
    graph = tf.Graph()
    with graph.as_default():
        start = clock()
        x = tf.placeholder(tf.float64, [1000], name="x")
        h = x
        for _ in range(n // 3):
            h = tf.sin(h) * 0.01 + h
        y = tf.reduce_sum(h)
        built, gc_built = clock(), collecting[0]
        grad = tf.gradients(y, x)[0]
        differentiated, gc_differentiated = clock(), collecting[0]
    sess = tf.Session(graph=graph)
    result = sess.run([y, grad], {x: x0})
    first, gc_first = clock(), collecting[0]
    sess.run([y, grad], {x: x0})
    return {"build": built - start, "gradient": differentiated - built,
            "compile+1st": first - differentiated, "total": first - start,
            "steady": clock() - first, "gc build": gc_built,
            "gc gradient": gc_differentiated - gc_built,
            "gc compile+1st": gc_first - gc_differentiated,
            "y": repr(float(result[0])), "file": tf.__file__}


def main(argv: list[str]) -> int:
    """Alternates child runs over the trees and prints the medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs="*", help="source trees to compare")
    parser.add_argument("--n", type=int, nargs="+", default=[10_000],
                        help="ops in the chain (several sizes alternate)")
    parser.add_argument("--pairs", type=int, default=5, help="runs per tree")
    parser.add_argument("--peers", default="",
                        help="comma-separated peers each run loads first (e.g. tf1,torch)")
    parser.add_argument("--freeze", action="store_true",
                        help="freeze the collector's objects before building (as peers do)")
    parser.add_argument("--threads", type=int, help="threads per library (as bench.py's)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.n[0], [p for p in args.peers.split(",") if p],
                               args.freeze)))
        return 0
    runs: dict[tuple[str, int], list[dict]] = {(t, n): [] for t in args.trees for n in args.n}
    options = ["--peers", args.peers] + ["--freeze"] * args.freeze
    env = dict(os.environ)
    if args.threads:  # read by bench_common for the peers; set before NumPy loads its BLAS
        options += ["--threads", str(args.threads)]
        env.update(dict.fromkeys(("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                  "MKL_NUM_THREADS"), str(args.threads)))
    loads = []
    for _ in range(args.pairs):
        for tree in args.trees:
            for n in args.n:
                out = subprocess.run([sys.executable, os.path.abspath(__file__), "--child",
                                      "--n", str(n)] + options, cwd=tree, capture_output=True,
                                     text=True, check=True, env={**env, "PYTHONPATH": tree})
                runs[tree, n].append(json.loads(out.stdout.splitlines()[-1]))
                loads.append(os.getloadavg()[0])
    print(f"N={', '.join(map(str, args.n))}, {args.pairs} runs per tree and size, "
          f"load {min(loads):.1f}-{max(loads):.1f}")
    for (tree, n), results in runs.items():
        medians = "  ".join(f"{p} {statistics.median(r[p] for r in results):.3f}"
                            for p in PHASES)
        print(f"{tree} N={n}: {medians}  y {results[0]['y']}  ({results[0]['file']})")
        collector = "  ".join(f"{p} {statistics.median(r['gc ' + p] for r in results):.3f}"
                              for p in PHASES[:3])
        print(f"{' ' * len(tree)}   of which the cyclic collector: {collector}")
    for tree in args.trees if len(args.n) > 1 else []:
        totals = [statistics.median(r["total"] for r in runs[tree, n]) for n in args.n]
        print(f"{tree}: total / total at N={args.n[0]}: " +
              "  ".join(f"N={n} {t / totals[0]:.2f}x" for n, t in zip(args.n, totals)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

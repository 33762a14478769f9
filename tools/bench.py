"""Benchmarks W1–W8, W10 and W11 of BENCHMARKS.md: staticgraph against hand-written NumPy
and its peers.

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

One module per workload (``bench_w1``, ``bench_mlp`` for W2/W3, ``bench_w4`` ... and
``bench_common`` for timing, tables and peers). TF1 graph mode and staticgraph share the
model-building code there: staticgraph's API is TF1's, so the same function builds both
graphs from the module it is given.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import bench_common  # first: it applies --threads before NumPy loads its BLAS
from bench_common import PEER_NAMES, THREADS, Sizes, Table, load_peers, np, sg
from bench_mlp import workload_w2, workload_w3
from bench_w1 import workload_w1
from bench_w4 import workload_w4
from bench_w5 import workload_w5
from bench_w6 import w6_child, workload_w6
from bench_w7 import workload_w7


def workload_w8(sizes: Sizes, peers: dict) -> list[Table]:
    """W8 (tools/bench_w8.py): ms per Adam step of an LSTM classifier."""
    from bench_w8 import workload_w8 as w8
    return w8(bench_common, sizes, peers)


def workload_w10(sizes: Sizes, peers: dict) -> list[Table]:
    """W10 (tools/bench_summaries.py): a step fetching merged summaries, against TF1."""
    from bench_summaries import workload_w10 as w10
    return w10(bench_common, sizes, peers)


def workload_w9(sizes: Sizes, peers: dict) -> list[Table]:
    """W9 (tools/bench_embedding.py): ms and peak memory per step of an embedding model."""
    from bench_embedding import workload_w9 as w9
    return w9(bench_common, sizes, peers)


WORKLOADS = {"W1": workload_w1, "W2": workload_w2, "W3": workload_w3, "W4": workload_w4,
             "W5": workload_w5, "W6": workload_w6, "W7": workload_w7, "W8": workload_w8,
             "W9": workload_w9, "W10": workload_w10}


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

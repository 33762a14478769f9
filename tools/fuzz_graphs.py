"""Differential fuzzing of the compiler with random graphs.

Runs ``--count`` random graphs (tests/compiler/random_graphs.py) with ``optimize=False``,
optimized, and with each compiler pass disabled in turn, compares the results bit for bit,
and prints the number of graphs and of mismatching graphs; for each mismatch, its first
difference, and for the first ``--shrink-per-kind`` mismatches of each kind (the same
configurations differing the same way) the smallest reproducer found, as a runnable
script; a summary by kind ends the output.

    python tools/fuzz_graphs.py --count 10000 --seed 0
"""
from __future__ import annotations

import argparse
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.compiler.random_graphs import compare, generate, shrink  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Runs the graphs; exits with 1 when any mismatched."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000, help="graphs to run")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first graph")
    parser.add_argument("--no-shrink", action="store_true",
                        help="print mismatching seeds without searching reproducers")
    parser.add_argument("--shrink-per-kind", type=int, default=2,
                        help="reproducers searched per kind of mismatch (0: none, -1: all)")
    args = parser.parse_args(argv)
    mismatches = 0
    kinds: collections.Counter = collections.Counter()
    for done, seed in enumerate(range(args.seed, args.seed + args.count)):
        if done and done % 1000 == 0:
            print(f"... {done} graphs, {mismatches} mismatches so far", flush=True)
        graph = generate(seed)
        problems = compare(graph)
        if not problems:
            continue
        mismatches += 1
        failing = sorted({p.split(":")[0] for p in problems})
        kind = (", ".join(failing), _what(problems[0]))
        kinds[kind] += 1
        print(f"--- seed {seed}: differs in {failing}: {problems[0][:300]}", flush=True)
        if args.shrink_per_kind < 0 or kinds[kind] <= args.shrink_per_kind:
            small = shrink(graph, failing[0])
            print(f"smallest reproducer ({len(small.steps)} steps):\n{small.source()}",
                  flush=True)
            for problem in compare(small)[:3]:
                print("  ", problem[:300])
    print("\nmismatches by configurations that differ and by first difference:")
    for (failing, what), n in kinds.most_common():
        print(f"{n:6d}  [{failing}]  {what}")
    print(f"{args.count} graphs, {mismatches} mismatches")
    return 1 if mismatches else 0


def _what(problem: str) -> str:
    """The kind of a difference: an error's class or "values differ"."""
    detail = problem.split(":", 1)[1].strip()
    if "second run" in detail or "changed" in detail:
        return detail.split(" ")[0] + " " + " ".join(detail.split(" ")[2:5])
    first = detail.split(":")[0]
    return first if first.endswith(("Error", "Exception")) else "values differ"


if __name__ == "__main__":
    sys.exit(main())

"""Smoke test of the benchmark script: ``tools/bench.py --quick`` runs every workload."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKLOAD_TITLES = ["== W1 seed-expr", "== W2 mlp-step", "== W3 mlp-wide",
                   "== W4 logreg-moons", "== W5 deep-chain", "== W6 memory",
                   "== W7 cnn", "== W8 lstm", "== W10 summaries"]


def test_quick_benchmark_prints_every_workload_table():
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "bench.py"), "--quick"],
                          capture_output=True, text=True, cwd=ROOT, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    for title in WORKLOAD_TITLES:
        assert title in out, f"{title!r} missing from:\n{out}"
    for table in out.split("\n== ")[1:]:
        rows = [line for line in table.splitlines()[3:] if line.strip()]
        assert any(line.startswith("staticgraph") for line in rows), table
        assert any(line.startswith("NumPy by hand") for line in rows), table


def test_quick_embedding_benchmark_runs_every_system():
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "bench_embedding.py"),
                           "--quick"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for system in ("numpy sgd", "staticgraph sgd", "staticgraph adam"):
        assert system in proc.stdout and "ms/step" in proc.stdout, proc.stdout

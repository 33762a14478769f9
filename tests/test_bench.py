"""Smoke test of the benchmark script: ``tools/bench.py --quick`` runs every workload."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKLOAD_TITLES = ["== W1 seed-expr", "== W2 mlp-step", "== W3 mlp-wide",
                   "== W4 logreg-moons", "== W5 deep-chain", "== W6 memory",
                   "== W7 cnn", "== W8 lstm", "== W9 embedding (SGD)",
                   "== W9 embedding (ADAM)", "== W10 summaries"]


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


def test_quick_embedding_benchmark_reports_time_and_peak_memory():
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "bench_embedding.py"),
                           "--quick", "--peers", "none"], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    tables = proc.stdout.split("\n== ")[1:]
    assert [t.split(":")[0] for t in tables] == ["W9 embedding (SGD)", "W9 embedding (ADAM)"]
    for table in tables:
        assert "peak MiB/step" in table
        for system in ("staticgraph", "NumPy by hand"):
            row = next(line for line in table.splitlines() if line.startswith(system))
            ms, _, _, peak = row.split()[-4:]
            assert float(ms) > 0 and float(peak) >= 0, row

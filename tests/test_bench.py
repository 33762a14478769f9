"""Smoke test of the benchmark script: ``tools/bench.py --quick`` runs every workload."""
import gc
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


def _bench_w5():
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    try:
        import bench_w5
    finally:
        sys.path.remove(os.path.join(ROOT, "tools"))
    return bench_w5


def test_w5_reports_the_setup_with_the_median_total_and_keeps_the_last():
    bench_w5 = _bench_w5()
    made = []

    def make_from(phases):
        def make():
            build, gradient = phases[len(made)]
            made.append(len(made))
            return bench_w5.W5Setup({"build s": build, "gradient s": gradient}, made[-1], make)
        return make
    setup = bench_w5.median_setup(make_from([(3.0, 1.0), (1.0, 0.5), (2.0, 4.0)]), 3)
    assert setup.timings == {"build s": 3.0, "gradient s": 1.0}  # totals 4, 1.5, 6
    assert setup.result == 2 and len(made) == 3  # the last setup is the one kept
    assert setup.totals == [1.5, 4.0, 6.0]
    made.clear()
    setup = bench_w5.median_setup(make_from([(1.0, 3.5), (5.0, 5.0), (0.5, 0.5)]), 3)
    assert setup.timings == {"build s": 1.0, "gradient s": 3.5}


def test_w5_sets_a_slow_system_up_once():
    bench_w5 = _bench_w5()
    made = []

    def make():
        made.append(1)
        return bench_w5.W5Setup({"build s": bench_w5.W5_REPEAT_BELOW_S + 1}, None, make)
    setup = bench_w5.median_setup(make, 3)
    assert setup.timings == {"build s": bench_w5.W5_REPEAT_BELOW_S + 1}
    assert len(made) == 1 and setup.totals == []  # no list of totals: nothing to choose


def test_w5_scaling_alternates_the_sizes_and_takes_the_median_pair_ratio():
    bench_w5 = _bench_w5()
    order = []
    totals = iter([1.0, 10.0, 2.0, 30.0, 3.0, 33.0])  # pairs' ratios 10, 15, 11

    def make(n):
        order.append(n)
        total = next(totals)
        return bench_w5.W5Setup({"build s": total / 4, "compile+1st s": total * 3 / 4},
                                None, lambda: None)
    table = bench_w5.w5_scaling(make, 10, 100, 3)
    assert order == [10, 100, 10, 100, 10, 100]
    assert table.pairs == [(1.0, 10.0), (2.0, 30.0), (3.0, 33.0)]
    assert table.ratio() == 11.0  # not the ratio of the medians, 30 / 2
    text = table.render()
    assert "N=10 and N=100, set up alternately" in text
    assert text.splitlines()[-1].split()[:4] == ["median", "2.000", "30.000", "11.00x"]
    assert [line.split()[-1] for line in text.splitlines()[4:7]] == ["10.00x", "15.00x",
                                                                    "11.00x"]


def test_w5_sets_up_its_scaling_pairs_with_no_graph_of_its_tables_alive(monkeypatch):
    # A live 100k-op graph left by the per-size tables would be scanned by every full
    # collection inside the pairs' setups.
    bench_w5 = _bench_w5()
    alive = []

    def scaling(make, small, large, pairs):
        gc.collect()
        alive.append(sum(isinstance(o, bench_w5.W5Setup) for o in gc.get_objects()))
        return bench_w5.ScalingTable(small, large, [(1.0, 10.0)])
    monkeypatch.setattr(bench_w5, "w5_scaling", scaling)
    monkeypatch.setattr(bench_w5, "W5_SCALING_SIZES", (30, 60))
    tables = bench_w5.workload_w5(bench_w5.Sizes(False, repeats=3, w5_ns=(30, 60)), {})
    assert alive == [0]
    assert [type(t).__name__ for t in tables] == ["Table", "Table", "ScalingTable"]

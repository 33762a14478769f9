"""W11 of tools/bench.py: W3 (784-512-512-10, Adam, float32) with batch 4,096 trained on a
Dask LocalCluster of 1 and of 2 single-threaded worker processes; ms per step and speed-up.

    python tools/bench.py --only W11 [--quick]
"""
from __future__ import annotations

import time
import numpy as np

import staticgraph as sg
from bench_common import Row, Sizes, Table
from bench_mlp import w3_graph

W11_BATCH = 4096


def _step_times(workers: int, steps: int) -> tuple[list[float], float]:
    """Seconds per step on a cluster of ``workers`` one-thread workers, and the loss."""
    import dask.array as da
    from distributed import Client, LocalCluster, wait
    graph = sg.Graph()
    with graph.as_default():
        feeds, loss, train = w3_graph(sg, W11_BATCH, dynamic=True)
        init = sg.global_variables_initializer()
    (x, x0), (labels, labels0) = feeds.items()
    half = W11_BATCH // 2  # two partitions whatever the worker count: the same work
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address=None) as cluster, \
            Client(cluster) as client:
        # partition i on worker i mod n, features and labels together (Dask's own
        # placement may put both partitions, or a partition's two blocks, on one worker)
        names = sorted(client.nthreads())  # asked of the scheduler, never a cached list
        parts = [client.persist([da.from_array(x0[i * half:(i + 1) * half]),
                                 da.from_array(labels0[i * half:(i + 1) * half])],
                                workers=[names[i % workers]]) for i in range(2)]
        X, Y = client.persist([da.concatenate([p[j] for p in parts]) for j in range(2)])
        wait([X, Y])  # in the workers' memory: steps run on their resident sessions
        sess = sg.Session(target=client, graph=graph)
        sess.run(init)
        for _ in range(2):  # warm-up: ships the graph, starts the resident sessions
            sess.run(train, {x: X, labels: Y})
        times = []
        for _ in range(steps):
            start = time.perf_counter()
            value, _ = sess.run([loss, train], {x: X, labels: Y})
            times.append(time.perf_counter() - start)
    return times, float(value)


def w11_table(sizes: Sizes) -> Table:
    """The W11 table: the 1-worker and 2-worker rows, the speed-up of 2 over 1."""
    steps = 3 if sizes.quick else 15
    rows = {}
    losses = []
    for workers in (1, 2):
        times, value = _step_times(workers, steps)
        losses.append(value)
        rows[workers] = Row.timed(f"staticgraph on {workers} worker(s)", times, 1e3)
    np.testing.assert_allclose(losses[1], losses[0], rtol=1e-5)  # same steps, same loss
    speedup = rows[1].figure / rows[2].figure
    rows[2].extra["speed-up"] = speedup
    table = Table(f"W11 distributed W3: batch {W11_BATCH}, 2 partitions, Adam (float32), "
                  f"LocalCluster of 1-thread workers; median of {steps} steps", "ms/step",
                  columns=(("speed-up", "{:.2f}x"),))
    table.rows.extend(rows.values())
    return table


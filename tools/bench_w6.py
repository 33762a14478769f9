"""W6 of tools/bench.py: peak memory of a deep tanh network's forward and backward."""
from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from typing import Any, Callable

from bench_common import Row, Sizes, Table, load_peers, session_config, sg

import numpy as np  # after bench_common, which applies --threads first


# ======================================================================================
# W6 memory: 32 tanh layers of width 1024, batch 1024, float32; peak RSS above baseline
# ======================================================================================


def _peer(name: str) -> Any:
    """The peer's module, imported (``KeyError`` when it is not installed)."""
    return load_peers([name])[name]


# The measuring child runs through bench.py's --w6-child option.
BENCH_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench.py")


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
              "tf1": lambda x, w: w6_graph_runner(_peer("tf1"), x, w),
              "torch": lambda x, w: w6_torch_runner(_peer("torch"), x, w),
              "jax": lambda x, w: w6_jax_runner(_peer("jax"), x, w),
              "autograd": lambda x, w: w6_autograd_runner(_peer("autograd"), x, w),
              "pytensor": lambda x, w: w6_pytensor_runner(_peer("pytensor"), x, w)}


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
    proc = subprocess.run([sys.executable, BENCH_SCRIPT, "--w6-child", system,
                           *(str(v) for v in w6)], capture_output=True, text=True, env=env)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"failed: {last[:70]}"}
    return json.loads(lines[-1])

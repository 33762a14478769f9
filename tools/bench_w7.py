"""W7 of tools/bench.py: the CNN training step against TF1, PyTorch, NumPy and the GEMM
floor (the model and its NumPy step are in ``bench_cnn``)."""
from __future__ import annotations

from typing import Callable

from bench_common import (ADAM, Adam, Case, Sizes, Table, run_systems, sg, tf_session,
                          training_cases, training_makers)

import numpy as np  # after bench_common, which applies --threads first
from bench_cnn import W7Numpy, w7_graph, w7_macs, w7_torch


# ======================================================================================
# W7 cnn: two 5x5 SAME convolutions with max-pooling, two dense layers, Adam (float32)
# ======================================================================================


def w7_gradients_step(batch: int) -> Callable[[], Case]:
    """staticgraph's forward and backward alone: the loss and every parameter's gradient
    fetched, no update (checked against the baseline's first loss and gradients)."""
    def build() -> Case:
        sess, graph, (feed, loss, _) = tf_session(sg, lambda tf: w7_graph(tf, ADAM, batch))
        with graph.as_default():
            variables = sg.trainable_variables()
            grads = sg.gradients(loss, variables)
        call = sess.make_callable([loss, *grads], list(feed))
        values = list(feed.values())
        return Case(lambda: call(*values), lambda: call(*values))
    return build


def gemm_reference(side: int, macs: int) -> tuple:
    """A float32 GEMM of ``side``^3 multiply-adds and the factor that scales its time to
    ``macs`` multiply-adds at the same rate (the GEMM floor of a workload)."""
    rng = np.random.RandomState(0)
    a, b = (rng.randn(side, side).astype(np.float32) for _ in range(2))
    return (lambda: a @ b), macs / side ** 3


def workload_w7(sizes: Sizes, peers: dict) -> list[Table]:
    """W7: ms per Adam step of the CNN; the loss after the check steps agrees. Also the
    forward+backward alone and the GEMM floor of the step's multiply-adds."""
    batch = sizes.w7_batch
    makers = training_makers(lambda tf: w7_graph(tf, ADAM, batch),
                             lambda: W7Numpy(Adam, batch).step, peers,
                             {"torch": lambda torch: w7_torch(torch, ADAM, batch)})
    steps = 3
    baseline = W7Numpy(Adam, batch)
    first_loss, first_grads = baseline.gradients()
    want = [baseline.step() for _ in range(steps)][-1]
    builders = training_cases(makers, steps)
    builders["grads"] = w7_gradients_step(batch)
    macs = w7_macs(batch)
    table = Table(f"W7 cnn: batch {batch} of 28x28x1, conv5x5x32-pool-conv5x5x64-pool-"
                  f"256-10, Adam (float32); {macs / 1e9:.2f} G multiply-adds per step; "
                  f"loss after {steps} steps {want:.6g}", "ms/step")
    run_systems(table, builders, want, 1e-3, sizes, atol=1e-6,
                wants={"grads": [first_loss, *first_grads]},
                references={"floor": gemm_reference(sizes.gemm_side, macs)})
    return [table]

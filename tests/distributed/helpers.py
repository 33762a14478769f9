"""What the distributed tests share: the LocalCluster, the model, the data."""
from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import numpy as np
import pytest

import staticgraph as tf

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")


@contextmanager
def two_workers() -> Iterator[Any]:
    """A client of a real LocalCluster: 2 worker processes, 1 thread each, loopback."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


def data(rows: int = 90, features: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """Features and class labels (3 classes)."""
    rng = np.random.default_rng(7)
    return rng.normal(size=(rows, features)), rng.integers(0, 3, rows)


class Model:
    """An MLP classifier with its optimizer, in its own graph."""

    def __init__(self, optimizer: Callable[[], Any], reduce: Callable = tf.reduce_mean,
                 features: int = 6, hidden: int = 10, clip_norm: float | None = None
                 ) -> None:
        self.graph = tf.Graph()
        with self.graph.as_default():
            tf.set_random_seed(3)
            self.x = tf.placeholder(tf.float64, [None, features], name="x")
            self.y = tf.placeholder(tf.int64, [None], name="y")
            h = tf.layers.dense(self.x, hidden, activation=tf.nn.relu)
            self.logits = tf.layers.dense(h, 3)
            self.loss = reduce(tf.nn.sparse_softmax_cross_entropy_with_logits(
                labels=self.y, logits=self.logits))
            if clip_norm is None:
                self.train = optimizer().minimize(self.loss)
            else:  # gradients clipped by their global norm: the driver clips the sums
                opt = optimizer()
                grads, variables = zip(*opt.compute_gradients(self.loss))
                clipped, self.norm = tf.clip_by_global_norm(grads, clip_norm)
                self.train = opt.apply_gradients(zip(clipped, variables))
            self.init = tf.global_variables_initializer()
            self.variables = tf.global_variables()

    def session(self, target: Any = "") -> Any:
        """A session on ``target`` with the variables initialised."""
        sess = tf.Session(target=target, graph=self.graph)
        sess.run(self.init)
        return sess

    def values(self, sess: Any) -> list[np.ndarray]:
        """The variables' values in ``sess``."""
        return sess.run(self.variables)


SGD_OR_ADAM = pytest.mark.parametrize(
    "optimizer", [lambda: tf.train.GradientDescentOptimizer(0.5),
                  lambda: tf.train.AdamOptimizer(0.05)], ids=["sgd", "adam"])


def as_dask(X: np.ndarray, Y: np.ndarray, chunks: tuple) -> tuple:
    """``X`` and ``Y`` as Dask arrays partitioned along axis 0 by ``chunks``."""
    return (da.from_array(X, chunks=(chunks, X.shape[1])), da.from_array(Y, chunks=(chunks,)))


def persisted(client: Any, X: np.ndarray, Y: np.ndarray, chunks: tuple) -> list:
    """The batch in the workers' memory (persisted, waited for), partition i on the i-th
    worker (round robin) with its features and labels together: steps on it run on the
    workers' resident sessions. (Left to itself, Dask may put a partition's two blocks on
    two workers; the steps would then run as tasks, whose copies of the blocks the
    memory manager drops again, moving blocks under the resident sessions.) Other workers
    are allowed: a block lost with its worker is computed again elsewhere."""
    workers = live_workers(client)
    bounds = np.cumsum([0, *chunks])
    parts = [client.persist(list(as_dask(X[a:b], Y[a:b], (b - a,))),
                            workers=[workers[i % len(workers)]], allow_other_workers=True)
             for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:]))]
    # each block of the whole arrays is computed where its partition is
    arrays = client.persist([da.concatenate([p[j] for p in parts]) for j in range(2)])
    distributed.wait(arrays)
    return arrays


def live_workers(client: Any) -> list[str]:
    """The addresses of the cluster's workers, asked of the scheduler, sorted.

    Not ``client.scheduler_info()["workers"]``: when its query fails (a comm closed by a
    worker just killed), it returns the client's cached identity, whose periodic refresh
    lists no workers. Tries for up to 10 s before giving up."""
    deadline = time.monotonic() + 10.0
    while True:
        try:
            workers = sorted(client.nthreads())
        except OSError:  # distributed's CommClosedError among them
            workers = []
        if workers:
            return workers
        if time.monotonic() > deadline:
            raise RuntimeError("the Dask cluster has no live worker")
        time.sleep(0.2)


def resident_workers(sess: Any) -> set[str]:
    """The workers on which ``sess`` holds a resident session."""
    return set(sess._remote._residents._actors)

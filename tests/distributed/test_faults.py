"""A worker process killed (SIGKILL) during a distributed step, on a real LocalCluster.

The step reruns on the live workers when Dask can compute the lost blocks again, or fails
with ``UnavailableError``; a failed step leaves the driver's variables bit-identical, and
later steps work (or fail at once, naming the partition Dask lost).

Each test has a cluster of its own: the nanny of a killed worker starts a new worker
process, which on a loaded machine can take longer than the cluster waits for it
(``distributed.deploy.lost-worker-timeout``), so a shared cluster could be left with one
worker for the tests that follow.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from typing import Any, Callable, Iterator

import numpy as np
import pytest

import staticgraph as tf
from tests.distributed.helpers import (Model, as_dask, da, distributed, live_workers,
                                       persisted, resident_workers, two_workers)


@pytest.fixture
def client() -> Iterator[Any]:
    with two_workers() as c:
        yield c


def _running_a_task(client: Any) -> str | None:
    """A worker running a ``run_partition`` task (the task path), if any."""
    for worker, keys in client.processing().items():
        if any("run_partition" in str(k) for k in keys):
            return worker
    return None


def _running_a_resident_session(client: Any) -> str | None:
    """A worker whose resident session (the actor) is running partitions, if any."""
    busy = client.run(lambda dask_worker: any(
        "ResidentSession" in str(name) for name in dask_worker.active_threads.values()))
    return next((worker for worker, running in busy.items() if running), None)


def _kill_a_worker_during(client: Any, step: Callable[[], Any],
                          busy: Callable[[Any], str | None]) -> tuple[str, dict]:
    """Runs ``step`` in a thread and kills (SIGKILL) the worker process ``busy`` names
    while the step runs; returns that worker and what the step returned or raised."""
    pids = client.run(os.getpid)
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = step()
        except Exception as err:  # the step's error is the outcome under test
            outcome["error"] = err
    thread = threading.Thread(target=target)
    thread.start()
    killed = None
    while killed is None and thread.is_alive():
        killed = busy(client)
        if killed is not None:
            os.kill(pids[killed], signal.SIGKILL)
        time.sleep(0.005)
    thread.join()
    assert killed is not None, "the step ended before a worker could be killed"
    return killed, outcome


def _big_model() -> tuple:
    """A step long enough (about a second per partition) to kill a worker during it."""
    model = Model(lambda: tf.train.GradientDescentOptimizer(0.1), features=64, hidden=256)
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(40_000, 64)), rng.integers(0, 3, 40_000)
    return model, X, Y


def _assert_unchanged(model: Model, sess: Any, before: list[np.ndarray]) -> None:
    for a, b in zip(model.values(sess), before):
        np.testing.assert_array_equal(a, b)


def _assert_same_step(model: Model, remote: Any, local: Any, remote_feeds: dict,
                      local_feeds: dict) -> None:
    """A training step on the cluster equals one in the driver's process."""
    got = remote.run([model.loss, model.train], remote_feeds)[0]
    expected = local.run([model.loss, model.train], local_feeds)[0]
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    for a, b in zip(model.values(remote), model.values(local)):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-12)


def test_a_worker_killed_during_a_task_step_fails_it_and_changes_nothing(client: Any
                                                                         ) -> None:
    model, X, Y = _big_model()
    Xd, Yd = as_dask(X, Y, (20_000, 20_000))  # not persisted: the step runs as tasks
    sess = model.session(client)
    before = model.values(sess)
    client.run_on_scheduler(lambda dask_scheduler: setattr(dask_scheduler,
                                                           "allowed_failures", 0))
    _, outcome = _kill_a_worker_during(client, lambda: sess.run(
        model.train, {model.x: Xd, model.y: Yd}), _running_a_task)
    assert isinstance(outcome.get("error"), tf.errors.UnavailableError), outcome
    assert "no variable was updated" in str(outcome["error"])
    _assert_unchanged(model, sess, before)


def test_a_worker_killed_during_a_resident_step_reruns_it_on_the_live_worker(client: Any
                                                                             ) -> None:
    """The killed worker's blocks come from ``from_array``: Dask computes them again, and
    the step, rerun as tasks, equals the step in one process."""
    model, X, Y = _big_model()
    Xd, Yd = persisted(client, X, Y, (20_000, 20_000))
    local, remote = model.session(), model.session(client)
    feeds, local_feeds = {model.x: Xd, model.y: Yd}, {model.x: X, model.y: Y}
    # The first step starts the resident sessions. On a loaded machine a step may fall
    # back to tasks (any failure of the resident call does, by design), so the set-up
    # gets a few steps, each checked against the local session.
    for _ in range(3):
        _assert_same_step(model, remote, local, feeds, local_feeds)
        if len(resident_workers(remote)) == 2:
            break
    assert len(resident_workers(remote)) == 2
    killed, outcome = _kill_a_worker_during(client, lambda: remote.run(
        [model.loss, model.train], feeds), _running_a_resident_session)
    assert "value" in outcome, outcome
    assert killed not in resident_workers(remote)
    expected = local.run([model.loss, model.train], local_feeds)[0]
    np.testing.assert_allclose(outcome["value"][0], expected, rtol=1e-6)
    for _ in range(2):  # the next steps, on whichever workers are there
        _assert_same_step(model, remote, local, feeds, local_feeds)


def _pinned(client: Any, X: np.ndarray, Y: np.ndarray) -> list:
    """The batch as data scattered to the workers, partition i on worker i (persisted):
    Dask cannot compute a partition again once its worker is gone."""
    workers = live_workers(client)
    half = len(X) // 2
    arrays = []
    for data in (X, Y):
        parts = [client.scatter(data[i * half:(i + 1) * half], workers=[w], hash=False)
                 for i, w in enumerate(workers)]
        arrays.append(da.concatenate([da.from_delayed(p, (half, *data.shape[1:]), data.dtype)
                                      for p in parts]))
    arrays = client.persist(arrays)
    distributed.wait(arrays)
    return [workers, *arrays]


def test_a_worker_killed_with_data_dask_cannot_recompute_fails_the_step_clearly(
        client: Any) -> None:
    model, X, Y = _big_model()
    workers, Xd, Yd = _pinned(client, X, Y)
    sess, local = model.session(client), model.session()
    feeds, local_feeds = {model.x: Xd, model.y: Yd}, {model.x: X, model.y: Y}
    _assert_same_step(model, sess, local, feeds, local_feeds)  # starts resident sessions
    assert len(resident_workers(sess)) == 2
    before = model.values(sess)
    killed, outcome = _kill_a_worker_during(client, lambda: sess.run(
        [model.loss, model.train], feeds), _running_a_resident_session)
    assert isinstance(outcome.get("error"), tf.errors.UnavailableError), outcome
    assert "no variable was updated" in str(outcome["error"])
    _assert_unchanged(model, sess, before)
    lost = workers.index(killed)
    rows = f"rows {lost * 20_000}:{(lost + 1) * 20_000}"
    with pytest.raises(tf.errors.UnavailableError,
                       match=f"partition {lost} \\({rows}\\) of the array fed to 'x:0'; "
                             f"partition {lost} \\({rows}\\) of the array fed to 'y:0'"):
        sess.run(model.train, feeds)  # fails at once: the data is gone
    _assert_unchanged(model, sess, before)
    Xd, Yd = persisted(client, X, Y, (20_000, 20_000))  # the batch given again
    _assert_same_step(model, sess, local, {model.x: Xd, model.y: Yd}, local_feeds)

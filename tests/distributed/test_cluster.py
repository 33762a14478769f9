"""tf.Session(target=<Dask client>) on a real LocalCluster: 2 worker processes, 1 thread
each, loopback only. Training steps and inference must equal one process."""
from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.compiler.batch_split import NotBatchSeparableError
from staticgraph.distributed import DaskTarget
from tests.distributed.helpers import (SGD_OR_ADAM, Model, as_dask, da, data, persisted,
                                       resident_workers, two_workers)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with two_workers() as c:
        yield c


@pytest.mark.parametrize("optimizer, reduce", [
    (lambda: tf.train.GradientDescentOptimizer(0.5), tf.reduce_mean),
    (lambda: tf.train.AdamOptimizer(0.05), tf.reduce_mean),
    (lambda: tf.train.GradientDescentOptimizer(0.01), tf.reduce_sum),
], ids=["sgd-mean", "adam-mean", "sgd-sum"])
def test_twenty_steps_equal_one_process(client: Any, optimizer: Callable, reduce: Callable
                                        ) -> None:
    X, Y = data()
    model = Model(optimizer, reduce)
    local, remote = model.session(), model.session(client)
    Xd, Yd = as_dask(X, Y, (25, 0, 40, 25))  # uneven partitions, one of them empty
    losses = []
    for _ in range(20):
        expected, _ = local.run([model.loss, model.train], {model.x: X, model.y: Y})
        got, _ = remote.run([model.loss, model.train], {model.x: Xd, model.y: Yd})
        np.testing.assert_allclose(got, expected, rtol=1e-6)
        losses.append(got)
    assert losses[-1] < losses[0]
    for a, b in zip(model.values(remote), model.values(local)):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-12)


@SGD_OR_ADAM
def test_gradients_clipped_by_global_norm_equal_one_process(client: Any, optimizer: Callable
                                                             ) -> None:
    X, Y = data()
    model = Model(optimizer, clip_norm=0.05)  # small enough to clip every step
    local, remote = model.session(), model.session(client)
    Xd, Yd = as_dask(X, Y, (30, 60))
    for _ in range(20):
        expected = local.run([model.loss, model.norm, model.train], {model.x: X, model.y: Y})
        got = remote.run([model.loss, model.norm, model.train], {model.x: Xd, model.y: Yd})
        np.testing.assert_allclose(got[:2], expected[:2], rtol=1e-6)
        assert expected[1] > 0.05
    for a, b in zip(model.values(remote), model.values(local)):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-12)


def test_a_non_linear_function_of_the_loss_is_computed_on_the_driver(client: Any) -> None:
    X, Y = data()
    model = Model(lambda: tf.train.GradientDescentOptimizer(0.5))
    with model.graph.as_default():
        log_loss = tf.log(model.loss)
    sess = model.session(client)
    got = sess.run(log_loss, {model.x: da.from_array(X, chunks=(20, 6)),
                              model.y: da.from_array(Y, chunks=(20,))})
    np.testing.assert_allclose(got, sess.run(log_loss, {model.x: X, model.y: Y}), rtol=1e-12)


def test_batch_inference_is_lazy_one_task_per_partition(client: Any) -> None:
    X, _ = data()
    model = Model(lambda: tf.train.GradientDescentOptimizer(0.1))
    sess = model.session(client)
    Xd = da.from_array(X, chunks=((30, 0, 60), X.shape[1]))
    out = sess.run(model.logits, {model.x: Xd})
    assert isinstance(out, da.Array) and out.numblocks == (2, 1) and out.shape == (90, 3)
    expected = sess.run(model.logits, {model.x: X})
    np.testing.assert_allclose(out.compute(), expected, rtol=1e-13, atol=1e-15)
    both = sess.run({"p": tf.nn.softmax(model.logits), "l": model.logits}, {model.x: Xd})
    assert all(isinstance(v, da.Array) for v in both.values())
    np.testing.assert_allclose(both["l"].compute(), expected, rtol=1e-13, atol=1e-15)


def test_batch_inference_computed_on_request(client: Any) -> None:
    X, _ = data()
    model = Model(lambda: tf.train.GradientDescentOptimizer(0.1))
    sess = tf.Session(target=DaskTarget(client, compute=True), graph=model.graph)
    sess.run(model.init)
    out = sess.run([model.logits], {model.x: da.from_array(X, chunks=(45, 6))})
    assert isinstance(out, list) and isinstance(out[0], np.ndarray)
    np.testing.assert_allclose(out[0], sess.run(model.logits, {model.x: X}), rtol=1e-13,
                               atol=1e-15)


def test_a_scheduler_address_as_target(client: Any) -> None:
    X, Y = data()
    model = Model(lambda: tf.train.GradientDescentOptimizer(0.5))
    remote = tf.Session(target=client.scheduler.address, graph=model.graph)
    own_client = remote._remote.target.client
    try:
        assert own_client is not client and own_client.scheduler.address == \
            client.scheduler.address
        remote.run(model.init)
        local = model.session()
        Xd, Yd = as_dask(X, Y, (45, 45))
        remote.run(model.train, {model.x: Xd, model.y: Yd})
        local.run(model.train, {model.x: X, model.y: Y})
        for a, b in zip(model.values(remote), model.values(local)):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-12)
        remote.close()  # the client the session opened from the address goes with it
        assert own_client.status == "closed"
    finally:
        own_client.close()


def test_closing_a_session_leaves_the_users_client_open(client: Any) -> None:
    model = Model(lambda: tf.train.GradientDescentOptimizer(0.5))
    model.session(client).close()
    assert client.status == "running"


def test_a_graph_coupling_rows_is_refused_and_changes_nothing(client: Any) -> None:
    X, Y = data()
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float64, [None, 6])
        mean, variance = tf.nn.moments(x, [0])
        w = tf.Variable(np.ones((6, 1)))
        loss = tf.reduce_mean(tf.matmul(tf.nn.batch_normalization(x, mean, variance, None,
                                                                 None, 1e-3), w))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        init = tf.global_variables_initializer()
    sess = tf.Session(target=client, graph=graph)
    sess.run(init)
    with pytest.raises(NotBatchSeparableError, match="op 'moments/SquaredDifference'"):
        sess.run(train, {x: da.from_array(X, chunks=(45, 6))})
    np.testing.assert_array_equal(sess.run(w), np.ones((6, 1)))


@SGD_OR_ADAM
def test_steps_on_resident_sessions_equal_one_process(client: Any, optimizer: Callable
                                                      ) -> None:
    X, Y = data()
    model = Model(optimizer)
    local, remote = model.session(), model.session(client)
    # uneven partitions, one empty: some worker runs two partitions in one call
    Xd, Yd = persisted(client, X, Y, (25, 0, 40, 25))
    for _ in range(20):
        expected, _ = local.run([model.loss, model.train], {model.x: X, model.y: Y})
        got, _ = remote.run([model.loss, model.train], {model.x: Xd, model.y: Yd})
        np.testing.assert_allclose(got, expected, rtol=1e-6)
    assert resident_workers(remote)  # the steps ran on resident sessions
    for a, b in zip(model.values(remote), model.values(local)):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-12)
    remote.close()
    assert not resident_workers(remote)


def test_a_checkpoint_of_the_driver_restores_resident_steps(client: Any, tmp_path: Any
                                                            ) -> None:
    X, Y = data()
    model = Model(lambda: tf.train.AdamOptimizer(0.05))
    with model.graph.as_default():
        saver = tf.train.Saver()
    remote, local = model.session(client), model.session()
    Xd, Yd = persisted(client, X, Y, (45, 45))
    for _ in range(3):
        remote.run(model.train, {model.x: Xd, model.y: Yd})
    saved = model.values(remote)
    path = saver.save(remote, str(tmp_path / "model"))
    remote.run(model.train, {model.x: Xd, model.y: Yd})  # moves away from the checkpoint
    saver.restore(remote, path)
    saver.restore(local, path)
    for a, b in zip(model.values(remote), saved):
        np.testing.assert_array_equal(a, b)
    got = remote.run([model.loss, model.train], {model.x: Xd, model.y: Yd})[0]
    expected = local.run([model.loss, model.train], {model.x: X, model.y: Y})[0]
    np.testing.assert_allclose(got, expected, rtol=1e-6)  # the workers used the restored
    for a, b in zip(model.values(remote), model.values(local)):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-12)

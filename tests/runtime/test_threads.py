"""One Session used from several threads: per-run rollback, use_locking, Hogwild training.

Thread switches are made frequent (``sys.setswitchinterval``) so that runs interleave
inside each other; every loop has a fixed number of iterations.

A failed run's updates are visible to other runs until it rolls back (as every update
is in TF1); an update another run makes on top of one is not undone. So the variables
that failing runs update are, here, updated by nobody else.
"""
import sys
import threading

import numpy as np
import pytest

import staticgraph as tf


@pytest.fixture(autouse=True)
def frequent_thread_switches():
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def _run_threads(*targets):
    """Runs each callable on its own thread; re-raises the first exception any raised."""
    errors = []

    def guarded(target):
        try:
            target()
        except BaseException as err:  # reported to the test below
            errors.append(err)

    threads = [threading.Thread(target=guarded, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def _failing_after(update, name):
    """An op that runs ``update`` and then fails (reshaping 3 fed values to [2])."""
    fed = tf.placeholder(tf.float32, [None], name=name)
    with tf.control_dependencies([update]):
        return tf.reshape(fed, [2], name="fails_" + name).op, {fed: np.ones(3, np.float32)}


def test_concurrent_runs_keep_committed_updates_and_drop_failed_ones():
    steps = 150
    c = tf.Variable(0.0, name="c")  # counts committed increments
    d = tf.Variable(0.0, name="d")  # touched only by runs that fail (thread 1)
    e = tf.Variable(0.0, name="e")  # touched only by runs that fail (thread 3)
    w = tf.Variable(np.ones(4), name="w")  # Hogwild: trained by two threads
    w2 = tf.Variable(np.full(3, 2.0), name="w2")  # trained by one thread, which also fails
    inc = tf.assign_add(c, 1.0, use_locking=True)
    bad_d, bad_d_feed = _failing_after(tf.assign_add(d, 1000.0), "p1")
    train_w = tf.train.GradientDescentOptimizer(0.01).minimize(tf.reduce_sum(w * w))
    train_w2 = tf.train.GradientDescentOptimizer(0.05).minimize(tf.reduce_sum(w2 * w2))
    bad_w2, bad_w2_feed = _failing_after(
        tf.group(tf.train.GradientDescentOptimizer(1.0).minimize(tf.reduce_sum(w2)),
                 tf.assign_add(e, 1.0)), "p2")
    committed = [0] * 4
    failures = [0] * 4

    def fails(i, op, feed):
        with pytest.raises(tf.errors.InvalidArgumentError, match="fails_p[12]"):
            sess.run(op, feed)
        failures[i] += 1

    def incrementer():
        for _ in range(steps):
            sess.run(inc)
            committed[0] += 1

    def incrementer_failing_sometimes():
        for k in range(steps):
            if k % 2:
                fails(1, bad_d, bad_d_feed)
            else:
                sess.run(inc)
                committed[1] += 1

    def trainer_reader():
        for _ in range(steps):
            sess.run(train_w)
            values = sess.run([c, d, w])
            assert values[0] <= 2 * steps and np.all(np.isfinite(values[2]))

    def trainer_failing_sometimes():
        for k in range(steps):
            if k % 3 == 2:
                fails(3, bad_w2, bad_w2_feed)
            else:
                sess.run([train_w, train_w2])
                committed[3] += 1

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _run_threads(incrementer, incrementer_failing_sometimes, trainer_reader,
                     trainer_failing_sometimes)
        final_c, final_d, final_e, final_w, final_w2 = sess.run([c, d, e, w, w2])
    assert failures == [0, steps // 2, 0, steps // 3]
    assert final_c == committed[0] + committed[1]  # no committed increment lost
    assert final_d == final_e == 0.0  # no update of a failed run kept
    assert np.all(np.isfinite(final_w)) and np.all(final_w < 1.0)  # Hogwild steps applied
    expected_w2, lr = np.full(3, 2.0), float(np.float32(0.05))
    for _ in range(committed[3]):  # the good steps only
        expected_w2 = expected_w2 + (2 * expected_w2) * -lr
    np.testing.assert_allclose(final_w2, expected_w2, rtol=1e-12)


def test_a_failing_run_reverts_only_its_own_updates():
    c = tf.Variable(0.0, name="c")
    d = tf.Variable(0.0, name="d")
    inc = tf.assign_add(c, 1.0)
    inside, go_on = threading.Event(), threading.Event()

    def pause(x):  # runs after d's update; other runs commit meanwhile
        inside.set()
        go_on.wait()
        return x

    fed = tf.placeholder(tf.float32, [None], name="p")
    with tf.control_dependencies([tf.assign_add(d, 1000.0)]):
        paused = tf.py_func(pause, [fed], tf.float32)
    failing = tf.reshape(paused, [2], name="fails")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())

        def fail():
            try:
                with pytest.raises(tf.errors.InvalidArgumentError, match="fails"):
                    sess.run(failing, {fed: np.ones(3, np.float32)})
            finally:
                inside.set()

        thread = threading.Thread(target=fail)
        thread.start()
        inside.wait()
        try:
            for _ in range(3):
                sess.run(inc)
        finally:
            go_on.set()
            thread.join()
        assert sess.run([c, d]) == [3.0, 0.0]


def _sgd(v):
    opt = tf.train.GradientDescentOptimizer(1.0, use_locking=True)
    return opt.apply_gradients([(tf.constant(-1.0, tf.float64), v)]), v


def _momentum(v):
    opt = tf.train.MomentumOptimizer(1.0, 0.0, use_locking=True)
    return opt.apply_gradients([(tf.constant(-1.0, tf.float64), v)]), v


def _adagrad(v):
    opt = tf.train.AdagradOptimizer(1.0, use_locking=True)
    update = opt.apply_gradients([(tf.constant(-1.0, tf.float64), v)])
    return update, opt.get_slot(v, "accumulator")  # adds g² = 1 per update: counts them


def _proximal_sgd(v):  # without L1/L2 terms, a plain step of +1 per update
    opt = tf.train.ProximalGradientDescentOptimizer(1.0, use_locking=True)
    return opt.apply_gradients([(tf.constant(-1.0, tf.float64), v)]), v


def _scatter_add(unused):
    table = tf.Variable(np.zeros((3, 2)))
    update = tf.scatter_add(table, [1, 1], np.ones((2, 2)), use_locking=True)
    return update, tf.reduce_sum(table) / 4.0  # 4 units per update


@pytest.mark.parametrize("make_update", [
    lambda v: (tf.assign_add(v, 1.0, use_locking=True), v),
    lambda v: (v.assign_sub(-1.0, use_locking=True), v),
    _sgd, _momentum, _adagrad, _proximal_sgd, _scatter_add,
], ids=["assign_add", "assign_sub", "sgd", "momentum", "adagrad", "proximal_sgd",
        "scatter_add"])
def test_use_locking_loses_no_update(make_update):
    threads, steps = 3, 1000
    v = tf.Variable(0.0, dtype=tf.float64)
    update, counter = make_update(v)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(counter)

        def loop():
            for _ in range(steps):
                sess.run(update)

        _run_threads(*[loop] * threads)
        after = sess.run(counter)
    assert after - before == pytest.approx(threads * steps, abs=1e-6)

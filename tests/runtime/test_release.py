"""A graph and its session, once the program drops them, are freed by one collection.

A plan's source lines stay in ``linecache`` until its function is collected. Were they
to refer to the graph, the graph would outlive that collection and be freed only by a
later one, possibly in the middle of the next graph's construction.
"""
import gc
import weakref

import numpy as np
import pytest

import staticgraph as tf


def _chain_graph() -> tuple:
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float64, [4], name="x")
        h = x
        for _ in range(3):
            h = tf.sin(h) * 0.5 + h
        y = tf.reduce_sum(h)
        grad = tf.gradients(y, x)[0]
    return graph, x, y, grad


def _plain_run() -> weakref.ref:
    graph, x, y, grad = _chain_graph()
    with tf.Session(graph=graph) as sess:
        sess.run([y, grad], {x: np.ones(4)})
    return weakref.ref(graph)


def _traced_run() -> weakref.ref:
    graph, x, y, grad = _chain_graph()
    metadata = tf.RunMetadata()
    with tf.Session(graph=graph) as sess:
        sess.run([y, grad], {x: np.ones(4)}, run_metadata=metadata,
                 options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE))
    assert metadata.step_stats.dev_stats  # the traced plan did run
    return weakref.ref(graph)


def _callable_run() -> weakref.ref:
    graph, x, y, grad = _chain_graph()
    with tf.Session(graph=graph) as sess:
        sess.make_callable([y, grad], [x])(np.ones(4))
    return weakref.ref(graph)


def _failed_run() -> weakref.ref:
    graph = tf.Graph()
    with graph.as_default():
        a = tf.placeholder(tf.float64, [None], name="a")
        b = tf.placeholder(tf.float64, [None], name="b")
        y = tf.reduce_sum(tf.sin(a) + b)
    with tf.Session(graph=graph) as sess:
        sess.run(y, {a: np.ones(2), b: np.ones(2)})
        try:
            sess.run(y, {a: np.ones(2), b: np.ones(3)})
        except tf.errors.InvalidArgumentError as err:
            assert "add" in str(err)  # the message named the op: the IR was rebuilt
        else:
            raise AssertionError("mismatched shapes ran")
    return weakref.ref(graph)


def _training_steps() -> weakref.ref:
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [8, 3], name="x")
        w = tf.Variable(np.ones((3, 1), np.float32), name="w")
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w)))
        train = tf.train.AdamOptimizer(0.1).minimize(loss)
        init = tf.global_variables_initializer()
    with tf.Session(graph=graph) as sess:
        sess.run(init)
        for _ in range(2):
            sess.run([loss, train], {x: np.ones((8, 3), np.float32)})
    return weakref.ref(graph)


@pytest.mark.parametrize("use", [_plain_run, _traced_run, _callable_run, _failed_run,
                                 _training_steps])
def test_one_collection_frees_a_dropped_graph_and_its_plans(use):
    graph = use()
    gc.collect()
    assert graph() is None

"""tf.contrib.opt.LazyAdamOptimizer: TF1's rule (only the gradient's rows get their m, v
and variable updated; dense gradients as Adam), rollback, and a step's memory."""
import tracemalloc

import numpy as np
import pytest

import staticgraph as tf

LR, B1, B2, EPS = 0.1, 0.9, 0.999, 1e-8
_INIT = np.random.RandomState(0).randn(8, 3)
_WEIGHTS = np.arange(1.0, 4.0)


def _expected(batches):
    """TF1's documented lazy rule, by hand: at step t the deduplicated rows get
    m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², var ← var − lr_t·m/(√v + ε), where
    lr_t = lr·√(1−β2ᵗ)/(1−β1ᵗ). As in TF1, the Python-float hyperparameters become float32
    tensors (cast to the variable's dtype where used), and so do the powers β1ᵗ, β2ᵗ."""
    var, m, v = _INIT.copy(), np.zeros_like(_INIT), np.zeros_like(_INIT)
    lr, b1, b2, eps = (float(np.float32(x)) for x in (LR, B1, B2, EPS))
    power1, power2 = np.float32(B1), np.float32(B2)
    for batch in batches:
        rows = np.unique(batch)
        grad = np.zeros_like(var)
        np.add.at(grad, batch, np.cos(var[batch]) * _WEIGHTS)
        lr_t = lr * np.sqrt(1 - float(power2)) / (1 - float(power1))
        power1, power2 = power1 * np.float32(B1), power2 * np.float32(B2)
        m[rows] = b1 * m[rows] + (1 - b1) * grad[rows]
        v[rows] = b2 * v[rows] + (1 - b2) * grad[rows] ** 2
        var[rows] -= lr_t * m[rows] / (np.sqrt(v[rows]) + eps)
    return var, m, v


def _train(batches, sparse=True, optimizer=tf.contrib.opt.LazyAdamOptimizer):
    graph = tf.Graph()
    with graph.as_default():
        table = tf.Variable(_INIT, name="E")
        ids = tf.placeholder(tf.int32, [None])
        source = table if sparse else tf.identity(table) * 1.0
        loss = tf.reduce_sum(tf.sin(tf.nn.embedding_lookup(source, ids)) * _WEIGHTS)
        opt = optimizer(LR, B1, B2, EPS)
        step = opt.minimize(loss)
        types = {op.type for op in graph.get_operations()}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for batch in batches:
                sess.run(step, {ids: batch})
            return sess.run([table, opt.get_slot(table, "m"), opt.get_slot(table, "v")]), types


def test_only_the_batch_rows_move_as_tf1_lazy_adam_documents():
    batches = [np.array([1, 2, 2]), np.array([2, 5]), np.array([0, 5, 5, 1]), np.array([7])]
    (var, m, v), types = _train(batches)
    assert "SparseApplyLazyAdam" in types
    for got, want in zip((var, m, v), _expected(batches)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(var[[3, 4, 6]], _INIT[[3, 4, 6]])
    assert not np.any(m[[3, 4, 6]])
    # unlike (non-lazy) Adam, whose decaying m keeps moving rows left out of a batch
    adam, _ = _train(batches, optimizer=tf.train.AdamOptimizer)
    assert not np.allclose(adam[0][1], var[1])


def test_dense_gradients_get_adams_update():
    batches = [np.array([1, 2, 2]), np.array([2, 5])]
    (lazy, _, _), types = _train(batches, sparse=False)
    (adam, _, _), _ = _train(batches, sparse=False, optimizer=tf.train.AdamOptimizer)
    assert "SparseApplyLazyAdam" not in types and "ApplyAdam" in types
    np.testing.assert_array_equal(lazy, adam)


def test_names_are_adams():
    table = tf.Variable(_INIT, name="E")
    opt = tf.contrib.opt.LazyAdamOptimizer()
    opt.minimize(tf.reduce_sum(tf.gather(table, [1])))
    assert opt.get_name() == "Adam"
    assert opt.get_slot(table, "m").op.name == "E/Adam"
    assert opt.get_slot(table, "v").op.name == "E/Adam_1"


def test_a_failed_step_leaves_variables_and_slots_unchanged():
    table = tf.Variable(_INIT, name="E")
    ids = tf.placeholder(tf.int32, [None])
    bad = tf.placeholder(tf.int32, [None])
    step = tf.contrib.opt.LazyAdamOptimizer(LR).minimize(
        tf.reduce_sum(tf.sin(tf.gather(table, ids))))
    with tf.control_dependencies([step]):
        fails = tf.gather(table, bad)
    variables = tf.global_variables()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(2):
            sess.run(step, {ids: [1, 2, 2]})
        before = sess.run(variables)
        with pytest.raises(Exception, match="index 99"):
            sess.run(fails, {ids: [1, 5], bad: [99]})
        for old, new in zip(before, sess.run(variables)):
            np.testing.assert_array_equal(old, new)


def test_a_step_allocates_memory_of_the_batch_not_of_the_table():
    rows, width, batch = 100_000, 32, 256
    table = tf.Variable(tf.ones([rows, width]), name="table")
    ids = tf.placeholder(tf.int32, [batch])
    weights = tf.Variable(np.random.RandomState(1).randn(width, 4).astype(np.float32),
                          name="w")
    logits = tf.matmul(tf.nn.embedding_lookup(table, ids), weights)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.zeros([batch], tf.int32), logits=logits))
    step = tf.contrib.opt.LazyAdamOptimizer(0.1).minimize(loss)
    feed = {ids: np.random.RandomState(0).randint(0, rows, batch)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step, feed)  # warm-up: compiles the plan, copies the tables once
        tracemalloc.start()
        try:
            sess.run(step, feed)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert not np.all(sess.run(table) == 1)
    table_bytes = rows * width * 4
    assert peak < table_bytes / 20, (peak, table_bytes)

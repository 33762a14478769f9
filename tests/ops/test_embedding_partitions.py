"""embedding_lookup over a list of partitions: as in TF1, each partition's gradient is
an IndexedSlices of its own rows (one gather per partition), so optimizers update only
the looked-up rows of each partition."""
import numpy as np
import pytest

import staticgraph as tf

_RNG = np.random.RandomState(3)
_SIZES = {"mod": (4, 3, 3), "div": (4, 3, 3)}
_IDS = np.array([[0, 9, 4], [4, 5, 7]])


def _parts(strategy):
    return [_RNG.randn(n, 2) for n in _SIZES[strategy]]


@pytest.mark.parametrize("strategy", ["mod", "div"])
def test_each_partition_gets_an_indexed_slices_of_its_rows(strategy):
    values = _parts(strategy)
    parts = [tf.constant(v) for v in values]
    out = tf.nn.embedding_lookup(parts, _IDS, partition_strategy=strategy)
    assert out.shape.as_list() == [2, 3, 2]
    grads = tf.gradients(tf.reduce_sum(out * np.arange(1.0, 13.0).reshape(2, 3, 2)), parts)
    assert all(isinstance(g, tf.IndexedSlices) for g in grads)
    whole = np.concatenate(values)
    # the row of the concatenated partitions holding each id, by TF1's rules: "mod" puts
    # id i at row i // 3 of partition i % 3, "div" ids 0-3, 4-6, 7-9 in partitions 0-2
    if strategy == "mod":
        position = {i: sum(_SIZES["mod"][:i % 3]) + i // 3 for i in range(10)}
    else:
        position = {i: i for i in range(10)}
    with tf.Session() as sess:
        found, slices = sess.run([out, grads])
    np.testing.assert_array_equal(found, whole[np.vectorize(position.get)(_IDS)])
    seen = sorted(np.concatenate([np.asarray(s.indices) + sum(_SIZES[strategy][:p])
                                  for p, s in enumerate(slices)]))
    assert seen == sorted(position[i] for i in _IDS.ravel())


def _train(strategy, sparse, steps=4):
    graph = tf.Graph()
    with graph.as_default():
        values = [np.random.RandomState(n).randn(n, 2) for n in _SIZES[strategy]]
        variables = [tf.Variable(v, name=f"part_{p}") for p, v in enumerate(values)]
        # through tf.identity(v) * 1 the gradient reaching each variable is dense
        parts = variables if sparse else [tf.identity(v) * 1.0 for v in variables]
        ids = tf.placeholder(tf.int32, [None])
        loss = tf.reduce_sum(tf.sin(tf.nn.embedding_lookup(parts, ids, strategy))
                             * np.array([1.0, -2.0]))
        step = tf.train.GradientDescentOptimizer(0.3).minimize(loss)
        types = [op.type for op in graph.get_operations()]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for batch in ([0, 9, 4, 4], [5, 7], [1, 1, 2], [8, 3, 0])[:steps]:
                sess.run(step, {ids: batch})
            return sess.run(variables), types, values


@pytest.mark.parametrize("strategy", ["mod", "div"])
def test_sgd_through_partitions_sparse_equals_dense(strategy):
    sparse, types, initial = _train(strategy, True)
    dense, dense_types, _ = _train(strategy, False)
    assert types.count("ScatterSub") == 3 and "ScatterSub" not in dense_types
    for s, d, init in zip(sparse, dense, initial):
        np.testing.assert_allclose(s, d, rtol=1e-12, atol=1e-12)
        assert not np.allclose(s, init)


def test_partitioned_lookup_with_max_norm_and_ids_of_unknown_size():
    parts = [tf.constant(np.full((2, 2), 3.0)), tf.constant(np.full((2, 2), 4.0))]
    ids = tf.placeholder(tf.int32, [None, 1])
    out = tf.nn.embedding_lookup(parts, ids, max_norm=1.0)
    with tf.Session() as sess:
        got = sess.run(out, {ids: [[1], [2]]})
    np.testing.assert_allclose(got, np.full((2, 1, 2), np.sqrt(0.5)))

"""compiler.batch_split: which runs split along the batch axis, and how parts combine."""
from __future__ import annotations

import pytest

import staticgraph as tf
from staticgraph.compiler.batch_split import Batch, NotBatchSeparableError, split_run


def _mlp(reduce: object = tf.reduce_mean) -> tuple:
    x = tf.placeholder(tf.float64, [None, 4], name="x")
    y = tf.placeholder(tf.int64, [None], name="y")
    h = tf.layers.dense(x, 5, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 3)
    loss = reduce(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    return x, y, logits, loss


def test_mean_loss_training_step_combines_gradients_as_means() -> None:
    with tf.Graph().as_default():
        x, y, logits, loss = _mlp()
        train = tf.train.AdamOptimizer(0.1).minimize(loss)
        split = split_run([loss, train], [x, y])
    kinds = dict(split.cuts)
    assert kinds.pop(loss) is Batch.MEAN
    grads = {t.op.type for t in kinds}
    assert set(kinds.values()) == {Batch.COUNT} and grads == {"MatMul", "BiasAddGrad"}
    assert split.count_kind is Batch.MEAN
    assert sorted(v.op.name for v in split.variables) == [
        "dense/bias", "dense/kernel", "dense_1/bias", "dense_1/kernel"]


def test_sum_loss_and_row_wise_fetches() -> None:
    with tf.Graph().as_default():
        x, y, logits, loss = _mlp(tf.reduce_sum)
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        assert split_run([train], [x, y]).count_kind is Batch.SUM
        inference = split_run([logits, tf.nn.softmax(logits)], [x])
    assert set(inference.kinds.values()) == {Batch.ROWS}


def test_mean_plus_a_batch_independent_regularizer_is_separable() -> None:
    with tf.Graph().as_default():
        x, y, _, loss = _mlp()
        weights = tf.trainable_variables()[0]
        total = loss + 0.01 * tf.reduce_sum(tf.square(weights))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(total)
        assert split_run([train], [x, y]).count_kind is Batch.MEAN


@pytest.mark.parametrize("coupling, op_name", [
    # batch norm's batch statistics: each row is normalised by the whole batch's moments
    (lambda x: tf.nn.batch_normalization(x, *tf.nn.moments(x, [0]), None, None, 1e-3),
     "moments/SquaredDifference"),
    # a scan over the batch (row i depends on rows 0..i)
    (lambda x: tf.cumsum(x, axis=0, name="scan"), "scan"),
    # a matmul contracting the batch axis
    (lambda x: tf.matmul(x, x, transpose_a=True, name="gram"), "gram"),
    # a reshape mixing rows
    (lambda x: tf.reshape(x, [2, -1], name="mix"), "mix"),
])
def test_ops_coupling_rows_are_named(coupling: object, op_name: str) -> None:
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [None, 4], name="x")
        loss = tf.reduce_mean(coupling(x))
        with pytest.raises(NotBatchSeparableError, match=f"op '{op_name}'"):
            split_run([loss], [x])


@pytest.mark.parametrize("combine, reductions", [
    (lambda x: tf.log(tf.reduce_mean(x), name="log"), ["Mean"]),  # non-linear in the mean
    (lambda x: tf.add(tf.reduce_sum(x), tf.reduce_mean(x), name="mixed"), ["Sum", "Mean"]),
    (lambda x: tf.add(tf.reduce_sum(x), 1.0, name="offset"), ["Sum"]),  # not k 1s
    (lambda x: tf.multiply(tf.reduce_mean(x), tf.reduce_mean(x), name="square"), ["Mean"] * 2),
])
def test_non_linear_functions_of_batch_reductions_run_on_the_driver(
        combine: object, reductions: list) -> None:
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [None, 4], name="x")
        value = combine(x)
        split = split_run([value], [x])
    assert split.kinds == {value: Batch.DRIVER}
    assert sorted(t.op.type for t, _ in split.cuts) == sorted(reductions)
    assert {kind for _, kind in split.cuts} <= {Batch.SUM, Batch.MEAN}


def test_clipped_gradients_are_cut_before_the_global_norm() -> None:
    with tf.Graph().as_default():
        x, y, _, loss = _mlp()
        optimizer = tf.train.GradientDescentOptimizer(0.1)
        grads, variables = zip(*optimizer.compute_gradients(loss))
        clipped, norm = tf.clip_by_global_norm(grads, 0.5)
        train = optimizer.apply_gradients(zip(clipped, variables))
        split = split_run([loss, norm, train], [x, y])
    cuts = dict(split.cuts)
    assert cuts.pop(loss) is Batch.MEAN
    assert set(cuts) == set(grads) and set(cuts.values()) == {Batch.COUNT}
    assert split.kinds[norm] is Batch.DRIVER and split.count_kind is Batch.MEAN


def test_a_gradient_through_a_non_linear_function_of_a_mean_is_refused() -> None:
    with tf.Graph().as_default():
        x, y, _, loss = _mlp()
        train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.log(loss, name="log"))
        with pytest.raises(NotBatchSeparableError, match="second pass"):
            split_run([train], [x, y])


def test_row_wise_values_needing_a_whole_batch_value_are_refused() -> None:
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [None, 4], name="x")
        scale = tf.sqrt(tf.reduce_mean(tf.square(x)), name="rms")
        with pytest.raises(NotBatchSeparableError, match="op 'scaled'.*'rms:0'"):
            split_run([tf.divide(x, scale, name="scaled")], [x])


def test_a_reduction_over_other_axes_stays_row_wise() -> None:
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [None, 4], name="x")
        rows = tf.reduce_sum(x, axis=1)
        split = split_run([rows, tf.reduce_mean(rows)], [x])
    assert list(split.kinds.values()) == [Batch.ROWS, Batch.MEAN]


def test_a_batch_independent_tensor_broadcast_along_the_batch_is_refused() -> None:
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [None, 4], name="x")
        per_row = tf.placeholder(tf.float64, [6, 4], name="per_row")
        with pytest.raises(NotBatchSeparableError, match="op 'shifted'.*per_row"):
            split_run([tf.add(x, per_row, name="shifted")], [x], [per_row])

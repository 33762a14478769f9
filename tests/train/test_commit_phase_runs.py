"""Training with the commit phase (compiler/passes/commit_phase): the same bits as without
it, variables untouched by a run failing anywhere before the commit block, and a step of
TF1's non-lazy sparse Adam whose peak memory does not grow with the table."""
import tracemalloc

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.compiler.passes import commit_phase
from tests.train.test_sparse_apply import OPTIMIZERS

_NO_COMMIT = tf.ConfigProto(graph_options=tf.GraphOptions(
    optimizer_options=tf.OptimizerOptions(disabled_passes=("commit_phase",))))


@pytest.fixture(autouse=True)
def _split_every_writer(monkeypatch):
    """Small variables keep their one-piece kernels by default (``SMALL``); these tests
    use small ones to see every split."""
    monkeypatch.setattr(commit_phase, "SMALL", 0)


def _model(make_optimizer, dtype=np.float32):
    """An embedding (sparse gradient) and a dense layer; returns (ids, loss, train)."""
    rng = np.random.RandomState(1)
    table = tf.Variable(rng.randn(12, 3).astype(dtype), name="table")
    w = tf.Variable(rng.randn(3, 2).astype(dtype), name="w")
    ids = tf.placeholder(tf.int32, [None], name="ids")
    logits = tf.matmul(tf.nn.embedding_lookup(table, ids), w)
    loss = tf.reduce_mean(tf.square(logits - 1.0))
    return ids, loss, make_optimizer().minimize(loss)


def _steps(session, ids, loss, train, batches):
    with session as sess:
        sess.run(tf.global_variables_initializer())
        losses = [sess.run([loss, train], {ids: b})[0] for b in batches]
        return losses, {v.op.name: sess.run(v) for v in tf.global_variables()}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_training_gives_the_same_bits_with_and_without_the_commit_phase(name):
    ids, loss, train = _model(OPTIMIZERS[name])
    batches = [[0, 3, 3, 7], [11, 0, 5], [2, 2], [7, 8, 9, 10, 11]]
    runs = [_steps(tf.Session(), ids, loss, train, batches),
            _steps(tf.Session(config=_NO_COMMIT), ids, loss, train, batches),
            _steps(tf.Session(optimize=False), ids, loss, train, batches)]
    with tf.Session() as sess:
        plan = sess.compiled_plan([loss, train], {ids: [0]})
    assert [r.rewrites for r in plan.reports if r.name == "commit_phase"] != [0]
    for losses, variables in runs[1:]:
        assert np.array(losses).tobytes() == np.array(runs[0][0]).tobytes()
        assert variables.keys() == runs[0][1].keys()
        for key, value in variables.items():
            assert value.tobytes() == runs[0][1][key].tobytes(), key


def _snapshot(sess):
    return {key: value.copy() for key, value in sess._state.values.items()}


def _assert_unchanged(sess, snapshot):
    assert sess._state.values.keys() == snapshot.keys()
    for key, value in snapshot.items():
        assert sess._state.values[key].tobytes() == value.tobytes(), key


def _commit_block(sess, fetches, feed):
    """The names committed at the end of the plan of ``fetches``."""
    plan = sess.compiled_plan(fetches, feed)
    return [n.name for n in plan.program.nodes if n.origin == "commit phase: commit"]


def _failing_cases():
    """name -> build(train) -> (an op scheduled after ``train``'s updates, its good and
    its bad feeds by placeholder name): the op fails on the bad feed."""
    def bad_feed_shape(train):
        z = tf.placeholder(tf.float32, [None], name="z")
        with tf.control_dependencies([train]):
            return tf.reshape(z, [2, 2]), {"z": np.ones(4, np.float32)}, \
                {"z": np.ones(5, np.float32)}

    def check_numerics(train):
        z = tf.placeholder(tf.float32, [None], name="z")
        with tf.control_dependencies([train]):
            return (tf.debugging.check_numerics(z, "z is not finite"),
                    {"z": np.ones(2, np.float32)}, {"z": np.array([1.0, np.nan], np.float32)})

    def assertion(train):
        z = tf.placeholder(tf.float32, [None], name="z")
        with tf.control_dependencies([train]):
            return (tf.Assert(tf.reduce_all(z > 0), ["z must be positive"]),
                    {"z": np.ones(2, np.float32)}, {"z": -np.ones(2, np.float32)})

    def index_out_of_range(train):
        counts = tf.Variable(np.zeros(12, np.float32), name="counts")
        hit = tf.placeholder(tf.int32, [None], name="hit")
        with tf.control_dependencies([train]):
            return (tf.scatter_add(counts, hit, 1.0), {"hit": np.array([1, 1])},
                    {"hit": np.array([1, 12])})
    return {"bad_feed_shape": bad_feed_shape, "check_numerics": check_numerics,
            "assert": assertion, "index_out_of_range": index_out_of_range}


_FAILING = _failing_cases()


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("case", sorted(_FAILING))
def test_a_run_failing_before_the_commit_block_leaves_every_variable_as_it_was(optimizer,
                                                                                 case):
    ids, loss, train = _model(OPTIMIZERS[optimizer])
    later, good, bad = _FAILING[case](train)  # scheduled after the updates
    graph = tf.get_default_graph()

    def feed(extra, batch=(0, 3, 3)):
        return {ids: list(batch), **{graph.get_tensor_by_name(k + ":0"): v
                                     for k, v in extra.items()}}
    fetches = [loss, train, later]
    with tf.Session() as sess, tf.Session(config=_NO_COMMIT) as reference:
        for s in (sess, reference):
            s.run(tf.global_variables_initializer())
            s.run(fetches, feed(good))  # the variables' arrays are the session's own now
        # every update moved to the commit block: the failure comes before all of them
        expected = {"sgd": 2, "momentum": 2, "adam": 4}[optimizer] + \
            (case == "index_out_of_range")
        assert len(_commit_block(sess, fetches, feed(good))) == expected
        before = _snapshot(sess)
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(fetches, feed(bad, batch=(1, 2, 11)))
        _assert_unchanged(sess, before)
        # and the next good run continues exactly as if the failed one never happened
        for s in (sess, reference):
            s.run(fetches, feed(good, batch=(4, 5)))
        reference_values = _snapshot(reference)
        _assert_unchanged(sess, reference_values)


def _adam_peak_bytes(vocab: int, dim: int = 32, batch: int = 512) -> int:
    """tracemalloc's peak during one step of TF1's sparse Adam on a vocab × dim table
    (after two warm-up steps, the first of which makes the arrays the session's own)."""
    graph = tf.Graph()
    with graph.as_default():
        table = tf.get_variable("table", [vocab, dim], tf.float32,
                                initializer=tf.random_normal_initializer(seed=1))
        w = tf.get_variable("w", [dim, 10], tf.float32,
                            initializer=tf.random_normal_initializer(seed=2))
        ids = tf.placeholder(tf.int32, [batch])
        label = tf.placeholder(tf.int32, [1])
        summed = tf.reduce_sum(tf.nn.embedding_lookup(table, ids), axis=0, keepdims=True)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=label, logits=tf.matmul(summed, w)))
        train = tf.train.AdamOptimizer(0.01).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            step = sess.make_callable(train, [ids, label])
            rows = np.random.RandomState(0).randint(0, vocab, batch).astype(np.int32)
            for _ in range(2):
                step(rows, [3])
            tracemalloc.start()
            try:
                step(rows, [3])
                return tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()


def test_a_sparse_adam_step_needs_memory_of_its_batch_not_of_its_table():
    small, large = _adam_peak_bytes(20_000), _adam_peak_bytes(200_000)
    table = 200_000 * 32 * 4
    # one table-sized temporary would be 24 MiB; the step's own arrays are ~0.5 MiB
    assert large < table / 16
    assert large < 1.5 * small + 256 * 1024

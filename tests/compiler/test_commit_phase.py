"""The commit phase pass: writers split into a prepare left in place and a commit moved to
one block at the end of the plan, and the cases where a writer keeps its one-piece
kernel (something after it reads what it writes)."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.compiler.passes import commit_phase
from staticgraph.core.registry import get_op_def

PREPARE, COMMIT = "commit phase: prepare", "commit phase: commit"


@pytest.fixture(autouse=True)
def _split_every_writer(monkeypatch):
    """Small variables keep their one-piece kernels by default (``SMALL``); these tests
    use small ones to see every split."""
    monkeypatch.setattr(commit_phase, "SMALL", 0)


def _model(optimizer):
    """An embedding (sparse gradient) and a dense layer, trained by ``optimizer``."""
    rng = np.random.RandomState(0)
    table = tf.Variable(rng.randn(20, 3).astype(np.float32), name="table")
    w = tf.Variable(rng.randn(3, 2).astype(np.float32), name="w")
    ids = tf.placeholder(tf.int32, [None], name="ids")
    loss = tf.reduce_mean(tf.square(tf.matmul(tf.nn.embedding_lookup(table, ids), w)))
    return table, w, ids, loss, optimizer.minimize(loss)


def _split(plan):
    """(names of the prepare nodes, names of the commit nodes), in plan order."""
    nodes = plan.program.nodes
    return ([n.name for n in nodes if n.origin == PREPARE],
            [n.name for n in nodes if n.origin == COMMIT])


def test_adam_updates_move_to_one_block_at_the_end_in_their_order():
    table, w, ids, loss, train = _model(tf.train.AdamOptimizer(0.1))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        plan = sess.compiled_plan([loss, train], {ids: [1, 2]})
    nodes = plan.program.nodes
    prepares, commits = _split(plan)
    assert commits == ["Adam/update_table/SparseApplyAdam", "Adam/update_w/ApplyAdam",
                       "Adam/Assign", "Adam/Assign_1"]  # TF1's beta-power updates last
    assert prepares == commits
    assert [n.origin for n in nodes[-4:]] == [COMMIT] * 4
    # the prepares stay where the updates were: before the train op's NoOp
    last_prepare = max(k for k, n in enumerate(nodes) if n.origin == PREPARE)
    train_op = next(k for k, n in enumerate(nodes) if n.name == "Adam")
    assert last_prepare < train_op < len(nodes) - 4
    assert [r.rewrites for r in plan.reports if r.name == "commit_phase"] == [4]
    # each commit reads its own prepare's pending value, then (to keep them alive) the
    # inputs the pending value may hold: all but the variable reads
    for commit in nodes[-4:]:
        (source, _), *held = commit.inputs
        assert source.origin == PREPARE and source.name == commit.name
        assert held == source.inputs[get_op_def(commit.type).commit.refs:]


def test_the_pass_can_be_turned_off_by_name():
    table, w, ids, loss, train = _model(tf.train.AdamOptimizer(0.1))
    config = tf.ConfigProto(graph_options=tf.GraphOptions(
        optimizer_options=tf.OptimizerOptions(disabled_passes=("commit_phase",))))
    with tf.Session(config=config) as sess:
        assert _split(sess.compiled_plan(train, {ids: [1]})) == ([], [])


def test_a_later_read_of_the_variable_keeps_that_update_in_one_piece():
    table, w, ids, loss, train = _model(tf.train.GradientDescentOptimizer(0.5))
    with tf.control_dependencies([train]):
        after = tf.identity(w)  # reads w after the update
    results = []
    for optimize in (True, False):
        with tf.Session(optimize=optimize) as sess:
            sess.run(tf.global_variables_initializer())
            results.append(sess.run([after, train], {ids: [1, 2]})[0])
            if optimize:
                plan = sess.compiled_plan([after, train], {ids: [1, 2]})
                assert _split(plan)[1] == ["GradientDescent/update_table/ScatterSub"]
    np.testing.assert_array_equal(*results)


def test_a_later_read_of_the_output_keeps_the_update_in_one_piece():
    c = tf.Variable(1.0, name="c")
    doubled = tf.assign_add(c, 1.0) * 2.0
    counted = tf.assign_add(c, 10.0)  # nothing reads it: it moves
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        plan = sess.compiled_plan([doubled, counted.op])
        # the first update falls back (its output is read) and so the second, which
        # reads c after it, is judged on its own: nothing after it reads c
        assert _split(plan)[1] == ["AssignAdd_1"]
        assert sess.run([doubled, counted.op])[0] == 4.0
        assert sess.run(c) == 12.0


def test_a_view_of_the_variable_fetched_with_the_step_keeps_the_old_value():
    w = tf.Variable(np.arange(3.0, dtype=np.float32), name="w")
    before = tf.identity(w)  # a view of w's array, scheduled before the update
    train = tf.assign_sub(w, [1.0, 1.0, 1.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)  # w's array is the session's own from now on
        fetched, _ = sess.run([before, train])
        np.testing.assert_array_equal(fetched, [-1.0, 0.0, 1.0])
        np.testing.assert_array_equal(sess.run(w), [-2.0, -1.0, 0.0])
        assert _split(sess.compiled_plan([before, train]))[1] == []
        assert _split(sess.compiled_plan(train))[1] == ["AssignSub"]


def test_a_later_op_using_the_session_state_otherwise_keeps_every_update_in_one_piece():
    table, w, ids, loss, train = _model(tf.train.AdamOptimizer(0.1))
    with tf.control_dependencies([train]):
        noise = tf.random.uniform([2], seed=1)  # may read anything: a barrier
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert _split(sess.compiled_plan([noise, train], {ids: [1]})) == ([], [])
        assert len(_split(sess.compiled_plan(train, {ids: [1]}))[1]) == 4


def test_function_plans_keep_the_one_piece_kernels():
    v = tf.Variable(0.0, name="v")

    def body(i):
        with tf.control_dependencies([tf.assign_add(v, 1.0)]):
            return i + 1
    loop = tf.while_loop(lambda i: i < 3, body, [0])
    with tf.control_dependencies([loop]):
        bump = tf.assign_add(v, 100.0)  # after the loop: may move
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(bump.op)
        assert sess.run(v) == 103.0
        function_plans = [plan for _, plan in sess._state._functions.values()]
        assert any(n.type == "AssignAdd" for plan in function_plans  # the body's
                   for n in plan.program.nodes)
        assert all(_split(plan) == ([], []) for plan in function_plans)
        assert _split(sess.compiled_plan(bump.op))[1] == [bump.op.name]
        # a fetched output of the loop may be a view of any variable: nothing moves
        assert _split(sess.compiled_plan([loop, bump.op])) == ([], [])


@pytest.mark.parametrize("writer", ["assign", "scatter"])
def test_two_writers_of_one_variable_the_first_keeps_its_kernel(writer):
    v = tf.Variable(np.zeros(4, np.float32), name="v")
    if writer == "assign":
        first, second = tf.assign(v, tf.ones(4)), tf.assign_add(v, tf.ones(4))
    else:
        first = tf.scatter_update(v, [1], [5.0])
        second = tf.scatter_add(v, [1, 1], [1.0, 2.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        plan = sess.compiled_plan([first.op, second.op])
        assert _split(plan)[1] == [second.op.name]
        sess.run(first)
        sess.run(second)
        expected = sess.run(v)
        sess.run(tf.global_variables_initializer())
        sess.run([first.op, second.op])
        np.testing.assert_array_equal(sess.run(v), expected)


def test_by_default_only_variables_above_the_small_size_are_split(monkeypatch):
    monkeypatch.undo()  # the module's own SMALL
    small = tf.Variable(np.zeros(commit_phase.SMALL, np.float32), name="small")
    large = tf.Variable(np.zeros(commit_phase.SMALL + 1, np.float32), name="large")
    unknown = tf.Variable(np.zeros(3, np.float32), name="unknown", validate_shape=False)
    bumps = [tf.assign_add(v, tf.ones_like(v)).op for v in (small, large, unknown)]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert _split(sess.compiled_plan(bumps))[1] == [b.name for b in bumps[1:]]
        sess.run(bumps)
        assert [sess.run(v).sum() for v in (small, large, unknown)] == \
            [commit_phase.SMALL, commit_phase.SMALL + 1, 3]


def test_a_fetched_output_of_a_split_writer_is_a_copy():
    v = tf.Variable(np.zeros(3, np.float32), name="v")
    bump = tf.assign_add(v, [1.0, 2.0, 3.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert _split(sess.compiled_plan(bump))[1] == [bump.op.name]
        first = sess.run(bump)
        second = sess.run(bump)
        np.testing.assert_array_equal(first, [1.0, 2.0, 3.0])
        np.testing.assert_array_equal(second, [2.0, 4.0, 6.0])
        assert not np.shares_memory(second, sess._state.values["v"])


def test_a_later_op_cannot_write_in_place_into_what_a_commit_still_needs():
    """The gradient a prepare keeps lives until its commit: an elementwise op after the
    update, its last other reader, must not reuse its buffer."""
    x = tf.placeholder(tf.float64, [4, 3])
    feed = {x: np.arange(12.0).reshape(4, 3)}
    w = tf.Variable(np.ones((3, 2)), name="w")
    grad, = tf.gradients(tf.reduce_sum(tf.matmul(x, w)), [w])
    train = tf.train.GradientDescentOptimizer(0.5).apply_gradients([(grad, w)])
    later = tf.reduce_sum(grad * 2.0)  # reads the gradient after the update
    results, plans = [], []
    for config in (None, tf.ConfigProto(graph_options=tf.GraphOptions(
            optimizer_options=tf.OptimizerOptions(disabled_passes=("commit_phase",))))):
        with tf.Session(config=config) as sess:
            sess.run(tf.global_variables_initializer())
            results.append((sess.run([later, train], feed)[0], sess.run(w)))
            plans.append(sess.compiled_plan([later, train], feed))
    assert len(_split(plans[0])[1]) == 1 and not plans[0].generated.memory.inplace
    assert _split(plans[1]) == ([], []) and plans[1].generated.memory.inplace
    np.testing.assert_array_equal(results[0][0], results[1][0])
    np.testing.assert_array_equal(results[0][1], results[1][1])


def test_a_plan_without_writers_is_left_without_a_walk(monkeypatch):
    x = tf.placeholder(tf.float32, [3], name="x")
    w = tf.Variable(np.ones(3, np.float32), name="w")
    y = tf.reduce_sum(tf.sin(x) * w)

    def no_walk(nodes):
        raise AssertionError("the pass walked a plan that has no writer")

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        monkeypatch.setattr(commit_phase, "_aliases", no_walk)
        plan = sess.compiled_plan(y, {x: [1, 2, 3]})
        assert sess.run(y, {x: [1, 2, 3]}) == pytest.approx(np.sin([1, 2, 3]).sum())
    assert [r.rewrites for r in plan.reports if r.name == "commit_phase"] == [0]

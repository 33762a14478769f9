import collections

import numpy as np
import pytest

import staticgraph as tf


def _readme_graph():
    x = tf.placeholder(tf.float32, shape=[None, 3], name="x")
    W = tf.Variable(np.ones((3, 2), np.float32), name="W")
    with tf.name_scope("layer1"):
        y = tf.matmul(x, W) + 1.0
    return x, W, y


def test_fetch_structures_are_preserved():
    x, W, y = _readme_graph()
    Pair = collections.namedtuple("Pair", "a b")
    with tf.Session() as sess:
        assert sess.run(tf.global_variables_initializer()) is None
        feed = {x: np.ones((4, 3))}
        out = sess.run({"y": y, "both": [W, (y, W)], "nt": Pair(W, y)}, feed_dict=feed)
    np.testing.assert_array_equal(out["y"], np.full((4, 2), 4.0, np.float32))
    assert isinstance(out["both"], list) and isinstance(out["both"][1], tuple)
    np.testing.assert_array_equal(out["both"][0], np.ones((3, 2)))
    assert isinstance(out["nt"], Pair)
    assert out["y"].dtype == np.float32


def test_fetch_by_name_and_feed_by_name():
    x, W, y = _readme_graph()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run("layer1/add:0", feed_dict={"x:0": np.zeros((1, 3))})
    np.testing.assert_array_equal(out, [[1.0, 1.0]])


def test_scalar_fetches_are_numpy_scalars():
    with tf.Session() as sess:
        value = sess.run(tf.constant(2.5) * 2.0)
    assert isinstance(value, np.float32) and value == 5.0


def test_feeding_an_intermediate_overrides_it():
    a = tf.placeholder(tf.float32, [], name="a")
    b = a * 2.0
    c = b + 1.0
    with tf.Session() as sess:
        assert sess.run(c, {b: 10.0}) == 11.0  # a need not be fed


def test_missing_feed_names_the_placeholder():
    x, W, y = _readme_graph()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"placeholder tensor 'x'.*\[\?,3\]"):
            sess.run(y)


def test_wrong_feed_shape_names_placeholder_and_shapes():
    x, W, y = _readme_graph()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(ValueError, match=r"shape \(4, 2\).*'x:0'.*\(\?, 3\)"):
            sess.run(y, {x: np.ones((4, 2))})


def test_feed_values_are_converted_to_the_placeholder_dtype():
    x = tf.placeholder(tf.float32, [2])
    with tf.Session() as sess:
        out = sess.run(x * 1.0, {x: [1, 2]})
    assert out.dtype == np.float32


def test_uninitialized_variable_is_named():
    v = tf.Variable(np.zeros(2, np.float32), name="weights")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="weights"):
            sess.run(v * 2.0)


def test_sessions_are_independent():
    v = tf.Variable(1.0, name="v")
    inc = v.assign_add(1.0)
    s1, s2 = tf.Session(), tf.Session()
    s1.run(v.initializer)
    s2.run(v.initializer)
    s1.run(inc)
    s1.run(inc)
    assert s1.run(v) == 3.0 and s2.run(v) == 1.0
    s1.close()
    s2.close()


def test_failed_run_leaves_variables_unchanged():
    v = tf.Variable(np.ones(3), name="v")
    x = tf.placeholder(tf.float64, [None, None], name="x")
    step = v.assign_add(np.ones(3))
    with tf.control_dependencies([step]):
        bad = tf.matmul(x, x)  # fails at run time for a non-square feed
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError) as err:
            sess.run(bad, {x: np.ones((2, 3))})
        np.testing.assert_array_equal(sess.run(v), np.ones(3))
        sess.run(step)
        np.testing.assert_array_equal(sess.run(v), 2 * np.ones(3))
    message = str(err.value)
    assert "MatMul" in message and "[2, 3]" in message and __file__ in message


def test_a_plan_writing_only_in_its_last_instruction_keeps_no_undo_record():
    """An SGD step's one write is its last instruction: the run needs no undo record,
    and a run failing in that write (a bad learning-rate feed) or before it (a bad
    feed of the loss) still changes nothing."""
    w = tf.Variable([1.0, 2.0], dtype=tf.float64)
    x = tf.placeholder(tf.float64, [None])
    rate = tf.placeholder(tf.float64, None)
    loss = tf.reduce_sum(w * w * tf.reduce_sum(x))
    step = tf.train.GradientDescentOptimizer(rate).minimize(loss)
    counter = tf.Variable(0.0, dtype=tf.float64)
    with tf.control_dependencies([step]):
        count = counter.assign_add(1.0)  # a second write after the first
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.compiled_plan(step, {x: [1.0], rate: 0.1}).writes_only_last
        assert not sess.compiled_plan(count, {x: [1.0], rate: 0.1}).writes_only_last
        sess.run(step, {x: [1.0], rate: 0.1})
        np.testing.assert_array_equal(sess.run(w), [0.8, 1.6])
        seen = []
        state = sess._state
        original = state.assign
        state.assign = lambda key, value: seen.append(state.current_run.undo) or \
            original(key, value)
        sess.run(step, {x: [1.0], rate: 0.1})
        assert seen == [None]  # the write kept no undo record
        for bad in ({x: [[1.0]], rate: 0.1}, {x: [1.0], rate: [0.1, 0.2]}):
            with pytest.raises((tf.errors.InvalidArgumentError, ValueError)):
                sess.run(step, bad)
            np.testing.assert_allclose(sess.run(w), [0.64, 1.28])


def test_read_after_assign_sees_new_value():
    v = tf.Variable(1.0)
    assign = tf.assign(v, 5.0)
    with tf.control_dependencies([assign]):
        after = tf.identity(v)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(after) == 5.0


def test_fetched_variable_value_is_a_copy():
    v = tf.Variable(np.zeros(2))
    with tf.Session() as sess:
        sess.run(v.initializer)
        value = sess.run(v)
        value += 1
        np.testing.assert_array_equal(sess.run(v), np.zeros(2))


def test_plans_are_cached_per_fetch_and_feed():
    x, W, y = _readme_graph()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(y, {x: np.ones((2, 3))})
        n = len(sess._plans)
        sess.run(y, {x: np.ones((5, 3))})
        assert len(sess._plans) == n


def test_make_callable():
    x, W, y = _readme_graph()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        f = sess.make_callable(y, feed_list=[x])
        np.testing.assert_array_equal(f(np.ones((1, 3))), [[4.0, 4.0]])
        g = sess.make_callable([y, W], feed_list=["x:0"])
        out = g(np.zeros((1, 3)))
        assert isinstance(out, list) and out[0].tolist() == [[1.0, 1.0]]


def test_default_session_eval_and_run():
    v = tf.Variable(2.0)
    sess = tf.Session()
    with sess.as_default():
        v.initializer.run()
        assert (v * 3.0).eval() == 6.0
        assert v.eval() == 2.0
        assert tf.get_default_session() is sess
    assert tf.get_default_session() is None
    with pytest.raises(ValueError, match="default session"):
        v.eval()


def test_interactive_session_is_default():
    c = tf.constant(4.0)
    sess = tf.InteractiveSession()
    try:
        assert c.eval() == 4.0
    finally:
        sess.close()
    assert tf.get_default_session() is None


def test_closed_session_and_foreign_graph():
    c = tf.constant(1.0)
    sess = tf.Session()
    sess.close()
    with pytest.raises(RuntimeError, match="closed"):
        sess.run(c)
    other = tf.Graph()
    with other.as_default():
        d = tf.constant(2.0)
    with tf.Session() as s2:
        with pytest.raises(ValueError, match="not an element of this graph"):
            s2.run(d)


def test_placeholder_with_default():
    d = tf.placeholder_with_default(np.float32(3.0), shape=[])
    y = d * 2.0
    with tf.Session() as sess:
        assert sess.run(y) == 6.0
        assert sess.run(y, {d: 1.0}) == 2.0


def test_only_needed_ops_run():
    v = tf.Variable(0.0)
    inc = v.assign_add(1.0)
    unrelated = tf.constant(1.0) + 1.0
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(unrelated)
        assert sess.run(v) == 0.0


def test_group_runs_all():
    a = tf.Variable(0.0)
    b = tf.Variable(0.0)
    step = tf.group(a.assign_add(1.0), b.assign_add(2.0))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(step) is None
        assert sess.run([a, b]) == [1.0, 2.0]


def test_finalized_graph_still_runs():
    x, W, y = _readme_graph()
    init = tf.global_variables_initializer()
    tf.get_default_graph().finalize()
    with tf.Session() as sess:
        sess.run(init)
        sess.run(y, {x: np.ones((1, 3))})
        with pytest.raises(RuntimeError, match="finalized"):
            y + 1.0

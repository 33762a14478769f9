"""The Optimizer base class: gradients, apply_gradients, global step, ordering, rollback."""
import numpy as np
import pytest

import staticgraph as tf

ALL_OPTIMIZERS = {
    "sgd": lambda: tf.train.GradientDescentOptimizer(0.1),
    "momentum": lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    "adam": lambda: tf.train.AdamOptimizer(0.1),
    "rmsprop": lambda: tf.train.RMSPropOptimizer(0.1, momentum=0.5, centered=True),
    "adagrad": lambda: tf.train.AdagradOptimizer(0.1),
}


def _values(sess):
    return {v.op.name: sess.run(v) for v in tf.global_variables()}


def test_compute_gradients_pairs_with_none_for_unconnected_variables():
    w = tf.Variable(np.array([1.0, 2.0], np.float32), name="w")
    unused = tf.Variable(np.float32(5.0), name="unused")
    pairs = tf.train.GradientDescentOptimizer(0.1).compute_gradients(tf.square(w))
    assert [v for _, v in pairs] == [w, unused]
    assert pairs[1][0] is None
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(pairs[0][0]), [2.0, 4.0])


def test_minimize_skips_unconnected_variables():
    w = tf.Variable(np.array([1.0, 2.0], np.float32), name="w")
    unused = tf.Variable(np.float32(5.0), name="unused")
    train = tf.train.AdamOptimizer(0.1).minimize(tf.square(w))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        assert sess.run(unused) == 5.0
        assert not np.allclose(sess.run(w), [1.0, 2.0])


def test_minimize_without_any_gradient_is_an_error():
    tf.Variable(np.float32(1.0), name="w")
    c = tf.constant(3.0)
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        tf.train.GradientDescentOptimizer(0.1).minimize(tf.square(c))


def test_no_variables_to_optimize():
    with pytest.raises(ValueError, match="No variables to optimize"):
        tf.train.GradientDescentOptimizer(0.1).minimize(tf.square(tf.constant(2.0)))


def test_integer_loss_or_variable_is_rejected():
    w = tf.Variable(np.float32(1.0))
    with pytest.raises(ValueError, match="Invalid type int32"):
        tf.train.GradientDescentOptimizer(0.1).minimize(tf.constant(3), var_list=[w])


def test_apply_gradients_errors():
    w = tf.Variable(np.float32(1.0), name="w")
    opt = tf.train.GradientDescentOptimizer(0.1)
    with pytest.raises(ValueError, match="No variables provided"):
        opt.apply_gradients([])
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        opt.apply_gradients([(None, w)])
    with pytest.raises(TypeError, match="tf.Variable"):
        opt.apply_gradients([(tf.constant(1.0), tf.constant(2.0))])
    with pytest.raises(ValueError, match="gate_gradients"):
        opt.compute_gradients(tf.square(w), gate_gradients=7)


def test_apply_gradients_with_modified_gradients_and_global_step():
    w = tf.Variable(np.array([1.0, -1.0], np.float32), name="w")
    step = tf.train.get_or_create_global_step()
    opt = tf.train.GradientDescentOptimizer(0.5)
    pairs = opt.compute_gradients(tf.square(w))
    train = opt.apply_gradients([(g * 0.5, v) for g, v in pairs], global_step=step)
    assert train.name == "GradientDescent" and train.type == "AssignAdd"
    assert train in tf.get_collection(tf.GraphKeys.TRAIN_OP)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(1, 3):
            sess.run(train)
            assert sess.run(step) == i
        np.testing.assert_allclose(sess.run(w), [0.25, -0.25])  # w ← w − 0.5·(0.5·2w)


def test_global_step_is_incremented_after_the_updates():
    w = tf.Variable(np.float32(1.0))
    step = tf.train.get_or_create_global_step()
    train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.square(w), global_step=step)
    update = tf.get_default_graph().get_operation_by_name("GradientDescent/update")
    assert update in train.control_inputs


def test_every_gradient_sees_the_values_from_before_the_step():
    a = tf.Variable(np.float32(2.0), name="a")
    b = tf.Variable(np.float32(3.0), name="b")
    train = tf.train.GradientDescentOptimizer(0.1).minimize(a * b)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        assert sess.run(a) == np.float32(2.0) - np.float32(0.1) * np.float32(3.0)
        assert sess.run(b) == np.float32(3.0) - np.float32(0.1) * np.float32(2.0)


def test_gate_graph_and_grad_loss():
    w = tf.Variable(np.array([1.0, 2.0], np.float32))
    opt = tf.train.GradientDescentOptimizer(1.0)
    pairs = opt.compute_gradients(tf.square(w), gate_gradients=opt.GATE_GRAPH,
                                  grad_loss=tf.constant([1.0, 0.5]))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(pairs[0][0]), [2.0, 2.0])


def test_minimize_name_and_variable_constraint():
    w = tf.Variable(np.array([1.0, -1.0], np.float32),
                    constraint=lambda v: tf.maximum(v, 0.0))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(-w * 3.0, name="train")
    assert train.name == "train"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        np.testing.assert_allclose(sess.run(w), [1.3, 0.0], rtol=1e-6)


def _failing_after(train, w):
    """Fetches that run after ``train`` and fail for the given feed: (fetch, feed, good)."""
    x = tf.placeholder(tf.float32, [None, None], name="x")
    scale = tf.placeholder(tf.float32, [], name="scale")
    with tf.control_dependencies([train]):
        product = tf.matmul(x, w)  # fails on a feed of the wrong inner size
        checked = tf.check_numerics(w * scale, "scaled weights")  # fails on a NaN
    return {"matmul": (product, {x: np.ones((3, 5), np.float32)},
                       {x: np.ones((1, 2), np.float32)}),
            "nan": (checked, {scale: np.float32("nan")}, {scale: np.float32(2.0)})}


@pytest.mark.parametrize("failure", ["matmul", "nan"])
@pytest.mark.parametrize("name", sorted(ALL_OPTIMIZERS))
def test_failed_run_changes_no_variable(name, failure):
    w = tf.Variable(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32), name="w")
    step = tf.train.get_or_create_global_step()
    train = ALL_OPTIMIZERS[name]().minimize(tf.square(w), global_step=step)
    fetch, bad_feed, good_feed = _failing_after(train, w)[failure]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        before = _values(sess)
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(fetch, bad_feed)
        after = _values(sess)
        assert after.keys() == before.keys() and len(after) >= 2
        for key in before:
            np.testing.assert_array_equal(after[key], before[key], err_msg=key)
        sess.run(fetch, good_feed)  # the same step works when the feed is valid
        assert sess.run(step) == 2


def test_updates_write_in_place_only_into_arrays_the_session_owns(monkeypatch):
    """The commit phase writes the variables' arrays in place, but never an array
    someone else holds: the initial value (a graph constant the initializer shares), a
    loaded array, or a value fetched before the step."""
    from staticgraph.compiler.passes import commit_phase
    monkeypatch.setattr(commit_phase, "SMALL", 0)  # split even these small variables
    initial = np.array([1.0, 2.0], np.float32)
    w = tf.Variable(initial, name="w")
    train = tf.train.AdamOptimizer(0.1).minimize(tf.square(w))
    loaded = np.array([3.0, 4.0], np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        shared = dict(sess._state.values)  # the initializers' graph constants
        copies = {key: value.copy() for key, value in shared.items()}
        sess.run(train)
        fetched = sess.run(w)
        before = fetched.copy()
        owned = sess._state.values["w"]
        sess.run(train)
        assert sess._state.values["w"] is owned  # written in place from the second step
        np.testing.assert_array_equal(fetched, before)
        assert not np.array_equal(owned, before)
        w.load(loaded, sess)
        sess.run(train)
        np.testing.assert_array_equal(loaded, [3.0, 4.0])
        assert len(shared) >= 5  # w, its two slots, the two beta powers
        for key, value in shared.items():
            np.testing.assert_array_equal(value, copies[key], err_msg=key)
        np.testing.assert_array_equal(shared["w"], initial)

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case

rng = np.random.RandomState(0)

GRADIENT_CASES = [
    GradCase("Identity", lambda x: tf.identity(x) * x, [rng.randn(2, 3)], order=2),
    GradCase("IdentityN", lambda x, y: tf.identity_n([x, y])[0] * tf.identity_n([x, y])[1],
             [rng.randn(3), rng.randn(3)], order=2),
    GradCase("PlaceholderWithDefault",
             lambda x: tf.sin(tf.placeholder_with_default(x, shape=[None, 2])),
             [rng.randn(3, 2)]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradient(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


def test_identity_n_passes_values_through():
    a, b = tf.constant([1.0, 2.0]), tf.constant(3)
    ia, ib = tf.identity_n([a, b])
    assert ia.op is ib.op and ia.op.type == "IdentityN"
    with tf.Session() as sess:
        va, vb = sess.run([ia, ib])
    np.testing.assert_array_equal(va, [1.0, 2.0])
    assert vb == 3 and vb.dtype == np.int32


def test_placeholder_with_default_shape_must_be_compatible():
    with pytest.raises(ValueError, match="incompatible"):
        tf.placeholder_with_default(np.zeros((2, 2), np.float32), shape=[3])


def test_assign_checks_dtype_and_shape_at_build_time():
    v = tf.Variable(np.zeros(3, np.float32), name="v")
    with pytest.raises(ValueError, match="float64"):
        tf.assign(v, tf.constant(np.zeros(3, np.float64)))
    with pytest.raises(ValueError, match=r"shape \(4,\).*v"):
        tf.assign(v, np.zeros(4, np.float32))


def test_assign_without_shape_validation_changes_shape():
    v = tf.Variable(np.zeros(3, np.float32), name="v", validate_shape=True)
    grow = tf.assign(v, np.zeros(5, np.float32), validate_shape=False)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(grow).shape == (5,)
        assert sess.run(v).shape == (5,)


def test_assign_add_and_sub():
    v = tf.Variable(np.array([1.0, 2.0]))
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(tf.assign_add(v, [1.0, 1.0])), [2.0, 3.0])
        np.testing.assert_array_equal(sess.run(tf.assign_sub(v, [2.0, 2.0])), [0.0, 1.0])


def test_variable_properties():
    v = tf.Variable(np.ones((2, 3), np.float32), name="w", trainable=False)
    assert v.name == "w:0" and v.op.name == "w"
    assert v.shape.as_list() == [2, 3] and v.dtype == tf.float32
    assert v.initializer.name == "w/Assign"
    assert v.initial_value.op.type == "Const"
    assert v.read_value().op.type == "Identity"
    assert v not in tf.trainable_variables() and v in tf.global_variables()
    with tf.Session() as sess:
        sess.run(tf.variables_initializer([v]))
        np.testing.assert_array_equal(sess.run(v.value()), np.ones((2, 3)))
        v.load(np.zeros((2, 3)), sess)
        np.testing.assert_array_equal(sess.run(v), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="initial_value"):
        tf.Variable()


def test_variable_from_callable_and_tensor():
    a = tf.Variable(lambda: tf.constant([1.0, 2.0]), name="a")
    b = tf.Variable(a.initial_value * 2.0, name="b")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(b), [2.0, 4.0])


def test_tuple_waits_for_all():
    a, b = tf.constant(1.0), tf.constant(2.0)
    ta, tb = tf.tuple([a, b])
    assert ta.op.type == "Identity" and ta.op.control_inputs


def test_initialized_value_matches_the_other_variables_value():
    a = tf.Variable(tf.random_normal([3], seed=1), name="a")
    b = tf.Variable(a.initialized_value() * 2.0, name="b")
    with tf.Session() as sess:
        assert not sess.run(tf.is_variable_initialized(a))
        sess.run(tf.global_variables_initializer())
        va, vb = sess.run([a, b])
        assert sess.run(tf.is_variable_initialized(a))
    np.testing.assert_allclose(vb, 2 * va)


def test_initialized_value_reads_an_initialized_variable():
    a = tf.Variable(np.array([1.0, 2.0]), name="a")
    doubled = a.initialized_value() * 2.0
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(doubled), [2.0, 4.0])  # from the initial value
        sess.run(a.assign([5.0, 5.0]))
        np.testing.assert_array_equal(sess.run(doubled), [10.0, 10.0])


def test_an_initial_constant_is_stored_once_and_never_written():
    w0 = np.arange(6.0).reshape(2, 3)
    w = tf.Variable(w0)
    step = tf.assign_sub(w, tf.ones_like(w))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(tf.reduce_sum(w * w))
    with tf.Session() as sess:
        sess.run(w.initializer)
        constant = w.initial_value.op.get_attr("value")
        stored = sess._state.values[w.op.get_attr("var_key")]
        assert stored is constant  # no second copy of the weights
        fetched = sess.run(w)
        assert fetched.flags.writeable and not np.shares_memory(fetched, constant)
        sess.run([step, train])
        np.testing.assert_array_equal(constant, w0)  # updates made new arrays
        sess.run(w.initializer)
        np.testing.assert_array_equal(sess.run(w), w0)


def test_a_fed_value_is_copied_into_the_variable():
    w = tf.Variable(np.zeros(3))
    value = tf.placeholder(tf.float64, [3])
    assign = tf.assign(w, value)
    fed = np.ones(3)
    with tf.Session() as sess:
        sess.run(assign, {value: fed})
        fed[:] = 7.0  # the caller's array is theirs to change
        np.testing.assert_array_equal(sess.run(w), np.ones(3))


def test_a_read_only_view_of_a_fed_value_is_copied_too():
    w = tf.Variable(np.zeros((2, 3)))
    row = tf.placeholder(tf.float64, [3])
    assign = tf.assign(w, tf.broadcast_to(row, [2, 3]))  # a read-only view of the feed
    fed = np.ones(3)
    with tf.Session() as sess:
        sess.run(assign, {row: fed})
        fed[:] = 7.0
        np.testing.assert_array_equal(sess.run(w), np.ones((2, 3)))

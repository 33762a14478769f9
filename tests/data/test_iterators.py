"""tf.data iterators: one-shot, initializable (fed placeholders), reinitializable, feedable."""
import numpy as np
import pytest

import staticgraph as tf
from tests.data.helpers import drain


def test_initializable_iterator_fed_by_placeholders_restarts():
    x = tf.placeholder(tf.float32, [None, 2])
    it = tf.data.Dataset.from_tensor_slices(x).batch(2).make_initializable_iterator()
    nxt = it.get_next()
    assert nxt.shape.as_list() == [None, 2]
    with tf.Session() as sess:
        sess.run(it.initializer, {x: np.ones((3, 2))})
        assert [b.shape[0] for b in drain(sess, nxt)] == [2, 1]
        sess.run(it.initializer, {x: np.zeros((4, 2))})
        assert [b.sum() for b in drain(sess, nxt)] == [0, 0]


def test_uninitialized_iterator_is_a_failed_precondition_naming_it():
    it = tf.data.make_initializable_iterator(tf.data.Dataset.range(2))
    with tf.Session() as sess, pytest.raises(tf.errors.FailedPreconditionError,
                                             match="initializ"):
        sess.run(it.get_next())


def test_one_shot_iterator_refuses_placeholders():
    x = tf.placeholder(tf.float32, [3])
    with pytest.raises(ValueError, match="make_initializable_iterator"):
        tf.data.Dataset.from_tensors(x).make_one_shot_iterator()
    with pytest.raises(ValueError, match="no initializer"):
        _ = tf.data.Dataset.range(2).make_one_shot_iterator().initializer


def test_reinitializable_iterator_switches_datasets():
    train = tf.data.Dataset.range(5).map(lambda v: v * 10)
    valid = tf.data.Dataset.range(2)
    it = tf.data.Iterator.from_structure(train.output_types, train.output_shapes)
    to_train, to_valid = it.make_initializer(train), it.make_initializer(valid)
    nxt = it.get_next()
    with tf.Session() as sess:
        sess.run(to_train)
        assert sess.run(nxt) == 0 and sess.run(nxt) == 10
        sess.run(to_valid)
        assert drain(sess, nxt) == [0, 1]
        sess.run(to_train)
        assert drain(sess, nxt) == [0, 10, 20, 30, 40]
    with pytest.raises(TypeError, match="do not match"):
        it.make_initializer(tf.data.Dataset.from_tensors(np.zeros(2)))


def test_feedable_iterator_reads_the_iterator_whose_handle_is_fed():
    """TF1's pattern: a one-shot training iterator (started by its handle) and an
    initializable validation iterator behind one string placeholder."""
    train = tf.data.Dataset.range(100).map(lambda v: (v, v * 2))
    valid = tf.data.Dataset.range(3).map(lambda v: (-v, v))
    handle = tf.placeholder(tf.string, [])
    feedable = tf.data.Iterator.from_string_handle(handle, train.output_types,
                                                   train.output_shapes)
    first, second = feedable.get_next()
    assert first.dtype == tf.int64 and first.shape.as_list() == []
    train_it, valid_it = train.make_one_shot_iterator(), valid.make_initializable_iterator()
    with tf.Session() as sess:
        train_handle, valid_handle = sess.run([train_it.string_handle(),
                                               valid_it.string_handle()])
        assert isinstance(train_handle, bytes) and train_handle != valid_handle
        assert sess.run([first, second], {handle: train_handle}) == [0, 0]
        sess.run(valid_it.initializer)
        assert drain(sess, first, {handle: valid_handle}) == [0, -1, -2]
        assert sess.run(first, {handle: train_handle}) == 1  # training resumes
        with pytest.raises(tf.errors.InvalidArgumentError, match="names no iterator"):
            sess.run(first, {handle: b"nothing"})
    with pytest.raises(ValueError, match="feedable iterator"):
        feedable.make_initializer(train)


def test_feedable_iterator_refuses_an_iterator_of_other_dtypes():
    handle = tf.placeholder(tf.string, [])
    floats = tf.data.Iterator.from_string_handle(handle, tf.float32).get_next()
    ints = tf.data.Dataset.range(2).make_one_shot_iterator()
    with tf.Session() as sess:
        int_handle = sess.run(ints.string_handle())
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"dtypes \['int64'\]"):
            sess.run(floats, {handle: int_handle})
    with pytest.raises(TypeError, match="must be a string tensor"):
        tf.data.Iterator.from_string_handle(tf.constant(1), tf.float32).get_next()


def test_from_structure_with_nested_shapes():
    it = tf.data.Iterator.from_structure((tf.float32, tf.int64), ([None, 4], [None]))
    image, label = it.get_next()
    assert image.shape.as_list() == [None, 4] and label.dtype == tf.int64


def test_static_shapes_reach_the_graph():
    ds = tf.data.Dataset.from_tensor_slices(np.zeros((6, 4), np.float32)).batch(
        3, drop_remainder=True)
    x = ds.make_one_shot_iterator().get_next()
    y = tf.matmul(x, tf.ones([4, 5]))
    assert y.shape.as_list() == [3, 5]
    with pytest.raises(ValueError):
        tf.matmul(x, tf.ones([3, 5]))


def test_end_of_data_leaves_variables_unchanged():
    nxt = tf.data.Dataset.from_tensor_slices(np.array([1.0, 2.0])).make_one_shot_iterator()
    value = nxt.get_next()
    total = tf.Variable(0.0, dtype=tf.float64)
    counter = tf.Variable(0)
    step = tf.group(tf.assign_add(total, value), tf.assign_add(counter, 1))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        sess.run(step)
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(step)
        assert sess.run([total, counter]) == [3.0, 2]


def test_each_get_next_op_advances_the_same_iterator():
    it = tf.data.Dataset.range(4).make_one_shot_iterator()
    a, b = it.get_next(), it.get_next()
    with tf.Session() as sess:
        assert (sess.run(a), sess.run(b), sess.run(a)) == (0, 1, 2)
        first, second = sess.run([a, a])
        assert first == second == 3  # one op fetched twice runs once

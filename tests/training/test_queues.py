"""Queues, queue runners with real threads, tf.train.batch / shuffle_batch."""
import threading

import numpy as np
import pytest

import staticgraph as tf


def test_fifo_order_size_close_and_errors():
    q = tf.FIFOQueue(5, [tf.int32, tf.float32], shapes=[[], [2]])
    enq = q.enqueue_many([[1, 2, 3], np.ones((3, 2))])
    one = q.dequeue()
    two = q.dequeue_many(2)
    assert two[1].shape.as_list() == [2, 2]
    close = q.close()
    with tf.Session() as sess:
        sess.run(enq)
        assert sess.run(q.size()) == 3
        assert sess.run(one)[0] == 1
        assert list(sess.run(two)[0]) == [2, 3]
        sess.run(enq)
        sess.run(close)
        assert sess.run(q.is_closed())
        with pytest.raises(tf.errors.CancelledError, match="closed"):
            sess.run(enq)
        assert list(sess.run(q.dequeue_up_to(5))[0]) == [1, 2, 3]
        with pytest.raises(tf.errors.OutOfRangeError, match="insufficient"):
            sess.run(one)


def test_padding_queue_pads_to_the_longest():
    q = tf.PaddingFIFOQueue(4, [tf.int64], shapes=[[None]])
    x = tf.placeholder(tf.int64, [None])
    enq = q.enqueue([x])
    batch = q.dequeue_many(2)
    with tf.Session() as sess:
        sess.run(enq, {x: [1]})
        sess.run(enq, {x: [1, 2, 3]})
        np.testing.assert_array_equal(sess.run(batch), [[1, 0, 0], [1, 2, 3]])


def test_random_shuffle_queue_is_a_permutation_and_keeps_a_minimum():
    q = tf.RandomShuffleQueue(20, 5, [tf.int32], seed=3)
    enq = q.enqueue_many([np.arange(10, dtype=np.int32)])
    with tf.Session() as sess:
        sess.run(enq)
        first = sess.run(q.dequeue_many(5))
        assert sess.run(q.size()) == 5
        sess.run(q.close())
        rest = sess.run(q.dequeue_many(5))  # closed: the minimum no longer applies
    assert sorted(np.concatenate([first, rest])) == list(range(10))


def test_blocked_dequeue_is_woken_by_another_thread():
    q = tf.FIFOQueue(2, [tf.float32])
    x = tf.placeholder(tf.float32, [])
    enq, deq = q.enqueue([x]), q.dequeue()
    with tf.Session() as sess:
        got = []
        reader = threading.Thread(target=lambda: got.append(sess.run(deq)))
        reader.start()
        sess.run(enq, {x: 7.0})
        reader.join()
    assert got == [7.0]


def limited_producer(limit):
    """A value enqueued ``limit`` times, then OutOfRangeError from count_up_to."""
    counter = tf.Variable(0, name="epochs", trainable=False,
                          collections=[tf.GraphKeys.LOCAL_VARIABLES])
    count = tf.count_up_to(counter, limit)
    return tf.cast(count, tf.float32) * tf.ones([3])


def test_batch_with_queue_runners_until_the_input_ends():
    value = limited_producer(5)
    (batch,) = tf.train.batch([value], batch_size=2, num_threads=2, capacity=4,
                              allow_smaller_final_batch=False)
    assert batch.shape.as_list() == [2, 3]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        seen = []
        with pytest.raises(tf.errors.OutOfRangeError):
            while True:
                seen.append(sess.run(batch)[:, 0])
        coord.request_stop()
        coord.join(threads)
    # Four distinct counts: the fifth waits for a partner. Which one waits depends on how
    # the two runner threads interleave their enqueues.
    values = np.concatenate(seen)
    assert len(values) == 4 and len(set(values)) == 4 and set(values) <= set(range(5))
    assert not any(t.is_alive() for t in threads)


def test_shuffle_batch_in_a_monitored_session_leaves_no_thread():
    value = limited_producer(12)
    batch = tf.train.shuffle_batch({"v": value}, batch_size=4, capacity=10,
                                   min_after_dequeue=3, seed=1,
                                   allow_smaller_final_batch=True)
    before = threading.active_count()
    seen = []
    with tf.train.MonitoredSession() as sess:
        while not sess.should_stop():
            seen.append(sess.run(batch)["v"][:, 0])
    assert sorted(np.concatenate(seen)) == list(range(12))
    assert threading.active_count() == before


def test_stopping_wakes_runners_blocked_on_a_full_queue():
    q = tf.FIFOQueue(1, [tf.float32])
    tf.train.add_queue_runner(tf.train.QueueRunner(q, [q.enqueue([tf.constant(1.0)])]))
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=30)
    assert not any(t.is_alive() for t in threads)


def test_variable_count_up_to_counts_then_raises_out_of_range():
    with tf.Graph().as_default():
        counter = tf.Variable(0, dtype=tf.int64, name="counter")
        count = counter.count_up_to(2)
        with tf.Session() as sess:
            sess.run(counter.initializer)
            assert [sess.run(count), sess.run(count)] == [0, 1]
            with pytest.raises(tf.errors.OutOfRangeError):
                sess.run(count)
            assert sess.run(counter) == 2

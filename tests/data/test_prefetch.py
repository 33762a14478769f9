"""Dataset.prefetch runs a real background thread: bounded buffer, stopped when the
iterator is re-initialised or its session closes, producer errors reach get_next."""
import threading

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.data.transforms import PREFETCH_THREAD

from .helpers import drain


def _prefetch_threads():
    return [t for t in threading.enumerate() if t.name == PREFETCH_THREAD]


class _Counted:
    """A generator function counting the elements it has produced."""

    def __init__(self, n):
        self.n, self.produced, self.ready = n, 0, threading.Condition()

    def __call__(self):
        for i in range(self.n):
            with self.ready:
                self.produced += 1
                self.ready.notify_all()
            yield i

    def wait_for(self, count):
        with self.ready:
            assert self.ready.wait_for(lambda: self.produced >= count, timeout=60)
            return self.produced


@pytest.mark.parametrize("size, buffered", [(3, 3), (tf.data.experimental.AUTOTUNE, 16)])
def test_prefetch_produces_ahead_in_a_bounded_buffer(size, buffered):
    counted = _Counted(40)
    ds = tf.data.Dataset.from_generator(counted, tf.int64, []).prefetch(size)
    nxt = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert sess.run(nxt) == 0
        (thread,) = _prefetch_threads()
        assert thread.daemon
        # The thread reads ahead: 1 taken, the buffer full, 1 more waiting to be put,
        # and no further while the buffer is full.
        assert counted.wait_for(buffered + 2) == buffered + 2
        assert drain(sess, nxt) == list(range(1, 40))
    assert not _prefetch_threads()


def test_no_thread_outlives_the_session_or_a_reinitialisation():
    ds = tf.data.Dataset.range(1000).map(lambda x: x * 2).prefetch(2).batch(4)
    it = ds.make_initializable_iterator()
    nxt = it.get_next()
    sess = tf.Session()
    sess.run(it.initializer)
    np.testing.assert_array_equal(sess.run(nxt), [0, 2, 4, 6])
    first = _prefetch_threads()
    assert len(first) == 1
    sess.run(it.initializer)  # the old pass's thread is stopped and joined
    assert not first[0].is_alive()
    np.testing.assert_array_equal(sess.run(nxt), [0, 2, 4, 6])
    assert len(_prefetch_threads()) == 1
    sess.close()
    assert not _prefetch_threads()


def test_producer_errors_reach_get_next():
    def gen():
        yield 1.0
        yield 2.0
        raise RuntimeError("reader broke at record 3")

    ds = tf.data.Dataset.from_generator(gen, tf.float32, []).prefetch(4)
    nxt = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert sess.run(nxt) == 1.0
        assert sess.run(nxt) == 2.0
        with pytest.raises(tf.errors.InvalidArgumentError, match="reader broke at record 3"):
            sess.run(nxt)
    assert not _prefetch_threads()


def test_op_errors_upstream_keep_their_type_and_a_zero_buffer_has_no_thread():
    ds = tf.data.Dataset.from_generator(lambda: iter([[1, 2], [1, 2, 3]]), tf.int32,
                                        [2]).prefetch(1)
    nxt = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert sess.run(nxt).tolist() == [1, 2]
        with pytest.raises(tf.errors.InvalidArgumentError, match="does not match"):
            sess.run(nxt)
    counted = _Counted(5)
    nxt = tf.data.Dataset.from_generator(counted, tf.int64, []).prefetch(0) \
        .make_one_shot_iterator().get_next()
    with tf.Session() as sess:  # no buffer: produced on demand, in this thread
        assert sess.run(nxt) == 0
        assert counted.produced == 1 and not _prefetch_threads()
        assert drain(sess, nxt) == [1, 2, 3, 4]
    with pytest.raises(ValueError, match="buffer_size must be >= 0"):
        tf.data.Dataset.range(5).prefetch(-2)

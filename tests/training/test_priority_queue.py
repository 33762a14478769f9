"""tf.PriorityQueue: smallest priority first, ties in arrival order (TF 2.21's
compat.v1 gives the same order on these elements)."""
import numpy as np
import pytest

import staticgraph as tf


def test_dequeues_by_priority():
    queue = tf.io.PriorityQueue(10, [tf.string], shapes=[[]])
    assert queue.dtypes == [tf.int64, tf.string]
    fill = queue.enqueue_many([tf.constant([3, 1, 2, 1], tf.int64), ["c", "a", "b", "a2"]])
    one = queue.dequeue()
    assert [t.shape.as_list() for t in one] == [[], []]
    two = queue.dequeue_many(2)
    with tf.Session() as sess:
        sess.run(fill)
        assert sess.run(one) == [1, b"a"]
        priorities, values = sess.run(two)
        assert sess.run(queue.size()) == 1
        sess.run(queue.enqueue((0, "first")))
        assert sess.run(one) == [0, b"first"]
    np.testing.assert_array_equal(priorities, [1, 2])
    assert list(values) == [b"a2", b"b"]


def test_priority_queue_checks():
    with pytest.raises(ValueError, match="1 types but 2 shapes"):
        tf.PriorityQueue(4, [tf.float32], shapes=[[], []])
    with pytest.raises(ValueError, match="named components"):
        tf.PriorityQueue(4, [tf.float32], shapes=[[]], names=["x"])

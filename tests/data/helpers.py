"""Shared helpers for the tf.data tests."""
import staticgraph as tf


def drain(sess, next_element, feed_dict=None, limit=10_000):
    """Every element ``next_element`` yields (given ``feed_dict``) until OutOfRangeError."""
    out = []
    for _ in range(limit):
        try:
            out.append(sess.run(next_element, feed_dict))
        except tf.errors.OutOfRangeError:
            return out
    raise AssertionError("the iterator did not end")


def elements(dataset):
    """All elements of ``dataset`` through a one-shot iterator in a new session."""
    nxt = dataset.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        return drain(sess, nxt)

"""String basics: tf.string constants and placeholders hold bytes, as_string, join, equal."""
import numpy as np
import pytest

import staticgraph as tf


def test_hello_constant_fetches_bytes():
    hello = tf.constant("Hello, TensorFlow!")
    assert hello.dtype is tf.string and hello.shape.as_list() == []
    with tf.Session() as sess:
        value = sess.run(hello)
    assert type(value) is bytes and value == b"Hello, TensorFlow!"


def test_string_placeholders_take_str_and_bytes():
    p = tf.placeholder(tf.string, [None])
    same = tf.equal(p, tf.constant("a"))
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(same, {p: ["a", b"b"]}), [True, False])
        np.testing.assert_array_equal(sess.run(same, {p: np.array(["a", "a"])}), [True, True])
        with pytest.raises(TypeError, match="expected a string"):
            sess.run(same, {p: [1, 2]})


def test_as_string_and_join():
    with tf.Session() as sess:
        # TF formats floats with %f and bools as true/false.
        assert list(sess.run(tf.as_string(tf.constant([1.5, 2.0])))) == [b"1.500000", b"2.000000"]
        assert list(sess.run(tf.as_string(tf.constant([1.25]), precision=1))) == [b"1.2"]
        assert list(sess.run(tf.dtypes.as_string(tf.constant([True, False])))) == [b"true", b"false"]
        joined = tf.strings.join([tf.constant(["a", "b"]), "c"], separator="-")
        assert list(sess.run(joined)) == [b"a-c", b"b-c"]
        assert sess.run(tf.string_join(["x", "y"])) == b"xy"

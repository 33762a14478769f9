"""Index arguments given as Python/NumPy values: float lists raise TypeError naming the
parameter, as TF 2.21 compat.v1 does ("Value passed to parameter 'shape' has DataType
float32 not in list of allowed values: int32, int64"); window arguments' errors print
plain ints."""
import numpy as np
import pytest

import staticgraph as tf


@pytest.mark.parametrize("build, parameter", [
    (lambda: tf.reshape(tf.zeros([4]), [2.0, 2.0]), "shape"),
    (lambda: tf.reshape(tf.zeros([4]), np.array([2.0, 2.0])), "shape"),
    (lambda: tf.slice(tf.zeros([4]), [1.0], [2]), "begin"),
    (lambda: tf.strided_slice(tf.zeros([4]), [1], [2.0]), "end"),
    (lambda: tf.pad(tf.zeros([2]), [[1.0, 1.0]]), "paddings"),
    (lambda: tf.random_uniform([2.0, 3.0]), "shape"),
    (lambda: tf.roll(tf.zeros([4]), [1.0], [0]), "shift"),
    (lambda: tf.matrix_band_part(tf.zeros([3, 3]), 1.0, 1), "num_lower"),
])
def test_float_index_lists_raise_like_tf(build, parameter):
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match=f"parameter '{parameter}' must hold integers"):
            build()


def test_integer_index_values_still_convert():
    with tf.Graph().as_default():
        n = tf.constant(2)
        shapes = [tf.reshape(tf.zeros([4]), s).shape.as_list()
                  for s in ([2, 2], (np.int64(2), 2), np.array([2, 2]), [n, 2], [-1])]
        assert shapes[:3] == [[2, 2]] * 3 and shapes[4] == [4]


@pytest.mark.parametrize("build, message", [
    (lambda: tf.nn.conv2d(tf.zeros([1, 4, 4, 1]), tf.zeros([2, 2, 1, 1]),
                          np.array([2, 1, 1, 1]), "SAME"), "got [2, 1, 1, 1]"),
    (lambda: tf.nn.max_pool(tf.zeros([1, 4, 4, 1]), np.array([1, 2, 2, 2]), [1, 1, 1, 1],
                            "SAME"), "got [1, 2, 2, 2]"),
    (lambda: tf.nn.conv1d(tf.zeros([1, 4, 1]), tf.zeros([2, 1, 1]), np.array([2, 2]),
                          "SAME"), "got [2, 2]"),
])
def test_window_argument_errors_print_plain_ints(build, message):
    with tf.Graph().as_default():
        with pytest.raises(ValueError) as info:
            build()
    assert message in str(info.value) and "np." not in str(info.value)

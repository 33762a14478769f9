"""TF1's Dimension: its semantics table against TensorFlow's answers, the v2 tensor-shape
switch both ways, and a tutorial-style script under an unknown batch dimension."""
import copy
import json
import pathlib

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.core import shapes
from tools.tf_dimension_fixture import evaluate

FIXTURE = json.loads((pathlib.Path(__file__).resolve().parents[1]
                      / "fixtures" / "tf_dimension.json").read_text())


@pytest.fixture
def v2_tensorshape():
    """TF2's int/None dimensions for one test, TF1's Dimensions again afterwards."""
    tf.compat.v1.enable_v2_tensorshape()
    yield
    tf.compat.v1.disable_v2_tensorshape()


@pytest.mark.parametrize("case", sorted(FIXTURE["v1"]))
def test_tf1_dimension_semantics_match_tensorflow(case):
    assert not shapes.v2_tensorshape_enabled()
    assert evaluate(tf, case) == FIXTURE["v1"][case]


@pytest.mark.parametrize("case", sorted(FIXTURE["v2"]))
def test_v2_tensorshape_semantics_match_tensorflow(case, v2_tensorshape):
    assert evaluate(tf, case) == FIXTURE["v2"][case]


def test_known_dimension_stays_an_int():
    # Deliberately unlike TF (whose Dimension is not an int): scripts and NumPy use it
    # as one. See Dimension's docstring.
    k = tf.Dimension(3)
    assert isinstance(k, int) and hash(k) == hash(3) and {k: 1}[3] == 1
    assert -k == -3 and k / 2 == 1.5 and k ** 2 == 9 and k + 2.0 == 5.0
    assert np.zeros([k, 2]).shape == (3, 2) and list(range(k)) == [0, 1, 2]
    assert (k * np.arange(2)).tolist() == [0, 3]
    with pytest.raises(TypeError):
        np.zeros([tf.Dimension(None), 2])
    with pytest.raises(TypeError):
        range(tf.Dimension(None))


def test_switch_both_ways():
    x = tf.placeholder(tf.float32, [None, 784])
    assert isinstance(x.shape[0], tf.Dimension) and x.shape[0].value is None
    tf.compat.v1.enable_v2_tensorshape()
    try:
        assert x.shape[0] is None and type(x.shape[1]) is int and list(x.shape) == [None, 784]
        assert tf.compat.v1.dimension_value(x.shape.dims[1]) == 784
    finally:
        tf.compat.v1.disable_v2_tensorshape()
    assert x.shape[1].value == 784 and [d.value for d in x.shape] == [None, 784]
    tf.disable_v2_tensorshape()  # already TF1's: stays so
    assert repr(x.shape[0]) == "Dimension(None)"


def test_tutorial_script_with_unknown_batch():
    # The idioms of TF1 tutorials, on a placeholder whose batch size is unknown.
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    assert x.get_shape()[0].value is None and x.shape[0].value is None
    flat_size = x.shape[1].value * x.shape[2].value * int(x.shape[3])
    dims = [d.value for d in x.shape]
    assert dims == [None, 28, 28, 1] and x.shape.as_list() == dims
    flat = tf.reshape(x, [-1, flat_size])
    w = tf.Variable(tf.zeros([int(flat.shape[1]), 10]))
    logits = tf.matmul(flat, w) + tf.Variable(tf.zeros([x.shape[3].value * 10]))
    assert logits.get_shape().as_list() == [None, 10] and str(logits.shape[0]) == "?"
    batch = tf.shape(x)[0] if x.shape[0].value is None else x.shape[0].value
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out, n = sess.run([logits, batch], {x: np.ones((5, 28, 28, 1), np.float32)})
    assert out.shape == (5, 10) and n == 5


def test_copies_keep_dimensions():
    u, k = tf.Dimension(None), tf.Dimension(3)
    assert copy.deepcopy(u) is u and copy.copy(u) is u
    assert repr(copy.deepcopy(k)) == "Dimension(3)" and copy.deepcopy([k, u])[1] is u
    shape = copy.deepcopy(tf.TensorShape([None, 3]))
    assert shape.as_list() == [None, 3] and shape[0] is u

import numpy as np
import pytest

import staticgraph as tf


def test_constants_take_tf1_default_dtypes():
    assert tf.constant(1.5).dtype == tf.float32
    assert tf.constant(3).dtype == tf.int32
    assert tf.constant(True).dtype == tf.bool
    assert tf.constant(np.float64(1.5)).dtype == tf.float64
    assert tf.constant(np.ones(3)).dtype == tf.float64
    assert tf.constant([1, 2], dtype=tf.float32).dtype == tf.float32


def test_constant_fills_shape():
    c = tf.constant(7.0, shape=[2, 3])
    assert c.shape.as_list() == [2, 3]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(c), np.full((2, 3), 7.0, np.float32))
    reshaped = tf.constant([1, 2, 3, 4], shape=[2, 2])
    assert reshaped.shape.as_list() == [2, 2]
    with pytest.raises(TypeError, match="shape"):
        tf.constant([1, 2, 3], shape=[2, 2])


def test_convert_to_tensor():
    t = tf.constant(1.0)
    assert tf.convert_to_tensor(t) is t
    v = tf.Variable(np.zeros(2, np.float32))
    assert tf.convert_to_tensor(v) is v.value()
    assert tf.convert_to_tensor([1.0, 2.0]).shape.as_list() == [2]
    with pytest.raises(ValueError, match="float64"):
        tf.convert_to_tensor(t, dtype=tf.float64)
    with pytest.raises(TypeError, match="int32"):
        tf.convert_to_tensor(1.5, dtype=tf.int32)


def test_python_numbers_adopt_tensor_dtype():
    x = tf.placeholder(tf.float64, [2])
    assert (x + 1).dtype == tf.float64
    assert (2 * x).dtype == tf.float64
    i = tf.placeholder(tf.int32, [2])
    assert (i + 1).dtype == tf.int32


def test_mismatched_tensor_dtypes_are_type_errors():
    a = tf.placeholder(tf.float32, [2])
    b = tf.placeholder(tf.float64, [2])
    with pytest.raises(TypeError, match="float64"):
        tf.add(a, b)


def test_shape_errors_name_op_and_shapes():
    a = tf.placeholder(tf.float32, [2, 3], name="a")
    b = tf.placeholder(tf.float32, [4, 5], name="b")
    with pytest.raises(ValueError) as err:
        tf.matmul(a, b)
    message = str(err.value)
    assert "MatMul" in message and "(2, 3)" in message and "(4, 5)" in message
    with pytest.raises(ValueError, match=r"Add.*\(2, 3\).*\(4, 5\)"):
        tf.add(a, b)


@pytest.mark.parametrize("x_shape,y_shape", [
    ([3, 2], [3, 2]), ([3, 2], []), ([], [3, 2]), ([3, 1], [1, 2]), ([None, 2], [3, 1]),
    ([None, 2], [None, 2]), (None, [3]), ([2], None), ([4, 1, 2], [3, 1]),
])
def test_the_two_tensor_broadcast_rule_matches_the_general_one(x_shape, y_shape):
    from staticgraph.core.shapes import broadcast_all
    from staticgraph.ops.framework import broadcast_binary
    x = tf.placeholder(tf.float64, x_shape)
    y = tf.placeholder(tf.float64, y_shape)
    (shape, dtype), = broadcast_binary([x, y], {})
    assert dtype is tf.float64
    assert shape.as_tuple() == broadcast_all([x.shape, y.shape]).as_tuple()
    assert (x + y).shape.as_tuple() == shape.as_tuple()


def test_the_broadcast_rule_still_refuses_mismatched_shapes_and_dtypes():
    from staticgraph.ops.framework import broadcast_binary
    x = tf.placeholder(tf.float64, [3])
    with pytest.raises(ValueError, match="cannot be broadcast"):
        broadcast_binary([x, tf.placeholder(tf.float64, [2])], {})
    with pytest.raises(TypeError, match="float64, float32"):
        broadcast_binary([x, tf.placeholder(tf.float32, [3])], {})
    three = [x, x, tf.placeholder(tf.float64, [2, 1])]
    assert broadcast_binary(three, {})[0][0].as_list() == [2, 3]


def test_an_op_goes_to_its_inputs_graph_without_a_default_graph_lookup(monkeypatch):
    # No function body is default anywhere: apply_op does not look the default graph up.
    from staticgraph.ops import framework
    outer = tf.Graph()
    with outer.as_default():
        x = tf.placeholder(tf.float64, [2])
    monkeypatch.setattr(framework, "get_default_graph", _no_lookup)
    y = tf.sin(x) + x  # (the default graph is another one here)
    assert y.graph is outer and y.op.inputs[1] is x


def _no_lookup():
    raise AssertionError("the default graph was looked up")


def test_a_function_body_made_default_captures_inputs_and_is_listed_meanwhile():
    from staticgraph.core.func_graph import FuncGraph
    from staticgraph.core.graph import FUNCTION_BODIES_AS_DEFAULT
    outer = tf.Graph()
    with outer.as_default():
        x = tf.placeholder(tf.float64, [2])
    body = FuncGraph("body", outer)
    assert FUNCTION_BODIES_AS_DEFAULT == []
    with pytest.raises(RuntimeError), body.as_default():
        with outer.as_default():
            assert FUNCTION_BODIES_AS_DEFAULT == [body]
            assert tf.sin(x).graph is outer  # the default graph is not the body here
        y = tf.sin(x)
        assert y.graph is body and y.op.inputs[0].graph is body  # captured
        raise RuntimeError
    assert FUNCTION_BODIES_AS_DEFAULT == []
    assert tf.sin(x).graph is outer

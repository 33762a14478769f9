"""Python operators on Tensors and Variables build the TF1 ops, with TF1's op names."""
import operator

import numpy as np
import pytest

import staticgraph as tf


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


X = np.array([[1.5, -2.0, 3.0], [4.0, 0.5, -1.0]])
Y = np.array([2.0, -3.0, 0.5])

ARITHMETIC = [
    (operator.add, "Add", "add"), (operator.sub, "Sub", "sub"), (operator.mul, "Mul", "mul"),
    (operator.truediv, "RealDiv", "truediv"), (operator.floordiv, "FloorDiv", "floordiv"),
    (operator.mod, "FloorMod", "mod"), (operator.pow, "Pow", "pow"),
]


def _numpy_floordiv(a, b):
    return np.floor(a / b)


NUMPY = {operator.floordiv: _numpy_floordiv, operator.pow: lambda a, b: np.abs(a) ** b}


def _reference(fn, a, b):
    return NUMPY.get(fn, fn)(a, b)


@pytest.mark.parametrize("fn,op_type,name", ARITHMETIC, ids=lambda v: getattr(v, "__name__", v))
def test_binary_arithmetic_operators(fn, op_type, name):
    x, y = tf.constant(np.abs(X) if fn is operator.pow else X), tf.constant(Y)
    z = fn(x, y)
    assert (z.op.type, z.op.name, z.dtype, z.shape) == (op_type, name, tf.float64, (2, 3))
    np.testing.assert_allclose(_run(z), _reference(fn, np.abs(X) if fn is operator.pow else X,
                                                   Y))
    assert fn(x, y).op.name == f"{name}_1"


@pytest.mark.parametrize("fn,op_type,name", ARITHMETIC, ids=lambda v: getattr(v, "__name__", v))
def test_reflected_operators_with_python_numbers(fn, op_type, name):
    y = tf.constant(Y)
    z = fn(3.0, y)
    assert (z.op.type, z.op.name, z.dtype) == (op_type, name, tf.float64)
    assert z.op.inputs[1] is y and z.op.inputs[0].op.type == "Const"
    np.testing.assert_allclose(_run(z), _reference(fn, 3.0, Y))


@pytest.mark.parametrize("fn,op_type,name", ARITHMETIC, ids=lambda v: getattr(v, "__name__", v))
def test_reflected_operators_with_numpy_arrays(fn, op_type, name):
    y = tf.constant(Y.astype(np.float32))
    left = np.abs(X) if fn is operator.pow else X
    z = fn(left, y)  # NumPy defers to the Tensor, which converts the array to its dtype
    assert (z.op.type, z.op.name, z.dtype, z.shape) == (op_type, name, tf.float32, (2, 3))
    np.testing.assert_allclose(_run(z), _reference(fn, left, Y), rtol=1e-5)


def test_python_numbers_adopt_the_tensor_dtype():
    x = tf.constant([1, 2, 3])
    assert (x + 1).dtype == tf.int32 and (2 * x).dtype == tf.int32
    h = tf.constant([1.0], tf.float64)
    assert (h * 0.5).dtype == tf.float64
    np.testing.assert_array_equal(_run([x + 1, 7 // x, x % 2]), [[2, 3, 4], [7, 3, 2], [1, 0, 1]])


def test_integer_true_division_is_floating_point():
    z = tf.constant([7, 8]) / 2
    assert z.dtype == tf.float64
    np.testing.assert_array_equal(_run(z), [3.5, 4.0])


def test_mismatched_dtypes_raise_type_error():
    with pytest.raises(TypeError):
        tf.constant([1.0], tf.float32) + tf.constant([1.0], tf.float64)
    with pytest.raises(TypeError):
        tf.constant([1]) * 1.5


def test_matmul_operator():
    a, b = np.arange(6.0).reshape(2, 3), np.arange(12.0).reshape(3, 4)
    z = tf.constant(a) @ tf.constant(b)
    assert (z.op.type, z.op.name, z.shape) == ("MatMul", "matmul", (2, 4))
    np.testing.assert_allclose(_run(z), a @ b)
    r = a @ tf.constant(b)
    assert r.op.name == "matmul_1"
    np.testing.assert_allclose(_run(r), a @ b)


def test_unary_operators():
    x = tf.constant(X)
    neg, absolute = -x, abs(x)
    assert (neg.op.type, neg.op.name) == ("Neg", "Neg")
    assert (absolute.op.type, absolute.op.name) == ("Abs", "Abs")
    np.testing.assert_array_equal(_run([neg, absolute]), [-X, np.abs(X)])


@pytest.mark.parametrize("fn,op_type", [(operator.lt, "Less"), (operator.le, "LessEqual"),
                                        (operator.gt, "Greater"),
                                        (operator.ge, "GreaterEqual")])
def test_comparison_operators(fn, op_type):
    x = tf.constant(X)
    z = fn(x, tf.constant(Y))
    assert (z.op.type, z.op.name, z.dtype) == (op_type, op_type, tf.bool)
    np.testing.assert_array_equal(_run(z), fn(X, Y))
    flipped = fn(1.5, x)  # Python reflects 1.5 < x to x > 1.5
    np.testing.assert_array_equal(_run(flipped), fn(1.5, X))


def test_equality_operators_stay_identity():
    x = tf.constant([1.0])
    assert (x == x) is True and (x != tf.constant([1.0])) is True


@pytest.mark.parametrize("fn,name", [(operator.and_, "and"), (operator.or_, "or"),
                                     (operator.xor, "xor")])
def test_logical_operators(fn, name):
    a = tf.constant([True, True, False, False])
    b = np.array([True, False, True, False])
    z = fn(a, tf.constant(b))
    assert (z.op.type, z.op.name, z.dtype) == ("LogicalAnd" if name != "or" else "LogicalOr",
                                               name, tf.bool)
    expected = fn(np.array([True, True, False, False]), b)
    np.testing.assert_array_equal(_run(z), expected)
    np.testing.assert_array_equal(_run(fn(True, a)), fn(True, np.array([True, True, False,
                                                                         False])))


def test_invert_is_logical_not():
    z = ~tf.constant([True, False])
    assert z.op.type == "LogicalNot"
    assert _run(z).tolist() == [False, True]
    with pytest.raises(TypeError, match="LogicalNot"):
        ~tf.constant([1.0])


def test_operators_on_variables():
    v = tf.Variable([1.0, 2.0])
    z = 2.0 * v + 1.0
    assert (z.op.type, z.op.name) == ("Add", "add")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(z), [3.0, 5.0])


def test_tensors_are_not_iterable_in_graph_mode():
    # As TF1 (TensorFlow 2.21 raises OperatorNotAllowedInGraphError, a TypeError).
    x = tf.constant([1, 2, 3])
    with pytest.raises(TypeError, match="only iterable when eager execution is enabled"):
        for _ in x:
            pass
    with pytest.raises(TypeError, match="Const"):
        a, b, c = x
    assert [int(v) for v in tf.Session().run(tf.unstack(x))] == [1, 2, 3]

"""The matvec pass: reshape(A @ reshape(v, [k, 1]), [m]) becomes one MatVec, same bits."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.compiler.passes.matvec import fuse_matvec

from .helpers import assert_same_as_unoptimized, program_of, types_of

RNG = np.random.default_rng(3)


def _column_product(matrix, vector, transpose_a=False):
    column = tf.reshape(vector, [-1, 1])
    return tf.reshape(tf.matmul(matrix, column, transpose_a=transpose_a), [-1])


def _types(fetches, fed, targets=None):
    program = program_of(fetches, fed, targets, passes=(fuse_matvec,))
    return [t for t in types_of(program) if t != "_Feed"]


@pytest.mark.parametrize("rows, cols", [(500, 2), (7, 1), (1, 5), (40, 300), (3, 3)])
@pytest.mark.parametrize("transpose_a", [False, True])
@pytest.mark.parametrize("dtype", [tf.float64, tf.float32])
def test_column_products_become_one_op_with_the_same_bits(rows, cols, transpose_a, dtype):
    shape = [cols, rows] if transpose_a else [rows, cols]
    a = tf.placeholder(dtype, shape)
    v = tf.placeholder(dtype, [cols])
    y = _column_product(a, v, transpose_a)
    assert _types([y], [a, v]) == ["MatVec"]
    a0 = RNG.standard_normal(shape).astype(dtype.as_numpy_dtype)
    v0 = RNG.standard_normal(cols).astype(dtype.as_numpy_dtype)
    assert_same_as_unoptimized([y], {a: a0, v: v0})
    # A matrix stored in the other memory order takes the transposed BLAS path.
    assert_same_as_unoptimized([y], {a: np.asfortranarray(a0), v: v0})


def test_integer_products_keep_their_bits():
    a = tf.placeholder(tf.int64, [4, 3])
    v = tf.placeholder(tf.int64, [3])
    y = _column_product(a, v)
    assert _types([y], [a, v]) == ["MatVec"]
    assert_same_as_unoptimized([y], {a: RNG.integers(-9, 9, (4, 3)),
                                     v: RNG.integers(-9, 9, 3)})


def test_the_logistic_regression_step_loses_its_four_reshapes():
    x = tf.placeholder(tf.float64, [50, 2])
    w = tf.Variable(np.array([0.5, -0.25]))
    loss = tf.reduce_sum(tf.tanh(_column_product(x, w)) ** 2)
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    types = _types([loss], [x], [step])
    assert types.count("MatVec") == 2 and "MatMul" not in types and "Reshape" not in types
    x0 = RNG.standard_normal((50, 2))
    assert_same_as_unoptimized([loss, step, w], {x: x0}, init=tf.global_variables_initializer())


def test_a_product_read_elsewhere_is_left_alone():
    a = tf.placeholder(tf.float64, [4, 3])
    v = tf.placeholder(tf.float64, [3])
    product = tf.matmul(a, tf.reshape(v, [3, 1]))
    y = tf.reshape(product, [-1])
    assert "MatVec" not in _types([y, product], [a, v])
    assert_same_as_unoptimized([y, product], {a: RNG.standard_normal((4, 3)),
                                              v: RNG.standard_normal(3)})


@pytest.mark.parametrize("build", [
    lambda a, v: tf.reshape(tf.matmul(a, tf.reshape(v, [1, 3]), transpose_b=True), [-1]),
    lambda a, v: tf.reshape(tf.matmul(a, tf.reshape(v, [3, 1])), [2, 2]),
    lambda a, v: tf.reshape(tf.matmul(a, tf.reshape(tf.stack([v, v]), [3, 2])), [-1]),
], ids=["row-transposed", "not-a-vector-out", "two-columns"])
def test_other_shapes_are_left_alone(build):
    a = tf.placeholder(tf.float64, [4, 3])
    v = tf.placeholder(tf.float64, [3])
    y = build(a, v)
    assert "MatVec" not in _types([y], [a, v])


def test_a_variable_is_not_read_after_an_assignment_it_ran_before():
    w = tf.Variable(np.array([1.0, 2.0]))
    a = tf.placeholder(tf.float64, [3, 2])
    column = tf.reshape(w, [2, 1])  # reads w before the assignment below runs
    assign = tf.assign(w, np.array([10.0, 20.0]))
    y = tf.reshape(tf.matmul(a, column), [-1])
    assert "MatVec" not in _types([y], [a], [assign.op])
    out = assert_same_as_unoptimized([y, assign], {a: np.ones((3, 2))},
                                     init=tf.global_variables_initializer())
    np.testing.assert_array_equal(out[0], [3.0, 3.0, 3.0])


def test_a_shape_error_at_run_time_names_the_matmul():
    a = tf.placeholder(tf.float64, [None, None])
    v = tf.placeholder(tf.float64, [None])
    y = tf.reshape(tf.matmul(a, tf.reshape(v, [-1, 1]), name="scores"), [-1])
    assert _types([y], [a, v]) == ["MatVec"]
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="'scores'") as err:
            sess.run(y, {a: np.ones((3, 2)), v: np.ones(4)})
    assert "[3, 2], [4]" in str(err.value) and err.value.op is y.op.inputs[0].op


def test_the_matvec_shape_rule():
    from types import SimpleNamespace

    from staticgraph.core.registry import get_op_def
    from staticgraph.core.shapes import TensorShape
    rule = get_op_def("MatVec").shape_fn

    def t(dims):
        return SimpleNamespace(shape=TensorShape(dims), dtype=tf.float64)
    assert rule([t([4, 3]), t([3])], {"transpose_a": False}) == [(TensorShape([4]), tf.float64)]
    assert rule([t([3, 4]), t([None])], {"transpose_a": True})[0][0].as_list() == [4]
    with pytest.raises(ValueError, match=r"inner dimensions differ"):
        rule([t([4, 3]), t([4])], {"transpose_a": False})

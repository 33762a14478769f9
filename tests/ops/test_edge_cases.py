"""Edge cases TF1 answers differently from plain NumPy: integer division by zero, complex
adjoints in matmul, negative dimensions, reduce_prod's gradient at unknown rank."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case


@pytest.mark.parametrize("fn, op_name", [(tf.floordiv, "floordiv"), (tf.floormod, "FloorMod"),
                                         (tf.floor_div, "FloorDiv")])
@pytest.mark.parametrize("dtype", [tf.int32, tf.int64, tf.uint8])
def test_integer_division_by_zero_is_an_error_naming_the_op(fn, op_name, dtype):
    x = tf.placeholder(dtype, [2])
    y = tf.placeholder(dtype, [2])
    z = fn(x, y)
    with tf.Session(optimize=False) as sess:
        np.testing.assert_array_equal(sess.run(z, {x: [7, 4], y: [2, 3]}),
                                      fn is tf.floormod and [1, 1] or [3, 1])
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=rf"(?s){op_name}.*Integer division by zero"):
            sess.run(z, {x: [3, 4], y: [0, 2]})


def test_integer_division_by_a_constant_zero_fails_when_run_not_when_optimized():
    z = tf.floordiv(tf.constant([3, 4]), tf.constant([1, 0]))
    with tf.Session() as sess:  # constant folding must not hide or move the error
        with pytest.raises(tf.errors.InvalidArgumentError, match="Integer division by zero"):
            sess.run(z)


def test_float_division_by_zero_still_follows_ieee():
    x = tf.constant([1.0, -1.0, 0.0])
    with tf.Session() as sess:
        got = sess.run([tf.floordiv(x, 0.0), tf.floormod(x, 0.0)])
    np.testing.assert_array_equal(got[0], [np.inf, -np.inf, np.nan])
    assert np.isnan(got[1]).all()


_A = np.array([[1 + 2j, 3 - 1j], [1j, 2 + 0j]])
_B = np.array([[2 - 1j, 0.5j], [1 + 1j, -3 + 0j]])


@pytest.mark.parametrize("kwargs, expected", [
    ({"adjoint_a": True}, _A.conj().T @ _B),
    ({"adjoint_b": True}, _A @ _B.conj().T),
    ({"adjoint_a": True, "adjoint_b": True}, _A.conj().T @ _B.conj().T),
    ({"transpose_a": True}, _A.T @ _B),
])
def test_complex_matmul_adjoints_conjugate(kwargs, expected):
    with tf.Session() as sess:
        got = sess.run(tf.matmul(tf.constant(_A), tf.constant(_B), **kwargs))
    np.testing.assert_allclose(got, expected)


def test_adjoint_of_real_matrices_is_their_transpose():
    a, b = np.arange(6.0).reshape(3, 2), np.arange(6.0).reshape(3, 2)
    with tf.Session() as sess:
        got = sess.run(tf.matmul(a, b, adjoint_a=True))
    np.testing.assert_array_equal(got, a.T @ b)


def test_conj_values_and_gradient():
    x = tf.placeholder(tf.complex128, [2, 2])
    g = tf.placeholder(tf.complex128, [2, 2])
    y = tf.conj(x)
    gx, = tf.gradients(y, x, grad_ys=g)  # TF1: the conjugate of the upstream gradient
    with tf.Session() as sess:
        value, grad = sess.run([y, gx], {x: _A, g: _B})
    np.testing.assert_array_equal(value, _A.conj())
    np.testing.assert_array_equal(grad, _B.conj())
    real = tf.constant([1.0, -2.0])
    assert tf.conj(real) is real


@pytest.mark.parametrize("build", [lambda s: tf.zeros(s), lambda s: tf.ones(s, tf.int32),
                                   lambda s: tf.fill(s, 1.0)])
def test_negative_dimensions_are_a_clear_error(build):
    with pytest.raises(ValueError, match=r"(?i)(zeros|ones|fill).*\[-1, 3\].*>= 0"):
        build([-1, 3])


@pytest.mark.parametrize("axis", [None, [0, -1], 1, [-2]])
def test_reduce_prod_gradient_at_unknown_rank(axis):
    values = np.array([[1.0, 2.0, 3.0], [4.0, 0.0, 6.0]])
    unknown = tf.placeholder(tf.float64, None)
    known = tf.placeholder(tf.float64, [2, 3])
    g_unknown, = tf.gradients(tf.reduce_prod(unknown, axis), unknown)
    g_known, = tf.gradients(tf.reduce_prod(known, axis), known)
    with tf.Session() as sess:
        got, expected = sess.run([g_unknown, g_known], {unknown: values, known: values})
    np.testing.assert_array_equal(got, expected)


def test_reduce_prod_gradient_at_unknown_rank_matches_tensorflow():
    # TensorFlow 2.21 (tf.compat.v1) for reduce_prod(p, axis=[0, -1]), p of unknown rank.
    p = tf.placeholder(tf.float64, None)
    g, = tf.gradients(tf.reduce_prod(p, axis=[0, -1]), p)
    with tf.Session() as sess:
        got = sess.run(g, {p: np.arange(1.0, 7.0).reshape(2, 3)})
    np.testing.assert_array_equal(got, [[720.0, 360.0, 240.0], [180.0, 144.0, 120.0]])


def test_reduce_prod_gradient_at_unknown_rank_agrees_with_finite_differences():
    def build(x):
        unknown = tf.placeholder_with_default(x, None)
        rows = tf.reshape(tf.reduce_prod(unknown, axis=[-1]), [2])  # a known output shape
        return rows + tf.reduce_prod(unknown)

    result = check_case(GradCase("Prod-unknown-rank", build,
                                 [np.array([[0.5, -1.5, 2.0], [1.2, 0.7, -0.3]])], order=2))
    assert result.max_error < 1e-6, result

"""Math ops' TF1 surface: op types and default names, signatures, the ``tf.math``
namespace, and matmul's errors and batch broadcasting."""
import inspect

import numpy as np
import pytest

import staticgraph as tf

rng = np.random.RandomState(0)


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


# ----------------------------------------------------------------------------------------
# TF1 names and signatures
# ----------------------------------------------------------------------------------------

DEFAULT_NAMES = [
    (lambda x: tf.add(x, x), "Add", "Add"), (lambda x: tf.subtract(x, x), "Sub", "Sub"),
    (lambda x: tf.multiply(x, x), "Mul", "Mul"), (lambda x: tf.divide(x, x), "RealDiv", "truediv"),
    (lambda x: tf.realdiv(x, x), "RealDiv", "RealDiv"),
    (lambda x: tf.floordiv(x, x), "FloorDiv", "floordiv"),
    (lambda x: tf.floor_div(x, x), "FloorDiv", "FloorDiv"),
    (lambda x: tf.floormod(x, x), "FloorMod", "FloorMod"),
    (lambda x: tf.pow(x, x), "Pow", "Pow"), (lambda x: tf.maximum(x, x), "Maximum", "Maximum"),
    (lambda x: tf.minimum(x, x), "Minimum", "Minimum"),
    (lambda x: tf.squared_difference(x, x), "SquaredDifference", "SquaredDifference"),
    (lambda x: tf.div_no_nan(x, x), "DivNoNan", "div_no_nan"),
    (lambda x: tf.negative(x), "Neg", "Neg"), (lambda x: tf.abs(x), "Abs", "Abs"),
    (lambda x: tf.sigmoid(x), "Sigmoid", "Sigmoid"), (lambda x: tf.tanh(x), "Tanh", "Tanh"),
    (lambda x: tf.log(x), "Log", "Log"), (lambda x: tf.round(x), "Round", "Round"),
    (lambda x: tf.less(x, x), "Less", "Less"), (lambda x: tf.equal(x, x), "Equal", "Equal"),
    (lambda x: tf.cast(x, tf.int32), "Cast", "Cast"), (lambda x: tf.is_nan(x), "IsNan", "IsNan"),
    (lambda x: tf.matmul(tf.constant([[1.0]]), tf.constant([[2.0]])), "MatMul", "MatMul"),
]


@pytest.mark.parametrize("build,op_type,name", DEFAULT_NAMES, ids=lambda v: v if isinstance(
    v, str) else "")
def test_tf1_op_types_and_default_names(build, op_type, name):
    t = build(tf.constant(2.0))
    assert (t.op.type, t.op.name) == (op_type, name)


def test_explicit_names_and_uniquification():
    x = tf.constant(1.0)
    assert tf.add(x, x, name="total").op.name == "total"
    assert tf.add(x, x, name="total").op.name == "total_1"
    assert tf.truediv(x, x, name="ratio").op.name == "ratio"
    assert tf.divide(x, x).op.name == "truediv"
    assert tf.divide(x, x).op.name == "truediv_1"


@pytest.mark.parametrize("fn,params", [
    (tf.add, ["x", "y", "name"]), (tf.truediv, ["x", "y", "name"]),
    (tf.floordiv, ["x", "y", "name"]), (tf.pow, ["x", "y", "name"]),
    (tf.sigmoid, ["x", "name"]), (tf.abs, ["x", "name"]), (tf.round, ["x", "name"]),
    (tf.cast, ["x", "dtype", "name"]), (tf.add_n, ["inputs", "name"]),
    (tf.clip_by_value, ["t", "clip_value_min", "clip_value_max", "name"]),
    (tf.scalar_mul, ["scalar", "x", "name"]),
    (tf.matmul, ["a", "b", "transpose_a", "transpose_b", "adjoint_a", "adjoint_b",
                 "a_is_sparse", "b_is_sparse", "name"]),
    (tf.logical_xor, ["x", "y", "name"]), (tf.to_float, ["x", "name"]),
])
def test_signatures_match_tf1(fn, params):
    assert list(inspect.signature(fn).parameters) == params
    assert fn.__doc__


def test_tf_math_namespace_reexports():
    assert tf.math.add is tf.add and tf.math.reduce_sum is tf.reduce_sum
    assert tf.math.divide_no_nan is tf.div_no_nan and tf.math.mod is tf.floormod
    # TF1's tf.math names that are not top-level tf names (tf.nn's are in tf.nn).
    math_only = {"divide_no_nan", "in_top_k", "l2_normalize", "log_softmax", "polyval",
                 "reduce_euclidean_norm", "softmax", "softplus", "softsign", "top_k",
                 "xdivy", "xlogy", "zero_fraction", "cumulative_logsumexp",
                 "multiply_no_nan", "reciprocal_no_nan", "reduce_std", "reduce_variance",
                 "xlog1py",
                 # special functions and approximate top-k (issue 14)
                 "bessel_i0", "bessel_i0e", "bessel_i1", "bessel_i1e", "erfcinv", "erfinv",
                 "ndtri", "nextafter", "approx_max_k", "approx_min_k", "sobol_sample"}
    for name in set(tf.math.__all__) - math_only:
        assert getattr(tf.math, name) is getattr(tf, name), name
    for name in math_only - {"divide_no_nan"}:
        assert getattr(tf.math, name) is getattr(tf.nn, name, getattr(tf.math, name))
        assert not hasattr(tf, name), name


def test_matmul_errors():
    with pytest.raises(ValueError, match=r"MatMul.*inner dimensions.*\(2, 3\).*\(4, 5\)"):
        tf.matmul(tf.constant(np.ones((2, 3))), tf.constant(np.ones((4, 5))))
    with pytest.raises(ValueError, match="rank 2"):
        tf.matmul(tf.constant(np.ones(3)), tf.constant(np.ones((3, 2))))


def test_batched_matmul_broadcasts_batch_dims():
    a, b = rng.randn(2, 1, 3, 4), rng.randn(5, 4, 2)
    c = tf.matmul(tf.constant(a), tf.constant(b))
    assert c.shape == (2, 5, 3, 2)
    np.testing.assert_allclose(_run(c), np.matmul(a, b))
    d = tf.matmul(tf.constant(a), tf.constant(b), adjoint_a=False, transpose_b=False)
    np.testing.assert_allclose(_run(d), np.matmul(a, b))

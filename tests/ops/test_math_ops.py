"""Elementwise math ops: kernels against NumPy, shape rules, gradients (their TF1
names and signatures: test_math_op_api.py)."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case
from staticgraph.ops import broadcast_ops
from staticgraph.ops.framework import apply_binary

rng = np.random.RandomState(0)


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def _away_from_integers(shape):
    """Values whose fractional part is in [0.2, 0.8]: floor/ceil/round are flat there."""
    return rng.randint(-3, 3, size=shape) + rng.uniform(0.2, 0.8, size=shape)


def _positive(*shape):
    return rng.uniform(0.5, 2.0, size=shape)


def _separated(shape):
    """A pair of arrays that differ by at least 0.3 everywhere (no max/min ties)."""
    x = rng.randn(*shape)
    return x, x + rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.3, 1.0, size=shape)


# ----------------------------------------------------------------------------------------
# Gradient cases
# ----------------------------------------------------------------------------------------

UNARY_CASES = [
    ("Neg", tf.negative, rng.randn(2, 3)),
    ("Abs", tf.abs, _positive(2, 3) * rng.choice([-1.0, 1.0], size=(2, 3))),
    ("Sign", lambda x: tf.sign(x) * x, _positive(4) * np.array([-1.0, 1.0, -1.0, 1.0])),
    ("Reciprocal", tf.reciprocal, _positive(2, 3)),
    ("Square", tf.square, rng.randn(2, 3)),
    ("Sqrt", tf.sqrt, _positive(2, 3)),
    ("Rsqrt", tf.rsqrt, _positive(2, 3)),
    ("Exp", tf.exp, rng.randn(2, 3)),
    ("Log", tf.log, _positive(2, 3)),
    ("Log1p", tf.log1p, rng.uniform(-0.5, 2.0, size=(2, 3))),
    ("Expm1", tf.expm1, rng.randn(2, 3)),
    ("Sin", tf.sin, rng.randn(2, 3)),
    ("Cos", tf.cos, rng.randn(2, 3)),
    ("Tan", tf.tan, rng.uniform(-1.0, 1.0, size=(2, 3))),
    ("Asin", tf.asin, rng.uniform(-0.8, 0.8, size=(2, 3))),
    ("Acos", tf.acos, rng.uniform(-0.8, 0.8, size=(2, 3))),
    ("Atan", tf.atan, rng.randn(2, 3)),
    ("Tanh", tf.tanh, rng.randn(2, 3)),
    ("Sigmoid", tf.sigmoid, rng.randn(2, 3) * 3),
    ("Erf", tf.erf, rng.randn(2, 3)),
]

BINARY_CASES = [
    ("Add", tf.add, rng.randn(2, 3), rng.randn(3)),
    ("AddV2", lambda x, y: apply_binary("AddV2", x, y, None), rng.randn(2, 3), rng.randn(2, 1)),
    ("Sub", tf.subtract, rng.randn(2, 1), rng.randn(1, 3)),
    ("Mul", tf.multiply, rng.randn(2, 3), rng.randn()),
    ("RealDiv", tf.divide, rng.randn(2, 3), _positive(3)),
    ("Pow", tf.pow, _positive(2, 3), rng.randn(2, 3)),
    ("Pow-broadcast", tf.pow, _positive(3), rng.randn(2, 1)),
    ("Maximum", tf.maximum, *_separated((2, 3))),
    ("Minimum", tf.minimum, *_separated((2, 3))),
    ("SquaredDifference", tf.squared_difference, rng.randn(2, 3), rng.randn(3)),
    ("FloorMod", tf.floormod, rng.uniform(0.1, 0.9, size=(2, 3)) + np.array([0, 2, 5]),
     np.array([1.0, 1.5, -2.0])),
    ("DivNoNan", tf.div_no_nan, rng.randn(2, 3), _positive(2, 3)),
]


def _maximum_minimum_broadcast(x, y):
    return tf.maximum(x, y) + tf.minimum(y, x)


GRADIENT_CASES = [
    GradCase(name, (lambda f: lambda x: f(x))(fn), [value], order=2)
    for name, fn, value in UNARY_CASES
] + [
    GradCase(name, (lambda f: lambda x, y: f(x, y))(fn), [x, y], order=2)
    for name, fn, x, y in BINARY_CASES
] + [
    GradCase("Max-Min-broadcast", _maximum_minimum_broadcast,
             [np.array([[0.1, 2.0, -1.0]]), np.array([[1.0], [-2.0]])], order=2),
    GradCase("comparison-masks", lambda x, y: x * tf.cast(tf.logical_or(
        tf.logical_and(tf.less(x, y), tf.not_equal(x, 0.0)),
        tf.logical_not(tf.less_equal(y, -1.0))), tf.float64) * tf.cast(
        tf.greater_equal(y, -2.5), tf.float64) * tf.cast(
        tf.equal(tf.is_nan(x), tf.is_inf(y)), tf.float64) * tf.cast(
        tf.is_finite(y), tf.float64), [np.array([0.5, -1.0, 2.0, 3.0]),
                                       np.array([1.0, -2.0, 1.0, -3.0])], order=2),
    GradCase("Mul-scalar-left", lambda x: 2.5 * x * x, [rng.randn(3)], order=2),
    GradCase("Floor", lambda x: tf.floor(x) * x, [_away_from_integers((2, 3))]),
    GradCase("Ceil", lambda x: tf.ceil(x) * x, [_away_from_integers((2, 3))]),
    GradCase("Round", lambda x: tf.round(x) * x, [_away_from_integers((2, 3)) + 0.5]),
    GradCase("FloorDiv", lambda x, y: tf.floordiv(x, y) * x,
             [rng.uniform(0.1, 0.4, (2, 3)) + 3, np.array([1.0, 2.0, 4.0])]),
    GradCase("AddN", lambda x, y, z: tf.add_n([x, y * y, z]),
             [rng.randn(2, 3), rng.randn(2, 3), rng.randn(2, 3)], order=2),
    GradCase("clip_by_value", lambda x, lo, hi: tf.clip_by_value(x, lo, hi),
             [np.array([-2.0, -0.3, 0.2, 0.9, 3.0]), np.array(-1.0), np.array(1.0)]),
    GradCase("Cast", lambda x: tf.cast(tf.cast(x, tf.complex128), tf.float64) * x,
             [rng.randn(2, 3)], order=2),
    GradCase("scalar_mul", lambda s, x: tf.scalar_mul(s, x), [np.array(1.5), rng.randn(3)],
             order=2),
    GradCase("BroadcastTo", lambda x: tf.broadcast_to(x, [2, 3]) * tf.constant(
        rng.randn(2, 3)), [rng.randn(3)], order=2),
    GradCase("SumToShape", lambda x: broadcast_ops.sum_to_shape(x, [1, 3]), [rng.randn(2, 3)],
             order=2),
]

MATMUL_SHAPES = [
    ((2, 3), (3, 4), False, False),
    ((3, 2), (3, 4), True, False),
    ((2, 3), (4, 3), False, True),
    ((3, 2), (4, 3), True, True),
    ((2, 2, 3), (2, 3, 4), False, False),
    ((2, 1, 3, 2), (4, 2, 3), True, True),
    ((3, 4), (2, 4, 2), False, False),
    ((2, 3, 4), (4, 2), False, False),
]
GRADIENT_CASES += [
    GradCase(f"MatMul-{sa}-{sb}-{ta}-{tb}",
             (lambda ta, tb: lambda a, b: tf.matmul(a, b, transpose_a=ta, transpose_b=tb))(ta, tb),
             [rng.randn(*sa), rng.randn(*sb)], order=2)
    for sa, sb, ta, tb in MATMUL_SHAPES
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradient(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


# ----------------------------------------------------------------------------------------
# Kernels against NumPy (values and dtypes)
# ----------------------------------------------------------------------------------------

FLOAT_UNARY = [
    (tf.sqrt, np.sqrt), (tf.rsqrt, lambda v: 1 / np.sqrt(v)), (tf.exp, np.exp),
    (tf.log, np.log), (tf.log1p, np.log1p), (tf.expm1, np.expm1), (tf.sin, np.sin),
    (tf.cos, np.cos), (tf.tan, np.tan), (tf.asin, np.arcsin), (tf.acos, np.arccos),
    (tf.atan, np.arctan), (tf.tanh, np.tanh), (tf.sigmoid, lambda v: 1 / (1 + np.exp(-v))),
    (tf.reciprocal, np.reciprocal), (tf.floor, np.floor), (tf.ceil, np.ceil),
    (tf.erf, np.vectorize(math.erf)),
]


@pytest.mark.parametrize("shape", [(2, 3), ()])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("fn,reference", FLOAT_UNARY, ids=lambda f: getattr(f, "__name__", ""))
def test_float_unary_kernels(fn, reference, dtype, shape):
    value = rng.uniform(0.1, 0.9, size=shape).astype(dtype)
    out = _run(fn(tf.constant(value)))
    assert out.dtype == dtype and np.shape(out) == shape
    np.testing.assert_allclose(out, reference(value.astype(np.float64)),
                               rtol=1e-6 if dtype == np.float32 else 1e-12)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64])
@pytest.mark.parametrize("fn,reference", [(tf.negative, np.negative), (tf.abs, np.abs),
                                          (tf.sign, np.sign), (tf.square, np.square)])
def test_numeric_unary_kernels(fn, reference, dtype):
    value = np.array([[-3, 0, 2], [5, -1, 4]], dtype=dtype)
    out = _run(fn(tf.constant(value)))
    assert out.dtype == dtype
    np.testing.assert_array_equal(out, reference(value))


def test_float_unary_rejects_integers():
    with pytest.raises(TypeError, match="Sqrt op 'Sqrt'.*floating-point.*int32"):
        tf.sqrt(tf.constant([1, 2]))


def test_sigmoid_is_stable_for_large_inputs():
    out = _run(tf.sigmoid(tf.constant([-1000.0, 0.0, 1000.0])))
    np.testing.assert_array_equal(out, [0.0, 0.5, 1.0])


def test_round_is_half_to_even_and_keeps_integers():
    np.testing.assert_array_equal(_run(tf.round([-2.5, -1.5, 0.5, 1.5, 2.5, 2.6])),
                                  [-2.0, -2.0, 0.0, 2.0, 2.0, 3.0])
    ints = tf.constant([1, 2])
    assert tf.round(ints) is ints


BINARY_KERNELS = [
    (tf.add, np.add), (tf.subtract, np.subtract), (tf.multiply, np.multiply),
    (tf.maximum, np.maximum), (tf.minimum, np.minimum), (tf.pow, np.power),
    (tf.squared_difference, lambda a, b: (a - b) ** 2), (tf.floormod, np.remainder),
]


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64])
@pytest.mark.parametrize("fn,reference", BINARY_KERNELS, ids=lambda f: getattr(f, "__name__", ""))
def test_binary_kernels(fn, reference, dtype):
    x = np.array([[-3, 0, 2], [5, -1, 4]], dtype=dtype)
    y = np.array([2, 3, -3], dtype=dtype) if fn is not tf.pow else np.array([2, 3, 1], dtype)
    out = _run(fn(tf.constant(x), tf.constant(y)))
    assert out.dtype == dtype
    np.testing.assert_allclose(out, reference(x, y), rtol=1e-6)


def test_floor_division_follows_tf1():
    x = np.array([7, -7, 7, -7], np.int32)
    y = np.array([2, 2, -2, -2], np.int32)
    np.testing.assert_array_equal(_run(tf.floordiv(x, y)), [3, -4, -4, 3])
    np.testing.assert_array_equal(_run(tf.floormod(x, y)), [1, 1, -1, -1])
    np.testing.assert_array_equal(_run(tf.mod(x, y)), [1, 1, -1, -1])
    # Float FloorDiv is floor(x / y): 1.0 / 0.1 rounds to exactly 10.
    assert _run(tf.floordiv(tf.constant(1.0, tf.float64), 0.1)) == 10.0
    np.testing.assert_allclose(_run(tf.floormod([-7.5, 7.5], [2.0, -2.0])), [0.5, -0.5])


@pytest.mark.parametrize("dtype,result", [
    (tf.int8, tf.float32), (tf.uint8, tf.float32), (tf.int16, tf.float32),
    (tf.int32, tf.float64), (tf.int64, tf.float64), (tf.float32, tf.float32),
    (tf.float64, tf.float64)])
def test_truediv_casts_integers_like_tf1(dtype, result):
    q = tf.truediv(tf.constant([7, 9], dtype=dtype), tf.constant([2, 2], dtype=dtype))
    assert q.dtype == result
    assert q.op.type == "RealDiv" and q.op.name == "truediv"
    out = _run(q)
    assert out.dtype == result
    np.testing.assert_array_equal(out, [3.5, 4.5])


def test_div_is_floor_division_for_integers():
    ints = tf.div(tf.constant([7, -7]), 2)
    floats = tf.div(tf.constant([7.0, -7.0]), 2)
    assert (ints.op.type, ints.op.name) == ("FloorDiv", "div")
    assert (floats.op.type, floats.op.name) == ("RealDiv", "div_1")
    np.testing.assert_array_equal(_run(ints), [3, -4])
    np.testing.assert_array_equal(_run(floats), [3.5, -3.5])


def test_realdiv_rejects_integers():
    with pytest.raises(TypeError, match="RealDiv.*floating-point"):
        tf.realdiv(tf.constant([1]), tf.constant([2]))


def test_div_no_nan():
    out = _run(tf.div_no_nan(tf.constant([1.0, 2.0, 0.0]), tf.constant([0.0, 4.0, 0.0])))
    np.testing.assert_array_equal(out, [0.0, 0.5, 0.0])


def test_comparisons_broadcast_to_bool():
    x = tf.constant([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])
    y = tf.constant([2.0, 2.0, 2.0])
    outs = _run([tf.equal(x, y), tf.not_equal(x, y), tf.less(x, y), tf.less_equal(x, y),
                 tf.greater(x, y), tf.greater_equal(x, 2)])
    xv, yv = np.array([[1, 2, 3], [3, 2, 1]]), np.array([2, 2, 2])
    expected = [xv == yv, xv != yv, xv < yv, xv <= yv, xv > yv, xv >= 2]
    for out, ref in zip(outs, expected):
        assert out.dtype == np.bool_ and out.shape == (2, 3)
        np.testing.assert_array_equal(out, ref)


def test_equality_accepts_bools_but_ordering_does_not():
    assert _run(tf.equal(tf.constant([True, False]), True)).tolist() == [True, False]
    with pytest.raises(TypeError, match="Less"):
        tf.less(tf.constant([True]), tf.constant([False]))


def test_logical_ops():
    a = tf.constant([True, True, False, False])
    b = tf.constant([True, False, True, False])
    xor = tf.logical_xor(a, b)
    assert (xor.op.type, xor.op.name) == ("LogicalAnd", "LogicalXor")
    outs = _run([tf.logical_and(a, b), tf.logical_or(a, b), xor, tf.logical_not(a)])
    assert [o.tolist() for o in outs] == [[True, False, False, False], [True, True, True, False],
                                          [False, True, True, False], [False, False, True, True]]
    with pytest.raises(TypeError, match="LogicalAnd.*bool"):
        tf.logical_and(tf.constant([1.0]), tf.constant([0.0]))


def test_float_predicates():
    x = tf.constant([1.0, np.nan, np.inf, -np.inf])
    outs = _run([tf.is_nan(x), tf.is_inf(x), tf.is_finite(x)])
    assert [o.tolist() for o in outs] == [[False, True, False, False],
                                          [False, False, True, True],
                                          [True, False, False, False]]


def test_cast_semantics():
    x = tf.constant([-1.7, -0.5, 0.0, 2.9])
    assert tf.cast(x, tf.float32) is x
    outs = _run([tf.cast(x, tf.int32), tf.cast(x, tf.bool), tf.to_int64(x), tf.to_double(x)])
    assert outs[0].dtype == np.int32 and outs[0].tolist() == [-1, 0, 0, 2]
    assert outs[1].tolist() == [True, True, False, True]
    assert outs[2].dtype == np.int64 and outs[3].dtype == np.float64
    assert _run(tf.cast(tf.constant([1 + 2j]), tf.float64)).tolist() == [1.0]
    assert _run(tf.cast(1.9, tf.int32)) == 1


def test_cast_gradient_flows_only_between_floats():
    x = tf.placeholder(tf.float64, [3])
    through_int = tf.cast(tf.cast(x, tf.int32), tf.float64)
    assert tf.gradients(through_int * x, x)[0] is not None  # through the direct x
    assert tf.gradients(through_int, x) == [None]
    halved = tf.cast(x, tf.float32) * 0.5
    grad = tf.gradients(halved, x)[0]
    assert grad.dtype == tf.float64
    np.testing.assert_allclose(_run(grad, {x: [1.0, 2.0, 3.0]}), [0.5, 0.5, 0.5])


def test_to_float_names():
    x = tf.constant([1, 2])
    for fn, name, dtype in [(tf.to_float, "ToFloat", tf.float32),
                            (tf.to_double, "ToDouble", tf.float64),
                            (tf.to_int64, "ToInt64", tf.int64)]:
        t = fn(x)
        assert (t.op.type, t.op.name, t.dtype) == ("Cast", name, dtype)
    assert tf.to_int32(tf.constant([1.5])).op.name == "ToInt32"


def test_add_n():
    xs = [tf.constant(np.full((2, 2), float(i))) for i in range(1, 5)]
    total = tf.add_n(xs)
    assert total.op.type == "AddN" and total.shape == (2, 2)
    np.testing.assert_array_equal(_run(total), np.full((2, 2), 10.0))
    assert tf.add_n([xs[0]]) is xs[0]
    named = tf.add_n([xs[0]], name="single")
    assert named.op.name == "single"
    ints = _run(tf.add_n([tf.constant([1, 2]), tf.constant([3, 4]), tf.constant([5, 6])]))
    assert ints.dtype == np.int32 and ints.tolist() == [9, 12]
    x, y = tf.placeholder(tf.float32, [None, 3]), tf.placeholder(tf.float32, [2, None])
    shapes = [tf.add_n(inputs).shape.as_list() for inputs in ([x, x, x], [x, y], [y, x, x])]
    assert shapes == [[None, 3], [2, 3], [2, 3]]  # the inputs' shapes merged


def test_add_n_errors():
    with pytest.raises(ValueError, match="at least one"):
        tf.add_n([])
    with pytest.raises(ValueError, match=r"AddN.*same shape.*\(2,\).*\(3,\)"):
        tf.add_n([tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0, 3.0])])
    with pytest.raises(TypeError):
        tf.add_n([tf.constant([1.0]), tf.constant([1.0], tf.float64)])


def test_clip_by_value_values_and_names():
    t = tf.constant([-3.0, 0.5, 4.0])
    clipped = tf.clip_by_value(t, -1.0, 2.0)
    assert clipped.op.name == "clip_by_value" and clipped.op.type == "Maximum"
    assert clipped.op.inputs[0].op.name == "clip_by_value/Minimum"
    np.testing.assert_array_equal(_run(clipped), [-1.0, 0.5, 2.0])
    with pytest.raises(ValueError, match="clip_by_value"):
        tf.clip_by_value(t, np.zeros((2, 3), np.float32), 1.0)


def test_clip_by_value_gradient_passes_at_the_bounds():
    x = tf.placeholder(tf.float64, [4])
    grad = tf.gradients(tf.clip_by_value(x, -1.0, 1.0), x)[0]
    np.testing.assert_array_equal(_run(grad, {x: [-2.0, -1.0, 1.0, 2.0]}), [0, 1, 1, 0])


def test_maximum_minimum_ties_send_the_gradient_to_x():
    x = tf.placeholder(tf.float64, [3])
    y = tf.placeholder(tf.float64, [3])
    feed = {x: [1.0, 2.0, 3.0], y: [2.0, 2.0, 2.0]}
    for fn, gx_expected in [(tf.maximum, [0, 1, 1]), (tf.minimum, [1, 1, 0])]:
        gx, gy = tf.gradients(fn(x, y), [x, y])
        gx_value, gy_value = _run([gx, gy], feed)
        np.testing.assert_array_equal(gx_value, gx_expected)
        np.testing.assert_array_equal(gy_value, 1 - np.array(gx_expected))


def test_pow_gradient_wrt_exponent_is_zero_for_nonpositive_base():
    x = tf.placeholder(tf.float64, [3])
    y = tf.placeholder(tf.float64, [3])
    gy = tf.gradients(tf.pow(x, y), y)[0]
    np.testing.assert_array_equal(_run(gy, {x: [0.0, -2.0, 1.0], y: [2.0, 2.0, 3.0]}),
                                  [0.0, 0.0, 0.0])


def test_piecewise_constant_ops_have_no_gradient():
    x = tf.placeholder(tf.float64, [2])
    for y in [tf.floor(x), tf.ceil(x), tf.round(x), tf.floordiv(x, 2.0)]:
        assert tf.gradients(y, x) == [None]
    grad = tf.gradients(tf.sign(x), x)[0]
    np.testing.assert_array_equal(_run(grad, {x: [-1.0, 2.0]}), [0.0, 0.0])


def test_scalar_mul():
    out = tf.scalar_mul(2, tf.constant([1.0, 2.0]))
    assert out.op.name == "scalar_mul" and out.dtype == tf.float32
    np.testing.assert_array_equal(_run(out), [2.0, 4.0])
    with pytest.raises(ValueError, match="Only scalar multiply"):
        tf.scalar_mul([1.0, 2.0], tf.constant([1.0, 2.0]))


# ----------------------------------------------------------------------------------------
# Shape rules against the kernels' real output shapes
# ----------------------------------------------------------------------------------------

SHAPED_BINARY = [tf.add, tf.subtract, tf.multiply, tf.divide, tf.pow, tf.maximum, tf.minimum,
                 tf.squared_difference, tf.floormod, tf.floordiv, tf.div_no_nan, tf.less,
                 tf.equal, tf.greater_equal]


@settings(max_examples=25, deadline=None)
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, max_dims=4, max_side=3),
       fn=st.sampled_from(SHAPED_BINARY), hide=st.lists(st.booleans(), min_size=8, max_size=8))
def test_binary_shape_rule_matches_kernel(shapes, fn, hide):
    tf.reset_default_graph()
    sx, sy = shapes.input_shapes
    partial = iter(hide)
    px = tf.placeholder(tf.float64, [None if next(partial) else d for d in sx])
    py = tf.placeholder(tf.float64, [None if next(partial) else d for d in sy])
    z = fn(px, py)
    out = _run(z, {px: _positive(*sx), py: _positive(*sy)})
    assert np.shape(out) == shapes.result_shape
    assert z.shape.is_compatible_with(np.shape(out))
    full = fn(tf.constant(_positive(*sx)), tf.constant(_positive(*sy)))
    assert full.shape == shapes.result_shape


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(1, 3), max_size=3),
       fn=st.sampled_from([tf.sqrt, tf.abs, tf.sigmoid, tf.floor, tf.is_nan, tf.negative]))
def test_unary_shape_rule_matches_kernel(shape, fn):
    tf.reset_default_graph()
    y = fn(tf.constant(_positive(*shape)))
    assert y.shape == tuple(shape) == np.shape(_run(y))


def test_incompatible_shapes_name_op_and_shapes():
    with pytest.raises(ValueError, match=r"Add op 'Add'.*\(2, 3\).*\(4,\)"):
        tf.add(tf.constant(np.ones((2, 3))), tf.constant(np.ones(4)))


def test_mismatched_tensor_dtypes_raise_type_error():
    with pytest.raises(TypeError, match="float64.*float32|float32.*float64"):
        tf.add(tf.constant([1.0], tf.float32), tf.constant([1.0], tf.float64))
    with pytest.raises(TypeError):
        tf.truediv(tf.constant([1]), 2.5)


def test_python_numbers_adopt_the_tensor_dtype():
    x = tf.constant([1.0, 2.0], tf.float64)
    assert tf.add(x, 1).dtype == tf.float64
    assert tf.multiply(3, x).dtype == tf.float64
    assert tf.add(tf.constant([1], tf.int64), 2).dtype == tf.int64


@pytest.mark.parametrize("dtype", [tf.float16, tf.float32, tf.float64, tf.complex64])
def test_python_float_constants_round_like_numpy(dtype):
    product = tf.placeholder(dtype, [2]) * 0.1
    value = product.op.inputs[1].op.get_attr("value")
    assert value.dtype == dtype.as_numpy_dtype and value == np.array(0.1, dtype.as_numpy_dtype)
    assert not value.flags.writeable


def test_python_float_operands_on_either_side_become_named_constants():
    x = tf.placeholder(tf.float32, [2], name="x")
    for product, const_input in ((x * 0.5, 1), (0.5 * x, 0)):
        const = product.op.inputs[const_input].op
        assert product.op.type == "Mul" and product.op.name.startswith("mul")
        assert const.type == "Const" and const.name.startswith("Const")
        assert const.get_attr("value").dtype == np.float32
        assert const.traceback.startswith(__file__) and product.op.traceback.startswith(__file__)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(0.5 * x + x * 0.25, {x: [2.0, 4.0]}), [1.5, 3.0])


def test_python_float_operand_makes_the_constant_tf_constant_makes():
    x = tf.placeholder(tf.float64, [2], name="x")
    with tf.name_scope("scope"):
        made = (x * 0.25).op.inputs[1]
        reference = tf.constant(0.25, tf.float64)
    assert made.op.name == "scope/Const" and reference.op.name == "scope/Const_1"
    assert (made.dtype, made.shape, made.op.type) == (
        reference.dtype, reference.shape, reference.op.type)
    assert made.op.attrs.keys() == reference.op.attrs.keys()
    value = made.op.get_attr("value")
    assert value.dtype == np.float64 and value.shape == () and value == 0.25
    # inside a loop body (a function graph is the default graph there)
    out = tf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, h * 0.5), [0, x])[1]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(out, {x: [8.0, 4.0]}), [1.0, 0.5])


def test_python_numbers_for_integer_tensors_must_be_whole():
    x = tf.constant([1, 2])
    assert (x * 2.0).op.inputs[1].op.get_attr("value").dtype == np.int32
    with pytest.raises(TypeError, match="expected int32, got 0.5"):
        x * 0.5


def test_variables_convert_once_and_keep_their_dtype():
    v = tf.Variable(np.ones(2, np.float32))
    assert (v * 2.0).dtype == tf.float32
    assert (v * v).op.inputs[0] is (v * v).op.inputs[1]
    with pytest.raises(TypeError, match="Mul: input .* has dtype float64, which does not "
                                        "match float32"):
        v * tf.constant([1.0, 2.0], tf.float64)

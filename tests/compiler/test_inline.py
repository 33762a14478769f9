"""Ops the generated code computes with an expression instead of a kernel call.

Each expression must give exactly the kernel's result (same dtype, shape and bits), and
the generated source must use it where it applies and fall back to the kernel elsewhere.
"""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.compiler.codegen import fill
from staticgraph.core.registry import get_op_def
from staticgraph.core.shapes import TensorShape
from staticgraph.runtime.state import SessionState

from .helpers import assert_identical
from .test_codegen import _source

RNG = np.random.default_rng(7)


def _specs(arrays, shapes=None):
    """The (TensorShape, DType) an op's ``inline`` gets for ``arrays``."""
    shapes = shapes or [TensorShape(np.shape(a)) for a in arrays]
    return [(s, tf.as_dtype(np.asarray(a).dtype)) for s, a in zip(shapes, arrays)]


def _evaluate(template, arrays, state=None):
    """The value of an inline template (or ``(template, values)``) on ``arrays``, with
    the values bound as the generated code binds them (after the inputs)."""
    template, values = template if isinstance(template, tuple) else (template, [])
    names = [f"a{i}" for i in range(len(arrays) + len(values))]
    scope = {"np": np, "S": state, **dict(zip(names, list(arrays) + list(values)))}
    return eval(fill(template, names), scope)


def _inline_and_kernel(op_type, arrays, attrs, constant=(), state=None):
    """(expression's value, kernel's value) for ``arrays``; inputs listed in ``constant``
    are passed to the op's ``inline`` as compile-time constants."""
    opdef = get_op_def(op_type)
    constants = [a if i in constant else None for i, a in enumerate(arrays)]
    template = opdef.inline(attrs, constants, _specs(arrays))
    assert template is not None
    inlined = _evaluate(template, arrays, state)
    kernel_args = ([state] if opdef.uses_state else []) + list(arrays)
    return inlined, opdef.kernel(*kernel_args, **attrs)


@pytest.mark.parametrize("transpose_a", [False, True])
@pytest.mark.parametrize("transpose_b", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32])
def test_matmul_expression_is_the_kernel(transpose_a, transpose_b, dtype):
    a = (RNG.standard_normal((3, 4, 5) if transpose_a else (3, 5, 4)) * 10).astype(dtype)
    b = (RNG.standard_normal((3, 6, 4) if transpose_b else (3, 4, 6)) * 10).astype(dtype)
    got, want = _inline_and_kernel("MatMul", [a, b], {"transpose_a": transpose_a,
                                                      "transpose_b": transpose_b})
    assert_identical(got, want)


_SUM_CASES = [((4, 3, 5), axis, keep_dims) for axis, keep_dims in [
    (None, False), (None, True), ((0,), False), ((1, 2), True), ((2,), False), ((-1,), False)]
] + [(shape, axis, keep_dims) for shape in [(7,), (0,)] for axis, keep_dims in [
    (None, False), ((0,), False), ((-1,), False), ((0,), True)]]


@pytest.mark.parametrize("shape, axis, keep_dims", _SUM_CASES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16, np.complex64,
                                   np.int64, np.int8, np.uint8])
def test_sum_expression_is_the_kernel(shape, axis, keep_dims, dtype):
    x = (RNG.standard_normal(shape) * 50).astype(dtype)
    got, want = _inline_and_kernel("Sum", [x], {"axis": axis, "keep_dims": keep_dims})
    assert_identical(got, want)


def test_sum_of_a_whole_float_vector_is_a_plain_reduce():
    opdef = get_op_def("Sum")
    attrs = {"axis": (0,), "keep_dims": False}
    x = np.ones(3)
    assert opdef.inline(attrs, [None], _specs([x])) == "np.add.reduce({0})"
    assert "{0}.dtype" in opdef.inline(attrs, [None], _specs([x.astype(np.int8)]))


@pytest.mark.parametrize("shape", [[2, 3], [-1], [3, -1, 1], []])
def test_reshape_to_a_constant_shape_is_the_kernel(shape):
    x = RNG.standard_normal(6 if shape else 1)
    got, want = _inline_and_kernel("Reshape", [x, np.array(shape, np.int32)], {},
                                   constant={1})
    assert_identical(got, want)
    assert np.shares_memory(got, x) == np.shares_memory(want, x)  # both views


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
@pytest.mark.parametrize("alpha", [1e-3, np.float32(1e-3), -0.5, 3])
def test_gradient_descent_expression_is_the_kernel(dtype, alpha):
    var = RNG.standard_normal(5).astype(dtype)
    delta = RNG.standard_normal(5).astype(dtype)
    alpha = np.asarray(alpha)
    attrs = {"var_keys": ("w",)}
    results = []
    for _ in range(2):  # the expression, then the kernel, each on a fresh state
        state = SessionState()
        state.values["w"] = var
        results.append(state)
    opdef = get_op_def("ApplyGradientDescent")
    template = opdef.inline(attrs, [None, alpha, None], _specs([var, alpha, delta]))
    _, (bound,) = template  # a constant rate: bound once, as a 0-d array of var's dtype
    assert bound.shape == () and bound.dtype == dtype
    inlined = _evaluate(template, [var, alpha, delta], results[0])
    kernel = opdef.kernel(results[1], var, alpha, delta, **attrs)
    assert_identical(inlined, kernel)
    assert_identical(results[0].values["w"], results[1].values["w"])
    assert results[0].values["w"] is not var  # a new array: the old one is the undo value


def test_gradient_descent_keeps_the_kernel_when_shapes_are_not_static():
    opdef = get_op_def("ApplyGradientDescent")
    attrs = {"var_keys": ("w",)}
    alpha = np.asarray(0.1)
    arrays = [np.ones(3), alpha, np.ones(3)]
    assert opdef.inline(attrs, [None, alpha, None], _specs(arrays, [
        TensorShape([3]), TensorShape([]), TensorShape([None])])) is None
    # A 0-d result of the expression would be a NumPy scalar rather than an array.
    assert opdef.inline(attrs, [None, alpha, None],
                        _specs(arrays, [TensorShape([])] * 3)) is None


def test_a_learning_rate_that_is_not_constant_is_read_at_run_time():
    w = tf.Variable([1.0, 2.0], dtype=tf.float64)
    lr = tf.placeholder(tf.float64, [])
    step = tf.train.GradientDescentOptimizer(lr).minimize(tf.reduce_sum(w * w))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step, {lr: 0.25})
        np.testing.assert_array_equal(sess.run(w), [0.5, 1.0])
        sess.run(step, {lr: 0.5})
        np.testing.assert_array_equal(sess.run(w), [0.0, 0.0])


def test_generated_code_uses_the_expressions():
    x = tf.placeholder(tf.float64, [6])
    m = tf.placeholder(tf.float64, [2, 3])
    y = tf.reduce_sum(tf.matmul(m, tf.reshape(x, [2, 3]), transpose_a=True), axis=1)
    source = _source([y], [x, m])
    assert ".reshape((2, 3))" in source
    assert "f1.swapaxes(-1, -2) @ s" in source
    assert "np.add.reduce(" in source


def test_a_reshape_to_a_fed_shape_calls_the_kernel():
    x = tf.placeholder(tf.float64, [6])
    shape = tf.placeholder(tf.int32, [2])
    y = tf.reshape(x, shape)
    source = _source([y], [x, shape])
    assert ".reshape(" not in source
    with tf.Session() as sess:
        out = sess.run(y, {x: np.arange(6.0), shape: [3, 2]})
    np.testing.assert_array_equal(out, np.arange(6.0).reshape(3, 2))


def test_a_failing_expression_names_its_op():
    x = tf.placeholder(tf.float64, [None])
    y = tf.reshape(x, [2, 3], name="to_grid")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="to_grid"):
            sess.run(y, {x: np.zeros(5)})


def _matrices(rows, cols, dtype):
    """One matrix in the layouts a plan may hand MatVec: C order (the ``np.dot`` path),
    Fortran order, a strided view, a misaligned copy and a read-only one (``@``)."""
    a = (RNG.standard_normal((rows, cols)) * 10).astype(dtype)
    if rows * cols and a.dtype.kind in "fc":
        a.flat[0] = np.nan
        a.flat[-1] = -np.inf
    strided = np.repeat(a, 2, axis=1)[:, ::2]
    raw = np.zeros(a.nbytes + 1, np.uint8)
    misaligned = np.frombuffer(raw.data, a.dtype, a.size, 1).reshape(a.shape)
    misaligned[...] = a
    read_only = a.copy()
    read_only.flags.writeable = False
    return [a, np.asfortranarray(a), strided, misaligned, read_only]


@pytest.mark.parametrize("rows, cols", [(500, 2), (7, 1), (1, 5), (40, 300), (0, 3), (3, 0)])
@pytest.mark.parametrize("transpose_a", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.float16,
                                   np.int32])
def test_matvec_expression_is_the_kernel_for_every_layout(rows, cols, transpose_a, dtype):
    for a in _matrices(rows, cols, dtype):
        vectors = [(RNG.standard_normal(2 * (rows if transpose_a else cols)) * 10)
                   .astype(dtype)]
        vectors.append(vectors[0][::2])  # strided
        vectors.append(vectors[0][: len(vectors[1])])  # contiguous
        for v in vectors[1:]:
            with np.errstate(all="ignore"):
                got, want = _inline_and_kernel("MatVec", [a, v], {"transpose_a": transpose_a})
            assert_identical(got, want)


def test_matvec_expression_takes_np_dot_only_for_c_ordered_aligned_matrices():
    template = get_op_def("MatVec").inline({"transpose_a": False}, [None, None],
                                           _specs([np.ones((3, 2)), np.ones(2)]))
    calls = []

    class Spy:
        @staticmethod
        def dot(a, v):
            calls.append(a)
            return np.dot(a, v)
    for a in _matrices(3, 2, np.float64):
        eval(fill(template, ["a", "v"]), {"np": Spy, "a": a, "v": np.ones(2)})
    assert len(calls) == 1 and calls[0].flags.c_contiguous

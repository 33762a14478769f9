"""Reductions, arg-reductions, scans and contractions: kernels, shapes, names, gradients."""
import inspect

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case

rng = np.random.RandomState(1)


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def _distinct(*shape):
    """Values with no ties (so max/min have unique arg-extrema)."""
    return rng.permutation(np.prod(shape, dtype=int)).reshape(shape) * 0.37 + \
        rng.uniform(0, 0.1, size=shape)


def _nonzero(*shape):
    return rng.uniform(0.5, 1.5, size=shape) * rng.choice([-1.0, 1.0], size=shape)


REDUCTIONS = [(tf.reduce_sum, "Sum"), (tf.reduce_mean, "Mean"), (tf.reduce_max, "Max"),
              (tf.reduce_min, "Min"), (tf.reduce_prod, "Prod")]
AXES = [(None, False), (1, False), (-1, True), ([0, 2], False), ([0, -1], True), ([], False)]

GRADIENT_CASES = [
    GradCase(f"{op_type}-axis={axis}-keepdims={keep}",
             (lambda f, a, k: lambda x: f(x, axis=a, keepdims=k))(fn, axis, keep),
             [_distinct(2, 3, 2) if op_type in ("Max", "Min") else _nonzero(2, 3, 2)],
             order=2)
    for fn, op_type in REDUCTIONS for axis, keep in AXES
] + [
    GradCase("Prod-with-zeros", lambda x: tf.reduce_prod(x, [0, 1]),
             [np.array([[0.0, 2.0, -1.5], [3.0, 0.0, 0.5]])]),
    GradCase("Prod-with-a-zero-second-order", lambda x: tf.reduce_prod(x, 1),
             [np.array([[0.0, 2.0, -1.5], [3.0, 0.7, 0.5]])], order=2),
    GradCase("Sum-partial-shape", lambda x: tf.reduce_sum(
        tf.placeholder_with_default(x, [None, 3]), 0), [rng.randn(2, 3)], order=2),
    GradCase("Mean-partial-shape", lambda x: tf.reduce_mean(
        tf.placeholder_with_default(x, [None, None]), 1, keepdims=False), [rng.randn(2, 3)]),
    GradCase("Max-partial-shape", lambda x: tf.reduce_max(
        tf.placeholder_with_default(x, [None, 3]), 1), [_distinct(2, 3)]),
    GradCase("masked-by-Any-All-ArgMax-ArgMin", lambda x: tf.reduce_sum(x, 1) * tf.cast(
        tf.reduce_any(tf.greater(x, 0.5), 1), tf.float64) * tf.cast(tf.reduce_all(
            tf.less(x, 1.4), 1), tf.float64) * tf.cast(
        tf.argmax(x, 1) - tf.argmin(x, 1), tf.float64),
        [np.array([[0.1, 0.9, 0.3], [1.2, 0.2, 0.7]])], order=2),
    GradCase("reduce_logsumexp", lambda x: tf.reduce_logsumexp(x, 1), [rng.randn(2, 3)],
             order=2),
    GradCase("reduce_logsumexp-keepdims", lambda x: tf.reduce_logsumexp(x, keepdims=True),
             [rng.randn(2, 3)], order=2),
] + [
    GradCase(f"{name}-axis={axis}-exclusive={excl}-reverse={rev}",
             (lambda f, a, e, r: lambda x: f(x, a, exclusive=e, reverse=r))(fn, axis, excl, rev),
             [_nonzero(2, 3)], order=2)
    for name, fn in [("Cumsum", tf.cumsum), ("Cumprod", tf.cumprod)]
    for axis, excl, rev in [(0, False, False), (1, True, False), (-1, False, True),
                            (1, True, True)]
] + [
    GradCase(f"Einsum-{eq}", (lambda e: lambda *xs: tf.einsum(e, *xs))(eq),
             [rng.randn(*s) for s in shapes], order=2)
    for eq, shapes in [
        ("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,kj->k", [(2, 3), (4, 3)]),
        ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]), ("ij->ji", [(2, 3)]), ("ij->", [(2, 3)]),
        ("ij", [(2, 3)]), ("ij,jk", [(2, 3), (3, 2)]), ("i,j->ij", [(3,), (2,)]),
        ("ij,ij->i", [(2, 3), (2, 3)]), ("ij,jk,kl->il", [(2, 3), (3, 2), (2, 2)]),
        ("...ij,...jk->...ik", [(1, 2, 3), (4, 3, 2)]), ("ij,jk->ik", [(2, 1), (3, 2)]),
        ("i,i->", [(3,), (3,)])]
] + [
    GradCase("Tensordot-int", lambda a, b: tf.tensordot(a, b, 1), [rng.randn(2, 3),
                                                                    rng.randn(3, 2)], order=2),
    GradCase("Tensordot-lists", lambda a, b: tf.tensordot(a, b, [[0, 2], [1, 0]]),
             [rng.randn(2, 3, 4), rng.randn(4, 2, 2)], order=2),
    GradCase("Tensordot-outer", lambda a, b: tf.tensordot(a, b, 0), [rng.randn(2),
                                                                      rng.randn(3)]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradient(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


# ----------------------------------------------------------------------------------------
# Reductions
# ----------------------------------------------------------------------------------------

NUMPY_REDUCTIONS = {"Sum": np.sum, "Mean": np.mean, "Max": np.max, "Min": np.min,
                    "Prod": np.prod}


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64])
@pytest.mark.parametrize("axis,keep", AXES)
@pytest.mark.parametrize("fn,op_type", REDUCTIONS, ids=lambda v: v if isinstance(v, str) else "")
def test_reduction_kernels(fn, op_type, axis, keep, dtype):
    value = rng.randint(1, 4, size=(2, 3, 2)).astype(dtype)
    out = _run(fn(tf.constant(value), axis=axis, keepdims=keep))
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    reference = NUMPY_REDUCTIONS[op_type](value, axis=np_axis, keepdims=keep)
    assert np.asarray(out).dtype == dtype
    if op_type == "Mean" and value.dtype.kind == "i":
        reference = np.trunc(reference)
    np.testing.assert_allclose(out, reference, rtol=1e-6)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # means of empty slices
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape,axis", [((500,), None), ((7, 13, 5), (0, 2)), ((64, 10), (1,)),
                                        ((3, 0), (1,)), ((0, 4), (0,)), ((), None)])
def test_float_sum_and_mean_are_bit_identical_to_numpy(dtype, shape, axis):
    """The Sum and Mean kernels skip np.sum/np.mean's dispatch but not their arithmetic."""
    value = np.random.default_rng(0).standard_normal(shape).astype(dtype)
    for keep in (False, True):
        x = tf.constant(value)
        out = _run([tf.reduce_sum(x, axis=axis, keepdims=keep),
                    tf.reduce_mean(x, axis=axis, keepdims=keep)])
        for got, want in zip(out, (np.sum(value, axis=axis, keepdims=keep),
                                   np.mean(value, axis=axis, keepdims=keep))):
            got, want = np.asarray(got), np.asarray(want)
            assert got.dtype == want.dtype and got.shape == want.shape
            assert got.tobytes() == want.tobytes()


def test_integer_mean_truncates_toward_zero():
    x = tf.constant([[-1, -2], [3, 4], [-7, 2]])
    out = _run(tf.reduce_mean(x, 1))
    assert out.dtype == np.int32 and out.tolist() == [-1, 3, -2]


def test_reduce_any_all():
    x = tf.constant([[True, False], [True, True]])
    outs = _run([tf.reduce_any(x), tf.reduce_all(x), tf.reduce_all(x, 1), tf.reduce_any(
        x, 0, keepdims=True)])
    assert outs[0] and not outs[1]
    assert outs[2].tolist() == [False, True] and outs[3].tolist() == [[True, True]]
    with pytest.raises(TypeError, match="All op 'All'.*bool"):
        tf.reduce_all(tf.constant([1.0]))
    with pytest.raises(TypeError, match="Sum.*numeric"):
        tf.reduce_sum(x)


def test_empty_max_is_the_lowest_value():
    assert _run(tf.reduce_max(tf.constant(np.zeros((0, 2))), 0)).tolist() == [-np.inf] * 2
    assert _run(tf.reduce_min(tf.constant(np.zeros((2, 0), np.int32)), 1)).tolist() == \
        [np.iinfo(np.int32).max] * 2


def test_reduce_max_gradient_splits_ties_equally():
    x = tf.placeholder(tf.float64, [2, 3])
    for fn, values in [(tf.reduce_max, [[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]]),
                       (tf.reduce_min, [[-1.0, -3.0, -3.0], [2.0, 2.0, 2.0]])]:
        grad = tf.gradients(fn(x, 1), x)[0]
        np.testing.assert_allclose(_run(grad, {x: values}),
                                   [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])


def test_keep_dims_spellings_and_reduction_indices():
    x = tf.constant(np.ones((2, 3)))
    assert tf.reduce_sum(x, 1, keep_dims=True).shape == (2, 1)
    assert tf.reduce_sum(x, reduction_indices=[0]).shape == (3,)
    assert tf.reduce_sum(x, tf.constant(1)).shape == (2,)
    with pytest.raises(ValueError, match="Cannot specify both 'axis' and 'reduction_indices'"):
        tf.reduce_sum(x, 0, reduction_indices=0)
    with pytest.raises(ValueError, match="keepdims"):
        tf.reduce_sum(x, 0, keepdims=True, keep_dims=True)


def test_reduction_axis_errors():
    x = tf.constant(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"reduce_sum: axis 2 is out of range.*rank 2"):
        tf.reduce_sum(x, 2)
    with pytest.raises(TypeError, match="known when the graph is built"):
        tf.reduce_sum(x, tf.placeholder(tf.int32, []))
    with pytest.raises(TypeError, match="integers"):
        tf.reduce_sum(x, 0.5)


def test_reduction_of_unknown_rank():
    x = tf.placeholder(tf.float64)
    total, kept, rows = tf.reduce_sum(x), tf.reduce_sum(x, -1, keepdims=True), \
        tf.reduce_sum(x, -1)
    assert total.shape == () and kept.shape.ndims is None
    value = np.arange(6.0).reshape(2, 3)
    outs = _run([total, kept, rows], {x: value})
    assert outs[0] == 15.0 and outs[1].tolist() == [[3.0], [12.0]]
    grad = tf.gradients(rows, x)[0]
    np.testing.assert_array_equal(_run(grad, {x: value}), np.ones((2, 3)))


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(1, 3), min_size=1, max_size=4), data=st.data(),
       keep=st.booleans(), op=st.sampled_from(REDUCTIONS))
def test_reduction_shape_rule_matches_kernel(shape, data, keep, op):
    tf.reset_default_graph()
    axes = data.draw(st.lists(st.integers(-len(shape), len(shape) - 1), unique=True))
    axis = None if data.draw(st.booleans()) else axes
    hidden = [None if data.draw(st.booleans()) else d for d in shape]
    x = tf.placeholder(tf.float64, hidden)
    y = op[0](x, axis, keepdims=keep)
    out = _run(y, {x: np.ones(shape)})
    assert y.shape.is_compatible_with(np.shape(out))
    assert op[0](tf.constant(np.ones(shape)), axis, keepdims=keep).shape == np.shape(out)


@pytest.mark.parametrize("fn,op_type", REDUCTIONS + [(tf.reduce_any, "Any"),
                                                     (tf.reduce_all, "All")])
def test_reduction_names_and_signatures(fn, op_type):
    x = tf.constant([[True]]) if op_type in ("Any", "All") else tf.constant([[1.0]])
    y = fn(x)
    assert (y.op.type, y.op.name) == (op_type, op_type)
    assert list(inspect.signature(fn).parameters) == [
        "input_tensor", "axis", "keepdims", "name", "reduction_indices", "keep_dims"]
    assert fn(x, name="r").op.name == "r"


def test_reduce_logsumexp_is_stable_and_named():
    value = np.array([[1.0, 2.0, 1000.0], [-np.inf, -np.inf, -np.inf], [0.5, -1.0, 3.0]])
    y = tf.reduce_logsumexp(tf.constant(value), 1)
    assert y.op.name.startswith("ReduceLogSumExp/") and y.shape == (3,)
    with np.errstate(divide="ignore"):
        expected = [1000.0, -np.inf, np.log(np.exp(value[2]).sum())]
    np.testing.assert_allclose(_run(y), expected)
    kept = tf.reduce_logsumexp(tf.constant(value[2:]), keep_dims=True)
    assert kept.shape == (1, 1)
    np.testing.assert_allclose(_run(kept), [[expected[2]]])


def test_count_nonzero():
    x = tf.constant([[0.0, 1.5, -2.0], [0.0, 0.0, 3.0]])
    counts = tf.count_nonzero(x, 1)
    assert counts.dtype == tf.int64 and counts.shape == (2,)
    outs = _run([counts, tf.count_nonzero(x), tf.count_nonzero([True, False, True],
                                                               dtype=tf.int32)])
    assert outs[0].tolist() == [2, 1] and outs[1] == 3
    assert outs[2] == 2 and outs[2].dtype == np.int32


# ----------------------------------------------------------------------------------------
# ArgMax / ArgMin
# ----------------------------------------------------------------------------------------


def test_argmax_argmin():
    value = np.array([[1.0, 5.0, 5.0], [7.0, 0.0, -2.0]])
    x = tf.constant(value)
    default, rows = tf.argmax(x), tf.argmax(x, 1, output_type=tf.int32)
    assert (default.op.type, default.op.name, default.dtype) == ("ArgMax", "ArgMax", tf.int64)
    assert rows.dtype == tf.int32 and rows.shape == (2,)
    outs = _run([default, rows, tf.argmin(x, -1), tf.argmax(x, dimension=1)])
    assert outs[0].dtype == np.int64 and outs[0].tolist() == [1, 0, 0]
    assert outs[1].dtype == np.int32 and outs[1].tolist() == [1, 0]  # first of tied maxima
    assert outs[2].tolist() == [0, 2] and outs[3].tolist() == [1, 0]
    assert list(inspect.signature(tf.argmax).parameters) == [
        "input", "axis", "name", "dimension", "output_type"]


def test_argmax_errors():
    with pytest.raises(ValueError, match=r"argmax: axis 1 is out of range.*\(2,\)"):
        tf.argmax(tf.constant([1.0, 2.0]), 1)
    with pytest.raises(ValueError, match="scalar"):
        tf.argmax(tf.constant(1.0))
    with pytest.raises(TypeError, match="output_type"):
        tf.argmax(tf.constant([1.0]), output_type=tf.float32)
    with pytest.raises(TypeError, match="single integer"):
        tf.argmax(tf.constant([[1.0]]), [0, 1])


def test_argmax_has_no_gradient():
    x = tf.placeholder(tf.float64, [3])
    assert tf.gradients(tf.cast(tf.argmax(x), tf.float64), x) == [None]


# ----------------------------------------------------------------------------------------
# Scans
# ----------------------------------------------------------------------------------------


def _reference_scan(value, axis, exclusive, reverse, product):
    value = np.flip(value, axis) if reverse else value
    scan = np.cumprod if product else np.cumsum
    out = scan(value, axis=axis)
    if exclusive:
        out = np.moveaxis(out, axis, 0)
        out = np.concatenate([np.ones_like(out[:1]) * (1 if product else 0), out[:-1]])
        out = np.moveaxis(out, 0, axis)
    return np.flip(out, axis) if reverse else out


@pytest.mark.parametrize("dtype", [np.int32, np.float32, np.float64])
@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("fn", [tf.cumsum, tf.cumprod])
def test_scan_kernels(fn, reverse, exclusive, axis, dtype):
    value = rng.randint(1, 4, size=(3, 4)).astype(dtype)
    out = _run(fn(tf.constant(value), axis, exclusive=exclusive, reverse=reverse))
    assert out.dtype == dtype and out.shape == (3, 4)
    np.testing.assert_allclose(out, _reference_scan(value, axis, exclusive, reverse,
                                                    fn is tf.cumprod))


def test_scan_names_defaults_and_errors():
    x = tf.constant([1.0, 2.0, 3.0])
    assert (tf.cumsum(x).op.type, tf.cumsum(x).op.name) == ("Cumsum", "Cumsum_1")
    assert tf.cumprod(x).op.type == "Cumprod"
    assert list(inspect.signature(tf.cumsum).parameters) == [
        "x", "axis", "exclusive", "reverse", "name"]
    assert inspect.signature(tf.cumsum).parameters["axis"].default == 0
    with pytest.raises(ValueError, match=r"cumsum: axis 1 is out of range.*\(3,\)"):
        tf.cumsum(x, 1)
    with pytest.raises(ValueError, match="scalar"):
        tf.cumsum(tf.constant(1.0))


# ----------------------------------------------------------------------------------------
# Einsum and tensordot
# ----------------------------------------------------------------------------------------

EINSUM_VALUES = [
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("ij->ji", [(2, 3)]), ("ii->i", [(3, 3)]),
    ("ii", [(3, 3)]), ("ij,ij->", [(2, 3), (2, 3)]), ("bij,bkj->bik", [(2, 3, 4), (2, 5, 4)]),
    ("...i,i->...", [(2, 3, 4), (4,)]), ("i,j,k->ijk", [(2,), (3,), (2,)]),
    (" ij , jk -> ki ", [(2, 3), (3, 2)]), ("ba,ca", [(2, 3), (4, 3)]),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
@pytest.mark.parametrize("equation,shapes", EINSUM_VALUES, ids=[e for e, _ in EINSUM_VALUES])
def test_einsum_kernel_and_shape(equation, shapes, dtype):
    values = [rng.randint(-3, 4, size=s).astype(dtype) for s in shapes]
    y = tf.einsum(equation, *[tf.constant(v) for v in values])
    out = _run(y)
    reference = np.einsum(equation.replace(" ", ""), *values)
    assert np.asarray(out).dtype == dtype
    assert y.shape == np.shape(reference)
    np.testing.assert_allclose(out, reference, rtol=1e-6)


def test_einsum_with_unknown_dims_and_ranks():
    a = tf.placeholder(tf.float64, [None, 3])
    b = tf.placeholder(tf.float64)
    y = tf.einsum("ij,jk->ik", a, b)
    assert y.shape.as_list() == [None, None]
    z = tf.einsum("...j,jk->...k", b, tf.constant(np.ones((3, 2))))
    assert z.shape.ndims is None
    av, bv = rng.randn(2, 3), rng.randn(3, 4)
    np.testing.assert_allclose(_run(y, {a: av, b: bv}), av @ bv)
    np.testing.assert_allclose(_run(z, {b: av}), av @ np.ones((3, 2)))
    with pytest.raises(NotImplementedError, match="ranks"):
        tf.gradients(z, b)


def test_einsum_errors():
    a, b = tf.constant(np.ones((2, 3))), tf.constant(np.ones((4, 5)))
    with pytest.raises(ValueError, match=r"Einsum.*index 'j' has size 3 .* 4"):
        tf.einsum("ij,jk->ik", a, b)
    with pytest.raises(ValueError, match="names 2 inputs, got 1"):
        tf.einsum("ij,jk->ik", a)
    with pytest.raises(ValueError, match="do not match an input of shape"):
        tf.einsum("ijk->i", a)
    with pytest.raises(ValueError, match="appears in no input"):
        tf.einsum("ij->z", a)
    with pytest.raises(ValueError, match="invalid"):
        tf.einsum("i-j->i", a)
    with pytest.raises(TypeError, match="unexpected keyword"):
        tf.einsum("ij->i", a, axis=0)


def test_einsum_trace_gradient_is_not_implemented():
    x = tf.placeholder(tf.float64, [3, 3])
    with pytest.raises(NotImplementedError, match="repeated index"):
        tf.gradients(tf.einsum("ii->", x), x)


def test_einsum_name():
    a = tf.constant(np.ones((2, 2)))
    assert (tf.einsum("ij->ji", a).op.type, tf.einsum("ij->ji", a).op.name) == \
        ("Einsum", "einsum_1")
    assert tf.einsum("ij->ji", a, name="e").op.name == "e"


@pytest.mark.parametrize("axes,shapes", [
    (1, [(2, 3), (3, 4)]), (2, [(2, 3, 4), (3, 4, 5)]), (0, [(2,), (3, 2)]),
    ([[1], [0]], [(2, 3), (3, 4)]), ([1, 0], [(2, 3), (3, 4)]),
    ([[0, 2], [1, 0]], [(2, 3, 4), (4, 2, 5)]), ([[-1], [0]], [(2, 3), (3, 4)])])
def test_tensordot_matches_numpy(axes, shapes):
    a, b = rng.randn(*shapes[0]), rng.randn(*shapes[1])
    y = tf.tensordot(tf.constant(a), tf.constant(b), axes)
    np_axes = axes if isinstance(axes, int) else (
        [axes[0]] if isinstance(axes[0], int) else axes[0],
        [axes[1]] if isinstance(axes[1], int) else axes[1])
    reference = np.tensordot(a, b, np_axes)
    assert y.shape == reference.shape and y.op.name == "Tensordot"
    np.testing.assert_allclose(_run(y), reference)


def test_tensordot_errors():
    a, b = tf.constant(np.ones((2, 3))), tf.constant(np.ones((4, 5)))
    with pytest.raises(ValueError, match=r"axis 1 of a .*\(2, 3\).*axis 0 of b.*3 != 4"):
        tf.tensordot(a, b, 1)
    with pytest.raises(ValueError, match="must be in"):
        tf.tensordot(a, b, 3)
    with pytest.raises(ValueError, match="Different number of contraction axes"):
        tf.tensordot(a, b, [[0, 1], [0]])
    with pytest.raises(ValueError, match="known rank"):
        tf.tensordot(tf.placeholder(tf.float64), b, 1)
    assert list(inspect.signature(tf.tensordot).parameters) == ["a", "b", "axes", "name"]

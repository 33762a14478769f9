"""Algebraic simplification: exact rewrites only, shapes and dtypes preserved."""
import warnings

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.compiler.passes.simplify import (_is_exact_zero_addend,
                                                  _is_exact_zero_subtrahend, _is_one,
                                                  simplify)
from staticgraph.ops.framework import apply_op
from staticgraph.ops.broadcast_ops import sum_to_shape

from .helpers import assert_identical, assert_same_as_unoptimized, program_of, types_of

pytestmark = pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")
SPECIAL = np.array([1.5, -0.0, 0.0, np.inf, -np.inf, np.nan])


def _rewritten(fetch, fed):
    """The op types left after simplification (the feed excluded)."""
    program = program_of([fetch], fed, passes=(simplify,))
    return [t for t in types_of(program) if t != "_Feed"]


@pytest.mark.parametrize("build", [
    lambda x: x * 1.0, lambda x: 1.0 * x, lambda x: x / 1.0, lambda x: x - 0.0,
    lambda x: x + (-0.0), lambda x: (-0.0) + x, lambda x: -(-x),
    lambda x: tf.identity(tf.stop_gradient(tf.identity(x))),
    lambda x: x * np.ones((1,), np.float64),
], ids=["x*1", "1*x", "x/1", "x-0", "x+-0", "-0+x", "--x", "identity chain", "x*[1]"])
def test_neutral_operations_disappear(build):
    x = tf.placeholder(tf.float64, [None])
    y = build(x)
    assert _rewritten(y, [x]) == []
    assert_same_as_unoptimized(y, {x: SPECIAL})


def test_x_plus_positive_zero_is_kept_for_floats():
    x = tf.placeholder(tf.float64, [None])
    y = x + 0.0
    assert _rewritten(y, [x]) == ["Const", "Add"]
    out = assert_same_as_unoptimized(y, {x: SPECIAL})
    assert not np.signbit(out[1])  # -0.0 + 0.0 is +0.0


def test_x_plus_zero_and_minus_zero_go_for_integers():
    x = tf.placeholder(tf.int32, [3])
    ys = [x + 0, 0 + x, x - 0, x * 1]
    program = program_of(ys, [x], passes=(simplify,))
    assert types_of(program) == ["_Feed"]
    assert_same_as_unoptimized(ys, {x: np.array([1, -2, 3], np.int32)})


def test_x_minus_negative_zero_is_kept():
    x = tf.placeholder(tf.float64, [None])
    y = x - (-0.0)
    assert _rewritten(y, [x]) == ["Const", "Sub"]
    assert_same_as_unoptimized(y, {x: SPECIAL})


def test_x_times_zero_is_never_rewritten():
    x = tf.placeholder(tf.float64, [None])
    y = x * 0.0
    assert _rewritten(y, [x]) == ["Const", "Mul"]
    out = assert_same_as_unoptimized(y, {x: SPECIAL})
    assert np.isnan(out[3]) and np.signbit(out[1])


@pytest.mark.parametrize("ones_shape", [(3,), (2, 1), (1, 1, 1)])
def test_a_neutral_constant_that_broadcasts_the_result_is_kept(ones_shape):
    x = tf.placeholder(tf.float64, [None])
    y = x * np.ones(ones_shape)
    assert "Mul" in _rewritten(y, [x])
    assert_same_as_unoptimized(y, {x: np.array([2.0])})


def test_a_neutral_constant_matching_known_dims_goes():
    x = tf.placeholder(tf.float64, [None, 3])
    y = x * np.ones((1, 3))
    assert _rewritten(y, [x]) == []
    assert_same_as_unoptimized(y, {x: np.arange(6.0).reshape(2, 3)})


def test_identity_with_control_inputs_stays():
    x = tf.placeholder(tf.float64, [])
    v = tf.Variable(0.0)
    with tf.control_dependencies([v.assign_add(1.0)]):
        y = tf.identity(x)
    assert "Identity" in _rewritten(y, [x])


def test_identity_of_a_variable_is_kept_when_the_plan_assigns():
    v = tf.Variable(1.0)
    snapshot = tf.identity(v)
    with tf.control_dependencies([snapshot]):
        step = v.assign_add(1.0)
    program = program_of([snapshot, step], passes=(simplify,))
    assert "Identity" in types_of(program)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run([snapshot, step]) == [1.0, 2.0]


def test_unfed_placeholder_with_default_is_its_default():
    d = tf.placeholder_with_default(tf.constant([1.0, 2.0]), [None])
    y = tf.sin(d)
    assert _rewritten(y, []) == ["Const", "Sin"]
    assert_same_as_unoptimized(y)
    assert_same_as_unoptimized(y, {d: [3.0]})


def test_add_n_of_one_input_is_that_input_of_more_a_chain_of_additions():
    x = tf.placeholder(tf.float64, [3])
    one = tf.add_n([x])
    three = tf.add_n([x, tf.sin(x), tf.cos(x)])
    assert _rewritten(one, [x]) == []
    assert _rewritten(three, [x]) == ["Sin", "Cos", "AddV2", "AddV2"]
    assert_same_as_unoptimized([one, three], {x: np.array([0.1, 1e16, -1e16])})


def test_cast_to_the_same_dtype_goes_to_another_stays():
    x = tf.placeholder(tf.float32, [2])
    same = apply_op("Cast", [x], {"DstT": tf.float32}).outputs[0]
    other = tf.cast(x, tf.float64)
    program = program_of([same, other], [x], passes=(simplify,))
    assert types_of(program) == ["_Feed", "Cast"]
    assert_same_as_unoptimized([same, other], {x: np.array([1.5, -2.0], np.float32)})


def test_broadcast_and_sum_to_the_shape_the_value_has_go():
    x = tf.placeholder(tf.float64, [2, 3])
    ys = [tf.broadcast_to(x, [2, 3]), sum_to_shape(x, [2, 3]), tf.reshape(x, [2, 3]),
          tf.broadcast_to(x, [4, 2, 3])]
    program = program_of(ys, [x], passes=(simplify,))
    assert [n.type for n, _ in program.fetches] == ["_Feed", "_Feed", "_Feed", "BroadcastTo"]
    assert_same_as_unoptimized(ys, {x: np.arange(6.0).reshape(2, 3)})


def test_reshape_of_reshape_reshapes_once():
    x = tf.placeholder(tf.float64, [None])
    y = tf.reshape(tf.reshape(x, [2, 3]), [3, 2])
    program = program_of([y], [x], passes=(simplify,))
    reshapes = [n for n in program.nodes if n.type == "Reshape"]
    assert len(reshapes) == 1 and reshapes[0].inputs[0][0].type == "_Feed"
    assert reshapes[0].origin == "reshape of reshape"
    assert_same_as_unoptimized(y, {x: np.arange(6.0)})


def test_reshape_of_reshape_keeps_a_check_the_inner_one_would_fail():
    x = tf.placeholder(tf.float64, [None])
    y = tf.reshape(tf.reshape(x, [2, 3]), [-1])
    assert _rewritten(y, [x]).count("Reshape") == 2
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match="Reshape"):
        sess.run(y, {x: np.arange(4.0)})


def test_transpose_of_transpose_composes():
    x = tf.placeholder(tf.float64, [2, 3, 4])
    back = tf.transpose(tf.transpose(x, [1, 2, 0]), [2, 0, 1])
    other = tf.transpose(tf.transpose(x, [1, 0, 2]), [0, 2, 1])
    program = program_of([back, other], [x], passes=(simplify,))
    assert types_of(program) == ["_Feed", "Transpose"]
    assert program.nodes[1].attrs["perm"] == (1, 2, 0)
    assert_same_as_unoptimized([back, other], {x: np.arange(24.0).reshape(2, 3, 4)})


def test_squeeze_of_expand_dims_and_back():
    x = tf.placeholder(tf.float64, [2, 1, 3])
    ys = [tf.squeeze(tf.expand_dims(x, -1), [3]), tf.expand_dims(tf.squeeze(x, [1]), 1),
          tf.squeeze(tf.expand_dims(x, 0), [2])]
    program = program_of(ys, [x], passes=(simplify,))
    assert [n.type for n, _ in program.fetches] == ["_Feed", "_Feed", "Squeeze"]
    assert_same_as_unoptimized(ys, {x: np.arange(6.0).reshape(2, 1, 3)})


def test_expand_dims_of_squeeze_keeps_the_check_of_an_unknown_dim():
    x = tf.placeholder(tf.float64, [2, None])
    y = tf.expand_dims(tf.squeeze(x, [1]), 1)
    assert _rewritten(y, [x]) == ["Squeeze", "ExpandDims"]


def test_results_are_unchanged_on_a_gradient_graph():
    x = tf.placeholder(tf.float64, [3])
    y = tf.reduce_sum(tf.identity(x) * 1.0 + tf.square(-(-x)))
    g, = tf.gradients(y, x)
    values = assert_same_as_unoptimized([y, g], {x: np.array([0.5, -0.0, 2.0])})
    assert_identical(values[1], 1.0 + 2.0 * np.array([0.5, -0.0, 2.0]))


def _constants_to_classify():
    """One-element arrays of every numeric kind (0-d and not) and larger arrays."""
    values = [1, 0, -0.0, 0.0, 1.0, -1.0, np.nan, np.inf, 1 + 0j, 0j, 1 + 1e-300j, True, False]
    arrays = []
    for dtype in (np.float16, np.float32, np.float64, np.int32, np.uint8, np.int64,
                  np.complex128, np.bool_):
        for v in values:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                scalar = np.array(v).astype(dtype)
            arrays += [scalar, scalar.reshape(1, 1)]
    arrays += [np.array([1.0, 1.0]), np.array([-0.0, -0.0]), np.array([0.0, -0.0]),
               np.array(["1"]), np.array([1.0], dtype=object)]
    return arrays


@pytest.mark.parametrize("check, reference", [
    (_is_one, lambda c: bool(np.all(c == 1))),
    (_is_exact_zero_addend,
     lambda c: bool(np.all(c == 0)) if c.dtype.kind in "iub"
     else bool(np.all(c == 0) and np.all(np.signbit(c)))),
    (_is_exact_zero_subtrahend,
     lambda c: bool(np.all(c == 0)) if c.dtype.kind in "iub"
     else bool(np.all(c == 0) and not np.any(np.signbit(c)))),
], ids=["one", "zero addend", "zero subtrahend"])
def test_neutral_constant_checks_agree_with_the_numpy_reductions(check, reference):
    for c in _constants_to_classify():
        try:
            expected = reference(c)
        except TypeError:  # no sign bit for complex or text: the check raises it too
            with pytest.raises(TypeError):
                check(c)
            continue
        assert check(c) == expected, (c, c.dtype)

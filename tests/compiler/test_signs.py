"""Sign propagation: negations absorbed exactly, never an extra op."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.compiler.passes.constant_folding import constant_folding
from staticgraph.compiler.passes.signs import propagate_signs
from staticgraph.compiler.passes.simplify import simplify

from .helpers import program_of, types_of

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")
SPECIAL = np.array([1.5, -0.0, 0.0, np.inf, -np.inf, np.nan, -2.25, 3e-310])
OTHER = np.array([-0.0, 2.0, np.inf, 0.0, -3.0, 1.0, np.nan, -1e300])


def _ops(fetches, fed, passes=(propagate_signs,)):
    """The op types left after the passes (feeds excluded)."""
    program = program_of(fetches if isinstance(fetches, list) else [fetches], fed,
                         passes=passes)
    return [t for t in types_of(program) if t != "_Feed"]


def _assert_exactly_unchanged(fetches, feed_dict):
    """Optimized and unoptimized runs agree bit for bit, except that a NaN's sign (which
    IEEE leaves uninterpreted) may differ."""
    outs = []
    for optimize in (True, False):
        with tf.Session(optimize=optimize) as sess:
            outs.append(sess.run(fetches, feed_dict))
    for a, e in zip(*outs):
        a, e = np.asarray(a), np.asarray(e)
        assert a.dtype == e.dtype and a.shape == e.shape
        nan = np.isnan(e)
        assert np.array_equal(np.isnan(a), nan)
        assert a[~nan].tobytes() == e[~nan].tobytes(), (a, e)


@pytest.mark.parametrize("build, left", [
    (lambda x, y: -((-x) * y), ["Mul"]),
    (lambda x, y: -(x * (-y)), ["Mul"]),
    (lambda x, y: -((-x) / y), ["RealDiv"]),
    (lambda x, y: -(x / (-y)), ["RealDiv"]),
    (lambda x, y: x + (-y), ["Sub"]),
    (lambda x, y: (-x) + y, ["Sub"]),
    (lambda x, y: x - (-y), ["AddV2"]),
    (lambda x, y: (-x) * (-y), ["Mul"]),
    (lambda x, y: (-x) / (-y), ["RealDiv"]),
    (lambda x, y: -(((-x) * y) * y), ["Mul", "Mul"]),
    (lambda x, y: -((-x) * (-y)), ["Mul", "Neg"]),
    (lambda x, y: x + ((-x) * y) / y, ["Mul", "RealDiv", "Sub"]),
    (lambda x, y: -((-x) * -1.0), ["Neg"]),
    (lambda x, y: -((-x) * (-y) * -1.0), ["Mul"]),
], ids=["-(-x*y)", "-(x*-y)", "-(-x/y)", "-(x/-y)", "x+-y", "-x+y", "x--y", "-x*-y",
        "-x/-y", "nested", "even", "sum", "-(-x*-1)", "-(-x*-y*-1)"])
def test_negations_are_absorbed_exactly(build, left):
    x = tf.placeholder(tf.float64, [8])
    y = tf.placeholder(tf.float64, [8])
    z = build(x, y)
    assert sorted(_ops(z, [x, y])) == sorted(left)
    _assert_exactly_unchanged([z], {x: SPECIAL, y: OTHER})


def test_the_gradient_through_a_negated_minimum_times_minus_one():
    """-((-x) * -1) once crashed the pass (it returned a node where a value belongs)."""
    x = tf.placeholder(tf.float64, [8])
    loss = tf.reduce_sum(tf.square(tf.minimum(-x, 0.0) * -1.0))
    grad = tf.gradients(loss, x)[0]
    assert "Neg" in _ops([grad], [x], passes=(constant_folding, simplify, propagate_signs))
    _assert_exactly_unchanged([loss, grad], {x: SPECIAL})


def test_a_constant_minus_one_factor_is_a_sign():
    x = tf.placeholder(tf.float64, [8])
    y = tf.placeholder(tf.float64, [8])
    z = -(tf.constant(-np.ones(8)) * x) + y * tf.constant(-1.0, tf.float64)
    assert _ops(z, [x, y]) == ["Sub"]  # y - x
    _assert_exactly_unchanged([z], {x: SPECIAL, y: OTHER})


def test_a_minus_one_that_broadcasts_the_other_operand_is_not_a_sign():
    x = tf.placeholder(tf.float64, [1])
    z = -(tf.constant(-np.ones(3)) * x)
    assert _ops(z, [x]) == ["Const", "Mul", "Neg"]
    _assert_exactly_unchanged([z], {x: np.array([2.0])})


def test_a_product_read_elsewhere_is_not_rebuilt():
    x = tf.placeholder(tf.float64, [8])
    y = tf.placeholder(tf.float64, [8])
    product = (-x) * y
    before = _ops([-product, product], [x, y], passes=())
    after = _ops([-product, product], [x, y])
    assert sorted(after) == sorted(before)  # no second product, no fewer ops either
    _assert_exactly_unchanged([-product, product], {x: SPECIAL, y: OTHER})


def test_a_shared_negation_stays_for_its_other_readers():
    x = tf.placeholder(tf.float64, [8])
    y = tf.placeholder(tf.float64, [8])
    negative = -x
    fetches = [y + negative, negative * 2.0]
    assert sorted(_ops(fetches, [x, y])) == ["Const", "Mul", "Neg", "Sub"]
    _assert_exactly_unchanged(fetches, {x: SPECIAL, y: OTHER})


def test_integers_are_left_alone():
    x = tf.placeholder(tf.int32, [3])
    z = x + (-x)
    assert _ops(z, [x]) == ["Neg", "Add"]


def test_logistic_loss_gradient_loses_its_signs():
    """The gradient of -sum(y log p + (1-y) log(1-p)) carries −1s and negations that
    all cancel: the pass leaves no Neg in the backward part."""
    x = tf.placeholder(tf.float64, [8])
    y = tf.placeholder(tf.float64, [8])
    p = 0.5 * (tf.tanh(x) + 1.0)
    loss = -tf.reduce_sum(y * tf.log(p) + (1.0 - y) * tf.log(1.0 - p))
    grad = tf.gradients(loss, x)[0]
    passes = (constant_folding, simplify)
    before = _ops([grad], [x, y], passes)
    after = _ops([grad], [x, y], passes + (propagate_signs,))
    assert "Neg" in before and "Neg" not in after
    assert len(after) <= len(before) - 3
    rng = np.random.default_rng(0)
    _assert_exactly_unchanged([loss, grad], {x: rng.standard_normal(8),
                                             y: (rng.random(8) > 0.5) * 1.0})


def test_a_variable_read_is_not_moved_past_an_assignment():
    v = tf.Variable(np.arange(3.0))
    x = tf.placeholder(tf.float64, [3])
    negative = -v.value()
    with tf.control_dependencies([negative]):
        bump = tf.assign_add(v, np.ones(3))
    with tf.control_dependencies([bump]):
        z = x + negative  # must use v's value before the assignment
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(z, {x: np.zeros(3)}), -np.arange(3.0))

"""Memory planning: liveness, aliasing, and in-place writes only where nothing can see."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.core.registry import Role
from staticgraph.compiler.memory import plan_memory
from staticgraph.compiler.passes.simplify import simplify

from .helpers import assert_same_as_unoptimized, program_of


def _inplace_types(program):
    """Op type of each instruction that writes in place, with the input it overwrites."""
    plan = plan_memory(program)
    return [(program.nodes[pos].type, program.nodes[pos].inputs[c.index][0].type, c.checked)
            for pos, c in sorted(plan.inplace.items())]


def test_last_use_is_the_last_reader_and_fetches_live_to_the_end():
    x = tf.placeholder(tf.float64, [4])
    a = tf.sin(x)
    b = tf.cos(a)
    c = a + b
    program = program_of([c, a], [x])
    plan = plan_memory(program)
    pos = {n.type: i for i, n in enumerate(program.nodes)}
    assert plan.last_use[(program.feeds[0], 0)] == pos["Sin"]
    assert plan.last_use[(program.nodes[pos["Cos"]], 0)] == pos["Add"]
    assert plan.last_use[(program.nodes[pos["Sin"]], 0)] == plan.end  # fetched


def test_a_chain_of_elementwise_ops_reuses_one_buffer_but_not_the_feed():
    x = tf.placeholder(tf.float64, [5])
    y = tf.exp(tf.sin(x) * 2.0 + 1.0)
    program = program_of([y], [x])
    assert _inplace_types(program) == [("Mul", "Sin", False), ("Add", "Mul", False),
                                       ("Exp", "Add", False)]
    fed = np.linspace(-1.0, 1.0, 5)
    kept = fed.copy()
    assert_same_as_unoptimized(y, {x: fed})
    np.testing.assert_array_equal(fed, kept)


def test_never_into_constants_variables_or_fetched_values():
    v = tf.Variable(np.ones(4))
    c = tf.constant(np.arange(4.0))
    x = tf.placeholder(tf.float64, [4])
    fetched = tf.sin(x)
    ys = [tf.exp(v.value()), tf.exp(c), tf.exp(fetched), fetched]
    program = program_of(ys, [x])
    assert _inplace_types(program) == []
    with tf.Session() as sess:
        sess.run(v.initializer)
        out = sess.run(ys, {x: np.zeros(4)})
        np.testing.assert_array_equal(sess.run(v), np.ones(4))
        np.testing.assert_array_equal(sess.run(c), np.arange(4.0))
    np.testing.assert_array_equal(out[3], np.zeros(4))


def test_never_into_a_value_whose_view_is_still_read():
    x = tf.placeholder(tf.float64, [2, 3])
    a = tf.sin(x)
    view = tf.reshape(a, [6])  # a view of a's buffer
    b = tf.exp(a)  # a's last reader, but the view lives on
    y = tf.reshape(b, [6]) + view
    program = program_of([y], [x])
    plan = plan_memory(program)
    exp_pos = next(i for i, n in enumerate(program.nodes) if n.type == "Exp")
    assert exp_pos not in plan.inplace
    assert_same_as_unoptimized(y, {x: np.arange(6.0).reshape(2, 3)})


def test_never_into_a_value_a_stateful_op_reads():
    v = tf.Variable(np.zeros(3))
    x = tf.placeholder(tf.float64, [3])
    new = tf.sin(x)
    step = v.assign(new)
    with tf.control_dependencies([step]):
        y = tf.identity(x)
    later = tf.exp(new)
    program = program_of([later, y], [x], targets=[step.op])
    assert ("Exp", "Sin", False) not in _inplace_types(program)


def test_identity_made_views_protect_the_fed_array():
    x = tf.placeholder(tf.float64, [3])
    y = tf.exp(tf.identity(x))  # without passes Identity returns the feed itself
    program = program_of([y], [x])
    assert _inplace_types(program) == []
    fed = np.ones(3)
    with tf.Session(optimize=False) as sess:
        sess.run(y, {x: fed})
    np.testing.assert_array_equal(fed, np.ones(3))


@pytest.mark.parametrize("feed_b", [np.ones((2, 3)), np.ones((1, 3)), np.ones(3)])
def test_partially_known_shapes_are_checked_at_run_time(feed_b):
    a = tf.placeholder(tf.float64, [None, 3])
    b = tf.placeholder(tf.float64, None)
    y = tf.sin(a) * tf.cos(b)
    program = program_of([y], [a, b])
    assert _inplace_types(program) == [("Mul", "Sin", True)]
    assert_same_as_unoptimized(y, {a: np.full((2, 3), 0.5), b: feed_b})


def test_ops_sharing_spec_objects_get_the_decision_of_their_own_operands():
    # Sin, Cos, Exp and Tanh of x share one spec object, and so do the first two products
    # (with different operands): the shape test, made once per combination of specs,
    # must still give each product the decision of its own operands.
    x = tf.placeholder(tf.float64, [4])
    some = tf.placeholder(tf.float64, [None])
    ys = [tf.sin(x) * tf.cos(x), tf.exp(x) * tf.reshape(some, [4]), tf.tanh(x) * some,
          tf.exp(-x) * some]
    program = program_of(ys, [x, some])
    assert _inplace_types(program) == [("Mul", "Sin", False), ("Mul", "Exp", False),
                                       ("Mul", "Tanh", True), ("Exp", "Neg", False),
                                       ("Mul", "Exp", True)]
    assert_same_as_unoptimized(ys, {x: np.arange(4.0), some: np.full(4, 0.5)})


def test_broadcasting_into_a_bigger_shape_is_not_in_place():
    a = tf.placeholder(tf.float64, [3])
    b = tf.placeholder(tf.float64, [2, 3])
    y = tf.sin(a) + tf.cos(b)
    program = program_of([y], [a, b])
    assert _inplace_types(program) == [("Add", "Cos", False)]
    assert_same_as_unoptimized(y, {a: np.ones(3), b: np.ones((2, 3))})


def test_scalars_and_dtype_changes_are_not_in_place():
    x = tf.placeholder(tf.float64, [])
    v = tf.placeholder(tf.float64, [3])
    ys = [tf.sin(x) * 2.0, tf.less(tf.sin(v), 0.5)]
    program = program_of(ys, [x, v])
    assert _inplace_types(program) == []


def test_in_place_applies_to_what_simplification_leaves():
    x = tf.placeholder(tf.float32, [8])
    y = tf.tanh(tf.identity(tf.sin(x)) * 1.0)
    program = program_of([y], [x], passes=(simplify,))
    assert _inplace_types(program) == [("Tanh", "Sin", False)]
    assert_same_as_unoptimized(y, {x: np.linspace(0, 1, 8, dtype=np.float32)})


def test_never_into_a_view_even_when_everything_else_is_dead():
    x = tf.placeholder(tf.float64, [3])
    wide = tf.broadcast_to(tf.sin(x), [2, 3])  # a read-only view of sin's buffer
    y = tf.exp(wide)
    program = program_of([y], [x])
    assert _inplace_types(program) == []
    assert_same_as_unoptimized(y, {x: np.arange(3.0)})


def test_a_value_whose_views_were_all_read_before_may_be_written():
    x = tf.placeholder(tf.float64, [2, 3])
    a = tf.sin(x)
    total = tf.reduce_sum(tf.cos(tf.transpose(a)))  # a's view is read first
    y = tf.exp(a) * total  # a and its view die at exp
    program = program_of([y], [x])
    assert ("Exp", "Sin", False) in _inplace_types(program)
    assert_same_as_unoptimized(y, {x: np.arange(6.0).reshape(2, 3)})


def test_a_training_step_protects_only_state_and_does_not_copy_the_loss():
    """Ops declare their views, so only feeds, constants, variables and updates are
    protected in a one-layer training step (25 of its 29 nodes were, when every op but
    ufuncs and MatMul counted as a view: Shape, Prod, Cast, the loss itself)."""
    x = tf.placeholder(tf.float32, [None, 8])
    y = tf.placeholder(tf.float32, [None, 1])
    w = tf.Variable(np.ones((8, 1), np.float32))
    b = tf.Variable(np.zeros(1, np.float32))
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        plan = sess.compiled_plan([loss, step], [x, y])
        memory = plan.generated.memory
        nodes = plan.program.nodes
        protected = [n for n in nodes
                     if any(memory.protected((n, i)) for i in range(n.num_outputs))]
        state = [n for n in nodes if n.specs and (n.opdef is None or n.opdef.stateful
                                                  or n.role is Role.CONSTANT)]
        assert len(nodes) == 29 and len(protected) == 11
        assert protected == state
        assert not memory.protected(plan.program.fetches[0])
        fed = {x: np.ones((4, 8), np.float32), y: np.zeros((4, 1), np.float32)}
        first = sess.run(loss, fed)
        sess.run(step, fed)
        assert sess.run(loss, fed) < first


"""Pruning and dead-code elimination."""
import numpy as np

import staticgraph as tf
from staticgraph.compiler.passes.constant_folding import constant_folding
from staticgraph.compiler.passes.cse import cse
from staticgraph.compiler.passes.dead_code import dead_code
from staticgraph.compiler.passes.simplify import simplify

from staticgraph.compiler.ir import Program, const_node

from .helpers import assert_same_as_unoptimized, program_of, types_of


def test_pruning_keeps_only_what_the_fetches_need_and_stops_at_feeds():
    x = tf.placeholder(tf.float64, [2])
    a = tf.sin(x)
    b = tf.cos(a)
    tf.exp(b)  # not fetched
    program = program_of([b], [a])  # a is fed: sin and x are not needed
    assert types_of(program) == ["_Feed", "Cos"]


def test_unused_nodes_left_by_rewrites_are_removed_but_state_changes_stay():
    x = tf.placeholder(tf.float64, [2])
    v = tf.Variable(np.zeros(2))
    step = v.assign_add(x)
    y = tf.sin(x)
    program = program_of([y], [x], targets=[step.op])
    orphan = program.nodes[-1]
    assert orphan.type == "Sin"
    program.fetches = []  # nobody needs sin any more
    assert dead_code(program) == 1
    assert orphan not in program.nodes and "AssignAdd" in types_of(program)
    assert types_of(program)[0] == "_Feed"  # feeds stay: the run takes their values


def test_control_inputs_keep_their_ops():
    v = tf.Variable(0.0)
    inc = v.assign_add(1.0)
    with tf.control_dependencies([inc]):
        y = tf.constant(1.0) * 2.0
    program = program_of([y], passes=(dead_code,))
    assert "AssignAdd" in types_of(program)


def test_rewrite_passes_leave_nothing_unused():
    x = tf.placeholder(tf.float64, [3])
    v = tf.Variable(np.ones(3))
    h = x
    for _ in range(3):
        h = tf.identity(tf.sin(h) * 1.0) * 0.5 + h * (tf.constant(2.0, tf.float64) - 1.0)
    loss = tf.reduce_sum(h * v)
    grads = tf.gradients(loss, [x, v])
    step = v.assign_sub(0.1 * grads[1])
    with tf.control_dependencies([step]):
        after = tf.identity(loss)
    program = program_of(grads + [after], [x], targets=[step.op])
    for rewrite in (constant_folding, simplify, cse):
        before = len(program.nodes)
        assert rewrite(program) > 0 and len(program.nodes) < before
        assert dead_code(program) == 0
    assert "AssignSub" in types_of(program) and types_of(program)[0] == "_Feed"


def _count_walks(monkeypatch) -> list:
    """Counts calls of Program.remove_dead (the walk over the whole program)."""
    calls = []
    original = Program.remove_dead

    def counting(self):
        calls.append(self)
        return original(self)
    monkeypatch.setattr(Program, "remove_dead", counting)
    return calls


def test_a_sweep_drops_merged_nodes_without_walking_the_program(monkeypatch):
    x = tf.placeholder(tf.float64, [3])
    h = x
    for _ in range(3):
        h = tf.sin(h) * 0.5 + h  # three equal constants: two merge into the first
    program = program_of([h], [x])
    walks = _count_walks(monkeypatch)
    assert cse(program) == 2
    program.verify(after="cse")
    assert walks == [] and types_of(program).count("Const") == 1
    assert_same_as_unoptimized(h, {x: np.array([0.5, -1.0, 2.0])})


def test_a_sweep_walks_the_program_when_an_input_may_have_died(monkeypatch):
    x = tf.placeholder(tf.float64, [3])
    two = tf.constant(2.0, tf.float64)
    y = x + tf.sqrt(two) * tf.constant(3.0, tf.float64)  # folding orphans both constants
    program = program_of([y], [x])
    walks = _count_walks(monkeypatch)
    assert constant_folding(program) == 2
    program.verify(after="constant_folding")
    assert len(walks) == 1 and types_of(program) == ["_Feed", "Const", "Add"]


def test_a_sweep_keeps_a_merged_node_that_orders_another(monkeypatch):
    x = tf.placeholder(tf.float64, [3])
    first = tf.sin(x)
    second = tf.sin(x)  # merges into ``first``, but is a control input below
    with tf.control_dependencies([second.op]):
        y = tf.cos(x)
    program = program_of([first, y], [x])
    walks = _count_walks(monkeypatch)
    assert cse(program) == 1
    program.verify(after="cse")
    assert len(walks) == 1 and types_of(program).count("Sin") == 2


def test_a_sweep_walks_when_a_replacement_loses_its_only_reader(monkeypatch):
    """A replacement read only by a node that is itself replaced by something not
    reading it dies: the sweep must notice and walk."""
    x = tf.placeholder(tf.float64, [3])
    y = x + tf.sin(tf.constant(2.0, tf.float64))
    program = program_of([y], [x])
    walks = _count_walks(monkeypatch)

    def visit(node):  # both the constant and the sine become new constants
        if node.type == "Const":
            return [(const_node(np.array(5.0), node), 0)]
        if node.type == "Sin":
            return [(const_node(np.sin(np.array(2.0)), node), 0)]
        return None
    assert program.sweep(visit) == 2
    program.verify(after="the sweep")
    assert len(walks) == 1 and types_of(program) == ["_Feed", "Const", "Add"]

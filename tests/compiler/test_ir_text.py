"""The IR's text form (``print(plan)``) and ``Program.verify``."""
import os
import re

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.compiler import passes
from staticgraph.compiler import plan as plan_module
from staticgraph.compiler.ir import InvalidProgramError, Node, build_program
from staticgraph.compiler.plan import compile_plan
from staticgraph.core.registry import Role, op_for

from .helpers import program_of


def _model():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(np.ones((3, 2), np.float32), name="w")
    with tf.name_scope("layer1"):
        h = tf.matmul(x, w)  # named in the listing with this line
    y = tf.reduce_sum(h * (tf.constant(2.0) + 1.0), name="loss")
    return x, w, h, y


def test_print_plan_shows_the_passes_then_one_line_per_node():
    x, w, h, y = _model()
    with tf.Session() as sess:
        plan = sess.compiled_plan(y, [x])
        explained = sess.explain(y, [x])
    text = str(plan)
    assert text.startswith(explained + "\n")  # the pass table, shared with explain
    listing = text[len(explained) + 1:].splitlines()
    nodes = plan.program.nodes
    assert listing[0] == f"program: 1 feeds, {len(nodes)} nodes"
    assert len(listing) == len(nodes) + 2 and listing[-1].startswith("  return (%")
    for node, line in zip(nodes, listing[1:]):
        assert f"= {node.type}" in line and f"# {node.name}" in line
    (matmul,) = [line for line in listing if "layer1/MatMul" in line]
    site = f"{re.escape(os.path.relpath(__file__))}:{h.op._call_site[1]}"
    assert re.fullmatch(
        r"  %2:float32\[\?,2\] = MatMul\[transpose_a=False, transpose_b=False\] %0 %1 +"
        rf"# layer1/MatMul \({site}\) \(plan line \d+\)", matmul), matmul
    assert re.search(r"%\d+:float32\[\] = Const\[value=3\.0\] +# add .*\[folded\]", text)
    assert "%0:float32[?,3] = _Feed[index=0]" in text and "var_key='w'" in text


def test_every_instruction_is_noted_with_its_line_in_the_source():
    x, w, h, y = _model()
    with tf.Session() as sess:
        plan = sess.compiled_plan(y, [x])
    source = plan.source.splitlines()
    text = str(plan)
    for number, node in plan.generated.line_to_node.items():
        assert f"# {node.name}" in source[number - 1]
        assert re.search(rf"# {re.escape(node.name)} .*\(plan line {number}\)$", text,
                         re.MULTILINE)


def test_control_inputs_targets_and_unknown_ranks_are_shown():
    x = tf.placeholder(tf.float64, None, name="x")
    v = tf.Variable(1.0, dtype=tf.float64, name="v")
    with tf.control_dependencies([tf.assign(v, 2.0, name="set_v").op]):
        y = tf.identity(x, name="after_set")
    program = build_program([y], [y.op], [x])
    text = program.format()
    assert "%0:float64[*] = _Feed" in text
    assert re.search(r"= Identity %0 \^%\d+ +# after_set", text)
    assert text.splitlines()[-1] == "  targets: after_set"


def test_names_and_attributes_stay_on_one_line_and_are_shortened(monkeypatch):
    # Op names are validated when built; the listing still copes with any name.
    monkeypatch.setattr("staticgraph.core.names.check_op_name", lambda name: None)
    x = tf.placeholder(tf.float64, [8], name="x")
    y = tf.identity(x + np.arange(8.0), name="two\nlines")
    text = program_of([y], [x]).format()
    assert "# 'two\\nlines'" in text and "two\nlines" not in text
    assert "Const[value=<float64[8]>]" in text
    assert len(text.splitlines()) == 6  # header, 4 nodes, return


def test_plan_repr_names_its_fetches_and_feeds():
    x, w, h, y = _model()
    plan = compile_plan([y], [], [x], None)
    assert re.fullmatch(r"<Plan <staticgraph plan \d+>: \d+ nodes, fetches \['loss'\], "
                        r"feeds \['x:0'\]>", repr(plan))


# -- verify -------------------------------------------------------------------------------


def _program():
    """x -> a = sin(x) -> b = cos(a), fetching b (in a graph of its own, so the names
    stay ``a`` and ``b``)."""
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [3], name="x")
        a = tf.sin(x, name="a")
        b = tf.cos(a, name="b")
        return program_of([b], [x])


def _node(program, name):
    (node,) = [n for n in program.nodes if n.name == name]
    return node


def test_a_built_program_and_every_pass_result_verify():
    x, w, h, y = _model()
    grads = tf.gradients(y, [w])
    program = build_program([y] + grads, [], [x])
    program.verify()
    for name, rewrite in passes.PIPELINE:
        rewrite(program)
        program.verify(after=name)


def _move_a_last(program):
    a = _node(program, "a")
    program.nodes.remove(a)
    program.nodes.append(a)


def _drop_a(program):
    program.nodes.remove(_node(program, "a"))


def _read_output_1(program):
    b = _node(program, "b")
    b.inputs = [(b.inputs[0][0], 1)]


def _add_unread(program):
    a = _node(program, "a")
    unread = a.derive([a.inputs[0]])
    unread.name = "unread"
    program.nodes.insert(2, unread)


def _list_a_twice(program):
    program.nodes.insert(2, _node(program, "a"))


def _double_specs(program):
    a = _node(program, "a")
    a.specs = a.specs * 2


def _fetch_a_stray_node(program):
    b = _node(program, "b")
    program.fetches = [(b.derive(b.inputs), 0)]


def _mislabel(program):
    a = _node(program, "a")
    const = Node(op_for(Role.CONSTANT).type, a.opdef, [], {"value": np.zeros(3)}, a.specs,
                 "mislabelled")
    program.nodes.insert(1, const)
    program.fetches.append((const, 0))


@pytest.mark.parametrize("damage, message", [
    (_move_a_last, r"node 'b' \(Cos\) input 0 reads 'a' \(Sin\), which is placed after "
                   r"its reader"),
    (_drop_a, r"node 'b' \(Cos\) input 0 reads 'a' \(Sin\), which is not in the program"),
    (_read_output_1, r"node 'b' \(Cos\) input 0 reads output 1 of 'a' \(Sin\), which has "
                     r"1 outputs"),
    (_add_unread, r"node 'unread' \(Sin\) is dead"),
    (_list_a_twice, r"node 'a' \(Sin\) is listed twice"),
    (_double_specs, r"'a' \(Sin\) has 2 output specs but its op has 1 outputs"),
    (_fetch_a_stray_node, r"fetch 0 reads 'b' \(Cos\), which is not in the program"),
    (_mislabel, r"'mislabelled' \(Const\) has the definition of Sin"),
], ids=lambda item: item.__name__.strip("_") if callable(item) else "")
def test_a_damaged_program_is_refused_naming_the_node(damage, message):
    program = _program()
    program.verify(after="cse")
    damage(program)
    with pytest.raises(InvalidProgramError, match=rf"^invalid program after pass 'cse': "
                       rf".*{message}"):
        program.verify(after="cse")


def test_a_pass_that_breaks_the_program_is_named_when_verifying(monkeypatch):
    def broken(program):
        program.nodes.reverse()
        return 1
    monkeypatch.setattr(passes, "PIPELINE", passes.PIPELINE[:2] + [("broken", broken)])
    monkeypatch.setattr(plan_module, "VERIFY_PASSES", True)  # as the suite's conftest does
    x = tf.placeholder(tf.float64, [3], name="x")
    y = tf.cos(tf.sin(x))
    with pytest.raises(InvalidProgramError, match=r"after pass 'broken'"):
        compile_plan([y], [], [x], None)

"""What every op keeps, shared where that is safe: call-site tuples, the empty attributes,
one-tensor input tuples, the name-uniquification keys; and its control inputs."""
import sys

import numpy as np
import pytest

import staticgraph as tf


def test_ops_built_on_one_line_share_one_call_site_and_others_keep_their_own():
    x, x_line = tf.placeholder(tf.float64, [3]), sys._getframe().f_lineno
    h, line = x, sys._getframe().f_lineno + 2
    for _ in range(3):
        h = tf.sin(h) * 0.5 + h
    other, other_line = tf.cos(x), sys._getframe().f_lineno
    made = [op for op in tf.get_default_graph().get_operations()
            if op is not x.op and op is not other.op]
    assert len(made) == 12
    assert all(op.call_site == (__file__, line) for op in made)
    assert len({id(op.call_site) for op in made}) == 1  # one tuple, not twelve
    assert other.op.call_site == (__file__, other_line)
    assert other.op.call_site is not made[0].call_site
    assert x.op.call_site == (__file__, x_line)


def _cube(t):
    return t * t * t  # the line every op of this helper records


def test_a_site_in_another_function_and_a_site_seen_again_are_right():
    x = tf.placeholder(tf.float64, [2])
    first = _cube(x)
    second = _cube(x)
    helper_line = _cube.__code__.co_firstlineno + 1
    assert first.op.call_site == second.op.call_site == (__file__, helper_line)
    assert first.op.call_site is second.op.call_site


def test_ops_without_attributes_share_a_read_only_mapping_that_cannot_leak():
    x = tf.placeholder(tf.float64, [2])
    a, b = tf.sin(x), tf.cos(x)
    assert a.op.attrs == {} and b.op.attrs == {}
    with pytest.raises(TypeError):
        a.op._attrs["key"] = "set on one op"  # read-only: never seen through another op
    copy = a.op.attrs  # the public copy is the caller's own dict
    copy["key"] = 1
    assert a.op.attrs == {} and b.op.attrs == {}
    with pytest.raises(ValueError, match="no attr named 'key'"):
        b.op.get_attr("key")


def test_ops_with_attributes_get_their_own_dict():
    attrs = {"value": 1}
    g = tf.get_default_graph()
    one = g.create_op("NoOp", [], attrs, name="one")
    two = g.create_op("NoOp", [], attrs, name="two")
    one._attrs["value"] = 2  # what the random ops do with their ``key`` attr
    assert two.get_attr("value") == 1 and attrs == {"value": 1}


@pytest.mark.parametrize("base", ["add", "Add", "scope/add", "Scope/Add"])
def test_unique_names_are_case_insensitive_for_lower_and_mixed_case_names(base):
    g = tf.get_default_graph()
    names = [g.unique_name(base) for _ in range(3)]
    assert names == [base, f"{base}_1", f"{base}_2"]
    # An explicit name that a suffix would give is taken into account, in any case.
    assert g.unique_name(f"{base.upper()}_3") == f"{base.upper()}_3"
    assert g.unique_name(base) == f"{base}_4"
    assert g.unique_name(base.swapcase()) == f"{base.swapcase()}_5"
    assert g.unique_name(f"{base}_1") == f"{base}_1_1"
    assert g.unique_name("fresh", mark_as_used=False) == "fresh"
    assert g.unique_name("fresh") == "fresh"


def test_a_one_input_op_shares_its_producers_output_tuple_when_that_has_one_tensor():
    x = tf.placeholder(tf.float64, [2])
    s = tf.sin(x)
    assert s.op.inputs == (x,) and s.op.inputs is x.op.outputs  # one tuple for both
    parts = tf.split(tf.placeholder(tf.float64, [4]), 2)
    c = tf.cos(parts[1])  # an output of a two-output op: a tuple of its own
    assert c.op.inputs == (parts[1],) and c.op.inputs is not parts[1].op.outputs
    both = s + s
    assert both.op.inputs == (s, s)
    assert x.consumers() == [s.op] and s.consumers() == [both.op, both.op]
    with tf.Session() as sess:
        assert sess.run(both, {x: [0.0, 0.5]}).tolist() == [0.0, 2 * float(np.sin(0.5))]


def test_control_inputs_skip_the_producers_of_inputs_innermost_block_first():
    a = tf.placeholder(tf.float64, [], name="a")
    b = tf.placeholder(tf.float64, [], name="b")
    c = tf.placeholder(tf.float64, [], name="c")
    with tf.control_dependencies([c.op]):
        with tf.control_dependencies([b.op, a.op, c.op]):
            made = tf.sin(a)
        with tf.control_dependencies(None):
            free = tf.sin(a)
    assert made.op.control_inputs == [b.op, c.op] and free.op.control_inputs == []


def test_the_gradient_sweep_fixes_the_site_above_its_frame_while_it_runs():
    # A walk reaching the sweep's frame stops there with the site found above it once: a
    # marker put in its place by a user's rule reaches the ops built-in rules build later.
    from staticgraph.core import call_site
    seen = []

    @tf.RegisterGradient("TestFixedSiteGrad")
    def _mark(op, grad):
        (frame, site), = call_site._SITES_ABOVE.items()
        seen.append(site)
        call_site._SITES_ABOVE[frame] = ("marker", 0)
        return [grad]  # builds no op

    graph = tf.get_default_graph()
    x = tf.placeholder(tf.float64, [2])
    with graph.gradient_override_map({"Identity": "TestFixedSiteGrad"}):
        y = tf.reduce_sum(tf.sin(tf.identity(tf.sin(x))))  # differentiated from the end
    before = len(graph.get_operations())
    tf.gradients(y, x)
    line = sys._getframe().f_lineno - 1
    made = graph.get_operations()[before:]
    assert seen == [(__file__, line)] and call_site._SITES_ABOVE == {}
    inner = [op for op in made if op.call_site == ("marker", 0)]
    assert sorted(op.type for op in inner) == ["Cos", "Mul"]  # the first Sin's rule
    assert {op.call_site for op in made if op not in inner} == {(__file__, line)}

import contextlib
import sys

import numpy as np
import pytest

import staticgraph as tf


def test_unique_names_follow_tf1():
    a = tf.constant(1.0)
    b = tf.constant(2.0)
    s1 = a + b
    s2 = a + b
    assert [s1.op.name, s2.op.name] == ["add", "add_1"]
    assert s1.name == "add:0"
    # TF1 keys names case-insensitively: "Add" after "add", "add_1" is "Add_2".
    s3 = tf.add(a, b)
    assert s3.op.name == "Add_2"
    assert s3.op.type == "Add"


def test_nested_and_reentered_scopes():
    x = tf.constant(np.ones((2, 2), np.float32))
    with tf.name_scope("outer"):
        with tf.name_scope("inner") as inner:
            m = tf.matmul(x, x)
    assert m.op.name == "outer/inner/MatMul"
    assert inner == "outer/inner/"
    with tf.name_scope("outer"):
        m2 = tf.matmul(x, x)
    assert m2.op.name == "outer_1/MatMul"
    with tf.name_scope(inner):
        m3 = tf.matmul(x, x)
    assert m3.op.name == "outer/inner/MatMul_1"
    with tf.name_scope("outer"):
        with tf.name_scope(None):
            top = tf.matmul(x, x, name="top")
    assert top.op.name == "top"


def test_user_names_respected_and_uniquified():
    a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="a")
    assert a.op.name == "a" and b.op.name == "a_1"


def test_lookup_by_name():
    g = tf.get_default_graph()
    with tf.name_scope("s"):
        c = tf.constant(3.0, name="c")
    assert g.get_tensor_by_name("s/c:0") is c
    assert g.get_operation_by_name("s/c") is c.op
    assert c.op in g.get_operations()
    with pytest.raises(KeyError, match="s/d"):
        g.get_operation_by_name("s/d")
    with pytest.raises(KeyError, match="outputs"):
        g.get_tensor_by_name("s/c:1")
    with pytest.raises(ValueError, match="Operation name"):
        g.get_tensor_by_name("s/c")


def test_operation_and_tensor_attributes():
    x = tf.placeholder(tf.float32, shape=[None, 3], name="x")
    assert x.dtype == tf.float32
    assert x.shape.as_list() == [None, 3]
    assert x.get_shape().as_list() == [None, 3]
    assert x.op.type == "Placeholder"
    assert x.value_index == 0
    assert x.graph is tf.get_default_graph()
    y = x * 2.0
    assert list(y.op.inputs)[0] is x
    assert y.op.outputs[0] is y
    assert y.op in x.consumers()
    assert y.op.traceback.startswith(__file__)
    assert x.op.get_attr("dtype") == tf.float32
    with pytest.raises(ValueError, match="no attr"):
        x.op.get_attr("missing")


def test_consumers_once_per_input_edge_in_creation_order_as_the_graph_grows():
    x = tf.placeholder(tf.float32, [2], name="x")
    assert x.consumers() == []
    square = x * x  # reads x twice
    assert x.consumers() == [square.op, square.op]
    s = tf.sin(x)
    t = tf.add(s, x)
    assert x.consumers() == [square.op, square.op, s.op, t.op]  # the index grew
    assert s.consumers() == [t.op] and t.consumers() == []
    u = tf.cos(s)  # a second reader after the index held one (kept without a list)
    assert s.consumers() == [t.op, u.op] and t.consumers() == [] and u.consumers() == []
    x.consumers().append(t.op)  # a copy: the graph's index is not changed
    assert len(x.consumers()) == 4
    other = tf.Graph()
    with other.as_default():
        z = tf.placeholder(tf.float32, [2])
        tf.cos(z)
    assert x.consumers() == [square.op, square.op, s.op, t.op]  # graphs index their own
    assert [op.type for op in z.consumers()] == ["Cos"]


def test_tensor_is_hashable_and_not_a_bool():
    x = tf.constant(1.0)
    assert {x: 1}[x] == 1
    with pytest.raises(TypeError, match="bool"):
        bool(x)


def test_graph_as_default_and_reset():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(1.0)
        assert tf.get_default_graph() is g
    assert c.graph is g
    assert tf.get_default_graph() is not g
    old = tf.get_default_graph()
    tf.reset_default_graph()
    assert tf.get_default_graph() is not old


def test_ops_from_different_graphs_do_not_mix():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(1.0)
    b = tf.constant(2.0)
    with pytest.raises(ValueError, match="same graph"):
        tf.add(a, b)


def test_collections():
    tf.add_to_collection("things", 1)
    tf.add_to_collections(["things", "more"], 2)
    assert tf.get_collection("things") == [1, 2]
    assert tf.get_collection("more") == [2]
    assert tf.get_collection("missing") == []
    v = tf.Variable(1.0, name="w")
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES) == [v]
    assert tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="w") == [v]
    assert tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="z") == []
    ref = tf.get_collection_ref("things")
    ref.append(3)
    assert tf.get_collection("things") == [1, 2, 3]


def test_control_dependencies():
    a = tf.constant(1.0)
    b = tf.constant(2.0)
    with tf.control_dependencies([a]):
        c = tf.identity(b)
        with tf.control_dependencies([b.op]):
            d = tf.identity(b)
        with tf.control_dependencies(None):
            e = tf.identity(b)
    assert c.op.control_inputs == [a.op]
    assert set(d.op.control_inputs) == {a.op}  # b is a data input already
    assert e.op.control_inputs == []


def test_finalize_forbids_new_ops():
    g = tf.get_default_graph()
    tf.constant(1.0)
    g.finalize()
    assert g.finalized
    with pytest.raises(RuntimeError, match="finalized"):
        tf.constant(2.0)


def test_graph_version_increases():
    g = tf.get_default_graph()
    v0 = g.version
    tf.constant(1.0)
    assert g.version > v0


def test_traceback_names_the_user_line_of_every_op():
    x = tf.placeholder(tf.float64, [3])
    y, line = tf.sin(x) * 0.5 + x, sys._getframe().f_lineno
    made = [op for op in tf.get_default_graph().get_operations() if op is not x.op]
    assert {op.type for op in made} == {"Sin", "Const", "Mul", "Add"}
    assert {op.traceback for op in made} == {f"{__file__}:{line}"}
    g, line = tf.gradients(y, x)[0], sys._getframe().f_lineno
    assert g.op.traceback == f"{__file__}:{line}"


# (scope name, inside another scope?) -> the scope TF 2.21's compat.v1 returns, or None
# where it raises ValueError (checked with tensorflow-cpu 2.21, graph mode).
_TF_SCOPE_NAMES = [
    ("_inner", True, "outer/_inner/"), ("_inner", False, None),
    ("-x", True, "outer/-x/"), ("-x", False, None),
    (">x", True, "outer/>x/"), ("a..b", True, "outer/a..b/"), ("a..b", False, "a..b/"),
    ("a b", True, None), ("a b", False, None), ("a b/", True, None), ("a b/", False, None),
    ("a:b", True, None), ("a/b/", True, "a/b/"), ("_x/", False, None),
]


@pytest.mark.parametrize("name, nested, want", _TF_SCOPE_NAMES)
def test_scope_names_are_checked_as_tf1_checks_them(name, nested, want):
    with tf.Graph().as_default():
        outer = tf.name_scope("outer") if nested else contextlib.nullcontext()
        with outer:
            if want is None:
                with pytest.raises(ValueError, match="not a valid (root )?scope name"):
                    with tf.name_scope(name):
                        pass
            else:
                with tf.name_scope(name) as scope:
                    assert scope == want
                    assert tf.constant(1.0, name="c").op.name == want + "c"


def test_a_verbatim_nested_scope_still_gives_ops_valid_names():
    with tf.Graph().as_default(), tf.name_scope("outer"), tf.name_scope("_x/"):
        with pytest.raises(ValueError, match="'_x/c' is not a valid op name"):
            tf.constant(1.0, name="c")


def test_name_scope_checks_and_restores():
    g = tf.get_default_graph()
    scope = g.name_scope("a")
    assert g.get_name_scope() == ""  # nothing happens before the scope is entered
    with pytest.raises(ValueError, match="not a valid root scope name"):
        with g.name_scope("bad name"):
            pass
    with pytest.raises(RuntimeError):
        with scope as name:
            assert name == "a/" and g.get_name_scope() == "a"
            raise RuntimeError
    assert g.get_name_scope() == ""
    with g.name_scope("a") as second, g.name_scope("b/") as verbatim:
        assert (second, verbatim) == ("a_1/", "b/")
        assert tf.constant(1.0).op.name == "b/Const"
    assert g.get_name_scope() == ""


def test_added_control_inputs():
    a = tf.constant(1.0)
    b = tf.constant(2.0)
    c = tf.identity(b)
    version = tf.get_default_graph().version
    c.op._add_control_input(a.op)
    c.op._add_control_input(a.op)
    assert c.op.control_inputs == [a.op]
    assert tf.get_default_graph().version == version + 1
    with pytest.raises(ValueError, match="cyclic"):
        a.op._add_control_input(c.op)


def test_print_and_repr_of_a_tensor_are_tf1s():
    """As TF 2.21's compat.v1 graph mode prints them."""
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    u = tf.placeholder(tf.float32, name="u")
    assert str(x) == 'Tensor("x:0", shape=(?, 3), dtype=float32)'
    assert repr(x) == "<tf.Tensor 'x:0' shape=(?, 3) dtype=float32>"
    assert str(u) == 'Tensor("u:0", dtype=float32)'
    assert repr(u) == "<tf.Tensor 'u:0' shape=<unknown> dtype=float32>"
    assert str(tf.constant("Hello")) == 'Tensor("Const:0", shape=(), dtype=string)'

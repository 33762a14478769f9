"""tf.to_dot: labels, node kinds, edges, clusters, collapsing, fetches, plans, rendering."""
import graphviz
import networkx as nx
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.compiler.ir import build_program
from staticgraph.viz.dot import GraphvizNotInstalled, to_networkx
from tests.viz.dotparse import ParsedDot, svg_texts, svg_titles


def parsed(*args, **kwargs) -> ParsedDot:
    return ParsedDot(tf.to_dot(*args, **kwargs).source)


def small_model():
    x = tf.placeholder(tf.float32, shape=[None, 3], name="x")
    W = tf.Variable(np.ones((3, 2), np.float32), name="W")
    with tf.name_scope("layer1"):
        y = tf.sin(tf.matmul(x, W) + 2.0)
    return x, W, y


def test_nodes_are_labelled_with_type_and_name():
    x = tf.placeholder(tf.float64, name="x")
    tf.sin(x, name="wave")
    dot = parsed()
    assert dot.label("wave") == ["Sin", "wave"]
    assert dot.label("x") == ["Placeholder", "x"]


def test_placeholders_variables_constants_and_ops_are_drawn_distinctly():
    x, W, y = small_model()
    dot = parsed()
    const = next(n for n in dot.nodes if n.startswith("layer1/") and
                 dot.label(n)[0] == "Const")
    kinds = {name: (dot.nodes[name]["shape"], dot.nodes[name]["fillcolor"])
             for name in ["x", "W", const, "layer1/MatMul"]}
    assert len(set(kinds.values())) == 4, kinds
    assert dot.label(const)[-1] == "= 2"


def test_edges_are_labelled_with_shape_and_dtype():
    x, W, y = small_model()
    x2 = tf.placeholder(tf.int32, name="unknown")
    tf.identity(x2, name="copy")
    dot = parsed()
    assert dot.edge("x", "layer1/MatMul")["label"] == "(?, 3) float32"
    assert dot.edge("W", "layer1/MatMul")["label"] == "(3, 2) float32"
    assert dot.edge("unknown", "copy")["label"] == "? int32"
    assert "label" not in parsed(edge_labels=False).edge("x", "layer1/MatMul")


def test_control_dependencies_are_dashed():
    a = tf.placeholder(tf.float32, name="a")
    first = tf.identity(a, name="first")
    with tf.control_dependencies([first]):
        second = tf.identity(a, name="second")
    dot = parsed(second)
    assert dot.edge("first", "second")["style"] == "dashed"
    assert "style" not in dot.edge("a", "second")


def test_name_scopes_are_nested_clusters():
    x = tf.placeholder(tf.float32, name="x")
    with tf.name_scope("outer"):
        with tf.name_scope("inner"):
            tf.sin(x, name="deep")
        tf.cos(x, name="shallow")
    dot = parsed()
    assert dot.clusters_of["outer/inner/deep"] == ["cluster_outer", "cluster_outer/inner"]
    assert dot.clusters_of["outer/shallow"] == ["cluster_outer"]
    assert dot.clusters_of["x"] == []
    assert dot.cluster_attrs["cluster_outer/inner"]["label"] == "inner"


def test_gradient_ops_are_coloured_apart_from_the_forward_graph():
    x, W, y = small_model()
    tf.gradients(y, [W])
    dot = parsed()
    gradient = [n for n in dot.nodes if n.startswith("gradients/")]
    forward = [n for n in dot.nodes if not n.startswith("gradients/")]
    assert gradient and forward
    gradient_colours = {dot.nodes[n]["color"] for n in gradient}
    assert len(gradient_colours) == 1
    assert all(dot.nodes[n].get("color") not in gradient_colours for n in forward)
    assert dot.cluster_attrs["cluster_gradients"]["color"] in gradient_colours


def test_tangent_ops_are_coloured_apart_too():
    x = tf.placeholder(tf.float64, name="x")
    y = tf.sin(x)
    (dy,) = tf.jvp(y, x, tf.constant(1.0, tf.float64))
    g = tf.gradients(y, x)[0]
    dot = parsed([dy, g])
    assert dot.nodes[dy.op.name]["color"] != dot.nodes[g.op.name]["color"]
    assert "color" not in dot.nodes[y.op.name]


def test_collapse_draws_a_scope_as_one_node():
    x, W, y = small_model()
    grads = tf.gradients(y, [x, W])
    under = [op for op in tf.get_default_graph().get_operations()
             if op.name.startswith("gradients/")]
    dot = parsed(collapse=["gradients"])
    assert not [n for n in dot.nodes if n.startswith("gradients/") and n != "gradients/"]
    assert dot.label("gradients/") == ["gradients", f"({len(under)} ops)"]
    assert dot.nodes["gradients/"]["shape"] == "box3d"
    # forward values the gradient ops read become edges into the collapsed node, once each
    sources = [s for s, d, _ in dot.edges if d == "gradients/"]
    assert {"W", "x", "layer1/add", "layer1/Sin"} == set(sources)
    assert len(sources) == len(set(sources))
    assert parsed(grads, collapse=["gradients"]).nodes["gradients/"]["peripheries"] == "2"


def test_collapse_of_a_nested_scope_stays_in_its_cluster():
    x = tf.placeholder(tf.float32, name="x")
    with tf.name_scope("outer"):
        with tf.name_scope("inner"):
            y = tf.sin(tf.cos(x))
        tf.exp(y, name="after")
    dot = parsed(collapse=["outer/inner"])
    assert set(dot.nodes) == {"x", "outer/inner/", "outer/after"}
    assert dot.clusters_of["outer/inner/"] == ["cluster_outer"]
    assert dot.label("outer/inner/") == ["inner", "(2 ops)"]
    assert dot.edge("outer/inner/", "outer/after")["label"] == "? float32"


def test_collapse_of_an_unknown_scope_is_an_error():
    small_model()
    with pytest.raises(ValueError, match="no op in the drawing is under name scope.*'nope'"):
        tf.to_dot(collapse=["nope"])


def test_fetches_draw_only_what_they_need():
    x = tf.placeholder(tf.float32, name="x")
    a = tf.sin(x, name="a")
    b = tf.cos(x, name="b")
    dot = parsed(a)
    assert set(dot.nodes) == {"x", "a"}
    assert dot.nodes["a"]["peripheries"] == "2"
    assert "peripheries" not in dot.nodes["x"]
    assert set(parsed({"both": [a, b.op]}).nodes) == {"x", "a", "b"}
    assert set(parsed("b:0").nodes) == {"x", "b"}


def test_an_explicit_graph_draws_that_graph():
    other = tf.Graph()
    with other.as_default():
        tf.placeholder(tf.float32, name="only_here")
    tf.placeholder(tf.float32, name="in_default")
    assert set(ParsedDot(tf.to_dot(other).source).nodes) == {"only_here"}
    assert set(parsed(other).nodes) == {"only_here"}
    assert set(parsed().nodes) == {"in_default"}


def test_compiled_plan_is_drawn_with_feeds_and_pass_marks():
    x = tf.placeholder(tf.float64, shape=[2], name="x")
    with tf.name_scope("f"):
        k = tf.constant(2.0, tf.float64) + tf.constant(3.0, tf.float64)
        y = tf.sin(x) * k + tf.sin(x) * k
    with tf.Session() as sess:
        feed = {x: np.ones(2)}
        sess.run(y, feed)
        plan = sess.compiled_plan(y, feed)
        dot = parsed(y, session=sess, feed_dict=feed)
    assert dot.label("x_0 (fed)") == ["Feed", "x:0"]
    assert dot.nodes["x_0 (fed)"]["shape"] == "invhouse"
    assert {dot.nodes[n]["tooltip"] for n in dot.nodes} == {n.name for n in plan.program.nodes}
    assert len(dot.nodes) < len(parsed(y).nodes)  # the passes shrank the graph
    assert set(parsed(plan).nodes) == set(dot.nodes)
    label_of = {dot.nodes[n]["tooltip"]: dot.label(n) for n in dot.nodes}
    marks = {}
    for node in plan.program.nodes:
        if node.origin:
            assert label_of[node.name][-1] == f"[{node.origin}]"
            marks.setdefault(node.origin, []).append(node.type)
    assert "Const" in marks.get("folded", []), "the compiler should fold 2.0 + 3.0"
    assert "Sin" in marks.get("merged", []), "the compiler should merge the two sin(x)"


def test_plan_marks_whatever_a_pass_did():
    x = tf.placeholder(tf.float64, name="x")
    y = tf.add(tf.sin(x, name="s"), tf.sin(x, name="s2"), name="total")
    program = build_program([y], [], [x])
    _, s, s2, total = program.nodes
    s.origin = "merged"
    s2.origin = "rewritten by a new pass"
    dot = parsed(program)
    assert dot.label("s")[-1] == "[merged]"
    assert dot.label("s2")[-1] == "[rewritten by a new pass]"
    assert dot.label("total") == ["Add", "total"]
    colours = {dot.nodes[n].get("color") for n in ["s", "s2", "total"]}
    assert len(colours) == 3


def test_session_needs_fetches_and_feed_dict_needs_a_session():
    small_model()
    with tf.Session() as sess, pytest.raises(TypeError, match="pass the fetches"):
        tf.to_dot(session=sess)
    with pytest.raises(TypeError, match="feed_dict only applies to a compiled plan"):
        tf.to_dot(feed_dict={})


def test_dot_text_and_save_need_no_graphviz_program(monkeypatch, tmp_path):
    x, W, y = small_model()
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` anywhere
    dot = tf.to_dot(y)
    assert "layer1/MatMul" in dot.source
    saved = dot.save(tmp_path / "model.dot")
    assert "digraph" in open(saved).read()
    with pytest.raises(GraphvizNotInstalled, match="apt-get install graphviz") as err:
        dot.pipe(format="svg")
    assert isinstance(err.value, graphviz.ExecutableNotFound)
    with pytest.raises(GraphvizNotInstalled, match="Rendering to png needs"):
        dot.render(tmp_path / "model", format="png")


def readme_example():
    """The graph of README.md's example, built as the README builds it."""
    x = tf.placeholder(tf.float32, shape=[None, 3], name="x")
    W = tf.Variable(np.ones((3, 2), np.float32), name="W")
    with tf.name_scope("layer1"):
        y = tf.nn.relu(tf.matmul(x, W) + 1.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(y, feed_dict={x: np.ones((4, 3))})


def test_readme_example_renders_to_svg():
    np.testing.assert_allclose(readme_example(), np.full((4, 2), 4.0))
    svg = tf.to_dot().pipe(format="svg")
    titles = svg_titles(svg)
    assert {"x", "W", "layer1/MatMul", "layer1/add", "layer1/Relu"} <= titles["node"]
    assert "cluster_layer1" in titles["cluster"]
    assert "layer1/MatMul->layer1/add" in titles["edge"]
    assert "Relu" in svg_texts(svg)


def test_networkx_export():
    x = tf.placeholder(tf.float32, shape=[2], name="x")
    a = tf.sin(x, name="a")
    c = tf.cos(x, name="c")
    with tf.control_dependencies([c]):
        b = tf.multiply(a, a, name="b")
    tf.gradients(b, x)
    g = to_networkx(tf.get_default_graph())
    assert isinstance(g, nx.MultiDiGraph)
    assert g.nodes["a"]["type"] == "Sin" and g.nodes["x"]["kind"] == "placeholder"
    uses = list(g.get_edge_data("a", "b").values())
    assert [(d["tensor"], d["label"], d["control"]) for d in uses] == \
        [("a:0", "(2,) float32", False)] * 2
    assert [d["control"] for d in g.get_edge_data("c", "b").values()] == [True]
    assert g.nodes["gradients/b_grad/Mul"]["role"] == "gradient"
    assert g.nodes["b"]["role"] == "forward"
    assert nx.is_directed_acyclic_graph(g)
    assert set(to_networkx(b).nodes) == {"x", "a", "b", "c"}


def test_layout_uses_newrank_and_a_rendering_failure_is_one_short_error():
    from staticgraph.viz.dot import GraphRenderingError
    x = tf.placeholder(tf.float32, [2], name="x")
    tf.square(x, name="sq")
    dot = tf.to_dot()
    assert "newrank=true" in dot.source
    dot.body.append("  this is { not DOT ;;; \n" * 50)
    for kwargs in ({}, {"timeout": 30}):
        with pytest.raises(GraphRenderingError, match="Graphviz failed rendering to svg") as err:
            dot.pipe(format="svg", **kwargs)
        assert len(str(err.value)) < 400

"""tf.trace: primal, tangent and adjoint evaluation traces."""
import numpy as np
import pytest

import staticgraph as tf

X1, X2 = 1.5, 0.5


def seed_values(x1: float, x2: float) -> dict:
    """The textbook trace computed directly with NumPy, v-1 … v6."""
    v = {-1: x1, 0: x2}
    v[1] = v[-1] / v[0]
    v[2] = np.sin(v[1])
    v[3] = np.exp(v[0])
    v[4] = v[1] - v[3]
    v[5] = v[2] + v[4]
    v[6] = v[5] * v[4]
    return v


def central_difference(f, x: float, h: float = 1e-6) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


def build_seed():
    x1 = tf.placeholder(tf.float64, shape=[], name="x1")
    x2 = tf.placeholder(tf.float64, shape=[], name="x2")
    v1 = x1 / x2
    v2 = tf.sin(v1)
    v3 = tf.exp(x2)
    v4 = v1 - v3
    v5 = v2 + v4
    y = v5 * v4  # = (sin(x1/x2) + x1/x2 − exp(x2)) · (x1/x2 − exp(x2))
    return x1, x2, y, {x1: X1, x2: X2}


def test_primal_trace_numbers_inputs_from_minus_one_and_ops_in_schedule_order():
    x1, x2, y, feed = build_seed()
    trace = tf.trace.primal(y, feed)
    expected = seed_values(X1, X2)
    assert [r.index for r in trace] == list(range(-1, 7))
    assert trace[-1].tensor is x1 and trace[0].tensor is x2 and trace[6].tensor is y
    for i, value in expected.items():
        assert trace[i].value == pytest.approx(value, rel=1e-12)
    assert [r.op_type for r in trace] == ["Placeholder"] * 2 + ["RealDiv", "Sin", "Exp",
                                                                "Sub", "Add", "Mul"]
    assert [trace[i].inputs for i in range(1, 7)] == [
        ("v-1", "v0"), ("v1",), ("v0",), ("v1", "v3"), ("v2", "v4"), ("v5", "v4")]
    assert trace.row(y).index == 6
    assert trace[6].value == pytest.approx(2.0167, abs=1e-4)
    assert "2.017" in str(trace)


def test_tangent_trace_is_forward_mode_along_x():
    x1, x2, y, feed = build_seed()
    for x, index, value in [(x1, -1, X1), (x2, 0, X2)]:
        trace = tf.trace.tangent(y, x, feed)
        assert trace[index].derivative == 1
        assert trace[-1 - index].derivative == 0  # the other input
        f = (lambda t: seed_values(t, X2)[6]) if x is x1 else (lambda t: seed_values(X1, t)[6])
        assert trace[6].derivative == pytest.approx(central_difference(f, value), rel=1e-7)
    assert tf.trace.tangent(y, x1, feed)[6].derivative == pytest.approx(3.0118, abs=1e-4)


def test_tangent_trace_rows_follow_the_chain_rule():
    x1, x2, y, feed = build_seed()
    trace = tf.trace.tangent(y, x1, feed)
    d = {r.index: r.derivative for r in trace}
    v = seed_values(X1, X2)
    assert d[1] == pytest.approx(1 / X2)
    assert d[2] == pytest.approx(np.cos(v[1]) * d[1])
    assert d[3] == 0
    assert d[4] == pytest.approx(d[1] - d[3])
    assert d[5] == pytest.approx(d[2] + d[4])
    assert d[6] == pytest.approx(d[5] * v[4] + v[5] * d[4])


def test_adjoint_trace_matches_the_textbook_and_tf_gradients():
    x1, x2, y, feed = build_seed()
    trace = tf.trace.adjoint(y, feed)
    v = seed_values(X1, X2)
    assert [r.index for r in trace] == list(range(6, -2, -1))  # from y back to the inputs
    assert trace[6].derivative == 1
    # the notes: ū5 = ū6·v4 = 1.351, ū4 = ū6·v5 + ū5 = 2.844 (two paths)
    assert trace[5].derivative == pytest.approx(v[4])
    assert trace[5].derivative == pytest.approx(1.3513, abs=1e-4)
    assert trace[4].derivative == pytest.approx(v[5] + v[4])
    assert trace[4].derivative == pytest.approx(2.8437, abs=1e-4)
    with tf.Session() as sess:
        g1, g2 = sess.run(tf.gradients(y, [x1, x2]), feed)
    assert trace[-1].derivative == pytest.approx(g1) and trace[0].derivative == pytest.approx(g2)
    f2 = lambda t: seed_values(X1, t)[6]  # noqa: E731
    assert trace[0].derivative == pytest.approx(central_difference(f2, X2), rel=1e-7)


def test_adjoint_trace_shows_where_paths_accumulate():
    x1, x2, y, feed = build_seed()
    trace = tf.trace.adjoint(y, feed)
    assert [r.index for r in trace.accumulated] == [4, 1, 0]
    for row in trace:
        if row.contributions:
            assert sum(part for _, part in row.contributions) == pytest.approx(row.derivative)
    v = seed_values(X1, X2)
    assert [i for i, _ in trace[4].contributions] == [6, 5]
    assert [p for _, p in trace[4].contributions] == pytest.approx([v[5], v[4]])
    assert [i for i, _ in trace[1].contributions] == [4, 2]
    text = str(trace)
    assert "1.492 (v6) + 1.351 (v5)" in text
    assert "adjoints accumulated over several paths" in text


def test_tables_are_aligned_text_and_markdown():
    x1, x2, y, feed = build_seed()
    trace = tf.trace.adjoint(y, feed)
    lines = str(trace).splitlines()
    assert lines[0].startswith("Adjoint trace")
    header, rule = lines[1], lines[2]
    assert set(rule) <= {"-", " "}
    # every column starts where the rule's dashes start
    starts = [i for i, ch in enumerate(rule) if ch == "-" and (i == 0 or rule[i - 1] == " ")]
    for line in lines[3:3 + len(trace)]:
        assert all(line[s - 1] == " " for s in starts[1:]), line
    md = trace.to_markdown().splitlines()
    table = [line for line in md if line.startswith("|")]
    assert len(table) == 2 + len(trace)
    assert all(line.count("|") == table[0].count("|") for line in table)
    assert table[0] == "| v | op | name | inputs | value | v̄ | contributions |"


def test_arrays_are_summarised_by_shape_and_first_entries():
    x = tf.placeholder(tf.float64, shape=[2, 3], name="x")
    y = tf.reduce_sum(tf.sin(x) * 2.0)
    value = np.arange(6.0).reshape(2, 3)
    trace = tf.trace.tangent(y, x, {x: value})
    text = str(trace)
    assert "(2, 3) [0 1 2 …]" in text
    mul = next(r for r in trace if r.op_type == "Mul")
    assert "2" in mul.inputs  # the constant, inline
    assert trace.row(y).derivative == pytest.approx(np.sum(2 * np.cos(value)))
    direction = np.zeros((2, 3))
    direction[1, 2] = 1.0
    along = tf.trace.tangent(y, x, {x: value}, direction=direction)
    assert along.row(y).derivative == pytest.approx(2 * np.cos(5.0))


def test_variables_are_inputs_and_the_default_session_is_used():
    x = tf.placeholder(tf.float64, shape=[], name="x")
    w = tf.Variable(3.0, dtype=tf.float64, name="w")
    y = tf.square(w * x)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(w.assign(4.0))
        trace = tf.trace.adjoint(y, {x: 2.0})
    assert {r.tensor.op.type for r in trace if r.is_input} == {"Placeholder", "VariableV2"}
    assert trace.row(w).value == 4.0
    assert trace.row(w).derivative == pytest.approx(2 * 4.0 * 2.0 ** 2)


def test_traces_leave_the_users_graph_unchanged():
    x1, x2, y, feed = build_seed()
    graph = tf.get_default_graph()
    before = (len(graph.get_operations()), graph.version)
    tf.trace.primal(y, feed)
    tf.trace.tangent(y, x1, feed)
    tf.trace.adjoint(y, feed)
    assert (len(graph.get_operations()), graph.version) == before


def test_stateful_ops_keep_their_primal_values_in_derivative_traces():
    x = tf.placeholder(tf.float64, shape=[], name="x")
    draws = iter([2.0, 5.0, 7.0, 11.0])
    noise, unused = tf.py_func(lambda: (np.float64(next(draws)), np.float64(0.0)), [],
                               [tf.float64, tf.float64])
    y = x * noise
    trace = tf.trace.adjoint(y, {x: 3.0})
    assert trace.row(noise).value == 2.0
    assert trace.row(x).derivative == 2.0
    assert [(r.name, r.index) for r in trace if r.op_type == "PyFunc"] == [
        (unused.name, 2), (noise.name, 1)]


def test_ops_with_several_outputs_give_one_row_per_output():
    x = tf.placeholder(tf.float64, shape=[4], name="x")
    a, b = tf.split(x, 2)
    y = tf.reduce_sum(a * b)
    value = np.array([1.0, 2.0, 3.0, 4.0])
    trace = tf.trace.adjoint(y, {x: value})
    assert [trace[i].name for i in (1, 2)] == [a.name, b.name]
    assert trace.row(a).derivative == pytest.approx([3.0, 4.0])
    assert trace.row(x).derivative == pytest.approx([3.0, 4.0, 1.0, 2.0])
    mul = next(r for r in trace if r.op_type == "Mul")
    assert mul.inputs == ("v1", "v2")


def test_tangent_needs_x_among_the_values_y_needs():
    x1, x2, y, feed = build_seed()
    other = tf.placeholder(tf.float64, shape=[], name="other")
    with pytest.raises(ValueError, match="other:0 is not among the values y needs"):
        tf.trace.tangent(y, other, {**feed, other: 1.0})


def test_fed_intermediate_values_are_inputs():
    x = tf.placeholder(tf.float64, shape=[], name="x")
    h = tf.exp(x, name="h")
    y = tf.sin(h, name="y")
    trace = tf.trace.primal(y, {h: 0.5})
    assert [(r.index, r.name) for r in trace] == [(0, "h"), (1, "y")]
    assert trace[1].value == pytest.approx(np.sin(0.5))
    with pytest.raises(KeyError, match="no v2"):
        trace[2]


def test_tf_trace_called_is_tf1s_matrix_trace():
    """TF1 scripts call tf.trace(x); the evaluation-trace module answers that call."""
    matrices = np.arange(18.0).reshape(2, 3, 3)
    diagonal_sums = tf.trace(tf.constant(matrices), name="tr")
    assert diagonal_sums.op.name == "tr" and diagonal_sums.shape.as_list() == [2]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(diagonal_sums), np.trace(matrices, axis1=1,
                                                                        axis2=2))
    assert callable(tf.trace.primal) and tf.trace.Trace is not None

"""Compiling plans: switches, explain, error reports, caching."""
import gc

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.compiler.ir import Node
from staticgraph.compiler.plan import CompileOptions, compile_plan
from staticgraph.runtime.config import options_from_config

from . import random_graphs


def _graph():
    x = tf.placeholder(tf.float64, [3], name="x")
    y = tf.identity(x) * (tf.constant(2.0, tf.float64) + 3.0) + tf.sin(x) + tf.sin(x)
    return x, y


def test_passes_report_their_rewrites_and_node_counts():
    x, y = _graph()
    plan = compile_plan([y], [], [x], None)
    names = [r.name for r in plan.reports]
    assert names == ["constant_folding", "simplify", "signs", "matvec", "cse", "chain_fusion",
                     "dead_code"]
    by_name = {r.name: r for r in plan.reports}
    assert by_name["constant_folding"].rewrites == 1
    assert by_name["simplify"].rewrites == 1 and by_name["cse"].rewrites == 1
    assert by_name["signs"].rewrites == 0
    assert all(r.nodes_after <= r.nodes_before for r in plan.reports)
    assert plan.nodes_before > len(plan.program.nodes)


@pytest.mark.parametrize("session", [
    lambda: tf.Session(optimize=False),
    lambda: tf.Session(config=tf.ConfigProto(graph_options=tf.GraphOptions(
        optimizer_options=tf.OptimizerOptions(opt_level=tf.OptimizerOptions.L0)))),
], ids=["optimize=False", "L0"])
def test_switching_passes_off(session):
    x, y = _graph()
    with session() as sess:
        sess.run(y, {x: np.ones(3)})
        text = sess.explain(y, {x: np.ones(3)})
        plan = next(iter(sess._plans.values()))
    assert plan.reports == [] and "optimizations off" in text
    assert plan.nodes_before == len(plan.program.nodes)


def test_single_passes_can_be_turned_off():
    x, y = _graph()
    config = tf.ConfigProto(graph_options=tf.GraphOptions(optimizer_options=tf.OptimizerOptions(
        do_constant_folding=False, do_common_subexpression_elimination=False)))
    with tf.Session(config=config) as sess:
        text = sess.explain(y, {x: np.ones(3)})
    assert "constant_folding" not in text and "cse" not in text and "simplify" in text


def test_function_inlining_is_accepted_and_changes_nothing():
    """TF1 inlines calls of library functions; a staticgraph graph has none to inline."""
    assert tf.OptimizerOptions().do_function_inlining is False  # TF1's default
    x, y = _graph()
    results, listings = [], []
    for inline in (False, True):
        config = tf.ConfigProto(graph_options=tf.GraphOptions(
            optimizer_options=tf.OptimizerOptions(do_function_inlining=inline)))
        assert options_from_config(config, True) == options_from_config(None, True)
        with tf.Session(config=config) as sess:
            results.append(sess.run(y, {x: np.arange(3.0)}))
            listings.append(sess.compiled_plan(y, [x]).program.format())
    np.testing.assert_array_equal(*results)
    assert listings[0] == listings[1]


def test_passes_can_be_turned_off_by_name_and_unknown_names_are_refused():
    a = tf.placeholder(tf.float64, [4, 3])
    v = tf.placeholder(tf.float64, [3])
    y = tf.reshape(tf.matmul(a, tf.reshape(v, [3, 1])), [-1])
    feed = {a: np.ones((4, 3)), v: np.arange(3.0)}

    def config(*names):
        return tf.ConfigProto(graph_options=tf.GraphOptions(
            optimizer_options=tf.OptimizerOptions(disabled_passes=names)))
    types = []
    for names in [(), ("matvec",)]:
        with tf.Session(config=config(*names)) as sess:
            np.testing.assert_array_equal(sess.run(y, feed), [3.0] * 4)
            types.append({n.type for n in sess.compiled_plan(y, feed).program.nodes})
    assert "MatVec" in types[0] and "MatMul" not in types[0]
    assert "MatVec" not in types[1] and "MatMul" in types[1]
    with pytest.raises(ValueError, match=r"unknown passes \['matvc'\].*'matvec'"):
        tf.Session(config=config("matvc"))


def test_explain_lists_every_pass_and_the_final_plan():
    x, y = _graph()
    with tf.Session() as sess:
        text = sess.explain(y, [x])
    lines = text.splitlines()
    assert lines[0].startswith("pruned graph:")
    for name in ("constant_folding", "simplify", "signs", "matvec", "cse", "dead_code"):
        assert any(line.split()[0] == name for line in lines)
    assert lines[-1].startswith("final plan:") and "in place" in lines[-1]


def test_compiled_plan_is_the_plan_run_executes():
    x, y = _graph()
    with tf.Session() as sess:
        result = sess.run(y, {x: np.ones(3)})
        plan = sess.compiled_plan(y, [x])
        assert sess.compiled_plan(y, {x: np.zeros(3)}) is plan  # cached: keys matter only
        np.testing.assert_array_equal(plan.run((np.ones(3),), {})[0], result)
        assert plan.source.startswith("def run(V, f0):")


def test_kernel_errors_name_the_op_its_input_shapes_and_the_users_line():
    a = tf.placeholder(tf.float64, [None, None])
    b = tf.placeholder(tf.float64, [None, None])
    product = tf.matmul(a, b)  # this line is named in the error
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as err:
        sess.run(product, {a: np.ones((2, 3)), b: np.ones((2, 3))})
    message = str(err.value)
    assert "MatMul" in message and "[2, 3], [2, 3]" in message
    assert f"{__file__}:" in message and err.value.op is product.op


def test_kernel_errors_name_input_shapes_from_reused_slots_in_plain_and_traced_runs():
    # The plan keeps no value -> slot map (nor IR); the first failure builds and emits
    # the program again for it. Here slots are reused along the chain, so a wrong map would show the
    # shape of another value.
    x = tf.placeholder(tf.float64, [None])
    b = tf.placeholder(tf.float64, [None, None])
    h = x
    for _ in range(4):
        h = tf.sin(h) * 0.5 + h
    product = tf.matmul(tf.reshape(h, [2, -1]), b)
    feed = {x: np.ones(6), b: np.ones((4, 5))}
    with tf.Session() as sess:
        plan = sess.compiled_plan(product, [x, b])
        assert plan.generated._again is None
        for options in (None, tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)):
            with pytest.raises(tf.errors.InvalidArgumentError) as err:
                sess.run(product, feed, options=options, run_metadata=tf.RunMetadata())
            assert "MatMul op" in str(err.value)
            assert "input shapes: [2, 3], [4, 5]" in str(err.value)
        assert plan.generated._again is not None


def test_feed_errors_are_raised_as_they_are():
    x, y = _graph()
    with tf.Session() as sess:
        with pytest.raises(ValueError, match=r"shape \(2,\)"):
            sess.run(y, {x: np.ones(2)})
        with pytest.raises(TypeError, match="cannot be a tf.Tensor"):
            sess.run(y, {x: y})


def test_compiling_leaves_the_garbage_collector_as_it_was():
    x, y = _graph()
    compile_plan([y], [], [x], None)
    assert gc.isenabled()
    gc.disable()
    try:
        compile_plan([y], [], [x], None, CompileOptions(optimize=False))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_grown_graph_keeps_its_plans():
    x, y = _graph()
    with tf.Session() as sess:
        sess.run(y, {x: np.ones(3)})
        first = sess.compiled_plan(y, [x])
        z = y * 2.0
        sess.run(y, {x: np.ones(3)})
        assert sess.compiled_plan(y, [x]) is first  # ops never change: still valid
        np.testing.assert_array_equal(sess.run(z, {x: np.zeros(3)}), np.zeros(3))
        assert len(sess._plans) == 2


def test_nodes_of_tensors_with_one_shape_object_and_dtype_share_their_specs_list():
    from staticgraph.compiler.ir import build_program
    x = tf.placeholder(tf.float64, [3], name="x")
    a = tf.sin(x)
    b = tf.cos(a)
    c = tf.cast(b, tf.float32)
    c.set_shape([3])  # the same static shape, another shape object
    d = tf.sin(c)
    parts = tf.split(d, 3)  # several outputs, then one reading one of them
    e = tf.cos(parts[1])
    program = build_program([d, tf.shape(d), e, parts[2]], [], [x])
    specs = {n.name: n.specs for n in program.nodes}
    for node in program.nodes[1:]:  # (after the feed) as many specs as outputs
        assert node.specs == [(t.shape, t.dtype) for t in node.source.outputs]
    for name, t in [("Sin", a), ("Cos", b), ("Cast", c), ("Sin_1", d)]:
        assert specs[name] == [(t.shape, t.dtype)] and specs[name][0][0] is t.shape
    assert a.shape is b.shape and specs["Sin"] is specs["Cos"]  # one list for both
    assert specs["Cast"] is not specs["Cos"]  # another dtype
    np.testing.assert_allclose(
        tf.Session().run(d, {x: np.arange(3.0)}),
        np.sin(np.cos(np.sin(np.arange(3.0))).astype(np.float32)), rtol=1e-6)


def _live_nodes() -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if type(obj) is Node)


def test_a_compiled_plan_keeps_none_of_its_ir_until_asked():
    # The IR is freed when the compile ends (collector paused, so no scan of it) and
    # built again, the same, for what needs it: a printed plan, the line map, a trace.
    x, y = _graph()
    with tf.Session() as sess:
        before = _live_nodes()
        plan = sess.compiled_plan(y, [x])
        assert _live_nodes() == before and plan.generated._again is None
        summary = plan.summary()
        assert _live_nodes() == before  # the summary's counts were kept
        assert f"final plan: {len(plan.program.nodes)} nodes" in summary
        assert _live_nodes() > before
        lines = plan.generated.line_to_node
        assert set(lines.values()) <= set(plan.program.nodes)  # one rebuilt IR, shared
        assert len(lines) == plan.generated.instructions
        assert repr(plan).endswith(f"{len(plan.program.nodes)} nodes, fetches "
                                   f"[{plan.program.fetches[0][0].name!r}], feeds ['x:0']>")


@pytest.mark.parametrize("seed", range(12))
def test_the_rebuilt_ir_emits_the_compiled_source(seed):
    # Building and rewriting again must give the lines the plan compiled: its line map
    # checks that, raising instead of naming the wrong op in an error.
    graph = random_graphs.generate(seed)
    with tf.Graph().as_default():
        env, feed = graph.build()
        with tf.Session() as sess:
            plan = sess.compiled_plan([env[n] for n in graph.fetches], feed)
            source = plan.source
            mapped = plan.generated.line_to_node  # raises when the IR differs
            assert plan.source == source and len(mapped) == plan.generated.instructions
            assert plan.traced.source.count("TR(") == plan.generated.instructions


def test_a_rebuilt_ir_that_emits_another_source_is_refused(monkeypatch):
    x, y = _graph()
    with tf.Session() as sess:
        plan = sess.compiled_plan(y, [x])
        monkeypatch.setattr(plan.generated.lines, "_code", ["def run(V, f0):\n"])
        with pytest.raises(RuntimeError, match="emits another source"):
            plan.generated.line_to_node


def test_a_kernel_error_stays_as_raised_when_the_rebuilt_ir_differs(monkeypatch):
    # Naming the op needs the rebuilt IR; when it would name the wrong one, the user's
    # error comes through unchanged instead of an internal one.
    x = tf.placeholder(tf.float64, [None])
    b = tf.placeholder(tf.float64, [None, None])
    product = tf.matmul(tf.reshape(tf.sin(x), [2, -1]), b)
    with tf.Session() as sess:
        plan = sess.compiled_plan(product, [x, b])
        monkeypatch.setattr(plan.generated.lines, "_code", ["def run(V, f0, f1):\n"])
        with pytest.raises(ValueError, match="matmul"):
            sess.run(product, {x: np.ones(6), b: np.ones((4, 5))})

"""Run tracing: ``RunOptions(trace_level=FULL_TRACE)`` fills ``RunMetadata.step_stats``
from the plan's instrumented twin; ``staticgraph.timeline`` turns it into a Chrome trace
and a per-op-type summary. Untraced runs run the plain plan, which has no timing code."""
import collections
import json
import time

import numpy as np
import pytest

import staticgraph as tf
from staticgraph import timeline
from staticgraph.runtime.tracing import DEVICE

FULL = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)


def _model():
    x = tf.placeholder(tf.float64, [None, 4], name="x")
    w = tf.Variable(np.linspace(-1, 1, 12).reshape(4, 3), name="w")
    y = tf.nn.relu(tf.matmul(x, w) + 0.5, name="y")
    loss = tf.reduce_sum(y * y, name="loss")
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    return x, w, loss, train


def _feed():
    return np.arange(8.0).reshape(2, 4) / 8


def test_traced_run_equals_untraced_and_fills_step_stats():
    x, w, loss, train = _model()
    graph_ops = {op.name for op in tf.get_default_graph().get_operations()}
    results = {}
    for traced in (False, True):
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            md = tf.RunMetadata()
            before = time.time_ns() // 1000
            out = [sess.run([loss, train], {x: _feed()}, options=FULL if traced else None,
                            run_metadata=md) for _ in range(3)]
            after = time.time_ns() // 1000 + 1
            results[traced] = (out, sess.run(w))
    assert results[True][0] == results[False][0]
    np.testing.assert_array_equal(results[True][1], results[False][1])
    (dev,) = md.step_stats.dev_stats
    assert dev.device == DEVICE
    names = [ns.node_name for ns in dev.node_stats]
    assert names and set(names) <= graph_ops
    assert {"MatMul", "y", "loss"} <= set(names)
    previous_end = 0
    for ns in dev.node_stats:
        assert ns.op_start_rel_micros == 0 <= ns.op_end_rel_micros == ns.all_end_rel_micros
        start, end = ns.all_start_micros, ns.all_start_micros + ns.all_end_rel_micros
        assert before <= start <= end <= after
        assert start >= previous_end - 1  # one thread: ops follow each other
        previous_end = end
        assert ns.timeline_label.startswith(ns.node_name + " = ")
    matmul = dev.node_stats[names.index("MatMul")]
    assert matmul.timeline_label == "MatMul = MatMul(x, w)"
    (out,) = matmul.output
    desc = out.tensor_description
    assert [d.size for d in desc.shape.dim] == [2, 3]
    assert desc.dtype == tf.float64.as_datatype_enum
    assert desc.allocation_description.requested_bytes == 2 * 3 * 8
    # Not recorded: TF's partition graphs and cost model.
    assert not md.partition_graphs and not md.HasField("cost_graph")


def test_untraced_plan_has_no_timing_code_and_is_untouched_by_tracing():
    x, w, loss, train = _model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        plan = sess.compiled_plan([loss, train], [x])
        source, function = plan.source, plan.function
        for marker in ("P()", "TR(", "perf_counter", "t_ ="):
            assert marker not in source
        sess.run([loss, train], {x: _feed()}, options=FULL, run_metadata=tf.RunMetadata())
        sess.run([loss, train], {x: _feed()})
        assert sess.compiled_plan([loss, train], [x]) is plan
        assert plan.source == source and plan.function is function
        traced = plan.traced.source
    assert "TR(" in traced and "P()" in traced
    # The twin runs the same instructions: drop the timing lines and the TR argument.
    stripped = [line for line in traced.splitlines(True)
                if line.strip() != "t_ = P()" and not line.strip().startswith("TR(")]
    assert "".join(stripped).replace("def run(TR, V", "def run(V", 1) == source


def test_no_trace_level_leaves_metadata_empty():
    x = tf.placeholder(tf.float32, [2], name="x")
    y = x * 2.0
    with tf.Session() as sess:
        md = tf.RunMetadata()
        sess.run(y, {x: [1, 2]}, options=tf.RunOptions(), run_metadata=md)
        assert not md.HasField("step_stats")
        sess.run(y, {x: [1, 2]}, options=tf.RunOptions(
            trace_level=tf.RunOptions.SOFTWARE_TRACE), run_metadata=md)
        assert [ns.node_name for ns in md.step_stats.dev_stats[0].node_stats] == [y.op.name]
        sess.run(y, {x: [1, 2]}, options=FULL, run_metadata=md)  # replaced, not appended
        assert len(md.step_stats.dev_stats) == 1
        assert len(md.step_stats.dev_stats[0].node_stats) == 1


def test_make_callable_with_options_traces():
    x, w, loss, train = _model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        call = sess.make_callable(loss, [x], accept_options=True)
        md = tf.RunMetadata()
        assert call(_feed(), options=FULL, run_metadata=md) == call(_feed())
        assert "loss" in [ns.node_name for ns in md.step_stats.dev_stats[0].node_stats]


def test_failed_traced_run_names_the_op_and_leaves_variables():
    v = tf.Variable([1.0, 2.0], name="v")
    x = tf.placeholder(tf.float32, [None], name="x")
    bump = tf.assign_add(v, [1.0, 1.0])
    with tf.control_dependencies([bump]):
        bad = tf.reshape(x, [3], name="bad_reshape")
    with tf.Session() as sess:
        sess.run(v.initializer)
        md = tf.RunMetadata()
        with pytest.raises(tf.errors.InvalidArgumentError, match="bad_reshape"):
            sess.run(bad, {x: [1.0, 2.0]}, options=FULL, run_metadata=md)
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


def test_chrome_trace_and_summary():
    x, w, loss, train = _model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        md = tf.RunMetadata()
        sess.run(train, {x: _feed()}, options=FULL, run_metadata=md)
    stats = md.step_stats.dev_stats[0].node_stats
    tl = tf.timeline.Timeline(md.step_stats)
    for show_memory in (False, True):
        events = json.loads(tl.generate_chrome_trace_format(
            show_dataflow=True, show_memory=show_memory))["traceEvents"]
        ops = [e for e in events if e["ph"] == "X"]
        assert [e["args"]["name"] for e in ops] == [ns.node_name for ns in stats]
        for e, ns in zip(ops, stats):
            assert e["cat"] == "Op" and e["name"] == e["args"]["op"]
            assert e["ts"] == ns.all_start_micros and e["dur"] == ns.all_end_rel_micros
        processes = {e["args"]["name"] for e in events if e["ph"] == "M"}
        assert processes == {"Allocators", DEVICE + " Compute", DEVICE + " Tensors"}
        counters = [e for e in events if e["ph"] == "C"]
        if show_memory:
            outputs = sum(len(ns.output) for ns in stats)
            assert len([e for e in events if e["ph"] == "N"]) == outputs
            assert counters and counters[-1]["args"]["cpu"] == 0  # every tensor freed
        else:
            assert not counters
    counts = collections.Counter(e["args"]["op"] for e in ops)
    rows = timeline.op_type_summary(md.step_stats)
    assert {r.op_type: r.count for r in rows} == dict(counts)
    assert sum(r.total_micros for r in rows) == sum(ns.all_end_rel_micros for ns in stats)
    assert all(0 <= r.percent_of_step <= 100 for r in rows)
    assert [r.total_micros for r in rows] == sorted((r.total_micros for r in rows),
                                                    reverse=True)
    table = timeline.format_op_summary(md.step_stats)
    assert "MatMul" in table and f"{len(stats):>6}" in table.splitlines()[-1]


def _stats(*ops):
    """A StepStats of (name, type, start, duration, inputs) ops on one device."""
    step = tf.RunMetadata().step_stats
    dev = step.dev_stats.add()
    dev.device = DEVICE
    for name, op, start, duration, inputs in ops:
        ns = dev.node_stats.add()
        ns.node_name, ns.all_start_micros, ns.all_end_rel_micros = name, start, duration
        ns.timeline_label = f"{name} = {op}({', '.join(inputs)})"
        ns.output.add().tensor_description.allocation_description.requested_bytes = 8
    return step


def test_overlapping_ops_get_lanes_and_dataflow_arrows():
    step = _stats(("a", "Const", 10, 5, []), ("b", "Neg", 12, 10, ["a"]),
                  ("c", "Add", 30, 2, ["a", "b"]))
    events = json.loads(timeline.Timeline(step).generate_chrome_trace_format(
        show_dataflow=True))["traceEvents"]
    lanes = {e["args"]["name"]: e["tid"] for e in events if e["ph"] == "X"}
    assert lanes == {"a": 0, "b": 1, "c": 0}
    flows = [(e["ph"], e["name"], e["tid"], e["ts"]) for e in events
             if e.get("cat") == "DataFlow"]
    # a -> b crosses lanes (from a's end to b's start), b -> c too; a -> c does not.
    assert flows == [("s", "a", 0, 15), ("t", "a", 1, 12), ("s", "b", 1, 22), ("t", "b", 0, 30)]
    no_flows = json.loads(timeline.Timeline(step).generate_chrome_trace_format(
        show_dataflow=False))["traceEvents"]
    assert not [e for e in no_flows if e.get("cat") == "DataFlow"]
    rows = timeline.op_type_summary(step)
    assert {r.op_type: (r.count, r.total_micros) for r in rows} == {
        "Neg": (1, 10), "Const": (1, 5), "Add": (1, 2)}
    assert rows[0].percent_of_step == pytest.approx(100 * 10 / 22)
    with pytest.raises(ValueError, match="op_time"):
        timeline.Timeline(step).generate_chrome_trace_format(op_time="wall")


def test_a_traced_run_takes_sparse_feeds():
    with tf.Graph().as_default():
        sp = tf.sparse_placeholder(tf.float64, shape=[2, 3], name="sp")
        total = tf.sparse_reduce_sum(sp)
        value = tf.SparseTensorValue([[0, 1], [1, 2]], [2.0, 5.0], [2, 3])
        with tf.Session() as sess:
            metadata = tf.RunMetadata()
            got = sess.run(total, {sp: value}, options=tf.RunOptions(
                trace_level=tf.RunOptions.FULL_TRACE), run_metadata=metadata)
            call = sess.make_callable(total, [sp], accept_options=True)
            again = call(value, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
                         run_metadata=metadata)
    assert got == again == 7.0
    assert metadata.step_stats.dev_stats[0].node_stats

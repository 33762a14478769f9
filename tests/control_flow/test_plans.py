"""Plans and control flow: branch and loop bodies are compiled with the Session's
options, and a cached plan survives the graph growing (ops never change once made)."""
import numpy as np
import pytest

import staticgraph as tf
import staticgraph.compiler.plan as plan_module
import staticgraph.runtime.session as session_module


def _folded_branches(x):
    """A cond and a while loop whose bodies hold constant subexpressions to fold."""
    y = tf.cond(x[0] > 0, lambda: x * (tf.constant(2.0, tf.float64) * 3.0),
                lambda: x - tf.constant(1.0, tf.float64) * 4.0)
    z = tf.while_loop(lambda v: tf.reduce_sum(v) < 50.0,
                      lambda v: v * (tf.constant(1.5, tf.float64) + 0.5), y)
    return z


@pytest.fixture
def body_plans(monkeypatch):
    """The plans compiled for function bodies (run_function compiles them through
    compiler.plan.compile_plan; the Session's own plans go through its import)."""
    made = []
    original = plan_module.compile_plan

    def recording(*args, **kwargs):
        plan = original(*args, **kwargs)
        made.append(plan)
        return plan

    monkeypatch.setattr(plan_module, "compile_plan", recording)
    return made


@pytest.mark.parametrize("make_session, expect", [
    (lambda: tf.Session(), {"constant_folding", "simplify", "signs", "matvec", "cse",
                            "chain_fusion", "dead_code"}),
    (lambda: tf.Session(optimize=False), set()),
    (lambda: tf.Session(config=tf.ConfigProto(graph_options=tf.GraphOptions(
        optimizer_options=tf.OptimizerOptions(do_constant_folding=False)))),
     {"simplify", "signs", "matvec", "cse", "chain_fusion", "dead_code"}),
], ids=["default", "optimize-off", "folding-off"])
def test_body_plans_follow_the_session_options(body_plans, make_session, expect):
    x = tf.placeholder(tf.float64, [3])
    z = _folded_branches(x)
    value = np.array([1.0, 2.0, 3.0])
    with make_session() as sess:
        got = sess.run(z, {x: value})
    np.testing.assert_allclose(got, value * 6.0 * 2.0)  # one trip round the loop
    assert len(body_plans) == 3  # the true branch, the loop condition, the loop body
    for plan in body_plans:
        assert {r.name for r in plan.reports} == expect
    if "constant_folding" in expect:
        assert any(r.name == "constant_folding" and r.rewrites > 0
                   for plan in body_plans for r in plan.reports)


def test_a_cached_plan_survives_graph_growth(monkeypatch):
    compiled = []
    original = session_module.compile_plan

    def counting(*args, **kwargs):
        compiled.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(session_module, "compile_plan", counting)
    x = tf.placeholder(tf.float64, [3])
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.exp(tf.sin(x)) * 2.0, lambda: tf.cos(x))
    w = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, tf.sin(v) * v), [0, x])[1]
    feed = {x: np.array([0.1, 0.2, 0.3]), p: True}
    with tf.Session() as sess:
        first = sess.run([y, w], feed)
        plan = sess.compiled_plan([y, w], feed)
        assert len(compiled) == 1
        # the graph grows: unrelated ops, and derivatives of this very cond and loop
        gy = tf.gradients(tf.reduce_sum(y), x)[0]
        gw = tf.gradients(tf.reduce_sum(w), x)[0]
        tangent = tf.jvp(y, x, tf.ones([3], tf.float64))[0]
        other = tf.cond(tf.reduce_sum(x) > 0, lambda: x * 3.0, lambda: x)
        tf.gradients(tf.reduce_sum(other), x)
        again = sess.run([y, w], feed)
        assert sess.compiled_plan([y, w], feed) is plan
        assert len(compiled) == 1
        for a, b in zip(first, again):
            np.testing.assert_array_equal(a, b)
        sess.run([gy, gw, tangent], feed)
        assert len(compiled) == 2

"""tf.recompute_grad (gradients from a recomputation, checked against the plain function
and finite differences) and tf.variable_creator_scope (creators chained as in TF1)."""
import numpy as np
import pytest

import staticgraph as tf


def _block(w):
    def block(x):
        return tf.tanh(tf.matmul(x, w)) * 2.0
    return block


def test_recompute_grad_matches_the_plain_gradient_including_captured_variables():
    w = tf.Variable([[0.5, -1.0], [2.0, 0.3]], dtype=tf.float64)
    x = tf.constant(np.random.RandomState(0).randn(3, 2))
    block = _block(w)
    recomputed = tf.recompute_grad(block)(x)
    plain = block(x)
    grads = tf.gradients(tf.reduce_sum(recomputed ** 2), [x, w])
    expected = tf.gradients(tf.reduce_sum(plain ** 2), [x, w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, want = sess.run([grads, expected])
        np.testing.assert_allclose(sess.run(recomputed), sess.run(plain))
    for g, e in zip(got, want):
        np.testing.assert_allclose(g, e, rtol=1e-12)


def test_recompute_grad_builds_a_separate_copy_that_is_never_merged():
    w = tf.Variable([[0.5]], dtype=tf.float64)
    x = tf.constant([[1.0]], dtype=tf.float64)
    y = tf.recompute_grad(_block(w))(x)
    tf.gradients(y, x)
    graph = tf.get_default_graph()
    copies = [op for op in graph.get_operations()
              if op.name.rsplit("/", 1)[0].endswith("/recompute_grad")]
    assert [op.type for op in copies if op.type == "Tanh"] == ["Tanh"]
    marker = [op for op in copies if op.type == "NoOp"]
    assert len(marker) == 1
    assert sorted(op.type for op in copies) == ["Const", "MatMul", "Mul", "NoOp", "Tanh"]
    assert all(op.control_inputs == [marker[0]] for op in copies if op is not marker[0])


def test_recompute_grad_matches_finite_differences():
    value = np.random.RandomState(1).randn(2, 3)
    x = tf.constant(value)
    y = tf.recompute_grad(lambda t: tf.sin(t) * t)(x)
    with tf.Session():
        error = tf.test.compute_gradient_error(x, [2, 3], y, [2, 3], x_init_value=value)
    assert error < 1e-6


def test_recompute_grad_refuses_functions_creating_variables():
    def makes_variable(x):
        return x * tf.get_variable("v", [], dtype=tf.float64)

    with pytest.raises(ValueError, match="created variables"):
        tf.recompute_grad(makes_variable)(tf.constant(1.0, tf.float64))


def test_variable_creator_scopes_chain_innermost_first():
    seen = []

    def outer(next_creator, **kwargs):
        seen.append(("outer", kwargs["name"], kwargs["trainable"]))
        return next_creator(**kwargs)

    def inner(next_creator, **kwargs):
        seen.append(("inner", kwargs["name"], kwargs["trainable"]))
        kwargs["trainable"] = False
        return next_creator(**kwargs)

    with tf.variable_creator_scope(outer), tf.variable_creator_scope(inner):
        v = tf.Variable(1.0, name="v")
        w = tf.get_variable("w", [])
    after = tf.Variable(2.0, name="after")
    assert seen == [("inner", "v", True), ("outer", "v", False),
                    ("inner", "w", True), ("outer", "w", False)]
    assert tf.trainable_variables() == [after]
    assert v.name == "v:0" and w.name == "w:0"


def test_a_creator_may_replace_the_variable():
    existing = tf.Variable(5.0, name="shared")

    def share(next_creator, **kwargs):
        return existing

    with tf.variable_creator_scope(share):
        assert tf.Variable(1.0) is existing
    with pytest.raises(TypeError, match="callable"):
        with tf.variable_creator_scope(3):
            pass

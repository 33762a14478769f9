"""tf.make_template: variable sharing across calls, with TF1's scope names (checked
against TensorFlow 2.21's compat.v1)."""
import numpy as np
import pytest

import staticgraph as tf


def scale(x, size=2):
    w = tf.get_variable("w", [size], initializer=tf.ones_initializer())
    return x * w


def test_calls_share_the_variables_of_the_first_call():
    template = tf.make_template("lin", scale)
    a = template(tf.constant([1.0, 2.0]))
    b = template(tf.constant([3.0, 4.0]))
    assert (a.name, b.name) == ("lin/mul:0", "lin_1/mul:0")
    assert [v.name for v in tf.global_variables()] == ["lin/w:0"]
    assert template.variable_scope_name == "lin/"
    assert [v.name for v in template.trainable_variables] == ["lin/w:0"]
    assert template.non_trainable_variables == [] and template.local_variables == []
    (w,) = template.variables
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(w.assign([2.0, 3.0]))
        assert sess.run(b).tolist() == [6.0, 12.0]


def test_second_template_gets_a_unique_scope_and_its_own_variables():
    first = tf.make_template("lin", scale)
    first(1.0)
    second = tf.make_template("lin", scale, create_scope_now_=True)
    assert second.variable_scope_name == "lin_1/"
    out = second(1.0)
    assert [v.name for v in second.variables] == ["lin_1/w:0"]
    assert out.name == "lin_1/mul:0"


def test_unique_name_and_bound_kwargs():
    with tf.variable_scope("outer"):
        template = tf.make_template("lin", scale, unique_name_="fixed", size=3)
        out = template(1.0)
    assert out.name == "outer/fixed/mul:0"
    assert [v.name for v in template.variables] == ["outer/fixed/w:0"]
    assert template.variables[0].shape.as_list() == [3]


def test_creating_a_trainable_variable_after_the_first_call_is_an_error():
    template = tf.make_template("bad", lambda: tf.Variable(1.0))
    template()
    with pytest.raises(ValueError, match="Trainable variable created when calling a "
                                         "template after the first time"):
        template()


def test_gradients_flow_to_the_shared_variable_from_every_call():
    template = tf.make_template("lin", scale)
    x = tf.constant([1.0, 2.0])
    loss = tf.reduce_sum(template(x) + template(2.0 * x))
    (grad,) = tf.gradients(loss, template.variables)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(grad), [3.0, 6.0])


def test_empty_name_is_refused():
    with pytest.raises(ValueError, match="name"):
        tf.make_template("", scale)

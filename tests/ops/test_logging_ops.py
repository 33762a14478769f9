"""tf.Print, tf.print, tf.Assert, the assert_* family and the variable reports."""
import sys

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case

GRADIENT_CASES = [
    GradCase("Print", lambda x: tf.Print(tf.sin(x), [x], first_n=0) * x,
             [np.random.RandomState(0).randn(2, 3)], order=2),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


def test_print_writes_message_and_data_to_stderr(capfd):
    x = tf.placeholder(tf.float32, [None])
    y = tf.Print(x, [x, tf.shape(x)], "x = ", first_n=2) * 2.0
    with tf.Session() as sess:
        for _ in range(3):
            out = sess.run(y, {x: [1, 2, 3, 4.5]})
    np.testing.assert_array_equal(out, [2, 4, 6, 9])
    # TF1's format: the message, then each tensor with 3 elements (summarize's default).
    assert capfd.readouterr().err == "x = [1 2 3...][4]\n" * 2


def test_tf_print_is_an_op_printing_when_run(capfd):
    x = tf.placeholder(tf.float64, [2, 2])
    op = tf.print("x:", x, sep="|", summarize=-1)
    assert capfd.readouterr().err == ""
    with tf.Session() as sess:
        sess.run(op, {x: [[1, 2], [3, 4.25]]})
    assert capfd.readouterr().err == "x:|[[1 2]\n [3 4.25]]\n"


# What TF 2.21 (compat.v1) writes for the same data, recorded from it: tf.Print's
# SummarizeValue (rows unspaced, the first `summarize` elements in all, digits that read
# back exactly) and tf.print's NumPy-like layout (first and last `summarize` per axis).
TF_PRINT_DATA = [np.float64(2.302585), np.array([1e-7, 123456789.0, -0.5], np.float32),
                 np.arange(12).reshape(2, 2, 3), np.bool_(True), np.array([b"ab", b"c"]),
                 np.float64(1 / 3), np.array([[1.5, 2], [3, 4]])]
TF_PRINT_LINE = ("M: [2.302585][1e-07 123456792 -0.5][[[0 1 2]]...][1][ab c]"
                 "[0.33333333333333331][[1.5 2][3...]...]\n")
TF_PRINT_V2_LINE = "tfprint: [[1.5 2]\n [3 4]] 2.30258489 [0 1 2 ... 9 10 11]\n"


def test_print_formats_are_tf1s(capfd):
    printed = tf.Print(tf.constant(0), [tf.constant(v) for v in TF_PRINT_DATA],
                       message="M: ", summarize=3)
    printed_v2 = tf.print("tfprint:", tf.constant([[1.5, 2], [3, 4]], tf.float32),
                          tf.constant(2.302585, tf.float32), tf.constant(np.arange(12)),
                          output_stream=sys.stdout)
    with tf.Session() as sess:
        sess.run(printed)
        sess.run(printed_v2)
    out = capfd.readouterr()
    assert out.err == TF_PRINT_LINE and out.out == TF_PRINT_V2_LINE


def test_assert_fails_the_run_naming_the_op_and_data():
    x = tf.placeholder(tf.float32, [None])
    check = tf.Assert(tf.reduce_all(x > 0), ["x must be positive", x], name="positive")
    with tf.control_dependencies([check]):
        y = tf.identity(x)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {x: [1, 2]}), [1, 2])
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"(?s)'positive'.*x must be positive.*\[-1 2\]"):
            sess.run(y, {x: [-1, 2]})


def test_assert_needs_a_bool_condition():
    with pytest.raises(TypeError, match="bool"):
        tf.Assert(tf.constant(1.0), ["no"])


def test_assert_family_checks_constants_at_build_time():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"x == y.*\[1 2\].*\[1 3\]"):
        tf.assert_equal(tf.constant([1, 2]), tf.constant([1, 3]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="x > 0"):
        tf.assert_positive(tf.constant([1.0, -1.0]))
    tf.assert_near(tf.constant(1.0), tf.constant(1.0 + 1e-7))
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.debugging.assert_near(tf.constant(1.0), tf.constant(1.1))


@pytest.mark.parametrize("check, good, bad", [
    (lambda x: tf.assert_less(x, 3.0), [1, 2], [1, 5]),
    (lambda x: tf.assert_greater_equal(x, 1.0), [1, 2], [0, 5]),
    (tf.assert_non_negative, [0, 2], [-1, 5]),
    (tf.assert_negative, [-1, -2], [-1, 0]),
    (lambda x: tf.debugging.assert_none_equal(x, 2.0), [1, 3], [2, 3]),
])
def test_assert_family_at_run_time(check, good, bad):
    x = tf.placeholder(tf.float32, [2])
    op = check(x)
    assert op.name.endswith("/Assert")
    with tf.Session() as sess:
        sess.run(op, {x: good})
        with pytest.raises(tf.errors.InvalidArgumentError, match="did not hold"):
            sess.run(op, {x: bad})


def test_rank_and_type_checks():
    x = tf.placeholder(tf.float32, [None, 3])
    assert tf.assert_rank(x, 2).type == "NoOp"
    with pytest.raises(ValueError, match="rank 3"):
        tf.assert_rank(x, 3)
    with pytest.raises(ValueError, match="at least 3"):
        tf.assert_rank_at_least(x, 3)
    tf.assert_rank_in(x, [1, 2])
    with pytest.raises(TypeError, match="float64"):
        tf.assert_type(x, tf.float64)
    with pytest.raises(TypeError, match="integer"):
        tf.assert_integer(x)
    with pytest.raises(ValueError, match="scalar"):
        tf.assert_scalar(x)
    u = tf.placeholder(tf.float32)
    op = tf.assert_rank(u, 1)
    with tf.Session() as sess:
        sess.run(op, {u: [1.0]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="must have rank 1"):
            sess.run(op, {u: [[1.0]]})


def test_monotonic_predicates():
    with tf.Session() as sess:
        assert sess.run(tf.is_strictly_increasing([1, 2, 3]))
        assert not sess.run(tf.is_strictly_increasing([1, 2, 2]))
        assert sess.run(tf.is_non_decreasing([1, 2, 2]))


def test_uninitialized_variable_reports_and_deprecated_initializers():
    v = tf.Variable(1.0, name="v")
    w = tf.Variable(2.0, name="w")
    check = tf.assert_variables_initialized()
    with tf.Session() as sess:
        assert list(sess.run(tf.report_uninitialized_variables())) == [b"v", b"w"]
        with pytest.raises(tf.errors.InvalidArgumentError, match="not initialized"):
            sess.run(check)
        sess.run(tf.initialize_variables([v]))
        assert list(sess.run(tf.report_uninitialized_variables())) == [b"w"]
        sess.run(tf.initialize_all_variables())
        assert sess.run(tf.report_uninitialized_variables()).shape == (0,)
        sess.run(check)
        sess.run(tf.initialize_local_variables())


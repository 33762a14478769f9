"""The generated source as a user reads it: commented lines, tracebacks, warnings, and
code generation that is safe for any op name or variable key."""
import gc
import linecache
import os
import re
import traceback
import warnings

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.compiler.codegen import fill, generate
from staticgraph.compiler.plan import compile_plan
from staticgraph.compiler.source_lines import CommentedLines
from staticgraph.runtime.state import SessionState

from .helpers import program_of


def _site(op):
    """Where the op was created, as comments show it (relative to the cwd)."""
    filename, line = op._call_site
    return f"{os.path.relpath(filename)}:{line}"


def test_each_instruction_line_is_commented_with_its_op_and_creation_line():
    x = tf.placeholder(tf.float64, [3], name="x")
    with tf.name_scope("layer1"):
        y = tf.tanh(tf.sin(x) * 3.0)
    plan = compile_plan([y], [], [x], None)
    lines = plan.source.splitlines()
    assert plan.source == plan.generated.source
    assert len(plan.generated.line_to_node) == 3
    for number, node in plan.generated.line_to_node.items():
        assert lines[number - 1].endswith(f"  # {node.name} ({_site(node.source)})")
    assert lines[-2].endswith(f"  # layer1/Tanh ({_site(y.op)})")


def test_comments_of_ops_sharing_or_not_sharing_a_creation_line_each_name_their_own():
    # The emitter caches each creation site's text: ops built on one line (a loop) share
    # it, ops from other lines and ops without a known site must not pick it up.
    x = tf.placeholder(tf.float64, [3], name="x")
    h = x
    for _ in range(3):
        h = tf.sin(h)
    h = tf.cos(h)
    plan = compile_plan([h], [], [x], None)
    lines = plan.source.splitlines()
    sites = set()
    for number, node in plan.generated.line_to_node.items():
        assert lines[number - 1].endswith(f"  # {node.name} ({_site(node.source)})")
        sites.add(_site(node.source))
    assert len(sites) == 2 and len(plan.generated.line_to_node) == 4
    op = h.op
    saved, op._call_site = op._call_site, None
    try:  # (comments are formatted when read: read while the op has no site)
        other = compile_plan([h], [], [x], None)
        assert other.source.splitlines()[-2].endswith("  # Cos")
    finally:
        op._call_site = saved


def test_a_traceback_through_a_plan_shows_the_plan_line():
    x = tf.placeholder(tf.float64, [3], name="x")

    def fail(value):
        raise RuntimeError("inside py_func")
    y = tf.py_func(fail, [tf.sin(x)], tf.float64, name="boom")
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as err:
        sess.run(y, {x: np.zeros(3)})
    text = "".join(traceback.format_exception(err.value.__cause__))
    match = re.search(r'File "(<staticgraph plan \d+>)", line (\d+), in run\n(.*)\n', text)
    assert match, text
    assert match.group(3).strip().endswith(f"# boom ({_site(y.op)})")


def test_the_source_leaves_the_line_cache_with_its_plan():
    x = tf.placeholder(tf.float64, [3], name="x")
    plan = compile_plan([tf.sin(x)], [], [x], None)
    filename = plan.generated.filename
    assert "".join(linecache.getlines(filename)) == plan.source
    del plan
    gc.collect()
    assert filename not in linecache.cache


def test_commented_lines_read_like_a_list_of_the_compiled_lines_with_comments():
    # The compiled source has no comments; the lines tracebacks, pdb and ``source`` read
    # add each instruction's comment on the same line number, when the line is read.
    x = tf.placeholder(tf.float64, [3], name="x")
    y = tf.sin(x, name="s")
    plan = compile_plan([y], [], [x], None)
    ((number, node),) = plan.generated.line_to_node.items()
    code = [f"line {k}\n" for k in range(1, 5)]
    lines = CommentedLines(code, {number: node}, os.getcwd())
    commented = f"line {number}  # s ({_site(y.op)})\n"
    expected = code[:number - 1] + [commented] + code[number:]
    assert len(lines) == 4 and list(lines) == expected and "".join(lines) == "".join(expected)
    assert [lines[k] for k in range(-4, 4)] == expected + expected
    assert lines[1:] == expected[1:] and lines[::-1] == expected[::-1] and lines[9:] == []
    for index in (4, -5):
        with pytest.raises(IndexError):
            lines[index]
    shown = plan.source.splitlines()[number - 1]
    assert shown.endswith(f"  # s ({_site(y.op)})")
    assert linecache.getline(plan.generated.filename, number) == shown + "\n"
    code_of_run = plan.function.__code__
    assert code_of_run.co_filename == plan.generated.filename
    assert number in {line for *_, line in code_of_run.co_lines()}  # same numbering


def test_a_floating_point_warning_points_at_the_ops_line_naming_op_and_creation_site():
    x = tf.placeholder(tf.float64, [3], name="x")
    y = tf.log(x, name="log_of_x")
    with tf.Session() as sess:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sess.run(y, {x: np.zeros(3)})
        filename = sess.compiled_plan(y, [x]).generated.filename
    (warning,) = caught
    assert warning.category is RuntimeWarning and warning.filename == filename
    shown = warnings.formatwarning(warning.message, warning.category, warning.filename,
                                   warning.lineno, None)
    assert "divide by zero encountered in log" in shown
    assert shown.rstrip().endswith(f"# log_of_x ({_site(y.op)})")


@pytest.mark.parametrize("make", [tf.log, tf.rsqrt], ids=["ufunc kernel", "Python kernel"])
def test_floating_point_errors_turned_on_name_the_op_and_its_line(make):
    x = tf.placeholder(tf.float64, [3], name="x")
    y = make(x, name="fragile")
    with tf.Session() as sess:
        with np.errstate(divide="raise"), pytest.raises(tf.errors.InvalidArgumentError) as err:
            sess.run(y, {x: np.zeros(3)})
        assert "'fragile' failed: FloatingPointError: divide by zero" in str(err.value)
        assert y.op.traceback in str(err.value)
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            with pytest.raises(tf.errors.InvalidArgumentError, match="'fragile' failed: "
                               "RuntimeWarning"):
                sess.run(y, {x: np.zeros(3)})


# -- any name is safe in generated code ---------------------------------------------------

NAMES = ["q'uote{0}", 'a"b}', "{1}{", "n\nl'\"{0}}\\", "x  # y"]


def test_fill_replaces_placeholders_outside_string_literals_only():
    assert fill("{0} @ {1}", ["s1", "f0"]) == "s1 @ f0"
    for name in NAMES:
        assert fill(f"S.assign({name!r}, {{1}} + {{0}})", ["s1", "s2"]) == \
            f"S.assign({name!r}, s2 + s1)"
    assert fill("{0}.reshape((2, 3))", ["s4"]) == "s4.reshape((2, 3))"


@pytest.mark.parametrize("key", NAMES)
def test_inline_gradient_descent_with_any_variable_key(key):
    x = tf.placeholder(tf.float64, [3], name="x")
    v = tf.Variable(np.ones(3), name="v")
    read = tf.identity(v)  # created first, so it runs before the update
    train = tf.train.GradientDescentOptimizer(0.5).minimize(tf.reduce_sum(v * x))
    program = program_of([read], [x], [train])
    for node in program.nodes:  # give the variable another key in the plan's IR
        if "var_key" in node.attrs:
            node.attrs = dict(node.attrs, var_key=key)
        if "var_keys" in node.attrs:
            node.attrs = dict(node.attrs, var_keys=(key,))
    state = SessionState()
    state.values[key] = np.ones(3)
    generated = generate(program, state, [True], [np.asarray])
    assert f"S.assign({key!r}, " in generated.source  # the inline template was used
    (before,) = generated.function(state.values, [1.0, 2.0, 4.0])
    np.testing.assert_array_equal(before, np.ones(3))
    np.testing.assert_array_equal(state.values[key], [0.5, 0.0, -1.0])


@pytest.mark.parametrize("name", NAMES + ["evil\nraise SystemExit"])
def test_any_op_name_stays_in_its_comment(name):
    x = tf.placeholder(tf.float64, [3], name="x")
    y = tf.sin(x) * 2.0
    program = program_of([y], [x])
    for node in program.nodes:
        node.name = name
    generated = generate(program, None, [True], [np.asarray])
    assert len(generated.source.splitlines()) == 5  # def, feed, sin, mul, return
    np.testing.assert_array_equal(generated.function({}, np.zeros(3) + 1.0),
                                  (np.sin(np.ones(3)) * 2.0,))
    shown = name if name.isprintable() else repr(name)
    assert all(f"  # {shown} (" in line for line in generated.source.splitlines()[2:4])

"""Long plans compiled as a chain of part functions (``compiler/parts.py``): the same
results, errors, tracebacks, traces and memory releases as a plan compiled whole."""
import linecache
import re
import traceback
import weakref

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.compiler import codegen
from staticgraph.compiler.parts import compile_parts

FULL = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)


@pytest.fixture
def small_parts(monkeypatch):
    """Every plan is cut into parts of about four lines."""
    monkeypatch.setattr(codegen, "PART_LINES", 4)


def _chain(links=6, size=3):
    """A chain whose forward values all wait for its backward pass (so cross cuts)."""
    x = tf.placeholder(tf.float64, [size], name="x")
    h = x
    for _ in range(links):
        h = tf.sin(h) * 0.5 + h
    y = tf.reduce_sum(h)
    return x, y, tf.gradients(y, x)[0]


def _functions(source):
    return re.findall(r"^def (\w+)\(", source, re.M)


def test_a_long_plan_runs_as_parts_with_the_bits_of_one_function(monkeypatch):
    x, y, grad = _chain()
    feed = {x: np.linspace(-1.0, 1.0, 3)}
    with tf.Session() as sess:
        whole = sess.run([y, grad], feed)
        assert _functions(sess.compiled_plan([y, grad], [x]).source) == ["run"]
    monkeypatch.setattr(codegen, "PART_LINES", 4)
    with tf.Session() as sess:
        parts = sess.run([y, grad], feed)
        plan = sess.compiled_plan([y, grad], [x])
    names = _functions(plan.source)
    assert len(names) > 4 and names[-1] == "run"
    assert names[:-1] == [f"part{k}" for k in range(len(names) - 1)]
    assert "M[" in plan.source  # forward values moved out of the parts that made them
    assert re.search(r"^    m\d+, .*= .*M\[", plan.source, re.M)  # and loaded in bulk
    assert parts[0] == whole[0]
    np.testing.assert_array_equal(parts[1], whole[1])
    # Every instruction keeps its line number in the whole source.
    lines = plan.generated.lines
    for number, node in plan.generated.line_to_node.items():
        assert f"# {node.name} (" in lines[number - 1]


def test_a_plan_shorter_than_a_part_stays_one_function():
    x, y, grad = _chain()
    with tf.Session() as sess:
        plan = sess.compiled_plan([y, grad], [x])
    assert len(plan.generated.lines) < codegen.PART_LINES
    assert _functions(plan.source) == ["run"] and "M[" not in plan.source


def test_a_kernel_error_in_a_later_part_names_the_op_and_its_input_shapes(small_parts):
    x, _, grad = _chain(links=4, size=6)
    b = tf.placeholder(tf.float64, [None, None], name="b")
    product = tf.matmul(tf.reshape(grad, [2, -1]), b)
    feed = {x: np.ones(6), b: np.ones((4, 5))}
    with tf.Session() as sess:
        plan = sess.compiled_plan(product, [x, b])
        line = next(n for n, node in plan.generated.line_to_node.items()
                    if node.type == "MatMul")
        assert re.search(r"\bm\d+\b", plan.generated.lines[line - 1])  # ``b``, moved
        assert line > plan.source.splitlines().index("def part1(V, M):")
        for options in (None, FULL):
            with pytest.raises(tf.errors.InvalidArgumentError) as err:
                sess.run(product, feed, options=options, run_metadata=tf.RunMetadata())
            assert "MatMul op" in str(err.value)
            assert "input shapes: [2, 3], [4, 5]" in str(err.value)


def test_a_traceback_shows_the_failing_line_of_its_part(small_parts):
    x, y, _ = _chain(links=3)

    def fail(value):
        raise RuntimeError("inside py_func")
    boom = tf.py_func(fail, [y], tf.float64, name="boom")
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as err:
        sess.run(boom, {x: np.zeros(3)})
    text = "".join(traceback.format_exception(err.value.__cause__))
    match = re.search(r'File "(<staticgraph plan \d+>)", line (\d+), in (part\d+)\n(.*)\n', text)
    assert match, text
    assert match.group(3) != "part0"
    assert "# boom (" in match.group(4)
    assert "# boom (" in linecache.getline(match.group(1), int(match.group(2)))


def test_a_traced_run_of_a_plan_in_parts_reports_every_instruction(small_parts):
    x, y, grad = _chain()
    feed = {x: np.linspace(-1.0, 1.0, 3)}
    with tf.Session() as sess:
        plain = sess.run([y, grad], feed)
        metadata = tf.RunMetadata()
        traced = sess.run([y, grad], feed, options=FULL, run_metadata=metadata)
        plan = sess.compiled_plan([y, grad], [x])
    stats = [s for device in metadata.step_stats.dev_stats for s in device.node_stats]
    assert len(stats) == plan.generated.instructions
    assert len(_functions(plan.traced.source)) > 2
    assert traced[0] == plain[0]
    np.testing.assert_array_equal(traced[1], plain[1])


def test_a_large_value_moved_out_of_its_part_is_freed_at_its_last_use(small_parts):
    x = tf.placeholder(tf.float64, [4096], name="x")
    big = tf.sin(x)  # 32 KiB: deleted at its last use, not left to the end of the run
    other = x
    for _ in range(6):  # lines enough for ``big`` to cross a cut
        other = other * 1.5 + 1.0
    seen = []

    def keep(value, _):
        seen.append(weakref.ref(value))
        return np.float64(value[0])

    def check(_):
        return np.bool_(seen[0]() is None)
    kept = tf.py_func(keep, [big, other], tf.float64, name="keep")
    freed = tf.py_func(check, [kept], tf.bool, name="check")
    with tf.Session() as sess:
        plan = sess.compiled_plan(freed, [x])
        keep_line = next(n for n, node in plan.generated.line_to_node.items()
                         if node.name == "keep")
        assert re.search(r"\bm\d+\b", plan.generated.lines[keep_line - 1])
        assert sess.run(freed, {x: np.ones(4096)})


def test_a_cut_with_nothing_live_moves_nothing(small_parts):
    variables = [tf.Variable(0.0, name=f"v{i}") for i in range(6)]
    updates = [v.assign(float(i + 1)).op for i, v in enumerate(variables)]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        source = sess.compiled_plan(updates).source
        sess.run(updates)
        assert sess.run(variables) == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    lines = source.splitlines()
    cuts = [i for i, line in enumerate(lines) if line.startswith("def part") and i]
    assert cuts and "M[" not in source
    assert all(lines[i - 1].lstrip().startswith("s") for i in cuts)  # an instruction


def test_compiled_parts_keep_their_line_numbers_in_the_whole_source():
    lines = ["def first(a):\n", "    return second(a + 1)\n",
             "def second(b):\n", "    c = b * 2\n", "    raise ValueError(c)\n"]
    env = {}
    compile_parts(lines, [0, 2], "<parts test>", env)
    with pytest.raises(ValueError) as err:
        env["first"](1)
    frames = traceback.extract_tb(err.value.__traceback__)[-2:]
    assert [(f.name, f.lineno) for f in frames] == [("first", 2), ("second", 5)]

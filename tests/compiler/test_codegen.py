"""The generated run function: one line per instruction, operators, releases, scale."""
import re

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.compiler.codegen import as_result, generate
from staticgraph.compiler.plan import CompileOptions, compile_plan

from .helpers import assert_identical, assert_same_as_unoptimized, program_of


def _source(fetches, fed=(), optimize=True):
    """The generated source without the comments naming each line's op."""
    source = compile_plan(list(fetches), [], list(fed), None,
                          CompileOptions(optimize=optimize)).source
    return "".join(line.split("  # ", 1)[0].rstrip() + "\n" for line in source.splitlines())


def test_one_line_per_instruction_with_operators_for_arithmetic_ufuncs():
    x = tf.placeholder(tf.float64, [])
    z = tf.placeholder(tf.float64, [])
    y = -(tf.sin(x) * z + x / z - z)
    lines = _source([y], [x, z]).splitlines()
    body = [line.strip() for line in lines[3:-1]]  # after the signature and feed lines
    assert len(body) == 6
    assert body[1].endswith("* f1") and "/" in body[2] and body[-1].startswith("s") \
        and "= -s" in body[-1]


def test_dead_large_values_are_released_and_names_reused():
    x = tf.placeholder(tf.float64, [4096])
    h = x
    for _ in range(50):
        h = tf.sin(h) * tf.cos(h)  # sin and cos read h, then h is dead
    source = _source([h], [x])
    assert "del " in source
    assert len(set(w for w in source.replace(",", " ").split() if w.startswith("s"))) < 10


def test_small_values_are_not_released_one_by_one():
    x = tf.placeholder(tf.float64, [3])
    y = tf.sin(tf.cos(x)) * 2.0
    assert "del " not in _source([y], [x])


def test_fetch_layout_returns_none_for_ops_in_place():
    x = tf.placeholder(tf.float64, [])
    y = x * 2.0
    noop = tf.no_op()
    program = program_of([y, y], [x], targets=[noop])
    generated = generate(program, None, [False, True, True], [lambda v: v])
    out = generated.function({}, np.float64(3.0))
    assert out[0] is None and out[1] == 6.0 and out[2] == 6.0


def test_repeated_fetches_are_distinct_arrays():
    x = tf.placeholder(tf.float64, [2])
    y = tf.sin(x)
    with tf.Session() as sess:
        a, b = sess.run([y, y], {x: np.zeros(2)})
    a += 1.0
    np.testing.assert_array_equal(b, [0.0, 0.0])


def test_rank_zero_results_are_numpy_scalars():
    assert_identical(as_result(np.array(2.5)), np.float64(2.5))
    assert_identical(as_result(np.float32(1.0)), np.float32(1.0))
    array = np.ones(2)
    assert as_result(array) is array


def test_a_very_long_chain_compiles_and_runs_without_recursion():
    x = tf.placeholder(tf.float64, [4])
    h = x
    for _ in range(2000):  # 6,000 ops, far past any recursion limit
        h = tf.sin(h) * 0.01 + h
    y = tf.reduce_sum(h)
    with tf.Session() as sess:
        value = sess.run(y, {x: np.arange(4.0)})
    expected = np.arange(4.0)
    for _ in range(2000):
        expected = np.sin(expected) * 0.01 + expected
    assert value == pytest.approx(np.sum(expected), rel=1e-12)


def test_variables_are_read_where_each_reader_runs():
    v = tf.Variable(1.0)
    before = v * 1.0 + 0.0
    step = v.assign(5.0)
    after = v * 3.0
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run([before, step, after]) == [1.0, 5.0, 15.0]


def _chain_source():
    x = tf.placeholder(tf.float64, [4096])
    h = x
    for _ in range(3):
        h = tf.sin(h) * 0.01 + h
    y = tf.reduce_sum(h)
    grad = tf.gradients(y, x)[0]
    return x, [y, grad], _source([y, grad], [x])


def test_in_place_writes_are_augmented_assignments_or_take_out_positionally():
    x, fetches, source = _chain_source()
    assert "*= c" in source and "+= s" in source  # first operand written in place
    assert "out=" not in source  # a ufunc writing into a later operand: out positional
    assert_same_as_unoptimized(fetches, {x: np.linspace(-2.0, 2.0, 4096)})


@pytest.mark.parametrize("op, symbol", [(tf.subtract, "-"), (tf.divide, "/"),
                                        (tf.multiply, "*"), (tf.add, "+")])
def test_in_place_writes_into_either_operand_give_the_plain_results(op, symbol):
    x = tf.placeholder(tf.float64, [4])
    first = op(tf.sin(x), 3.0)  # written into its first operand
    second = op(3.0, tf.cos(x))  # written into its second operand
    fetches = [tf.exp(first), tf.exp(second)]
    source = _source(fetches, [x])
    assert re.search(rf"s\d+ {re.escape(symbol)}= c\d+", source)
    assert re.search(r"k\d+\(c\d+, (s\d+), \1\)", source)
    assert_same_as_unoptimized(fetches, {x: np.array([-1.0, 0.0, 0.5, 2.0])})


@pytest.mark.filterwarnings("error::DeprecationWarning")
@pytest.mark.parametrize("op", [tf.maximum, tf.minimum])
def test_in_place_maximum_and_minimum_take_out_as_a_keyword(op):
    """NumPy 2.4 deprecates a positional output for np.maximum and np.minimum only."""
    x = tf.placeholder(tf.float64, [4])
    fetches = [tf.exp(op(tf.sin(x), 0.25)), tf.exp(op(0.25, tf.cos(x)))]
    source = _source(fetches, [x])
    assert len(re.findall(r"k\d+\((\w+), (\w+), out=(\1|\2)\)", source)) == 2
    assert_same_as_unoptimized(fetches, {x: np.array([-1.0, 0.0, 0.5, 2.0])})


def test_releases_wait_for_the_next_allocation_and_share_one_del():
    _, _, source = _chain_source()
    body = [line.strip() for line in source.splitlines()[2:]]
    dels = [i for i, line in enumerate(body) if line.startswith("del ")]
    assert any("," in body[i] for i in dels)  # several names deleted at once
    for i in dels:  # just before an allocating assignment, or the return
        following = body[i + 1]
        assert following.startswith("return") or (" = " in following
                                                  and "=" not in following.split(" = ")[0])


def test_an_in_place_instruction_frees_its_other_operand_where_it_dies():
    x = tf.placeholder(tf.float64, [4096])
    y = tf.sin(x) * tf.cos(x)  # into sin's buffer; cos's value dies there
    z = tf.reduce_sum(tf.exp(x) * y)  # into exp's buffer; y dies there
    body = re.sub(r"k\d+", "k", _source([z], [x])).splitlines()[2:]
    assert body == ["    s1 = k(f0)", "    s2 = k(f0)", "    s1 *= s2", "    del s2",
                    "    s2 = k(f0)", "    s2 *= s1", "    del s1",
                    "    s1 = np.add.reduce(s2)", "    del s2", "    return (R(s1),)"]
    assert_same_as_unoptimized(z, {x: np.linspace(-1.0, 1.0, 4096)})


def test_each_of_a_plans_lines_is_one_line_of_its_source():
    v = tf.Variable(np.ones((3, 2)), name="w")
    x = tf.placeholder(tf.float64, [4, 3])
    y = tf.reshape(tf.matmul(tf.sin(x), v), [-1]) * 2.0
    loss = tf.reduce_sum(y)
    with tf.Session() as sess:
        sess.run(v.initializer)
        plan = sess.compiled_plan([loss, y], [x])
        for generated in (plan.generated, plan.traced):
            lines = generated.lines
            assert list(lines) == generated.source.splitlines(True)
            assert all(lines[n - 1].startswith("    ") for n in generated.line_to_node)


def test_a_failing_in_place_instruction_names_its_op():
    x = tf.placeholder(tf.float64, [3])
    huge = tf.exp(x) * 1e300  # written in place into exp's buffer
    source = _source([tf.reduce_sum(huge)], [x])
    assert "*= c" in source
    with tf.Session() as sess, np.errstate(over="raise"):
        with pytest.raises(tf.errors.InvalidArgumentError, match="Mul op"):
            sess.run(tf.reduce_sum(huge), {x: np.full(3, 100.0)})


def test_a_no_op_orders_its_inputs_without_a_line_of_its_own():
    v = tf.Variable(np.zeros(3))
    train = tf.group(tf.assign_add(v, np.ones(3)), name="step")
    plan = compile_plan([], [train.op if hasattr(train, "op") else train], [], None)
    assert not any(node.type == "NoOp" for node in plan.generated.line_to_node.values())
    assert any(node.type == "NoOp" for node in plan.program.nodes)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        np.testing.assert_array_equal(sess.run(v), np.ones(3))



def _constants_named(plan):
    """The values of the constants (globals ``c<N>``) the instructions of ``plan`` name."""
    module = plan.function.__globals__
    return [module[name] for line in plan.source.splitlines()[1:-1]
            for name in re.findall(r"\bc\d+\b", line.split("  # ")[0])]


@pytest.mark.parametrize("dtype", [tf.float64, tf.float32, tf.int8, tf.uint16])
def test_scalar_constants_of_array_ufuncs_are_0d_arrays_with_the_same_results(dtype):
    x = tf.placeholder(dtype, [6])
    s = tf.placeholder(dtype, [])
    two, three = tf.constant(2, dtype), tf.constant(3, dtype)
    # An operator, an in-place ufunc call with the constant first, an augmented assignment.
    y = (three - x * two) * (x + three)
    scalar = s * three + two
    array_constants = _constants_named(compile_plan([y], [], [x], None))
    assert len(array_constants) == 3 and all(
        type(v) is np.ndarray and v.ndim == 0 and v.dtype == dtype.as_numpy_dtype
        for v in array_constants)
    # Scalar results keep NumPy scalars (faster than 0-d arrays there).
    scalar_constants = _constants_named(compile_plan([scalar], [], [s], None))
    assert len(scalar_constants) == 2 and all(isinstance(v, np.generic)
                                              for v in scalar_constants)
    x0 = np.array([0, 1, 5, 7, 100, 3]).astype(dtype.as_numpy_dtype)
    out = assert_same_as_unoptimized([y, scalar], {x: x0, s: dtype.as_numpy_dtype(9)})
    assert out[0].dtype == dtype.as_numpy_dtype and isinstance(out[1], np.generic)

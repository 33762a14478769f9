"""Common-subexpression elimination: merges what is equal, never what may differ."""
import numpy as np

import staticgraph as tf
from staticgraph.compiler.ir import freeze
from staticgraph.compiler.passes.cse import cse

from .helpers import assert_same_as_unoptimized, program_of, types_of


def test_equal_computations_merge_into_the_first():
    x = tf.placeholder(tf.float64, [3])
    a, b = tf.sin(x), tf.sin(x)
    y = a * 2.0 + b * 2.0
    program = program_of([y], [x])
    assert types_of(program).count("Sin") == 2
    assert cse(program) == 3  # the second Sin, the second 2.0, the second Mul
    assert types_of(program).count("Sin") == 1 and types_of(program).count("Mul") == 1
    assert next(n for n in program.nodes if n.type == "Sin").origin == "merged"
    assert_same_as_unoptimized(y, {x: np.array([0.5, -1.0, 2.0])})


def test_integer_sums_merge_with_swapped_inputs_differences_do_not():
    x = tf.placeholder(tf.int32, [2])
    z = tf.placeholder(tf.int32, [2])
    added = [x + z, z + x, tf.add_n([x, z, x]), tf.add_n([x, x, z])]
    subtracted = [x - z, z - x]
    program = program_of(added + subtracted, [x, z], passes=(cse,))
    assert types_of(program).count("Add") == 1 and types_of(program).count("Sub") == 2
    assert types_of(program).count("AddN") == 1
    assert_same_as_unoptimized(added + subtracted, {x: np.array([2**31 - 5, -3], np.int32),
                                                   z: np.array([7, 4], np.int32)})  # wraps


def test_float_ops_whose_input_order_shows_in_the_bits_never_merge_swapped():
    """Float addition returns the first operand's NaN, minimum the second operand on a
    tie of -0.0 and 0.0, and a sum of three rounds differently in another order."""
    a, b, c = (tf.placeholder(tf.float64, [3]) for _ in range(3))
    pairs = [(a + b, b + a), (a * b, b * a), (tf.minimum(a, b), tf.minimum(b, a)),
             (tf.maximum(a, b), tf.maximum(b, a)), (tf.add_n([a, b, c]), tf.add_n([c, b, a]))]
    fetches = [t for pair in pairs for t in pair]
    program = program_of(fetches, [a, b, c], passes=(cse,))
    assert types_of(program).count("AddN") == 2 and types_of(program).count("Minimum") == 2
    assert len(program.nodes) == 3 + len(fetches)
    quiet_nan = np.float64(np.nan).view(np.uint64)
    nan1, nan2 = (np.array([1, 2], np.uint64) | quiet_nan).view(np.float64)  # two payloads
    feed = {a: np.array([0.0, nan1, 1.0]), b: np.array([-0.0, nan2, 1e16]),
            c: np.array([1.0, 0.0, -1e16])}
    results = assert_same_as_unoptimized(fetches, feed)
    assert results[4].tobytes() != results[5].tobytes()  # minimum(0, -0) vs minimum(-0, 0)
    assert results[8][2] != results[9][2]  # 1 + 1e16 - 1e16 != -1e16 + 1e16 + 1
    assert results[0][1:2].tobytes() != results[1][1:2].tobytes()  # which NaN


def test_different_attributes_do_not_merge():
    x = tf.placeholder(tf.float32, [2, 3])
    sums = [tf.reduce_sum(x, axis=0), tf.reduce_sum(x, axis=1), tf.reduce_sum(x, axis=0)]
    program = program_of(sums, [x], passes=(cse,))
    assert types_of(program).count("Sum") == 2


def test_constants_merge_only_when_bitwise_equal():
    zeros = [tf.constant(0.0), tf.constant(-0.0), tf.constant(0.0),
             tf.constant(0.0, tf.float64), tf.constant([0.0]), tf.constant(np.nan)]
    program = program_of(zeros, passes=(cse,))
    assert types_of(program).count("Const") == 5  # only the two float32 +0.0 merge
    assert_same_as_unoptimized(zeros)


def test_attribute_keys_tell_apart_values_python_calls_equal():
    assert freeze(0.0) != freeze(-0.0)
    assert freeze(1) != freeze(1.0) != freeze(True)
    assert freeze({"a": (1, 2)}) == freeze({"a": (1, 2)}) != freeze({"a": [1, 2]})
    assert freeze(np.array([1, 2], np.int32)) != freeze(np.array([1, 2], np.int64))
    wide = np.broadcast_to(np.array([1.0, 2.0]), (10**7, 2))  # keyed without materialising
    assert freeze(wide) == freeze(np.broadcast_to(np.array([1.0, 2.0]), (10**7, 2)))
    assert freeze(wide) != freeze(np.broadcast_to(np.array([1.0, 3.0]), (10**7, 2)))


def test_random_and_stateful_ops_are_never_merged():
    draws = [tf.random_uniform([3], seed=7), tf.random_uniform([3], seed=7)]
    program = program_of(draws, passes=(cse,))
    assert types_of(program).count("RandomUniform") == 2


def test_reads_of_a_variable_around_an_assignment_stay_apart():
    v = tf.Variable(1.0)
    before = v * 2.0
    step = v.assign(10.0)
    after = v * 2.0  # runs after the assignment: ops run in the order they were made
    program = program_of([before, after], targets=[step.op], passes=(cse,))
    assert types_of(program).count("Mul") == 2
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run([before, after, step]) == [2.0, 20.0, 10.0]


def test_reads_of_a_variable_merge_when_nothing_assigns():
    v = tf.Variable(1.0)
    both = [v * 2.0, v * 2.0]
    program = program_of(both, passes=(cse,))
    assert types_of(program).count("Mul") == 1
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(both) == [2.0, 2.0]


def test_merged_fetches_are_distinct_arrays():
    x = tf.placeholder(tf.float64, [2])
    a, b = tf.exp(x), tf.exp(x)
    with tf.Session() as sess:
        ra, rb = sess.run([a, b], {x: np.zeros(2)})
    ra += 1.0
    np.testing.assert_array_equal(rb, [1.0, 1.0])


def test_attribute_keys_of_scalar_arrays_and_one_key_dicts():
    assert freeze(np.array(0.5)) == freeze(np.array(0.5))
    assert freeze(np.array(0.0)) != freeze(np.array(-0.0))
    assert freeze(np.array(1.0)) != freeze(np.array(1.0, np.float32))
    assert freeze(np.array(1.0)) != freeze(np.array([1.0])) != freeze(np.array([[1.0]]))
    assert freeze({"value": np.array(2.0)}) == freeze({"value": np.array(2.0)})
    assert freeze({"value": np.array(2.0)}) != freeze({"other": np.array(2.0)})
    assert freeze({"a": 1, "b": 2.0}) == freeze({"b": 2.0, "a": 1}) != freeze({"a": 1})


def test_commutative_ops_of_one_value_twice_merge():
    x = tf.placeholder(tf.float64, [2])
    s = tf.sin(x)
    squares = [s * s, s * s, tf.multiply(s, s)]
    program = program_of(squares, [x], passes=(cse,))
    assert types_of(program).count("Mul") == 1
    assert_same_as_unoptimized(squares, {x: np.array([0.5, -2.0])})

"""Random graphs run optimized, unoptimized and with each pass disabled give the same bits
(the generator is tests/compiler/random_graphs.py; tools/fuzz_graphs.py runs thousands).
Differences the fuzzer found in compiler passes (fixed since) are kept here as minimal
reproducers."""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import staticgraph as tf

from . import random_graphs
from .helpers import assert_same_as_unoptimized
from .random_graphs import compare, generate

@pytest.mark.parametrize("seed", range(32))
def test_random_graph_gives_the_same_bits_under_every_configuration(seed):
    problems = compare(generate(seed))
    assert not problems, "\n".join(problems)


def test_generated_graphs_cover_every_kind_of_step():
    graphs = [generate(seed) for seed in range(60)]
    calls = {step.call for g in graphs for step in g.steps}
    wanted = {"constant", "placeholder", "Variable", "gradients", "matmul", "where",
              "maximum", "minimum", "cast", "reshape", "transpose", "concat", "slice",
              "gather", "add_n", "negative"} | set(random_graphs.REDUCE)
    assert wanted <= calls, wanted - calls
    targets = {s.args[1] for g in graphs for s in g.steps if s.call == "cast"}
    assert targets == {"tf.int32", "tf.float32", "tf.float64"}
    values = np.concatenate([np.ravel(s.args[0]) for g in graphs for s in g.steps
                             if s.call == "constant" and np.asarray(s.args[0]).dtype.kind == "f"])
    assert np.isnan(values).any() and np.isposinf(values).any()
    assert (np.signbit(values) & (values == 0)).any() and (values == 1).any()
    sizes = [len(g.steps) for g in graphs]
    assert min(sizes) >= 5 and max(sizes) > 40


def test_comparison_tells_signed_zeros_dtypes_shapes_and_nan_positions_apart():
    same = random_graphs._identical
    assert same(np.array([0.0, np.nan]), np.array([0.0, -np.nan]))  # NaN sign is free
    assert not same(np.array([0.0]), np.array([-0.0]))
    assert not same(np.array([np.nan, 1.0]), np.array([1.0, np.nan]))
    assert not same(np.array([1.0], np.float32), np.array([1.0]))
    assert not same(np.array([1.0]), np.array([[1.0]]))
    assert not same(np.float64(1.0), np.array(1.0))


def test_a_reproducer_script_rebuilds_the_graph_and_its_values():
    graph = generate(5)
    namespace: dict = {"print": lambda *_: None}
    with np.errstate(all="ignore"):
        exec(compile(graph.source(), "<reproducer>", "exec"), namespace)  # noqa: S102
        with tf.Session(optimize=False) as sess:
            sess.run(tf.global_variables_initializer())
            expected = sess.run(namespace["fetches"], namespace["feed"])
        with tf.Graph().as_default():
            env, feed = graph.build()
            with tf.Session(optimize=False) as sess:
                sess.run(tf.global_variables_initializer())
                got = sess.run([env[n] for n in graph.fetches], feed)
    assert all(random_graphs._identical(a, b) for a, b in zip(got, expected))


def test_fuzz_tool_prints_graph_and_mismatch_counts():
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, str(root / "tools" / "fuzz_graphs.py"),
                           "--count", "2", "--seed", "0"], capture_output=True, text=True,
                          cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("2 graphs, 0 mismatches")


# -- reproducers of pass bugs found by tools/fuzz_graphs.py (fixed) ------------------------------

def test_signs_pass_on_negated_product_of_a_negation_and_minus_one():
    # crashed with TypeError "'Node' object is not subscriptable" (issue 12, item 5)
    x = tf.placeholder(tf.float32, [3])
    y = tf.negative(tf.multiply(tf.negative(x), tf.constant(-1.0)))
    assert_same_as_unoptimized(y, {x: np.array([1.5, -2.0, 0.0], np.float32)})


def test_cse_keeps_sums_of_the_same_terms_in_another_order_apart():
    # cse merged them (float addition is not associative) with simplify off (issue 12)
    a, b, c = (tf.constant(np.float64(v)) for v in (1.0, 1e16, -1e16))
    v = tf.Variable(np.float64(1e16))
    sums = [tf.add_n([a, v, c]), tf.add_n([c, v, a])]
    options = tf.OptimizerOptions(disabled_passes=("simplify",))
    config = tf.ConfigProto(graph_options=tf.GraphOptions(optimizer_options=options))
    assert_same_as_unoptimized(sums, init=v.initializer, config=config)


def test_cse_keeps_minimum_and_maximum_of_swapped_operands_apart():
    # cse merged them: NumPy returns the second operand on signed-zero ties (issue 12)
    x = tf.constant(np.array([-0.0, 0.0]))
    y = tf.Variable(np.array([0.0, -0.0]))
    assert_same_as_unoptimized([tf.minimum(x, y), tf.minimum(y, x), tf.maximum(x, y),
                                tf.maximum(y, x)], init=y.initializer)

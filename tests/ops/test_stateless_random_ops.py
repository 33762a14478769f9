"""Stateless random ops, gamma/Poisson/binomial samplers, random_crop, tf.random.split /
fold_in / create_rng_state and tf.random.Generator: purity in (shape, seed), fresh draws of
the stateful forms, distributions, errors, and what the compiler may fold or merge."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.compiler.passes.constant_folding import constant_folding
from staticgraph.compiler.passes.cse import cse
from staticgraph.core.registry import get_op_def
from staticgraph.ops import special_kernels

from ..compiler.helpers import assert_same_as_unoptimized, program_of, types_of

STATELESS = {
    "uniform": lambda seed: tf.random.stateless_uniform([4, 3], seed),
    "uniform_int": lambda seed: tf.random.stateless_uniform([6], seed, 0, 1000, tf.int64),
    "full_int": lambda seed: tf.random.stateless_uniform([6], seed, None, None, tf.int32),
    "normal": lambda seed: tf.random.stateless_normal([5], seed, 1.0, 2.0, tf.float64),
    "truncated": lambda seed: tf.random.stateless_truncated_normal([7], seed),
    "categorical": lambda seed: tf.random.stateless_categorical(np.zeros((2, 50)), 8, seed),
    "multinomial": lambda seed: tf.random.stateless_multinomial(np.zeros((2, 50)), 8, seed),
    "gamma": lambda seed: tf.random.stateless_gamma([3, 2], seed, [0.5, 3.0]),
    "poisson": lambda seed: tf.random.stateless_poisson([4, 2], seed, [1.0, 30.0]),
    "binomial": lambda seed: tf.random.stateless_binomial([5], seed, 20.0, 0.3),
    "param_truncated": lambda seed: tf.random.stateless_parameterized_truncated_normal(
        [6], seed, 0.0, 1.0, -1.0, 3.0),
}


def _in_new_graph(build, runs=1):
    with tf.Graph().as_default():
        tensor = build()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return [sess.run(tensor) for _ in range(runs)]


@pytest.mark.parametrize("name", sorted(STATELESS))
def test_stateless_ops_are_pure_functions_of_shape_and_seed(name):
    first = _in_new_graph(lambda: STATELESS[name]([1, 2]), runs=2)
    again = _in_new_graph(lambda: STATELESS[name]([1, 2]))
    other = _in_new_graph(lambda: STATELESS[name]([2, 1]))
    np.testing.assert_array_equal(first[0], first[1])  # the same in every run
    np.testing.assert_array_equal(first[0], again[0])  # and in every session
    assert not np.array_equal(first[0], other[0]), "different seeds must differ"


def test_a_seed_fed_at_run_time_selects_the_stream():
    seed = tf.placeholder(tf.int64, [2])
    x = tf.random.stateless_normal([4], seed)
    with tf.Session() as sess:
        a, b, a2 = (sess.run(x, {seed: s}) for s in ([3, 4], [5, 6], [3, 4]))
    np.testing.assert_array_equal(a, a2)
    assert not np.array_equal(a, b)


def test_stateless_distributions():
    n = 20000
    with tf.Session() as sess:
        u, z, t, i, g, p, b, c, pt, pt_hi = sess.run([
            tf.random.stateless_uniform([n], [1, 1], 2.0, 5.0, tf.float64),
            tf.random.stateless_normal([n], [1, 2], 1.0, 2.0, tf.float64),
            tf.random.stateless_truncated_normal([n], [1, 3], dtype=tf.float64),
            tf.random.stateless_uniform([n], [1, 4], -3, 4, tf.int32),
            tf.random.stateless_gamma([n, 2], [1, 5], [0.5, 4.0], [1.0, 2.0], tf.float64),
            tf.random.stateless_poisson([n], [1, 6], 7.0, tf.float32),
            tf.random.stateless_binomial([n], [1, 7], 10.0, 0.25),
            tf.random.stateless_categorical(np.log([[0.2, 0.8]]), n, [1, 8]),
            tf.random.stateless_parameterized_truncated_normal([n], [1, 9], 0.0, 1.0, 0.5, 1.0),
            tf.random.stateless_parameterized_truncated_normal([n], [1, 9], 10.0, 2.0, 19.0,
                                                               21.0)])
    assert u.dtype == np.float64 and 2.0 <= u.min() and u.max() < 5.0
    assert abs(u.mean() - 3.5) < 0.05
    assert abs(z.mean() - 1.0) < 0.05 and abs(z.std() - 2.0) < 0.05
    assert np.abs(t).max() <= 2.0 and abs(t.std() - 0.8796) < 0.02
    assert i.dtype == np.int32 and set(np.unique(i)) == set(range(-3, 4))
    np.testing.assert_allclose(g.mean(axis=0), [0.5, 2.0], rtol=0.05)
    assert p.dtype == np.float32 and abs(p.mean() - 7.0) < 0.1
    assert b.dtype == np.int32 and abs(b.mean() - 2.5) < 0.05
    assert c.dtype == np.int64 and abs(c.mean() - 0.8) < 0.02
    assert 0.5 <= pt.min() and pt.max() <= 1.0
    # both ends 4.5 standard deviations above the mean: the mirrored-interval branch
    assert 19.0 <= pt_hi.min() and pt_hi.max() <= 21.0 and pt_hi.mean() < 19.5


def test_stateless_dtypes_and_static_shapes():
    seed = tf.constant([1, 2], tf.int32)
    x = tf.random.stateless_uniform([2, 3], seed, dtype=tf.float16)
    full = tf.random.stateless_uniform([4], seed, None, None, tf.int64)
    assert x.dtype == tf.float16 and x.shape.as_list() == [2, 3]
    assert tf.random.stateless_multinomial(np.zeros((3, 4)), 5, seed).shape.as_list() == [3, 5]
    with tf.Session() as sess:
        assert sess.run(full).dtype == np.int64


@pytest.mark.parametrize("build, message", [
    (lambda: tf.random.stateless_normal([2], [1, 2, 3]), "seed must be a shape-\\[2\\]"),
    (lambda: tf.random.stateless_normal([2], [1.0, 2.0]), "seed must be a shape-\\[2\\]"),
    (lambda: tf.random.stateless_uniform([2], [1, 2], 0, None, tf.int32), "both None"),
    (lambda: tf.random.stateless_gamma([3, 2], [1, 2], [1.0, 2.0, 3.0]), "does not broadcast"),
    (lambda: tf.random.stateless_normal([2], [1, 2], dtype=tf.int32), "Invalid dtype"),
])
def test_bad_arguments_are_named(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_invalid_parameters_fail_at_run_time_naming_the_op():
    x = tf.random.stateless_poisson([2], [1, 2], tf.placeholder(tf.float32, []))
    with tf.Session() as sess, pytest.raises(Exception, match="StatelessRandomPoisson"):
        sess.run(x, {x.op.inputs[2]: -1.0})


# ---------------------------------------------------------------------------------------
# Stateful gamma, Poisson and random_crop
# ---------------------------------------------------------------------------------------

STATEFUL = {
    "gamma": lambda seed: tf.random.gamma([3], [1.0, 2.0], seed=seed),
    "random_gamma": lambda seed: tf.random_gamma([3], 1.5, [1.0, 2.0], seed=seed),
    "poisson": lambda seed: tf.random.poisson([1.0, 5.0], [4], seed=seed),
    "random_crop": lambda seed: tf.random_crop(np.arange(40).reshape(5, 8), [2, 3], seed=seed),
}


@pytest.mark.parametrize("name", sorted(STATEFUL))
def test_stateful_samplers_repeat_across_sessions_and_draw_anew_each_run(name):
    first = _in_new_graph(lambda: STATEFUL[name](7), runs=4)
    second = _in_new_graph(lambda: STATEFUL[name](7), runs=4)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert any(not np.array_equal(first[0], later) for later in first[1:])


def test_stateful_shapes_follow_tf1():
    assert tf.random.gamma([5], [[1.0, 2.0, 3.0]]).shape.as_list() == [5, 1, 3]
    assert tf.random_gamma([2], 1.0, [1.0, 2.0]).shape.as_list() == [2, 2]
    assert tf.random.poisson([1.0, 2.0], [4, 3], dtype=tf.int64).shape.as_list() == [4, 3, 2]
    assert tf.random.poisson(3.0, [4]).dtype == tf.float32
    with pytest.raises(ValueError, match="need value.shape >= size"):
        tf.random_crop(tf.zeros([3, 4]), [4, 4])


def test_random_crop_is_a_window_of_the_input_and_passes_gradients():
    value = tf.constant(np.arange(40.0).reshape(5, 8))
    crop = tf.random_crop(value, [2, 3], seed=1)
    grad = tf.gradients(tf.reduce_sum(crop * crop), value)[0]
    with tf.Session() as sess:
        for _ in range(5):
            c, g = sess.run([crop, grad])
            r, k = divmod(int(c[0, 0]), 8)
            np.testing.assert_array_equal(c, np.arange(40.0).reshape(5, 8)[r:r + 2, k:k + 3])
            assert g.sum() == 2 * c.sum() and np.count_nonzero(g) == (6 if c[0, 0] else 5)


def test_gamma_samples_are_positive_and_have_the_right_mean():
    x = tf.random.gamma([20000], [0.01, 1.0, 9.0], beta=[1.0, 1.0, 3.0], seed=3,
                        dtype=tf.float64)
    with tf.Session() as sess:
        v = sess.run(x)
    assert v.min() >= np.finfo(np.float64).tiny
    np.testing.assert_allclose(v.mean(axis=0), [0.01, 1.0, 3.0], rtol=0.1)


# ---------------------------------------------------------------------------------------
# Gamma gradients: implicit reparameterization
# ---------------------------------------------------------------------------------------


def _cdf_preserving_step(alpha, x, h):
    """Solves P(alpha + h, x') = P(alpha, x) for x' by Newton's method on the igamma
    kernel (a finite difference of the implicit function x(alpha))."""
    target = special_kernels.igamma(alpha, x)
    y = x.copy()
    for _ in range(50):
        density = np.exp((alpha + h - 1) * np.log(y) - y - special_kernels.lgamma(alpha + h))
        y = y - (special_kernels.igamma(alpha + h, y) - target) / density
    return y


def test_gamma_gradient_is_the_derivative_of_the_cdf_preserving_sample():
    alpha = np.array([0.3, 1.0, 2.5, 7.0, 40.0])
    x = np.array([0.2, 0.7, 3.1, 5.0, 44.0])
    h = 1e-6
    numeric = (_cdf_preserving_step(alpha, x, h) - _cdf_preserving_step(alpha, x, -h)) / (2 * h)
    np.testing.assert_allclose(special_kernels.random_gamma_grad(alpha, x), numeric,
                               rtol=1e-6)


def test_gamma_vjp_and_jvp_use_the_implicit_derivative():
    alpha = tf.placeholder(tf.float64, [3])
    beta = tf.placeholder(tf.float64, [3])
    x = tf.random.stateless_gamma([4, 3], [5, 6], alpha, beta, tf.float64)
    gx = tf.random.stateless_gamma([4, 3], [5, 6], alpha, None, tf.float64)
    d_alpha, d_beta = tf.gradients(tf.reduce_sum(x), [alpha, beta])
    tangent = tf.jvp(x, [alpha], [tf.ones_like(alpha)])
    feed = {alpha: [0.5, 2.0, 6.0], beta: [1.0, 2.0, 0.5]}
    with tf.Session() as sess:
        xv, gv, da, db = sess.run([x, gx, d_alpha, d_beta], feed)
        tv = sess.run(tangent, feed)
    partial = special_kernels.random_gamma_grad(np.array(feed[alpha]), gv)
    np.testing.assert_allclose(da, (partial / feed[beta]).sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(db, (-xv / feed[beta]).sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(np.reshape(tv, xv.shape), partial / feed[beta], rtol=1e-12)


def test_stateful_gamma_gradient_reaches_alpha():
    alpha = tf.constant([0.5, 3.0], tf.float64)
    x = tf.random.gamma([1000], alpha, seed=2, dtype=tf.float64)
    grad = tf.gradients(tf.reduce_mean(x, 0), alpha)[0]
    with tf.Session() as sess:
        # d E[x] / d alpha = 1: the mean of the pathwise derivatives estimates it
        np.testing.assert_allclose(sess.run(grad), [1.0, 1.0], atol=0.1)


# ---------------------------------------------------------------------------------------
# What the compiler may do with stateless and stateful samplers
# ---------------------------------------------------------------------------------------


def test_stateless_ops_with_constant_inputs_fold():
    x = tf.placeholder(tf.float64, [3])
    noise = tf.random.stateless_normal([3], [4, 2], dtype=tf.float64)
    y = x + noise
    program = program_of([y], [x], passes=(constant_folding,))
    assert "StatelessRandomNormal" not in types_of(program)
    assert_same_as_unoptimized([y], {x: np.array([1.0, 2.0, 3.0])})
    assert not get_op_def("StatelessRandomNormal").stateful


def test_equal_stateless_draws_merge_and_stateful_draws_never_do():
    seed = tf.placeholder(tf.int64, [2])
    a = tf.random.stateless_uniform([3], seed, dtype=tf.float64)
    b = tf.random.stateless_uniform([3], seed, dtype=tf.float64)
    g1 = tf.random.gamma([3], 2.0, seed=1, dtype=tf.float64)
    g2 = tf.random.gamma([3], 2.0, seed=1, dtype=tf.float64)
    program = program_of([a, b, g1, g2], [seed], passes=(constant_folding, cse))
    types = types_of(program)
    assert types.count("StatelessRandomUniform") == 1
    assert types.count("RandomUniformInt") == 2 and types.count("StatelessRandomGammaV2") == 2
    with tf.Session() as sess:
        va, vb, v1, v2 = sess.run([a, b, g1, g2], {seed: [1, 2]})
    np.testing.assert_array_equal(va, vb)
    np.testing.assert_array_equal(v1, v2)  # TF1: same (graph, op) seed, same draws


# ---------------------------------------------------------------------------------------
# split, fold_in, create_rng_state, Algorithm, Generator
# ---------------------------------------------------------------------------------------


def test_split_and_fold_in():
    seeds = tf.random.split([1, 2], 3)
    folded = tf.random.fold_in([1, 2], 7)
    assert seeds.dtype == tf.int32 and seeds.shape.as_list() == [3, 2]
    with tf.Session() as sess:
        s, f, again = sess.run([seeds, folded, tf.random.fold_in([1, 2], 8)])
    assert len({tuple(r) for r in s}) == 3
    assert f[1] == 7 and f[0] == s[0, 0] and again[0] == f[0]  # TF's construction
    assert tf.random.experimental.stateless_split is tf.random.split


def test_create_rng_state_lays_out_words_as_tf():
    with tf.Session() as sess:
        got = sess.run([tf.random.create_rng_state(5, "philox"),
                        tf.random.create_rng_state(-1, tf.random.Algorithm.PHILOX),
                        tf.random.create_rng_state(2 ** 40 + 3, 1),
                        tf.random.create_rng_state(5, "threefry")])
    for value, expected in zip(got, ([5, 0, 0], [-1, -1, -1], [2 ** 40 + 3, 0, 0], [5, 0])):
        np.testing.assert_array_equal(value, expected)
    with pytest.raises(ValueError, match="Unsupported algorithm"):
        tf.random.create_rng_state(1, "mersenne")


def _generator_draws(make, runs=3):
    def build():
        g = make()
        return [g.normal([4]), g.uniform([3], 0, 100, tf.int64)]
    return _in_new_graph(build, runs)


def test_generator_from_seed_repeats_and_advances():
    first = _generator_draws(lambda: tf.random.Generator.from_seed(11))
    second = _generator_draws(lambda: tf.random.Generator.from_seed(11))
    other = _generator_draws(lambda: tf.random.Generator.from_seed(12))
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(first[0][0], first[1][0])
    assert not np.array_equal(first[0][0], other[0][0])


def test_generator_state_split_seeds_and_reset():
    g = tf.random.Generator.from_seed(3, alg="philox")
    x = g.normal([2], dtype=tf.float64)
    kids = g.split(2)
    ys = [k.normal([2], dtype=tf.float64) for k in kids]
    seeds = g.make_seeds(4)
    reset = g.reset_from_seed(3)
    assert g.algorithm == 1 and g.state.dtype == tf.int64 and seeds.shape.as_list() == [2, 4]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        x1 = sess.run(x)
        assert sess.run(g.state)[0] == 1  # the counter advanced once
        x2 = sess.run(x)
        sess.run(reset)
        np.testing.assert_array_equal(sess.run(x), x1)
        y0, y1 = sess.run(ys)
        s = sess.run(seeds)
    assert not np.array_equal(x1, x2) and not np.array_equal(y0, y1)
    assert s.dtype == np.int64 and len(set(s.ravel())) == 8


def test_generator_samplers():
    g = tf.random.Generator.from_seed(5)
    draws = [g.truncated_normal([500], 1.0, 2.0, tf.float64), g.binomial([500], 10.0, 0.5),
             g.uniform_full_int([4]), g.uniform([500], 2.0, 3.0), g.normal([2, 3])]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        t, b, f, u, n = sess.run(draws)
    assert np.abs(t - 1.0).max() <= 4.0 and b.dtype == np.int32 and 0 <= b.min()
    assert f.dtype == np.uint64 and u.min() >= 2.0 and u.max() < 3.0 and n.shape == (2, 3)
    with pytest.raises(ValueError, match="maxval"):
        g.uniform([2], dtype=tf.int32)


def test_generator_from_state_and_global_generator():
    g = tf.random.Generator.from_state(tf.random.create_rng_state(9, "threefry"), "threefry")
    h = tf.random.Generator(copy_from=g)
    assert g.algorithm == 2 and g.state.shape.as_list() == [2]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(g.state), [9, 0])
        np.testing.assert_array_equal(sess.run(g.normal([3])), sess.run(h.normal([3])))
    glob = tf.random.get_global_generator()
    assert tf.random.get_global_generator() is glob
    tf.random.set_global_generator(g)
    assert tf.random.get_global_generator() is g
    with pytest.raises(TypeError, match="Generator"):
        tf.random.set_global_generator(object())
    with tf.Graph().as_default():
        assert tf.random.get_global_generator() is not g  # a generator of the new graph

"""Initializers: values, dtypes, seeds, variance scaling rules, configs and TF1 names."""
import math

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.ops import init_ops


def _value(initializer, shape, dtype=None):
    tensor = initializer(shape, dtype=dtype) if dtype is not None else initializer(shape)
    assert isinstance(tensor, tf.Tensor)
    with tf.Session() as sess:
        value = sess.run(tensor)
    assert tensor.shape.as_list() == list(value.shape) == list(shape)
    return value


def test_zeros_ones_constant():
    z = _value(tf.zeros_initializer(), [2, 3])
    assert z.dtype == np.float32 and not z.any()
    o = _value(tf.ones_initializer(dtype=tf.int32), [4])
    assert o.dtype == np.int32 and np.all(o == 1)
    assert _value(tf.zeros_initializer(), [2], dtype=tf.float64).dtype == np.float64
    c = _value(tf.constant_initializer(2.5), [2, 2])
    np.testing.assert_array_equal(c, np.full((2, 2), 2.5, np.float32))
    listed = _value(tf.constant_initializer([1, 2, 3, 4]), [2, 2])
    np.testing.assert_array_equal(listed, np.array([[1, 2], [3, 4]], np.float32))


def test_constant_initializer_errors():
    with pytest.raises(TypeError, match="Invalid type for initial value"):
        tf.constant_initializer({"a": 1})
    with pytest.raises(TypeError, match="expected shape"):
        tf.constant_initializer([1, 2, 3], verify_shape=True)([3, 1])


def test_random_normal_and_truncated_normal():
    x = _value(tf.random_normal_initializer(1.0, 2.0, seed=1), [100, 100])
    assert x.dtype == np.float32
    assert abs(x.mean() - 1.0) < 0.1 and abs(x.std() - 2.0) < 0.1
    t = _value(tf.truncated_normal_initializer(stddev=0.1, seed=2), [100, 100], tf.float64)
    assert t.dtype == np.float64 and np.all(np.abs(t) <= 0.2)


def test_random_uniform_initializer():
    u = _value(tf.random_uniform_initializer(-0.5, 0.5, seed=3), [1000])
    assert u.min() >= -0.5 and u.max() < 0.5 and abs(u.mean()) < 0.05
    default = _value(tf.random_uniform_initializer(seed=3), [1000])
    assert default.min() >= 0.0 and default.max() < 1.0
    k = _value(tf.random_uniform_initializer(0, 4, dtype=tf.int64, seed=1), [100])
    assert k.dtype == np.int64 and set(np.unique(k)) <= {0, 1, 2, 3}


def test_float_only_initializers_reject_integer_dtypes():
    with pytest.raises(ValueError, match="Expected floating point type, got int32"):
        tf.random_normal_initializer(dtype=tf.int32)
    with pytest.raises(ValueError, match="Expected floating point type"):
        tf.glorot_uniform_initializer()([2, 2], dtype=tf.int32)


def test_seeds_repeat_across_graphs():
    values = []
    for _ in range(2):
        with tf.Graph().as_default():
            values.append(_value(tf.glorot_normal_initializer(seed=4), [5, 5]))
    np.testing.assert_array_equal(values[0], values[1])


@pytest.mark.parametrize("shape,fans", [
    ([], (1, 1)), ([7], (7, 7)), ([3, 5], (3, 5)), ([2, 3, 4, 6], (24, 36)),
])
def test_compute_fans(shape, fans):
    assert init_ops._compute_fans(shape) == fans


def test_glorot_uniform_limit_and_variance():
    fan_in, fan_out = 200, 300
    x = _value(tf.glorot_uniform_initializer(seed=5), [fan_in, fan_out])
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    assert np.abs(x).max() <= limit and np.abs(x).max() > 0.95 * limit
    assert abs(x.var() - 2.0 / (fan_in + fan_out)) < 0.1 * 2.0 / (fan_in + fan_out)


def test_glorot_normal_is_truncated_with_matching_variance():
    x = _value(tf.glorot_normal_initializer(seed=6), [200, 300])
    stddev = math.sqrt(2.0 / 500) / 0.87962566103423978
    assert np.abs(x).max() <= 2 * stddev + 1e-6
    assert abs(x.std() - math.sqrt(2.0 / 500)) < 0.05 * math.sqrt(2.0 / 500)


@pytest.mark.parametrize("mode,n", [("fan_in", 400), ("fan_out", 600), ("fan_avg", 500)])
@pytest.mark.parametrize("distribution", ["uniform", "untruncated_normal", "truncated_normal",
                                          "normal"])
def test_variance_scaling_variance(mode, n, distribution):
    init = tf.variance_scaling_initializer(2.0, mode, distribution, seed=7)
    x = _value(init, [10, 40, 60])  # conv-like: receptive field 10, fans 400 and 600
    assert abs(x.var() - 2.0 / n) < 0.05 * 2.0 / n
    if distribution in ("truncated_normal", "normal"):
        assert np.abs(x).max() <= 2 * math.sqrt(2.0 / n) / 0.87962566103423978 + 1e-6
    if distribution == "uniform":
        assert np.abs(x).max() <= math.sqrt(3 * 2.0 / n)


def test_variance_scaling_argument_errors():
    with pytest.raises(ValueError, match="`scale` must be positive float"):
        tf.variance_scaling_initializer(scale=0.0)
    with pytest.raises(ValueError, match="Invalid `mode` argument"):
        tf.variance_scaling_initializer(mode="fan_max")
    with pytest.raises(ValueError, match="Invalid `distribution` argument"):
        tf.variance_scaling_initializer(distribution="cauchy")


def test_partition_info_full_shape_sets_the_fans():
    class Partition:
        full_shape = [1000, 1000]

    x = tf.variance_scaling_initializer(distribution="uniform", seed=1)(
        [10, 10], partition_info=Partition())
    with tf.Session() as sess:
        assert np.abs(sess.run(x)).max() <= math.sqrt(3.0 / 1000)


@pytest.mark.parametrize("factory,scale,distribution", [
    (tf.initializers.he_normal, 2.0, "truncated_normal"),
    (tf.initializers.he_uniform, 2.0, "uniform"),
    (tf.initializers.lecun_normal, 1.0, "truncated_normal"),
    (tf.initializers.lecun_uniform, 1.0, "uniform"),
])
def test_he_and_lecun(factory, scale, distribution):
    init = factory(seed=1)
    assert (init.scale, init.mode, init.distribution, init.seed) == \
        (scale, "fan_in", distribution, 1)


def test_configs_round_trip():
    for init in (tf.zeros_initializer(), tf.constant_initializer(3.0),
                 tf.random_normal_initializer(0.5, 2.0, seed=3),
                 tf.random_uniform_initializer(-1, 2, seed=4),
                 tf.variance_scaling_initializer(3.0, "fan_out", "uniform", seed=5),
                 tf.glorot_uniform_initializer(seed=6)):
        rebuilt = type(init).from_config(init.get_config())
        assert rebuilt.get_config() == init.get_config()
    assert tf.glorot_uniform_initializer(seed=1).get_config() == {"seed": 1,
                                                                  "dtype": "float32"}


def test_namespace_aliases():
    assert tf.initializers.zeros is tf.zeros_initializer is init_ops.Zeros
    assert tf.initializers.glorot_uniform is tf.glorot_uniform_initializer
    assert tf.initializers.variance_scaling is tf.variance_scaling_initializer
    assert tf.initializers.random_normal is tf.random_normal_initializer
    assert tf.initializers.truncated_normal is tf.truncated_normal_initializer
    assert tf.initializers.global_variables is tf.global_variables_initializer
    assert isinstance(tf.ones_initializer(), tf.initializers.ones)


def test_initializer_value_feeds_a_variable():
    v = tf.Variable(tf.ones_initializer()([2, 3], dtype=tf.float64))
    with tf.Session() as sess:
        sess.run(tf.initializers.global_variables())
        np.testing.assert_array_equal(sess.run(v), np.ones((2, 3)))


def test_random_initializers_build_random_ops():
    x = tf.random_uniform_initializer(seed=2)([3])
    types = {op.type for op in tf.get_default_graph().get_operations()}
    assert "RandomUniform" in types and x.op.name == "random_uniform"


def test_identity_and_uniform_unit_scaling_initializers():
    eye = tf.get_variable("eye", [2, 3], initializer=tf.initializers.identity(gain=2.0))
    uus = tf.get_variable("uus", [50, 40],
                          initializer=tf.uniform_unit_scaling_initializer(factor=1.5, seed=1))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(eye), 2.0 * np.eye(2, 3))
        values = sess.run(uus)
    limit = np.sqrt(3.0 / 50) * 1.5  # TF1: fan_in is the product of all dims but the last
    assert np.abs(values).max() <= limit and np.abs(values).max() > 0.9 * limit
    with pytest.raises(ValueError, match="2D"):
        tf.initializers.identity()([2, 2, 2])

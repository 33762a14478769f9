"""SumToShape's kernel: sums over leading axes (bias gradients) in row groups, checked
against NumPy's plain sum for every grouping case."""
import numpy as np
import pytest

from staticgraph.ops.broadcast_ops import _sum_leading, _sum_to_shape_kernel

RNG = np.random.RandomState(5)


@pytest.mark.parametrize("g_shape,shape", [
    ((64, 28, 28, 32), (32,)),   # W7's bias gradient: rows grouped 32 at a time
    ((7, 5, 3), (3,)),           # an odd row count: no grouping
    ((6, 3, 5), (3, 5)),         # rows of 15: groups of gcd(6, 128) = 2
    ((4, 2048), (2048,)),        # rows long already
    ((2, 3, 4), (1, 3, 4)),      # a leading axis added back as 1
    ((3, 0, 2), (0, 2)),         # empty rows
    ((0, 4), (4,)),              # no rows
])
def test_sum_over_leading_axes_matches_numpy(g_shape, shape):
    g = RNG.randn(*g_shape)
    lead = len(g_shape) - len(shape)
    axes = tuple(range(lead)) + tuple(i for i, d in enumerate(shape, lead)
                                      if d == 1 and g_shape[i] != 1)
    got = _sum_to_shape_kernel(g, np.array(shape))
    assert got.shape == shape and got.dtype == g.dtype
    np.testing.assert_allclose(got, np.sum(g, axis=axes).reshape(shape), rtol=1e-12,
                               atol=1e-12)


def test_grouped_sums_of_integers_are_exact_and_float32_as_accurate():
    ints = RNG.randint(-100, 100, size=(64, 6, 32)).astype(np.int32)
    np.testing.assert_array_equal(_sum_leading(ints.reshape(-1, 32)), ints.sum(axis=(0, 1)))
    x = RNG.rand(50176, 32).astype(np.float32)
    exact = x.astype(np.float64).sum(axis=0)
    grouped = np.abs(_sum_leading(x) - exact).max()
    assert grouped <= np.abs(x.sum(axis=0) - exact).max()


def test_other_axes_and_non_contiguous_inputs_take_the_plain_sum():
    g = RNG.randn(4, 3, 5)
    np.testing.assert_allclose(_sum_to_shape_kernel(g, np.array([4, 1, 5])),
                               g.sum(axis=1, keepdims=True))
    t = g.transpose(2, 1, 0)  # [5, 3, 4], not C-contiguous
    np.testing.assert_allclose(_sum_to_shape_kernel(t, np.array([4])), t.sum(axis=(0, 1)))


def test_unbroadcast_builds_a_sum_only_where_a_dimension_may_have_been_broadcast():
    import staticgraph as tf
    from staticgraph.ops.broadcast_ops import unbroadcast
    g = tf.Graph()
    with g.as_default():
        known = tf.placeholder(tf.float64, [3, 2])
        grad = tf.placeholder(tf.float64, [3, 2])
        assert unbroadcast(grad, known, known) is grad  # one shape: nothing to undo
        assert unbroadcast(grad, known, tf.placeholder(tf.float64, [3, 2])) is grad
        assert unbroadcast(grad, known, tf.placeholder(tf.float64, [2])) is grad
        assert unbroadcast(grad, known, tf.placeholder(tf.float64, [])) is grad
        ones = tf.placeholder(tf.float64, [1, 2])
        assert unbroadcast(grad, ones, ones) is grad  # 1 against 1
        assert unbroadcast(grad, ones, known).op.type == "SumToShape"
        partial = tf.placeholder(tf.float64, [None, 2])
        # An unknown dimension may be 1 where the other's is larger, even in one shape.
        assert unbroadcast(grad, partial, partial).op.type == "SumToShape"
        assert unbroadcast(grad, known, tf.placeholder(tf.float64, [1, 3, 2])).op.type \
            == "SumToShape"
        assert unbroadcast(grad, known, tf.placeholder(tf.float64, None)).op.type \
            == "SumToShape"

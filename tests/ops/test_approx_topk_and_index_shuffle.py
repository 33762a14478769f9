"""tf.math.approx_max_k / approx_min_k / tf.approx_top_k (exact top-k, recall 1) and
tf.random_index_shuffle (a seeded bijection of [0, max_index])."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case

RNG = np.random.RandomState(31)


def _run(tensors):
    with tf.Session() as sess:
        return sess.run(tensors)


def test_approx_max_and_min_k_are_exact_along_any_dimension():
    x = RNG.randn(4, 6, 3)
    got = _run([tf.math.approx_max_k(x, 2), tf.math.approx_min_k(x, 3, reduction_dimension=1),
                tf.nn.approx_max_k(x, 1, 0), tf.approx_top_k(x, 2, 1, is_max_k=False)])
    (v, i), (mv, mi), (v0, i0), (tv, ti) = got
    order = np.argsort(-x, axis=-1, kind="stable")[..., :2]
    np.testing.assert_array_equal(i, order)
    np.testing.assert_array_equal(v, np.take_along_axis(x, order, -1))
    low = np.argsort(x, axis=1, kind="stable")[:, :3]
    np.testing.assert_array_equal(mi, low)
    np.testing.assert_array_equal(mv, np.take_along_axis(x, low, 1))
    np.testing.assert_array_equal(v0, x.max(axis=0, keepdims=True))
    np.testing.assert_array_equal(i0, x.argmax(axis=0)[None])
    np.testing.assert_array_equal(ti, low[:, :2])
    assert i.dtype == np.int32 and tv.shape == (4, 2, 3)


def test_ties_come_in_index_order():
    x = np.array([[3.0, 1.0, 3.0, 0.0], [5.0, 7.0, -1.0, 7.0]])
    (v, i), (mv, mi) = _run([tf.math.approx_max_k(x, 2), tf.math.approx_min_k(-x, 2)])
    np.testing.assert_array_equal(i, [[0, 2], [1, 3]])
    np.testing.assert_array_equal(mi, [[0, 2], [1, 3]])
    np.testing.assert_array_equal(mv, -v)


def test_approx_top_k_bad_arguments():
    with pytest.raises(ValueError, match="recall_target"):
        tf.math.approx_max_k(tf.ones([3]), 1, recall_target=1.5)
    with pytest.raises(TypeError, match="reduction_dimension"):
        tf.math.approx_max_k(tf.ones([3, 2]), 1, reduction_dimension=[0, 1])
    with pytest.raises(ValueError, match="reduction_dimension.*out of range"):
        tf.math.approx_max_k(tf.ones([3]), 1, reduction_dimension=1)
    with pytest.raises(ValueError):
        tf.math.approx_max_k(tf.ones([3]), 4)


def test_index_shuffle_is_a_seeded_bijection():
    n = 1000
    perm = tf.random_index_shuffle(np.arange(n), [1, 2, 3], n - 1)
    other = tf.random_index_shuffle(np.arange(n), [1, 2, 4], n - 1)
    per_row = tf.random_index_shuffle(np.arange(5, dtype=np.int64),
                                      np.array([[7, 8, 9]] * 5, np.int64), np.int64(4))
    small = [tf.random_index_shuffle(np.arange(m + 1), [5, 5, 5], m) for m in range(4)]
    big = tf.random.experimental.index_shuffle(np.int64(2 ** 40), [1, 1, 1], np.int64(2 ** 41))
    p, o, r, s, b = _run([perm, other, per_row, small, big])
    assert sorted(p) == list(range(n)) and not np.array_equal(p, np.arange(n))
    assert not np.array_equal(p, o) and sorted(o) == list(range(n))
    assert sorted(r) == list(range(5)) and r.dtype == np.int64
    assert all(sorted(v) == list(range(m + 1)) for m, v in enumerate(s))
    assert 0 <= b <= 2 ** 41
    np.testing.assert_array_equal(p, _run(tf.random_index_shuffle(np.arange(n), [1, 2, 3],
                                                                  n - 1)))


def test_index_shuffle_errors():
    with pytest.raises(ValueError, match="seed must have shape"):
        tf.random_index_shuffle(1, [1, 2], 5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="RandomIndexShuffle"):
        _run(tf.random_index_shuffle(9, [1, 2, 3], 5))


GRADIENT_CASES = [
    GradCase("approx_max_min_k", lambda x: [tf.math.approx_max_k(x, 2, 0)[0],
                                            tf.math.approx_min_k(x, 2)[0]],
             [RNG.randn(3, 4)]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result

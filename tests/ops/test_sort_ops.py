"""sort/argsort, unique, searchsorted, setdiff1d, unravel_index and the fixed-width
histograms: gradients, TF1's edge cases (values as TensorFlow 2.21 ``compat.v1`` gives
them, see tools/tf_array_ops_check.py), shapes and errors."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase
from tests.ops.array_op_helpers import assert_gradient_ok, run

RNG = np.random.RandomState(7)

GRADIENT_CASES = [
    GradCase("sort_last_axis", lambda x: tf.sort(x), [RNG.randn(3, 4)]),
    GradCase("sort_axis0_descending", lambda x: tf.sort(x, axis=0, direction="DESCENDING"),
             [RNG.randn(4, 3)]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    assert_gradient_ok(case)


def test_sort_and_argsort_match_numpy_stable_order():
    x = RNG.randint(0, 4, size=(3, 7)).astype(np.float64)
    for axis in (0, 1, -1):
        got_sorted, got_asc, got_desc = run(
            tf.sort(x, axis=axis), tf.argsort(x, axis=axis),
            tf.argsort(x, axis=axis, direction="DESCENDING", stable=True))
        np.testing.assert_array_equal(got_sorted, np.sort(x, axis=axis))
        np.testing.assert_array_equal(got_asc, np.argsort(x, axis=axis, kind="stable"))
        # descending keeps equal values in index order too
        np.testing.assert_array_equal(got_desc, np.argsort(-x, axis=axis, kind="stable"))


def test_sort_edge_cases_of_tf1():
    ints = tf.constant([np.iinfo(np.int32).min, 5, -3], tf.int32)
    uint8 = tf.constant([200, 5, 0, 255], tf.uint8)
    asc, desc, arg_ties, arg_ties_desc, nan_sorted = run(
        tf.sort(ints), tf.sort(uint8, direction="DESCENDING"), tf.argsort([1, 0, 1, 0, 1]),
        tf.argsort([1, 0, 1, 0, 1], direction="DESCENDING"), tf.sort([3.0, np.nan, 1.0]))
    assert asc.tolist() == [np.iinfo(np.int32).min, -3, 5]  # no overflow at the minimum
    assert desc.dtype == np.uint8 and desc.tolist() == [255, 200, 5, 0]
    assert arg_ties.tolist() == [1, 3, 0, 2, 4]  # TF: [1 3 0 2 4]
    assert arg_ties_desc.tolist() == [0, 2, 4, 1, 3]  # TF: [0 2 4 1 3]
    # TF leaves NaN's place unspecified; here NaN sorts last
    assert nan_sorted[:2].tolist() == [1.0, 3.0] and np.isnan(nan_sorted[2])


def test_sort_errors():
    with pytest.raises(ValueError, match="direction must be one of"):
        tf.sort([1.0], direction="UP")
    with pytest.raises(ValueError, match="sort: the size of the sorted axis 1 must be known"):
        tf.sort(tf.placeholder(tf.float32, [2, None]))
    with pytest.raises(ValueError, match="sort's axis must be an integer known"):
        tf.sort([1.0, 2.0], axis=tf.placeholder(tf.int32, []))
    with pytest.raises(TypeError, match="argsort: cannot sort bool"):
        tf.argsort([True, False])


def test_unique_keeps_the_order_of_first_occurrence():
    u, uc, nans, zeros = run(tf.unique([4, 1, 4, 2, 1]), tf.unique_with_counts([4, 1, 4, 2, 1]),
                              tf.unique([np.nan, 1.0, np.nan]), tf.unique([-0.0, 0.0, 1.0]))
    assert u.y.tolist() == [4, 1, 2] and u.idx.tolist() == [0, 1, 0, 2, 1]
    assert uc.count.tolist() == [2, 2, 1]
    # TF: every NaN is its own value; 0.0 and -0.0 are one, spelled as first seen
    assert np.isnan(nans.y[[0, 2]]).all() and nans.idx.tolist() == [0, 1, 2]
    assert zeros.y.tolist() == [0.0, 1.0] and np.signbit(zeros.y[0])
    assert zeros.idx.tolist() == [0, 0, 1]


def test_unique_random_inputs_reconstruct():
    x = RNG.randint(-3, 4, size=30)
    out = run(tf.unique_with_counts(x, out_idx=tf.int64))[0]
    np.testing.assert_array_equal(out.y[out.idx], x)
    firsts = [int(np.flatnonzero(x == v)[0]) for v in out.y]
    assert firsts == sorted(firsts) and len(set(out.y)) == len(out.y)
    np.testing.assert_array_equal(out.count, [np.sum(x == v) for v in out.y])
    assert out.idx.dtype == np.int64


def test_unique_static_shapes_and_errors():
    out = tf.unique(tf.placeholder(tf.float32, [5]))
    assert out.y.shape.as_list() == [None] and out.idx.shape.as_list() == [5]
    with pytest.raises(ValueError, match="Unique.*x must be a vector"):
        tf.unique(np.ones((2, 2)))
    with pytest.raises(LookupError, match="No gradient defined.*Unique"):
        x = tf.constant([1.0, 2.0])
        tf.gradients(tf.unique(x).y, x)


def test_searchsorted_sides_and_ties():
    seq, vals = [[1.0, 2.0, 2.0, 3.0]], [[2.0, 0.0, 4.0, 2.5]]
    left, right, flat = run(tf.searchsorted(seq, vals), tf.searchsorted(seq, vals, side="right"),
                             tf.searchsorted([1.0, 2.0, 2.0, 3.0], [2.0, 0.0]))
    assert left.tolist() == [[1, 0, 4, 3]] and right.tolist() == [[3, 0, 4, 3]]
    assert flat.tolist() == [1, 0]
    batch = np.sort(RNG.randn(3, 6), axis=1)
    queries = RNG.randn(3, 4)
    got = run(tf.searchsorted(batch, queries, out_type=tf.int64))[0]
    np.testing.assert_array_equal(got, [np.searchsorted(r, q) for r, q in zip(batch, queries)])
    with pytest.raises(ValueError, match="SearchSorted.*agree in all but the last"):
        tf.searchsorted(np.ones((2, 3)), np.ones((3, 1)))
    with pytest.raises(ValueError, match="side must be 'left' or 'right'"):
        tf.searchsorted([1.0], [1.0], side="middle")


def test_setdiff1d_and_unravel_index():
    diff, unravel, scalar = run(tf.setdiff1d([1, 2, 3, 4, 2, 6], [2, 4]),
                                 tf.unravel_index([7, 1, 11], [3, 4]), tf.unravel_index(7, [3, 4]))
    assert diff.out.tolist() == [1, 3, 6] and diff.idx.tolist() == [0, 2, 5]
    assert unravel.tolist() == [[1, 0, 2], [3, 1, 3]] and scalar.tolist() == [1, 3]
    assert tf.unravel_index([1, 2], [3, 4]).shape.as_list() == [2, 2]
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match=r"UnravelIndex: index 12 is out of bounds"):
        sess.run(tf.unravel_index(12, [3, 4]))


def test_histograms():
    values = [-1.0, 0.0, 0.5, 1.0, 5.0, 6.0]
    counts, bins = run(tf.histogram_fixed_width(values, [0.0, 5.0], nbins=5),
                        tf.histogram_fixed_width_bins(values, [0.0, 5.0], nbins=5))
    assert bins.tolist() == [0, 0, 0, 1, 4, 4]  # TF: [0 0 0 1 4 4]
    np.testing.assert_array_equal(counts, np.bincount(bins, minlength=5))
    assert tf.histogram_fixed_width(values, [0.0, 5.0], nbins=5).shape.as_list() == [5]
    fed = tf.placeholder_with_default(5, [])
    assert run(tf.histogram_fixed_width_bins(values, [0.0, 5.0], fed))[0].tolist() == \
        bins.tolist()
    x = RNG.randn(200)
    got = run(tf.histogram_fixed_width(x, [-1.0, 1.0], nbins=8))[0]
    np.testing.assert_array_equal(got, np.histogram(np.clip(x, -1, 1 - 1e-12), 8, (-1, 1))[0])
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="must not contain NaN"):
        sess.run(tf.histogram_fixed_width([np.nan], [0.0, 1.0]))


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.uint32, np.uint64])
def test_sort_unsigned_in_both_directions(dtype):
    # TF 2.21: ascending [0 0 5 5 100 max], descending argsort [2 3 1 5 0 4]
    top = np.iinfo(dtype).max
    x = tf.constant(np.array([0, 5, top, 100, 0, 5], dtype))
    asc, desc, arg_desc, arg_asc = run(tf.sort(x), tf.sort(x, direction="DESCENDING"),
                                       tf.argsort(x, direction="DESCENDING"), tf.argsort(x))
    assert asc.dtype == dtype and desc.dtype == dtype
    assert asc.tolist() == [0, 0, 5, 5, 100, top]
    assert desc.tolist() == [top, 100, 5, 5, 0, 0]
    assert arg_desc.tolist() == [2, 3, 1, 5, 0, 4]
    assert arg_asc.tolist() == [0, 4, 1, 5, 3, 2]

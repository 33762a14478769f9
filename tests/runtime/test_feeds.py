"""Fed values: layout-independent results, never shared with variables, clear errors."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.runtime.session import feed_converter


def _layouts(x):
    """``x`` as Fortran-order, strided and broadcast arrays (equal values)."""
    padded = np.zeros((2 * x.shape[0], 2 * x.shape[1]), x.dtype)
    padded[::2, ::2] = x
    row = np.broadcast_to(x[:1], x.shape)
    return {"fortran": (np.asfortranarray(x), x), "strided": (padded[::2, ::2], x),
            "broadcast": (row, np.array(row))}


@pytest.mark.parametrize("layout", ["fortran", "strided", "broadcast"])
def test_results_do_not_depend_on_the_layout_of_a_fed_array(layout):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 300)).astype(np.float32)
    w = rng.standard_normal((300, 5)).astype(np.float32)
    p = tf.placeholder(tf.float32, [None, 300])
    q = tf.placeholder(tf.float32, [300, 5])
    outs = [tf.reduce_sum(p, axis=1), tf.reduce_sum(p, axis=0), tf.reduce_sum(p),
            tf.matmul(p, q), tf.reduce_mean(p * 2.0, axis=1)]
    fed, c_order = _layouts(x)[layout]
    with tf.Session() as sess:
        expected = sess.run(outs, {p: c_order, q: w})
        got = sess.run(outs, {p: fed, q: np.asfortranarray(w)})
    for a, b in zip(got, expected):
        assert a.dtype == b.dtype and np.array_equal(a, b)


def test_a_c_contiguous_feed_is_not_copied_and_others_become_c_ordered():
    convert = feed_converter(tf.placeholder(tf.float32, [2, 3]))
    fed = np.ones((2, 3), np.float32)
    assert convert(fed) is fed
    read_only = np.ones((2, 3), np.float32)
    read_only.setflags(write=False)
    assert convert(read_only) is read_only
    for other in (np.asfortranarray(fed), np.ones((2, 6), np.float32)[:, ::2],
                  np.broadcast_to(np.ones(3, np.float32), (2, 3))):
        out = convert(other)
        assert out.flags.c_contiguous and not np.shares_memory(out, other)
        np.testing.assert_array_equal(out, other)


def test_a_read_only_fed_array_is_not_shared_by_assign():
    v = tf.Variable(np.zeros(3))
    p = tf.placeholder(tf.float64, [3])
    assign = tf.assign(v, p)
    fed = np.ones(3)
    fed.setflags(write=False)
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(assign, {p: fed})
        fed.setflags(write=True)  # the caller owns it and may write again
        fed[:] = 7.0
        np.testing.assert_array_equal(sess.run(v), np.ones(3))


def test_a_fed_graph_constant_is_copied_by_assign():
    const = tf.constant(np.zeros(3))
    v = tf.Variable(const)  # the initializer may share the graph's constant
    fed = np.ones(3)
    fed.setflags(write=False)
    with tf.Session() as sess:
        sess.run(v.initializer, {const: fed})  # ... but not a value fed in its place
        fed.setflags(write=True)
        fed[:] = 7.0
        np.testing.assert_array_equal(sess.run(v), np.ones(3))


def test_load_copies_the_value_and_goes_through_the_session():
    v = tf.Variable(np.zeros(3))
    value = np.ones(3)
    with tf.Session() as sess:
        sess.run(v.initializer)
        v.load(value, sess)
        value[:] = 5.0
        np.testing.assert_array_equal(sess.run(v), np.ones(3))
        with pytest.raises(ValueError, match="shape"):
            v.load(np.ones(4), sess)
    with pytest.raises(RuntimeError, match="closed"):
        v.load(value, sess)
    with pytest.raises(ValueError, match="no default session"):
        v.load(value)


@pytest.mark.parametrize("dtype,value", [(tf.int32, 2 ** 40), (tf.int32, [1, 2 ** 40]),
                                         (tf.uint8, [-1, 300]), (tf.uint8, -1)])
def test_an_out_of_range_feed_names_the_placeholder(dtype, value):
    v = tf.Variable(0.0)
    p = tf.placeholder(dtype, name="small")
    step = tf.group(tf.assign_add(v, 1.0), tf.identity(p))
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(TypeError, match=r"'small:0' of dtype (int32|uint8).*range"):
            sess.run(step, {p: value})
        assert sess.run(v) == 0.0


def test_placeholder_shapes_reject_negative_dimensions_other_than_minus_one():
    with pytest.raises(ValueError, match="-2"):
        tf.placeholder(tf.float32, shape=[-2, 3])
    assert tf.placeholder(tf.float32, shape=[-1, 3]).shape.as_list() == [None, 3]
    assert tf.placeholder(tf.float32, shape=[None, 3]).shape.as_list() == [None, 3]


def test_a_fully_defined_feed_is_tested_inline_and_converted_when_the_test_fails():
    p = tf.placeholder(tf.float64, [2, 3], name="p")
    y = p * 2.0
    convert = feed_converter(p)
    dtype, shape = convert.passes_unchanged
    fed = np.arange(6.0).reshape(2, 3)
    assert (dtype, shape) == (np.dtype(np.float64), (2, 3)) and convert(fed) is fed
    assert feed_converter(tf.placeholder(tf.float64, [None, 3])).__dict__ == {}
    with tf.Session() as sess:
        assert "f0.flags.carray" in sess.compiled_plan(y, [p]).source
        expected = sess.run(y, {p: fed})
        read_only = fed.copy()
        read_only.setflags(write=False)
        class Sub(np.ndarray):
            pass
        for other in (fed.tolist(), fed.astype(np.float32), np.asfortranarray(fed),
                      read_only, fed.view(Sub), fed.astype(">f8")):
            got = sess.run(y, {p: other})
            assert type(got) is np.ndarray and got.dtype == np.float64
            np.testing.assert_array_equal(got, expected)
        with pytest.raises(ValueError, match=r"shape \(3, 2\) for Tensor 'p:0'"):
            sess.run(y, {p: fed.reshape(3, 2)})


def test_runs_that_differ_only_in_their_fed_keys_or_fetch_structure_do_not_share_runners():
    a = tf.placeholder_with_default(np.float64(1.0), [])
    b = tf.placeholder_with_default(np.float64(2.0), [])
    total = a + b
    with tf.Session() as sess:
        assert sess.run([total]) == [3.0]
        assert sess.run([total], {a: 5.0}) == [7.0]
        assert sess.run([total], {b: 5.0}) == [6.0]
        assert sess.run([total], {a: 5.0, b: 5.0}) == [10.0]
        assert sess.run((total, a), {b: 0.5}) == (1.5, 1.0)
        assert sess.run({"t": total}, {a: 0.0}) == {"t": 2.0}
        assert sess.run(total, {a: 3.0}) == 5.0 and sess.run(total) == 3.0
        assert sess.run([total, [a]], {a: 4.0}) == [6.0, [4.0]]  # nested: looked up apart
        assert sess.run([total, [a]]) == [3.0, [1.0]]

"""Array ops: kernels against NumPy, shape rules against kernels, TF1 names and errors,
indexing, and gradient checks (reverse, forward and finite differences)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case
from staticgraph.ops import op_util

rng = np.random.RandomState(42)


def _r(*shape):
    return rng.randn(*shape)


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def _check(tensor, expected, feed=None):
    """Runs ``tensor`` and compares value, dtype and the static shape to ``expected``."""
    value = np.asarray(_run(tensor, feed))
    expected = np.asarray(expected)
    assert value.dtype == expected.dtype, (value.dtype, expected.dtype)
    np.testing.assert_array_equal(value, expected)
    assert tensor.shape.is_compatible_with(value.shape), (tensor.shape, value.shape)


def _mirror_pad_grad(g):
    """The gradient graph of a REFLECT pad, as a function of its incoming gradient."""
    x = tf.zeros([3, 2], dtype=tf.float64)
    return tf.gradients(tf.pad(x, [[1, 2], [1, 1]], mode="REFLECT"), x, grad_ys=g)[0]


def _strided_slice_grad(g):
    x = tf.zeros([5, 3], dtype=tf.float64)
    return tf.gradients(x[::-2, 1:], x, grad_ys=g)[0]


def _gather_grad(g):
    x = tf.zeros([4, 3], dtype=tf.float64)
    return tf.convert_to_tensor(
        tf.gradients(tf.gather(x, [[0, 2], [2, 2]], axis=0), x, grad_ys=g)[0])


GRADIENT_CASES = [
    GradCase("Reshape", lambda x: tf.reshape(x, [3, -1]), [_r(2, 3)], order=2),
    GradCase("Reshape_dynamic", lambda x: tf.reshape(x, tf.shape(tf.transpose(x))),
             [_r(2, 3)]),
    GradCase("Transpose", lambda x: tf.transpose(x, [1, 2, 0]), [_r(2, 3, 4)], order=2),
    GradCase("Transpose_default", lambda x: tf.transpose(x), [_r(2, 3)]),
    GradCase("ConcatV2", lambda x, y: tf.concat([x, y], 1), [_r(2, 3), _r(2, 2)], order=2),
    GradCase("ConcatV2_negative_axis", lambda x, y, z: tf.concat([x, y, z], -2),
             [_r(1, 2), _r(3, 2), _r(2, 2)]),
    GradCase("ConcatV2_python_value", lambda x: tf.concat([x, [[1.0, 2.0]]], 0), [_r(2, 2)]),
    GradCase("Pack", lambda x, y: tf.stack([x, y], axis=1), [_r(2, 3), _r(2, 3)], order=2),
    GradCase("Pack_last_axis", lambda x, y: tf.stack([x, y, x], axis=-1),
             [_r(2), _r(2)]),
    GradCase("Unpack", lambda x: tf.unstack(x, axis=1), [_r(2, 3)], order=2),
    GradCase("Unpack_one_used", lambda x: tf.unstack(x)[1] * 3.0, [_r(3, 2)]),
    GradCase("Split", lambda x: tf.split(x, 3, axis=1), [_r(2, 6)], order=2),
    GradCase("Split_one_used", lambda x: tf.split(x, 2)[0], [_r(4, 2)]),
    GradCase("SplitV", lambda x: tf.split(x, [1, -1, 2], 1), [_r(2, 5)], order=2),
    GradCase("Squeeze", lambda x: tf.squeeze(x, [1]), [_r(2, 1, 3)], order=2),
    GradCase("Squeeze_all", lambda x: tf.squeeze(x), [_r(1, 3, 1)]),
    GradCase("ExpandDims", lambda x: tf.expand_dims(x, -1), [_r(2, 3)], order=2),
    GradCase("Tile", lambda x: tf.tile(x, [2, 3]), [_r(2, 3)], order=2),
    GradCase("Tile_size_one_dims", lambda x: tf.tile(x, [3, 1, 2]), [_r(1, 2, 1)]),
    GradCase("Pad", lambda x: tf.pad(x, [[1, 2], [0, 1]], constant_values=3.0), [_r(2, 3)],
             order=2),
    GradCase("MirrorPad_reflect", lambda x: tf.pad(x, [[1, 2], [2, 0]], mode="REFLECT"),
             [_r(4, 3)], order=2),
    GradCase("MirrorPad_symmetric", lambda x: tf.pad(x, [[2, 2], [0, 3]], mode="symmetric"),
             [_r(2, 3)], order=2),
    GradCase("MirrorPadGrad", _mirror_pad_grad, [_r(6, 4)], order=2),
    GradCase("Slice", lambda x: tf.slice(x, [1, 0], [-1, 2]), [_r(3, 3)], order=2),
    GradCase("StridedSlice_negative_step", lambda x: x[::-2, 1:], [_r(5, 3)], order=2),
    GradCase("StridedSlice_shrink", lambda x: x[1, -2::-1], [_r(3, 4)], order=2),
    GradCase("StridedSlice_ellipsis_newaxis", lambda x: x[..., tf.newaxis, 1], [_r(2, 3)]),
    GradCase("StridedSlice_tensor_index", lambda x: x[tf.constant(2) - 1], [_r(3, 2)]),
    GradCase("StridedSliceGrad", _strided_slice_grad, [_r(3, 2)], order=2),
    GradCase("GatherV2", lambda x: tf.gather(x, [[0, 2], [2, 2]], axis=1), [_r(2, 3)],
             order=2),
    GradCase("GatherV2_axis0_duplicates", lambda x: tf.gather(x, [1, 1, 0]), [_r(3, 2)]),
    GradCase("ScatterAddToShape", _gather_grad, [_r(2, 2, 3)], order=2),
    GradCase("GatherNd", lambda x: tf.gather_nd(x, [[0, 2], [1, 1], [0, 2]]), [_r(2, 3)],
             order=2),
    GradCase("ScatterNd", lambda u: tf.scatter_nd([[1], [3], [1]], u, [4, 2]), [_r(3, 2)],
             order=2),
    GradCase("Select", lambda x, y: tf.where(tf.constant([[True, False, True],
                                                          [False, False, True]]), x, y),
             [_r(2, 3), _r(2, 3)], order=2),
    GradCase("Select_vector_condition", lambda x, y: tf.where([True, False], x, y),
             [_r(2, 3), _r(2, 3)], order=2),
    GradCase("SelectV2", lambda x, y: tf.where_v2([True, False, True], x, y),
             [_r(2, 3), _r(1, 3)], order=2),
    GradCase("Fill", lambda x: tf.fill([2, 3], x), [np.array(0.7)], order=2),
    GradCase("ReverseV2", lambda x: tf.reverse(x, [0, -1]), [_r(2, 3)], order=2),
    GradCase("StopGradient", lambda x: x * tf.stop_gradient(x * 0.0 + 3.0), [_r(2)]),
    GradCase("boolean_mask", lambda x: tf.boolean_mask(x, [True, False, True]), [_r(3, 2)]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


# -- gradient semantics ---------------------------------------------------------------


def test_stop_gradient_blocks_reverse_and_forward():
    x = tf.placeholder(tf.float64, [3])
    y = x * tf.stop_gradient(x)
    grad = tf.gradients(y, x)[0]
    tangent = tf.jvp(y, x, tf.ones_like(x))[0]
    v = np.array([1.0, -2.0, 3.0])
    g, t = _run([grad, tangent], {x: v})
    np.testing.assert_allclose(g, v)  # d(x * c)/dx with c = x held constant
    np.testing.assert_allclose(t, v)
    assert tf.stop_gradient(x).op.type == "StopGradient"


def test_where_gradient_goes_to_the_chosen_branch_only():
    x = tf.placeholder(tf.float64, [2, 2])
    y = tf.placeholder(tf.float64, [2, 2])
    cond = tf.constant([[True, False], [False, True]])
    gx, gy = tf.gradients(tf.where(cond, x, y), [x, y])
    gx, gy = _run([gx, gy], {x: np.ones((2, 2)), y: np.ones((2, 2))})
    np.testing.assert_array_equal(gx, [[1, 0], [0, 1]])
    np.testing.assert_array_equal(gy, [[0, 1], [1, 0]])


def test_gather_gradient_accumulates_duplicate_indices():
    x = tf.placeholder(tf.float64, [3])
    grad = tf.gradients(tf.gather(x, [2, 0, 2, 2]), x)[0]
    assert isinstance(grad, tf.IndexedSlices)
    np.testing.assert_array_equal(_run(tf.convert_to_tensor(grad), {x: np.zeros(3)}),
                                  [1, 0, 3])


# -- kernels against NumPy (values and dtypes) ------------------------------------------


def test_reshape_transpose_squeeze_expand_dims():
    a = np.arange(24, dtype=np.int32).reshape(2, 3, 4)
    x = tf.constant(a)
    _check(tf.reshape(x, [4, -1]), a.reshape(4, -1))
    _check(tf.reshape(x, tf.constant([6, 4])), a.reshape(6, 4))
    _check(tf.transpose(x), a.T)
    _check(tf.transpose(x, perm=[0, 2, 1]), np.transpose(a, [0, 2, 1]))
    b = np.zeros((1, 3, 1), np.float32)
    _check(tf.squeeze(b), np.squeeze(b))
    _check(tf.squeeze(b, axis=-1), np.squeeze(b, -1))
    _check(tf.squeeze(b, squeeze_dims=[0]), np.squeeze(b, 0))
    _check(tf.expand_dims(x, 1), a[:, None])
    _check(tf.expand_dims(x, dim=-1), a[..., None])


def test_concat_stack_unstack_split():
    a = np.arange(6.0).reshape(2, 3)
    b = np.arange(6.0, 10.0).reshape(2, 2)
    _check(tf.concat([a, b], axis=1), np.concatenate([a, b], 1))
    _check(tf.concat([a, a], -2), np.concatenate([a, a], 0))
    _check(tf.stack([a, a + 1], axis=1), np.stack([a, a + 1], 1))
    assert tf.stack([1, 2, 3]).op.type == "Const"  # a list of numbers is a constant (TF1)
    parts = _run(tf.unstack(tf.constant(a), axis=1))
    assert len(parts) == 3 and all(p.dtype == np.float64 for p in parts)
    for got, want in zip(parts, np.moveaxis(a, 1, 0)):
        np.testing.assert_array_equal(got, want)
    pieces = tf.split(tf.constant(np.arange(12).reshape(3, 4)), [1, -1, 2], axis=1)
    assert [p.shape.as_list() for p in pieces] == [[3, 1], [3, 1], [3, 2]]
    for got, want in zip(_run(pieces), np.split(np.arange(12).reshape(3, 4), [1, 2], 1)):
        np.testing.assert_array_equal(got, want)
    halves = tf.split(tf.constant(a.T), 3)
    assert len(halves) == 3 and halves[0].shape.as_list() == [1, 2]
    single = tf.split(tf.constant(a), 1, axis=0)
    np.testing.assert_array_equal(_run(single)[0], a)


def test_tile_pad_slice():
    a = np.arange(6, dtype=np.int64).reshape(2, 3)
    _check(tf.tile(a, [2, 1]), np.tile(a, (2, 1)))
    _check(tf.pad(a, [[1, 0], [2, 1]]), np.pad(a, [[1, 0], [2, 1]]))
    _check(tf.pad(a, [[1, 0], [2, 1]], constant_values=7),
           np.pad(a, [[1, 0], [2, 1]], constant_values=7))
    _check(tf.pad(a, [[1, 1], [2, 2]], "REFLECT"), np.pad(a, [[1, 1], [2, 2]], "reflect"))
    _check(tf.pad(a, [[2, 1], [3, 0]], "SYMMETRIC"),
           np.pad(a, [[2, 1], [3, 0]], "symmetric"))
    _check(tf.slice(a, [1, 1], [-1, 2]), a[1:, 1:3])
    _check(tf.slice(a, tf.constant([0, 2]), [2, 1]), a[:, 2:3])


def test_mirror_pad_grad_folds_borders_back():
    g = np.arange(1.0, 1.0 + 6 * 4).reshape(6, 4)
    dx = _run(_mirror_pad_grad(tf.constant(g)))
    # Brute force: the Jacobian of np.pad(mode="reflect") transposed, applied to g.
    expected = np.zeros((3, 2))
    for i in range(3):
        for j in range(2):
            e = np.zeros((3, 2))
            e[i, j] = 1
            expected[i, j] = np.sum(np.pad(e, [[1, 2], [1, 1]], "reflect") * g)
    np.testing.assert_allclose(dx, expected)


def test_gather_gather_nd_scatter_nd():
    a = np.arange(12.0, dtype=np.float32).reshape(3, 4)
    _check(tf.gather(a, [2, 0]), a[[2, 0]])
    _check(tf.gather(a, [[1, 3], [0, 0]], axis=1), np.take(a, [[1, 3], [0, 0]], axis=1))
    _check(tf.gather(a, tf.constant([1], dtype=tf.int64), axis=-1), a[:, [1]])
    _check(tf.gather_nd(a, [[0, 1], [2, 3]]), a[[0, 2], [1, 3]])
    _check(tf.gather_nd(a, [[1]]), a[[1]])
    expected = np.zeros((4, 2), np.float32)
    np.add.at(expected, [1, 3, 1], np.ones((3, 2), np.float32))
    _check(tf.scatter_nd([[1], [3], [1]], np.ones((3, 2), np.float32), [4, 2]), expected)


def test_gather_out_of_range_index_fails_at_run_time():
    y = tf.gather(tf.constant([1.0, 2.0]), [0, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"index 2 is not in \[0, 2\)"):
        _run(y)


def test_one_hot():
    idx = np.array([[0, 2], [-1, 1]])
    expected = (idx[..., None] == np.arange(3)).astype(np.float32)
    _check(tf.one_hot(idx, 3), expected)
    _check(tf.one_hot(idx, 3, axis=0), np.moveaxis(expected, -1, 0))
    _check(tf.one_hot(idx, 3, on_value=5, off_value=-1),
           np.where(expected > 0, 5, -1).astype(np.int32))
    _check(tf.one_hot([1], 2, dtype=tf.float64), np.array([[0.0, 1.0]]))
    one_hot = tf.one_hot([0], 2, name="hot")
    assert one_hot.op.type == "OneHot" and one_hot.op.name == "hot"


def test_one_hot_dtype_errors():
    with pytest.raises(TypeError, match="on_value does not match dtype parameter"):
        tf.one_hot([0], 2, on_value=tf.constant(1), dtype=tf.float32)
    with pytest.raises(TypeError, match="does not match dtype"):
        tf.one_hot([0], 2, on_value=1.0, off_value=0)


def test_zeros_ones_fill_and_likes():
    _check(tf.zeros([2, 3]), np.zeros((2, 3), np.float32))
    _check(tf.ones([2], dtype=tf.int64), np.ones(2, np.int64))
    _check(tf.zeros(3, dtype=tf.bool), np.zeros(3, bool))
    _check(tf.zeros([40, 40]), np.zeros((40, 40), np.float32))
    n = tf.placeholder(tf.int32, [])
    dynamic = tf.ones(tf.stack([n, 2]))
    assert dynamic.shape.as_list() == [None, 2]
    np.testing.assert_array_equal(_run(dynamic, {n: 3}), np.ones((3, 2), np.float32))
    _check(tf.fill([2, 2], 9), np.full((2, 2), 9, np.int32))
    x = tf.placeholder(tf.float64, [None, 2])
    z, o = tf.zeros_like(x), tf.ones_like(x, dtype=tf.int32)
    assert z.op.type == "ZerosLike" and o.shape.as_list() == [None, 2]
    zv, ov = _run([z, o], {x: np.ones((3, 2))})
    assert zv.dtype == np.float64 and ov.dtype == np.int32
    np.testing.assert_array_equal(zv, np.zeros((3, 2)))
    np.testing.assert_array_equal(ov, np.ones((3, 2)))
    assert tf.zeros_like(tf.constant([1, 2])).op.type == "Const"


def test_large_zeros_use_a_fill_op():
    big = tf.zeros([50, 50])
    assert big.op.type == "Fill" and big.op.name == "zeros"
    assert tf.zeros([2, 2]).op.type == "Const"


def test_range_size_rank():
    _check(tf.range(5), np.arange(5, dtype=np.int32))
    _check(tf.range(2, 11, 3), np.arange(2, 11, 3, dtype=np.int32))
    _check(tf.range(1.0, 2.0, 0.25), np.arange(1.0, 2.0, 0.25, dtype=np.float32))
    _check(tf.range(5, 0, -2), np.arange(5, 0, -2, dtype=np.int32))
    _check(tf.range(3, dtype=tf.float64), np.arange(3.0))
    _check(tf.range(tf.constant(4, dtype=tf.int64)), np.arange(4, dtype=np.int64))
    r = tf.range(5)
    assert r.op.name == "range_6" and r.op.type == "Range"  # the seventh "range" op
    x = tf.placeholder(tf.float32, [None, 3])
    size, rank = tf.size(x), tf.rank(tf.placeholder(tf.float32))
    assert size.op.type == "Size" and rank.op.type == "Rank"
    assert _run(size, {x: np.zeros((4, 3))}) == 12
    with tf.Session() as sess:
        assert sess.run(rank, {rank.op.inputs[0]: np.zeros((1, 2, 3))}) == 3
    assert _run(tf.size(np.zeros((2, 5)))) == 10 and _run(tf.rank(np.zeros((2, 5)))) == 2


def test_range_errors():
    with pytest.raises(ValueError, match="Requires delta != 0"):
        tf.range(0, 5, 0)
    with pytest.raises(ValueError, match="Requires start <= limit"):
        tf.range(5, 0, 1)
    limit = tf.placeholder(tf.int32, [])
    r = tf.range(3, limit)
    assert r.shape.as_list() == [None]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Requires start <= limit"):
        _run(r, {limit: 1})


def test_where_forms():
    cond = np.array([[True, False], [False, True]])
    _check(tf.where(cond), np.argwhere(cond).astype(np.int64))
    a, b = np.arange(4.0).reshape(2, 2), -np.arange(4.0).reshape(2, 2)
    _check(tf.where(cond, a, b), np.where(cond, a, b))
    _check(tf.where([False, True], a, b), np.where([[False], [True]], a, b))
    _check(tf.where(True, a, b), a)
    _check(tf.where_v2([True, False], a, b[0]), np.where([True, False], a, b[0]))
    assert tf.where(cond, a, b).op.type == "Select"
    assert tf.where(cond).op.type == "Where"
    assert tf.where_v2(cond, a, b).op.type == "SelectV2"


def test_where_errors():
    with pytest.raises(ValueError, match="x and y must both be non-None or both be None"):
        tf.where([True], x=[1.0])
    with pytest.raises(ValueError, match="x and y must have the same shape"):
        tf.where([True, False], np.zeros((2, 2)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="must match the first dimension"):
        tf.where([True, False, True], np.zeros((2, 2)), np.zeros((2, 2)))
    with pytest.raises(TypeError, match="condition must be bool"):
        tf.where([1, 0], [1.0, 2.0], [3.0, 4.0])


def test_reverse_boolean_mask_invert_permutation():
    a = np.arange(6).reshape(2, 3)
    _check(tf.reverse(a, [1]), a[:, ::-1])
    _check(tf.reverse_v2(a, axis=[0, 1]), a[::-1, ::-1])
    mask = np.array([True, False, True])
    _check(tf.boolean_mask(a.T, mask), a.T[mask])
    _check(tf.boolean_mask(a, mask, axis=1), a[:, mask])
    m2 = np.array([[True, False, True], [False, False, True]])
    _check(tf.boolean_mask(a, m2), a[m2])
    _check(tf.invert_permutation([2, 0, 1]), np.argsort([2, 0, 1]).astype(np.int32))


def test_sequence_mask():
    lengths = np.array([1, 3, 0])
    expected = np.arange(3)[None, :] < lengths[:, None]
    _check(tf.sequence_mask(lengths), expected)
    _check(tf.sequence_mask(lengths, maxlen=4, dtype=tf.float32),
           (np.arange(4)[None, :] < lengths[:, None]).astype(np.float32))


# -- indexing (Tensor.__getitem__) --------------------------------------------------------


def _index_spec(ndim):
    """Strategy for a NumPy/TF1 index tuple into a tensor of rank ``ndim``."""
    bound = st.integers(-7, 7)
    part = st.one_of(st.none(), bound)
    item = st.one_of(
        st.tuples(part, part, st.one_of(st.none(), st.sampled_from([-3, -2, -1, 1, 2, 3])))
        .map(lambda t: slice(*t)),
        st.just(None))

    def build(data):
        items, ints, ellipsis_at = data
        key = list(items)
        consumed = sum(1 for k in key if k is not None)
        for i in ints:  # shrink indices, where they still fit
            if consumed < ndim:
                key.insert(i % (len(key) + 1), "int")
                consumed += 1
        if ellipsis_at is not None:
            key.insert(ellipsis_at % (len(key) + 1), Ellipsis)
        return key
    return st.tuples(st.lists(item, max_size=ndim), st.lists(st.integers(0, 5), max_size=2),
                     st.one_of(st.none(), st.integers(0, 5))).map(build)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3).flatmap(
    lambda shape: st.tuples(st.just(shape), _index_spec(len(shape)), st.data())))
def test_getitem_matches_numpy(args):
    shape, key, data = args
    a = np.arange(int(np.prod(shape))).reshape(shape)
    dims = iter(range(len(shape)))
    resolved = []
    for k in key:  # fill in valid shrink indices along the dimension they index
        if k == "int":
            dim = shape[next(dims)]
            resolved.append(data.draw(st.integers(-dim, dim - 1)))
        else:
            if k is Ellipsis:
                for _ in range(len(shape) - sum(1 for x in key if x is not None
                                                and x is not Ellipsis)):
                    next(dims)
            elif isinstance(k, slice):
                next(dims)
            resolved.append(k)
    resolved = tuple(resolved)
    tf.reset_default_graph()
    y = tf.constant(a)[resolved]
    assert y.op.type == "StridedSlice"
    _check(y, a[resolved])


def test_getitem_with_scalar_tensor_indices():
    a = np.arange(20).reshape(4, 5)
    x = tf.placeholder(tf.int64, [None, 5])
    i = tf.placeholder(tf.int32, [])
    j = tf.constant(1, dtype=tf.int64)
    y, z = x[i], x[j:, i]
    assert y.shape.as_list() == [5] and z.shape.as_list() == [None]
    got_y, got_z = _run([y, z], {x: a, i: 2})
    np.testing.assert_array_equal(got_y, a[2])
    np.testing.assert_array_equal(got_z, a[1:, 2])


def test_getitem_names_and_static_shapes():
    x = tf.placeholder(tf.float32, [None, 3, 4])
    y = x[0]
    assert y.op.name == "strided_slice" and y.op.type == "StridedSlice"
    assert x[1].op.name == "strided_slice_1"
    assert x[:, ::-1, tf.newaxis].shape.as_list() == [None, 3, 1, 4]
    assert x[..., 1:3].shape.as_list() == [None, 3, 2]
    assert x[:, -1].shape.as_list() == [None, 4]
    assert x[()].shape.as_list() == [None, 3, 4]


def test_getitem_errors():
    x = tf.constant(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="Only integers, slices"):
        x[1.5]
    with pytest.raises(TypeError, match="Only integers, slices"):
        x[tf.constant([0, 1])]
    with pytest.raises(ValueError, match="out of bounds"):
        x[2]
    with pytest.raises(ValueError, match="too many indices"):
        x[0, 0, 0]
    with pytest.raises(ValueError, match="strides must be non-zero"):
        x[::0]


def test_strided_slice_masks():
    a = np.arange(24).reshape(2, 3, 4)
    y = tf.strided_slice(a, [0, 1, 0], [0, -1, 3], [1, 1, 2], begin_mask=1, end_mask=1)
    _check(y, a[:, 1:-1, 0:3:2])
    _check(tf.strided_slice(a, [1, 0], [2, 0], shrink_axis_mask=1, ellipsis_mask=2),
           a[1, ...])
    _check(tf.strided_slice(a, [0, 2], [0, 3], new_axis_mask=1), a[None, 2:3])


# -- shape rules against kernels -----------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), st.data())
def test_structural_shape_rules_match_kernels(shape, data):
    tf.reset_default_graph()
    a = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    x = tf.constant(a)
    ndim = len(shape)
    perm = data.draw(st.permutations(range(ndim)))
    axis = data.draw(st.integers(-ndim, ndim - 1))
    multiples = data.draw(st.lists(st.integers(1, 3), min_size=ndim, max_size=ndim))
    paddings = data.draw(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)),
                                  min_size=ndim, max_size=ndim))
    begin = [data.draw(st.integers(0, d - 1)) for d in shape]
    size = [data.draw(st.integers(-1, d - b)) for d, b in zip(shape, begin)]
    size = [s if s != 0 else -1 for s in size]
    indices = data.draw(st.lists(st.integers(0, shape[axis] - 1), max_size=3))
    _check(tf.transpose(x, perm), np.transpose(a, perm))
    _check(tf.concat([x, x], axis), np.concatenate([a, a], axis))
    _check(tf.stack([x, x], axis), np.stack([a, a], axis))
    _check(tf.expand_dims(x, axis), np.expand_dims(a, axis))
    _check(tf.tile(x, multiples), np.tile(a, multiples))
    _check(tf.pad(x, paddings), np.pad(a, paddings))
    _check(tf.slice(x, begin, size),
           a[tuple(slice(b, None if s == -1 else b + s) for b, s in zip(begin, size))])
    _check(tf.gather(x, np.array(indices, np.int32), axis=axis),
           np.take(a, np.array(indices, np.int64), axis=axis))
    _check(tf.reshape(x, [-1]), a.reshape(-1))
    _check(tf.reverse(x, [axis]), np.flip(a, axis))
    _check(tf.one_hot(np.array(indices, np.int32), shape[0]),
           (np.array(indices)[:, None] == np.arange(shape[0])).astype(np.float32))


def test_partial_static_shapes():
    x = tf.placeholder(tf.float32, [None, 3, 4])
    assert tf.reshape(x, [tf.shape(x)[0], 12]).shape.as_list() == [None, 12]
    assert tf.reshape(x, [-1, 4]).shape.as_list() == [None, 4]
    y = tf.placeholder(tf.float32, [2, 3, 4])
    assert tf.reshape(y, [tf.shape(y)[1], -1]).shape.as_list() == [3, 8]
    assert tf.concat([x, x], 0).shape.as_list() == [None, 3, 4]
    assert tf.concat([x, x], 1).shape.as_list() == [None, 6, 4]
    assert tf.squeeze(tf.placeholder(tf.float32, [None, 1])).shape.ndims is None
    assert tf.tile(x, [2, 1, 1]).shape.as_list() == [None, 3, 4]
    assert tf.unstack(x, axis=1)[0].shape.as_list() == [None, 4]
    assert tf.split(x, [1, 3], axis=2)[1].shape.as_list() == [None, 3, 3]
    assert tf.gather(x, tf.placeholder(tf.int32, [5]), axis=2).shape.as_list() == [None, 3, 5]


# -- TF1 names and arguments ---------------------------------------------------------------


def test_op_types_and_default_names():
    x = tf.constant(np.zeros((2, 3), np.float32))
    expected = [
        (tf.reshape(x, [3, 2]), "Reshape", "Reshape"),
        (tf.transpose(x), "Transpose", "transpose"),
        (tf.concat([x, x], 0), "ConcatV2", "concat"),
        (tf.stack([x, x]), "Pack", "stack"),
        (tf.squeeze(x), "Squeeze", "Squeeze"),
        (tf.expand_dims(x, 0), "ExpandDims", "ExpandDims"),
        (tf.tile(x, [1, 2]), "Tile", "Tile"),
        (tf.pad(x, [[1, 1], [0, 0]]), "Pad", "Pad"),
        (tf.pad(x, [[1, 1], [0, 0]], "REFLECT"), "MirrorPad", "MirrorPad"),
        (tf.slice(x, [0, 0], [1, 1]), "Slice", "Slice"),
        (tf.strided_slice(x, [0], [1]), "StridedSlice", "StridedSlice"),
        (tf.gather(x, [0]), "GatherV2", "GatherV2"),
        (tf.gather_nd(x, [[0, 0]]), "GatherNd", "GatherNd"),
        (tf.fill([2], 1.0), "Fill", "Fill"),
        (tf.reverse(x, [0]), "ReverseV2", "ReverseV2"),
        (tf.zeros([2]), "Const", "zeros"),
        (tf.ones([2]), "Const", "ones"),
        (tf.one_hot([0], 2), "OneHot", "one_hot"),
        (tf.stop_gradient(x), "StopGradient", "StopGradient"),
        (tf.where(tf.constant([True, False]), x, x), "Select", "Select"),
    ]
    for tensor, op_type, name in expected:
        assert (tensor.op.type, tensor.op.name) == (op_type, name)
    assert [t.op.name for t in tf.unstack(x)] == ["unstack", "unstack"]
    assert tf.split(x, 3, 1)[0].op.type == "Split"
    assert tf.split(x, [1, 2], 1)[0].op.type == "SplitV"
    assert tf.concat([x], 0, name="c").op.type == "Identity"


def test_user_names_are_used():
    x = tf.constant([[1.0, 2.0]])
    assert tf.reshape(x, [2], name="flat").op.name == "flat"
    assert tf.concat([x, x], 0, name="joined").op.name == "joined"
    assert tf.zeros([3], name="z").op.name == "z"
    assert tf.split(x, 2, axis=1, name="halves")[0].op.name == "halves"


# -- build-time errors ------------------------------------------------------------------


def test_shape_errors_name_the_op_and_shapes():
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    with pytest.raises(ValueError, match=r"Reshape op 'Reshape'.*6 elements to shape \[4\]"):
        tf.reshape(x, [4])
    with pytest.raises(ValueError, match="one dimension"):
        tf.reshape(x, [-1, -1])
    with pytest.raises(ValueError, match=r"ConcatV2.*dimension 0 of the inputs must match"):
        tf.concat([x, tf.zeros([3, 3])], 1)
    with pytest.raises(ValueError, match="same rank"):
        tf.concat([x, tf.zeros([3])], 0)
    with pytest.raises(ValueError, match="compatible shapes"):
        tf.stack([x, tf.zeros([3, 2])])
    with pytest.raises(ValueError, match="evenly divisible by 2"):
        tf.split(x, 2, axis=1)
    with pytest.raises(ValueError, match="must sum to the dimension size 3"):
        tf.split(x, [1, 1], axis=1)
    with pytest.raises(ValueError, match=r"Can not squeeze dim\[1\]"):
        tf.squeeze(x, [1])
    with pytest.raises(ValueError, match="not a permutation"):
        tf.transpose(x, [0, 0])
    with pytest.raises(ValueError, match="one entry per dimension"):
        tf.tile(x, [1, 2, 3])
    with pytest.raises(ValueError, match=r"paddings must have shape \[2, 2\]"):
        tf.pad(x, [[1, 1]])
    with pytest.raises(ValueError, match=r"paddings \(0, 3\) must be in \[0, 2\]"):
        tf.pad(x, [[0, 0], [0, 3]], mode="REFLECT")
    with pytest.raises(ValueError, match="Unknown padding mode"):
        tf.pad(x, [[0, 0], [0, 0]], mode="WRAP")
    with pytest.raises(ValueError, match="out of bounds"):
        tf.slice(x, [1, 1], [2, 1])
    with pytest.raises(ValueError, match="Cannot specify both 'axis' and 'dim'"):
        tf.expand_dims(x, 0, dim=0)
    with pytest.raises(ValueError, match="out of range"):
        tf.expand_dims(x, 3)
    with pytest.raises(ValueError, match="Cannot infer num"):
        tf.unstack(tf.placeholder(tf.float32, [None, 2]))
    with pytest.raises(TypeError, match="indices must be int32 or int64"):
        tf.gather(x, tf.constant([0.0]))
    with pytest.raises(ValueError, match="must be an integer known when the graph is built"):
        tf.concat([x, x], tf.placeholder(tf.int32, []))


def test_run_time_shape_errors():
    x = tf.placeholder(tf.float32, [None])
    with pytest.raises(tf.errors.InvalidArgumentError, match="cannot reshape"):
        _run(tf.reshape(x, [3, 2]), {x: np.zeros(5)})
    n = tf.placeholder(tf.int32, [1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of bounds"):
        _run(tf.slice(x, n, [-1]), {x: np.zeros(3), n: [4]})


def test_variables_convert_like_tensors():
    v = tf.Variable(np.arange(6.0).reshape(2, 3))
    y = tf.reshape(v, [3, 2])
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(y), np.arange(6.0).reshape(3, 2))
        np.testing.assert_array_equal(sess.run(v[1, ::-1]), [5.0, 4.0, 3.0])


def test_static_shape_helper():
    x = tf.placeholder(tf.float32, [None, 5])
    assert op_util.static_shape(tf.shape(x)).as_list() == [None, 5]
    assert op_util.static_shape(tf.constant([2, 3])).as_list() == [2, 3]
    assert op_util.static_shape(tf.placeholder(tf.int32, [None])).ndims is None

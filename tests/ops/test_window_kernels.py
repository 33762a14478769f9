"""The fast window kernels (ops/window_kernels.py, ops/pool_kernels.py) against
straightforward loop references: the window-matrix GEMM convolution (contiguous-row,
general and one-channel tap-major copies, whole windows or banded without the padding
rows), the flipped-filter input gradient (stride 1) and the col2im one (strides > 1),
pooling tap by tap with first-maximum masks, and the reuse of per-thread buffers across
calls and shapes."""
import itertools

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.ops import pool_kernels as pk
from staticgraph.ops import window_kernels as wk
from tests.ops.test_conv_ops import _taps, naive_conv, naive_conv_backprop, naive_pool

RNG = np.random.RandomState(11)

CONV_CONFIGS = [  # (input shape, filter shape, strides, padding, dilations), odd sizes
    ((2, 7, 5, 3), (3, 3, 3, 4), (1, 1), "SAME", (1, 1)),
    ((2, 7, 5, 3), (3, 3, 3, 4), (1, 1), "VALID", (1, 1)),
    ((2, 9, 7, 2), (5, 5, 2, 3), (1, 1), "SAME", (1, 1)),
    ((1, 7, 7, 2), (3, 2, 2, 3), (2, 2), "SAME", (1, 1)),
    ((1, 7, 7, 2), (3, 2, 2, 3), (2, 2), "VALID", (1, 1)),
    ((1, 8, 7, 1), (2, 3, 1, 2), (1, 2), "SAME", (1, 1)),
    ((1, 8, 7, 1), (2, 3, 1, 2), (2, 1), "VALID", (1, 1)),
    ((1, 9, 9, 2), (3, 3, 2, 2), (1, 1), "SAME", (2, 2)),   # general window copy
    ((1, 9, 9, 2), (3, 2, 2, 2), (1, 1), "VALID", (2, 1)),  # rows contiguous, dilated H
    ((2, 9, 8, 1), (3, 3, 1, 2), (1, 1), "SAME", (2, 1)),   # one channel: tap-major
    ((1, 9, 7, 1), (3, 3, 1, 2), (2, 2), "SAME", (1, 1)),
]


def _geometry(x_shape, k_hw, strides, dilations, padding):
    return wk.geometry(x_shape[1:3], k_hw, strides, dilations, padding)


@pytest.mark.parametrize("x_shape,w_shape,strides,padding,dilations", CONV_CONFIGS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_conv_kernels_match_loops(x_shape, w_shape, strides, padding, dilations, dtype):
    x, w = RNG.randn(*x_shape).astype(dtype), RNG.randn(*w_shape).astype(dtype)
    geo = _geometry(x_shape, w_shape[:2], strides, dilations, padding)
    want = naive_conv(x, w, strides, padding, dilations)
    dy = RNG.randn(*want.shape).astype(dtype)
    want_dx, want_dw = naive_conv_backprop(x, w, dy, strides, padding, dilations)
    tol = 1e-12 if dtype == np.float64 else 1e-4
    for _ in range(2):  # the second call reuses the buffers
        got = [wk.conv2d(x, w, geo), wk.conv2d_input_grad(dy, w, geo),
               wk.conv2d_filter_grad(x, dy, geo)]
        assert [g.dtype for g in got] == [dtype] * 3
        for g, expected in zip(got, [want, want_dx, want_dw]):
            np.testing.assert_allclose(g, expected, atol=tol, rtol=tol)


@pytest.mark.parametrize("x_shape,w_shape,strides,padding,dilations", CONV_CONFIGS)
@pytest.mark.parametrize("block", ["row", "two rows", "two images", "all"])
def test_conv_kernels_in_window_blocks_match_loops(monkeypatch, x_shape, w_shape, strides,
                                                   padding, dilations, block):
    """The window matrix copied and multiplied block by block: one output row, two rows
    (the last block of an image short when OH is odd), two images of three (the last
    block short), or all at once; results equal the loop references."""
    x_shape = (3, *x_shape[1:])
    x, w = RNG.randn(*x_shape), RNG.randn(*w_shape)
    geo = _geometry(x_shape, w_shape[:2], strides, dilations, padding)
    row_bytes = geo.out_hw[1] * w.shape[0] * w.shape[1] * w.shape[2] * x.itemsize
    sizes = {"row": 1, "two rows": 2 * row_bytes + 1,
             "two images": 2 * geo.out_hw[0] * row_bytes, "all": 2 ** 30}
    monkeypatch.setattr(wk, "_BLOCK_BYTES", sizes[block])
    want = naive_conv(x, w, strides, padding, dilations)
    dy = RNG.randn(*want.shape)
    want_dx, want_dw = naive_conv_backprop(x, w, dy, strides, padding, dilations)
    np.testing.assert_allclose(wk.conv2d(x, w, geo), want, atol=1e-12)
    np.testing.assert_allclose(wk.conv2d_filter_grad(x, dy, geo), want_dw, atol=1e-12)
    np.testing.assert_allclose(wk.conv2d_input_grad(dy, w, geo), want_dx, atol=1e-12)


def test_row_bands_group_the_output_rows_by_the_kernel_rows_holding_data():
    geo = wk.geometry((14, 14), (5, 5), (1, 1), (1, 1), "SAME")  # the W7 CNN's layer 2
    bands = wk._row_bands(geo, 2, 14, wk._TRIM_MIN)
    assert [(b.rows.start, b.rows.stop, b.taps.start, b.taps.stop) for b in bands] == [
        (0, 1, 2, 5), (1, 2, 1, 5), (2, 12, 0, 5), (12, 13, 0, 4), (13, 14, 0, 3)]
    strided = wk.geometry((7, 7), (3, 3), (2, 2), (1, 1), "SAME")  # rows 0 and 6 padded
    assert [(b.rows.start, b.rows.stop, b.taps.start, b.taps.stop)
            for b in wk._row_bands(strided, 1, 7, wk._TRIM_MIN)] == [(0, 1, 1, 3), (1, 3, 0, 3),
                                                                    (3, 4, 0, 2)]
    big = wk.geometry((28, 28), (5, 5), (1, 1), (1, 1), "SAME")  # padding 6/140 < 5%
    assert wk._row_bands(big, 2, 28, wk._TRIM_MIN) is None
    valid = wk.geometry((18, 18), (5, 5), (1, 1), (1, 1), "VALID")
    assert wk._row_bands(valid, 0, 18, wk._TRIM_MIN) is None  # no padding
    # data in padded rows 2-3 only: the windows of output rows 4.. hold none of it
    assert wk._row_bands(valid, 2, 2, wk._TRIM_MIN) is None


@pytest.mark.parametrize("x_shape,w_shape,strides,padding,dilations", CONV_CONFIGS)
@pytest.mark.parametrize("block", ["row", "all"])
def test_banded_windows_agree_with_the_full_windows_and_the_loops(
        monkeypatch, x_shape, w_shape, strides, padding, dilations, block):
    """Every configuration computed with bands wherever possible (any padding) and with
    full windows only; both equal the loop references."""
    x_shape = (3, *x_shape[1:])
    x, w = RNG.randn(*x_shape), RNG.randn(*w_shape)
    geo = _geometry(x_shape, w_shape[:2], strides, dilations, padding)
    want = naive_conv(x, w, strides, padding, dilations)
    dy = RNG.randn(*want.shape)
    want_dx, want_dw = naive_conv_backprop(x, w, dy, strides, padding, dilations)
    monkeypatch.setattr(wk, "_BLOCK_BYTES", 1 if block == "row" else 2 ** 30)
    for share in (0.0, 2.0):  # bands whenever a window row is padding; never
        monkeypatch.setattr(wk, "_TRIM_MIN", share)
        np.testing.assert_allclose(wk.conv2d(x, w, geo), want, atol=1e-12)
        np.testing.assert_allclose(wk.conv2d_filter_grad(x, dy, geo), want_dw, atol=1e-12)
        np.testing.assert_allclose(wk.conv2d_input_grad(dy, w, geo), want_dx, atol=1e-12)


def test_banded_fused_convolution_has_the_bits_of_the_separate_ops():
    x, w = RNG.randn(4, 6, 6, 3).astype(np.float32), RNG.randn(3, 3, 3, 5).astype(np.float32)
    b = RNG.randn(5).astype(np.float32)
    geo = wk.geometry((6, 6), (3, 3), (1, 1), (1, 1), "SAME")
    assert wk._row_bands(geo, 1, 6, wk._TRIM_MIN) is not None
    np.testing.assert_array_equal(wk.conv2d(x, w, geo, b, relu=True),
                                  np.maximum(wk.conv2d(x, w, geo) + b, 0))


def test_non_finite_filters_and_gradients_give_tf1s_results():
    """TF 2.21's tf.compat.v1 results for ones with one inf (in the filter's first row, or
    in the output gradient): the forward and the filter gradient multiply the padding
    (0 * inf is NaN there), the input gradient (GEMM + col2im) never does; channel 0."""
    nan, inf = np.nan, np.inf
    geo = wk.geometry((3, 3), (3, 3), (1, 1), (1, 1), "SAME")
    ones = np.ones((1, 3, 3, 2), np.float32)
    w = np.ones((3, 3, 2, 2), np.float32)
    w[0] = np.inf
    dy = ones.copy()
    dy[0, 0, 1, 0] = np.inf
    with np.errstate(invalid="ignore"):
        got = [wk.conv2d(ones, w, geo)[0, :, :, 0], wk.conv2d_filter_grad(ones, dy, geo),
               wk.conv2d_input_grad(ones, w, geo)[0, :, :, 0]]
    np.testing.assert_array_equal(got[0], [[nan, nan, nan], [nan, inf, nan], [nan, inf, nan]])
    np.testing.assert_array_equal(got[1][:, :, 0, 0], [[nan] * 3, [inf] * 3, [inf] * 3])
    np.testing.assert_array_equal(got[1][:, :, 0, 1], [[4, 6, 4], [6, 9, 6], [4, 6, 4]])
    np.testing.assert_array_equal(got[2], [[inf, inf, inf], [inf, inf, inf], [8, 12, 8]])


@pytest.mark.parametrize("rows,width", [(1, 3), (50, 3), (1000, 32), (64, 64), (70, 5000)])
@pytest.mark.parametrize("bias,relu", [(True, True), (True, False), (False, True)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bias_relu_on_wide_rows_has_the_bits_of_the_plain_ops(rows, width, bias, relu,
                                                              dtype):
    """The convolution's in-place bias add and ReLU on rows of about wide_rows.WIDE elements
    (whole groups of rows, then the rest one by one) give the bits of ``part + bias``
    and ``np.maximum(part, 0)``: signed zeros, infinities and NaNs included."""
    part = RNG.randn(rows, width).astype(dtype)
    part.flat[::7], part.flat[1::11], part.flat[2::13] = -0.0, np.nan, -np.inf
    b = RNG.randn(width).astype(dtype)
    b[::3] = -0.0
    want = part + b if bias else part.copy()
    if relu:
        want = np.maximum(want, 0)
    wk._BiasRelu(b if bias else None, relu, part.dtype, width)(part)
    assert part.tobytes() == want.tobytes()


def test_conv_kernels_of_an_empty_batch():
    x, w = np.zeros((0, 5, 5, 2)), RNG.randn(3, 3, 2, 4)
    geo = _geometry(x.shape, (3, 3), (1, 1), (1, 1), "SAME")
    assert wk.conv2d(x, w, geo).shape == (0, 5, 5, 4)
    np.testing.assert_array_equal(wk.conv2d_filter_grad(x, np.zeros((0, 5, 5, 4)), geo),
                                  np.zeros(w.shape))
    assert wk.conv2d_input_grad(np.zeros((0, 5, 5, 4)), w, geo).shape == x.shape


def test_conv_of_a_non_contiguous_input_uses_the_general_copy():
    x = RNG.randn(2, 3, 6, 5).transpose(0, 2, 3, 1)  # [2, 6, 5, 3], not C-contiguous
    w = RNG.randn(3, 3, 3, 2)
    geo = _geometry(x.shape, (3, 3), (1, 1), (1, 1), "VALID")
    np.testing.assert_allclose(wk.conv2d(x, w, geo), naive_conv(x, w, (1, 1), "VALID"),
                               atol=1e-12)


# -- pooling, with ties ----------------------------------------------------------------

POOL_CONFIGS = [  # (input shape, ksize, strides, padding)
    ((2, 6, 6, 3), (2, 2), (2, 2), "VALID"),  # windows tile the input
    ((2, 5, 7, 3), (2, 2), (2, 2), "SAME"),   # tile the padded input
    ((2, 5, 7, 3), (2, 2), (2, 2), "VALID"),  # a row and a column left out
    ((1, 7, 6, 2), (3, 3), (2, 2), "SAME"),   # overlapping
    ((1, 7, 6, 2), (3, 2), (1, 2), "VALID"),
    ((1, 8, 7, 2), (4, 4), (3, 3), "SAME"),
    ((1, 5, 4, 2), (1, 1), (1, 1), "VALID"),  # one tap
    ((2, 5, 4, 2), (1, 2), (1, 2), "SAME"),   # two taps
]


def naive_max_pool_grad(x, g, k_hw, strides, padding):
    """Each window's gradient to its first maximum in row-major order; and the gather."""
    dx = np.zeros(x.shape)
    gathered = np.zeros(g.shape)
    best = {}
    for i, j, r, q, _, _ in _taps(x.shape, k_hw, strides, (1, 1), padding):
        for n, c in itertools.product(range(x.shape[0]), range(x.shape[3])):
            key = (n, i, j, c)
            if key not in best or x[n, r, q, c] > x[(n, *best[key], c)]:
                best[key] = (r, q)
    for (n, i, j, c), (r, q) in best.items():
        dx[n, r, q, c] += g[n, i, j, c]
    return dx, best


def _tied(*shape):
    """Small integers: most windows hold ties."""
    return RNG.randint(0, 3, size=shape).astype(np.float64)


@pytest.mark.parametrize("x_shape,ksize,strides,padding", POOL_CONFIGS)
def test_pool_kernels_match_loops_with_ties(x_shape, ksize, strides, padding):
    x = _tied(*x_shape)
    geo = _geometry(x_shape, ksize, strides, (1, 1), padding)
    y = pk.max_pool(x, geo)
    np.testing.assert_array_equal(y, naive_pool(x, ksize, strides, padding, np.max))
    np.testing.assert_allclose(pk.avg_pool(x, geo),
                               naive_pool(x, ksize, strides, padding, np.mean), atol=1e-12)
    g = RNG.randn(*y.shape)
    want_dx, best = naive_max_pool_grad(x, g, ksize, strides, padding)
    np.testing.assert_allclose(pk.max_pool_grad(x, y, g, geo), want_dx, atol=1e-12)
    gg = RNG.randn(*x_shape)
    want_gathered = np.zeros(y.shape)
    for (n, i, j, c), (r, q) in best.items():
        want_gathered[n, i, j, c] = gg[n, r, q, c]
    np.testing.assert_array_equal(pk.max_pool_grad_grad(x, y, gg, geo), want_gathered)
    # the average's gradient is the adjoint: <avg_pool(x), g> = <x, avg_pool_grad(g)>
    np.testing.assert_allclose(np.sum(pk.avg_pool(gg, geo) * g),
                               np.sum(gg * pk.avg_pool_grad(g, geo)), rtol=1e-12)


@pytest.mark.parametrize("x_shape,ksize,strides,padding", POOL_CONFIGS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_max_pool_grad_then_relu_grad_has_the_bits_of_the_two_ops(x_shape, ksize, strides,
                                                                  padding, dtype):
    """The fused ReLU gradient (features > 0 after the routing): on the pooled gradient
    when the features are the pooled input and the windows tile, else after routing;
    ties (many zeros, as after a ReLU), negative and signed-zero gradients, infinities
    and NaNs give the bits of MaxPoolGrad then ReluGrad."""
    x = np.maximum(_tied(*x_shape) - 1, 0).astype(dtype)
    x.flat[::7] = -0.0
    geo = _geometry(x_shape, ksize, strides, (1, 1), padding)
    y = pk.max_pool(x, geo)
    g = RNG.randn(*y.shape).astype(dtype)
    g.flat[::5] = -0.0
    g.flat[1], g.flat[2], g.flat[-1] = np.inf, np.nan, -np.inf
    with np.errstate(invalid="ignore"):  # inf * 0
        routed = pk.max_pool_grad(x, y, g, geo)
        want = np.multiply(routed, x > 0, dtype=dtype)
        for features in (x, x.copy()):  # the same array (fast path if tiling), an equal one
            got = pk.max_pool_grad(x, y, g, geo, features)
            assert got.dtype == dtype and got.tobytes() == want.tobytes()


@pytest.mark.parametrize("strides", [(2, 2), (1, 1)])  # tiling windows, overlapping ones
def test_max_pool_gradient_of_infinities_leaves_other_taps_zero(strides):
    """TF 2.21's MaxPoolGrad routes an infinite gradient to the first maximum and leaves
    0 elsewhere (inf * 0 would be NaN); a NaN gradient stays at the maximum only."""
    x = np.array([1, 2, 0, 3, 0, 1, 0, 0, 5], np.float32).reshape(1, 3, 3, 1)
    geo = _geometry(x.shape, (2, 2), strides, (1, 1), "VALID")
    y = pk.max_pool(x, geo)
    g = np.full(y.shape, np.inf, np.float32)
    want = {(2, 2): [0, 0, 0, np.inf, 0, 0, 0, 0, 0],  # TF's values for this input
            (1, 1): [0, np.inf, 0, np.inf, 0, 0, 0, 0, np.inf]}[strides]
    np.testing.assert_array_equal(pk.max_pool_grad(x, y, g, geo).ravel(), want)
    g.flat[0] = np.nan
    got = pk.max_pool_grad(x, y, g, geo).ravel()
    assert np.isnan(got[3]) and np.count_nonzero(np.isnan(got)) == 1


def test_integer_max_pool_gradient_routing_and_padding():
    x = np.array([[5, 5], [5, 5]], np.int32).reshape(1, 2, 2, 1)
    geo = _geometry(x.shape, (2, 2), (2, 2), (1, 1), "SAME")
    assert pk.max_pool(x, geo).dtype == np.int32
    grad = pk.max_pool_grad(x, pk.max_pool(x, geo), np.ones((1, 1, 1, 1), np.float32), geo)
    np.testing.assert_array_equal(grad[0, :, :, 0], [[1, 0], [0, 0]])


def test_reused_padding_buffers_never_leak_an_earlier_input():
    """Windows 4, stride 3, SAME: inputs of sizes 8 and 7 both pad to 10 with one row
    before; the border of the reused buffer must be padding again for size 7."""
    first, second = RNG.randn(1, 8, 8, 1) + 100.0, RNG.randn(1, 7, 7, 1) - 100.0
    for x in (first, second, first, second):
        geo = _geometry(x.shape, (4, 4), (3, 3), (1, 1), "SAME")
        np.testing.assert_array_equal(pk.max_pool(x, geo),
                                      naive_pool(x, (4, 4), (3, 3), "SAME", np.max))
        np.testing.assert_allclose(pk.avg_pool(x, geo),
                                   naive_pool(x, (4, 4), (3, 3), "SAME", np.mean))


def test_cnn_loss_after_20_steps_matches_the_unoptimized_session():
    """A small W7-style CNN (two SAME convolutions with bias, ReLU and 2x2 max-pooling,
    two dense layers, Adam) trains the same with every compiler pass on and off."""
    rng = np.random.RandomState(0)
    x0 = rng.rand(4, 12, 12, 1).astype(np.float32)
    labels0 = rng.randint(0, 5, size=4).astype(np.int32)
    shapes = [(5, 5, 1, 4), (4,), (3, 3, 4, 6), (6,), (3 * 3 * 6, 16), (16,), (16, 5), (5,)]
    inits = [(rng.randn(*s) * 0.3).astype(np.float32) for s in shapes]
    losses = []
    for optimize in (True, False):
        graph = tf.Graph()
        with graph.as_default():
            x = tf.placeholder(tf.float32, x0.shape)
            labels = tf.placeholder(tf.int32, labels0.shape)
            v = [tf.Variable(init) for init in inits]
            h = x
            for i in (0, 2):
                h = tf.nn.relu(tf.nn.conv2d(h, v[i], [1, 1, 1, 1], "SAME") + v[i + 1])
                h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
            h = tf.nn.relu(tf.matmul(tf.reshape(h, [4, -1]), v[4]) + v[5])
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
                labels=labels, logits=tf.matmul(h, v[6]) + v[7]))
            train = tf.train.AdamOptimizer(1e-2).minimize(loss)
            init = tf.global_variables_initializer()
        with tf.Session(graph=graph, optimize=optimize) as sess:
            sess.run(init)
            run = [sess.run([loss, train], {x: x0, labels: labels0})[0] for _ in range(20)]
        losses.append(run)
    assert losses[0][-1] < 0.5 * losses[0][0]  # it trains
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-5)

"""tf.nn.conv2d, its two gradient ops, max_pool and avg_pool against naive loop references."""
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import staticgraph as tf
from staticgraph.ops.framework import apply_op
from staticgraph.gradient_check import GradCase, check_case
from tests.ops.test_nn_ops import signature_text

RNG = np.random.RandomState(5)


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


# -- naive references: explicit loops over every output pixel --------------------------


def _same_or_valid(size, k, stride, dilation, padding):
    """(output size, padding before) straight from TF's documentation."""
    extent = (k - 1) * dilation + 1
    if padding == "VALID":
        return (size - extent) // stride + 1, 0
    out = int(np.ceil(size / stride))
    return out, max((out - 1) * stride + extent - size, 0) // 2


def _taps(x_shape, k_hw, strides, dilations, padding):
    """Yields (out_i, out_j, in_r, in_q, tap_a, tap_b) for every in-bounds window tap."""
    (oh, ph), (ow, pw) = [_same_or_valid(x_shape[d + 1], k_hw[d], strides[d], dilations[d],
                                         padding) for d in (0, 1)]
    for i, j, a, b in itertools.product(range(oh), range(ow), range(k_hw[0]), range(k_hw[1])):
        r, q = i * strides[0] + a * dilations[0] - ph, j * strides[1] + b * dilations[1] - pw
        if 0 <= r < x_shape[1] and 0 <= q < x_shape[2]:
            yield i, j, r, q, a, b


def _out_hw(x_shape, k_hw, strides, dilations, padding):
    return tuple(_same_or_valid(x_shape[d + 1], k_hw[d], strides[d], dilations[d], padding)[0]
                 for d in (0, 1))


def naive_conv(x, w, strides, padding, dilations=(1, 1)):
    oh, ow = _out_hw(x.shape, w.shape[:2], strides, dilations, padding)
    out = np.zeros((x.shape[0], oh, ow, w.shape[3]))
    for i, j, r, q, a, b in _taps(x.shape, w.shape[:2], strides, dilations, padding):
        out[:, i, j, :] += x[:, r, q, :] @ w[a, b]
    return out


def naive_conv_backprop(x, w, dy, strides, padding, dilations=(1, 1)):
    """(d input, d filter) of sum(dy * conv(x, w))."""
    dx, dw = np.zeros(x.shape), np.zeros(w.shape)
    for i, j, r, q, a, b in _taps(x.shape, w.shape[:2], strides, dilations, padding):
        dx[:, r, q, :] += dy[:, i, j, :] @ w[a, b].T
        dw[a, b] += x[:, r, q, :].T @ dy[:, i, j, :]
    return dx, dw


def naive_pool(x, k_hw, strides, padding, reduce):
    oh, ow = _out_hw(x.shape, k_hw, strides, (1, 1), padding)
    windows = {}
    for i, j, r, q, _, _ in _taps(x.shape, k_hw, strides, (1, 1), padding):
        windows.setdefault((i, j), []).append(x[:, r, q, :])
    out = np.zeros((x.shape[0], oh, ow, x.shape[3]))
    for (i, j), values in windows.items():
        out[:, i, j, :] = reduce(np.stack(values), axis=0)
    return out


CONFIGS = [  # (input shape, filter shape, strides, padding, dilations)
    ((2, 7, 6, 3), (3, 2, 3, 4), (1, 1), "SAME", (1, 1)),
    ((2, 7, 6, 3), (3, 2, 3, 4), (1, 1), "VALID", (1, 1)),
    ((1, 7, 5, 2), (3, 3, 2, 3), (2, 2), "SAME", (1, 1)),
    ((1, 7, 5, 2), (3, 3, 2, 3), (2, 2), "VALID", (1, 1)),
    ((2, 8, 9, 1), (2, 4, 1, 2), (2, 3), "SAME", (1, 1)),
    ((1, 9, 7, 2), (3, 2, 2, 2), (1, 1), "SAME", (2, 3)),
    ((1, 9, 7, 2), (3, 2, 2, 2), (1, 1), "VALID", (2, 1)),
]


def _four(pair):
    return [1, *pair, 1]


@pytest.mark.parametrize("x_shape,w_shape,strides,padding,dilations", CONFIGS)
def test_conv2d_and_its_gradients_match_naive_loops(x_shape, w_shape, strides, padding,
                                                    dilations):
    x, w = RNG.randn(*x_shape), RNG.randn(*w_shape)
    y = tf.nn.conv2d(x, w, strides=_four(strides), padding=padding,
                     dilations=_four(dilations))
    want = naive_conv(x, w, strides, padding, dilations)
    assert y.op.type == "Conv2D" and y.shape.as_list() == list(want.shape)
    dy = RNG.randn(*want.shape)
    dx = tf.nn.conv2d_backprop_input(list(x_shape), w, dy, _four(strides), padding,
                                     dilations=_four(dilations))
    dw = tf.nn.conv2d_backprop_filter(x, list(w_shape), dy, _four(strides), padding,
                                      dilations=_four(dilations))
    assert dx.op.type == "Conv2DBackpropInput" and dw.op.type == "Conv2DBackpropFilter"
    assert dx.shape == x_shape and dw.shape == w_shape
    got_y, got_dx, got_dw = _run([y, dx, dw])
    want_dx, want_dw = naive_conv_backprop(x, w, dy, strides, padding, dilations)
    np.testing.assert_allclose(got_y, want, atol=1e-12)
    np.testing.assert_allclose(got_dx, want_dx, atol=1e-12)
    np.testing.assert_allclose(got_dw, want_dw, atol=1e-12)


def test_conv2d_gradient_ops_are_what_tf_gradients_builds():
    x = tf.placeholder(tf.float32, [2, 5, 5, 3])
    w = tf.placeholder(tf.float32, [3, 3, 3, 4])
    y = tf.nn.conv2d(x, w, [1, 2, 2, 1], "SAME")
    gx, gw = tf.gradients(tf.reduce_sum(y), [x, w])
    assert gx.op.type == "Conv2DBackpropInput" and gw.op.type == "Conv2DBackpropFilter"
    assert gx.shape == (2, 5, 5, 3) and gw.shape == (3, 3, 3, 4)
    xv, wv = RNG.randn(2, 5, 5, 3).astype(np.float32), RNG.randn(3, 3, 3, 4).astype(np.float32)
    outs = _run([y, gx, gw], {x: xv, w: wv})
    assert all(o.dtype == np.float32 for o in outs)
    want_dx, want_dw = naive_conv_backprop(xv.astype(np.float64), wv.astype(np.float64),
                                           np.ones((2, 3, 3, 4)), (2, 2), "SAME")
    np.testing.assert_allclose(outs[1], want_dx, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(outs[2], want_dw, rtol=1e-4, atol=1e-4)


def test_conv2d_transpose_is_the_input_gradient():
    value, w = RNG.randn(1, 3, 3, 4), RNG.randn(3, 3, 2, 4)
    up = tf.nn.conv2d_transpose(value, w, output_shape=[1, 6, 6, 2], strides=[1, 2, 2, 1])
    assert up.shape == (1, 6, 6, 2)
    want, _ = naive_conv_backprop(np.zeros((1, 6, 6, 2)), w, value, (2, 2), "SAME")
    np.testing.assert_allclose(_run(up), want, atol=1e-12)


TF1_SIGNATURES = {  # TF 1.15's argument names and defaults (dilations: any 4-sequence)
    "conv2d": "input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True, "
              "data_format='NHWC', dilations=(1, 1, 1, 1), name=None, filters=None",
    "conv2d_backprop_input": "input_sizes, filter=None, out_backprop=None, strides=None, "
                             "padding=None, use_cudnn_on_gpu=True, data_format='NHWC', "
                             "dilations=(1, 1, 1, 1), name=None, filters=None",
    "conv2d_backprop_filter": "input, filter_sizes, out_backprop, strides, padding, "
                              "use_cudnn_on_gpu=True, data_format='NHWC', "
                              "dilations=(1, 1, 1, 1), name=None",
    "conv2d_transpose": "value=None, filter=None, output_shape=None, strides=None, "
                        "padding='SAME', data_format='NHWC', name=None, input=None, "
                        "filters=None, dilations=None",
    "max_pool": "value, ksize, strides, padding, data_format='NHWC', name=None, input=None",
    "avg_pool": "value, ksize, strides, padding, data_format='NHWC', name=None, input=None",
}


@pytest.mark.parametrize("name", sorted(TF1_SIGNATURES))
def test_tf1_argument_names_and_defaults(name):
    assert signature_text(getattr(tf.nn, name)) == TF1_SIGNATURES[name]


def test_conv2d_argument_names_and_errors():
    x, w = np.ones((1, 4, 4, 2), np.float32), np.ones((2, 2, 2, 3), np.float32)
    y = tf.nn.conv2d(input=x, filter=w, strides=[1, 1, 1, 1], padding="VALID", name="c")
    assert y.op.name == "c" and y.dtype == tf.float32
    with pytest.raises(ValueError, match="NHWC"):
        tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", data_format="NCHW")
    with pytest.raises(ValueError, match="padding must be 'SAME' or 'VALID'"):
        tf.nn.conv2d(x, w, [1, 1, 1, 1], "FULL")
    with pytest.raises(ValueError, match="strides must be \\[1, h, w, 1\\]"):
        tf.nn.conv2d(x, w, [2, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="Conv2D.*input depth 2 does not match.*3"):
        tf.nn.conv2d(x, np.ones((2, 2, 3, 1), np.float32), [1, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="rank 4"):
        tf.nn.conv2d(np.ones((4, 4, 2), np.float32), w, [1, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="larger than the input"):
        tf.nn.conv2d(x, np.ones((5, 1, 2, 1), np.float32), [1, 1, 1, 1], "VALID")
    with pytest.raises(TypeError, match="floating-point"):
        tf.nn.conv2d(x.astype(np.int32), w.astype(np.int32), [1, 1, 1, 1], "SAME")
    with pytest.raises(TypeError, match="needs strides, padding"):
        tf.nn.conv2d(x, filters=w)


@settings(max_examples=25, deadline=None)
@given(h=st.integers(3, 9), w=st.integers(3, 9), k=st.integers(1, 3), s=st.integers(1, 3),
       padding=st.sampled_from(["SAME", "VALID"]))
def test_static_shapes_match_run_shapes(h, w, k, s, padding):
    tf.reset_default_graph()
    x = RNG.randn(2, h, w, 3)
    tensors = [tf.nn.conv2d(x, RNG.randn(k, k, 3, 2), [1, s, s, 1], padding),
               tf.nn.max_pool(x, [1, k, k, 1], [1, s, s, 1], padding),
               tf.nn.avg_pool(x, [1, k, k, 1], [1, s, s, 1], padding)]
    for t, value in zip(tensors, _run(tensors)):
        assert t.shape.as_list() == list(value.shape), t.op.type


def test_partial_static_shapes():
    x = tf.placeholder(tf.float32, [None, None, 8, 3])
    y = tf.nn.conv2d(x, np.ones((3, 3, 3, 5), np.float32), [1, 2, 2, 1], "SAME")
    assert y.shape.as_list() == [None, None, 4, 5]
    assert tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID").shape.as_list() == \
        [None, None, 4, 3]


# -- pooling ---------------------------------------------------------------------------

POOL_CONFIGS = [  # (input shape, ksize, strides, padding)
    ((2, 5, 5, 3), (2, 2), (2, 2), "SAME"),
    ((2, 5, 5, 3), (2, 2), (2, 2), "VALID"),
    ((1, 7, 6, 2), (3, 3), (2, 1), "SAME"),
    ((1, 7, 6, 2), (3, 2), (1, 2), "VALID"),
]


@pytest.mark.parametrize("x_shape,ksize,strides,padding", POOL_CONFIGS)
def test_pools_match_naive_loops(x_shape, ksize, strides, padding):
    x = RNG.randn(*x_shape)
    mx = tf.nn.max_pool(x, _four(ksize), _four(strides), padding)
    av = tf.nn.avg_pool(x, _four(ksize), _four(strides), padding)
    assert mx.op.type == "MaxPool" and av.op.type == "AvgPool"
    got_max, got_avg = _run([mx, av])
    np.testing.assert_allclose(got_max, naive_pool(x, ksize, strides, padding, np.max))
    # SAME windows at the border average only the real (non-padding) elements, as TF
    np.testing.assert_allclose(got_avg, naive_pool(x, ksize, strides, padding, np.mean))


def test_pool_dtypes_and_integer_max_pool():
    x = RNG.randn(1, 4, 4, 2).astype(np.float32)
    ints = np.arange(32, dtype=np.int32).reshape(1, 4, 4, 2) - 40
    outs = _run([tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME"),
                 tf.nn.avg_pool(x, [1, 3, 3, 1], [1, 1, 1, 1], "SAME"),
                 tf.nn.max_pool(ints, [1, 3, 3, 1], [1, 2, 2, 1], "SAME")])
    assert [o.dtype for o in outs] == [np.float32, np.float32, np.int32]
    np.testing.assert_array_equal(outs[2], naive_pool(ints, (3, 3), (2, 2), "SAME", np.max))
    with pytest.raises(TypeError, match="AvgPool.*floating-point"):
        tf.nn.avg_pool(ints, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    with pytest.raises(ValueError, match="ksize must be \\[1, h, w, 1\\]"):
        tf.nn.max_pool(x, [2, 2, 2, 1], [1, 1, 1, 1], "SAME")


def test_max_pool_gradient_ops_take_tfs_inputs():
    """MaxPoolGrad and MaxPoolGradGrad take (orig_input, orig_output, grad), as TF's ops
    (their GraphDef nodes name MaxPool as the second input); a mismatched orig_output is
    an error naming it and the shapes."""
    x = tf.placeholder(tf.float64, [1, 4, 4, 1], name="x")
    y = tf.nn.max_pool(x, 2, 2, "VALID", name="pool")
    gy = tf.placeholder(tf.float64, [1, 2, 2, 1], name="gy")
    (grad,) = tf.gradients(y, [x], grad_ys=gy)
    (grad_grad,) = tf.gradients(grad, [gy], grad_ys=tf.ones([1, 4, 4, 1], tf.float64))
    assert (grad.op.type, grad_grad.op.type) == ("MaxPoolGrad", "MaxPoolGradGrad")
    for op in (grad.op, grad_grad.op):
        assert list(op.inputs[:2]) == [x, y]
    nodes = {n.name: n for n in tf.get_default_graph().as_graph_def().node}
    assert list(nodes[grad.op.name].input[:2]) == ["x", "pool"]
    with pytest.raises(ValueError, match=r"MaxPoolGrad.*orig_output of shape \(1, 4, 4, 1\)"
                       r".*pooled shape \(1, 2, 2, 1\)"):
        apply_op("MaxPoolGrad", [x, x, gy], grad.op.attrs)
    with pytest.raises(TypeError, match="MaxPoolGradGrad.*orig_output of dtype float32 does "
                       "not match orig_input's dtype float64"):
        apply_op("MaxPoolGradGrad", [x, tf.cast(y, tf.float32), x], grad.op.attrs)


def test_max_pool_gradient_goes_to_the_first_maximum_of_each_window():
    x = tf.placeholder(tf.float64, [1, 4, 4, 1])
    y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    (grad,) = tf.gradients(y, [x], grad_ys=np.array([1.0, 2.0, 3.0, 4.0]).reshape(1, 2, 2, 1))
    assert grad.op.type == "MaxPoolGrad"
    values = np.zeros((1, 4, 4, 1))
    values[0, 3, 2, 0] = values[0, 3, 3, 0] = 7.0  # a tie in the last window
    out = _run(grad, {x: values})[0, :, :, 0]
    want = np.zeros((4, 4))
    want[0, 0], want[0, 2], want[2, 0], want[3, 2] = 1.0, 2.0, 3.0, 4.0
    np.testing.assert_array_equal(out, want)


def test_avg_pool_gradient_spreads_over_real_elements():
    x = tf.placeholder(tf.float64, [1, 3, 3, 1])
    (grad,) = tf.gradients(tf.reduce_sum(tf.nn.avg_pool(x, [1, 2, 2, 1], [1, 2, 2, 1],
                                                        "SAME")), [x])
    assert grad.op.type == "AvgPoolGrad"
    out = _run(grad, {x: np.zeros((1, 3, 3, 1))})[0, :, :, 0]
    np.testing.assert_allclose(out, [[0.25, 0.25, 0.5], [0.25, 0.25, 0.5], [0.5, 0.5, 1.0]])


# -- gradient checks (finite differences, second order) ---------------------------------


def _vjp_of(fn, wrt=0):
    """Build function: the VJP of ``fn`` w.r.t. input ``wrt``, seeded with the last input."""
    def build(*xs):
        *inputs, seed = xs
        return tf.gradients(fn(*inputs), inputs[wrt], grad_ys=seed)[0]
    return build


def _distinct(*shape):
    """Values with no ties (max pooling stays differentiable under small moves)."""
    return RNG.permutation(np.prod(shape)).reshape(shape) * 0.1 + RNG.rand(*shape) * 0.01


def _max_pool(x):
    return tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")


def _avg_pool(x):
    return tf.nn.avg_pool(x, [1, 3, 3, 1], [1, 2, 2, 1], "SAME")


GRADIENT_CASES = [
    GradCase("conv2d_same_stride2", lambda x, w: tf.nn.conv2d(x, w, [1, 2, 2, 1], "SAME"),
             [RNG.randn(1, 5, 5, 2), RNG.randn(3, 3, 2, 2)], order=2),
    GradCase("conv2d_valid_dilated", lambda x, w: tf.nn.conv2d(
        x, w, [1, 1, 1, 1], "VALID", dilations=[1, 2, 1, 1]),
        [RNG.randn(2, 6, 4, 2), RNG.randn(2, 2, 2, 1)]),
    GradCase("conv2d_backprop_input", lambda w, dy: tf.nn.conv2d_backprop_input(
        [1, 5, 4, 2], w, dy, [1, 2, 2, 1], "SAME"), [RNG.randn(3, 3, 2, 2), RNG.randn(1, 3, 2, 2)],
        order=2),
    GradCase("conv2d_same_stride1", lambda x, w: tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"),
             [RNG.randn(2, 5, 4, 2), RNG.randn(3, 3, 2, 3)], order=2),
    GradCase("conv2d_valid_stride1_dilated", lambda x, w: tf.nn.conv2d(
        x, w, [1, 1, 1, 1], "VALID", dilations=[1, 2, 2, 1]),
        [RNG.randn(1, 7, 6, 2), RNG.randn(2, 2, 2, 2)], order=2),
    GradCase("conv2d_valid_stride2_odd", lambda x, w: tf.nn.conv2d(x, w, [1, 2, 2, 1], "VALID"),
             [RNG.randn(1, 7, 7, 2), RNG.randn(3, 3, 2, 2)]),
    GradCase("conv2d_backprop_input_stride1", lambda w, dy: tf.nn.conv2d_backprop_input(
        [1, 5, 4, 2], w, dy, [1, 1, 1, 1], "SAME"), [RNG.randn(3, 2, 2, 2), RNG.randn(1, 5, 4, 2)],
        order=2),
    GradCase("conv2d_backprop_filter", lambda x, dy: tf.nn.conv2d_backprop_filter(
        x, [2, 3, 2, 2], dy, [1, 1, 1, 1], "VALID"), [RNG.randn(1, 4, 4, 2), RNG.randn(1, 3, 2, 2)],
        order=2),
    GradCase("max_pool_same", _max_pool, [_distinct(2, 5, 5, 2)], order=2),
    GradCase("max_pool_valid", lambda x: tf.nn.max_pool(x, [1, 3, 2, 1], [1, 2, 1, 1], "VALID"),
             [_distinct(1, 7, 5, 2)]),
    GradCase("max_pool_tiles_odd_valid", lambda x: tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1],
                                                                "VALID"), [_distinct(1, 5, 7, 2)]),
    GradCase("max_pool_grad", _vjp_of(_max_pool), [_distinct(1, 5, 5, 2), RNG.randn(1, 3, 3, 2)],
             order=2),
    GradCase("max_pool_grad_grad", _vjp_of(_vjp_of(_max_pool), wrt=1),
             [_distinct(1, 5, 5, 2), RNG.randn(1, 3, 3, 2), RNG.randn(1, 5, 5, 2)], order=2),
    GradCase("avg_pool_same", _avg_pool, [RNG.randn(2, 5, 5, 2)], order=2),
    GradCase("avg_pool_valid", lambda x: tf.nn.avg_pool(x, [1, 2, 3, 1], [1, 1, 2, 1], "VALID"),
             [RNG.randn(1, 4, 7, 1)]),
    GradCase("avg_pool_grad", _vjp_of(_avg_pool), [RNG.randn(1, 5, 5, 2), RNG.randn(1, 3, 3, 2)],
             order=2),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result

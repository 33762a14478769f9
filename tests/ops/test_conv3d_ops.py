"""3-D convolution and pooling, the rank-generic tf.nn forms, max_pool_with_argmax,
dilation2d/erosion2d, patch extraction, fused_batch_norm and the replica-scaled losses:
values and gradients against TensorFlow 1's (tests/ops/data/conv3d_tf1.npz, written by
tools/make_conv3d_fixtures.py), against loops, and against finite differences."""
import itertools
import os

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case
from tests.ops.conv3d_tf1_cases import CASES, build
from tests.ops.test_nn_ops import signature_text

RNG = np.random.RandomState(23)
with np.load(os.path.join(os.path.dirname(__file__), "data", "conv3d_tf1.npz"),
             allow_pickle=False) as _recorded:
    TF1_VALUES = dict(_recorded)


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_match_tf1(name):
    tf1_values = TF1_VALUES
    graph = tf.Graph()
    with graph.as_default():
        fetches, feed = build(tf, name)
    kept = [i for i, f in enumerate(fetches) if f is not None]
    assert all(fetches[i].shape.is_fully_defined() for i in kept)  # inferred at build time
    with tf.Session(graph=graph) as sess:
        got = dict(zip(kept, sess.run([fetches[i] for i in kept], feed)))
    keys = [k for k in tf1_values if k.startswith(name + "/")]
    indices = {int(k.rsplit("/", 1)[1]) for k in keys}
    # TF gives None for fused_batch_norm's mean and variance inputs in inference mode,
    # where staticgraph differentiates y w.r.t. them
    assert indices == set(kept) or (name == "fused_batch_norm_inference"
                                    and indices < set(kept))
    for key in keys:
        i = int(key.rsplit("/", 1)[1])
        want, value = tf1_values[key], got[i]
        assert value.shape == want.shape and value.dtype == want.dtype, key
        assert list(fetches[i].shape) == list(want.shape), key
        tol = 1e-10 if want.dtype == np.float64 else 2e-5
        np.testing.assert_allclose(value, want, rtol=tol, atol=tol, err_msg=key)


def naive_conv3d(x, w, strides, padding, rates=(1, 1, 1)):
    """Output element by output element (TF's SAME split: the extra padding after)."""
    k = w.shape[:3]
    out_shape, pads = [], []
    for size, kk, s, r in zip(x.shape[1:4], k, strides, rates):
        extent = (kk - 1) * r + 1
        out = -(-size // s) if padding == "SAME" else (size - extent) // s + 1
        out_shape.append(out)
        pads.append(max((out - 1) * s + extent - size, 0) // 2 if padding == "SAME" else 0)
    y = np.zeros((x.shape[0], *out_shape, w.shape[4]))
    for o in itertools.product(*[range(n) for n in out_shape]):
        for t in itertools.product(*[range(n) for n in k]):
            pos = [oi * s - p + ti * r for oi, s, p, ti, r in zip(o, strides, pads, t, rates)]
            if all(0 <= q < n for q, n in zip(pos, x.shape[1:4])):
                y[(slice(None), *o)] += x[(slice(None), *pos)] @ w[t]
    return y


@pytest.mark.parametrize("x_shape,w_shape,strides,padding,rates", [
    ((2, 5, 4, 6, 2), (3, 2, 3, 2, 3), (1, 2, 2), "SAME", (1, 1, 1)),
    ((1, 6, 7, 5, 3), (2, 3, 2, 3, 2), (2, 1, 3), "VALID", (1, 1, 1)),
    ((1, 7, 6, 6, 2), (2, 2, 3, 2, 2), (1, 1, 1), "SAME", (2, 3, 1)),
])
def test_conv3d_matches_loops(x_shape, w_shape, strides, padding, rates):
    x, w = RNG.randn(*x_shape), RNG.randn(*w_shape)
    y = tf.nn.conv3d(x, w, [1, *strides, 1], padding, dilations=[1, *rates, 1])
    want = naive_conv3d(x, w, strides, padding, rates)
    assert y.shape.as_list() == list(want.shape)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(y), want, atol=1e-12)


def test_v2_backprop_ops_equal_v1_with_shapes():
    """TF has no CPU kernel for Conv2DBackprop*V2; they are v1's ops given the shape of
    the filter (input) tensor."""
    x, w, dy = RNG.randn(1, 6, 5, 2), RNG.randn(3, 2, 2, 3), RNG.randn(1, 3, 3, 3)
    pairs = [(tf.conv2d_backprop_filter_v2(x, w, dy, [1, 2, 2, 1], "SAME"),
              tf.nn.conv2d_backprop_filter(x, [3, 2, 2, 3], dy, [1, 2, 2, 1], "SAME")),
             (tf.conv2d_backprop_input_v2(x, w, dy, [1, 2, 2, 1], "SAME"),
              tf.nn.conv2d_backprop_input([1, 6, 5, 2], w, dy, [1, 2, 2, 1], "SAME"))]
    with tf.Session() as sess:
        for got, want in sess.run(pairs):
            np.testing.assert_array_equal(got, want)
    with pytest.raises(NotImplementedError, match="explicit_paddings"):
        tf.conv2d_backprop_input_v2(x, w, dy, [1, 1, 1, 1], "SAME",
                                    explicit_paddings=[0, 0, 1, 1, 1, 1, 0, 0])


def test_argmax_int32_and_gradient_route():
    x = np.array([[[[1.0], [3.0]], [[3.0], [2.0]]]])
    out, arg = tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 1, 1, 1], "VALID",
                                          output_dtype=tf.int32)
    assert arg.dtype == tf.int32 and out.shape.as_list() == [1, 1, 1, 1]
    grad = tf.gradients(out, [tf.convert_to_tensor(x)])
    assert grad == [None]  # the constant input is not the tensor pooled
    xt = tf.constant(x)
    out, arg = tf.nn.max_pool_with_argmax(xt, 2, 1, "VALID")
    g = tf.gradients(out, xt)[0]
    with tf.Session() as sess:
        a, gv = sess.run([arg, g])
    assert a.ravel().tolist() == [1]  # the first maximum in row-major order
    np.testing.assert_array_equal(gv.ravel(), [0, 1, 0, 0])


def _vjp_of(fn, wrt, second=False):
    """A build of ``(*inputs, g[, h])``: the gradient of ``fn(*inputs)`` w.r.t. the inputs
    numbered ``wrt``, seeded with ``g``, so the gradient ops are in the forward graph;
    with ``second``, the gradient of that w.r.t. ``g``, seeded with ``h`` (their adjoints).
    The other inputs only choose maxima."""
    def build_vjp(*args):
        *inputs, g = args[:-1] if second else args
        grads = tf.gradients(fn(*inputs), [inputs[i] for i in wrt], grad_ys=g)
        if not second:
            return grads
        hs = tf.split(args[-1], [int(np.prod(t.shape.as_list())) for t in grads])
        seeds = [tf.reshape(h, t.shape) for h, t in zip(hs, grads)]
        return tf.gradients(grads, g, grad_ys=seeds)[0]
    return build_vjp


_DISTINCT = RNG.permutation(60).reshape(1, 3, 4, 5, 1) * 0.1


GRADIENT_CASES = [
    GradCase("conv3d_same_stride2", lambda x, w: tf.nn.conv3d(x, w, [1, 2, 1, 2, 1], "SAME"),
             [RNG.randn(1, 4, 3, 4, 2), RNG.randn(2, 2, 3, 2, 2)], order=2),
    GradCase("conv3d_transpose_valid", lambda x, w: tf.nn.conv3d_transpose(
        x, w, [1, 5, 4, 3, 2], [1, 2, 1, 1, 1], "VALID"),
        [RNG.randn(1, 2, 3, 2, 2), RNG.randn(3, 2, 2, 2, 2)], order=2),
    GradCase("conv3d_backprop_filter", lambda x, dy: tf.nn.conv3d_backprop_filter(
        x, [2, 2, 2, 2, 2], dy, [1, 1, 1, 1, 1], "VALID"),
        [RNG.randn(1, 3, 3, 3, 2), RNG.randn(1, 2, 2, 2, 2)], order=2),
    GradCase("max_pool3d", lambda x: tf.nn.max_pool3d(x, 2, [1, 2, 1, 2, 1], "SAME"),
             [RNG.permutation(60).reshape(1, 3, 4, 5, 1) * 0.1], order=2),
    GradCase("avg_pool3d", lambda x: tf.nn.avg_pool3d(x, [1, 2, 3, 2, 1], 2, "SAME"),
             [RNG.randn(1, 3, 5, 4, 2)], order=2),
    GradCase("atrous_transpose", lambda x, w: tf.nn.atrous_conv2d_transpose(
        x, w, [1, 5, 5, 2], 2, "SAME"), [RNG.randn(1, 5, 5, 2), RNG.randn(2, 2, 2, 2)]),
    GradCase("max_pool_with_argmax", lambda x: tf.nn.max_pool_with_argmax(
        x, [1, 2, 2, 1], [1, 2, 1, 1], "SAME")[0],
        [RNG.permutation(40).reshape(2, 5, 4, 1) * 0.1]),
    GradCase("dilation2d_same", lambda x, w: tf.nn.dilation2d(
        x, w, [1, 2, 1, 1], [1, 1, 2, 1], "SAME"),
        [RNG.randn(1, 5, 6, 2), RNG.randn(2, 3, 2)], order=2),
    GradCase("erosion2d_valid", lambda x, w: tf.nn.erosion2d(
        x, w, [1, 1, 2, 1], [1, 2, 1, 1], "VALID"), [RNG.randn(1, 6, 6, 2), RNG.randn(2, 2, 2)]),
    GradCase("extract_image_patches", lambda x: tf.extract_image_patches(
        x, [1, 2, 3, 1], [1, 2, 1, 1], [1, 1, 2, 1], "SAME"), [RNG.randn(1, 5, 5, 2)],
        order=2),
    GradCase("extract_volume_patches", lambda x: tf.extract_volume_patches(
        x, [1, 2, 2, 2, 1], [1, 1, 2, 1, 1], "VALID"), [RNG.randn(1, 3, 4, 3, 2)], order=2),
    GradCase("depthwise_backprop_filter", lambda x, dy: tf.nn.depthwise_conv2d_backprop_filter(
        x, [2, 2, 2, 1], dy, [1, 1, 1, 1], "VALID"),
        [RNG.randn(1, 4, 4, 2), RNG.randn(1, 3, 3, 2)]),
    GradCase("conv2d_backprop_v2", lambda x, w, dy: [
        tf.conv2d_backprop_filter_v2(x, w, dy, [1, 2, 2, 1], "SAME"),
        tf.conv2d_backprop_input_v2(x, w, dy, [1, 2, 2, 1], "SAME")],
        [RNG.randn(1, 4, 3, 2), RNG.randn(2, 2, 2, 2), RNG.randn(1, 2, 2, 2)]),
    GradCase("fused_batch_norm_training", lambda x, s, o: tf.nn.fused_batch_norm(
        x, s, o, epsilon=0.01)[0], [RNG.randn(2, 3, 2, 2), RNG.randn(2), RNG.randn(2)],
        order=2),
    GradCase("fused_batch_norm_nchw_inference", lambda x, s, o, m, v: tf.nn.fused_batch_norm(
        x, s, o, m, v, data_format="NCHW", is_training=False)[0],
        [RNG.randn(2, 2, 3, 2), RNG.randn(2), RNG.randn(2), RNG.randn(2),
         RNG.uniform(0.5, 2, 2)]),
    GradCase("max_pool3d_grad_and_grad_grad", _vjp_of(
        lambda x: tf.nn.max_pool3d(x, 2, [1, 2, 1, 2, 1], "SAME"), [0], second=True),
        [_DISTINCT, RNG.randn(1, 2, 4, 3, 1), RNG.randn(60)]),
    GradCase("avg_pool3d_grad", _vjp_of(lambda x: tf.nn.avg_pool3d(
        x, [1, 2, 3, 2, 1], 2, "SAME"), [0]), [RNG.randn(1, 3, 5, 4, 2),
                                               RNG.randn(1, 2, 3, 2, 2)]),
    GradCase("dilation2d_backprop_and_gathers", _vjp_of(lambda x, w: tf.nn.dilation2d(
        x, w, [1, 1, 2, 1], [1, 2, 1, 1], "SAME"), [0, 1], second=True),
        [RNG.randn(1, 5, 6, 2), RNG.randn(2, 3, 2), RNG.randn(1, 5, 3, 2),
         RNG.randn(5 * 6 * 2 + 2 * 3 * 2)]),
    GradCase("extract_patches_grad", _vjp_of(lambda x: tf.extract_image_patches(
        x, [1, 2, 3, 1], [1, 2, 1, 1], [1, 1, 2, 1], "SAME"), [0]),
        [RNG.randn(1, 5, 5, 2), RNG.randn(1, 3, 5, 12)]),
    GradCase("ctc_loss_v2", lambda x: tf.nn.ctc_loss_v2(
        [[1, 2, 2], [3, 0, 0]], x, [3, 1], [5, 3], blank_index=4),
        [RNG.randn(5, 2, 5)]),
    GradCase("compute_average_loss", lambda loss: tf.nn.compute_average_loss(
        loss, global_batch_size=6), [RNG.randn(4)]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    """Reverse and forward mode against finite differences (float64)."""
    result = check_case(case)
    assert result.max_error < 1e-6, result


def test_gradient_op_types():
    x = tf.placeholder(tf.float32, [2, 5, 6, 4, 3])
    w = tf.placeholder(tf.float32, [3, 3, 3, 3, 2])
    y = tf.nn.conv3d(x, w, [1, 2, 2, 1, 1], "SAME")
    gx, gw = tf.gradients(tf.reduce_sum(y), [x, w])
    assert (gx.op.type, gw.op.type) == ("Conv3DBackpropInputV2", "Conv3DBackpropFilterV2")
    assert gx.shape == (2, 5, 6, 4, 3) and gw.shape == (3, 3, 3, 3, 2)
    assert tf.gradients(tf.nn.max_pool3d(x, 2, 2, "SAME"), x)[0].op.type == "MaxPool3DGrad"


def test_build_time_shapes_and_errors():
    x = tf.placeholder(tf.float32, [None, 9, None, 5, 4])
    w = np.ones((3, 3, 3, 4, 2), np.float32)
    assert tf.nn.conv3d(x, w, [1, 2, 2, 2, 1], "SAME").shape.as_list() == [None, 5, None, 3, 2]
    assert tf.nn.max_pool3d(x, 2, 2, "VALID").shape.as_list() == [None, 4, None, 2, 4]
    with pytest.raises(ValueError, match="Conv3D.*input depth 4 does not match.*filter"):
        tf.nn.conv3d(x, np.ones((3, 3, 3, 3, 2), np.float32), [1, 1, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="Conv3D: strides must be \\[1, d, h, w, 1\\]"):
        tf.nn.conv3d(x, w, [2, 1, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="NDHWC"):
        tf.nn.max_pool3d(x, 2, 2, "SAME", data_format="NCDHW")
    with pytest.raises(ValueError, match="input must be rank 5"):
        tf.nn.conv3d(tf.placeholder(tf.float32, [1, 4, 4, 4]), w, 1, "SAME")
    with pytest.raises(ValueError, match="strides \\[2, 2\\] > 1 are not supported with "
                                         "dilation_rate"):
        tf.nn.convolution(tf.placeholder(tf.float32, [1, 8, 8, 1]), np.ones((2, 2, 1, 1)),
                          "SAME", strides=[2, 2], dilation_rate=[2, 2])
    with pytest.raises(ValueError, match="rate 0 cannot be less than one"):
        tf.nn.atrous_conv2d(np.ones((1, 4, 4, 1)), np.ones((2, 2, 1, 1)), 0, "SAME")
    with pytest.raises(ValueError, match="input depth 3 does not match the filter depth 2"):
        tf.nn.dilation2d(np.ones((1, 4, 4, 3)), np.ones((2, 2, 2)), [1, 1, 1, 1],
                         [1, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="mean and variance must be given"):
        tf.nn.fused_batch_norm(np.ones((1, 2, 2, 3)), np.ones(3), np.zeros(3),
                               is_training=False)
    with pytest.raises(ValueError, match="per_example_loss must have rank at least 1"):
        tf.nn.compute_average_loss(3.0)
    patches = tf.extract_image_patches(tf.placeholder(tf.float32, [None, 7, 6, 3]),
                                       [1, 3, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
    assert patches.shape.as_list() == [None, 3, 3, 18]


def test_ctc_loss_errors_and_second_order():
    logits = tf.constant(RNG.randn(4, 1, 3))
    with pytest.raises(ValueError, match="labels must be \\[batch, max_label_length\\]"):
        tf.nn.ctc_loss_v2([1, 2], logits, [2], [4])
    loss = tf.nn.ctc_loss_v2([[0, 2]], logits, [2], [4])  # 0 is the blank
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="differ from the blank 0"):
        sess.run(loss)
    good = tf.nn.ctc_loss_v2([[1, 2]], logits, [2], [4])
    grad = tf.gradients(good, logits)[0]
    with pytest.raises(NotImplementedError, match="second derivative of ctc_loss"):
        tf.gradients(tf.reduce_sum(grad * grad), logits)


def test_collapse_repeated_matches_tf():
    """TF 2.21 gives ([[1, 2, 0, 3], [4, 1, 0, 0], [5, 0, 0, 0]], [4, 2, 1]) here."""
    labels = [[1, 1, 2, 2, 0, 3], [4, 4, 4, 1, 1, 0], [5, 5, 5, 5, 5, 5]]
    collapsed, lengths = tf.nn.collapse_repeated(labels, [6, 4, 3])
    assert collapsed.shape.as_list() == [3, None] and lengths.shape.as_list() == [3]
    assert collapsed.name.startswith("collapse_repeated_labels/")
    with tf.Session() as sess:
        got, new = sess.run([collapsed, lengths])
    np.testing.assert_array_equal(got, [[1, 2, 0, 3], [4, 1, 0, 0], [5, 0, 0, 0]])
    np.testing.assert_array_equal(new, [4, 2, 1])
    with pytest.raises(ValueError, match="labels must be \\[batch, max_length\\]"):
        tf.nn.collapse_repeated([1, 2], [2])


def test_scale_regularization_loss_and_average_loss_edge_cases():
    with tf.Session() as sess:
        got = sess.run([tf.nn.scale_regularization_loss([tf.constant(1.5), 2.0]),
                        tf.nn.compute_average_loss(tf.zeros([0])),
                        tf.nn.compute_average_loss([1.0, 2.0], global_batch_size=0)])
    assert got == [3.5, 0.0, 0.0]


TF1_SIGNATURES = {  # tensorflow.compat.v1's argument names and defaults
    "conv3d": "input, filter=None, strides=None, padding=None, data_format='NDHWC', "
              "dilations=(1, 1, 1, 1, 1), name=None, filters=None",
    "conv3d_transpose": "value=None, filter=None, output_shape=None, strides=None, "
                        "padding='SAME', data_format='NDHWC', name=None, input=None, "
                        "filters=None, dilations=None",
    "conv3d_backprop_filter_v2": "input, filter_sizes, out_backprop, strides, padding, "
                                 "data_format='NDHWC', dilations=(1, 1, 1, 1, 1), name=None",
    "max_pool3d": "input, ksize, strides, padding, data_format='NDHWC', name=None",
    "avg_pool3d": "input, ksize, strides, padding, data_format='NDHWC', name=None",
    "convolution": "input, filter=None, padding=None, strides=None, dilation_rate=None, "
                   "name=None, data_format=None, filters=None, dilations=None",
    "conv_transpose": "input, filters, output_shape, strides, padding='SAME', "
                      "data_format=None, dilations=None, name=None",
    "atrous_conv2d": "value, filters, rate, padding, name=None",
    "atrous_conv2d_transpose": "value, filters, output_shape, rate, padding, name=None",
    "max_pool_v2": "input, ksize, strides, padding, data_format=None, name=None",
    "avg_pool_v2": "input, ksize, strides, padding, data_format=None, name=None",
    "max_pool_with_argmax": "input, ksize, strides, padding, data_format='NHWC', "
                            "Targmax=None, name=None, output_dtype=None, "
                            "include_batch_in_index=False",
    "depthwise_conv2d_native_backprop_input": "input_sizes, filter, out_backprop, strides, "
                                              "padding, data_format='NHWC', "
                                              "dilations=(1, 1, 1, 1), name=None",
    "depthwise_conv2d_backprop_filter": "input, filter_sizes, out_backprop, strides, "
                                        "padding, data_format='NHWC', "
                                        "dilations=(1, 1, 1, 1), name=None",
    "dilation2d": "input, filter=None, strides=None, rates=None, padding=None, name=None, "
                  "filters=None, dilations=None",
    "erosion2d": "value, kernel, strides, rates, padding, name=None",
    "fused_batch_norm": "x, scale, offset, mean=None, variance=None, epsilon=0.001, "
                        "data_format='NHWC', is_training=True, name=None, "
                        "exponential_avg_factor=1.0",
    "compute_average_loss": "per_example_loss, sample_weight=None, global_batch_size=None",
    "scale_regularization_loss": "regularization_loss",
    "collapse_repeated": "labels, seq_length, name=None",
    "ctc_loss_v2": "labels, logits, label_length, logit_length, logits_time_major=True, "
                   "unique=None, blank_index=None, name=None",
}


@pytest.mark.parametrize("name", sorted(TF1_SIGNATURES))
def test_tf1_argument_names_and_defaults(name):
    assert signature_text(getattr(tf.nn, name)) == TF1_SIGNATURES[name]

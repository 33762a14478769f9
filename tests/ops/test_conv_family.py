"""tf.nn's convolution family beyond conv2d: conv1d, conv1d_transpose, conv2d_transpose,
depthwise_conv2d(_native), separable_conv2d, max/avg_pool1d/2d and pool — values and
gradients against TensorFlow 1's (tests/ops/data/conv_tf1.npz, written by
tools/make_conv_fixtures.py), against loops, and against finite differences."""
import os

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case
from tests.ops.conv_tf1_cases import CASES, build
from tests.ops.test_conv_ops import naive_conv
from tests.ops.test_nn_ops import signature_text

FIXTURES = os.path.join(os.path.dirname(__file__), "data", "conv_tf1.npz")
RNG = np.random.RandomState(21)


@pytest.fixture(scope="module")
def tf1_values():
    with np.load(FIXTURES, allow_pickle=False) as data:
        return dict(data)


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_match_tf1(name, tf1_values):
    graph = tf.Graph()
    with graph.as_default():
        fetches, feed = build(tf, name)
        assert fetches[0].shape.is_fully_defined()  # inferred at build time
    with tf.Session(graph=graph) as sess:
        got = sess.run(fetches, feed)
    assert len(got) == len([k for k in tf1_values if k.startswith(name + "/")])
    for i, value in enumerate(got):
        want = tf1_values[f"{name}/{i}"]
        assert value.shape == want.shape, (name, i)
        if i == 0:
            assert list(fetches[0].shape) == list(want.shape)
        np.testing.assert_allclose(value, want, rtol=1e-10, atol=1e-10, err_msg=f"{name}/{i}")


def naive_depthwise(x, w, strides, padding, rates=(1, 1)):
    """Channel by channel with the loop reference of conv2d."""
    c, m = w.shape[2:]
    outs = [naive_conv(x[..., k:k + 1], w[:, :, k:k + 1, :], strides, padding, rates)
            for k in range(c)]
    return np.concatenate(outs, axis=-1).reshape(*outs[0].shape[:3], c * m)


@pytest.mark.parametrize("x_shape,w_shape,strides,padding,rates", [
    ((2, 7, 6, 3), (3, 3, 3, 2), (1, 1), "SAME", (1, 1)),
    ((1, 7, 7, 2), (3, 2, 2, 1), (2, 2), "VALID", (1, 1)),
    ((1, 9, 8, 2), (3, 3, 2, 2), (1, 1), "SAME", (2, 2)),
])
def test_depthwise_matches_loops(x_shape, w_shape, strides, padding, rates):
    x, w = RNG.randn(*x_shape), RNG.randn(*w_shape)
    y = tf.nn.depthwise_conv2d(x, w, [1, *strides, 1], padding, rate=list(rates))
    want = naive_depthwise(x, w, strides, padding, rates)
    assert y.shape.as_list() == list(want.shape)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(y), want, atol=1e-12)


def _depthwise(x, w):
    return tf.nn.depthwise_conv2d(x, w, [1, 2, 2, 1], "SAME")


GRADIENT_CASES = [
    GradCase("conv1d", lambda x, w: tf.nn.conv1d(x, w, 2, "SAME"),
             [RNG.randn(2, 7, 2), RNG.randn(3, 2, 3)]),
    GradCase("conv1d_transpose", lambda x, w: tf.nn.conv1d_transpose(x, w, [1, 7, 2], 2),
             [RNG.randn(1, 4, 3), RNG.randn(3, 2, 3)]),
    GradCase("depthwise_same_stride2", _depthwise, [RNG.randn(1, 5, 5, 2), RNG.randn(3, 3, 2, 2)],
             order=2),
    GradCase("depthwise_valid_dilated", lambda x, w: tf.nn.depthwise_conv2d(
        x, w, [1, 1, 1, 1], "VALID", dilations=[2, 1]),
        [RNG.randn(1, 6, 5, 2), RNG.randn(2, 2, 2, 3)], order=2),
    GradCase("depthwise_backprop_input", lambda w, dy: _depthwise_input_grad(w, dy),
             [RNG.randn(3, 3, 2, 2), RNG.randn(1, 3, 3, 4)], order=2),
    GradCase("separable", lambda x, d, p: tf.nn.separable_conv2d(x, d, p, [1, 1, 1, 1],
                                                                 "VALID"),
             [RNG.randn(1, 5, 4, 2), RNG.randn(2, 2, 2, 2), RNG.randn(1, 1, 4, 3)]),
    GradCase("max_pool1d", lambda x: tf.nn.max_pool1d(x, 2, 2, "SAME"),
             [RNG.permutation(14).reshape(1, 7, 2) * 0.1]),
    GradCase("avg_pool1d", lambda x: tf.nn.avg_pool1d(x, 3, 2, "SAME"), [RNG.randn(2, 7, 2)]),
    GradCase("pool_avg_2d", lambda x: tf.nn.pool(x, [2, 2], "AVG", "SAME", strides=[2, 1]),
             [RNG.randn(1, 5, 4, 2)]),
]


def _depthwise_input_grad(w, dy):
    """The input gradient alone (linear in w and dy; the input's value does not matter)."""
    x = tf.zeros([1, 5, 5, 2], tf.float64)
    return tf.gradients(_depthwise(x, w), [x], grad_ys=dy)[0]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    """Reverse and forward mode against finite differences (float64)."""
    result = check_case(case)
    assert result.max_error < 1e-6, result


def test_gradient_op_types():
    x = tf.placeholder(tf.float32, [2, 6, 6, 3])
    w = tf.placeholder(tf.float32, [3, 3, 3, 2])
    gx, gw = tf.gradients(tf.reduce_sum(tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "SAME")),
                          [x, w])
    assert gx.op.type == "DepthwiseConv2dNativeBackpropInput"
    assert gw.op.type == "DepthwiseConv2dNativeBackpropFilter"
    assert gx.shape == (2, 6, 6, 3) and gw.shape == (3, 3, 3, 2)


def test_build_time_shapes_and_errors():
    x = tf.placeholder(tf.float32, [None, 9, 4])
    assert tf.nn.conv1d(x, np.ones((3, 4, 5), np.float32), 2, "SAME").shape.as_list() == \
        [None, 5, 5]
    assert tf.nn.max_pool1d(x, 2, 2, "VALID").shape.as_list() == [None, 4, 4]
    images = tf.placeholder(tf.float32, [None, 8, None, 3])
    assert tf.nn.depthwise_conv2d(images, np.ones((3, 3, 3, 2), np.float32), [1, 2, 2, 1],
                                  "SAME").shape.as_list() == [None, 4, None, 6]
    with pytest.raises(ValueError, match="DepthwiseConv2dNative.*input depth 3 does not match"):
        tf.nn.depthwise_conv2d(images, np.ones((3, 3, 2, 2), np.float32), [1, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="rate \\[2, 2\\] > 1 the strides must be 1"):
        tf.nn.depthwise_conv2d(images, np.ones((3, 3, 3, 1), np.float32), [1, 2, 2, 1], "SAME",
                               rate=[2, 2])
    with pytest.raises(ValueError, match="pointwise_filter's input depth 5 is not"):
        tf.nn.separable_conv2d(images, np.ones((3, 3, 3, 2), np.float32),
                               np.ones((1, 1, 5, 4), np.float32), [1, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="conv1d: stride must be a positive int"):
        tf.nn.conv1d(x, np.ones((3, 4, 5), np.float32), [2, 2], "SAME")
    with pytest.raises(ValueError, match="NWC"):
        tf.nn.conv1d(x, np.ones((3, 4, 5), np.float32), 1, "SAME", data_format="NCW")
    with pytest.raises(ValueError, match="pooling_type must be 'MAX' or 'AVG'"):
        tf.nn.pool(images, [2, 2], "MIN", "SAME")
    with pytest.raises(NotImplementedError, match="dilated pooling"):
        tf.nn.pool(images, [2, 2], "MAX", "SAME", dilation_rate=[2, 2])


TF1_SIGNATURES = {  # tensorflow.compat.v1's argument names and defaults
    "conv1d": "value=None, filters=None, stride=None, padding=None, use_cudnn_on_gpu=None, "
              "data_format=None, name=None, input=None, dilations=None",
    "conv1d_transpose": "input, filters, output_shape, strides, padding='SAME', "
                        "data_format='NWC', dilations=None, name=None",
    "depthwise_conv2d": "input, filter, strides, padding, rate=None, name=None, "
                        "data_format=None, dilations=None",
    "depthwise_conv2d_native": "input, filter, strides, padding, data_format='NHWC', "
                               "dilations=(1, 1, 1, 1), name=None",
    "separable_conv2d": "input, depthwise_filter, pointwise_filter, strides, padding, "
                        "rate=None, name=None, data_format=None, dilations=None",
    "max_pool1d": "input, ksize, strides, padding, data_format='NWC', name=None",
    "avg_pool1d": "input, ksize, strides, padding, data_format='NWC', name=None",
    "max_pool2d": "input, ksize, strides, padding, data_format='NHWC', name=None",
    "avg_pool2d": "value, ksize, strides, padding, data_format='NHWC', name=None, input=None",
    "pool": "input, window_shape, pooling_type, padding, dilation_rate=None, strides=None, "
            "name=None, data_format=None, dilations=None",
}


@pytest.mark.parametrize("name", sorted(TF1_SIGNATURES))
def test_tf1_argument_names_and_defaults(name):
    assert signature_text(getattr(tf.nn, name)) == TF1_SIGNATURES[name]


def test_depthwise_node_written_by_tensorflow_imports():
    """staticgraph writes a DepthwiseConv2dNative NodeDef in TensorFlow's form (4-element
    strides and dilations, data_format, T); without staticgraph's own attributes it
    imports with the window attrs staticgraph uses, and computes what staticgraph's own op
    computes."""
    x_val, w_val = RNG.randn(1, 6, 5, 2), RNG.randn(3, 3, 2, 2)
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float64, x_val.shape, name="x")
        y = tf.nn.depthwise_conv2d_native(x, w_val, [1, 2, 2, 1], "SAME", name="dw")
        graph_def = graph.as_graph_def()
        with tf.Session() as sess:
            want = sess.run(y, {x: x_val})
    node = next(n for n in graph_def.node if n.op == "DepthwiseConv2dNative")
    for key in [k for k in node.attr if k.startswith("_sg")]:
        del node.attr[key]
    assert list(node.attr["strides"].list.i) == [1, 2, 2, 1]
    assert list(node.attr["dilations"].list.i) == [1, 1, 1, 1]
    assert node.attr["padding"].s == b"SAME" and node.attr["data_format"].s == b"NHWC"
    assert node.attr["T"].type == 2  # DT_DOUBLE
    with tf.Graph().as_default() as g2:
        tf.import_graph_def(graph_def, name="")
        op = g2.get_operation_by_name("dw")
        assert op.get_attr("strides") == (2, 2) and op.get_attr("dilations") == (1, 1)
        with tf.Session() as sess:
            got = sess.run(op.outputs[0], {g2.get_tensor_by_name("x:0"): x_val})
    np.testing.assert_array_equal(got, want)

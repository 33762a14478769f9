"""3-D, rank-generic and morphology window cases compared with TensorFlow 1's values.

Each case builds its outputs from a TF1-style module ``tf`` (staticgraph or
``tensorflow.compat.v1``) and inputs drawn from a seeded RandomState, so that
``tools/make_conv3d_fixtures.py`` (run with TensorFlow) and
``tests/ops/test_conv3d_ops.py`` (run with staticgraph) build the same graphs. Every case
fetches its outputs and the gradients of ``sum(y * seed)`` over its floating outputs
w.r.t. each input. Only NumPy is imported here.
"""
import numpy as np

from tests.ops.conv_tf1_cases import _inputs, _ties

F32 = np.float32


def _f32(*arrays):
    return [a.astype(F32) for a in arrays]


def _bn(tf, x, scale, offset, **kwargs):
    return list(tf.nn.fused_batch_norm(x, scale, offset, **kwargs))


# name: (inputs, function of (tf, *input tensors) -> output tensor or list of them)
CASES = {
    "conv3d_same_stride2": (_inputs(31, (2, 5, 6, 4, 3), (3, 2, 3, 3, 4)),
                            lambda tf, x, w: tf.nn.conv3d(x, w, [1, 2, 1, 2, 1], "SAME")),
    "conv3d_valid_odd": (_inputs(32, (1, 5, 5, 7, 2), (2, 3, 2, 2, 3)),
                         lambda tf, x, w: tf.nn.conv3d(x, w, [1, 1, 2, 1, 1], "VALID")),
    "conv3d_transpose_same": (_inputs(33, (2, 3, 2, 3, 4), (3, 3, 2, 2, 4)),
                              lambda tf, x, w: tf.nn.conv3d_transpose(
                                  x, w, [2, 5, 4, 5, 2], [1, 2, 2, 2, 1], "SAME")),
    "conv3d_transpose_valid": (_inputs(34, (1, 2, 3, 2, 3), (2, 3, 2, 2, 3)),
                               lambda tf, x, w: tf.nn.conv3d_transpose(
                                   x, w, [1, 4, 7, 3, 2], [1, 2, 2, 1, 1], "VALID")),
    "conv3d_backprop_filter_v2": (_inputs(35, (1, 5, 4, 5, 2), (1, 3, 2, 3, 3)),
                                  lambda tf, x, dy: tf.nn.conv3d_backprop_filter_v2(
                                      x, [3, 3, 2, 2, 3], dy, [1, 2, 2, 2, 1], "SAME")),
    "max_pool3d_same_ties": (_f32(_ties(36, 2, 5, 4, 5, 2)),
                             lambda tf, x: tf.nn.max_pool3d(x, 2, 2, "SAME")),
    "max_pool3d_valid_ties": (_f32(_ties(37, 1, 5, 6, 5, 2)),
                              lambda tf, x: tf.nn.max_pool3d(
                                  x, [1, 3, 2, 2, 1], [1, 1, 2, 1, 1], "VALID")),
    "avg_pool3d_same": (_f32(*_inputs(38, (2, 5, 4, 5, 2))),
                        lambda tf, x: tf.nn.avg_pool3d(x, [1, 3, 2, 3, 1], [1, 2, 1, 2, 1],
                                                       "SAME")),
    "avg_pool3d_valid": (_f32(*_inputs(39, (1, 5, 5, 4, 3))),
                         lambda tf, x: tf.nn.avg_pool3d(x, [1, 2, 3, 2, 1], [1, 1, 1, 2, 1],
                                                        "VALID")),
    "convolution_1d_dilated": (_inputs(40, (2, 9, 2), (3, 2, 3)),
                               lambda tf, x, w: tf.nn.convolution(x, w, "SAME",
                                                                  dilation_rate=[2])),
    "convolution_2d_stride2": (_inputs(41, (1, 7, 6, 2), (3, 2, 2, 3)),
                               lambda tf, x, w: tf.nn.convolution(x, w, "VALID",
                                                                  strides=[2, 2])),
    "convolution_3d_dilated": (_inputs(42, (1, 6, 5, 6, 2), (2, 2, 2, 2, 2)),
                               lambda tf, x, w: tf.nn.convolution(
                                   x, w, "SAME", dilation_rate=[2, 1, 2])),
    "conv_transpose_1d": (_inputs(43, (2, 4, 3), (3, 2, 3)),
                          lambda tf, x, w: tf.nn.conv_transpose(x, w, [2, 8, 2], 2)),
    "conv_transpose_2d": (_inputs(44, (1, 3, 3, 2), (3, 3, 2, 2)),
                          lambda tf, x, w: tf.nn.conv_transpose(x, w, [1, 7, 7, 2], 2,
                                                                "VALID")),
    "conv_transpose_3d": (_inputs(45, (1, 2, 3, 2, 2), (2, 2, 2, 3, 2)),
                          lambda tf, x, w: tf.nn.conv_transpose(x, w, [1, 4, 5, 4, 3],
                                                                [2, 2, 2], "SAME")),
    "atrous_conv2d_same": (_inputs(46, (2, 7, 6, 2), (3, 3, 2, 3)),
                           lambda tf, x, w: tf.nn.atrous_conv2d(x, w, 2, "SAME")),
    "atrous_conv2d_valid": (_inputs(47, (1, 9, 8, 2), (2, 3, 2, 2)),
                            lambda tf, x, w: tf.nn.atrous_conv2d(x, w, 3, "VALID")),
    "atrous_conv2d_transpose_same": (_inputs(48, (1, 7, 6, 3), (3, 3, 2, 3)),
                                     lambda tf, x, w: tf.nn.atrous_conv2d_transpose(
                                         x, w, [1, 7, 6, 2], 2, "SAME")),
    "atrous_conv2d_transpose_valid": (_inputs(49, (1, 3, 4, 3), (2, 3, 2, 3)),
                                      lambda tf, x, w: tf.nn.atrous_conv2d_transpose(
                                          x, w, [1, 5, 8, 2], 2, "VALID")),
    "max_pool_v2_1d": ([_ties(50, 2, 9, 2)],
                       lambda tf, x: tf.nn.max_pool_v2(x, 3, 2, "SAME")),
    "max_pool_v2_2d": ([_ties(51, 1, 5, 7, 2)],
                       lambda tf, x: tf.nn.max_pool_v2(x, [2, 3], [2, 2], "VALID")),
    "avg_pool_v2_3d": (_f32(*_inputs(52, (1, 5, 4, 5, 2))),
                       lambda tf, x: tf.nn.avg_pool_v2(x, 2, [1, 2, 2, 2, 1], "SAME")),
    "max_pool_with_argmax_same": ([_ties(53, 2, 5, 4, 3)],
                                  lambda tf, x: list(tf.nn.max_pool_with_argmax(
                                      x, [1, 2, 3, 1], [1, 1, 2, 1], "SAME"))),
    "max_pool_with_argmax_batch": ([_ties(54, 2, 5, 6, 2)],
                                   lambda tf, x: list(tf.nn.max_pool_with_argmax(
                                       x, [1, 3, 2, 1], [1, 2, 2, 1], "VALID",
                                       include_batch_in_index=True))),
    "depthwise_native_backprop_input": (
        _inputs(55, (3, 3, 2, 2), (1, 3, 3, 4)),
        lambda tf, w, dy: tf.nn.depthwise_conv2d_native_backprop_input(
            [1, 5, 5, 2], w, dy, [1, 2, 2, 1], "SAME")),
    "depthwise_backprop_filter": (
        _inputs(56, (2, 6, 5, 2), (2, 5, 3, 2)),
        lambda tf, x, dy: tf.nn.depthwise_conv2d_backprop_filter(
            x, [2, 3, 2, 1], dy, [1, 1, 1, 1], "VALID")),
    "dilation2d_same": (_inputs(57, (2, 6, 5, 2), (2, 3, 2)),
                        lambda tf, x, w: tf.nn.dilation2d(x, w, [1, 2, 1, 1], [1, 1, 2, 1],
                                                          "SAME")),
    "dilation2d_valid": (_inputs(58, (1, 7, 6, 3), (3, 2, 3)),
                         lambda tf, x, w: tf.nn.dilation2d(x, w, [1, 1, 2, 1], [1, 2, 1, 1],
                                                           "VALID")),
    "erosion2d_same": (_inputs(59, (1, 5, 6, 2), (3, 2, 2)),
                       lambda tf, x, w: tf.nn.erosion2d(x, w, [1, 1, 1, 1], [1, 1, 1, 1],
                                                        "SAME")),
    "extract_image_patches_same": (_inputs(60, (2, 5, 6, 2)),
                                   lambda tf, x: tf.extract_image_patches(
                                       x, [1, 3, 2, 1], [1, 2, 1, 1], [1, 1, 2, 1], "SAME")),
    "extract_image_patches_valid": (_inputs(61, (1, 7, 5, 3)),
                                    lambda tf, x: tf.extract_image_patches(
                                        x, [1, 2, 2, 1], [1, 2, 2, 1], [1, 2, 1, 1],
                                        "VALID")),
    "extract_volume_patches": (_inputs(62, (1, 4, 5, 3, 2)),
                               lambda tf, x: tf.extract_volume_patches(
                                   x, [1, 2, 3, 2, 1], [1, 1, 2, 1, 1], "SAME")),
    "compute_average_loss": (_inputs(65, (5,), (5,)),
                             lambda tf, loss, w: [tf.nn.compute_average_loss(loss),
                                                  tf.nn.compute_average_loss(
                                                      loss, w, global_batch_size=8)]),
    "scale_regularization_loss": (_inputs(66, (3, 2)),
                                  lambda tf, r: tf.nn.scale_regularization_loss(r)),
    "fused_batch_norm_training": (_f32(*_inputs(67, (2, 3, 4, 3), (3,), (3,))),
                                  lambda tf, x, s, o: _bn(tf, x, s, o, epsilon=0.01)),
    "fused_batch_norm_running_average": (
        _f32(*_inputs(68, (2, 3, 3, 2), (2,), (2,), (2,))) + [np.array([1.5, 0.5], F32)],
        lambda tf, x, s, o, m, v: _bn(tf, x, s, o, mean=m, variance=v,
                                      exponential_avg_factor=0.25)),
    "fused_batch_norm_inference": (
        _f32(*_inputs(69, (2, 3, 3, 2), (2,), (2,), (2,))) + [np.array([1.5, 0.5], F32)],
        lambda tf, x, s, o, m, v: _bn(tf, x, s, o, mean=m, variance=v, is_training=False)),
    # CTC with dense labels (TF computes it in float32 only)
    "ctc_loss_v2_time_major": (
        _f32(*_inputs(70, (6, 3, 5))) + [np.array([[1, 2, 2, 0], [3, 1, 0, 0], [4, 4, 1, 3]]),
                                         np.array([3, 2, 4]), np.array([6, 4, 6])],
        lambda tf, x, labels, ll, lg: tf.nn.ctc_loss_v2(labels, x, ll, lg)),
    "ctc_loss_v2_batch_major_last_blank": (
        _f32(*_inputs(71, (2, 7, 4))) + [np.array([[0, 0, 2], [1, 2, 0]]), np.array([3, 2]),
                                         np.array([7, 5])],
        lambda tf, x, labels, ll, lg: tf.nn.ctc_loss_v2(labels, x, ll, lg,
                                                        logits_time_major=False,
                                                        blank_index=-1)),
}


def build(tf, name):
    """Placeholders, the fetches [outputs..., d sum(y*seed)/d input...] and the feed of
    case ``name``; the gradient is taken of the floating outputs only."""
    arrays, fn = CASES[name]
    inputs = [tf.placeholder(tf.as_dtype(a.dtype), a.shape) for a in arrays]
    built = fn(tf, *inputs)
    outputs = built if isinstance(built, list) else [built]
    rng = np.random.RandomState(99)
    total = []
    for y in outputs:
        if y.dtype.is_floating:
            seed = np.asarray(rng.randn(*[int(d) for d in y.shape]), y.dtype.as_numpy_dtype)
            total.append(tf.reduce_sum(y * seed))
    grads = tf.gradients(tf.add_n(total), inputs)
    return [*outputs, *grads], dict(zip(inputs, arrays))

"""The chain_fusion pass: declared op chains (``OpDef.fuses``) become one op with the
same bits. Here the chains ``_FusedConv2D`` declares: Conv2D, then a bias add (Add, AddV2
or BiasAdd of a channel vector), then Relu; and Conv2D then Relu. And
``_FusedMaxPoolGrad``'s: MaxPoolGrad then ReluGrad (the gradient of a ReLU followed by
max-pooling)."""
import itertools

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.compiler.passes.chain_fusion import fuse_chains
from staticgraph.core.registry import registered_ops
from staticgraph.ops import window_kernels as wk
from staticgraph.ops.framework import apply_op

from .helpers import assert_same_as_unoptimized, program_of, types_of

RNG = np.random.default_rng(7)


def _types(fetches, fed, targets=None):
    program = program_of(fetches, fed, targets, passes=(fuse_chains,))
    return [t for t in types_of(program) if t not in ("_Feed", "VariableV2", "Const")]


def _conv_inputs(x_shape, w_shape, dtype):
    x = tf.placeholder(dtype, x_shape)
    w = tf.placeholder(dtype, w_shape)
    b = tf.placeholder(dtype, [w_shape[3]])
    values = {x: RNG.standard_normal(x_shape).astype(dtype.as_numpy_dtype),
              w: RNG.standard_normal(w_shape).astype(dtype.as_numpy_dtype),
              b: RNG.standard_normal(w_shape[3]).astype(dtype.as_numpy_dtype)}
    return x, w, b, values


BIAS_ADDS = {
    "Add": lambda c, b: c + b,
    "AddV2": lambda c, b: apply_op("AddV2", [c, b]).outputs[0],
    "BiasAdd": lambda c, b: tf.nn.bias_add(c, b),
    "none": None,
}


@pytest.mark.parametrize("x_shape,w_shape,strides,padding", [
    ((2, 7, 5, 3), (3, 3, 3, 4), 1, "SAME"),
    ((2, 7, 5, 3), (3, 3, 3, 4), 1, "VALID"),
    ((1, 9, 7, 1), (5, 5, 1, 3), 2, "SAME"),    # one channel: tap-major windows
    ((1, 9, 8, 2), (2, 3, 2, 3), 2, "VALID"),
])
@pytest.mark.parametrize("bias", list(BIAS_ADDS))
@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
def test_conv_bias_relu_becomes_one_op_with_the_same_bits(x_shape, w_shape, strides,
                                                          padding, bias, dtype):
    x, w, b, values = _conv_inputs(x_shape, w_shape, dtype)
    h = tf.nn.conv2d(x, w, [1, strides, strides, 1], padding)
    if BIAS_ADDS[bias] is not None:
        h = BIAS_ADDS[bias](h, b)
    y = tf.nn.relu(h)
    assert _types([y], [x, w, b]) == ["_FusedConv2D"]
    assert_same_as_unoptimized([y], values)


def test_the_cnn_training_step_fuses_both_layers_and_keeps_its_bits():
    x = tf.placeholder(tf.float32, [3, 9, 9, 1])
    w1 = tf.Variable(RNG.standard_normal((3, 3, 1, 4)).astype(np.float32))
    b1 = tf.Variable(np.full(4, 0.1, np.float32))
    w2 = tf.Variable(RNG.standard_normal((3, 3, 4, 2)).astype(np.float32))
    h = tf.nn.max_pool(tf.nn.relu(tf.nn.conv2d(x, w1, [1, 1, 1, 1], "SAME") + b1),
                       [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    h = tf.nn.relu(tf.nn.conv2d(h, w2, [1, 1, 1, 1], "VALID"))
    loss = tf.reduce_sum(h * h)
    grads = tf.gradients(loss, [w1, b1, w2])
    types = _types([loss, *grads], [x])
    assert types.count("_FusedConv2D") == 2 and "Relu" not in types
    assert types.count("Conv2D") == 0 and types.count("Add") == 0
    assert_same_as_unoptimized([loss, *grads], {x: RNG.random((3, 9, 9, 1), np.float32)},
                               init=tf.global_variables_initializer())


@pytest.mark.parametrize("ksize,strides,padding", [
    (2, 2, "VALID"), (2, 2, "SAME"), (3, 2, "SAME"), (2, 1, "VALID")])
@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
def test_relu_then_max_pool_differentiates_to_one_op_with_the_same_bits(ksize, strides,
                                                                        padding, dtype):
    x = tf.placeholder(dtype, [2, 7, 6, 3])
    g = tf.placeholder(dtype, None)
    y = tf.nn.max_pool(tf.nn.relu(x), [1, ksize, ksize, 1], [1, strides, strides, 1],
                       padding)
    (dx,) = tf.gradients(y, x, grad_ys=tf.reshape(g, tf.shape(y)))
    types = _types([dx], [x, g])
    assert "_FusedMaxPoolGrad" in types and "MaxPoolGrad" not in types
    assert "ReluGrad" not in types
    x0 = RNG.integers(-2, 3, (2, 7, 6, 3)).astype(dtype.as_numpy_dtype)  # ties and zeros
    with tf.Session() as sess:
        size = sess.run(tf.size(y), {x: x0})
    g0 = RNG.standard_normal(size).astype(dtype.as_numpy_dtype)
    g0[::4] = -0.0
    assert_same_as_unoptimized([dx], {x: x0, g: g0})


def test_values_read_elsewhere_are_left_alone():
    x, w, b, values = _conv_inputs((1, 5, 5, 2), (3, 3, 2, 3), tf.float64)
    conv = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")
    summed = conv + b
    y = tf.nn.relu(summed)
    assert "_FusedConv2D" not in _types([y, conv], [x, w, b])
    assert "_FusedConv2D" not in _types([y, summed], [x, w, b])
    assert "_FusedConv2D" not in _types([y, tf.reduce_sum(summed)], [x, w, b])
    assert_same_as_unoptimized([y, conv, summed], values)
    pooled = tf.nn.max_pool(y, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    (d_summed,) = tf.gradients(pooled, summed)
    routed = d_summed.op.inputs[0]  # MaxPoolGrad, fetched too
    assert routed.op.type == "MaxPoolGrad"
    assert "_FusedMaxPoolGrad" in _types([d_summed], [x, w, b])
    assert "_FusedMaxPoolGrad" not in _types([d_summed, routed], [x, w, b])


def test_a_variable_is_not_read_after_an_assignment_it_ran_before():
    x = tf.placeholder(tf.float64, [1, 4, 4, 1])
    w = tf.Variable(np.ones((3, 3, 1, 2)))
    conv = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")  # reads w before the assignment
    assign = tf.assign(w, -np.ones((3, 3, 1, 2)))
    y = tf.nn.relu(conv + np.array([0.5, -0.5]))
    assert "_FusedConv2D" not in _types([y], [x], [assign.op])
    out = assert_same_as_unoptimized([y, assign], {x: np.ones((1, 4, 4, 1))},
                                     init=tf.global_variables_initializer())
    assert out[0][0, 1, 1].tolist() == [9.5, 8.5]


@pytest.mark.parametrize("build", [
    lambda c, b: tf.nn.relu(b + c),                              # bias first
    lambda c, b: tf.nn.relu(c + tf.reshape(b, [1, 1, 1, 3])),    # not a vector
    lambda c, b: tf.nn.relu(c + c),                              # not a bias
    lambda c, b: tf.nn.relu(c + b[:1]),                          # broadcast size-1 vector
    lambda c, b: tf.nn.relu6(c + b),                             # another activation
], ids=["bias-first", "rank-4-bias", "sum", "size-1-bias", "relu6"])
def test_other_chains_are_left_alone(build):
    x, w, b, values = _conv_inputs((1, 5, 5, 2), (3, 3, 2, 3), tf.float64)
    y = build(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"), b)
    assert "_FusedConv2D" not in _types([y], [x, w, b])
    assert_same_as_unoptimized([y], values)


def test_no_declared_chain_is_a_prefix_of_another():
    """Chains match at their last op: a declared prefix would win over the longer chain."""
    chains = [f.chain for op in registered_ops().values() for f in op.fuses]
    assert chains
    for a, b in itertools.permutations(chains, 2):
        assert b[:len(a)] != a, (a, b)


def test_the_fused_kernel_matches_the_loop_reference_with_nan_and_negative_zero():
    from tests.ops.test_conv_ops import naive_conv
    x = RNG.standard_normal((2, 6, 5, 3))
    w = RNG.standard_normal((3, 3, 3, 4))
    x[0, 2, 2, 1] = np.nan
    b = np.array([0.5, -0.0, np.inf, -1.0])
    geo = wk.geometry((6, 5), (3, 3), (2, 1), (1, 1), "SAME")
    got = wk.conv2d(x, w, geo, b, relu=True)
    want = np.maximum(naive_conv(x, w, (2, 1), "SAME") + b, 0)
    np.testing.assert_allclose(got, want, atol=1e-12)
    assert np.array_equal(np.isnan(got), np.isnan(want))

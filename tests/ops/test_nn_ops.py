"""tf.nn activations, softmax, cross-entropies, bias_add, l2_loss, dropout and moments."""
import inspect

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case

RNG = np.random.RandomState(3)


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def _away_from_zero(*shape):
    """Random values with |x| >= 0.2, so kinks at 0 stay out of finite differences."""
    x = RNG.uniform(0.2, 2.0, size=shape)
    return x * RNG.choice([-1.0, 1.0], size=shape)


def _np_log_softmax(x, axis=-1):
    z = x - x.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


def _vjp_of(fn, wrt=0):
    """A build function: the VJP of ``fn`` w.r.t. input ``wrt``, seeded with the last input
    (so the gradient op itself is differentiated)."""
    def build(*xs):
        *inputs, seed = xs
        return tf.gradients(fn(*inputs), inputs[wrt], grad_ys=seed)[0]
    return build


SELU_ALPHA, SELU_SCALE = 1.6732632423543772848, 1.0507009873554804934

# op name, TF1 function, NumPy reference
ACTIVATIONS = [
    ("Relu", tf.nn.relu, lambda x: np.maximum(x, 0)),
    ("Relu6", tf.nn.relu6, lambda x: np.clip(x, 0, 6)),
    ("LeakyRelu", tf.nn.leaky_relu, lambda x: np.where(x > 0, x, 0.2 * x)),
    ("Elu", tf.nn.elu, lambda x: np.where(x > 0, x, np.exp(x) - 1)),
    ("Selu", tf.nn.selu,
     lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * (np.exp(x) - 1))),
    ("Softplus", tf.nn.softplus, lambda x: np.log1p(np.exp(x))),
    ("Softsign", tf.nn.softsign, lambda x: x / (1 + np.abs(x))),
    ("Sigmoid", tf.nn.sigmoid, lambda x: 1 / (1 + np.exp(-x))),
    ("Tanh", tf.nn.tanh, np.tanh),
]

GRADIENT_CASES = [
    GradCase("relu", tf.nn.relu, [_away_from_zero(3, 4)], order=2),
    GradCase("relu6", lambda x: tf.nn.relu6(x * 4.0), [_away_from_zero(3, 4)], order=2),
    GradCase("leaky_relu", lambda x: tf.nn.leaky_relu(x, alpha=0.3), [_away_from_zero(5)],
             order=2),
    GradCase("relu_grad", _vjp_of(tf.nn.relu), [_away_from_zero(3, 4), RNG.randn(3, 4)],
             order=2),
    GradCase("relu6_grad", _vjp_of(lambda x: tf.nn.relu6(x * 4.0)),
             [_away_from_zero(6), RNG.randn(6)], order=2),
    GradCase("leaky_relu_grad", _vjp_of(tf.nn.leaky_relu), [_away_from_zero(6), RNG.randn(6)],
             order=2),
    GradCase("elu", tf.nn.elu, [_away_from_zero(3, 4)], order=2),
    GradCase("selu", tf.nn.selu, [_away_from_zero(3, 4)], order=2),
    GradCase("softplus", tf.nn.softplus, [RNG.randn(3, 4) * 3], order=2),
    GradCase("softsign", tf.nn.softsign, [_away_from_zero(2, 3)], order=2),
    GradCase("softmax", tf.nn.softmax, [RNG.randn(3, 4)], order=2),
    GradCase("softmax_axis0_3d", lambda x: tf.nn.softmax(x, axis=0), [RNG.randn(3, 2, 2)]),
    GradCase("log_softmax", tf.nn.log_softmax, [RNG.randn(3, 4)], order=2),
    GradCase("log_softmax_dim1", lambda x: tf.nn.log_softmax(x, dim=1), [RNG.randn(2, 3, 2)]),
    GradCase("softmax_xent_v2", lambda x, z: tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=z, logits=x), [RNG.randn(3, 4), RNG.rand(3, 4)], order=2),
    GradCase("softmax_xent_v2_axis0", lambda x, z: tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=z, logits=x, axis=0), [RNG.randn(3, 2), RNG.rand(3, 2)]),
    GradCase("softmax_xent_v1", lambda x: tf.nn.softmax_cross_entropy_with_logits(
        labels=[[1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], logits=x), [RNG.randn(3, 4)],
        order=2),
    GradCase("sparse_softmax_xent", lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=[1, 0, 3], logits=x), [RNG.randn(3, 4)], order=2),
    GradCase("sparse_softmax_xent_3d", lambda x:
             tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[[1, 0], [2, 2]], logits=x),
             [RNG.randn(2, 2, 3)]),
    GradCase("sigmoid_xent", lambda x, z: tf.nn.sigmoid_cross_entropy_with_logits(
        labels=z, logits=x), [RNG.randn(3, 4) * 3, RNG.rand(3, 4)], order=2),
    GradCase("bias_add", tf.nn.bias_add, [RNG.randn(3, 4), RNG.randn(4)], order=2),
    GradCase("bias_add_nchw", lambda x, b: tf.square(tf.nn.bias_add(x, b, "NCHW")),
             [RNG.randn(2, 3, 2, 2), RNG.randn(3)], order=2),
    GradCase("bias_add_grad", _vjp_of(tf.nn.bias_add, wrt=1),
             [RNG.randn(2, 3, 2), RNG.randn(2), RNG.randn(2, 3, 2)], order=2),
    GradCase("bias_add_grad_nchw", _vjp_of(lambda x, b: tf.nn.bias_add(x, b, "NCHW"), wrt=1),
             [RNG.randn(2, 3, 2), RNG.randn(3), RNG.randn(2, 3, 2)]),
    GradCase("l2_loss", tf.nn.l2_loss, [RNG.randn(3, 4)], order=2),
    GradCase("moments", lambda x: list(tf.nn.moments(x, [0, 2])), [RNG.randn(3, 2, 2)],
             order=2),
    GradCase("batch_normalization", lambda x, m, v, o, s: tf.nn.batch_normalization(
        x, m, v, o, s, 1e-3), [RNG.randn(4, 3), RNG.randn(3), RNG.rand(3) + 0.5,
                               RNG.randn(3), RNG.randn(3)], order=2),
    GradCase("l2_normalize", lambda x: tf.nn.l2_normalize(x, axis=1), [RNG.randn(2, 3)],
             order=2),
    GradCase("xw_plus_b", tf.nn.xw_plus_b, [RNG.randn(2, 3), RNG.randn(3, 4), RNG.randn(4)]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


# -- kernels against NumPy, dtypes and TF1 op names ---------------------------------------


@pytest.mark.parametrize("op_type,fn,reference", ACTIVATIONS, ids=[a[0] for a in ACTIVATIONS])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activation_values_dtype_and_op_type(op_type, fn, reference, dtype):
    x = (RNG.randn(4, 5) * 4).astype(dtype)
    y = fn(x)
    assert y.op.type == op_type and y.dtype == dtype and y.shape == (4, 5)
    out = _run(y)
    assert out.dtype == dtype
    np.testing.assert_allclose(out, reference(x.astype(np.float64)),
                               rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-6)


@pytest.mark.parametrize("fn,grad_type", [(tf.nn.relu, "ReluGrad"),
                                           (tf.nn.relu6, "Relu6Grad")])
def test_relu_gradients_read_the_activation_output_as_tf(fn, grad_type):
    """TF's Relu and Relu6 gradients take the output as features (so nothing else keeps
    the input alive); the slope read from it is the input's, zero at the kinks."""
    x = tf.placeholder(tf.float64, [6])
    y = fn(x)
    g = tf.constant(np.arange(1.0, 7.0))
    (dx,) = tf.gradients(y, x, grad_ys=g)
    (tangent,) = tf.jvp(y, x, g)
    for t in (dx, tangent):
        assert t.op.type == grad_type and t.op.inputs[1] is y
    xs = np.array([-1.0, 0.0, 0.5, 3.0, 6.0, 7.0])
    with tf.Session() as sess:
        got = sess.run([dx, tangent], {x: xs})
    inside = (xs > 0) & ((xs < 6) if fn is tf.nn.relu6 else True)
    for value in got:
        np.testing.assert_array_equal(value, np.where(inside, np.arange(1.0, 7.0), 0.0))


@pytest.mark.parametrize("shape", [(64, 256), (3, 5, 1100), (16 * 1024 - 1,), (2, 0, 9000)])
def test_relu_of_large_float32_arrays_has_the_bits_of_max_with_zero(shape):
    """Large float32 arrays take the row-of-zeros path (whole rows and a remainder);
    NaN, infinities and signed zeros come out as from ``np.maximum(x, 0)``, also for a
    non-contiguous input."""
    x = np.random.RandomState(0).randn(*shape).astype(np.float32)
    special = np.array([np.nan, -np.inf, np.inf, -0.0, 0.0, -1e-45], np.float32)
    flat = x.reshape(-1)
    flat[:min(flat.size, special.size)] = special[:flat.size]
    for value in (x, np.swapaxes(x, 0, -1)):
        got = _run(tf.nn.relu(tf.constant(value)))
        want = np.maximum(value, 0)
        assert got.dtype == np.float32 and got.shape == want.shape
        np.testing.assert_array_equal(got.view(np.uint32), want.view(np.uint32))


def test_relu_keeps_integers():
    out = _run(tf.nn.relu(np.array([-2, 0, 3], np.int32)))
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, [0, 0, 3])


def test_leaky_relu_default_alpha_and_int_input():
    assert _run(tf.nn.leaky_relu(np.float32(-1.0))) == pytest.approx(-0.2)
    out = tf.nn.leaky_relu(np.array([-5, 5], np.int32), alpha=0.5)
    assert out.dtype == tf.float32
    np.testing.assert_allclose(_run(out), [-2.5, 5.0])


def test_softplus_is_stable_for_large_inputs():
    out = _run(tf.nn.softplus(np.array([-1000.0, 0.0, 1000.0])))
    np.testing.assert_allclose(out, [0.0, np.log(2.0), 1000.0])


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_softmax_and_log_softmax_match_numpy_and_are_stable(axis):
    x = RNG.randn(3, 4, 2) * 50 + 1000  # exp would overflow without the max shift
    want = _np_log_softmax(x, axis)
    soft, log_soft = tf.nn.softmax(x, axis=axis), tf.nn.log_softmax(x, axis=axis)
    assert soft.op.type == "Softmax" and log_soft.op.type == "LogSoftmax"
    got_soft, got_log = _run([soft, log_soft])
    np.testing.assert_allclose(got_log, want, atol=1e-10)
    np.testing.assert_allclose(got_soft, np.exp(want), atol=1e-12)


def test_softmax_dim_alias_and_conflict():
    x = RNG.randn(2, 3).astype(np.float32)
    out = _run(tf.nn.softmax(x, dim=0))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, np.exp(_np_log_softmax(x, 0)), rtol=1e-5)
    with pytest.raises(ValueError, match="both 'axis' and 'dim'"):
        tf.nn.softmax(x, axis=0, dim=0)


def test_softmax_errors():
    with pytest.raises(TypeError, match="Softmax.*floating-point"):
        tf.nn.softmax(np.array([1, 2], np.int32))
    with pytest.raises(ValueError, match="out of range"):
        tf.nn.softmax(np.zeros((2, 3)), axis=2)


def _np_xent(labels, logits, axis=-1):
    return -(labels * _np_log_softmax(logits, axis)).sum(axis=axis)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_cross_entropy_values(dtype):
    logits = (RNG.randn(5, 4) * 30).astype(dtype)
    labels = RNG.dirichlet(np.ones(4), size=5).astype(dtype)
    v1 = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    v2 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    assert v2.op.type == "SoftmaxCrossEntropyWithLogits" and v2.shape == (5,)
    out1, out2 = _run([v1, v2])
    assert out1.dtype == out2.dtype == dtype
    want = _np_xent(labels.astype(np.float64), logits.astype(np.float64))
    np.testing.assert_allclose(out1, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out2, want, rtol=1e-5, atol=1e-6)


def test_softmax_cross_entropy_dim_and_axis():
    logits, labels = RNG.randn(3, 2, 4), RNG.rand(3, 2, 4)
    v1 = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits, dim=0)
    v2 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, axis=1)
    assert v1.shape == (2, 4) and v2.shape == (3, 4)
    out1, out2 = _run([v1, v2])
    np.testing.assert_allclose(out1, _np_xent(labels, logits, 0))
    np.testing.assert_allclose(out2, _np_xent(labels, logits, 1))


def test_softmax_cross_entropy_v1_stops_gradient_into_labels_v2_does_not():
    logits = tf.placeholder(tf.float64, [2, 3])
    labels = tf.placeholder(tf.float64, [2, 3])
    v1 = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    v2 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    assert tf.gradients(v1, labels) == [None]
    g_logits, g_labels = tf.gradients(v2, [logits, labels])
    x, z = RNG.randn(2, 3), RNG.dirichlet(np.ones(3), size=2)
    gx, gz = _run([g_logits, g_labels], {logits: x, labels: z})
    np.testing.assert_allclose(gx, np.exp(_np_log_softmax(x)) - z)  # softmax - labels
    np.testing.assert_allclose(gz, -_np_log_softmax(x))


def test_cross_entropies_need_named_arguments():
    with pytest.raises(ValueError, match="named arguments"):
        tf.nn.softmax_cross_entropy_with_logits(np.ones((1, 2)), np.ones((1, 2)))
    with pytest.raises(ValueError, match="named arguments"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(np.ones(1, np.int32), np.ones((1, 2)))
    with pytest.raises(ValueError, match="named arguments"):
        tf.nn.sigmoid_cross_entropy_with_logits(np.ones(2), np.ones(2))


def test_softmax_cross_entropy_v2_takes_positional_labels_then_logits():
    labels, logits = np.eye(3)[[0, 2]], RNG.randn(2, 3)
    out = _run(tf.nn.softmax_cross_entropy_with_logits_v2(labels, logits))
    np.testing.assert_allclose(out, _np_xent(labels, logits))


def test_softmax_cross_entropy_shape_errors():
    with pytest.raises(ValueError, match="SoftmaxCrossEntropyWithLogits.*same shape"):
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=np.ones((2, 3)),
                                                   logits=np.ones((2, 4)))
    with pytest.raises(ValueError, match="rank >= 1"):
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=np.float64(1), logits=np.float64(1))
    with pytest.raises(ValueError, match="rank >= 1"):
        tf.nn.softmax(np.float32(1.0))
    unknown = tf.placeholder(tf.float32)
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=np.ones((2, 3), np.float32),
                                                      logits=unknown, axis=-1)
    assert loss.shape.as_list() == [2]


def test_sparse_softmax_cross_entropy_values_and_dtypes():
    logits = (RNG.randn(4, 5) * 40).astype(np.float32)
    labels = np.array([0, 4, 2, 2], np.int64)
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    assert loss.op.type == "SparseSoftmaxCrossEntropyWithLogits" and loss.shape == (4,)
    out = _run(loss)
    assert out.dtype == np.float32
    want = -_np_log_softmax(logits.astype(np.float64))[np.arange(4), labels]
    np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-6)


def test_sparse_softmax_cross_entropy_labels_carry_no_gradient():
    logits = tf.placeholder(tf.float64, [2, 3])
    labels = tf.placeholder(tf.int32, [2])
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    (grad,) = tf.gradients(loss, [logits])
    x = RNG.randn(2, 3)
    out = _run(grad, {logits: x, labels: [2, 0]})
    np.testing.assert_allclose(out, np.exp(_np_log_softmax(x)) - np.eye(3)[[2, 0]])


def test_sparse_softmax_cross_entropy_errors():
    with pytest.raises(TypeError, match="int32 or int64"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=np.zeros(2), logits=np.ones((2, 3)))
    with pytest.raises(ValueError, match="without its last"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1, 2], logits=np.ones((2, 3)))
    labels = tf.placeholder(tf.int32, [2])
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=np.ones((2, 3)))
    with pytest.raises(Exception, match=r"label value of 3 .*\[0, 3\)"):
        _run(loss, {labels: [0, 3]})


def test_sigmoid_cross_entropy_is_stable_and_matches_formula():
    logits = np.array([-200.0, -3.0, 0.0, 2.5, 200.0])
    labels = np.array([0.0, 1.0, 0.5, 0.2, 1.0])
    loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    assert loss.op.type == "SigmoidCrossEntropyWithLogits"
    out = _run(loss)
    p = 1 / (1 + np.exp(-logits[1:4]))
    naive = -labels[1:4] * np.log(p) - (1 - labels[1:4]) * np.log(1 - p)
    np.testing.assert_allclose(out[1:4], naive)
    np.testing.assert_allclose(out[[0, 4]], [0.0, 0.0], atol=1e-80)
    with pytest.raises(ValueError, match="same shape"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=np.ones(3), logits=np.ones(2))


def test_bias_add_formats_and_errors():
    value, bias = RNG.randn(2, 3, 4, 5).astype(np.float32), RNG.randn(3).astype(np.float32)
    last = RNG.randn(5).astype(np.float32)
    nchw = tf.nn.bias_add(value, bias, data_format="NCHW")
    nhwc = tf.nn.bias_add(value, last)
    assert nchw.op.type == "BiasAdd" and nchw.dtype == tf.float32
    out_c, out_l = _run([nchw, nhwc])
    np.testing.assert_allclose(out_c, value + bias[:, None, None])
    np.testing.assert_allclose(out_l, value + last)
    with pytest.raises(ValueError, match="BiasAdd.*bias of size 3 does not match.*5"):
        tf.nn.bias_add(value, bias)
    with pytest.raises(ValueError, match="1-D"):
        tf.nn.bias_add(value, np.ones((1, 5), np.float32))
    with pytest.raises(ValueError, match="rank >= 2"):
        tf.nn.bias_add(np.ones(3), np.ones(3))


def test_bias_add_gradient_sums_over_batch():
    value = tf.placeholder(tf.float64, [None, 3])
    bias = tf.placeholder(tf.float64, [3])
    (grad,) = tf.gradients(tf.nn.bias_add(value, bias), [bias])
    assert grad.op.type == "BiasAddGrad" and grad.shape == (3,)
    np.testing.assert_allclose(_run(grad, {value: np.ones((4, 3)), bias: np.zeros(3)}),
                               [4.0, 4.0, 4.0])


def test_l2_loss_value_and_dtype():
    t = RNG.randn(3, 4).astype(np.float32)
    loss = tf.nn.l2_loss(t)
    assert loss.op.type == "L2Loss" and loss.shape == ()
    out = _run(loss)
    assert out.dtype == np.float32
    assert out == pytest.approx(np.sum(t.astype(np.float64) ** 2) / 2, rel=1e-6)


@pytest.mark.parametrize("keep_dims", [False, True])
def test_moments_match_numpy(keep_dims):
    x = RNG.randn(4, 3, 2)
    mean, var = tf.nn.moments(x, axes=[0, 2], keep_dims=keep_dims)
    want_shape = (1, 3, 1) if keep_dims else (3,)
    assert mean.shape == var.shape == want_shape
    got_mean, got_var = _run([mean, var])
    np.testing.assert_allclose(got_mean, x.mean(axis=(0, 2), keepdims=keep_dims))
    np.testing.assert_allclose(got_var, x.var(axis=(0, 2), keepdims=keep_dims))


# -- dropout -------------------------------------------------------------------------------


def test_dropout_keeps_scaled_values_and_its_gradient_is_the_mask():
    x = tf.placeholder(tf.float64, [50, 40])
    y = tf.nn.dropout(x, keep_prob=0.25)
    (grad,) = tf.gradients(tf.reduce_sum(y), [x])
    xv = RNG.uniform(1, 2, size=(50, 40))
    out, g = _run([y, grad], {x: xv})
    kept = out != 0
    np.testing.assert_allclose(out[kept], xv[kept] / 0.25)
    np.testing.assert_array_equal(g, kept / 0.25)
    assert 0.15 < kept.mean() < 0.35


def test_dropout_draws_a_new_mask_each_run_and_seeds_repeat_across_sessions():
    tf.set_random_seed(5)
    y = tf.nn.dropout(np.ones((20, 20)), rate=0.5, seed=2)
    with tf.Session() as sess:
        first, second = sess.run(y), sess.run(y)
    with tf.Session() as sess:
        again = sess.run(y)
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(first, again)
    assert set(np.unique(first)) <= {0.0, 2.0}


def test_dropout_keep_prob_placeholder_noise_shape_and_identity():
    keep = tf.placeholder(tf.float32, [])
    x = np.ones((6, 5), np.float32)
    y = tf.nn.dropout(x, keep_prob=keep, noise_shape=[6, 1])
    assert y.dtype == tf.float32 and y.shape == (6, 5)
    out = _run(y, {keep: 0.5})
    assert out.dtype == np.float32
    assert all(len(set(row)) == 1 for row in out)  # one draw per row, broadcast
    x_t = tf.constant(x)
    assert tf.nn.dropout(x_t, keep_prob=1.0) is x_t
    assert tf.nn.dropout(x_t, rate=0.0) is x_t


def test_dropout_argument_errors():
    with pytest.raises(ValueError, match="range \\(0, 1\\]"):
        tf.nn.dropout(np.ones(3), keep_prob=0.0)
    with pytest.raises(ValueError, match="range \\[0, 1\\)"):
        tf.nn.dropout(np.ones(3), rate=1.0)
    with pytest.raises(ValueError, match="exactly one"):
        tf.nn.dropout(np.ones(3), keep_prob=0.5, rate=0.5)
    with pytest.raises(ValueError, match="keep_prob must be a scalar, got shape \\(2,\\)"):
        tf.nn.dropout(np.ones(3), keep_prob=tf.placeholder(tf.float64, [2]))


def test_dropout_keeps_the_input_shape_with_a_keep_prob_of_unknown_rank():
    keep = tf.placeholder(tf.float32)  # no shape, as TF1's tutorials write it
    x = tf.placeholder(tf.float32, [None, 5])
    y = tf.nn.dropout(x, keep)
    assert y.shape.as_list() == [None, 5]
    np.testing.assert_array_equal(_run(y, {x: np.ones((2, 5)), keep: 1.0}), np.ones((2, 5)))


# -- static shapes agree with the kernels ----------------------------------------------


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=4), data=st.data())
def test_static_shapes_match_run_shapes(shape, data):
    tf.reset_default_graph()
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = RNG.randn(*shape)
    labels = RNG.randint(0, shape[-1], size=shape[:-1])
    tensors = [tf.nn.relu(x), tf.nn.elu(x), tf.nn.softmax(x, axis=axis),
               tf.nn.log_softmax(x, axis=axis),
               tf.nn.softmax_cross_entropy_with_logits_v2(labels=x, logits=x, axis=axis),
               tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=x),
               tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=x), tf.nn.l2_loss(x)]
    if len(shape) >= 2:
        tensors.append(tf.nn.bias_add(x, np.ones(shape[-1])))
    for t, value in zip(tensors, _run(tensors)):
        assert t.shape.as_list() == list(np.shape(value)), t.op.type


def test_partial_static_shapes():
    x = tf.placeholder(tf.float32, [None, 5])
    labels = tf.placeholder(tf.int32, [None])
    assert tf.nn.softmax(x).shape.as_list() == [None, 5]
    assert tf.nn.softmax_cross_entropy_with_logits_v2(labels=x, logits=x).shape.as_list() \
        == [None]
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=x)
    assert loss.shape.as_list() == [None]


def test_batch_normalization_l2_normalize_and_xw_plus_b_match_numpy():
    x = RNG.randn(5, 3).astype(np.float32)
    mean, var = x.mean(axis=0), x.var(axis=0)
    offset, scale = RNG.randn(3).astype(np.float32), RNG.randn(3).astype(np.float32)
    w, b = RNG.randn(3, 2).astype(np.float32), RNG.randn(2).astype(np.float32)
    tensors = [tf.nn.batch_normalization(x, mean, var, offset, scale, 1e-3),
               tf.nn.batch_normalization(x, mean, var, None, None, 1e-3),
               tf.nn.l2_normalize(x, axis=1), tf.nn.l2_normalize(x, dim=0),
               tf.nn.l2_normalize(np.zeros(3, np.float32)),
               tf.nn.xw_plus_b(x, w, b, name="logits")]
    assert tensors[-1].op.name == "logits" and tensors[-1].op.type == "BiasAdd"
    # TF1's op names for the two forms (checked with TF 2.21's tf.compat.v1)
    assert tensors[0].op.name == "batchnorm/add_1" and tensors[1].op.name == "batchnorm_1/add_1"
    assert {op.name for op in tf.get_default_graph().get_operations()} >= {
        "batchnorm/mul_2", "batchnorm/sub", "batchnorm_1/Neg", "batchnorm_1/mul_1"}
    outs = _run(tensors)
    assert all(o.dtype == np.float32 for o in outs)
    normalized = (x - mean) / np.sqrt(var + 1e-3)
    np.testing.assert_allclose(outs[0], normalized * scale + offset, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(outs[1], normalized, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(outs[2], x / np.linalg.norm(x, axis=1, keepdims=True),
                               rtol=1e-5)
    np.testing.assert_allclose(outs[3], x / np.linalg.norm(x, axis=0, keepdims=True),
                               rtol=1e-5)
    np.testing.assert_array_equal(outs[4], np.zeros(3))
    np.testing.assert_allclose(outs[5], x @ w + b, rtol=1e-5, atol=1e-6)


TF1_SIGNATURES = {  # TF 1.15's argument names and defaults
    "relu": "features, name=None",
    "relu6": "features, name=None",
    "leaky_relu": "features, alpha=0.2, name=None",
    "elu": "features, name=None",
    "softplus": "features, name=None",
    "softmax": "logits, axis=None, name=None, dim=None",
    "log_softmax": "logits, axis=None, name=None, dim=None",
    "bias_add": "value, bias, data_format=None, name=None",
    "l2_loss": "t, name=None",
    "softmax_cross_entropy_with_logits":
        "_sentinel=None, labels=None, logits=None, dim=-1, name=None, axis=None",
    "softmax_cross_entropy_with_logits_v2": "labels, logits, axis=None, name=None, dim=None",
    "sparse_softmax_cross_entropy_with_logits":
        "_sentinel=None, labels=None, logits=None, name=None",
    "sigmoid_cross_entropy_with_logits": "_sentinel=None, labels=None, logits=None, name=None",
    "dropout": "x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None",
    "moments": "x, axes, shift=None, name=None, keep_dims=None, keepdims=None",
    "batch_normalization": "x, mean, variance, offset, scale, variance_epsilon, name=None",
    "l2_normalize": "x, axis=None, epsilon=1e-12, name=None, dim=None",
    "xw_plus_b": "x, weights, biases, name=None",
}


def signature_text(fn):
    """``a, b=1`` for a function's parameters (names and defaults, no annotations)."""
    return ", ".join(p.name if p.default is inspect.Parameter.empty else
                     f"{p.name}={p.default!r}" for p in inspect.signature(fn).parameters.values())


@pytest.mark.parametrize("name", sorted(TF1_SIGNATURES))
def test_tf1_argument_names_and_defaults(name):
    assert signature_text(getattr(tf.nn, name)) == TF1_SIGNATURES[name]


def test_softmax_cross_entropy_label_rules_as_tf():
    # TensorFlow 2.21 (compat.v1) accepts (n, 1, c) labels for (n, c) logits and int
    # labels (taking the logits' dtype); values 1.9459105 and 1.9459101 there.
    logits = tf.placeholder(tf.float32, [None, 7])
    soft = tf.placeholder(tf.float32, [None, 1, 7])
    hard = tf.placeholder(tf.int32, [None, 7])
    a = tf.nn.softmax_cross_entropy_with_logits_v2(labels=soft, logits=logits)
    b = tf.nn.softmax_cross_entropy_with_logits(labels=hard, logits=logits)
    assert a.shape.as_list() == [None] and b.dtype is tf.float32
    with tf.Session() as sess:
        feed = {logits: np.zeros((2, 7)), soft: np.full((2, 1, 7), 1 / 7), hard: np.eye(7)[:2]}
        va, vb = sess.run([a, b], feed)
    np.testing.assert_allclose(va, [np.log(7)] * 2, rtol=1e-6)
    np.testing.assert_allclose(vb, [np.log(7)] * 2, rtol=1e-6)

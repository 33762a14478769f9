"""tf.orthogonal_initializer / tf.initializers.orthogonal (TF1's QR rule with the sign
correction and gain) and tf.losses.mean_pairwise_squared_error (TF1's formula)."""
import itertools

import numpy as np
import pytest

import staticgraph as tf

RNG = np.random.RandomState(5)


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 3, 4), (3, 3, 4, 8), (4, 4)])
def test_orthogonal_rows_or_columns_are_orthonormal_times_gain(shape):
    init = tf.orthogonal_initializer(gain=2.5, seed=3, dtype=tf.float64)(shape)
    with tf.Session() as sess:
        value = sess.run(init)
    assert value.shape == shape and value.dtype == np.float64
    flat = value.reshape(-1, shape[-1])
    small = min(flat.shape)
    gram = flat.T @ flat if flat.shape[0] >= flat.shape[1] else flat @ flat.T
    np.testing.assert_allclose(gram, 2.5 ** 2 * np.eye(small), atol=1e-12)


def test_orthogonal_is_q_of_the_normal_draws_with_the_sign_of_r():
    """TF1's rule on the very samples it draws (same graph and op seed, same draws)."""
    tf.get_default_graph().seed = 1
    for shape, flat in (((6, 4), (6, 4)), ((2, 5), (5, 2))):
        draws = tf.random_normal(flat, dtype=tf.float64, seed=9)
        init = tf.initializers.orthogonal(seed=9, dtype=tf.float64)(shape)
        with tf.Session() as sess:
            a, value = sess.run([draws, init])
        q, r = np.linalg.qr(a)
        q = q * np.sign(np.diag(r))
        np.testing.assert_allclose(value, q if flat == shape else q.T, atol=1e-12)


def test_orthogonal_in_get_variable_errors_and_config():
    v = tf.get_variable("w", [4, 3], initializer=tf.orthogonal_initializer(seed=1))
    assert v.dtype == tf.float32
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w = sess.run(v)
    np.testing.assert_allclose(w.T @ w, np.eye(3), atol=1e-5)
    with pytest.raises(ValueError, match="at least two-dimensional"):
        tf.orthogonal_initializer()([3])
    with pytest.raises(ValueError, match="floating point"):
        tf.orthogonal_initializer(dtype=tf.int32)
    config = tf.initializers.orthogonal(gain=0.5, seed=2).get_config()
    assert config == {"gain": 0.5, "seed": 2, "dtype": "float32"}
    assert tf.initializers.orthogonal.from_config(config).gain == 0.5


def _pairwise_reference(labels, predictions, weights):
    """The mean over pairs of ((p_i - p_j) - (l_i - l_j))**2 per batch entry (every
    element present), weighted and summed."""
    total = 0.0
    for b in range(labels.shape[0]):
        d = (predictions[b] - labels[b]).ravel()
        pairs = [(d[i] - d[j]) ** 2 for i, j in itertools.combinations(range(d.size), 2)]
        total += np.mean(pairs) * np.broadcast_to(weights, labels.shape)[b].ravel()[0]
    return total


def _tf1_formula(labels, predictions, weights):
    """TF1's closed form, in which zero-weight elements still enter the sums of d."""
    axes = tuple(range(1, labels.ndim))
    d = predictions - labels
    n = np.sum(np.broadcast_to(weights != 0, labels.shape), axis=axes, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(n > 1, 2 * np.sum(d * d, axis=axes, keepdims=True) / (n - 1), 0.0)
        t2 = np.where(n > 1, 2 * np.sum(d, axis=axes, keepdims=True) ** 2 / (n * (n - 1)),
                      0.0)
    return np.sum((t1 - t2) * weights)


def test_mean_pairwise_squared_error_matches_the_pairwise_definition_and_tf1_formula():
    labels, predictions = RNG.randn(3, 4, 2), RNG.randn(3, 4, 2)
    batch_weights = np.array([[[1.0]], [[0.5]], [[2.5]]])
    element_weights = (RNG.rand(3, 4, 2) > 0.3) * 1.5
    losses = [tf.losses.mean_pairwise_squared_error(labels, predictions),
              tf.losses.mean_pairwise_squared_error(labels, predictions, batch_weights),
              tf.losses.mean_pairwise_squared_error(labels, predictions, element_weights),
              tf.losses.mean_pairwise_squared_error(labels[:, :1, :1], predictions[:, :1, :1]),
              tf.losses.mean_pairwise_squared_error(labels, predictions, 0.0)]
    with tf.Session() as sess:
        got = sess.run(losses)
    assert all(g.dtype == np.float32 for g in got)
    np.testing.assert_allclose(got[0], _pairwise_reference(labels, predictions, 1.0), rtol=1e-5)
    np.testing.assert_allclose(got[1], _pairwise_reference(labels, predictions, batch_weights),
                               rtol=1e-5)
    np.testing.assert_allclose(got[2], _tf1_formula(labels, predictions, element_weights),
                               rtol=1e-5)
    assert got[3] == 0.0 and got[4] == 0.0  # a single element has no pair; no weight
    assert len(tf.get_collection(tf.GraphKeys.LOSSES)) == 5
    assert losses[0].op.name.startswith("mean_pairwise_squared_error/")


def test_mean_pairwise_squared_error_gradient():
    labels = RNG.randn(2, 5)
    predictions = tf.placeholder(tf.float32, [2, 5])
    weights = np.array([[2.0], [0.5]])
    loss = tf.losses.mean_pairwise_squared_error(labels, predictions, weights)
    grad = tf.gradients(loss, predictions)[0]
    p = RNG.randn(2, 5).astype(np.float32)
    with tf.Session() as sess:
        g = sess.run(grad, {predictions: p})
    d, n = p - labels, 5
    expected = weights * (4 * d / (n - 1) - 4 * d.sum(1, keepdims=True) / (n * (n - 1)))
    np.testing.assert_allclose(g, expected, rtol=1e-4, atol=1e-5)


def test_mean_pairwise_squared_error_bad_input():
    with pytest.raises(ValueError, match="labels"):
        tf.losses.mean_pairwise_squared_error(None, [[1.0]])
    with pytest.raises(ValueError):
        tf.losses.mean_pairwise_squared_error(np.zeros((2, 3)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="weights can not be broadcast"):
        tf.losses.mean_pairwise_squared_error(np.zeros((2, 3)), np.zeros((2, 3)),
                                              np.ones((3, 1)))

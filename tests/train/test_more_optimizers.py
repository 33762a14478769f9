"""Adadelta, FTRL, proximal gradient descent and proximal Adagrad, step by step against
the update rules TF1 documents (NumPy, float64), plus their slots and argument checks."""
import numpy as np
import pytest

import staticgraph as tf

W0 = np.array([1.0, -2.0, 0.5, 0.0, 0.05])
SHIFT = np.array([0.3, -0.1, 0.2, -0.4, 0.01])


def f32(x):
    """A hyperparameter as the optimizer sees it: Python floats become float32 tensors
    (and TF1 casts them to the variable's dtype), so they carry float32 rounding."""
    return float(np.float32(x))


def grad_of(w):
    """The gradient of sum(w² + w⁴/10 + shift·w)."""
    return 2 * w + 0.4 * w ** 3 + SHIFT


def trajectory(optimizer, steps=5):
    w = tf.Variable(W0, name="w")
    loss = tf.reduce_sum(w * w + 0.1 * w * w * w * w + tf.constant(SHIFT) * w)
    train = optimizer.minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = []
        for _ in range(steps):
            sess.run(train)
            out.append(sess.run(w))
    return out


def reference(update, state, steps=5):
    """``update(w, g, state) -> w`` applied ``steps`` times from W0."""
    w, out = W0.copy(), []
    for _ in range(steps):
        w = update(w, grad_of(w), state)
        out.append(w.copy())
    return out


def test_adadelta_rule():
    lr, rho, eps = 0.5, 0.9, 1e-6
    r_lr, r_rho, r_eps = f32(lr), f32(rho), f32(eps)

    def update(w, g, s):
        s["accum"] = r_rho * s["accum"] + (1 - r_rho) * g * g
        u = np.sqrt(s["delta"] + r_eps) / np.sqrt(s["accum"] + r_eps) * g
        s["delta"] = r_rho * s["delta"] + (1 - r_rho) * u * u
        return w - r_lr * u

    expected = reference(update, {"accum": np.zeros(5), "delta": np.zeros(5)})
    got = trajectory(tf.train.AdadeltaOptimizer(lr, rho=rho, epsilon=eps))
    np.testing.assert_allclose(got, expected, rtol=1e-12)


@pytest.mark.parametrize("l1,l2,power,shrink,beta", [
    (0.0, 0.0, -0.5, 0.0, 0.0), (0.2, 0.1, -0.5, 0.0, 0.0), (0.05, 0.0, -0.25, 0.0, 0.0),
    (0.0, 0.05, -0.5, 0.3, 0.4)])
def test_ftrl_rule(l1, l2, power, shrink, beta):
    lr, init = 0.3, 0.1
    l2_total = f32(np.float32(l2) + np.float32(beta) / (np.float32(2) * np.float32(lr)))
    r_lr, r_l1, r_power, r_shrink = f32(lr), f32(l1), f32(power), f32(shrink)

    def update(w, g, s):
        n = s["n"] + g * g
        s["z"] = s["z"] + (g + 2 * r_shrink * w) - (
            n ** -r_power - s["n"] ** -r_power) / r_lr * w
        s["n"] = n
        quadratic = n ** -r_power / r_lr + 2 * l2_total
        return np.where(np.abs(s["z"]) > r_l1,
                        (np.sign(s["z"]) * r_l1 - s["z"]) / quadratic, 0.0)

    expected = reference(update, {"n": np.full(5, init), "z": np.zeros(5)})
    got = trajectory(tf.train.FtrlOptimizer(
        lr, learning_rate_power=power, initial_accumulator_value=init,
        l1_regularization_strength=l1, l2_regularization_strength=l2,
        l2_shrinkage_regularization_strength=shrink, beta=beta))
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


def _prox(v, rate, l1, l2):
    if l1 > 0:
        v = np.sign(v) * np.maximum(np.abs(v) - rate * l1, 0.0)
    return v / (1 + rate * l2)


@pytest.mark.parametrize("l1,l2", [(0.0, 0.0), (0.3, 0.0), (0.0, 0.5), (0.2, 0.4)])
def test_proximal_gradient_descent_rule(l1, l2):
    lr = f32(0.1)
    expected = reference(lambda w, g, s: _prox(w - lr * g, lr, f32(l1), f32(l2)), {})
    got = trajectory(tf.train.ProximalGradientDescentOptimizer(
        lr, l1_regularization_strength=l1, l2_regularization_strength=l2))
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("l1,l2", [(0.0, 0.0), (0.1, 0.2)])
def test_proximal_adagrad_rule(l1, l2):
    lr, init = 0.4, 0.2

    def update(w, g, s):
        s["accum"] = s["accum"] + g * g
        rate = f32(lr) / np.sqrt(s["accum"])
        return _prox(w - rate * g, rate, f32(l1), f32(l2))

    expected = reference(update, {"accum": np.full(5, init)})
    got = trajectory(tf.train.ProximalAdagradOptimizer(
        lr, initial_accumulator_value=init, l1_regularization_strength=l1,
        l2_regularization_strength=l2))
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


def test_l1_makes_exact_zeros():
    got = trajectory(tf.train.FtrlOptimizer(0.3, l1_regularization_strength=2.0), steps=2)
    assert np.count_nonzero(got[-1] == 0.0) >= 3


def test_slot_names_follow_tf1():
    w = tf.Variable(W0, name="w")
    loss = tf.reduce_sum(w * w)
    for optimizer in (tf.train.AdadeltaOptimizer(), tf.train.FtrlOptimizer(0.1),
                      tf.train.ProximalAdagradOptimizer(0.1)):
        optimizer.minimize(loss)
    names = [v.op.name for v in tf.global_variables()]
    assert names == ["w", "w/Adadelta", "w/Adadelta_1", "w/Ftrl", "w/Ftrl_1",
                     "w/ProximalAdagrad"]


def test_bad_hyperparameters_are_refused():
    with pytest.raises(ValueError, match="learning_rate_power"):
        tf.train.FtrlOptimizer(0.1, learning_rate_power=0.5)
    with pytest.raises(ValueError, match="l1_regularization_strength"):
        tf.train.FtrlOptimizer(0.1, l1_regularization_strength=-1.0)
    with pytest.raises(ValueError, match="initial_accumulator_value"):
        tf.train.ProximalAdagradOptimizer(0.1, initial_accumulator_value=0.0)

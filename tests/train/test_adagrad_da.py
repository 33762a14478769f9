"""AdagradDAOptimizer step by step against TF's documented update rule (NumPy)."""
import numpy as np
import pytest

import staticgraph as tf

X = np.array([[1.0, 2.0], [-3.0, 0.5]])
W0 = np.array([[0.5, -1.0], [2.0, 0.3]])
E0 = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
ROWS = [2, 0]


def numpy_da(lr, gg0, l1, l2, steps):
    """TF's ApplyAdagradDA / SparseApplyAdagradDA with T = global step + 1 (the
    hyperparameters are float32 tensors cast to the variables' dtype, as in TF)."""
    lr, l1, l2 = (float(np.float32(v)) for v in (lr, l1, l2))
    w, e = W0.copy(), E0.copy()
    acc = {"w": [np.zeros_like(w), np.full_like(w, gg0)],
           "e": [np.zeros_like(e), np.full_like(e, gg0)]}
    path = []
    for step in range(steps):
        t = step + 1
        grad_w = 2 * X.T @ (X @ w - 1.0)
        grad_e = 2 * e[ROWS]

        def new(g, gg):
            return lr * np.sign(-g) * np.maximum(np.abs(g) - l1 * t, 0) / (
                l2 * t * lr + np.sqrt(gg))
        g, gg = acc["w"]
        g += grad_w
        gg += grad_w ** 2
        w = new(g, gg)
        g, gg = acc["e"]
        g[ROWS] += grad_e
        gg[ROWS] += grad_e ** 2
        e = e.copy()
        e[ROWS] = new(g[ROWS], gg[ROWS])  # the other rows keep their values
        path.append((w, e))
    return path


def train(lr, gg0, l1, l2, steps):
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        w = tf.Variable(W0, name="w")
        e = tf.Variable(E0, name="e")
        loss = (tf.reduce_sum(tf.square(tf.matmul(tf.constant(X), w) - 1.0))
                + tf.reduce_sum(tf.square(tf.gather(e, ROWS))))
        opt = tf.train.AdagradDAOptimizer(lr, step, gg0, l1_regularization_strength=l1,
                                          l2_regularization_strength=l2)
        op = opt.minimize(loss, global_step=step)
        assert opt.get_slot_names() == ["gradient_accumulator",
                                        "gradient_squared_accumulator"]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = []
            for _ in range(steps):
                sess.run(op)
                path.append(sess.run([w, e]))
            return path


@pytest.mark.parametrize("l1,l2", [(0.0, 0.0), (0.3, 0.05), (0.0, 0.5)])
def test_matches_tf_rule_step_by_step(l1, l2):
    got = train(0.1, 0.2, l1, l2, 4)
    want = numpy_da(0.1, 0.2, l1, l2, 4)
    for (gw, ge), (ww, we) in zip(got, want):
        np.testing.assert_allclose(gw, ww, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(ge, we, rtol=1e-12, atol=1e-14)


def test_bad_arguments():
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        with pytest.raises(ValueError, match="must be positive"):
            tf.train.AdagradDAOptimizer(0.1, step, 0.0)
        with pytest.raises(ValueError, match="global_step"):
            tf.train.AdagradDAOptimizer(0.1, None)

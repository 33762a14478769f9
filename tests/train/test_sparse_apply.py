"""The optimizers' sparse paths (TF1's _apply_sparse): same values as the dense path,
TF1's row-only semantics where they differ, duplicate indices summed, rollback."""
import numpy as np
import pytest

import staticgraph as tf

_RNG = np.random.RandomState(0)
_INIT = _RNG.randn(10, 4)
# every row in every batch (so row-only rules agree with dense ones), plus repeats
_BATCHES = [np.r_[np.arange(10), _RNG.randint(0, 10, 6)] for _ in range(5)]

OPTIMIZERS = {
    "sgd": lambda: tf.train.GradientDescentOptimizer(0.1),
    "momentum": lambda: tf.train.MomentumOptimizer(0.1, 0.9),
    "nesterov": lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    "adam": lambda: tf.train.AdamOptimizer(0.1),
    "adagrad": lambda: tf.train.AdagradOptimizer(0.1),
    "rmsprop": lambda: tf.train.RMSPropOptimizer(0.1, momentum=0.5),
    "centered_rmsprop": lambda: tf.train.RMSPropOptimizer(0.1, momentum=0.5, centered=True),
    "adadelta": lambda: tf.train.AdadeltaOptimizer(1.0, rho=0.9, epsilon=1e-3),
    "ftrl": lambda: tf.train.FtrlOptimizer(0.5, l1_regularization_strength=0.01,
                                           l2_regularization_strength=0.1),
    "ftrl_shrinkage": lambda: tf.train.FtrlOptimizer(
        0.5, learning_rate_power=-0.7, l1_regularization_strength=0.01,
        l2_regularization_strength=0.1, l2_shrinkage_regularization_strength=0.2),
    "proximal_gd": lambda: tf.train.ProximalGradientDescentOptimizer(
        0.1, l1_regularization_strength=0.05, l2_regularization_strength=0.1),
    "proximal_adagrad": lambda: tf.train.ProximalAdagradOptimizer(
        0.1, l1_regularization_strength=0.05, l2_regularization_strength=0.1),
}
SPARSE_OP = {"sgd": "ScatterSub", "momentum": "SparseApplyMomentum",
             "nesterov": "SparseApplyNesterovMomentum", "adam": "SparseApplyAdam",
             "adagrad": "SparseApplyAdagrad", "rmsprop": "SparseApplyRMSProp",
             "centered_rmsprop": "SparseApplyCenteredRMSProp", "adadelta": "SparseApplyAdadelta",
             "ftrl": "SparseApplyFtrlV2", "ftrl_shrinkage": "SparseApplyFtrlV2",
             "proximal_gd": "SparseApplyProximalGradientDescent",
             "proximal_adagrad": "SparseApplyProximalAdagrad"}


def _train(make, sparse, batches):
    graph = tf.Graph()
    with graph.as_default():
        table = tf.Variable(_INIT, name="E")
        ids = tf.placeholder(tf.int32, [None])
        # through tf.identity(table) * 1 the gradient reaching the variable is dense
        source = table if sparse else tf.identity(table) * 1.0
        loss = tf.reduce_sum(tf.sin(tf.gather(source, ids)) * np.arange(1.0, 5.0))
        step = make().minimize(loss)
        types = {op.type for op in graph.get_operations()}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for batch in batches:
                sess.run(step, {ids: batch})
            return sess.run(table), types


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_sparse_path_gives_the_dense_values(name):
    sparse, types = _train(OPTIMIZERS[name], True, _BATCHES)
    dense, dense_types = _train(OPTIMIZERS[name], False, _BATCHES)
    assert SPARSE_OP[name] in types and SPARSE_OP[name] not in dense_types
    np.testing.assert_allclose(sparse, dense, rtol=1e-12, atol=1e-12)
    assert not np.allclose(sparse, _INIT)


@pytest.mark.parametrize("name", ["sgd", "adagrad", "adam"])
def test_rules_without_row_state_agree_on_any_subset_of_rows(name):
    batches = [np.array([3, 3, 7]), np.array([0, 7])]
    sparse, _ = _train(OPTIMIZERS[name], True, batches)
    dense, _ = _train(OPTIMIZERS[name], False, batches)
    np.testing.assert_allclose(sparse, dense, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", ["momentum", "rmsprop", "ftrl_shrinkage", "proximal_gd",
                                  "proximal_adagrad"])
def test_rows_outside_the_gradient_do_not_move(name):
    """TF1's sparse updates touch only the gradient's rows, whereas the dense rule keeps
    moving a row with momentum left from an earlier step (or shrinks it with its L1/L2
    terms while its gradient is zero)."""
    batches = [np.array([1, 2]), np.array([2])]
    sparse, _ = _train(OPTIMIZERS[name], True, batches)
    dense, _ = _train(OPTIMIZERS[name], False, batches)
    first, _ = _train(OPTIMIZERS[name], True, batches[:1])
    np.testing.assert_array_equal(sparse[1], first[1])
    assert not np.allclose(dense[1], first[1])
    np.testing.assert_array_equal(sparse[[0, 3]], _INIT[[0, 3]])


def test_repeated_indices_are_summed_before_the_update():
    """Adagrad on rows [4, 4] equals one update with the summed gradient (TF1's
    _deduplicate_indexed_slices), not two updates."""
    twice, _ = _train(OPTIMIZERS["adagrad"], True, [np.array([4, 4])])
    table = tf.Variable(_INIT, name="E")
    grad = 2 * np.cos(_INIT[4]) * np.arange(1.0, 5.0)
    step = tf.train.AdagradOptimizer(0.1).apply_gradients(
        [(tf.IndexedSlices(tf.constant(grad[None]), tf.constant([4]), tf.constant([10, 4])),
          table)])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        np.testing.assert_allclose(sess.run(table), twice, rtol=1e-13)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_a_failed_step_leaves_variables_and_slots_unchanged(name):
    table = tf.Variable(_INIT, name="E")
    ids = tf.placeholder(tf.int32, [None])
    bad = tf.placeholder(tf.int32, [None])
    opt = OPTIMIZERS[name]()
    step = opt.minimize(tf.reduce_sum(tf.sin(tf.gather(table, ids))))
    with tf.control_dependencies([step]):
        fails = tf.gather(table, bad)  # after the update: fails on a bad index
    variables = tf.global_variables()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(2):  # the second step updates arrays in place
            sess.run(step, {ids: [1, 2, 2]})
        before = sess.run(variables)
        with pytest.raises(Exception, match="index 99"):
            sess.run(fails, {ids: [1, 5], bad: [99]})
        for old, new in zip(before, sess.run(variables)):
            np.testing.assert_array_equal(old, new)


def test_locked_sparse_adam_updates_the_values_current_under_the_lock():
    """With use_locking the kernel must not use the arrays it was handed (read before the
    lock: another run may have updated the variable since) but the ones the state holds."""
    import contextlib

    from staticgraph.core.registry import registered_ops

    class State:
        def __init__(self, arrays):
            self.arrays = arrays

        @contextlib.contextmanager
        def locked(self, keys):
            yield

        def read(self, key):
            return self.arrays[key]

        def assign(self, key, value):
            self.arrays[key] = value
            return value

    current = {"v": np.array([[1.0, 2.0], [3.0, 4.0]]), "m": np.full((2, 2), 0.5),
               "s": np.full((2, 2), 0.25)}
    stale = [np.zeros((2, 2))] * 3
    kernel = registered_ops()["SparseApplyAdam"].kernel
    scalars = [np.float64(x) for x in (0.9, 0.999, 0.1, 0.9, 0.999, 1e-8)]
    args = (np.ones((1, 2)), np.array([1]))
    locked = kernel(State(dict(current)), *stale, *scalars, *args, var_keys=("v", "m", "s"),
                    use_locking=True)
    unlocked = kernel(State(dict(current)), *current.values(), *scalars, *args,
                      var_keys=("v", "m", "s"))
    np.testing.assert_array_equal(locked, unlocked)

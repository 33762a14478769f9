"""tensor_scatter_nd_*, scatter_nd_* and scatter_max/min on variables, batch_gather and
batch_scatter_update: gradients (TF1's rules), duplicate indices, failed runs leaving
variables unchanged, and errors naming the op and the shapes."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase
from tests.ops.array_op_helpers import assert_gradient_ok, run

RNG = np.random.RandomState(3)
IDX = [[1], [3]]
IDX2 = [[0, 2], [1, 1], [0, 0]]


def _apart(shape):
    """Values far apart, so a max/min has no ties within finite-difference steps."""
    return RNG.permutation(int(np.prod(shape))).reshape(shape) * 0.37


GRADIENT_CASES = [
    GradCase("tensor_scatter_nd_update",
             lambda t, u: tf.tensor_scatter_nd_update(t, IDX, u), [RNG.randn(4, 2),
                                                                    RNG.randn(2, 2)]),
    GradCase("tensor_scatter_nd_add_repeated",
             lambda t, u: tf.tensor_scatter_nd_add(t, [[1], [3], [1]], u),
             [RNG.randn(4, 2), RNG.randn(3, 2)], order=2),
    GradCase("tensor_scatter_nd_sub_2d_index",
             lambda t, u: tf.tensor_scatter_nd_sub(t, IDX2, u), [RNG.randn(2, 3),
                                                                 RNG.randn(3)]),
    GradCase("tensor_scatter_nd_max",
             lambda t, u: tf.tensor_scatter_nd_max(t, [[0], [2], [0]], u),
             [_apart((3, 2)), _apart((3, 2)) - 1.0]),
    GradCase("tensor_scatter_nd_min",
             lambda t, u: tf.tensor_scatter_nd_min(t, IDX2, u), [_apart((2, 3)), _apart(3)]),
    GradCase("tensor_scatter_aliases",
             lambda t, u: [tf.tensor_scatter_update(t, IDX, u), tf.tensor_scatter_add(t, IDX, u),
                           tf.tensor_scatter_sub(t, IDX, u)], [RNG.randn(4), RNG.randn(2)]),
    GradCase("batch_gather", lambda p: tf.batch_gather(p, [[2, 0], [1, 1]]),
             [RNG.randn(2, 3, 2)]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    assert_gradient_ok(case)


def test_tensor_scatter_values_and_repeated_indices():
    t = np.array([1.0, 2.0, 3.0, 4.0])
    idx = [[1], [1], [3]]
    upd, add, sub, big, small = run(tf.tensor_scatter_nd_update(t, idx, [9.0, 8.0, 7.0]),
                                    tf.tensor_scatter_nd_add(t, idx, [9.0, 8.0, 7.0]),
                                    tf.tensor_scatter_nd_sub(t, idx, [9.0, 8.0, 7.0]),
                                    tf.tensor_scatter_nd_max(t, idx, [9.0, 8.0, 1.0]),
                                    tf.tensor_scatter_nd_min(t, idx, [9.0, 0.5, 1.0]))
    assert upd.tolist() == [1.0, 8.0, 3.0, 7.0]  # the last update wins (TF: [1 8 3 7])
    assert add.tolist() == [1.0, 19.0, 3.0, 11.0]  # repeats add up (TF: [1 19 3 11])
    assert sub.tolist() == [1.0, -15.0, 3.0, -3.0]
    assert big.tolist() == [1.0, 9.0, 3.0, 4.0]  # TF: [1 9 3 4]
    assert small.tolist() == [1.0, 0.5, 3.0, 1.0]
    slices = run(tf.tensor_scatter_nd_update(np.zeros((3, 2)), [[2]], [[5.0, 6.0]]))[0]
    assert slices.tolist() == [[0, 0], [0, 0], [5, 6]]


def test_tf1_gradient_rules_for_overwrites_and_ties():
    t = tf.constant([1.0, 2.0, 3.0])
    u = tf.constant([5.0, 6.0])
    out = tf.tensor_scatter_nd_update(t, [[1], [1]], u)
    gt, gu = run(*tf.gradients(out * [1.0, 10.0, 100.0], [t, u]))
    # TF1: the overwritten entry of t gets 0, every update (also the overwritten one) the
    # gradient at its index
    assert gt.tolist() == [1.0, 0.0, 100.0] and gu.tolist() == [10.0, 10.0]
    ties = tf.constant([1.0, 1.0])
    gt, gu = run(*tf.gradients(tf.tensor_scatter_nd_max(t, [[0], [0]], ties), [t, ties]))
    # three holders of the maximum 1.0 at index 0 share its gradient equally
    np.testing.assert_allclose(gt, [1 / 3, 1.0, 1.0])
    np.testing.assert_allclose(gu, [1 / 3, 1 / 3])


def test_tensor_scatter_errors():
    with pytest.raises(ValueError, match=r"TensorScatterUpdate.*updates of shape \(3,\) do not "
                                         r"match indices of shape \(2, 1\)"):
        tf.tensor_scatter_nd_update(np.zeros(4), IDX, np.ones(3))
    with pytest.raises(TypeError, match="TensorScatterAdd.*indices must be int32"):
        tf.tensor_scatter_nd_add(np.zeros(4), tf.constant([[1.0]]), [1.0])
    with tf.Session() as sess, pytest.raises(
            tf.errors.InvalidArgumentError,
            match=r"indices\[0\] = \[5\] does not index into the tensor of shape \(4,\)"):
        sess.run(tf.tensor_scatter_nd_update(np.zeros(4), [[5]], [9.0]))


def _var():
    return tf.Variable(np.arange(6.0).reshape(3, 2), name="v")


def test_variable_nd_scatters_and_max_min():
    v = _var()
    start = np.arange(6.0).reshape(3, 2)
    with tf.Session() as sess:
        sess.run(v.initializer)
        added = sess.run(tf.scatter_nd_add(v, [[0, 1], [0, 1], [2, 0]], [1.0, 2.0, 3.0]))
        expected = start.copy()
        expected[0, 1] += 3.0
        expected[2, 0] += 3.0
        np.testing.assert_array_equal(added, expected)
        expected[1] -= [1.0, 1.0]
        np.testing.assert_array_equal(sess.run(tf.scatter_nd_sub(v, [[1]], [[1.0, 1.0]])),
                                      expected)
        expected[2, 1] = -4.0
        np.testing.assert_array_equal(sess.run(tf.scatter_nd_update(v, [[2, 1]], [-4.0])),
                                      expected)
        expected[0] = np.maximum(expected[0], [10.0, -10.0])
        np.testing.assert_array_equal(sess.run(tf.scatter_max(v, [0], [[10.0, -10.0]])),
                                      expected)
        expected[1] = np.minimum(expected[1], np.minimum([0.5, 9.0], [7.0, -2.0]))
        np.testing.assert_array_equal(
            sess.run(tf.scatter_min(v, [1, 1], [[0.5, 9.0], [7.0, -2.0]])), expected)
        np.testing.assert_array_equal(sess.run(v), expected)


def test_a_failed_run_leaves_the_variable_unchanged():
    v = _var()
    step = tf.group(tf.scatter_nd_add(v, [[0, 0]], [100.0]),
                    tf.scatter_nd_update(v, [[1, 5]], [1.0], name="too_far"))
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"too_far.*indices\[0\] = \[1, 5\] does not index into "
                                 r"variable v of shape \(3, 2\)"):
            sess.run(step)
        np.testing.assert_array_equal(sess.run(v), np.arange(6.0).reshape(3, 2))


def test_variable_scatter_build_errors():
    v = _var()
    with pytest.raises(ValueError, match=r"ScatterNdUpdate.*updates of shape \(2,\) do not "
                                         r"match indices of shape \(1, 2\)"):
        tf.scatter_nd_update(v, [[0, 1]], [1.0, 2.0])
    with pytest.raises(ValueError, match="requested dtype float64 for Tensor .* int32"):
        tf.scatter_nd_add(v, [[0, 1]], tf.constant([1]))
    with pytest.raises(ValueError, match="ScatterNdAdd.*index more dimensions than"):
        tf.scatter_nd_add(v, [[0, 1, 0]], [1.0])
    with pytest.raises(ValueError, match="ScatterMax.*updates of shape"):
        tf.scatter_max(v, [0], np.ones((1, 3)))


def test_batch_gather_and_batch_scatter_update():
    params = np.arange(24).reshape(2, 3, 4)
    got = run(tf.batch_gather([[1, 2, 3], [4, 5, 6]], [[2, 0], [1, 1]]),
              tf.batch_gather(params, [[2], [0]]))
    assert got[0].tolist() == [[3, 1], [5, 5]]  # TF: [[3 1] [5 5]]
    np.testing.assert_array_equal(got[1], params[[0, 1], [2, 0]][:, None])
    v = tf.Variable(np.zeros((2, 3)))
    with tf.Session() as sess:
        sess.run(v.initializer)
        out = sess.run(tf.batch_scatter_update(v, [[2, 0], [1, 1]], [[1.0, 2.0], [3.0, 4.0]]))
    assert out.tolist() == [[2.0, 0.0, 1.0], [0.0, 4.0, 0.0]]
    dynamic = tf.batch_gather(tf.placeholder(tf.float32, [None, 5]),
                              tf.placeholder(tf.int32, [None, 2]))
    with tf.Session() as sess:
        value = sess.run(dynamic, {"Placeholder:0": np.arange(10.0).reshape(2, 5),
                                   "Placeholder_1:0": [[4, 0], [1, 3]]})
    assert value.tolist() == [[4.0, 0.0], [6.0, 8.0]]

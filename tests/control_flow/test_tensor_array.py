"""tf.TensorArray, map_fn, scan, foldl/foldr: values, errors, and derivatives against finite
differences in float64 (reverse and forward mode, through while_loop)."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case
from tests.control_flow.test_derivatives import run_session

rng = np.random.RandomState(1)
X = rng.uniform(-1, 1, size=(4, 3))
V = rng.uniform(0.5, 1.5, size=(3,))


def _written_in_loop(x):
    reader = tf.TensorArray(tf.float64, size=4).unstack(x)
    out = tf.TensorArray(tf.float64, size=4)  # element shape unknown: an unset buffer

    def body(i, acc, out):
        acc = tf.sin(reader.read(i)) + acc * 0.5
        return i + 1, acc, out.write(i, acc * reader.read(3 - i))
    return tf.while_loop(lambda i, a, o: i < 4, body,
                         [0, tf.zeros([3], tf.float64), out])[2].stack()


def _dynamic_size(x):
    out = tf.TensorArray(tf.float64, size=0, dynamic_size=True, element_shape=[3])
    out = tf.while_loop(lambda i, o: i < 3, lambda i, o: (i + 1, o.write(i, x[i] * x[i + 1])),
                        [0, out])[1]
    return out.concat()


def _scatter_gather(x):
    ta = tf.TensorArray(tf.float64, size=5).scatter([4, 0, 2], tf.exp(x[:3]))
    ta = ta.write(1, x[3] * 2.0)
    return [ta.stack(), ta.gather([2, 1]) * ta.read(4)]


def _map(x):
    return tf.map_fn(lambda r: tf.reduce_sum(tf.sin(r) * r), x)


def _scan(x):
    return tf.scan(lambda a, r: tf.tanh(a * r + r), x)


def _scan_reverse_init(x, v):
    return tf.scan(lambda a, r: a * r + v, x, initializer=v, reverse=True)


def _folds(x, v):
    return [tf.foldl(lambda a, r: tf.sin(a) * r, x, initializer=v),
            tf.foldr(lambda a, r: a * r, x)]


def _reads_own_rows(x):
    def body(i, ta):
        return i + 1, ta.write(i, tf.sin(tf.reduce_sum(ta.stack(), 0)) + x[i])
    return tf.while_loop(lambda i, ta: i < 4, body,
                         [0, tf.TensorArray(tf.float64, size=4, element_shape=[3])])[1].stack()


GRADIENT_CASES = [
    GradCase("TensorArray-write-read-in-while", _written_in_loop, [X]),
    GradCase("TensorArray-dynamic-size-concat", _dynamic_size, [X]),
    GradCase("TensorArray-scatter-gather", _scatter_gather, [X]),
    GradCase("map_fn", _map, [X]),
    GradCase("scan", _scan, [X]),
    GradCase("scan-reverse-initializer", _scan_reverse_init, [X, V]),
    GradCase("foldl-foldr", _folds, [X, V]),
    GradCase("TensorArray-body-reads-its-buffer", _reads_own_rows, [X]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradient(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


def test_values():
    x = tf.constant(X)
    ta = tf.TensorArray(tf.float64, size=4).unstack(x)
    stacked, size, read, conc = run_session([ta.stack(), ta.size(), ta.read(2), ta.concat()])
    np.testing.assert_array_equal(stacked, X)
    assert size == 4
    np.testing.assert_array_equal(read, X[2])
    np.testing.assert_array_equal(conc, X.reshape(-1))
    scanned, fl, fr, mapped = run_session([tf.scan(lambda a, r: a + r, x), tf.foldl(lambda a, r: a - r, x),
                                    tf.foldr(lambda a, r: a - r, x),
                                    tf.map_fn(lambda r: r * 2, x)])
    np.testing.assert_allclose(scanned, np.cumsum(X, 0))
    np.testing.assert_allclose(fl, X[0] - X[1] - X[2] - X[3])
    np.testing.assert_allclose(fr, X[3] - X[2] - X[1] - X[0])
    np.testing.assert_allclose(mapped, X * 2)


def test_map_fn_with_dtype_structure():
    x = tf.constant(X)
    total, doubled = tf.map_fn(lambda r: (tf.reduce_sum(r), tf.cast(r * 2, tf.float32)), x,
                               dtype=(tf.float64, tf.float32))
    assert doubled.shape.as_list() == [4, 3] and doubled.dtype == tf.float32
    t, d = run_session([total, doubled])
    np.testing.assert_allclose(t, X.sum(1))
    np.testing.assert_allclose(d, (X * 2).astype(np.float32))


def test_static_shapes_follow_element_shape():
    ta = tf.TensorArray(tf.float32, size=3, element_shape=[2])
    assert ta.stack().shape.as_list() == [3, 2]
    assert ta.write(0, tf.ones([2])).read(0).shape.as_list() == [2]
    with pytest.raises(ValueError, match="Inconsistent shapes"):
        ta.write(0, tf.ones([3]))


def test_write_past_the_end_is_an_error_unless_dynamic():
    ta = tf.TensorArray(tf.float64, size=2).write(tf.constant(2), tf.constant([1.0], tf.float64))
    with pytest.raises(tf.errors.InvalidArgumentError, match="index 2 but the array size is 2"):
        run_session(ta.stack())
    grown = tf.TensorArray(tf.float64, size=2, dynamic_size=True).write(3, tf.constant([1.0], tf.float64))
    np.testing.assert_array_equal(run_session(grown.stack()), [[0], [0], [0], [1]])


def test_write_of_other_dtype_is_an_error():
    with pytest.raises(TypeError, match="TensorArray has dtype float64"):
        tf.TensorArray(tf.float64, size=2).write(0, tf.constant([1], tf.int32))


def _while_op(tensor):
    return next(op for op in tensor.graph.get_operations() if op.type == "While")


def test_loop_writes_in_place_only_when_nothing_else_reads_the_buffer():
    x = tf.constant(X)
    start = tf.TensorArray(tf.float64, size=4).write(0, x[0])

    def body(i, ta):
        return i + 1, ta.write(i, x[i] * 2.0)
    _, owned = tf.while_loop(lambda i, ta: i < 4, body, [1, start])
    assert _while_op(owned.flow).get_attr("owned") == (1,)
    # the buffer before the loop is not written into, and a second run gives the same
    first, before = run_session([owned.stack(), start.stack()])
    np.testing.assert_array_equal(first, np.vstack([X[:1], X[1:] * 2.0]))
    np.testing.assert_array_equal(before, np.vstack([X[:1], np.zeros((3, 3))]))
    # the loop's gradient zeroes the written rows of the buffer's gradient in place too
    weights = tf.constant(np.arange(12.0).reshape(4, 3))
    grad = tf.gradients(tf.reduce_sum(owned.stack() * weights), x)[0]
    grad_op = next(op for op in grad.graph.get_operations() if op.type == "WhileGrad")
    assert grad_op.get_attr("grad_owned") == (0,)
    want = np.arange(12.0).reshape(4, 3) * [[1], [2], [2], [2]]
    np.testing.assert_array_equal(run_session(grad), want)
    np.testing.assert_array_equal(run_session(grad), want)


def test_loop_reading_its_buffer_keeps_copying():
    x = tf.constant(X)

    def body(i, ta):  # reads every row written so far: the buffer must not change under it
        return i + 1, ta.write(i, tf.reduce_sum(ta.stack(), 0) + x[i])
    _, ta = tf.while_loop(lambda i, ta: i < 4, body,
                          [0, tf.TensorArray(tf.float64, size=4, element_shape=[3])])
    assert _while_op(ta.flow).get_attr("owned") == ()
    want, total = [], np.zeros(3)
    for row in X:
        want.append(total + row)
        total = total + want[-1]
    np.testing.assert_allclose(run_session(ta.stack()), want)

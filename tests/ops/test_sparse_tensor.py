"""SparseTensor, tf.sparse and embedding_lookup_sparse: values against TensorFlow's
(recorded by tools/tf_sparse_fixtures.py from sparse_tf_cases.py), feeding and fetching,
gradients by finite differences, and errors."""
import json
import pathlib

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case
from staticgraph.ops.indexed_slices import IndexedSlicesValue
from tests.ops.sparse_tf_cases import CASES

FIXTURE = pathlib.Path(__file__).parent.parent / "fixtures" / "tf_sparse_ops.json"
EXPECTED = json.loads(FIXTURE.read_text())["cases"]
RNG = np.random.RandomState(15)
IDX = [[0, 0], [0, 2], [1, 1], [2, 0], [2, 3]]


def _decoded(record):
    if record["dtype"] == "bytes":
        return np.array([v.encode() for v in record["values"]],
                        dtype=object).reshape(record["shape"])
    values = [np.nan if v is None else v for v in record["values"]]
    return np.array(values, dtype=record["dtype"]).reshape(record["shape"])


def test_every_case_has_a_recording():
    assert sorted(EXPECTED) == sorted(name for name, _ in CASES)


@pytest.mark.parametrize("name, build", CASES, ids=[c[0] for c in CASES])
def test_matches_tensorflow(name, build):
    with tf.Graph().as_default(), tf.Session() as sess:
        built = build(tf)
        got = sess.run(built if isinstance(built, list) else [built])
    flat = [p for v in got for p in (v if isinstance(v, tf.SparseTensorValue) else [v])]
    expected = [_decoded(r) for r in EXPECTED[name]]
    assert len(flat) == len(expected)
    for i, (g, e) in enumerate(zip(flat, expected)):
        g = np.asarray(g)
        assert g.shape == e.shape, (name, i, g.shape, e.shape)
        if e.dtype.kind in "fc":
            np.testing.assert_allclose(g, e, rtol=1e-6, atol=1e-6, err_msg=f"{name}[{i}]")
        else:
            np.testing.assert_array_equal(g, e, err_msg=f"{name}[{i}]")


def _sp(values, indices=IDX, shape=(3, 4)):
    return tf.SparseTensor(indices, values, shape)


def _ids():
    return tf.SparseTensor([[0, 0], [0, 1], [2, 0], [2, 1]], np.array([1, 3, 5, 1], np.int64),
                           [3, 2])


GRADIENT_CASES = [
    GradCase("sparse_to_dense", lambda v: tf.sparse.to_dense(_sp(v)), [RNG.randn(5)]),
    GradCase("sparse_reduce_sum", lambda v: [tf.sparse_reduce_sum(_sp(v), 1),
                                             tf.sparse_reduce_sum(_sp(v)),
                                             tf.sparse_reduce_sum_sparse(_sp(v), 0).values],
             [RNG.randn(5)]),
    GradCase("sparse_reduce_max", lambda v: [tf.sparse_reduce_max(_sp(v), 0),
                                             tf.sparse_reduce_max_sparse(_sp(v), 1).values],
             [RNG.randn(5)]),
    GradCase("sparse_add", lambda u, v: tf.sparse_add(
        _sp(u), _sp(v, [[0, 2], [1, 0], [2, 3]])).values, [RNG.randn(5), RNG.randn(3)]),
    GradCase("sparse_add_dense", lambda u, d: tf.sparse_add(_sp(u), d),
             [RNG.randn(5), RNG.randn(3, 4)]),
    GradCase("sparse_maximum_minimum", lambda u, v: [
        tf.sparse_maximum(_sp(u), _sp(v, [[0, 2], [1, 0], [2, 3]])).values,
        tf.sparse_minimum(_sp(u), _sp(v, [[0, 2], [1, 0], [2, 3]])).values],
        [np.array([0.5, -1.2, 2.0, 0.7, -0.3]), np.array([1.1, 0.4, -0.9])]),
    GradCase("sparse_softmax", lambda v: tf.sparse_softmax(_sp(v)).values, [RNG.randn(5)]),
    GradCase("sparse_tensor_dense_matmul", lambda v, b: [
        tf.sparse_tensor_dense_matmul(_sp(v), b),
        tf.sparse_tensor_dense_matmul(_sp(v), tf.transpose(b), adjoint_b=True),
        tf.sparse_tensor_dense_matmul(_sp(v), b[:3], adjoint_a=True)],
        [RNG.randn(5), RNG.randn(4, 2)]),
    GradCase("sparse_segment_reductions", lambda d: [
        tf.sparse_segment_sum(d, [0, 2, 1, 2], [0, 0, 1, 3]),
        tf.sparse_segment_mean(d, [0, 2, 1, 2], [0, 0, 1, 3]),
        tf.sparse_segment_sqrt_n(d, [0, 2, 1, 2], [0, 0, 1, 3]),
        tf.sparse_segment_mean(d, [2, 1], [3, 0], num_segments=5)], [RNG.randn(3, 2)]),
    GradCase("sparse_rearranged", lambda v: [
        tf.sparse_reorder(_sp(v, IDX[::-1])).values,
        tf.sparse_concat(1, [_sp(v), _sp(v)]).values,
        tf.sparse_slice(_sp(v), [1, 0], [2, 2]).values,
        tf.sparse_transpose(_sp(v)).values,
        tf.sparse_retain(_sp(v), [True, False, True, True, False]).values,
        tf.sparse_reshape(_sp(v), [2, -1]).values], [RNG.randn(5)]),
    GradCase("sparse_times_and_over_dense", lambda v, d: [
        (_sp(v) * d).values, (_sp(v) / tf.exp(d[:, :1])).values, (_sp(v) * d[0]).values],
        [RNG.randn(5), RNG.randn(3, 4)]),
    GradCase("sparse_fill_empty_rows", lambda v, d: tf.sparse_fill_empty_rows(
        _sp(v, [[1, 0], [1, 2]]), tf.reshape(d, []))[0].values, [RNG.randn(2), RNG.randn(1)]),
    GradCase("embedding_lookup_sparse", lambda t, w: [
        tf.nn.embedding_lookup_sparse(t, _ids(), None, combiner=c) for c in
        ("sum", "mean", "sqrtn")] + [
        tf.nn.embedding_lookup_sparse(t, _ids(), _sp(w, _ids().indices, [3, 2]), combiner=c)
        for c in ("sum", "mean", "sqrtn")], [RNG.randn(6, 2), RNG.uniform(0.5, 2, 4)]),
    GradCase("safe_embedding_lookup_sparse", lambda t, w: tf.nn.safe_embedding_lookup_sparse(
        t, _ids(), _sp(w, _ids().indices, [3, 2])), [RNG.randn(6, 2), RNG.uniform(0.5, 2, 4)]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


def test_embedding_gradient_is_indexed_slices():
    table = tf.Variable(np.arange(12.0).reshape(6, 2))
    out = tf.nn.embedding_lookup_sparse(table, _ids(), None, combiner="sum")
    grad = tf.gradients(tf.reduce_sum(out), table)[0]
    assert isinstance(grad, tf.IndexedSlices)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        value = sess.run(grad)
    assert isinstance(value, IndexedSlicesValue)
    dense = np.zeros((6, 2))
    np.add.at(dense, value.indices, value.values)
    np.testing.assert_array_equal(dense[:, 0], [0, 2, 0, 1, 0, 1])


def test_feed_and_fetch_sparse_placeholder():
    sp = tf.sparse_placeholder(tf.float32, shape=[None, 3], name="sp")
    assert sp.shape.as_list() == [None, 3]
    total = tf.sparse_reduce_sum(sp, 1)
    with tf.Session() as sess:
        value = tf.SparseTensorValue([[0, 0], [1, 2]], [1.0, 2.0], [2, 3])
        got = sess.run([sp, total], {sp: value})
        np.testing.assert_array_equal(got[1], [1.0, 2.0])
        assert isinstance(got[0], tf.SparseTensorValue)
        np.testing.assert_array_equal(got[0].indices, value.indices)
        only = sess.run(sp, {sp: ([[1, 1]], [5.0], [2, 3])})
        np.testing.assert_array_equal(only.values, [5.0])
        call = sess.make_callable(total, [sp])
        np.testing.assert_array_equal(call(([[0, 1]], [4.0], [1, 3])), [4.0])
        with pytest.raises(TypeError, match="SparseTensorValue or an"):
            sess.run(total, {sp: np.ones(3)})


def test_fetch_indexed_slices_keeps_structure():
    slices = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([3]))
    with tf.Session() as sess:
        got = sess.run({"g": slices, "n": tf.constant(1)})
    assert got["n"] == 1 and got["g"].dense_shape is None
    np.testing.assert_array_equal(got["g"].indices, [3])


def test_sparse_tensor_attributes_and_conversion():
    a = tf.SparseTensor([[0, 0], [1, 2]], [1.0, 2.0], [2, 3])
    assert a.dtype == tf.float32 and a.shape.as_list() == [2, 3]
    assert a.indices.dtype == tf.int64 and a.op is a.values.op and a.graph is a.values.graph
    assert tf.convert_to_tensor_or_sparse_tensor(a) is a
    made = tf.convert_to_tensor_or_sparse_tensor(tf.SparseTensorValue([[0]], [1.0], [2]))
    assert isinstance(made, tf.SparseTensor)
    assert isinstance(tf.convert_to_tensor_or_indexed_slices([1.0]), tf.Tensor)
    assert tf.sparse_reduce_sum(a, 1, keepdims=True).shape.as_list() == [2, 1]
    assert tf.sparse_tensor_dense_matmul(a, np.ones((3, 5), np.float32)).shape.as_list() \
        == [2, 5]
    assert "SparseReduceIndex" in {op.type for op in a.consumers()}
    with tf.Session():
        np.testing.assert_array_equal(a.eval().dense_shape, [2, 3])


@pytest.mark.parametrize("build, error, message", [
    (lambda: tf.SparseTensor([[0, 0]], [1.0, 2.0], [2, 3]), ValueError, "as many entries"),
    (lambda: tf.SparseTensor(tf.constant([[0, 0]]), [1.0], [2, 3]), TypeError,
     "indices must be int64, got int32"),
    (lambda: tf.sparse_reshape(tf.SparseTensor([[0, 0]], [1.0], [2, 3]), [4, 2]),
     ValueError, r"6 elements\) to shape \[4, 2\]"),
    (lambda: tf.sparse_tensor_dense_matmul(tf.SparseTensor([[0, 0]], [1.0], [2, 3]),
                                           np.ones((4, 2), np.float32)),
     ValueError, "inner dimensions differ"),
    (lambda: tf.sparse_tensor_dense_matmul(tf.SparseTensor([[0, 0]], [1.0], [2, 3]),
                                           np.ones((3, 2))), TypeError, "float64"),
    (lambda: tf.nn.embedding_lookup_sparse(np.ones((3, 2)), tf.SparseTensor(
        [[0, 0]], np.array([1], np.int64), [1, 1]), None, combiner="max"),
     ValueError, "combiner"),
    (lambda: tf.sets.set_union([[1.0]], [[2.0]]), TypeError, "integers or strings"),
])
def test_build_errors(build, error, message):
    with tf.Graph().as_default(), pytest.raises(error, match=message):
        build()


@pytest.mark.parametrize("build, message", [
    (lambda: tf.sparse.to_dense(tf.SparseTensor([[1, 0], [0, 0]], [1.0, 2.0], [2, 2])),
     "lexicographic order"),
    (lambda: tf.sparse_reorder(tf.SparseTensor([[0, 5]], [1.0], [2, 3])),
     r"SparseReorder: index \[0, 5\] \(entry 0\) is out of bounds of dense_shape \[2, 3\]"),
    (lambda: tf.sparse_add(tf.SparseTensor([[0, 0]], [1.0], [2, 3]),
                           tf.SparseTensor([[0, 0]], [1.0], [3, 3])), "one dense shape"),
    (lambda: tf.sparse_concat(1, [tf.SparseTensor([[0, 0]], [1.0], [2, 3]),
                                  tf.SparseTensor([[0, 0]], [1.0], [3, 2])]),
     "expand_nonconcat_dim"),
    (lambda: tf.sparse_segment_sum(np.ones((3, 2)), [0, 1, 2], [1, 0, 1]), "must be sorted"),
    (lambda: tf.sets.set_union([[1, 2]], [[1], [2]]), r"batch dimensions of a \[1, 2\]"),
    (lambda: tf.edit_distance(tf.SparseTensor([[0, 0]], [1], [1, 1]),
                              tf.SparseTensor([[0, 0, 0]], [1], [1, 1, 1])), "one rank"),
])
def test_run_errors_name_the_op(build, message):
    with tf.Graph().as_default(), tf.Session() as sess:
        out = build()
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            sess.run(out)

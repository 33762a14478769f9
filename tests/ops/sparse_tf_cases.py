"""Sparse-op expressions written against TF1's API, run by tools/tf_sparse_fixtures.py
under TensorFlow to record expected values and by test_sparse_fidelity.py under
staticgraph to compare. Each case is ``(name, build(tf))``; ``build`` returns a
SparseTensor, a tensor or a list of them, from constants only (a SparseTensor is
recorded as its indices, values and dense_shape)."""
import numpy as np

I64 = np.int64
TABLE = np.arange(12.0).reshape(6, 2)
SET_A = np.array([[1, 2, 3], [4, 5, 6]], np.int32)
SET_B = np.array([[2, 3, 9], [6, 6, 4]], np.int32)


def _a(tf):
    return tf.SparseTensor([[0, 0], [1, 2]], [1.0, 2.0], [2, 3])


def _b(tf):
    return tf.SparseTensor([[0, 0], [1, 1]], [-1.0, 5.0], [2, 3])


def _ids(tf):
    return tf.SparseTensor([[0, 0], [0, 1], [2, 0]], np.array([1, 3, 5], I64), [3, 2])


def _weights(tf):
    return tf.SparseTensor([[0, 0], [0, 1], [2, 0]], [1.0, 2.0, 3.0], [3, 2])


def _empty(tf):
    return tf.SparseTensor(np.zeros((0, 2), I64), np.zeros(0, np.float32), [2, 3])


def _sp(tf, indices, values, shape):
    return tf.SparseTensor(indices, values, shape)


CASES = [
    ("add_zero_sum_kept", lambda tf: tf.sparse_add(_a(tf), _b(tf))),
    ("add_thresh", lambda tf: tf.sparse_add(_a(tf), _b(tf), thresh=1.5)),
    ("add_dense", lambda tf: tf.sparse_add(_a(tf), np.ones((2, 3), np.float32))),
    ("reduce_max_ignores_implicit_zeros",
     lambda tf: tf.sparse_reduce_max(_sp(tf, [[0, 0], [0, 1]], [-1.0, -2.0], [2, 3]), 1)),
    ("reduce_max_all", lambda tf: tf.sparse_reduce_max(_sp(tf, [[0, 0]], [-1.0], [2, 3]))),
    ("reduce_max_sparse", lambda tf: tf.sparse_reduce_max_sparse(
        _sp(tf, [[0, 0], [0, 1]], [-1.0, -2.0], [2, 3]), axis=1)),
    ("reduce_sum_keepdims", lambda tf: tf.sparse_reduce_sum(_a(tf), axis=-1, keepdims=True)),
    ("reduce_sum_sparse_axis0", lambda tf: tf.sparse_reduce_sum_sparse(_a(tf), axis=0)),
    ("reduce_sum_axes", lambda tf: tf.sparse_reduce_sum(
        _sp(tf, [[0, 1, 2], [1, 0, 2], [1, 1, 1]], [1.0, 2.0, 4.0], [2, 2, 3]), [0, 2])),
    ("concat_axis0", lambda tf: tf.sparse_concat(0, [_a(tf), _b(tf)])),
    ("concat_expand_nonconcat_dim", lambda tf: tf.sparse_concat(
        1, [_a(tf), _sp(tf, [[0, 0]], [7.0], [3, 2])], expand_nonconcat_dim=True)),
    ("reshape_inferred", lambda tf: tf.sparse_reshape(_a(tf), [-1, 2])),
    ("reshape_rank3", lambda tf: tf.sparse_reshape(_a(tf), [3, 1, 2])),
    ("reorder", lambda tf: tf.sparse_reorder(_sp(tf, [[1, 2], [0, 0], [0, 2]],
                                                 [1.0, 2.0, 3.0], [2, 3]))),
    ("to_dense_default", lambda tf: tf.sparse_tensor_to_dense(_a(tf), default_value=-1.0)),
    ("softmax", lambda tf: tf.sparse_softmax(_sp(tf, [[0, 0], [0, 2], [1, 1]],
                                                 [1.0, 2.0, 3.0], [2, 3]))),
    ("slice_clipped", lambda tf: tf.sparse_slice(_a(tf), [1, 1], [5, 5])),
    ("slice_empty", lambda tf: tf.sparse_slice(_a(tf), [0, 1], [1, 1])),
    ("retain", lambda tf: tf.sparse_retain(_a(tf), [False, True])),
    ("fill_empty_rows", lambda tf: list(tf.sparse_fill_empty_rows(
        _sp(tf, [[1, 0]], [3.0], [3, 2]), -1.0))),
    ("maximum", lambda tf: tf.sparse_maximum(_a(tf), _b(tf))),
    ("minimum", lambda tf: tf.sparse_minimum(_a(tf), _b(tf))),
    ("merge", lambda tf: tf.sparse_merge(_sp(tf, [[0, 0], [0, 1], [1, 0]],
                                             np.array([3, 1, 2], I64), [2, 2]),
                                         _sp(tf, [[0, 0], [0, 1], [1, 0]], [0.1, 0.2, 0.3],
                                             [2, 2]), 4)),
    ("to_indicator", lambda tf: tf.sparse_to_indicator(
        _sp(tf, [[0, 0], [0, 1], [1, 0]], np.array([3, 1, 2], I64), [2, 2]), 4)),
    ("split_uneven", lambda tf: tf.sparse_split(
        sp_input=_sp(tf, [[0, 0], [0, 2], [1, 1], [1, 4]], [1.0, 2, 3, 4], [2, 5]),
        num_split=2, axis=1)),
    ("transpose", lambda tf: tf.sparse_transpose(_a(tf))),
    ("transpose_perm", lambda tf: tf.sparse_transpose(
        _sp(tf, [[0, 1, 2], [1, 0, 0]], [1.0, 2.0], [2, 2, 3]), [2, 0, 1])),
    ("reset_shape_tight", lambda tf: tf.sparse_reset_shape(_a(tf))),
    ("reset_shape_given", lambda tf: tf.sparse_reset_shape(_a(tf), [3, 4])),
    ("from_dense", lambda tf: tf.sparse.from_dense([[0, 1], [2, 0]])),
    ("eye", lambda tf: tf.sparse.eye(2, 3)),
    ("expand_dims_last", lambda tf: tf.sparse.expand_dims(_a(tf), -1)),
    ("expand_dims_first", lambda tf: tf.sparse.expand_dims(_a(tf), 0)),
    ("dense_matmul", lambda tf: tf.sparse_tensor_dense_matmul(
        _a(tf), np.arange(6.0, dtype=np.float32).reshape(3, 2))),
    ("dense_matmul_adjoint_a", lambda tf: tf.sparse_tensor_dense_matmul(
        _a(tf), np.arange(4.0, dtype=np.float32).reshape(2, 2), adjoint_a=True)),
    ("dense_matmul_adjoint_b", lambda tf: tf.sparse_tensor_dense_matmul(
        _a(tf), np.arange(6.0, dtype=np.float32).reshape(2, 3), adjoint_b=True)),
    ("sparse_matmul", lambda tf: tf.sparse_matmul(
        np.arange(4.0, dtype=np.float32).reshape(2, 2), np.ones((2, 2), np.float32),
        transpose_a=True, a_is_sparse=True)),
    ("segment_sum", lambda tf: tf.sparse_segment_sum(np.arange(6.0).reshape(3, 2),
                                                     [0, 2, 1], [0, 0, 1])),
    ("segment_mean_num_segments", lambda tf: tf.sparse_segment_mean(
        np.arange(6.0).reshape(3, 2), [0, 2, 1], [0, 0, 2], num_segments=4)),
    ("segment_sqrt_n", lambda tf: tf.sparse_segment_sqrt_n(np.arange(6.0).reshape(3, 2),
                                                           [0, 2, 1], [0, 0, 2])),
    ("mask", lambda tf: [tf.sparse_mask(tf.IndexedSlices(
        tf.constant([[1.0], [2.0], [3.0]]), tf.constant([0, 4, 7]), tf.constant([10, 1])),
        [4]).values]),
] + [
    (f"embedding_lookup_sparse_{c}{'_weighted' if w else ''}",
     lambda tf, c=c, w=w: tf.nn.embedding_lookup_sparse(TABLE, _ids(tf),
                                                        _weights(tf) if w else None,
                                                        combiner=c))
    for c in ("sum", "mean", "sqrtn") for w in (False, True)
] + [
    ("safe_embedding_lookup_sparse", lambda tf: tf.nn.safe_embedding_lookup_sparse(
        TABLE, _ids(tf), _weights(tf))),
    ("safe_embedding_lookup_sparse_default_id", lambda tf: tf.nn.safe_embedding_lookup_sparse(
        TABLE, _ids(tf), None, default_id=4)),
    ("safe_embedding_lookup_sparse_invalid_ids_rank3",
     lambda tf: tf.nn.safe_embedding_lookup_sparse(
         TABLE, _sp(tf, [[0, 0, 0], [0, 0, 1], [1, 1, 0]], np.array([-1, 2, 4], I64),
                    [2, 2, 2]), _sp(tf, [[0, 0, 0], [0, 0, 1], [1, 1, 0]], [1.0, 0.0, 2.0],
                                    [2, 2, 2]), combiner="sum")),
    ("set_intersection_dense", lambda tf: tf.sets.set_intersection(SET_A, SET_B)),
    ("set_union_dense", lambda tf: tf.sets.set_union(SET_A, SET_B)),
    ("set_difference_b_minus_a", lambda tf: tf.sets.set_difference(SET_A, SET_B,
                                                                   aminusb=False)),
    ("set_difference_sparse_dense", lambda tf: tf.sets.set_difference(
        _sp(tf, [[0, 0], [0, 2], [1, 1]], np.array([9, 2, 5], np.int32), [2, 3]), SET_B)),
    ("set_size", lambda tf: tf.sets.set_size(_sp(tf, [[0, 0], [0, 1], [1, 0]],
                                                 np.array([1, 1, 2], np.int32), [3, 3]))),
    ("edit_distance_normalized", lambda tf: tf.edit_distance(
        _sp(tf, [[0, 0, 0], [0, 0, 1], [1, 0, 0]], ["a", "b", "c"], [2, 1, 2]),
        _sp(tf, [[0, 0, 0], [1, 0, 0], [1, 0, 1]], ["a", "c", "d"], [2, 1, 2]))),
    ("edit_distance_raw", lambda tf: tf.edit_distance(
        _sp(tf, [[0, 0], [0, 1], [0, 2]], np.array([1, 2, 3], I64), [1, 3]),
        _sp(tf, [[0, 0], [0, 1]], np.array([2, 3], I64), [1, 3]), normalize=False)),
    ("edit_distance_empty_rows", lambda tf: tf.edit_distance(
        _sp(tf, [[0, 0], [0, 1]], np.array([1, 2], I64), [3, 2]),
        _sp(tf, [[1, 0]], np.array([1], I64), [3, 2]))),
    ("times_dense_row", lambda tf: _a(tf) * np.array([10.0, 20.0, 30.0], np.float32)),
    ("divided_by_dense_column", lambda tf: _a(tf) / np.array([[2.0], [4.0]], np.float32)),
    ("times_scalar", lambda tf: _a(tf) * 2.0),
    ("empty_to_dense", lambda tf: tf.sparse_tensor_to_dense(_empty(tf))),
    ("empty_reduce_sum", lambda tf: [tf.sparse_reduce_sum(_empty(tf), 1),
                                     tf.sparse_reduce_sum(_empty(tf))]),
    ("empty_concat", lambda tf: tf.sparse_concat(0, [_empty(tf), _a(tf)])),
    ("empty_fill_empty_rows", lambda tf: list(tf.sparse_fill_empty_rows(_empty(tf), 5.0))),
    ("empty_reshape", lambda tf: tf.sparse_reshape(_empty(tf), [-1])),
    ("empty_safe_embedding_lookup_sparse", lambda tf: tf.nn.safe_embedding_lookup_sparse(
        TABLE, tf.SparseTensor(np.zeros((0, 2), I64), np.zeros(0, I64), [2, 3]), None)),
    ("embedding_lookup_sparse_partitioned_div", lambda tf: tf.nn.embedding_lookup_sparse(
        [TABLE[:3], TABLE[3:]], _ids(tf), _weights(tf), partition_strategy="div",
        combiner="sum")),
    ("embedding_lookup_sparse_partitioned_mod", lambda tf: tf.nn.embedding_lookup_sparse(
        [TABLE[0::2], TABLE[1::2]], _ids(tf), None, partition_strategy="mod",
        combiner="mean")),
    ("embedding_lookup_sparse_max_norm", lambda tf: tf.nn.embedding_lookup_sparse(
        TABLE, _ids(tf), None, combiner="sum", max_norm=5.0)),
    ("cross_sparse_dense", lambda tf: tf.sparse.cross(
        [_sp(tf, [[0, 0], [1, 0], [1, 1]], ["a", "b", "c"], [2, 2]),
         tf.constant([["d"], ["e"]])])),
    ("cross_strings_ints", lambda tf: tf.sparse.cross(
        [_sp(tf, [[0, 0], [1, 0], [1, 1]], ["a", "b", "c"], [2, 2]),
         _sp(tf, [[0, 0], [0, 1], [1, 0]], np.array([1, 2, 3], I64), [2, 2])])),
    ("cross_with_empty", lambda tf: tf.sparse.cross(
        [_sp(tf, [[0, 0], [1, 0], [1, 1]], ["a", "b", "c"], [2, 2]),
         _sp(tf, np.zeros((0, 2), I64), np.zeros(0, I64), [2, 2])])),
]

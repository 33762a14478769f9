"""``tf.sparse``: SparseTensor construction, conversion, arithmetic and rearrangement."""
from __future__ import annotations

from .ops.sparse_math_ops import (eye, from_dense, sparse_add as add,
                                  sparse_fill_empty_rows as fill_empty_rows,
                                  sparse_mask as mask, sparse_maximum as maximum,
                                  sparse_minimum as minimum,
                                  sparse_reduce_max as reduce_max,
                                  sparse_reduce_max_sparse as reduce_max_sparse,
                                  sparse_reduce_sum as reduce_sum,
                                  sparse_reduce_sum_sparse as reduce_sum_sparse,
                                  sparse_reset_shape as reset_shape,
                                  sparse_retain as retain,
                                  sparse_segment_mean as segment_mean,
                                  sparse_segment_sqrt_n as segment_sqrt_n,
                                  sparse_segment_sum as segment_sum,
                                  sparse_softmax as softmax,
                                  sparse_tensor_dense_matmul as sparse_dense_matmul,
                                  sparse_tensor_dense_matmul as matmul,
                                  sparse_tensor_to_dense as to_dense)
from .ops.sparse_reshape_ops import (expand_dims, sparse_concat as concat,
                                     sparse_merge as merge, sparse_reorder as reorder,
                                     sparse_reshape as reshape, sparse_slice as slice,
                                     sparse_split as split,
                                     sparse_to_indicator as to_indicator,
                                     sparse_transpose as transpose)
from .ops.sparse_tensor import SparseTensor, sparse_placeholder as placeholder
from .ops.set_ops import sparse_cross as cross

__all__ = ["SparseTensor", "add", "concat", "cross", "expand_dims", "eye", "fill_empty_rows",
           "from_dense", "mask", "matmul", "maximum", "merge", "minimum", "placeholder",
           "reduce_max", "reduce_max_sparse", "reduce_sum", "reduce_sum_sparse", "reorder",
           "reset_shape", "reshape", "retain", "segment_mean", "segment_sqrt_n",
           "segment_sum", "slice", "softmax", "sparse_dense_matmul", "split", "to_dense",
           "to_indicator", "transpose"]

"""``tf.nn.embedding_lookup_sparse`` and ``tf.nn.safe_embedding_lookup_sparse``: the
combined embeddings of the ids in each row of a SparseTensor.

Built from ``embedding_lookup`` (a gather, whose gradient with respect to one table is an
IndexedSlices) and sorted segment reductions over the rows, as TF1 builds them.
"""
from __future__ import annotations

from typing import Any

from ..core import dtypes
from ..core.graph import Tensor
from .cast_ops import cast
from .comparison_ops import greater, greater_equal, logical_and
from .fill_ops import zeros_like
from .join_ops import concat
from .math_ops import div_no_nan, multiply, sqrt, square
from .nn_extra_ops import embedding_lookup
from .op_util import op_scope
from .reduce_ops import reduce_prod
from .segment_ops import _FROM_IDS, _scaled_sum, segment_mean, segment_sum
from .selection_ops import where_v2
from .shape_ops import reshape, shape as tf_shape
from .sparse_math_ops import sparse_fill_empty_rows, sparse_retain
from .sparse_reshape_ops import sparse_reshape
from .sparse_tensor import SparseTensor, as_sparse

__all__ = ["embedding_lookup_sparse", "safe_embedding_lookup_sparse"]

_COMBINERS = ("sum", "mean", "sqrtn")


def embedding_lookup_sparse(params: Any, sp_ids: Any, sp_weights: Any,
                            partition_strategy: str = "mod", name: str | None = None,
                            combiner: str | None = None, max_norm: Any = None) -> Tensor:
    """``tf.nn.embedding_lookup_sparse``: for each row ``r`` of the 2-D SparseTensor of
    ids, the ``combiner`` ("sum", "mean" (default) or "sqrtn") of the embeddings
    ``params[id]`` weighted by ``sp_weights`` (None: weight 1). Rows must be in order; as
    in TF the result has ``last row with an id + 1`` rows, an empty row gives zeros, and
    mean/sqrtn divide by the sum of the weights / the root of their sum of squares (0/0
    giving 0, as TF 2's compat.v1 does)."""
    combiner = combiner or "mean"
    if combiner not in _COMBINERS:
        raise ValueError(f"embedding_lookup_sparse: combiner must be one of {_COMBINERS}, "
                         f"got {combiner!r}")
    ids = as_sparse(sp_ids, "embedding_lookup_sparse")
    weights = None if sp_weights is None else as_sparse(sp_weights,
                                                        "embedding_lookup_sparse")
    with op_scope(name, "embedding_lookup_sparse", [ids.values]) as scope:
        rows = cast(ids.indices[:, 0], dtypes.int32)
        found = embedding_lookup(params, ids.values, partition_strategy=partition_strategy,
                                 max_norm=max_norm)
        if weights is None:
            if combiner == "sum":
                return segment_sum(found, rows, name=scope)
            if combiner == "mean":
                return segment_mean(found, rows, name=scope)
            return _scaled_sum(found, rows, _FROM_IDS, True, sqrt, scope)
        w = cast(weights.values, found.dtype)
        if found.shape.ndims is None:
            raise ValueError("embedding_lookup_sparse: params must have a known rank")
        weighted = multiply(found, reshape(w, [-1] + [1] * (found.shape.ndims - 1)))
        total = segment_sum(weighted, rows)
        if combiner == "sum":
            return total
        norm = segment_sum(w, rows) if combiner == "mean" else \
            sqrt(segment_sum(square(w), rows))
        return div_no_nan(total, reshape(norm, [-1] + [1] * (found.shape.ndims - 1)),
                       name=scope)


def safe_embedding_lookup_sparse(embedding_weights: Any, sparse_ids: Any,
                                 sparse_weights: Any = None, combiner: str = "mean",
                                 default_id: Any = None, name: str | None = None,
                                 partition_strategy: str = "div",
                                 max_norm: Any = None) -> Tensor:
    """``tf.nn.safe_embedding_lookup_sparse``: :func:`embedding_lookup_sparse` that drops
    invalid ids (< 0) and non-positive weights first, and gives every row a result: an
    empty row gets ``params[default_id]``, or zeros without ``default_id``. Ids of rank
    ``r`` give a result of shape ``dense_shape[:-1] + embedding shape``."""
    ids = as_sparse(sparse_ids, "safe_embedding_lookup_sparse")
    weights = None if sparse_weights is None else as_sparse(
        sparse_weights, "safe_embedding_lookup_sparse")
    with op_scope(name, "embedding_lookup", [ids.values]) as scope:
        batch_shape = ids.dense_shape[:-1]
        flat_shape = concat([reshape(reduce_prod(batch_shape), [1]), ids.dense_shape[-1:]], 0)
        ids = sparse_reshape(ids, flat_shape)
        if weights is not None:
            weights = SparseTensor(ids.indices, weights.values, ids.dense_shape)
        valid = greater_equal(ids.values, 0)
        if weights is not None:
            valid = logical_and(valid, greater(weights.values, 0))
            weights = sparse_retain(weights, valid)
        ids = sparse_retain(ids, valid)
        ids, empty = sparse_fill_empty_rows(ids, 0 if default_id is None else default_id)
        if weights is not None:
            weights, _ = sparse_fill_empty_rows(weights, 1.0)
        result = embedding_lookup_sparse(embedding_weights, ids, weights,
                                         partition_strategy=partition_strategy,
                                         combiner=combiner, max_norm=max_norm)
        if default_id is None:
            rank = result.shape.ndims
            if rank is None:
                raise ValueError("safe_embedding_lookup_sparse: embeddings need a known rank")
            blank = reshape(empty, [-1] + [1] * (rank - 1))
            result = where_v2(blank, zeros_like(result), result)
        out_shape = concat([cast(batch_shape, dtypes.int32), tf_shape(result)[1:]], 0)
        return reshape(result, out_shape, name=scope)

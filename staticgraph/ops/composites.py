"""Array functions built from other ops, with no op type of their own
(``tf.boolean_mask``, ``tf.sequence_mask``)."""
from __future__ import annotations

from typing import Any

from ..core import dtypes
from ..core.graph import Tensor
from .cast_ops import cast
from .comparison_ops import less
from .fill_ops import range
from .framework import convert_to_tensor, is_tensor_like
from .gather_ops import gather
from .indexing_ops import _dim_size
from .op_util import _pyrange, op_scope
from .reduce_ops import reduce_max
from .selection_ops import where
from .shape_ops import expand_dims, reshape, squeeze

__all__ = [
    "boolean_mask", "sequence_mask",
]


# ----------------------------------------------------------------------------------------
# Compositions: boolean_mask, sequence_mask
# ----------------------------------------------------------------------------------------


def boolean_mask(tensor: Any, mask: Any, name: str = "boolean_mask",
                 axis: int | None = None) -> Tensor:
    """``tf.boolean_mask``: the slices of ``tensor`` where ``mask`` (covering dimensions
    ``axis`` to ``axis + mask rank``) is true, flattened into one dimension."""
    with op_scope(name, "boolean_mask"):
        x, mask = convert_to_tensor(tensor), convert_to_tensor(mask)
        mask_rank = mask.shape.ndims
        if mask_rank is None:
            raise ValueError("Number of mask dimensions must be specified, even if some "
                             "dimensions are None.  E.g. shape=[None] is ok, but shape=None "
                             "is not.")
        if mask_rank == 0:
            raise ValueError("mask cannot be scalar.")
        if x.shape.ndims is None:
            raise ValueError("boolean_mask needs a tensor of known rank")
        axis = 0 if axis is None else axis
        masked = x.shape[axis:axis + mask_rank]
        if not masked.is_compatible_with(mask.shape):
            raise ValueError(f"Shapes {masked} and {mask.shape} are incompatible")
        dims = [_dim_size(x, i) for i in _pyrange(x.shape.ndims)]
        x = reshape(x, dims[:axis] + [-1] + dims[axis + mask_rank:])
        indices = squeeze(where(reshape(mask, [-1])), axis=[1])
        return gather(x, indices, axis=axis)


def sequence_mask(lengths: Any, maxlen: Any = None, dtype: Any = dtypes.bool_,
                  name: str | None = None) -> Tensor:
    """``tf.sequence_mask``: ``mask[..., j] = j < lengths[...]`` up to ``maxlen`` (default
    the largest length)."""
    with op_scope(name, "SequenceMask"):
        lengths = convert_to_tensor(lengths)
        if maxlen is None:
            maxlen = reduce_max(lengths)
        maxlen = convert_to_tensor(maxlen, dtype=lengths.dtype) if not is_tensor_like(
            maxlen) else convert_to_tensor(maxlen)
        positions = range(0, maxlen, 1, dtype=maxlen.dtype)
        result = less(positions, expand_dims(cast(lengths, maxlen.dtype), -1))
        dtype = dtypes.as_dtype(dtype)
        return result if dtype.is_bool else cast(result, dtype)

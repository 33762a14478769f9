"""The largest entries: TopKV2 (``tf.nn.top_k``) and InTopKV2 (``tf.nn.in_top_k``) along
the last axis, with TF1's tie rules, and TF1's old names ``tf.arg_max``/``tf.arg_min``."""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .framework import apply_op, convert_to_tensor
from .gather_ops import one_hot
from .math_ops import multiply
from .op_util import _check_index_dtype, const_int
from .reduce_ops import reduce_sum
from .scan_ops import argmax, argmin
from .shape_ops import expand_dims

__all__ = ["arg_max", "arg_min"]  # and top_k, in_top_k (tf.nn and tf.math only)


# ----------------------------------------------------------------------------------------
# TopKV2: values and indices of the k largest entries of each row, largest first
# ----------------------------------------------------------------------------------------


def _top_k_kernel(x: np.ndarray, *, k: int, sorted: bool) -> tuple[np.ndarray, np.ndarray]:
    n = x.shape[-1]
    if k > n:
        raise ValueError(f"TopKV2: input must have at least k={k} columns, got shape "
                         f"{x.shape}")
    # A stable ascending sort of an order-reversing image puts the largest first and
    # equal values in index order (TF's rule: among ties the lower index comes first).
    # The image is -x for floats (NaN sorts last here) and ~x = -x - 1 for integers,
    # which never overflows, signed or unsigned (-x wraps for unsigned values and the
    # most negative signed one).
    reversed_order = np.invert(x) if x.dtype.kind in "iu" else np.negative(x)
    order = np.argsort(reversed_order, axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(x, order, axis=-1), order.astype(np.int32)


def _top_k_shape(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    k = attrs["k"]
    if not (x.dtype.is_floating or x.dtype.is_integer):
        raise TypeError(f"input must be a real number type, got {x.dtype.name}")
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    if x.shape.ndims is None:
        return [(TensorShape(None), x.dtype), (TensorShape(None), dtypes.int32)]
    if x.shape.ndims < 1:
        raise ValueError(f"input must have rank >= 1, got shape {x.shape}")
    dims = x.shape.as_list()
    if dims[-1] is not None and dims[-1] < k:
        raise ValueError(f"input must have at least k={k} columns, got shape {x.shape}")
    out = TensorShape(dims[:-1] + [k])
    return [(out, x.dtype), (out, dtypes.int32)]


def _selection(op: Operation) -> Tensor:
    """``[..., k, n]`` one-hot rows marking where each of the k values came from."""
    x, indices = op.inputs[0], op.outputs[1]
    n = x.shape.as_tuple()[-1] if x.shape.ndims is not None else None
    if n is None:
        raise ValueError(f"the derivative of top_k needs a statically known last dimension, "
                         f"got input shape {x.shape}")
    return one_hot(indices, n, dtype=x.dtype)


def _top_k_vjp(op: Operation, g_values: Tensor, g_indices: Any = None) -> list:
    if g_values is None:
        return [None]
    return [reduce_sum(multiply(expand_dims(g_values, -1), _selection(op)), -2)]


def _top_k_jvp(op: Operation, t: Tensor | None) -> list:
    if t is None:
        return [None, None]
    return [reduce_sum(multiply(expand_dims(t, -2), _selection(op)), -1), None]


define_op("TopKV2", kernel=_top_k_kernel, shape_fn=_top_k_shape, vjp=_top_k_vjp,
          jvp=_top_k_jvp, view_of={}, none_output_grads=True,
          doc="The k largest entries of each last-axis row (largest first, ties by lower "
              "index) and their indices.")


class TopKV2(NamedTuple):
    """What ``top_k`` returns (TF's namedtuple of the same name)."""

    values: Tensor
    indices: Tensor


def top_k(input: Any, k: Any = 1, sorted: bool = True, name: str | None = None) -> TopKV2:
    """``tf.nn.top_k``: ``(values, indices)`` of the ``k`` largest entries along the last
    axis, largest first; equal values come in index order (lower index first). With
    ``sorted=False`` TF leaves the order unspecified; this gives the sorted order."""
    x = convert_to_tensor(input)
    op = apply_op("TopKV2", [x], {"k": const_int(k, "top_k's k"), "sorted": bool(sorted)},
                  name=name)
    return TopKV2(op.outputs[0], op.outputs[1])


# ----------------------------------------------------------------------------------------
# InTopKV2: whether each target is among the k largest predictions of its row
# ----------------------------------------------------------------------------------------


def _in_top_k_kernel(predictions: np.ndarray, targets: np.ndarray, *, k: int) -> np.ndarray:
    batch, classes = predictions.shape
    valid = (targets >= 0) & (targets < classes)
    target_value = predictions[np.arange(batch), np.where(valid, targets, 0)]
    more_probable = np.sum(predictions > target_value[:, None], axis=1)
    # TF1's rule: ties at the boundary all count as in the top k (only strictly larger
    # predictions push a target out); a row with a non-finite prediction, or a target
    # out of range, gives False.
    finite_rows = np.all(np.isfinite(predictions), axis=1)
    return valid & finite_rows & (more_probable < k)


def _in_top_k_shape(inputs: list, attrs: dict) -> list:
    predictions, targets = inputs
    if not predictions.dtype.is_floating:
        raise TypeError(f"predictions must be floating point, got {predictions.dtype.name}")
    _check_index_dtype(targets, "targets")
    if predictions.shape.ndims not in (None, 2):
        raise ValueError(f"predictions must be a matrix [batch, classes], got shape "
                         f"{predictions.shape}")
    if targets.shape.ndims not in (None, 1):
        raise ValueError(f"targets must be a vector, got shape {targets.shape}")
    batch = TensorShape(predictions.shape.as_list()[:1] if predictions.shape.ndims else None)
    if not batch.is_compatible_with(targets.shape):
        raise ValueError(f"predictions {predictions.shape} and targets {targets.shape} must "
                         f"have the same batch size")
    return [(batch.merge_with(targets.shape), dtypes.bool_)]


define_op("InTopKV2", kernel=_in_top_k_kernel, shape_fn=_in_top_k_shape, view_of={},
          fresh=True, doc="Whether each target's prediction is among the k largest of "
                          "its row (ties at the boundary count as inside).")


def in_top_k(predictions: Any, targets: Any, k: Any, name: str | None = None) -> Tensor:
    """``tf.nn.in_top_k``: bool ``[batch]``, True where ``predictions[i, targets[i]]`` is
    among the ``k`` largest of row ``i``. Every class tied with the k-th value counts as in
    the top k; rows with a non-finite prediction and out-of-range targets give False."""
    p = convert_to_tensor(predictions)
    t = convert_to_tensor(targets)
    return apply_op("InTopKV2", [p, t], {"k": const_int(k, "in_top_k's k")},
                    name=name).outputs[0]


# ----------------------------------------------------------------------------------------
# TF1's old names of argmax/argmin
# ----------------------------------------------------------------------------------------


def arg_max(input: Any, dimension: Any, output_type: Any = dtypes.int64,
            name: str | None = None) -> Tensor:
    """``tf.arg_max`` (TF1's old name of ``argmax``): index of the largest value along
    ``dimension``, the first one on ties."""
    return argmax(input, dimension, name=name, output_type=output_type)


def arg_min(input: Any, dimension: Any, output_type: Any = dtypes.int64,
            name: str | None = None) -> Tensor:
    """``tf.arg_min`` (TF1's old name of ``argmin``): index of the smallest value along
    ``dimension``, the first one on ties."""
    return argmin(input, dimension, name=name, output_type=output_type)

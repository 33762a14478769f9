"""TF1's variable partitioners: functions of a variable's shape and dtype giving how many
parts to split it into along each axis (``tf.fixed_size_partitioner`` ...), with
TensorFlow's formulas.

staticgraph has no partitioned variables: ``tf.get_variable(partitioner=...)`` raises
``NotImplementedError``, so these functions serve code that computes partition counts
(or passes a partitioner to a scope whose variables it never creates partitioned).
"""
from __future__ import annotations

import math
from typing import Any, Callable

from .core import dtypes
from .core.shapes import TensorShape, as_shape

__all__ = ["fixed_size_partitioner", "min_max_variable_partitioner",
           "variable_axis_size_partitioner"]

Partitioner = Callable[..., list]


def _element_bytes(dtype: Any, bytes_per_string_element: int) -> int:
    dtype = dtypes.as_dtype(dtype).base_dtype
    return bytes_per_string_element if dtype == dtypes.string else dtype.size


def _axis_length(shape: TensorShape, axis: int, who: str) -> int:
    if shape.ndims is None or not 0 <= axis < shape.ndims:
        raise ValueError(f"{who}: can not partition variable along axis {axis} when shape "
                         f"is only {shape}")
    length = shape.as_tuple()[axis]
    if length is None:
        raise ValueError(f"{who}: axis {axis} of shape {shape} is not known")
    return length


def fixed_size_partitioner(num_shards: int, axis: int = 0) -> Partitioner:
    """A partitioner splitting axis ``axis`` into ``num_shards`` parts (fewer when the
    axis is shorter)."""

    def partitioner(shape: Any, **unused_args: Any) -> list:
        shape = as_shape(shape)
        partitions = [1] * shape.ndims
        partitions[axis] = min(num_shards, _axis_length(shape, axis, "fixed_size_partitioner"))
        return partitions

    return partitioner


def variable_axis_size_partitioner(max_shard_bytes: int, axis: int = 0,
                                   bytes_per_string_element: int = 16,
                                   max_shards: int | None = None) -> Partitioner:
    """A partitioner splitting axis ``axis`` into shards of at most ``max_shard_bytes``
    (at least one slice per shard; at most ``max_shards`` shards).

    Raises:
      ValueError: ``max_shard_bytes``, ``bytes_per_string_element`` or ``max_shards``
        is not positive.
    """
    if max_shard_bytes < 1 or bytes_per_string_element < 1:
        raise ValueError("Both max_shard_bytes and bytes_per_string_element must be "
                         f"positive. Currently, max_shard_bytes is {max_shard_bytes} and "
                         f"bytes_per_string_element is {bytes_per_string_element}")
    if max_shards is not None and max_shards < 1:
        raise ValueError("max_shards must be positive.")

    def partitioner(shape: Any, dtype: Any) -> list:
        if not isinstance(shape, TensorShape):
            raise ValueError(f"shape is not a TensorShape: {shape}")
        if not shape.is_fully_defined():
            raise ValueError(f"shape is not fully defined: {shape}")
        length = _axis_length(shape, axis, "variable_axis_size_partitioner")
        bytes_per_slice = shape.num_elements() / length * _element_bytes(
            dtype, bytes_per_string_element)
        slices_per_shard = max(1, math.floor(max_shard_bytes / bytes_per_slice))
        shards = int(math.ceil(length / slices_per_shard))
        partitions = [1] * shape.ndims
        partitions[axis] = min(max_shards, shards) if max_shards else shards
        return partitions

    return partitioner


def min_max_variable_partitioner(max_partitions: int = 1, axis: int = 0,
                                 min_slice_size: int = 256 << 10,
                                 bytes_per_string_element: int = 16) -> Partitioner:
    """A partitioner giving parts of at least ``min_slice_size`` bytes along ``axis``,
    at most ``max_partitions`` of them and at most the axis length."""

    def partitioner(shape: Any, dtype: Any) -> list:
        shape = as_shape(shape)
        length = _axis_length(shape, axis, "min_max_variable_partitioner")
        total_bytes = shape.num_elements() * _element_bytes(dtype, bytes_per_string_element)
        partitions = [1] * shape.ndims
        partitions[axis] = max(1, min(length, max_partitions,
                                      int(math.ceil(total_bytes / min_slice_size))))
        return partitions

    return partitioner

"""``tf.layers`` pooling: ``MaxPooling1D/2D``, ``AveragePooling1D/2D`` and their functions.

One-dimensional pooling is two-dimensional pooling over a height of 1 (as TF1 does it).
"""
from __future__ import annotations

from typing import Any, Callable

from ..core.graph import Tensor
from ..nn import avg_pool, max_pool
from ..ops.shape_ops import expand_dims, squeeze
from .base import (InputSpec, Layer, from_channels_last, normalize_data_format,
                   normalize_padding, normalize_tuple, to_channels_last)

__all__ = [
    "MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D",
    "max_pooling1d", "max_pooling2d", "average_pooling1d", "average_pooling2d",
]


class _Pooling(Layer):
    """Pooling over ``rank`` spatial axes with ``pool_size`` windows moved by ``strides``."""

    rank = 2
    _pool: Callable = staticmethod(max_pool)

    def __init__(self, pool_size: Any, strides: Any, padding: str = "valid",
                 data_format: str = "channels_last", name: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self.pool_size = normalize_tuple(pool_size, self.rank, "pool_size")
        self.strides = normalize_tuple(strides, self.rank, "strides")
        self.padding = normalize_padding(padding)
        self.data_format = normalize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs: Tensor) -> Tensor:
        """The pooled inputs (same data format as the inputs)."""
        x = to_channels_last(inputs, self.data_format)
        window, strides = self.pool_size, self.strides
        if self.rank == 1:
            x = expand_dims(x, 1)
            window, strides = (1, *window), (1, *strides)
        y = self._pool(x, [1, *window, 1], [1, *strides, 1], self.padding.upper())
        if self.rank == 1:
            y = squeeze(y, [1])
        return from_channels_last(y, self.data_format)


class MaxPooling1D(_Pooling):
    """``tf.layers.MaxPooling1D``: maxima of windows along the steps of ``[batch, steps,
    channels]`` inputs."""

    rank = 1


class MaxPooling2D(_Pooling):
    """``tf.layers.MaxPooling2D``: maxima of ``pool_size`` windows of NHWC inputs."""


class AveragePooling1D(_Pooling):
    """``tf.layers.AveragePooling1D``: means of windows along the steps (SAME windows
    average only the real elements)."""

    rank = 1
    _pool = staticmethod(avg_pool)


class AveragePooling2D(_Pooling):
    """``tf.layers.AveragePooling2D``: means of ``pool_size`` windows (SAME windows
    average only the real elements)."""

    _pool = staticmethod(avg_pool)


def _pooling_function(cls: type, name: str) -> Callable:
    def pool(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
             data_format: str = "channels_last", name: str | None = None) -> Tensor:
        return cls(pool_size, strides, padding=padding, data_format=data_format,
                   name=name).apply(inputs)
    pool.__name__ = pool.__qualname__ = name
    pool.__doc__ = f"``tf.layers.{name}``: {cls.__name__} applied once (strides required)."
    return pool


max_pooling1d = _pooling_function(MaxPooling1D, "max_pooling1d")
max_pooling2d = _pooling_function(MaxPooling2D, "max_pooling2d")
average_pooling1d = _pooling_function(AveragePooling1D, "average_pooling1d")
average_pooling2d = _pooling_function(AveragePooling2D, "average_pooling2d")

"""``tf.layers`` 3-D convolutions and pooling: ``Conv3D``, ``Conv3DTranspose``,
``MaxPooling3D``, ``AveragePooling3D`` and their functions (NDHWC, or channels_first).

Kernels are ``kernel_size + (input channels, filters)`` (``Conv3DTranspose``:
``kernel_size + (filters, input channels)``), named ``conv3d/kernel`` and so on as in TF1.
"""
from __future__ import annotations

from typing import Any, Callable

from ..core.graph import Tensor
from ..nn import (avg_pool3d, conv3d as nn_conv3d, conv3d_transpose as nn_conv3d_transpose,
                  max_pool3d)
from .convolutional import Conv2DTranspose, _Conv, _conv_function
from .pooling import _Pooling, _pooling_function

__all__ = ["Conv3D", "Conv3DTranspose", "MaxPooling3D", "AveragePooling3D", "conv3d",
           "conv3d_transpose", "max_pooling3d", "average_pooling3d"]


class Conv3D(_Conv):
    """``tf.layers.Conv3D``: 3-D convolution of NDHWC (or channels_first) inputs."""

    rank = 3

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1, 1),
                 padding: str = "valid", data_format: str = "channels_last",
                 dilation_rate: Any = (1, 1, 1), activation: Callable | None = None,
                 use_bias: bool = True, **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, **kwargs)

    def _convolve(self, x: Tensor, kernel: Tensor, strides: list, dilations: list) -> Tensor:
        return nn_conv3d(x, kernel, strides, self.padding.upper(), dilations=dilations)


class Conv3DTranspose(Conv2DTranspose):
    """``tf.layers.Conv3DTranspose``: the adjoint of a strided 3-D convolution (output size
    ``input * stride``, plus ``max(kernel - stride, 0)`` for VALID padding)."""

    rank = 3
    _transpose = staticmethod(nn_conv3d_transpose)

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1, 1),
                 padding: str = "valid", data_format: str = "channels_last",
                 activation: Callable | None = None, use_bias: bool = True,
                 **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides, padding, data_format, activation,
                         use_bias, **kwargs)


class MaxPooling3D(_Pooling):
    """``tf.layers.MaxPooling3D``: maxima of ``pool_size`` windows of NDHWC inputs."""

    rank = 3
    _pool = staticmethod(max_pool3d)


class AveragePooling3D(_Pooling):
    """``tf.layers.AveragePooling3D``: means of ``pool_size`` windows (SAME windows
    average only the real elements)."""

    rank = 3
    _pool = staticmethod(avg_pool3d)



conv3d = _conv_function(Conv3D, "conv3d")
conv3d_transpose = _conv_function(Conv3DTranspose, "conv3d_transpose")
max_pooling3d = _pooling_function(MaxPooling3D, "max_pooling3d")
average_pooling3d = _pooling_function(AveragePooling3D, "average_pooling3d")

"""``tf.layers`` separable convolutions: ``SeparableConv1D``, ``SeparableConv2D`` and their
functions. A depthwise convolution (``depthwise_kernel`` ``kernel_size + (input channels,
depth_multiplier)``) is followed by a 1x1 convolution (``pointwise_kernel``
``(1,) * rank + (input channels * depth_multiplier, filters)``) and a bias; a 1-D layer is
the 2-D one over a height of 1 (as TF1 computes it).
"""
from __future__ import annotations

from typing import Any, Callable

from ..core.graph import Tensor
from ..nn import separable_conv2d as nn_separable_conv2d
from ..ops.init_ops import zeros_initializer
from ..ops.shape_ops import expand_dims, squeeze
from .base import from_channels_last, to_channels_last
from .convolutional import _Conv, _conv_function

__all__ = ["SeparableConv1D", "SeparableConv2D", "separable_conv1d", "separable_conv2d"]


class _SeparableConv(_Conv):
    """A depthwise then pointwise convolution of ``rank`` spatial dims, with a bias and an
    activation; the initializer, regularizer and constraint of each kernel are given
    separately (``depthwise_*``, ``pointwise_*``)."""

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1,
                 padding: str = "valid", data_format: str = "channels_last",
                 dilation_rate: Any = 1, depth_multiplier: int = 1,
                 activation: Callable | None = None, use_bias: bool = True,
                 depthwise_initializer: Any = None, pointwise_initializer: Any = None,
                 bias_initializer: Any = zeros_initializer(),
                 depthwise_regularizer: Callable | None = None,
                 pointwise_regularizer: Callable | None = None,
                 bias_regularizer: Callable | None = None,
                 activity_regularizer: Callable | None = None,
                 depthwise_constraint: Callable | None = None,
                 pointwise_constraint: Callable | None = None,
                 bias_constraint: Callable | None = None, trainable: bool = True,
                 name: str | None = None, **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, bias_initializer=bias_initializer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         bias_constraint=bias_constraint, trainable=trainable, name=name,
                         **kwargs)
        self.depth_multiplier = int(depth_multiplier)
        self.depthwise_options = (depthwise_initializer, depthwise_regularizer,
                                  depthwise_constraint)
        self.pointwise_options = (pointwise_initializer, pointwise_regularizer,
                                  pointwise_constraint)
        self.depthwise_kernel: Any = None
        self.pointwise_kernel: Any = None

    def add_weights(self, channels: int) -> None:
        """Creates ``depthwise_kernel``, ``pointwise_kernel`` and ``bias``."""
        for attr, shape, (init, reg, constraint) in [
                ("depthwise_kernel", [*self.kernel_size, channels, self.depth_multiplier],
                 self.depthwise_options),
                ("pointwise_kernel", [1] * self.rank + [channels * self.depth_multiplier,
                                                        self.filters],
                 self.pointwise_options)]:
            setattr(self, attr, self.add_weight(attr, shape, initializer=init,
                                                regularizer=reg, constraint=constraint))
        if self.use_bias:
            self.bias = self.add_weight("bias", [self.filters],
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)

    def call(self, inputs: Tensor) -> Tensor:
        """``activation(pointwise(depthwise(inputs)) + bias)``."""
        x = to_channels_last(inputs, self.data_format)
        depthwise, pointwise = self.depthwise_kernel, self.pointwise_kernel
        strides, rates = list(self.strides), list(self.dilation_rate)
        if self.rank == 1:
            x = expand_dims(x, 1)
            depthwise, pointwise = expand_dims(depthwise, 0), expand_dims(pointwise, 0)
            strides, rates = [1, *strides], [1, *rates]
        y = nn_separable_conv2d(x, depthwise, pointwise, [1, *strides, 1],
                                self.padding.upper(), rate=rates)
        if self.rank == 1:
            y = squeeze(y, [1])
        return from_channels_last(self.add_bias_and_activate(y), self.data_format)


class SeparableConv1D(_SeparableConv):
    """``tf.layers.SeparableConv1D``: separable convolution along the steps of
    ``[batch, steps, channels]`` inputs."""

    rank = 1


class SeparableConv2D(_SeparableConv):
    """``tf.layers.SeparableConv2D``: separable convolution of NHWC (or channels_first)
    inputs."""

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1),
                 padding: str = "valid", data_format: str = "channels_last",
                 dilation_rate: Any = (1, 1), depth_multiplier: int = 1,
                 **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         depth_multiplier, **kwargs)


separable_conv1d = _conv_function(SeparableConv1D, "separable_conv1d")
separable_conv2d = _conv_function(SeparableConv2D, "separable_conv2d")
for _function in (separable_conv1d, separable_conv2d):
    _function.__doc__ = (f"``tf.layers.{_function.__name__}``: a "
                         f"{_function.layer_class.__name__} layer applied once (variables "
                         f"``{_function.__name__}/depthwise_kernel``, ``.../pointwise_kernel`` "
                         "and ``.../bias``; ``name`` fixes the scope, ``reuse=True`` shares "
                         "it). Other arguments as the class.")

"""``tf.layers`` convolutions: ``Conv1D``, ``Conv2D``, ``Conv2DTranspose`` and functions.

Kernels are ``kernel_size + (input channels, filters)`` (``Conv2DTranspose``:
``kernel_size + (filters, input channels)``); a one-dimensional convolution is a
two-dimensional one over a height of 1 (as TF1 computes it).
"""
from __future__ import annotations

from typing import Any, Callable

from ..core.graph import Tensor
from ..nn import conv2d as nn_conv2d, conv2d_transpose as nn_conv2d_transpose
from ..ops.shape_ops import expand_dims, shape, squeeze
from ..ops.stack_ops import stack
from .base import (InputSpec, from_channels_last, normalize_data_format,
                   normalize_padding, normalize_tuple, to_channels_last)
from .core import KernelLayer

__all__ = ["Conv1D", "Conv2D", "Conv2DTranspose", "conv1d", "conv2d", "conv2d_transpose"]


class _Conv(KernelLayer):
    """A ``rank``-dimensional convolution with ``filters`` outputs, a bias and an
    activation. Further keyword arguments as :class:`~staticgraph.layers.Dense`."""

    rank = 2

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1,
                 padding: str = "valid", data_format: str = "channels_last",
                 dilation_rate: Any = 1, activation: Callable | None = None,
                 use_bias: bool = True, **kwargs: Any) -> None:
        super().__init__(activation, use_bias, **kwargs)
        self.filters = int(filters)
        self.kernel_size = normalize_tuple(kernel_size, self.rank, "kernel_size")
        self.strides = normalize_tuple(strides, self.rank, "strides")
        self.padding = normalize_padding(padding)
        self.data_format = normalize_data_format(data_format)
        self.dilation_rate = normalize_tuple(dilation_rate, self.rank, "dilation_rate")
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _kernel_shape(self, channels: int) -> list[int]:
        return [*self.kernel_size, channels, self.filters]

    def build(self, input_shape: Any) -> None:
        """Creates ``kernel`` (for the input's channel count) and ``bias``."""
        axis = -1 if self.data_format == "channels_last" else 1
        channels = input_shape.as_list()[axis]
        if channels is None:
            raise ValueError(f"The channel dimension of the inputs to {self.name} should be "
                             f"defined. Found `None` in shape {input_shape}.")
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={axis: channels})
        self.add_weights(channels)

    def add_weights(self, channels: int) -> None:
        """Creates the layer's weights for ``channels`` input channels."""
        self.add_kernel_and_bias(self._kernel_shape(channels), self.filters)

    def _convolve(self, x: Tensor, kernel: Tensor, strides: list, dilations: list) -> Tensor:
        return nn_conv2d(x, kernel, strides, self.padding.upper(), dilations=dilations)

    def call(self, inputs: Tensor) -> Tensor:
        """``activation(conv(inputs, kernel) + bias)``."""
        x, kernel = to_channels_last(inputs, self.data_format), self.kernel
        strides, dilations = list(self.strides), list(self.dilation_rate)
        if self.rank == 1:
            x, kernel = expand_dims(x, 1), expand_dims(kernel, 0)
            strides, dilations = [1, *strides], [1, *dilations]
        y = self._convolve(x, kernel, [1, *strides, 1], [1, *dilations, 1])
        if self.rank == 1:
            y = squeeze(y, [1])
        return from_channels_last(self.add_bias_and_activate(y), self.data_format)


class Conv1D(_Conv):
    """``tf.layers.Conv1D``: convolution along the steps of ``[batch, steps, channels]``."""

    rank = 1


class Conv2D(_Conv):
    """``tf.layers.Conv2D``: 2-D convolution of NHWC (or channels_first) inputs."""


def _transposed_size(size: Any, kernel: int, stride: int, padding: str) -> Any:
    """Output length of a transposed convolution (an int, or a tensor when unknown)."""
    return size * stride + (max(kernel - stride, 0) if padding == "valid" else 0)


class Conv2DTranspose(_Conv):
    """``tf.layers.Conv2DTranspose``: the adjoint of a strided 2-D convolution (output size
    ``input * stride``, plus ``max(kernel - stride, 0)`` for VALID padding)."""

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1),
                 padding: str = "valid", data_format: str = "channels_last",
                 activation: Callable | None = None, use_bias: bool = True,
                 **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides, padding, data_format,
                         activation=activation, use_bias=use_bias, **kwargs)

    def _kernel_shape(self, channels: int) -> list[int]:
        return [*self.kernel_size, self.filters, channels]

    _transpose: Callable = staticmethod(nn_conv2d_transpose)

    def _convolve(self, x: Tensor, kernel: Tensor, strides: list, dilations: list) -> Tensor:
        dims, dynamic = x.shape.as_list(), shape(x)
        sizes = [_transposed_size(dynamic[i] if dims[i] is None else dims[i],
                                  self.kernel_size[i - 1], self.strides[i - 1], self.padding)
                 for i in range(1, self.rank + 1)]
        y = self._transpose(x, kernel, stack([dynamic[0], *sizes, self.filters]),
                            strides, self.padding.upper())
        y.set_shape([dims[0], *[s if isinstance(s, int) else None for s in sizes],
                     self.filters])
        return y


def _conv_function(cls: type, name: str) -> Callable:
    def convolve(inputs: Any, filters: int, kernel_size: Any, *args: Any,
                 name: str | None = None, reuse: Any = None, **kwargs: Any) -> Tensor:
        return cls(filters, kernel_size, *args, name=name, _scope=name, _reuse=reuse,
                   **kwargs).apply(inputs)
    convolve.__name__ = convolve.__qualname__ = name
    convolve.layer_class = cls  # type: ignore[attr-defined]
    convolve.__doc__ = (f"``tf.layers.{name}``: a {cls.__name__} layer applied once "
                        f"(variables ``{name}/kernel`` and ``{name}/bias``; ``name`` fixes "
                        "the scope, ``reuse=True`` shares it). Other arguments as the class.")
    return convolve


conv1d = _conv_function(Conv1D, "conv1d")
conv2d = _conv_function(Conv2D, "conv2d")
conv2d_transpose = _conv_function(Conv2DTranspose, "conv2d_transpose")

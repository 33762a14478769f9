"""``tf.layers.Dense``, ``Dropout`` and ``Flatten`` with their functional forms."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core.graph import Tensor
from ..nn import bias_add, dropout as nn_dropout
from ..ops.einsum_ops import tensordot
from ..ops.init_ops import zeros_initializer
from ..ops.matmul_ops import matmul
from ..ops.selection_ops import where_v2
from ..ops.shape_ops import reshape, shape
from ..ops.stack_ops import stack
from .base import (InputSpec, Layer, normalize_data_format, run_time_flag, static_bool,
                   to_channels_last)

__all__ = ["KernelLayer", "Dense", "Dropout", "Flatten", "dense", "dropout", "flatten"]


class KernelLayer(Layer):
    """A layer with a ``kernel``, an optional ``bias`` and an activation (Dense and the
    convolutions): keeps their shared options and creates the two weights."""

    def __init__(self, activation: Callable | None = None, use_bias: bool = True,
                 kernel_initializer: Any = None, bias_initializer: Any = zeros_initializer(),
                 kernel_regularizer: Callable | None = None,
                 bias_regularizer: Callable | None = None,
                 activity_regularizer: Callable | None = None,
                 kernel_constraint: Callable | None = None,
                 bias_constraint: Callable | None = None, trainable: bool = True,
                 name: str | None = None, **kwargs: Any) -> None:
        super().__init__(trainable=trainable, name=name,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.activation = activation
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self.kernel: Any = None
        self.bias: Any = None

    def add_kernel_and_bias(self, kernel_shape: list, bias_size: int) -> None:
        """Creates ``kernel`` (glorot_uniform unless the scope or ``kernel_initializer``
        says otherwise) and, with ``use_bias``, ``bias`` (zeros by default)."""
        self.kernel = self.add_weight("kernel", kernel_shape,
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self.add_weight("bias", [bias_size], initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)

    def add_bias_and_activate(self, outputs: Tensor) -> Tensor:
        """``activation(outputs + bias)`` (channels last)."""
        if self.use_bias:
            outputs = bias_add(outputs, self.bias)
        return self.activation(outputs) if self.activation is not None else outputs


class Dense(KernelLayer):
    """``tf.layers.Dense``: ``activation(inputs · kernel + bias)`` over the last axis, with
    a ``kernel`` of shape ``[input size, units]`` (glorot_uniform unless the variable
    scope or ``kernel_initializer`` says otherwise) and a ``bias`` (zeros). Further
    keyword arguments: ``kernel_initializer``, ``bias_initializer``, ``kernel_regularizer``,
    ``bias_regularizer``, ``activity_regularizer``, ``kernel_constraint``,
    ``bias_constraint``, ``trainable``, ``name``."""

    def __init__(self, units: int, activation: Callable | None = None, use_bias: bool = True,
                 **kwargs: Any) -> None:
        super().__init__(activation, use_bias, **kwargs)
        self.units = int(units)
        if self.units <= 0:
            raise ValueError(f"Dense: units must be a positive integer, got {units}")
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape: Any) -> None:
        """Creates ``kernel`` ``[input size, units]`` and ``bias``."""
        last = input_shape.as_list()[-1]
        if last is None:
            raise ValueError(f"The last dimension of the inputs to `Dense` ({self.name}) "
                             f"should be defined. Found `None` in shape {input_shape}.")
        self.input_spec = InputSpec(min_ndim=2, axes={-1: last})
        self.add_kernel_and_bias([last, self.units], self.units)

    def call(self, inputs: Tensor) -> Tensor:
        """``activation(inputs · kernel + bias)`` along the last axis."""
        rank = inputs.shape.ndims
        if rank == 2:
            outputs = matmul(inputs, self.kernel)
        else:
            outputs = tensordot(inputs, self.kernel, [[rank - 1], [0]])
            outputs.set_shape(inputs.shape.as_list()[:-1] + [self.units])
        return self.add_bias_and_activate(outputs)


def dense(inputs: Any, units: int, activation: Callable | None = None, use_bias: bool = True,
          kernel_initializer: Any = None, bias_initializer: Any = zeros_initializer(),
          kernel_regularizer: Callable | None = None, bias_regularizer: Callable | None = None,
          activity_regularizer: Callable | None = None,
          kernel_constraint: Callable | None = None, bias_constraint: Callable | None = None,
          trainable: bool = True, name: str | None = None, reuse: Any = None) -> Tensor:
    """``tf.layers.dense``: a :class:`Dense` layer applied once (variables ``dense/kernel``,
    ``dense/bias``; ``name`` fixes the scope, ``reuse=True`` shares it)."""
    layer = Dense(units, activation=activation, use_bias=use_bias,
                  kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                  kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                  activity_regularizer=activity_regularizer,
                  kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                  trainable=trainable, name=name, _scope=name, _reuse=reuse)
    return layer.apply(inputs)


class Dropout(Layer):
    """``tf.layers.Dropout``: while training, zeroes each element with probability ``rate``
    and scales the rest by ``1 / (1 - rate)``; otherwise the identity. ``training`` is a
    Python bool or a scalar bool tensor (then chosen at run time)."""

    def __init__(self, rate: float = 0.5, noise_shape: Any = None, seed: int | None = None,
                 name: str | None = None, **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed

    def _noise_shape(self, inputs: Tensor) -> Any:
        if self.noise_shape is None:
            return None
        dynamic = shape(inputs)
        return stack([dynamic[i] if size is None else size
                      for i, size in enumerate(self.noise_shape)])

    def call(self, inputs: Tensor, training: Any = False) -> Tensor:
        """The dropped-out inputs while ``training``, else the inputs."""
        known = static_bool(training)
        if known is False:
            return inputs
        dropped = nn_dropout(inputs, noise_shape=self._noise_shape(inputs), seed=self.seed,
                             rate=self.rate)
        return dropped if known else where_v2(run_time_flag(training), dropped, inputs)


def dropout(inputs: Any, rate: float = 0.5, noise_shape: Any = None, seed: int | None = None,
            training: Any = False, name: str | None = None) -> Tensor:
    """``tf.layers.dropout``: :class:`Dropout` applied once (``training`` defaults to
    False: the identity)."""
    return Dropout(rate, noise_shape=noise_shape, seed=seed, name=name).apply(
        inputs, training=training)


class Flatten(Layer):
    """``tf.layers.Flatten``: reshapes ``[batch, d1, d2, ...]`` to ``[batch, d1*d2*...]``
    (channels_first inputs are moved to channels_last first)."""

    def __init__(self, data_format: str | None = None, name: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self.data_format = normalize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs: Tensor) -> Tensor:
        """The inputs reshaped to ``[batch, -1]``."""
        if inputs.shape.ndims is None:  # unknown rank: channels_first needs the rank
            return reshape(inputs, stack([shape(inputs)[0], -1]))
        if inputs.shape.ndims > 2:
            inputs = to_channels_last(inputs, self.data_format)
        dims = inputs.shape.as_list()
        rest = dims[1:]
        if all(d is not None for d in rest):
            return reshape(inputs, [-1 if dims[0] is None else dims[0], int(np.prod(rest))])
        return reshape(inputs, stack([shape(inputs)[0], -1]))


def flatten(inputs: Any, name: str | None = None, data_format: str = "channels_last"
            ) -> Tensor:
    """``tf.layers.flatten``: :class:`Flatten` applied once."""
    return Flatten(data_format=data_format, name=name).apply(inputs)

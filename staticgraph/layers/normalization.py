"""``tf.layers.BatchNormalization`` and ``tf.layers.batch_normalization``.

While training, inputs are normalized with the batch's mean and (biased) variance, and the
update ops that move ``moving_mean``/``moving_variance`` towards them
(``moving -= (moving - batch) * (1 - momentum)``) go to ``UPDATE_OPS``; otherwise the
moving statistics normalize. As in TF1, 4-D inputs normalized along their channel axis
take the "fused" path, whose moving variance moves towards the unbiased batch variance
(``n / (n - 1)`` times the biased one); ``fused=False`` keeps the biased one.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core.graph import Tensor, get_default_graph
from ..ops.cast_ops import cast
from ..ops.init_ops import ones_initializer, zeros_initializer
from ..ops.math_ops import maximum, multiply, subtract, truediv
from ..nn import batch_normalization as nn_batch_normalization, moments
from ..ops.selection_ops import where_v2
from ..ops.shape_ops import reshape, size
from ..ops.state_ops import assign_sub
from .base import InputSpec, Layer, run_time_flag, static_bool

__all__ = ["BatchNormalization", "batch_normalization"]


def _unsupported(**options: Any) -> None:
    for option, value in options.items():
        if value:
            raise NotImplementedError(f"BatchNormalization: {option}={value!r} is not "
                                      "implemented in staticgraph")


class BatchNormalization(Layer):
    """``tf.layers.BatchNormalization``: ``gamma * (x - mean) / sqrt(var + epsilon) +
    beta`` along ``axis`` (TF1's defaults: momentum 0.99, epsilon 1e-3, axis -1).

    Call it with ``training=`` a Python bool or a scalar bool tensor; while training, run
    the ops in ``tf.GraphKeys.UPDATE_OPS`` (or ``layer.updates``) with each step.
    """

    def __init__(self, axis: Any = -1, momentum: float = 0.99, epsilon: float = 1e-3,
                 center: bool = True, scale: bool = True,
                 beta_initializer: Any = zeros_initializer(),
                 gamma_initializer: Any = ones_initializer(),
                 moving_mean_initializer: Any = zeros_initializer(),
                 moving_variance_initializer: Any = ones_initializer(),
                 beta_regularizer: Callable | None = None,
                 gamma_regularizer: Callable | None = None,
                 beta_constraint: Callable | None = None,
                 gamma_constraint: Callable | None = None, renorm: bool = False,
                 renorm_clipping: Any = None, renorm_momentum: float = 0.99,
                 fused: bool | None = None, trainable: bool = True,
                 virtual_batch_size: int | None = None, adjustment: Callable | None = None,
                 name: str | None = None, **kwargs: Any) -> None:
        super().__init__(trainable=trainable, name=name, **kwargs)
        _unsupported(renorm=renorm, virtual_batch_size=virtual_batch_size,
                     adjustment=adjustment)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else [axis]
        self.momentum = momentum
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.initializers = {"beta": beta_initializer, "gamma": gamma_initializer,
                             "moving_mean": moving_mean_initializer,
                             "moving_variance": moving_variance_initializer}
        self.regularizers = {"beta": beta_regularizer, "gamma": gamma_regularizer}
        self.constraints = {"beta": beta_constraint, "gamma": gamma_constraint}
        self.fused = fused
        self.gamma: Any = None
        self.beta: Any = None
        self.moving_mean: Any = None
        self.moving_variance: Any = None

    def _param(self, name: str, shape_: list, trainable: bool = True) -> Any:
        return self.add_weight(name, shape_, initializer=self.initializers[name],
                               regularizer=self.regularizers.get(name),
                               constraint=self.constraints.get(name), trainable=trainable)

    def build(self, input_shape: Any) -> None:
        """Checks ``axis`` and creates gamma, beta and the moving statistics."""
        ndims = input_shape.ndims
        if ndims is None:
            raise ValueError(f"BatchNormalization ({self.name}): the input's rank must be "
                             "known")
        axes = sorted(a + ndims if a < 0 else a for a in self.axis)
        if any(not 0 <= a < ndims for a in axes) or len(set(axes)) != len(axes):
            raise ValueError(f"BatchNormalization ({self.name}): invalid axis {self.axis} "
                             f"for an input of shape {input_shape}")
        dims = input_shape.as_list()
        if any(dims[a] is None for a in axes):
            raise ValueError(f"BatchNormalization ({self.name}): axis {self.axis} of input "
                             f"shape {input_shape} must be defined")
        self.axis = axes
        can_fuse = ndims == 4 and axes in ([1], [3])
        if self.fused and not can_fuse:
            raise ValueError(f"BatchNormalization ({self.name}): fused=True needs a 4-D "
                             f"input normalized along axis 1 or 3, got shape {input_shape} "
                             f"and axis {self.axis}")
        self.fused = can_fuse if self.fused is None else self.fused
        self.input_spec = InputSpec(ndim=ndims, axes={a: dims[a] for a in axes})
        param_shape = [dims[a] for a in axes]
        if self.scale:
            self.gamma = self._param("gamma", param_shape)
        if self.center:
            self.beta = self._param("beta", param_shape)
        self.moving_mean = self._param("moving_mean", param_shape, trainable=False)
        self.moving_variance = self._param("moving_variance", param_shape, trainable=False)

    def call(self, inputs: Tensor, training: Any = False) -> Tensor:
        """The normalized inputs: batch statistics while ``training`` (adding the update
        ops), the moving ones otherwise."""
        ndims = inputs.shape.ndims
        broadcast = [inputs.shape.as_list()[a] if a in self.axis else 1 for a in range(ndims)]
        plain = self.axis == [ndims - 1]

        def spread(v: Any) -> Any:
            return v if v is None or plain else reshape(v, broadcast)

        known = static_bool(training)
        if known is False:
            mean, variance = spread(self.moving_mean), spread(self.moving_variance)
        else:
            reduce_axes = [a for a in range(ndims) if a not in self.axis]
            batch_mean, batch_variance = moments(inputs, reduce_axes, keep_dims=not plain)
            mean, variance = batch_mean, batch_variance
            if known is None:
                training = run_time_flag(training)
                mean = where_v2(training, batch_mean, spread(self.moving_mean))
                variance = where_v2(training, batch_variance, spread(self.moving_variance))
            self._add_moving_updates(inputs, batch_mean, batch_variance,
                                     training if known is None else True)
        return nn_batch_normalization(inputs, mean, variance, spread(self.beta),
                                      spread(self.gamma), self.epsilon)

    def _add_moving_updates(self, inputs: Tensor, mean: Tensor, variance: Tensor,
                            training: Any) -> None:
        params = self.moving_mean.shape.as_list()
        mean, variance = reshape(mean, params), reshape(variance, params)
        if self.fused:
            count = truediv(cast(size(inputs), variance.dtype), float(np.prod(params)))
            variance = multiply(variance, truediv(count, maximum(subtract(count, 1.0), 1.0)))
        decay = 1.0 - self.momentum
        if training is not True:
            decay = where_v2(training, decay, 0.0)
        for variable, value in ((self.moving_mean, mean), (self.moving_variance, variance)):
            with get_default_graph().name_scope("AssignMovingAvg") as scope:
                delta = multiply(subtract(variable, value), cast(decay, variable.dtype))
                self.add_update(assign_sub(variable, delta, name=scope).op)


def batch_normalization(inputs: Any, axis: Any = -1, momentum: float = 0.99,
                        epsilon: float = 1e-3, center: bool = True, scale: bool = True,
                        beta_initializer: Any = zeros_initializer(),
                        gamma_initializer: Any = ones_initializer(),
                        moving_mean_initializer: Any = zeros_initializer(),
                        moving_variance_initializer: Any = ones_initializer(),
                        beta_regularizer: Callable | None = None,
                        gamma_regularizer: Callable | None = None,
                        beta_constraint: Callable | None = None,
                        gamma_constraint: Callable | None = None, training: Any = False,
                        trainable: bool = True, name: str | None = None, reuse: Any = None,
                        renorm: bool = False, renorm_clipping: Any = None,
                        renorm_momentum: float = 0.99, fused: bool | None = None,
                        virtual_batch_size: int | None = None,
                        adjustment: Callable | None = None) -> Tensor:
    """``tf.layers.batch_normalization``: a :class:`BatchNormalization` layer applied once
    (variables ``batch_normalization/gamma``, ``beta``, ``moving_mean``,
    ``moving_variance``); with ``training=True`` run ``tf.GraphKeys.UPDATE_OPS`` too."""
    layer = BatchNormalization(
        axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
        beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
        moving_mean_initializer=moving_mean_initializer,
        moving_variance_initializer=moving_variance_initializer,
        beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
        beta_constraint=beta_constraint, gamma_constraint=gamma_constraint, renorm=renorm,
        renorm_clipping=renorm_clipping, renorm_momentum=renorm_momentum, fused=fused,
        trainable=trainable, virtual_batch_size=virtual_batch_size, adjustment=adjustment,
        name=name, _scope=name, _reuse=reuse)
    return layer.apply(inputs, training=training)

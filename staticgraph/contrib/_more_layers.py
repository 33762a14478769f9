"""More of ``tf.contrib.layers``: batch_norm, layer_norm, conv2d_transpose, max_pool2d,
avg_pool2d, dropout and one_hot_encoding, with contrib's scopes, variable names and
defaults (DCGAN- and ResNet-style TF1 scripts build their models from these)."""
from __future__ import annotations

from typing import Any, Callable

from ..core.graph import GraphKeys, Tensor, control_dependencies, get_default_graph, name_scope
from ..ops.cast_ops import cast
from ..ops.framework import convert_to_tensor
from ..ops.gather_ops import one_hot
from ..ops.init_ops import ones_initializer, zeros_initializer
from ..ops.nn_impl import batch_normalization, moments
from ..ops.state_ops import identity
from ..ops.variable_scope import get_variable, variable_scope
from .. import layers as core_layers
from ..nn import relu
from ._layers import _collect, _contrib_layer
from ._arg_scope import add_arg_scope

__all__ = ["batch_norm", "layer_norm", "conv2d_transpose", "convolution2d_transpose",
           "max_pool2d", "avg_pool2d", "dropout", "one_hot_encoding"]


def _channels_first(data_format: str | None) -> bool:
    if data_format not in (None, "NHWC", "NCHW", "NWC", "NCW", "NDHWC", "NCDHW"):
        raise ValueError(f"data_format has to be either NCHW or NHWC, got {data_format!r}")
    return data_format is not None and data_format.startswith("NC")


@add_arg_scope
def batch_norm(inputs: Any, decay: float = 0.999, center: bool = True, scale: bool = False,
               epsilon: float = 0.001, activation_fn: Callable | None = None,
               param_initializers: dict | None = None,
               param_regularizers: dict | None = None,
               updates_collections: Any = GraphKeys.UPDATE_OPS, is_training: Any = True,
               reuse: Any = None, variables_collections: Any = None,
               outputs_collections: Any = None, trainable: bool = True,
               batch_weights: Any = None, fused: bool | None = None,
               data_format: str = "NHWC", zero_debias_moving_mean: bool = False,
               scope: str | None = None, renorm: bool = False, renorm_clipping: Any = None,
               renorm_decay: float = 0.99, adjustment: Any = None) -> Tensor:
    """``tf.contrib.layers.batch_norm``: batch normalisation in the scope ``BatchNorm``
    (``beta``; ``gamma`` only with ``scale=True``, contrib's default being False;
    ``moving_mean``/``moving_variance`` updated with ``decay`` 0.999). The moving-average
    updates go to ``updates_collections`` (``UPDATE_OPS``; run them with the train op),
    or with ``updates_collections=None`` run with the output itself. ``is_training`` may be
    a bool tensor. The normalisation is :class:`tf.layers.BatchNormalization`'s."""
    if batch_weights is not None or zero_debias_moving_mean or adjustment is not None:
        raise NotImplementedError("tf.contrib.layers.batch_norm: batch_weights, "
                                  "zero_debias_moving_mean and adjustment are not supported "
                                  "by staticgraph")
    initializers, regularizers = param_initializers or {}, param_regularizers or {}
    inputs = convert_to_tensor(inputs)
    rank = inputs.shape.ndims
    axis = 1 if _channels_first(data_format) and rank is not None and rank > 2 else -1
    with variable_scope(scope, "BatchNorm", [inputs], reuse=reuse) as sc:
        layer = core_layers.BatchNormalization(
            axis=axis, momentum=decay, epsilon=epsilon, center=center, scale=scale,
            beta_initializer=initializers.get("beta", zeros_initializer()),
            gamma_initializer=initializers.get("gamma", ones_initializer()),
            moving_mean_initializer=initializers.get("moving_mean", zeros_initializer()),
            moving_variance_initializer=initializers.get("moving_variance",
                                                         ones_initializer()),
            beta_regularizer=regularizers.get("beta"),
            gamma_regularizer=regularizers.get("gamma"), renorm=renorm,
            renorm_clipping=renorm_clipping, renorm_momentum=renorm_decay, fused=fused,
            trainable=trainable, name=sc.name, _scope=sc, _reuse=reuse)
        outputs = layer.apply(inputs, training=is_training)
        variables = [layer.moving_mean, layer.moving_variance]
        _collect([v for v in (layer.beta, layer.gamma) if v is not None] + variables,
                 variables_collections, "beta")
        outputs = _route_updates(layer.updates, updates_collections, outputs)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        _collect([outputs], outputs_collections, "outputs")
        return outputs


def _route_updates(updates: list, collections: Any, outputs: Tensor) -> Tensor:
    """Moves the layer's moving-average updates from ``UPDATE_OPS`` to ``collections``, or
    with None makes ``outputs`` depend on them (TF1's in-place updates)."""
    if not updates or collections == GraphKeys.UPDATE_OPS:
        return outputs
    registered = get_default_graph().get_collection_ref(GraphKeys.UPDATE_OPS)
    registered[:] = [op for op in registered if op not in updates]
    if collections is None:
        with control_dependencies(updates):
            return identity(outputs)
    for key in [collections] if isinstance(collections, str) else collections:
        for update in updates:
            get_default_graph().add_to_collection(key, update)
    return outputs


@add_arg_scope
def layer_norm(inputs: Any, center: bool = True, scale: bool = True,
               activation_fn: Callable | None = None, reuse: Any = None,
               variables_collections: Any = None, outputs_collections: Any = None,
               trainable: bool = True, begin_norm_axis: int = 1, begin_params_axis: int = -1,
               scope: str | None = None) -> Tensor:
    """``tf.contrib.layers.layer_norm``: normalises over the axes from ``begin_norm_axis``
    on (each example by itself), then ``gamma * x + beta`` with parameters shaped like the
    axes from ``begin_params_axis`` on, in the scope ``LayerNorm`` (epsilon 1e-12, as
    contrib)."""
    with variable_scope(scope, "LayerNorm", [inputs], reuse=reuse):
        inputs = convert_to_tensor(inputs)
        rank = inputs.shape.ndims
        if rank is None:
            raise ValueError(f"Inputs {inputs.name} has undefined rank.")
        begin_norm_axis %= rank if begin_norm_axis < 0 else rank + 1
        begin_params_axis %= rank if begin_params_axis < 0 else rank + 1
        if begin_norm_axis >= rank or begin_params_axis >= rank:
            raise ValueError(f"begin_norm_axis and begin_params_axis must be < rank "
                             f"({rank}) for {inputs.name} of shape {inputs.shape}")
        params_shape = inputs.shape[begin_params_axis:]
        if not params_shape.is_fully_defined():
            raise ValueError(f"Inputs {inputs.name}: shape[{begin_params_axis}:] is not "
                             f"fully defined: {inputs.shape}")
        dtype = inputs.dtype.base_dtype
        beta = get_variable("beta", params_shape.as_list(), dtype=dtype,
                            initializer=zeros_initializer(), trainable=trainable) \
            if center else None
        gamma = get_variable("gamma", params_shape.as_list(), dtype=dtype,
                             initializer=ones_initializer(), trainable=trainable) \
            if scale else None
        _collect([v for v in (beta, gamma) if v is not None], variables_collections, "beta")
        mean, variance = moments(inputs, list(range(begin_norm_axis, rank)), keep_dims=True)
        outputs = batch_normalization(inputs, mean, variance, offset=beta, scale=gamma,
                                      variance_epsilon=1e-12)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        _collect([outputs], outputs_collections, "outputs")
        return outputs


@add_arg_scope
def conv2d_transpose(inputs: Any, num_outputs: int, kernel_size: Any, stride: Any = 1,
                     padding: str = "SAME", data_format: str = "NHWC",
                     activation_fn: Callable | None = relu,
                     normalizer_fn: Callable | None = None,
                     normalizer_params: dict | None = None, **options: Any) -> Tensor:
    """``tf.contrib.layers.conv2d_transpose``: a transposed convolution (variables
    ``Conv2d_transpose/weights`` and ``/biases``, relu by default); further keyword
    arguments as ``fully_connected``'s."""
    channels_first = _channels_first(data_format)

    def make_layer(x: Tensor, **layer_args: Any) -> Any:
        return core_layers.Conv2DTranspose(
            num_outputs, kernel_size, strides=stride, padding=padding,
            data_format="channels_first" if channels_first else "channels_last",
            **layer_args)

    return _contrib_layer("conv2d_transpose", "Conv2d_transpose", inputs, make_layer,
                          activation_fn, normalizer_fn, normalizer_params, options)


convolution2d_transpose = conv2d_transpose


def _pool2d(layer_class: Any, default_name: str, inputs: Any, kernel_size: Any, stride: Any,
            padding: str, data_format: str, outputs_collections: Any,
            scope: str | None) -> Tensor:
    channels_first = _channels_first(data_format)
    with name_scope(scope, default_name, [inputs]) as sc:
        layer = layer_class(pool_size=kernel_size, strides=stride, padding=padding,
                            data_format="channels_first" if channels_first else
                            "channels_last", _scope=sc)
        outputs = layer.apply(convert_to_tensor(inputs))
        _collect([outputs], outputs_collections, "outputs")
        return outputs


@add_arg_scope
def max_pool2d(inputs: Any, kernel_size: Any, stride: Any = 2, padding: str = "VALID",
               data_format: str = "NHWC", outputs_collections: Any = None,
               scope: str | None = None) -> Tensor:
    """``tf.contrib.layers.max_pool2d``: 2-D max pooling (stride 2, VALID by default)."""
    return _pool2d(core_layers.MaxPooling2D, "MaxPool2D", inputs, kernel_size, stride,
                   padding, data_format, outputs_collections, scope)


@add_arg_scope
def avg_pool2d(inputs: Any, kernel_size: Any, stride: Any = 2, padding: str = "VALID",
               data_format: str = "NHWC", outputs_collections: Any = None,
               scope: str | None = None) -> Tensor:
    """``tf.contrib.layers.avg_pool2d``: 2-D average pooling (stride 2, VALID)."""
    return _pool2d(core_layers.AveragePooling2D, "AvgPool2D", inputs, kernel_size, stride,
                   padding, data_format, outputs_collections, scope)


@add_arg_scope
def dropout(inputs: Any, keep_prob: Any = 0.5, noise_shape: Any = None,
            is_training: Any = True, outputs_collections: Any = None,
            scope: str | None = None, seed: int | None = None) -> Tensor:
    """``tf.contrib.layers.dropout``: keeps each element with probability ``keep_prob``
    (scaled by 1/keep_prob) while ``is_training`` (a bool or a bool tensor), else the
    identity."""
    with variable_scope(scope, "Dropout", [inputs], custom_getter=None) as sc:
        layer = core_layers.Dropout(rate=1 - keep_prob, noise_shape=noise_shape, seed=seed,
                                    name=sc.name, _scope=sc)
        outputs = layer.apply(convert_to_tensor(inputs), training=is_training)
        _collect([outputs], outputs_collections, "outputs")
        return outputs


@add_arg_scope
def one_hot_encoding(labels: Any, num_classes: int, on_value: float = 1.0,
                     off_value: float = 0.0, outputs_collections: Any = None,
                     scope: str | None = None) -> Tensor:
    """``tf.contrib.layers.one_hot_encoding``: float one-hot rows of integer ``labels``."""
    with name_scope(scope, "OneHotEncoding", [labels, num_classes]):
        labels = convert_to_tensor(labels)
        if labels.dtype.is_floating:
            labels = cast(labels, "int64")
        outputs = one_hot(labels, num_classes, on_value=on_value, off_value=off_value)
        _collect([outputs], outputs_collections, "outputs")
        return outputs

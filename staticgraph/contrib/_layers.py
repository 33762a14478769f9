"""The implementation of ``tf.contrib.layers`` (see that package): xavier/variance-scaling
initializers, L1/L2 regularizers, and the ``fully_connected``, ``conv2d`` and ``flatten``
layers (variables ``weights``/``biases``, relu by default), built on
:mod:`staticgraph.layers`.
"""
from __future__ import annotations

import functools
import math
import numbers
from typing import Any, Callable

from ..core import dtypes
from ..core.graph import GraphKeys, Tensor, get_default_graph, name_scope
from ..core.shapes import TensorShape
from ..nn import l2_loss, relu
from ..ops.framework import convert_to_tensor
from ..ops.init_ops import Initializer, zeros_initializer
from ..ops.math_ops import abs as abs_, multiply
from ..ops.random_ops import random_uniform, truncated_normal
from ..ops.reduce_ops import reduce_sum
from ..ops.variable_scope import variable_scope
from .. import layers as core_layers
from ._arg_scope import add_arg_scope

__all__ = [
    "xavier_initializer", "xavier_initializer_conv2d", "variance_scaling_initializer",
    "l1_regularizer", "l2_regularizer", "fully_connected", "conv2d", "convolution2d",
    "flatten",
]


# ----------------------------------------------------------------------------------------
# Initializers
# ----------------------------------------------------------------------------------------

_FAN_MODES = ("FAN_IN", "FAN_OUT", "FAN_AVG")


class _ContribVarianceScaling(Initializer):
    """contrib's variance scaling: uniform in ±sqrt(3 factor / n), or a normal truncated
    at two standard deviations with stddev sqrt(1.3 factor / n) (n: fan_in, fan_out or
    their mean, with conv kernels counting their receptive field)."""

    def __init__(self, factor: float, mode: str, uniform: bool, seed: int | None,
                 dtype: Any) -> None:
        if mode not in _FAN_MODES:
            raise TypeError(f"Unknown mode {mode} [{', '.join(_FAN_MODES)}]")
        self.dtype = dtypes.as_dtype(dtype)
        if not self.dtype.is_floating:
            raise TypeError("Cannot create initializer for non-floating point type.")
        self.factor, self.mode, self.uniform, self.seed = factor, mode, uniform, seed

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        dims = shape.as_list() if isinstance(shape, TensorShape) else [int(d) for d in shape]
        dtype = dtypes.as_dtype(dtype or self.dtype)
        if not dtype.is_floating:
            raise TypeError("Cannot create initializer for non-floating point type.")
        fan_in = float(dims[-2] if len(dims) > 1 else dims[-1]) if dims else 1.0
        fan_out = float(dims[-1]) if dims else 1.0
        receptive = float(math.prod(dims[:-2]))
        fan_in, fan_out = fan_in * receptive, fan_out * receptive
        n = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2.0}
        variance = self.factor / n[self.mode]
        if self.uniform:
            limit = math.sqrt(3.0 * variance)
            return random_uniform(dims, -limit, limit, dtype, seed=self.seed)
        return truncated_normal(dims, 0.0, math.sqrt(1.3 * variance), dtype, seed=self.seed)

    def get_config(self) -> dict:
        """The constructor arguments."""
        return {"factor": self.factor, "mode": self.mode, "uniform": self.uniform,
                "seed": self.seed, "dtype": self.dtype.name}


def variance_scaling_initializer(factor: float = 2.0, mode: str = "FAN_IN",
                                 uniform: bool = False, seed: int | None = None,
                                 dtype: Any = dtypes.float32) -> Initializer:
    """``tf.contrib.layers.variance_scaling_initializer``: He initialization by default
    (factor 2, FAN_IN, truncated normal)."""
    return _ContribVarianceScaling(factor, mode, uniform, seed, dtype)


def xavier_initializer(uniform: bool = True, seed: int | None = None,
                       dtype: Any = dtypes.float32) -> Initializer:
    """``tf.contrib.layers.xavier_initializer``: variance 1 / fan_avg, uniform by default."""
    return _ContribVarianceScaling(1.0, "FAN_AVG", uniform, seed, dtype)


xavier_initializer_conv2d = xavier_initializer

# ----------------------------------------------------------------------------------------
# Regularizers
# ----------------------------------------------------------------------------------------


def _regularizer(scale: Any, scope: str | None, default_name: str,
                 penalty: Callable[[Tensor], Tensor]) -> Callable:
    if isinstance(scale, numbers.Integral):
        raise ValueError(f"scale cannot be an integer: {scale}")
    if isinstance(scale, numbers.Real):
        if scale < 0.0:
            raise ValueError(f"Setting a scale less than 0 on a regularizer: {scale:g}.")
        if scale == 0.0:
            return lambda _: None

    def regularize(weights: Any) -> Tensor:
        with name_scope(scope, default_name, [weights]) as name:
            weights = convert_to_tensor(weights)
            factor = convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return multiply(factor, penalty(weights), name=name)
    regularize.__name__ = default_name.split("_")[0]
    return regularize


def l1_regularizer(scale: float, scope: str | None = None) -> Callable:
    """``tf.contrib.layers.l1_regularizer``: ``weights -> scale * sum(|weights|)`` (a scale
    of 0 gives a regularizer returning None)."""
    return _regularizer(scale, scope, "l1_regularizer", lambda w: reduce_sum(abs_(w)))


def l2_regularizer(scale: float, scope: str | None = None) -> Callable:
    """``tf.contrib.layers.l2_regularizer``: ``weights -> scale * sum(weights²) / 2`` (a
    scale of 0 gives a regularizer returning None)."""
    return _regularizer(scale, scope, "l2_regularizer", l2_loss)


# ----------------------------------------------------------------------------------------
# Layers
# ----------------------------------------------------------------------------------------

_RENAMES = {"kernel": "weights", "bias": "biases", "depthwise_kernel": "depthwise_weights",
            "pointwise_kernel": "pointwise_weights"}
_WEIGHTS = ("kernel", "depthwise_kernel", "pointwise_kernel")


def _contrib_getter(getter: Callable, name: str, *args: Any, renames: dict = _RENAMES,
                    **kwargs: Any) -> Any:
    """Names a layer's ``kernel``/``bias`` ``weights``/``biases`` (a separable one's
    kernels ``depthwise_weights``/``pointwise_weights``; or as ``renames`` says) and adds
    them to ``MODEL_VARIABLES``, as contrib's layers do."""
    scope, _, short = name.rpartition("/")
    short = renames.get(short, short)
    variable = getter(f"{scope}/{short}" if scope else short, *args, **kwargs)
    graph = get_default_graph()
    if variable not in graph.get_collection(GraphKeys.MODEL_VARIABLES):
        graph.add_to_collection(GraphKeys.MODEL_VARIABLES, variable)
    return variable


def _collect(variables: list, collections: Any, key: str) -> None:
    """Adds ``variables`` to ``variables_collections`` (a list, or a dict by key)."""
    if isinstance(collections, dict):
        collections = collections.get(key)
    for collection in [collections] if isinstance(collections, str) else collections or []:
        for variable in variables:
            get_default_graph().add_to_collection(collection, variable)


_OPTIONS = {"weights_initializer": xavier_initializer(), "weights_regularizer": None,
            "biases_initializer": zeros_initializer(), "biases_regularizer": None,
            "reuse": None, "variables_collections": None, "outputs_collections": None,
            "trainable": True, "scope": None}


def _contrib_layer(function: str, default_scope: str, inputs: Any, make_layer: Callable,
                   activation_fn: Callable | None, normalizer_fn: Callable | None,
                   normalizer_params: dict | None, options: dict,
                   renames: dict = _RENAMES) -> Tensor:
    """Builds ``make_layer(inputs, **layer arguments)`` in the scope contrib uses (named
    ``default_scope`` unless ``scope`` is given, its weights renamed ``weights``/
    ``biases`` or as ``renames`` says), then applies ``normalizer_fn`` and
    ``activation_fn``."""
    unknown = sorted(set(options) - set(_OPTIONS))
    if unknown:
        raise TypeError(f"{function}() got unexpected keyword argument(s) {unknown}")
    o = {**_OPTIONS, **options}
    with variable_scope(o["scope"], default_scope, [inputs], reuse=o["reuse"],
                        custom_getter=functools.partial(_contrib_getter, renames=renames)
                        ) as sc:
        inputs = convert_to_tensor(inputs)
        layer = make_layer(
            inputs, use_bias=normalizer_fn is None and o["biases_initializer"] is not None,
            kernel_initializer=o["weights_initializer"],
            bias_initializer=o["biases_initializer"],
            kernel_regularizer=o["weights_regularizer"],
            bias_regularizer=o["biases_regularizer"], trainable=o["trainable"],
            name=sc.name, dtype=inputs.dtype.base_dtype, _scope=sc, _reuse=o["reuse"])
        outputs = layer.apply(inputs)
        _collect([w for w in (getattr(layer, a, None) for a in _WEIGHTS) if w is not None],
                 o["variables_collections"], "weights")
        if layer.bias is not None:
            _collect([layer.bias], o["variables_collections"], "biases")
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        _collect([outputs], o["outputs_collections"], "outputs")
        return outputs


@add_arg_scope
def fully_connected(inputs: Any, num_outputs: int, activation_fn: Callable | None = relu,
                    normalizer_fn: Callable | None = None, normalizer_params: dict | None = None,
                    **options: Any) -> Tensor:
    """``tf.contrib.layers.fully_connected``: ``activation_fn(inputs · weights + biases)``
    (relu by default; variables ``fully_connected/weights`` and ``fully_connected/biases``;
    no biases when a ``normalizer_fn`` is given). Further keyword arguments, with
    contrib's defaults: ``weights_initializer`` (xavier), ``weights_regularizer``,
    ``biases_initializer`` (zeros; None: no biases), ``biases_regularizer``, ``reuse``,
    ``variables_collections``, ``outputs_collections``, ``trainable`` (True), ``scope``."""
    if not isinstance(num_outputs, numbers.Integral) or isinstance(num_outputs, bool):
        raise ValueError(f"num_outputs type should be an integer, got "
                         f"{type(num_outputs).__name__}.")
    return _contrib_layer(
        "fully_connected", "fully_connected", inputs,
        lambda x, **layer_args: core_layers.Dense(num_outputs, **layer_args),
        activation_fn, normalizer_fn, normalizer_params, options)


@add_arg_scope
def conv2d(inputs: Any, num_outputs: int, kernel_size: Any, stride: Any = 1,
           padding: str = "SAME", data_format: str | None = None, rate: Any = 1,
           activation_fn: Callable | None = relu, normalizer_fn: Callable | None = None,
           normalizer_params: dict | None = None, **options: Any) -> Tensor:
    """``tf.contrib.layers.conv2d``: a convolution with SAME padding and relu by default
    (variables ``Conv/weights`` and ``Conv/biases``); rank-3 inputs get a 1-D one. Further
    keyword arguments as :func:`fully_connected`."""
    def make_layer(x: Tensor, **layer_args: Any) -> core_layers.Layer:
        rank = x.shape.ndims
        if rank not in (3, 4):
            raise ValueError(f"Convolution not supported for input with rank {rank} "
                             f"(input shape {x.shape}); staticgraph's contrib conv2d takes "
                             "rank 3 or 4")
        channels_first = data_format is not None and data_format.startswith("NC")
        cls = core_layers.Conv1D if rank == 3 else core_layers.Conv2D
        return cls(num_outputs, kernel_size, strides=stride, padding=padding,
                   data_format="channels_first" if channels_first else "channels_last",
                   dilation_rate=rate, **layer_args)

    return _contrib_layer("conv2d", "Conv", inputs, make_layer, activation_fn,
                          normalizer_fn, normalizer_params, options)


convolution2d = conv2d


@add_arg_scope
def flatten(inputs: Any, outputs_collections: Any = None, scope: str | None = None
            ) -> Tensor:
    """``tf.contrib.layers.flatten``: ``[batch, ...]`` to ``[batch, k]`` (rank >= 2)."""
    with name_scope(scope, "Flatten", [inputs]):
        inputs = convert_to_tensor(inputs)
        if inputs.shape.ndims is None or inputs.shape.ndims < 2:
            raise ValueError(f"Inputs must have a least 2 dimensions, got shape "
                             f"{inputs.shape}.")
        outputs = core_layers.flatten(inputs)
        _collect([outputs], outputs_collections, "outputs")
        return outputs

"""Still more of ``tf.contrib.layers``: combined regularizers and ``apply_regularization``,
``repeat``/``stack`` (one layer function applied several times, slim's VGG idiom),
``embed_sequence``, ``separable_conv2d`` and the activation summaries, with TF 1.15's
scopes, names and errors."""
from __future__ import annotations

import numbers
from typing import Any, Callable, Sequence

from ..core.graph import GraphKeys, Tensor, get_default_graph, name_scope
from ..ops.fill_ops import constant
from ..ops.framework import convert_to_tensor
from ..ops.gather_ops import gather
from ..ops.join_ops import concat
from ..ops.math_ops import add_n
from ..ops.nn_extra_ops import embedding_lookup
from ..ops.shape_ops import reshape, shape
from ..ops.sort_ops import unique as unique_op
from ..ops.cast_ops import cast
from ..ops.conv_ops import depthwise_conv2d
from ..ops.comparison_ops import greater, less
from ..ops.reduce_ops import reduce_mean
from ..ops.variable_scope import get_variable, variable_scope
from ..viz.summary import histogram, scalar
from ._arg_scope import add_arg_scope
from ._layers import _RENAMES, _contrib_layer, l1_regularizer, l2_regularizer
from .. import layers as core_layers
from ..nn import relu

__all__ = ["sum_regularizer", "l1_l2_regularizer", "apply_regularization", "repeat", "stack",
           "embed_sequence", "separable_conv2d", "separable_convolution2d",
           "summarize_activation", "summarize_activations"]


def sum_regularizer(regularizer_list: Sequence[Callable | None],
                    scope: str | None = None) -> Callable | None:
    """``tf.contrib.layers.sum_regularizer``: a regularizer adding the penalties of the
    given ones (None entries, and penalties that are None, are left out); None if the list
    has no regularizer."""
    regularizers = [r for r in regularizer_list if r is not None]
    if not regularizers:
        return None

    def sum_reg(weights: Any) -> Tensor | None:
        with name_scope(scope, "sum_regularizer", [weights]) as name:
            penalties = [p for p in (r(weights) for r in regularizers) if p is not None]
            return add_n(penalties, name=name) if penalties else None
    return sum_reg


def l1_l2_regularizer(scale_l1: float = 1.0, scale_l2: float = 1.0,
                      scope: str | None = None) -> Callable | None:
    """``tf.contrib.layers.l1_l2_regularizer``: ``scale_l1 * sum(|w|) + scale_l2 *
    sum(w²) / 2``; with one scale 0 it is the other regularizer alone. Integer scales are
    an error, as in TF1."""
    for value, what in ((scale_l1, "scale_l1"), (scale_l2, "scale_l2")):
        if isinstance(value, numbers.Integral):
            raise ValueError(f"{what} cannot be an integer: {value}")
    scope = scope or "l1_l2_regularizer"
    if scale_l1 == 0.0:
        return l2_regularizer(scale_l2, scope)
    if scale_l2 == 0.0:
        return l1_regularizer(scale_l1, scope)
    return sum_regularizer([l1_regularizer(scale_l1), l2_regularizer(scale_l2)], scope=scope)


def apply_regularization(regularizer: Callable, weights_list: Sequence[Any] | None = None
                         ) -> Tensor:
    """``tf.contrib.layers.apply_regularization``: the sum of ``regularizer(w)`` over
    ``weights_list`` (default: the ``WEIGHTS`` collection; a None penalty counts 0), added
    to ``REGULARIZATION_LOSSES`` and returned. Every penalty must be a scalar."""
    graph = get_default_graph()
    weights_list = list(weights_list or graph.get_collection(GraphKeys.WEIGHTS))
    if not weights_list:
        raise ValueError("No weights to regularize.")
    with name_scope("get_regularization_penalty", values=weights_list) as scope:
        penalties = [regularizer(w) for w in weights_list]
        penalties = [convert_to_tensor(p) if p is not None else constant(0.0)
                     for p in penalties]
        for penalty, weights in zip(penalties, weights_list):
            if penalty.shape.ndims != 0:
                raise ValueError(f"regularizer must return a scalar Tensor instead of a "
                                 f"Tensor with rank {penalty.shape.ndims} (penalty of "
                                 f"{getattr(weights, 'name', weights)}, shape "
                                 f"{penalty.shape}).")
        total = add_n(penalties, name=scope)
    graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, total)
    return total


def _layer_name(layer: Callable, default: str) -> str:
    """The layer function's name (that of a ``functools.partial``'s function)."""
    if hasattr(layer, "__name__"):
        return layer.__name__
    return getattr(getattr(layer, "func", None), "__name__", default)


def _apply_in_turn(inputs: Any, layer: Callable, calls: list, scope: str | None,
                   default_scope: str, default_name: str, kwargs: dict) -> Tensor:
    """``layer`` applied once per positional-argument list in ``calls``, the i-th call in
    scope ``<scope>/<scope>_<i>`` (``<scope>`` defaulting to the layer's name)."""
    with variable_scope(scope, default_scope, [inputs]):
        outputs = convert_to_tensor(inputs)
        prefix = scope if scope is not None else _layer_name(layer, default_name)
        for i, args in enumerate(calls):
            outputs = layer(outputs, *args, **{**kwargs, "scope": f"{prefix}_{i + 1}"})
        return outputs


@add_arg_scope
def repeat(inputs: Any, repetitions: int, layer: Callable, *args: Any,
           **kwargs: Any) -> Tensor:
    """``tf.contrib.layers.repeat``: ``layer(inputs, *args, **kwargs)`` applied
    ``repetitions`` times, each on the previous output; under ``scope`` (default
    ``Repeat``) the calls get scopes ``<scope>_1``, ``<scope>_2``, ... with ``<scope>``
    the given scope or the layer's name (``conv1/conv1_1/weights``)."""
    scope = kwargs.pop("scope", None)
    return _apply_in_turn(inputs, layer, [args] * repetitions, scope, "Repeat", "repeat",
                          kwargs)


@add_arg_scope
def stack(inputs: Any, layer: Callable, stack_args: Sequence[Any], **kwargs: Any) -> Tensor:
    """``tf.contrib.layers.stack``: ``layer`` applied once per entry of ``stack_args``
    (its positional arguments after the input, a list or a single value), each on the
    previous output, with :func:`repeat`'s scopes (default ``Stack``)."""
    scope = kwargs.pop("scope", None)
    if not isinstance(stack_args, (list, tuple)):
        raise ValueError("stack_args need to be a list or tuple")
    calls = [a if isinstance(a, (list, tuple)) else [a] for a in stack_args]
    return _apply_in_turn(inputs, layer, calls, scope, "Stack", "stack", kwargs)


def embed_sequence(ids: Any, vocab_size: int | None = None, embed_dim: int | None = None,
                   unique: bool = False, initializer: Any = None, regularizer: Any = None,
                   trainable: bool = True, scope: str | None = None,
                   reuse: Any = None) -> Tensor:
    """``tf.contrib.layers.embed_sequence``: looks ``ids`` ``[batch, length]`` up in the
    model variable ``EmbedSequence/embeddings`` ``[vocab_size, embed_dim]`` (float32,
    ``get_variable``'s default initializer); ``unique`` looks each distinct id up once."""
    if not (vocab_size and embed_dim):
        raise ValueError("Must specify vocab size and embedding dimension")
    with variable_scope(scope, "EmbedSequence", [ids], reuse=reuse):
        embeddings = get_variable("embeddings", [vocab_size, embed_dim],
                                  initializer=initializer, regularizer=regularizer,
                                  trainable=trainable)
        graph = get_default_graph()
        if embeddings not in graph.get_collection(GraphKeys.MODEL_VARIABLES):
            graph.add_to_collection(GraphKeys.MODEL_VARIABLES, embeddings)
        ids = convert_to_tensor(ids)
        if not unique:
            return embedding_lookup(embeddings, ids)
        distinct, index = unique_op(reshape(ids, [-1]))
        rows = gather(embedding_lookup(embeddings, distinct), index)
        return reshape(rows, concat([shape(ids), [embed_dim]], 0))


@add_arg_scope
def separable_conv2d(inputs: Any, num_outputs: int | None, kernel_size: Any,
                     depth_multiplier: int = 1, stride: Any = 1, padding: str = "SAME",
                     data_format: str = "NHWC", rate: Any = 1,
                     activation_fn: Callable | None = relu,
                     normalizer_fn: Callable | None = None,
                     normalizer_params: dict | None = None,
                     pointwise_initializer: Any = None, **options: Any) -> Tensor:
    """``tf.contrib.layers.separable_conv2d``: a depthwise convolution (``depth_multiplier``
    filters per channel) then a 1x1 one to ``num_outputs`` channels, SAME padding and relu
    by default; variables ``SeparableConv2d/depthwise_weights``, ``pointwise_weights``
    (both from ``weights_initializer``, xavier, unless ``pointwise_initializer``; both
    regularized by ``weights_regularizer``) and ``biases``. Further keyword arguments as
    :func:`fully_connected`. With ``num_outputs=None`` only the depthwise convolution is
    made (``depth_multiplier`` × input channels outputs; variables ``depthwise_weights``
    and ``biases``)."""
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError(f"data_format has to be either NCHW or NHWC, got {data_format!r}")
    geometry = dict(kernel_size=kernel_size, strides=stride, padding=padding,
                    data_format="channels_first" if data_format == "NCHW" else "channels_last",
                    dilation_rate=rate)

    def make_layer(x: Tensor, kernel_initializer: Any, kernel_regularizer: Any,
                   **layer_args: Any) -> core_layers.Layer:
        if x.shape.ndims != 4:
            raise ValueError(f"separable_conv2d: inputs must be rank 4, got {x.name} of "
                             f"shape {x.shape}")
        if num_outputs is None:
            return _DepthwiseConv2D(depth_multiplier, kernel_initializer=kernel_initializer,
                                    kernel_regularizer=kernel_regularizer, **geometry,
                                    **layer_args)
        return core_layers.SeparableConv2D(
            num_outputs, depth_multiplier=depth_multiplier,
            depthwise_initializer=kernel_initializer,
            pointwise_initializer=pointwise_initializer if pointwise_initializer is not None
            else kernel_initializer, depthwise_regularizer=kernel_regularizer,
            pointwise_regularizer=kernel_regularizer, **geometry, **layer_args)

    renames = {"kernel": "depthwise_weights", "bias": "biases"} if num_outputs is None \
        else _RENAMES
    return _contrib_layer("separable_conv2d", "SeparableConv2d", inputs, make_layer,
                          activation_fn, normalizer_fn, normalizer_params, options, renames)


class _DepthwiseConv2D(core_layers.Conv2D):
    """contrib's depthwise-only convolution: a ``kernel`` ``[kh, kw, channels,
    depth_multiplier]`` and ``channels * depth_multiplier`` outputs."""

    def __init__(self, depth_multiplier: int, **kwargs: Any) -> None:
        super().__init__(filters=1, **kwargs)  # the outputs are known once built
        self.depth_multiplier = int(depth_multiplier)

    def add_weights(self, channels: int) -> None:
        self.filters = channels * self.depth_multiplier
        super().add_weights(channels)

    def _kernel_shape(self, channels: int) -> list[int]:
        return [*self.kernel_size, channels, self.depth_multiplier]

    def _convolve(self, x: Tensor, kernel: Tensor, strides: list, dilations: list) -> Tensor:
        return depthwise_conv2d(x, kernel, strides, self.padding.upper(), rate=dilations[1:3])


separable_convolution2d = separable_conv2d


def _fraction(condition: Tensor, tag: str) -> Tensor:
    return scalar(tag, reduce_mean(cast(condition, "float32")))


def summarize_activation(op: Tensor) -> Tensor:
    """``tf.contrib.layers.summarize_activation``: a histogram summary
    ``<op name>/activation`` of the tensor; for a Relu, Softplus or Relu6 output also the
    scalar ``<op name>/zeros`` (the fraction of negative inputs), for a Relu6 ``/sixes``
    (inputs above 6). Returns the histogram summary."""
    op = convert_to_tensor(op)
    name, pre = op.op.name, op.op.inputs[0] if op.op.inputs else None
    if op.op.type in ("Relu", "Softplus", "Relu6"):
        _fraction(less(pre, cast(0.0, pre.dtype)), f"{name}/zeros")
    if op.op.type == "Relu6":
        _fraction(greater(pre, cast(6.0, pre.dtype)), f"{name}/sixes")
    return histogram(f"{name}/activation", op)


def summarize_activations(name_filter: str | None = None,
                          summarizer: Callable = summarize_activation) -> list:
    """``tf.contrib.layers.summarize_activations``: ``summarizer`` applied to every tensor
    of the ``ACTIVATIONS`` collection whose name matches ``name_filter``."""
    return [summarizer(a) for a in
            get_default_graph().get_collection(GraphKeys.ACTIVATIONS, name_filter)]

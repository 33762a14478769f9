"""tf.nn's rank-generic and alias forms of the convolution and pooling ops: convolution,
conv_transpose, max_pool_v2/avg_pool_v2 (dispatching on the number of spatial dims),
atrous_conv2d(_transpose), the depthwise gradient ops under TF's names, TF's
conv2d_backprop_*_v2 (taking tensors where v1 takes shapes), and the replica-scaled
losses compute_average_loss and scale_regularization_loss. All are composites of ops
defined in :mod:`.conv_ops`, :mod:`.pool_ops` and :mod:`.conv3d_ops`.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor, name_scope
from . import conv3d_ops, conv_ops, pool_ops
from .cast_ops import cast
from .conv_ops import _conv_op, _sizes_tensor
from .framework import constant_value, convert_n, convert_to_tensor
from .math_ops import add_n, div_no_nan, multiply
from .reduce_ops import reduce_sum
from .shape_ops import expand_dims, shape_of, squeeze

__all__ = [
    "convolution", "conv_transpose", "atrous_conv2d", "atrous_conv2d_transpose",
    "max_pool_v2", "avg_pool_v2", "depthwise_conv2d_backprop_filter",
    "depthwise_conv2d_backprop_input", "depthwise_conv2d_native_backprop_filter",
    "depthwise_conv2d_native_backprop_input", "compute_average_loss",
    "scale_regularization_loss",
]

_FORMATS = {1: "NWC", 2: "NHWC", 3: "NDHWC"}


def _spatial_rank(x: Tensor, fallback: Any, op: str) -> int:
    """Number of spatial dims: the input's rank - 2, else the length of ``fallback``."""
    rank = x.shape.ndims - 2 if x.shape.ndims is not None else None
    if rank is None and fallback is not None:
        rank = len(np.reshape(np.asarray(fallback), -1))
    if rank not in _FORMATS:
        raise ValueError(f"{op}: the input must have 1, 2 or 3 spatial dims (rank 3, 4 or "
                         f"5), got shape {x.shape}")
    return rank


def _check_format(data_format: str | None, rank: int, op: str) -> None:
    if data_format not in (None, _FORMATS[rank]):
        raise ValueError(f"{op}: only data_format={_FORMATS[rank]!r} is supported for "
                         f"{rank} spatial dims, got {data_format!r}")


def _full(values: Any, rank: int, what: str, op: str) -> list[int]:
    """An int, a per-spatial-dim list or a full ``[1, ..., 1]`` list as the full list."""
    v = [1] if values is None else [int(s) for s in np.reshape(np.asarray(values), -1)]
    if len(v) == 1:
        v = v * rank
    if len(v) == rank:
        v = [1, *v, 1]
    if len(v) != rank + 2:
        raise ValueError(f"{op}: {what} must have 1, {rank} or {rank + 2} entries for "
                         f"{rank} spatial dims, got {v}")
    return v


def convolution(input: Any, filter: Any = None, padding: Any = None, strides: Any = None,
                dilation_rate: Any = None, name: str | None = None,
                data_format: str | None = None, filters: Any = None,
                dilations: Any = None) -> Tensor:
    """``tf.nn.convolution``: conv1d, conv2d or conv3d by the input's spatial rank;
    ``strides`` and ``dilation_rate`` one entry per spatial dim (default 1), not both > 1."""
    filter = filters if filter is None else filter
    conv_ops._required("convolution", filter=filter, padding=padding)
    x, w = convert_n([input, filter], "convolution")
    rate = dilation_rate if dilations is None else dilations
    rank = _spatial_rank(x, strides if strides is not None else rate, "convolution")
    _check_format(data_format, rank, "convolution")
    step, dil = (_full(strides, rank, "strides", "convolution"),
                 _full(rate, rank, "dilation_rate", "convolution"))
    if max(step) > 1 and max(dil) > 1:
        raise ValueError(f"convolution: strides {step[1:-1]} > 1 are not supported with "
                         f"dilation_rate {dil[1:-1]} > 1")
    with name_scope(name, "convolution", [x, w]) as scope:
        if rank == 1:
            return conv_ops.conv1d(x, w, step[1:-1], padding, dilations=dil[1:-1], name=scope)
        if rank == 2:
            return conv_ops.conv2d(x, w, step, padding, dilations=dil, name=scope)
        return conv3d_ops.conv3d(x, w, step, padding, dilations=dil, name=scope)


def conv_transpose(input: Any, filters: Any, output_shape: Any, strides: Any,
                   padding: str = "SAME", data_format: str | None = None,
                   dilations: Any = None, name: str | None = None) -> Tensor:
    """``tf.nn.conv_transpose``: conv1d/2d/3d_transpose by the number of spatial dims
    (from ``output_shape``'s length, else the input's rank)."""
    x = convert_to_tensor(input)
    shape = convert_to_tensor(output_shape, dtype=dtypes.int32)
    rank = shape.shape.as_list()[0] - 2 if shape.shape.is_fully_defined() else \
        _spatial_rank(x, None, "conv_transpose")
    if rank not in _FORMATS:
        raise ValueError(f"conv_transpose: output_shape must have 3, 4 or 5 entries, got "
                         f"shape {shape.shape}")
    _check_format(data_format, rank, "conv_transpose")
    step = _full(strides, rank, "strides", "conv_transpose")
    dil = _full(dilations, rank, "dilations", "conv_transpose")
    with name_scope(name, "conv_transpose", [x, filters, shape]) as scope:
        if rank == 1:
            return conv_ops.conv1d_transpose(x, filters, shape, step[1:-1], padding,
                                             dilations=dil[1:-1], name=scope)
        if rank == 2:
            return conv_ops.conv2d_transpose(x, filters, shape, step, padding, name=scope,
                                             dilations=dil)
        return conv3d_ops.conv3d_transpose(x, filters, shape, step, padding, name=scope,
                                           dilations=dil)


def _atrous_rate(rate: Any, op: str) -> list[int]:
    if int(rate) < 1:
        raise ValueError(f"{op}: rate {rate} cannot be less than one")
    return [1, int(rate), int(rate), 1]


def atrous_conv2d(value: Any, filters: Any, rate: int, padding: Any,
                  name: str | None = None) -> Tensor:
    """``tf.nn.atrous_conv2d``: conv2d with the filter dilated by ``rate`` (stride 1)."""
    rates = _atrous_rate(rate, "atrous_conv2d")
    with name_scope(name, "convolution", [value, filters]) as scope:
        return conv_ops.conv2d(value, filters, [1, 1, 1, 1], padding, dilations=rates,
                               name=scope)


def atrous_conv2d_transpose(value: Any, filters: Any, output_shape: Any, rate: int,
                            padding: Any, name: str | None = None) -> Tensor:
    """``tf.nn.atrous_conv2d_transpose``: the adjoint of :func:`atrous_conv2d`; filters
    ``[kh, kw, out_channels, in_channels]``, ``output_shape`` ``[batch, h, w, out]``."""
    rates = _atrous_rate(rate, "atrous_conv2d_transpose")
    with name_scope(name, "atrous_conv2d_transpose", [value, filters, output_shape]) as scope:
        return conv_ops.conv2d_backprop_input(output_shape, filters, value, [1, 1, 1, 1],
                                              padding, dilations=rates, name=scope)


def _pool_v2(rank_pools: dict, input: Any, ksize: Any, strides: Any, padding: Any,
             data_format: str | None, name: str | None, op: str) -> Tensor:
    x = convert_to_tensor(input)
    rank = _spatial_rank(x, None if x.shape.ndims is not None else ksize, op)
    _check_format(data_format, rank, op)
    return rank_pools[rank](x, ksize, strides, padding, _FORMATS[rank], name)


def max_pool_v2(input: Any, ksize: Any, strides: Any, padding: Any,
                data_format: str | None = None, name: str | None = None) -> Tensor:
    """``tf.nn.max_pool_v2``: max_pool1d, 2d or 3d by the input's spatial rank."""
    pools = {1: pool_ops.max_pool1d, 2: pool_ops.max_pool2d, 3: conv3d_ops.max_pool3d}
    return _pool_v2(pools, input, ksize, strides, padding, data_format, name, "max_pool_v2")


def avg_pool_v2(input: Any, ksize: Any, strides: Any, padding: Any,
                data_format: str | None = None, name: str | None = None) -> Tensor:
    """``tf.nn.avg_pool_v2``: avg_pool1d, 2d or 3d by the input's spatial rank."""
    pools: dict[int, Callable] = {1: pool_ops.avg_pool1d, 2: pool_ops.avg_pool2d,
                                  3: conv3d_ops.avg_pool3d}
    return _pool_v2(pools, input, ksize, strides, padding, data_format, name, "avg_pool_v2")


# ----------------------------------------------------------------------------------------
# Gradient ops under TF's names
# ----------------------------------------------------------------------------------------


def depthwise_conv2d_native_backprop_input(input_sizes: Any, filter: Any, out_backprop: Any,
                                           strides: Any, padding: Any,
                                           data_format: str = "NHWC",
                                           dilations: Any = (1, 1, 1, 1),
                                           name: str | None = None) -> Tensor:
    """``tf.nn.depthwise_conv2d_native_backprop_input``: the gradient of
    depthwise_conv2d_native w.r.t. its input, of shape ``input_sizes``."""
    w, dy = convert_n([filter, out_backprop], "DepthwiseConv2dNativeBackpropInput")
    return _conv_op("DepthwiseConv2dNativeBackpropInput", [_sizes_tensor(input_sizes), w, dy],
                    strides, padding, data_format, dilations, name)


def depthwise_conv2d_native_backprop_filter(input: Any, filter_sizes: Any, out_backprop: Any,
                                            strides: Any, padding: Any,
                                            data_format: str = "NHWC",
                                            dilations: Any = (1, 1, 1, 1),
                                            name: str | None = None) -> Tensor:
    """``tf.nn.depthwise_conv2d_native_backprop_filter``: the gradient of
    depthwise_conv2d_native w.r.t. its ``[kh, kw, in, multiplier]`` filter."""
    x, dy = convert_n([input, out_backprop], "DepthwiseConv2dNativeBackpropFilter")
    return _conv_op("DepthwiseConv2dNativeBackpropFilter", [x, _sizes_tensor(filter_sizes), dy],
                    strides, padding, data_format, dilations, name)


depthwise_conv2d_backprop_input = depthwise_conv2d_native_backprop_input
depthwise_conv2d_backprop_filter = depthwise_conv2d_native_backprop_filter


def _shape_for_v1(given: Any, explicit_paddings: Any, op: str) -> Any:
    """The shape of tensor ``given`` (static when known) for the v1 op; refuses TF's
    explicit paddings."""
    if explicit_paddings is not None and len(list(explicit_paddings)):
        raise NotImplementedError(f"{op}: explicit_paddings {list(explicit_paddings)} "
                                  "(padding 'EXPLICIT') is not implemented")
    t = convert_to_tensor(given)
    return t.shape.as_list() if t.shape.is_fully_defined() else shape_of(t)


def conv2d_backprop_filter_v2(input: Any, filter: Any, out_backprop: Any, strides: Any,
                              padding: Any, use_cudnn_on_gpu: bool = True,
                              explicit_paddings: Any = (), data_format: str = "NHWC",
                              dilations: Any = (1, 1, 1, 1), name: str | None = None
                              ) -> Tensor:
    """``tf.conv2d_backprop_filter_v2``: conv2d's filter gradient, shaped like ``filter``."""
    sizes = _shape_for_v1(filter, explicit_paddings, "conv2d_backprop_filter_v2")
    return conv_ops.conv2d_backprop_filter(input, sizes, out_backprop, strides, padding,
                                           data_format=data_format, dilations=dilations,
                                           name=name)


def conv2d_backprop_input_v2(input: Any, filter: Any, out_backprop: Any, strides: Any,
                             padding: Any, use_cudnn_on_gpu: bool = True,
                             explicit_paddings: Any = (), data_format: str = "NHWC",
                             dilations: Any = (1, 1, 1, 1), name: str | None = None
                             ) -> Tensor:
    """``tf.conv2d_backprop_input_v2``: conv2d's input gradient, shaped like ``input``."""
    sizes = _shape_for_v1(input, explicit_paddings, "conv2d_backprop_input_v2")
    return conv_ops.conv2d_backprop_input(sizes, filter, out_backprop, strides, padding,
                                          data_format=data_format, dilations=dilations,
                                          name=name)


# ----------------------------------------------------------------------------------------
# Losses scaled for replicas (one replica here)
# ----------------------------------------------------------------------------------------


def compute_average_loss(per_example_loss: Any, sample_weight: Any = None,
                         global_batch_size: Any = None) -> Tensor:
    """``tf.nn.compute_average_loss``: ``sum(per_example_loss * sample_weight) /
    global_batch_size`` (default: the loss's first dimension); 0 when the batch size is 0.
    As in TF, weighted losses are multiplied in float32."""
    loss = convert_to_tensor(per_example_loss)
    if loss.shape.ndims == 0:
        raise ValueError("compute_average_loss: per_example_loss must have rank at least 1, "
                         f"got shape {loss.shape}")
    if sample_weight is not None:  # as TF: scaled in float32, then cast back
        loss = cast(_scaled_by(cast(loss, dtypes.float32),
                               cast(sample_weight, dtypes.float32)), loss.dtype)
    if global_batch_size is None:
        global_batch_size = shape_of(loss)[0]
    else:
        value = constant_value(convert_to_tensor(global_batch_size))
        if value is not None and (np.ndim(value) != 0 or int(value) < 0
                                  or not np.issubdtype(np.asarray(value).dtype, np.integer)):
            raise ValueError("compute_average_loss: global_batch_size must be a non-negative "
                             f"integer scalar, got {value!r}")
    return div_no_nan(reduce_sum(loss), cast(global_batch_size, loss.dtype))


def _scaled_by(loss: Tensor, weight: Tensor) -> Tensor:
    """``loss * weight`` after matching ranks as TF does: a weight one rank above the
    loss loses its last axis, one rank below gains one."""
    if None not in (loss.shape.ndims, weight.shape.ndims):
        diff = weight.shape.ndims - loss.shape.ndims
        if diff == 1:
            weight = squeeze(weight, [-1])
        elif diff == -1:
            weight = expand_dims(weight, -1)
    return multiply(loss, weight)


def scale_regularization_loss(regularization_loss: Any) -> Tensor:
    """``tf.nn.scale_regularization_loss``: the sum of the regularization loss (a tensor or
    a list of them), divided by the number of replicas (one)."""
    if isinstance(regularization_loss, (list, tuple)):
        regularization_loss = add_n(list(regularization_loss))
    return reduce_sum(regularization_loss)

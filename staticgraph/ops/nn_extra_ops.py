"""``tf.nn`` functions built from existing ops (their gradients and tangents follow):
``embedding_lookup``, ``lrn``, ``swish``/``silu``, ``crelu``, ``log_sigmoid``, the
weighted and Poisson losses, ``zero_fraction``, moments from sufficient statistics, and
``space_to_depth``/``depth_to_space``."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from .activation_ops import relu, softplus
from .cast_ops import cast
from .clip_ops import clip_by_norm
from .comparison_ops import equal, greater_equal, less_equal, logical_and
from .einsum_ops import tensordot
from .fill_ops import range as range_, zeros_like
from .framework import constant, convert_to_tensor
from .gather_ops import gather
from .join_ops import concat
from .math_ops import (abs, add, exp, log, log1p, multiply, negative, pow, reciprocal,
                       sigmoid, square, squared_difference, subtract)
from .nn_impl import batch_normalization, xw_plus_b
from .partition_ops import dynamic_partition, dynamic_stitch
from .op_util import _deprecated_lookup, as_index_tensor, op_scope
from .reduce_ops import reduce_mean, reduce_prod, reduce_sum
from .selection_ops import where_v2
from .shape_ops import reshape, shape, size, squeeze, transpose
from .special_math_ops import xlogy
from .state_ops import identity

__all__ = [
    "embedding_lookup", "lrn", "local_response_normalization", "swish", "silu",
    "log_sigmoid", "weighted_cross_entropy_with_logits", "zero_fraction", "crelu",
    "relu_layer", "batch_norm_with_global_normalization", "log_poisson_loss",
    "sufficient_statistics", "normalize_moments", "weighted_moments", "space_to_depth",
    "depth_to_space",
]


# ----------------------------------------------------------------------------------------
# embedding_lookup
# ----------------------------------------------------------------------------------------


def _partition_rows(params: Sequence[Tensor]) -> list[int]:
    sizes = [p.shape.as_tuple()[0] if p.shape.ndims else None for p in params]
    if None in sizes:
        raise ValueError(f"embedding_lookup over a list of params needs each one's first "
                         f"dimension known when the graph is built, got shapes "
                         f"{[str(p.shape) for p in params]}")
    return sizes


def _assignments(sizes: list[int], strategy: str) -> tuple[np.ndarray, np.ndarray]:
    """The partition holding each id and its row there, by TF1's partition rules:
    "mod" puts id in partition ``id % P`` at row ``id // P``; "div" gives each of the
    first ``total % P`` partitions one more id of a contiguous range."""
    n, total = len(sizes), sum(sizes)
    ids = np.arange(total)
    if strategy == "mod":
        part, row = ids % n, ids // n
    elif strategy == "div":
        per, extras = divmod(total, n)
        if per == 0:
            raise ValueError(f"embedding_lookup: {total} ids cannot be split 'div'-wise "
                             f"over {n} partitions")
        part = np.maximum(ids // (per + 1), (ids - extras) // per)
        row = np.where(part < extras, ids % (per + 1), (ids - extras) % per)
    else:
        raise ValueError(f"embedding_lookup: partition_strategy must be 'mod' or 'div', "
                         f"got {strategy!r}")
    if np.any(row >= np.asarray(sizes)[part]):
        raise ValueError(f"embedding_lookup: partitions of sizes {sizes} do not fit the "
                         f"{strategy!r} partition strategy for {total} ids")
    return part.astype(np.int32), row.astype(np.int64)


def _partitioned_gather(parts: list[Tensor], ids: Tensor, strategy: str,
                        name: str | None) -> Tensor:
    """TF1's lookup over partitions: the ids split by partition (dynamic_partition), one
    gather per partition, the rows put back in the ids' order (dynamic_stitch), so each
    partition's gradient is an IndexedSlices of its own rows."""
    part_of, row_of = _assignments(_partition_rows(parts), strategy)
    flat = reshape(ids, [-1])
    assignment = gather(constant(part_of, name="partition_of_id"), flat)
    n = len(parts)
    rows = dynamic_partition(gather(constant(row_of, name="row_of_id"), flat),
                             assignment, n)
    order = dynamic_partition(range_(size(flat)), assignment, n)
    found = dynamic_stitch(order, [gather(p, r) for p, r in zip(parts, rows)])
    result = reshape(found, concat([shape(ids), shape(found)[1:]], 0), name=name)
    result.set_shape(ids.shape.concatenate(found.shape[1:]))
    return result


def embedding_lookup(params: Any, ids: Any, partition_strategy: str = "mod",
                     name: str | None = None, validate_indices: bool = True,
                     max_norm: Any = None) -> Tensor:
    """``tf.nn.embedding_lookup``: the rows of ``params`` at ``ids``, shaped
    ``shape(ids) + shape(params)[1:]``. ``params`` may be a list of partitions of one
    table, split by ``partition_strategy`` ("mod" or "div"); with ``max_norm`` each
    looked-up embedding is clipped to that L2 norm. The gradient with respect to one
    table, and with partitions that for each partition, is an IndexedSlices of the rows
    looked up (gather's, as in TF1)."""
    del validate_indices  # ids are always checked against the table's size
    parts = list(params) if isinstance(params, (list, tuple)) else [params]
    if not parts:
        raise ValueError("embedding_lookup: params must not be empty")
    with op_scope(name, "embedding_lookup", [*parts, ids]) as scope:
        parts = [convert_to_tensor(p) for p in parts]
        ids = as_index_tensor(ids, "ids")
        out_name = scope if max_norm is None else None
        if len(parts) == 1:
            found = gather(parts[0], ids, name=out_name)
        else:
            found = _partitioned_gather(parts, ids, partition_strategy, out_name)
        if max_norm is None:
            return found
        if ids.shape.ndims is None or found.shape.ndims is None:
            raise ValueError("embedding_lookup with max_norm needs ids and params of known "
                             "rank")
        axes = list(range(ids.shape.ndims, found.shape.ndims))
        return clip_by_norm(found, max_norm, axes=axes, name=scope)


# ----------------------------------------------------------------------------------------
# Local response normalization
# ----------------------------------------------------------------------------------------


def lrn(input: Any, depth_radius: int = 5, bias: float = 1, alpha: float = 1,
        beta: float = 0.5, name: str | None = None) -> Tensor:
    """``tf.nn.lrn``: ``input / (bias + alpha * sqr_sum) ** beta`` where ``sqr_sum`` sums
    the squares over channels ``d - depth_radius .. d + depth_radius`` of a 4-D NHWC
    input (a channel-band matrix product of the squares)."""
    with op_scope(name, "LRN", [input]) as scope:
        x = convert_to_tensor(input)
        if not x.dtype.is_floating:
            raise TypeError(f"lrn: input must be floating point, got {x.dtype.name}")
        if x.shape.ndims != 4 or x.shape.as_tuple()[3] is None:
            raise ValueError(f"lrn: input must be 4-D [batch, height, width, channels] with "
                             f"known channels, got shape {x.shape}")
        channels = x.shape.as_tuple()[3]
        offsets = np.abs(np.arange(channels)[:, None] - np.arange(channels)[None, :])
        band = constant((offsets <= int(depth_radius)).astype(x.dtype.dtype), name="band")
        sqr_sum = tensordot(square(x), band, axes=1)
        scale = pow(add(multiply(sqr_sum, float(alpha)), float(bias)), -float(beta))
        return multiply(x, scale, name=scope)


local_response_normalization = lrn


# ----------------------------------------------------------------------------------------
# Smooth activations and losses
# ----------------------------------------------------------------------------------------


def swish(features: Any, beta: float = 1.0, name: str | None = None) -> Tensor:
    """``tf.nn.swish`` (``tf.nn.silu``): ``features * sigmoid(beta * features)``."""
    with op_scope(name, "swish", [features]) as scope:
        x = convert_to_tensor(features)
        gate = sigmoid(x if beta == 1.0 else multiply(x, float(beta)))
        return multiply(x, gate, name=scope)


silu = swish


def log_sigmoid(x: Any, name: str | None = None) -> Tensor:
    """``tf.math.log_sigmoid``: ``log(1 / (1 + exp(-x)))`` as ``-softplus(-x)``."""
    with op_scope(name, "LogSigmoid", [x]) as scope:
        return negative(softplus(negative(convert_to_tensor(x))), name=scope)


def _same_shaped(inputs: Any, labels: Any, what: str) -> tuple[Tensor, Tensor]:
    """``inputs`` and ``labels`` (in the inputs' dtype) as tensors of one shape."""
    x = convert_to_tensor(inputs)
    z = convert_to_tensor(labels, dtype=x.dtype)
    if not x.shape.is_compatible_with(z.shape):
        raise ValueError(f"{what} must have the same shape ({x.shape} vs {z.shape})")
    return x, z


def weighted_cross_entropy_with_logits(labels: Any = None, logits: Any = None,
                                       pos_weight: Any = None, name: str | None = None,
                                       targets: Any = None) -> Tensor:
    """``tf.nn.weighted_cross_entropy_with_logits``: the sigmoid cross-entropy with the
    positive term weighted by ``pos_weight``, computed stably as
    ``(1 - z) * x + (1 + (q - 1) * z) * (log1p(exp(-|x|)) + max(-x, 0))``."""
    labels = _deprecated_lookup("labels", labels, "targets", targets)
    if labels is None or logits is None or pos_weight is None:
        raise ValueError("weighted_cross_entropy_with_logits needs labels (or targets), "
                         "logits and pos_weight")
    with op_scope(name, "logistic_loss", [logits, labels]) as scope:
        x, z = _same_shaped(logits, labels, "weighted_cross_entropy_with_logits: logits "
                                            "and labels")
        log_weight = add(multiply(subtract(convert_to_tensor(pos_weight, dtype=x.dtype), 1),
                                  z), 1)
        softplus_neg = add(log1p(exp(negative(abs(x)))), relu(negative(x)))
        return add(multiply(subtract(1, z), x), multiply(log_weight, softplus_neg),
                   name=scope)


def zero_fraction(value: Any, name: str | None = None) -> Tensor:
    """``tf.nn.zero_fraction``: the fraction of entries of ``value`` equal to zero, a
    float32 scalar."""
    with op_scope(name, "zero_fraction", [value]) as scope:
        v = convert_to_tensor(value)
        return reduce_mean(cast(equal(v, np.zeros((), v.dtype.dtype)), dtypes.float32),
                           name=scope)



# ----------------------------------------------------------------------------------------
# More activations and layers of one line
# ----------------------------------------------------------------------------------------


def crelu(features: Any, name: str | None = None, axis: int = -1) -> Tensor:
    """``tf.nn.crelu``: ``concat([relu(x), relu(-x)], axis)``."""
    with op_scope(name, "CRelu", [features]) as scope:
        x = convert_to_tensor(features)
        return concat([relu(x), relu(negative(x))], axis, name=scope)


def relu_layer(x: Any, weights: Any, biases: Any, name: str | None = None) -> Tensor:
    """``tf.nn.relu_layer``: ``relu(matmul(x, weights) + biases)``."""
    with op_scope(name, "relu_layer", [x, weights, biases]) as scope:
        return relu(xw_plus_b(x, weights, biases), name=scope)


def batch_norm_with_global_normalization(t: Any = None, m: Any = None, v: Any = None,
                                         beta: Any = None, gamma: Any = None,
                                         variance_epsilon: Any = None,
                                         scale_after_normalization: Any = None,
                                         name: str | None = None, input: Any = None,
                                         mean: Any = None, variance: Any = None) -> Tensor:
    """``tf.nn.batch_norm_with_global_normalization``: ``batch_normalization`` with the
    given statistics, scaled by ``gamma`` only if ``scale_after_normalization``."""
    t = _deprecated_lookup("input", input, "t", t)
    m = _deprecated_lookup("mean", mean, "m", m)
    v = _deprecated_lookup("variance", variance, "v", v)
    return batch_normalization(t, m, v, beta, gamma if scale_after_normalization else None,
                               variance_epsilon, name)


def log_poisson_loss(targets: Any, log_input: Any, compute_full_loss: bool = False,
                     name: str | None = None) -> Tensor:
    """``tf.nn.log_poisson_loss``: ``exp(log_input) - log_input * targets``, plus the
    Stirling term ``z log z - z + log(2 pi z) / 2`` where ``targets > 1`` if
    ``compute_full_loss``."""
    with op_scope(name, "log_poisson_loss", [targets, log_input]) as scope:
        c, z = _same_shaped(log_input, targets, "log_poisson_loss: log_input and targets")
        loss = subtract(exp(c), multiply(c, z))
        if not compute_full_loss:
            return identity(loss, name=scope)
        stirling = add(subtract(xlogy(z, z), z), multiply(log(multiply(z, 2 * np.pi)), 0.5))
        small = logical_and(greater_equal(z, 0), less_equal(z, 1))
        return add(loss, where_v2(small, zeros_like(z), stirling), name=scope)


# ----------------------------------------------------------------------------------------
# Moments from sufficient statistics, weighted moments
# ----------------------------------------------------------------------------------------


def sufficient_statistics(x: Any, axes: Any, shift: Any = None, keep_dims: Any = None,
                          name: str | None = None, keepdims: Any = None) -> tuple:
    """``tf.nn.sufficient_statistics``: ``(count, sum(x - shift), sum((x - shift)²),
    shift)`` over ``axes`` (without ``shift``, plain sums and None)."""
    keep = bool(_deprecated_lookup("keepdims", keepdims, "keep_dims", keep_dims))
    with op_scope(name, "sufficient_statistics", [x, shift]):
        x = convert_to_tensor(x)
        dims = [x.shape.as_tuple()[a] for a in axes] if x.shape.ndims is not None else [None]
        if None in dims:
            count = reduce_prod(cast(gather(shape(x), list(axes)), x.dtype), name="count")
        else:
            count = constant(np.prod(dims, dtype=np.float64).astype(x.dtype.dtype),
                             name="count")
        if shift is not None:
            shift = convert_to_tensor(shift, dtype=x.dtype)
            x = subtract(x, shift)
        return (count, reduce_sum(x, axes, keepdims=keep, name="mean_ss"),
                reduce_sum(square(x), axes, keepdims=keep, name="var_ss"), shift)


def normalize_moments(counts: Any, mean_ss: Any, variance_ss: Any, shift: Any,
                      name: str | None = None) -> tuple[Tensor, Tensor]:
    """``tf.nn.normalize_moments``: ``(mean, variance)`` from sufficient statistics."""
    with op_scope(name, "normalize", [counts, mean_ss, variance_ss, shift]):
        divisor = reciprocal(convert_to_tensor(counts))
        shifted_mean = multiply(mean_ss, divisor)
        mean = shifted_mean if shift is None else add(shifted_mean, shift)
        variance = subtract(multiply(variance_ss, divisor), square(shifted_mean))
        return identity(mean, name="mean"), identity(variance, name="variance")


def weighted_moments(x: Any, axes: Any, frequency_weights: Any, name: str | None = None,
                     keep_dims: Any = None, keepdims: Any = None) -> tuple[Tensor, Tensor]:
    """``tf.nn.weighted_moments``: the ``frequency_weights``-weighted mean and variance of
    ``x`` over ``axes``."""
    keep = bool(_deprecated_lookup("keepdims", keepdims, "keep_dims", keep_dims))
    with op_scope(name, "weighted_moments", [x, frequency_weights]):
        x = convert_to_tensor(x)
        w = convert_to_tensor(frequency_weights, dtype=x.dtype)
        divisor = reciprocal(reduce_sum(add(w, zeros_like(x)), axes, keepdims=True))
        mean = multiply(reduce_sum(multiply(w, x), axes, keepdims=True), divisor)
        spread = reduce_sum(multiply(w, squared_difference(x, mean)), axes, keepdims=True)
        variance = multiply(spread, divisor)
        if not keep:
            mean, variance = squeeze(mean, axes), squeeze(variance, axes)
        return identity(mean, name="mean"), identity(variance, name="variance")


# ----------------------------------------------------------------------------------------
# depth_to_space / space_to_depth (NHWC)
# ----------------------------------------------------------------------------------------


def _nhwc_dims(x: Tensor, data_format: str, what: str) -> list:
    if data_format != "NHWC":
        raise ValueError(f"{what}: only data_format='NHWC' is supported, got "
                         f"{data_format!r}")
    if x.shape.ndims != 4 or None in x.shape.as_list()[1:]:
        raise ValueError(f"{what}: input must be 4-D NHWC with known height, width and "
                         f"channels, got shape {x.shape}")
    return x.shape.as_list()


def space_to_depth(input: Any, block_size: int, name: str | None = None,
                   data_format: str = "NHWC") -> Tensor:
    """``tf.space_to_depth``: moves each ``block_size`` x ``block_size`` spatial block into
    the channels, ``[N, H, W, C]`` to ``[N, H/b, W/b, b*b*C]``."""
    with op_scope(name, "SpaceToDepth", [input]) as scope:
        x = convert_to_tensor(input)
        _, h, w, c = _nhwc_dims(x, data_format, "space_to_depth")
        b = int(block_size)
        if b < 2 or h % b or w % b:
            raise ValueError(f"space_to_depth: block_size {b} must be >= 2 and divide "
                             f"height {h} and width {w}")
        blocks = transpose(reshape(x, [-1, h // b, b, w // b, b, c]), [0, 1, 3, 2, 4, 5])
        return reshape(blocks, [-1, h // b, w // b, b * b * c], name=scope)


def depth_to_space(input: Any, block_size: int, name: str | None = None,
                   data_format: str = "NHWC") -> Tensor:
    """``tf.depth_to_space``: the inverse of :func:`space_to_depth`, ``[N, H, W, C]`` to
    ``[N, H*b, W*b, C/(b*b)]``."""
    with op_scope(name, "DepthToSpace", [input]) as scope:
        x = convert_to_tensor(input)
        _, h, w, c = _nhwc_dims(x, data_format, "depth_to_space")
        b = int(block_size)
        if b < 2 or c % (b * b):
            raise ValueError(f"depth_to_space: block_size {b} must be >= 2 with b*b "
                             f"dividing the {c} channels")
        blocks = transpose(reshape(x, [-1, h, w, b, b, c // (b * b)]), [0, 1, 3, 2, 4, 5])
        return reshape(blocks, [-1, h * b, w * b, c // (b * b)], name=scope)

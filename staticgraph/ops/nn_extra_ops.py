"""``tf.nn`` functions built from existing ops (their gradients and tangents follow):
``embedding_lookup``, ``lrn``, ``swish``/``silu``, ``log_sigmoid``,
``weighted_cross_entropy_with_logits`` and ``zero_fraction``."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from .activation_ops import relu, softplus
from .cast_ops import cast
from .clip_ops import clip_by_norm
from .comparison_ops import equal
from .einsum_ops import tensordot
from .framework import constant, convert_to_tensor
from .gather_ops import gather
from .join_ops import concat
from .math_ops import (abs, add, exp, log1p, multiply, negative, pow, sigmoid, square,
                       subtract)
from .op_util import _deprecated_lookup, as_index_tensor, op_scope
from .reduce_ops import reduce_mean

__all__ = [
    "embedding_lookup", "lrn", "local_response_normalization", "swish", "silu",
    "log_sigmoid", "weighted_cross_entropy_with_logits", "zero_fraction",
]


# ----------------------------------------------------------------------------------------
# embedding_lookup
# ----------------------------------------------------------------------------------------


def _partition_rows(params: Sequence[Tensor]) -> list[int]:
    sizes = [p.shape[0] if p.shape.ndims else None for p in params]
    if None in sizes:
        raise ValueError(f"embedding_lookup over a list of params needs each one's first "
                         f"dimension known when the graph is built, got shapes "
                         f"{[str(p.shape) for p in params]}")
    return sizes


def _positions(sizes: list[int], strategy: str) -> np.ndarray:
    """Row of the concatenated partitions holding each id, by TF1's partition rules:
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
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    return (offsets[part] + row).astype(np.int64)


def embedding_lookup(params: Any, ids: Any, partition_strategy: str = "mod",
                     name: str | None = None, validate_indices: bool = True,
                     max_norm: Any = None) -> Tensor:
    """``tf.nn.embedding_lookup``: the rows of ``params`` at ``ids``, shaped
    ``shape(ids) + shape(params)[1:]``. ``params`` may be a list of partitions of one
    table, split by ``partition_strategy`` ("mod" or "div"); with ``max_norm`` each
    looked-up embedding is clipped to that L2 norm. The gradient is dense."""
    del validate_indices  # ids are always checked against the table's size
    parts = list(params) if isinstance(params, (list, tuple)) else [params]
    if not parts:
        raise ValueError("embedding_lookup: params must not be empty")
    with op_scope(name, "embedding_lookup", [*parts, ids]) as scope:
        parts = [convert_to_tensor(p) for p in parts]
        ids = as_index_tensor(ids, "ids")
        if len(parts) == 1:
            table, index = parts[0], ids
        else:
            table = concat(parts, 0)
            rows = constant(_positions(_partition_rows(parts), partition_strategy),
                            name="positions")
            index = gather(rows, ids)
        if max_norm is None:
            return gather(table, index, name=scope)
        found = gather(table, index)
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
        if x.shape.ndims != 4 or x.shape[3] is None:
            raise ValueError(f"lrn: input must be 4-D [batch, height, width, channels] with "
                             f"known channels, got shape {x.shape}")
        channels = x.shape[3]
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
        x = convert_to_tensor(logits)
        z = convert_to_tensor(labels, dtype=x.dtype)
        if not x.shape.is_compatible_with(z.shape):
            raise ValueError(f"weighted_cross_entropy_with_logits: logits and labels must "
                             f"have the same shape ({x.shape} vs {z.shape})")
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


"""``tf.nn.fused_batch_norm`` as a composite of moments and batch_normalization, with TF's
three outputs: in training, the batch mean and the batch variance with Bessel's correction
(``n / (n - 1)``, as TF's kernel returns it; the normalization itself uses the biased
one), blended into the given running statistics when ``exponential_avg_factor`` < 1; in
inference, the given mean and variance. As in TF, no gradient flows back from the
returned statistics (only from ``y``); unlike TF, which returns None there, inference
mode differentiates ``y`` w.r.t. the given mean and variance.
"""
from __future__ import annotations

from typing import Any

from ..core.graph import Tensor, name_scope
from .cast_ops import cast
from .framework import convert_to_tensor
from .math_ops import add, maximum, multiply, subtract
from .nn_impl import batch_normalization, moments
from .shape_ops import reshape, shape, size
from .selection_ops import stop_gradient
from .state_ops import identity

__all__ = ["fused_batch_norm"]

_FORMATS = {"NHWC": 4, "NCHW": 4, "NDHWC": 5, "NCDHW": 5}
_MIN_EPSILON = 1.001e-5  # TF raises smaller epsilons to this (cuDNN's lower bound)


def _per_channel(value: Any, rank: int, channels_first: bool) -> Any:
    """A ``[C]`` parameter shaped to broadcast against the input."""
    if value is None or not channels_first:
        return value
    return reshape(value, [-1] + [1] * (rank - 2))


def fused_batch_norm(x: Any, scale: Any, offset: Any, mean: Any = None, variance: Any = None,
                     epsilon: float = 0.001, data_format: str = "NHWC",
                     is_training: bool = True, name: str | None = None,
                     exponential_avg_factor: float = 1.0) -> tuple[Tensor, Tensor, Tensor]:
    """``tf.nn.fused_batch_norm``: ``(y, mean, variance)`` for a 4-D (NHWC/NCHW) or 5-D
    (NDHWC/NCDHW) ``x``, normalizing each channel. Training uses the batch's statistics and
    returns the batch mean and unbiased variance (blended with ``mean``/``variance`` when
    ``exponential_avg_factor`` < 1); inference uses and returns ``mean`` and ``variance``."""
    if data_format not in _FORMATS:
        raise ValueError(f"fused_batch_norm: data_format must be one of {sorted(_FORMATS)}, "
                         f"got {data_format!r}")
    x = convert_to_tensor(x)
    rank = _FORMATS[data_format]
    if x.shape.ndims not in (None, rank):
        raise ValueError(f"fused_batch_norm: x must be rank {rank} for data_format "
                         f"{data_format!r}, got shape {x.shape}")
    if not is_training or exponential_avg_factor != 1.0:
        if mean is None or variance is None:
            raise ValueError("fused_batch_norm: mean and variance must be given when "
                             "is_training is False or exponential_avg_factor != 1")
    channels_first = data_format[1] == "C"
    axis = 1 if channels_first else rank - 1
    eps = max(float(epsilon), _MIN_EPSILON)
    with name_scope(name, "FusedBatchNormV3", [x, scale, offset]):
        scale_b, offset_b = (_per_channel(convert_to_tensor(v, dtype=x.dtype), rank,
                                          channels_first) for v in (scale, offset))
        if not is_training:
            mean, variance = (convert_to_tensor(v, dtype=x.dtype) for v in (mean, variance))
            y = batch_normalization(x, _per_channel(mean, rank, channels_first),
                                    _per_channel(variance, rank, channels_first),
                                    offset_b, scale_b, eps)
            return identity(y, name="y"), identity(mean, name="mean"), \
                identity(variance, name="variance")
        batch_mean, batch_var = moments(x, [a for a in range(rank) if a != axis])
        y = batch_normalization(x, _per_channel(batch_mean, rank, channels_first),
                                _per_channel(batch_var, rank, channels_first), offset_b,
                                scale_b, eps)
        count = cast(size(x), x.dtype) / cast(shape(x)[axis], x.dtype)
        unbiased = multiply(batch_var, count / maximum(subtract(count, 1.0), 1.0))
        if exponential_avg_factor != 1.0:
            f = float(exponential_avg_factor)
            batch_mean = add(multiply(convert_to_tensor(mean, dtype=x.dtype), 1.0 - f),
                             multiply(batch_mean, f))
            unbiased = add(multiply(convert_to_tensor(variance, dtype=x.dtype), 1.0 - f),
                           multiply(unbiased, f))
        # As TF's FusedBatchNormGrad, no gradient flows back from the statistics outputs.
        return identity(y, name="y"), stop_gradient(batch_mean, name="mean"), \
            stop_gradient(unbiased, name="variance")

"""Stateless random ops (``tf.random.stateless_*``): pure functions of (shape, seed).

A seed is a shape-[2] int32/int64 tensor; its two words (as unsigned 64-bit integers) are
the key of a NumPy Philox counter-based generator started at counter 0, so the same seed
gives the same numbers in every run, session and process, and different seeds give
independent streams. TF also uses Philox, but its bit layout is its own: the values are
NOT bit-identical to TensorFlow's (same distributions, different draws).

These ops are not stateful: with constant inputs the compiler may fold them, and two such
ops with the same inputs may be merged (they compute the same value).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .framework import apply_op, convert_to_tensor
from .math_ops import add, multiply, subtract
from .op_util import as_index_tensor, const_int, op_scope, static_shape

__all__ = ["stateless_random_uniform", "stateless_random_normal",
           "stateless_truncated_normal", "stateless_categorical", "stateless_multinomial"]

_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)
_INTS = (dtypes.int32, dtypes.int64)


def philox(seed: np.ndarray) -> np.random.Generator:
    """The Philox generator keyed by a shape-[2] integer seed (counter 0)."""
    key = np.asarray(seed).astype(np.int64).view(np.uint64)
    return np.random.Generator(np.random.Philox(key=key))


def _dims(shape: np.ndarray) -> tuple[int, ...]:
    return tuple(int(d) for d in shape)


def _as(values: np.ndarray, dtype: dtypes.DType) -> np.ndarray:
    return np.asarray(values).astype(dtype.dtype, copy=False)


def _truncated(gen: np.random.Generator, dims: tuple) -> np.ndarray:
    """Standard normal draws, redrawn beyond two standard deviations."""
    values = gen.standard_normal(dims)
    outside = np.abs(values) > 2.0
    while outside.any():
        values[outside] = gen.standard_normal(int(outside.sum()))
        outside = np.abs(values) > 2.0
    return values


def _uniform_kernel(shape: np.ndarray, seed: np.ndarray, *, dtype: dtypes.DType) -> np.ndarray:
    return _as(philox(seed).random(_dims(shape)), dtype)


def _normal_kernel(shape: np.ndarray, seed: np.ndarray, *, dtype: dtypes.DType) -> np.ndarray:
    return _as(philox(seed).standard_normal(_dims(shape)), dtype)


def _truncated_kernel(shape: np.ndarray, seed: np.ndarray, *,
                      dtype: dtypes.DType) -> np.ndarray:
    return _as(_truncated(philox(seed), _dims(shape)), dtype)


def _uniform_int_kernel(shape: np.ndarray, seed: np.ndarray, minval: np.ndarray,
                        maxval: np.ndarray) -> np.ndarray:
    if not minval < maxval:
        raise ValueError(f"StatelessRandomUniformInt: need minval < maxval, got {minval} >= "
                         f"{maxval}")
    return philox(seed).integers(minval, maxval, size=_dims(shape), dtype=minval.dtype)


def _full_int_kernel(shape: np.ndarray, seed: np.ndarray, *, dtype: dtypes.DType) -> np.ndarray:
    info = np.iinfo(dtype.dtype)
    return philox(seed).integers(info.min, info.max, size=_dims(shape), dtype=dtype.dtype,
                                 endpoint=True)


def _check_seed(seed: Tensor) -> None:
    if seed.dtype not in _INTS or seed.shape.ndims not in (None, 1) or \
            seed.shape.as_list() not in (None, [None], [2]):
        raise ValueError(f"seed must be a shape-[2] int32 or int64 tensor, got shape "
                         f"{seed.shape} and dtype {seed.dtype.name}")


def sample_shape(shape: Tensor, seed: Tensor) -> TensorShape:
    """The static shape a ``shape`` input describes, after checking it and the seed."""
    if shape.dtype not in _INTS or shape.shape.ndims not in (None, 1):
        raise ValueError(f"shape must be a 1-D int32 or int64 tensor, got {shape.shape} "
                         f"{shape.dtype.name}")
    _check_seed(seed)
    return static_shape(shape)


def _sampler_shape(inputs: list, attrs: dict) -> list:
    return [(sample_shape(inputs[0], inputs[1]), attrs["dtype"])]


def _uniform_int_shape(inputs: list, attrs: dict) -> list:
    minval, maxval = inputs[2:]
    if minval.dtype not in _INTS or minval.dtype != maxval.dtype:
        raise TypeError(f"minval and maxval must be both int32 or both int64, got "
                        f"{minval.dtype.name} and {maxval.dtype.name}")
    if minval.shape.ndims not in (None, 0) or maxval.shape.ndims not in (None, 0):
        raise ValueError(f"minval and maxval must be scalars, got shapes {minval.shape} and "
                         f"{maxval.shape}")
    return [(sample_shape(inputs[0], inputs[1]), minval.dtype)]


def _declare(op_type: str, kernel: Callable, shape_fn: Callable, doc: str,
             num_inputs: int = 2) -> None:
    """A stateless sampler: a pure function of its inputs, so not stateful (foldable)."""
    define_op(op_type, kernel=kernel, shape_fn=shape_fn, view_of={}, doc=doc,
              non_differentiable=tuple(range(num_inputs)))


_declare("StatelessRandomUniform", _uniform_kernel, _sampler_shape,
         "Uniform samples in [0, 1) keyed by a seed.")
_declare("StatelessRandomNormal", _normal_kernel, _sampler_shape,
         "Standard normal samples keyed by a seed.")
_declare("StatelessTruncatedNormal", _truncated_kernel, _sampler_shape,
         "Standard normal samples within two standard deviations, keyed by a seed.")
_declare("StatelessRandomUniformInt", _uniform_int_kernel, _uniform_int_shape,
         "Uniform integers in [minval, maxval) keyed by a seed.", 4)
_declare("StatelessRandomUniformFullInt", _full_int_kernel, _sampler_shape,
         "Uniform integers over the whole range of the dtype, keyed by a seed.")


def check_float(dtype: Any) -> dtypes.DType:
    """``dtype`` as a DType; ``ValueError`` unless it is float16, float32 or float64."""
    dtype = dtypes.as_dtype(dtype)
    if dtype not in _FLOATS:
        raise ValueError(f"Invalid dtype {dtype.name}: expected a floating-point type")
    return dtype


def seed_tensor(seed: Any) -> Tensor:
    """``seed`` as a tensor, checked to be a shape-[2] int32/int64 seed."""
    seed = convert_to_tensor(seed, name="seed")
    _check_seed(seed)
    return seed


def sample(op_type: str, shape: Any, seed: Any, attrs: dict, *more: Tensor) -> Tensor:
    """The output of a stateless sampler ``op_type`` on (shape, seed, *more)."""
    return apply_op(op_type, [as_index_tensor(shape, "shape"), seed_tensor(seed), *more],
                    attrs).outputs[0]


def stateless_random_uniform(shape: Any, seed: Any, minval: Any = 0, maxval: Any = None,
                             dtype: Any = dtypes.float32, name: str | None = None,
                             alg: Any = "auto_select") -> Tensor:
    """``tf.random.stateless_uniform``: uniform samples in [minval, maxval), a pure function
    of (shape, seed). Integer dtypes need both bounds, or neither for the full range."""
    dtype = dtypes.as_dtype(dtype)
    with op_scope(name, "stateless_random_uniform") as scope:
        if dtype.is_integer:
            if (minval is None) != (maxval is None):
                raise ValueError("For integer dtype {}, minval and maxval must be both None "
                                 "or both not None.".format(dtype.name))
            if minval is None:
                return sample("StatelessRandomUniformFullInt", shape, seed, {"dtype": dtype})
            low = convert_to_tensor(minval, dtype=dtype, name="min")
            high = convert_to_tensor(maxval, dtype=dtype, name="max")
            return sample("StatelessRandomUniformInt", shape, seed, {}, low, high)
        dtype = check_float(dtype)
        low = convert_to_tensor(0 if minval is None else minval, dtype=dtype, name="min")
        high = convert_to_tensor(1 if maxval is None else maxval, dtype=dtype, name="max")
        rnd = sample("StatelessRandomUniform", shape, seed, {"dtype": dtype})
        return add(multiply(rnd, subtract(high, low)), low, name=scope)


def _scaled(op_type: str, default_name: str, shape: Any, seed: Any, mean: Any, stddev: Any,
            dtype: Any, name: str | None) -> Tensor:
    dtype = check_float(dtype)
    with op_scope(name, default_name) as scope:
        mean_t = convert_to_tensor(mean, dtype=dtype, name="mean")
        stddev_t = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        rnd = sample(op_type, shape, seed, {"dtype": dtype})
        return add(multiply(rnd, stddev_t), mean_t, name=scope)


def stateless_random_normal(shape: Any, seed: Any, mean: Any = 0.0, stddev: Any = 1.0,
                            dtype: Any = dtypes.float32, name: str | None = None,
                            alg: Any = "auto_select") -> Tensor:
    """``tf.random.stateless_normal``: normal samples, a pure function of (shape, seed)."""
    return _scaled("StatelessRandomNormal", "stateless_random_normal", shape, seed, mean,
                   stddev, dtype, name)


def stateless_truncated_normal(shape: Any, seed: Any, mean: Any = 0.0, stddev: Any = 1.0,
                               dtype: Any = dtypes.float32, name: str | None = None,
                               alg: Any = "auto_select") -> Tensor:
    """``tf.random.stateless_truncated_normal``: normal samples within two ``stddev`` of
    ``mean``, a pure function of (shape, seed)."""
    return _scaled("StatelessTruncatedNormal", "stateless_truncated_normal", shape, seed,
                   mean, stddev, dtype, name)


# ----------------------------------------------------------------------------------------
# Categorical samples
# ----------------------------------------------------------------------------------------


def _multinomial_kernel(logits: np.ndarray, seed: np.ndarray, *, num_samples: int,
                        output_dtype: dtypes.DType) -> np.ndarray:
    logits = logits.astype(np.float64)
    weights = np.exp(logits - logits.max(axis=1, keepdims=True))
    cdf = np.cumsum(weights, axis=1)
    cdf /= cdf[:, -1:]
    draws = philox(seed).random((logits.shape[0], num_samples))
    samples = (draws[:, :, None] >= cdf[:, None, :]).sum(axis=2)
    return np.minimum(samples, logits.shape[1] - 1).astype(output_dtype.dtype)


def _multinomial_shape(inputs: list, attrs: dict) -> list:
    logits, seed = inputs
    if logits.shape.ndims not in (None, 2):
        raise ValueError(f"logits must be 2-D [batch, classes], got shape {logits.shape}")
    if not logits.dtype.is_floating:
        raise TypeError(f"logits must be floating point, got {logits.dtype.name}")
    _check_seed(seed)
    batch = logits.shape.as_tuple()[0] if logits.shape.ndims == 2 else None
    return [(TensorShape([batch, attrs["num_samples"]]), attrs["output_dtype"])]


define_op("StatelessMultinomial", kernel=_multinomial_kernel, shape_fn=_multinomial_shape,
          non_differentiable=(0, 1), view_of={},
          doc="Class indices drawn from softmax(logits) per row, keyed by a seed.")


def stateless_multinomial(logits: Any, num_samples: int, seed: Any,
                          output_dtype: Any = dtypes.int64, name: str | None = None) -> Tensor:
    """``tf.random.stateless_multinomial``: ``num_samples`` class indices per row of
    ``logits`` [batch, classes], a pure function of (logits, seed)."""
    with op_scope(name, "stateless_random_multinomial") as scope:
        attrs = {"num_samples": const_int(num_samples, "num_samples"),
                 "output_dtype": dtypes.as_dtype(output_dtype)}
        return apply_op("StatelessMultinomial", [convert_to_tensor(logits), seed_tensor(seed)],
                        attrs, name=scope).outputs[0]


def stateless_categorical(logits: Any, num_samples: int, seed: Any, dtype: Any = dtypes.int64,
                          name: str | None = None) -> Tensor:
    """``tf.random.stateless_categorical``: :func:`stateless_multinomial` with TF2's
    argument name ``dtype``."""
    return stateless_multinomial(logits, num_samples, seed, dtype,
                                 name or "stateless_categorical")

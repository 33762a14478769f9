"""Random ops: stateful samplers seeded by TF1's graph-level and op-level seeds.

Each sampling op draws from its own generator, kept by the Session under the op's name
(``key``) and seeded from the (graph seed, op seed) pair of :func:`get_seed`. So the same
seeds give the same values in every new session, and successive runs of one session give
fresh draws. Sampling ops are stateful: the compiler never folds or merges them.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor, get_default_graph
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .op_util import as_index_tensor, const_int, op_scope, static_shape
from .framework import apply_op, convert_to_tensor
from .math_ops import add, multiply, subtract

__all__ = [
    "random_normal", "random_uniform", "truncated_normal", "random_shuffle", "multinomial",
    "get_seed",
]

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2 ** 31 - 1
_FLOAT_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64)


def _truncate_seed(seed: int) -> int:
    return int(seed) % _MAXINT32


def get_seed(op_seed: int | None) -> tuple[int | None, int | None]:
    """TF1's ``get_seed``: the (graph seed, op seed) pair a random op uses.

    With a graph seed and no op seed, the op seed is derived from the number of ops in the
    graph (so a rebuilt graph repeats its values); with an op seed only, the graph seed is
    a fixed default; with neither, both are None and the op is nondeterministic.
    """
    graph = get_default_graph()
    if graph.seed is not None:
        if op_seed is None:
            op_seed = len(graph.get_operations())
        seeds = (_truncate_seed(graph.seed), _truncate_seed(op_seed))
    elif op_seed is not None:
        seeds = (DEFAULT_GRAPH_SEED, _truncate_seed(op_seed))
    else:
        return None, None
    return (0, _MAXINT32) if seeds == (0, 0) else seeds


def _generator(state: Any, key: str, seed: int | None, seed2: int | None
               ) -> np.random.Generator:
    combined = None if seed is None else seed * (_MAXINT32 + 1) + seed2
    return state.rng(key, combined)


def _dims(shape: np.ndarray) -> tuple[int, ...]:
    return tuple(int(d) for d in shape)


def _floats(draw: Callable[..., np.ndarray], dims: tuple, dtype: dtypes.DType) -> np.ndarray:
    """``draw(dims, dtype=...)`` in float32/float64, cast for float16."""
    native = dtype.dtype if dtype != dtypes.float16 else np.dtype(np.float32)
    return draw(dims, dtype=native).astype(dtype.dtype, copy=False)


def _normal_kernel(state: Any, shape: np.ndarray, *, dtype: dtypes.DType, seed: int | None,
                   seed2: int | None, key: str) -> np.ndarray:
    gen = _generator(state, key, seed, seed2)
    return _floats(gen.standard_normal, _dims(shape), dtype)


def _uniform_kernel(state: Any, shape: np.ndarray, *, dtype: dtypes.DType, seed: int | None,
                    seed2: int | None, key: str) -> np.ndarray:
    gen = _generator(state, key, seed, seed2)
    return _floats(gen.random, _dims(shape), dtype)


def _truncated_normal_kernel(state: Any, shape: np.ndarray, *, dtype: dtypes.DType,
                             seed: int | None, seed2: int | None, key: str) -> np.ndarray:
    gen = _generator(state, key, seed, seed2)
    values = gen.standard_normal(_dims(shape))
    outside = np.abs(values) > 2.0
    while outside.any():  # redraw values beyond two standard deviations
        values[outside] = gen.standard_normal(int(outside.sum()))
        outside = np.abs(values) > 2.0
    return values.astype(dtype.dtype)


def _uniform_int_kernel(state: Any, shape: np.ndarray, minval: np.ndarray,
                        maxval: np.ndarray, *, seed: int | None, seed2: int | None,
                        key: str) -> np.ndarray:
    if not minval < maxval:
        raise ValueError(f"Need minval < maxval: {minval} >= {maxval}")
    gen = _generator(state, key, seed, seed2)
    return gen.integers(minval, maxval, size=_dims(shape), dtype=minval.dtype)


def _sample_shape(shape: Tensor) -> TensorShape:
    """The static shape of the samples drawn for a ``shape`` argument."""
    if shape.dtype not in (dtypes.int32, dtypes.int64) or shape.shape.ndims not in (None, 1):
        raise ValueError(f"shape must be a 1-D int32 or int64 tensor, got {shape.shape} "
                         f"{shape.dtype.name}")
    return static_shape(shape)


def _sampler_shape(inputs: list, attrs: dict) -> list:
    if attrs["dtype"] not in _FLOAT_DTYPES:
        raise TypeError(f"expects a floating-point dtype, got {attrs['dtype'].name}")
    return [(_sample_shape(inputs[0]), attrs["dtype"])]


def _uniform_int_shape(inputs: list, attrs: dict) -> list:
    _, minval, maxval = inputs
    if minval.dtype not in (dtypes.int32, dtypes.int64) or minval.dtype != maxval.dtype:
        raise TypeError(f"minval and maxval must be both int32 or both int64, got "
                        f"{minval.dtype.name} and {maxval.dtype.name}")
    if minval.shape.ndims not in (None, 0) or maxval.shape.ndims not in (None, 0):
        raise ValueError(f"minval and maxval must be scalars, got shapes {minval.shape} and "
                         f"{maxval.shape}")
    return [(_sample_shape(inputs[0]), minval.dtype)]


for _type, _kernel, _shape_fn, _doc in (
        ("RandomStandardNormal", _normal_kernel, _sampler_shape,
         "Samples of the standard normal distribution."),
        ("RandomUniform", _uniform_kernel, _sampler_shape, "Uniform samples in [0, 1)."),
        ("TruncatedNormal", _truncated_normal_kernel, _sampler_shape,
         "Standard normal samples, redrawn when beyond two standard deviations."),
        ("RandomUniformInt", _uniform_int_kernel, _uniform_int_shape,
         "Uniform integers in [minval, maxval).")):
    define_op(_type, kernel=_kernel, shape_fn=_shape_fn, stateful=True, uses_state=True,
              non_differentiable=(0, 1, 2), view_of={}, doc=_doc)


def _shuffle_kernel(state: Any, value: np.ndarray, *, seed: int | None, seed2: int | None,
                    key: str) -> np.ndarray:
    if value.ndim == 0:
        return value
    return _generator(state, key, seed, seed2).permutation(value)


def _multinomial_kernel(state: Any, logits: np.ndarray, *, num_samples: int,
                        output_dtype: dtypes.DType, seed: int | None, seed2: int | None,
                        key: str) -> np.ndarray:
    gen = _generator(state, key, seed, seed2)
    logits = logits.astype(np.float64)
    weights = np.exp(logits - logits.max(axis=1, keepdims=True))
    cdf = np.cumsum(weights, axis=1)
    cdf /= cdf[:, -1:]
    draws = gen.random((logits.shape[0], num_samples))
    samples = (draws[:, :, None] >= cdf[:, None, :]).sum(axis=2)
    return np.minimum(samples, logits.shape[1] - 1).astype(output_dtype.dtype)


def _multinomial_shape(inputs: list, attrs: dict) -> list:
    logits = inputs[0]
    if logits.shape.ndims not in (None, 2):
        raise ValueError(f"logits must be 2-D [batch, classes], got shape {logits.shape}")
    if not logits.dtype.is_floating:
        raise TypeError(f"logits must be floating point, got {logits.dtype.name}")
    batch = logits.shape.as_tuple()[0] if logits.shape.ndims == 2 else None
    return [(TensorShape([batch, attrs["num_samples"]]), attrs["output_dtype"])]


define_op("RandomShuffle", kernel=_shuffle_kernel, stateful=True, uses_state=True,
          shape_fn=lambda inputs, attrs: [(inputs[0].shape, inputs[0].dtype)],
          non_differentiable=(0,), doc="Its input with the first dimension shuffled.",
          view_of={0: (0,)})
define_op("Multinomial", kernel=_multinomial_kernel, shape_fn=_multinomial_shape,
          stateful=True, uses_state=True, non_differentiable=(0,),
          doc="Class indices sampled from the softmax of each row of logits.",
          view_of={})

# ----------------------------------------------------------------------------------------
# Public TF1 functions
# ----------------------------------------------------------------------------------------


def _random_op(op_type: str, inputs: list, attrs: dict, seed: int | None,
               name: str | None = None) -> Tensor:
    """Creates a sampling op; its generator is keyed by the op's (unique) name."""
    seed1, seed2 = get_seed(seed)
    op = apply_op(op_type, inputs, {**attrs, "seed": seed1, "seed2": seed2, "key": ""},
                  name=name)
    op._attrs["key"] = op.name  # the session keeps this op's generator under its name
    return op.outputs[0]


def _float_dtype(dtype: Any) -> dtypes.DType:
    dtype = dtypes.as_dtype(dtype)
    if dtype not in _FLOAT_DTYPES:
        raise ValueError(f"Invalid dtype {dtype.name}: expected a floating-point type")
    return dtype


def _scaled(op_type: str, default_name: str, shape: Any, mean: Any, stddev: Any,
            dtype: Any, seed: int | None, name: str | None) -> Tensor:
    """``mean + stddev * sample`` for a standard sampler, named like TF1's."""
    dtype = _float_dtype(dtype)
    with op_scope(name, default_name) as scope:
        shape_t = as_index_tensor(shape, "shape")
        mean_t = convert_to_tensor(mean, dtype=dtype, name="mean")
        stddev_t = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        sample = _random_op(op_type, [shape_t], {"dtype": dtype}, seed)
        return add(multiply(sample, stddev_t, name="mul"), mean_t, name=scope)


def random_normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = dtypes.float32,
                  seed: int | None = None, name: str | None = None) -> Tensor:
    """``tf.random_normal``: normal samples of ``shape`` with ``mean`` and ``stddev``."""
    return _scaled("RandomStandardNormal", "random_normal", shape, mean, stddev, dtype, seed,
                   name)


def truncated_normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0,
                     dtype: Any = dtypes.float32, seed: int | None = None,
                     name: str | None = None) -> Tensor:
    """``tf.truncated_normal``: normal samples, redrawn beyond two ``stddev`` of ``mean``."""
    return _scaled("TruncatedNormal", "truncated_normal", shape, mean, stddev, dtype, seed,
                   name)


def random_uniform(shape: Any, minval: Any = 0, maxval: Any = None,
                   dtype: Any = dtypes.float32, seed: int | None = None,
                   name: str | None = None) -> Tensor:
    """``tf.random_uniform``: uniform samples in [minval, maxval) (default [0, 1) for
    floats; integer dtypes need ``maxval``)."""
    dtype = dtypes.as_dtype(dtype)
    if dtype not in _FLOAT_DTYPES + (dtypes.int32, dtypes.int64):
        raise ValueError(f"Invalid dtype {dtype.name}")
    if maxval is None:
        if dtype.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dtype.name}")
        maxval = 1
    with op_scope(name, "random_uniform") as scope:
        shape_t = as_index_tensor(shape, "shape")
        low = convert_to_tensor(minval, dtype=dtype, name="min")
        high = convert_to_tensor(maxval, dtype=dtype, name="max")
        if dtype.is_integer:
            return _random_op("RandomUniformInt", [shape_t, low, high], {}, seed, name=scope)
        sample = _random_op("RandomUniform", [shape_t], {"dtype": dtype}, seed)
        return add(multiply(sample, subtract(high, low, name="sub"), name="mul"), low,
                   name=scope)


def random_shuffle(value: Any, seed: int | None = None, name: str | None = None) -> Tensor:
    """``tf.random_shuffle``: ``value`` with its first dimension randomly permuted."""
    return _random_op("RandomShuffle", [convert_to_tensor(value)], {}, seed, name=name)


def multinomial(logits: Any, num_samples: int, seed: int | None = None,
                name: str | None = None, output_dtype: Any = None) -> Tensor:
    """``tf.multinomial``: ``num_samples`` class indices per row of ``logits`` [batch,
    classes], drawn with probabilities softmax(logits)."""
    with op_scope(name, "multinomial"):
        attrs = {"num_samples": const_int(num_samples, "num_samples"),
                 "output_dtype": dtypes.as_dtype(output_dtype or dtypes.int64)}
        return _random_op("Multinomial", [convert_to_tensor(logits)], attrs, seed)


def random_categorical(logits: Any, num_samples: int, dtype: Any = None,
                       seed: int | None = None, name: str | None = None) -> Tensor:
    """``tf.random.categorical``: :func:`multinomial` with TF2's argument order."""
    return multinomial(logits, num_samples, seed=seed, name=name or "categorical",
                       output_dtype=dtype)

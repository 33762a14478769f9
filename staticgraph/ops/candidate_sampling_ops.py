"""Candidate samplers (``tf.nn.*_candidate_sampler``) and ``compute_accidental_hits``.

A sampler draws ``num_sampled`` class ids from a base distribution P over
``[0, range_max)`` and reports, as TF1 defines them, the expected number of times each
true class and each sampled class occurs in such a draw:

- with replacement (``unique=False``): ``expected = P(k) * num_sampled``;
- without (``unique=True``): ids are drawn with replacement until ``num_sampled``
  distinct ones are found, taking ``num_tries`` draws; then
  ``expected = 1 - (1 - P(k)) ** num_tries`` (``-expm1(num_tries * log1p(-P(k)))``), or
  ``P(k) * num_sampled`` when no draw was rejected (``num_tries == num_sampled``).

Base distributions: uniform ``1 / range_max``; log-uniform (Zipfian)
``(log(k + 2) - log(k + 1)) / log(range_max + 1)``; a fixed unigram (given weights raised
to ``distortion``, zero for the reserved ids, restricted to one shard); a learned unigram
(every id starts with weight 1 and gains 1 each time it is a true class, after each
draw; kept by the session, never saved). Samplers are seeded like every random op and
are stateful, so the compiler never folds or merges them.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .cast_ops import cast
from .framework import apply_op, convert_to_tensor
from .op_util import op_scope
from .random_ops import _generator, get_seed

__all__ = [
    "log_uniform_candidate_sampler", "uniform_candidate_sampler",
    "fixed_unigram_candidate_sampler", "learned_unigram_candidate_sampler",
    "all_candidate_sampler", "compute_accidental_hits",
]

_FLT_MAX = float(np.finfo(np.float32).max)


# ----------------------------------------------------------------------------------------
# Base distributions: each gives (draw(gen, n) -> int64 ids, probability(ids) -> float64)
# ----------------------------------------------------------------------------------------


def _log_uniform(range_max: int) -> tuple[Callable, Callable]:
    log_range = np.log1p(range_max)

    def draw(gen: np.random.Generator, n: int) -> np.ndarray:
        values = np.exp(gen.random(n) * log_range).astype(np.int64) - 1
        return values % range_max

    def probability(ids: np.ndarray) -> np.ndarray:
        ids = ids.astype(np.float64)
        return np.log((ids + 2.0) / (ids + 1.0)) / log_range
    return draw, probability


def _uniform(range_max: int) -> tuple[Callable, Callable]:
    return (lambda gen, n: gen.integers(0, range_max, n, dtype=np.int64),
            lambda ids: np.full(ids.shape, 1.0 / range_max))


def _weighted(weights: np.ndarray) -> tuple[Callable, Callable]:
    """Ids drawn with probability ``weights / sum(weights)``."""
    total = weights.sum()
    cdf = np.cumsum(weights) / total

    def draw(gen: np.random.Generator, n: int) -> np.ndarray:
        ids = np.searchsorted(cdf, gen.random(n), side="right")
        return np.minimum(ids, len(weights) - 1).astype(np.int64)
    return draw, lambda ids: weights[ids] / total


def _draw(draw: Callable, gen: np.random.Generator, num_sampled: int,
          unique: bool) -> tuple[np.ndarray, int]:
    """(the sampled ids, the number of draws made): with ``unique``, draws until
    ``num_sampled`` distinct ids have come, keeping them in order of first appearance."""
    if not unique:
        return draw(gen, num_sampled), num_sampled
    draws = np.empty(0, np.int64)
    chunk = max(num_sampled, 16)
    while True:
        draws = np.concatenate([draws, draw(gen, chunk)])
        _, first = np.unique(draws, return_index=True)
        if len(first) >= num_sampled:
            first = np.sort(first)[:num_sampled]
            return draws[first], int(first[-1]) + 1
        chunk *= 2


def _expected(p: np.ndarray, num_sampled: int, num_tries: int) -> np.ndarray:
    if num_tries == num_sampled:
        counts = p * num_sampled
    else:
        counts = -np.expm1(num_tries * np.log1p(-p))
    return counts.astype(np.float32)


def _check_true_classes(op: str, true_classes: np.ndarray, range_max: int) -> None:
    bad = true_classes[(true_classes < 0) | (true_classes >= range_max)]
    if bad.size:
        raise ValueError(f"{op}: true_classes {bad[0]} out of range [0, {range_max}) "
                         f"(true_classes of shape {true_classes.shape})")


def _sample(op: str, dist: tuple[Callable, Callable], gen: np.random.Generator,
            true_classes: np.ndarray, num_sampled: int, unique: bool,
            range_max: int) -> tuple:
    _check_true_classes(op, true_classes, range_max)
    if unique and num_sampled > range_max:
        raise ValueError(f"{op}: cannot draw {num_sampled} unique ids from a range of "
                         f"{range_max} (the sampler's range is too small)")
    draw, probability = dist
    sampled, tries = _draw(draw, gen, num_sampled, unique)
    return (sampled, _expected(probability(true_classes), num_sampled, tries),
            _expected(probability(sampled), num_sampled, tries))


def _simple_kernel(op: str, make: Callable[[int], tuple]) -> Callable:
    def kernel(state: Any, true_classes: np.ndarray, *, num_sampled: int, unique: bool,
               range_max: int, seed: int | None, seed2: int | None, key: str,
               **_: Any) -> tuple:
        gen = _generator(state, key, seed, seed2)
        return _sample(op, make(range_max), gen, true_classes, num_sampled, unique,
                       range_max)
    return kernel


def _unigram_weights(unigrams: tuple, distortion: float, num_reserved_ids: int,
                     num_shards: int, shard: int) -> np.ndarray:
    """The fixed unigram sampler's weights over this shard's ids (every
    ``num_shards``-th id from ``shard``): zero for the reserved ids, then each unigram
    raised to ``distortion``."""
    weights = np.concatenate([np.zeros(num_reserved_ids),
                              np.power(np.asarray(unigrams, np.float64), distortion)])
    return weights[shard::num_shards]


def _fixed_unigram_kernel(state: Any, true_classes: np.ndarray, *, num_sampled: int,
                          unique: bool, range_max: int, unigrams: tuple, distortion: float,
                          num_reserved_ids: int, num_shards: int, shard: int,
                          seed: int | None, seed2: int | None, key: str, **_: Any) -> tuple:
    weights = _unigram_weights(unigrams, distortion, num_reserved_ids, num_shards, shard)
    return _sample("FixedUnigramCandidateSampler", _weighted(weights),
                   _generator(state, key, seed, seed2), true_classes, num_sampled, unique,
                   range_max)


def _learned_unigram_kernel(state: Any, true_classes: np.ndarray, *, num_sampled: int,
                            unique: bool, range_max: int, seed: int | None,
                            seed2: int | None, key: str, **_: Any) -> tuple:
    counts_key = f"{key}:learned_unigram_counts"
    counts = state.get(counts_key)
    if counts is None:
        counts = np.ones(range_max)
    result = _sample("LearnedUnigramCandidateSampler", _weighted(counts),
                     _generator(state, key, seed, seed2), true_classes, num_sampled, unique,
                     range_max)
    counts = counts.copy()
    np.add.at(counts, true_classes.ravel(), 1.0)
    state.assign(counts_key, counts)  # undone with the run's other changes if it fails
    return result


def _all_kernel(state: Any, true_classes: np.ndarray, *, num_sampled: int,
                **_: Any) -> tuple:
    del state  # every id, in order: nothing is drawn
    return (np.arange(num_sampled, dtype=np.int64),
            np.ones(true_classes.shape, np.float32), np.ones(num_sampled, np.float32))


def _sampler_shape(inputs: list, attrs: dict) -> list:
    true_classes = inputs[0]
    if true_classes.dtype != dtypes.int64:
        raise TypeError(f"true_classes must be int64, got {true_classes.dtype.name}")
    shape = true_classes.shape
    if shape.ndims not in (None, 2):
        raise ValueError(f"true_classes must be a matrix [batch_size, num_true], got shape "
                         f"{shape}")
    if shape.ndims == 2 and shape.as_tuple()[1] not in (None, attrs["num_true"]):
        raise ValueError(f"true_classes must have num_true={attrs['num_true']} columns, "
                         f"got shape {shape}")
    if attrs["num_sampled"] < 1 or attrs["range_max"] < 1:
        raise ValueError(f"num_sampled and range_max must be positive, got "
                         f"{attrs['num_sampled']} and {attrs['range_max']}")
    sampled = TensorShape([attrs["num_sampled"]])
    true_shape = shape if shape.ndims == 2 else TensorShape([None, attrs["num_true"]])
    return [(sampled, dtypes.int64), (true_shape, dtypes.float32), (sampled, dtypes.float32)]


for _type, _kernel, _doc in (
        ("LogUniformCandidateSampler",
         _simple_kernel("LogUniformCandidateSampler", _log_uniform),
         "Ids drawn from the log-uniform (Zipfian) distribution, with expected counts."),
        ("UniformCandidateSampler", _simple_kernel("UniformCandidateSampler", _uniform),
         "Ids drawn uniformly from [0, range_max), with expected counts."),
        ("FixedUnigramCandidateSampler", _fixed_unigram_kernel,
         "Ids drawn from given unigram weights, with expected counts."),
        ("LearnedUnigramCandidateSampler", _learned_unigram_kernel,
         "Ids drawn from the unigram counts of the true classes seen so far."),
        ("AllCandidateSampler", _all_kernel,
         "Every id in [0, num_sampled), each expected once.")):
    define_op(_type, kernel=_kernel, shape_fn=_sampler_shape, stateful=True,
              uses_state=True, non_differentiable=(0,), view_of={}, doc=_doc)


def _accidental_hits_kernel(true_classes: np.ndarray, sampled: np.ndarray, *,
                            num_true: int) -> tuple:
    # A sampled id that occurs several times is matched at its last position (as TF1).
    position = {int(v): j for j, v in enumerate(sampled)}
    hits = [(i, position[int(v)]) for i, row in enumerate(true_classes) for v in row
            if int(v) in position]
    rows = np.array([i for i, _ in hits], np.int32)
    ids = np.array([j for _, j in hits], np.int64)
    return rows, ids, np.full(len(hits), -_FLT_MAX, np.float32)


def _accidental_hits_shape(inputs: list, attrs: dict) -> list:
    true_classes, sampled = inputs
    if true_classes.dtype != dtypes.int64 or sampled.dtype != dtypes.int64:
        raise TypeError(f"true_classes and sampled_candidates must be int64, got "
                        f"{true_classes.dtype.name} and {sampled.dtype.name}")
    if true_classes.shape.ndims not in (None, 2) or sampled.shape.ndims not in (None, 1):
        raise ValueError(f"true_classes must be a matrix and sampled_candidates a vector, "
                         f"got shapes {true_classes.shape} and {sampled.shape}")
    if true_classes.shape.ndims == 2 and \
            true_classes.shape.as_tuple()[1] not in (None, attrs["num_true"]):
        raise ValueError(f"true_classes must have num_true={attrs['num_true']} columns, "
                         f"got shape {true_classes.shape}")
    hits = TensorShape([None])
    return [(hits, dtypes.int32), (hits, dtypes.int64), (hits, dtypes.float32)]


define_op("ComputeAccidentalHits", kernel=_accidental_hits_kernel,
          shape_fn=_accidental_hits_shape, non_differentiable=(0, 1), view_of={},
          doc="The (row, sampled position) pairs where a sampled id is a true class, each "
              "with weight -FLT_MAX.")


# ----------------------------------------------------------------------------------------
# Public TF1 functions
# ----------------------------------------------------------------------------------------


def _int64(value: Any, name: str) -> Tensor:
    tensor = convert_to_tensor(value, name=name)
    return cast(tensor, dtypes.int64) if tensor.dtype == dtypes.int32 else tensor


def _candidate_sampler(op_type: str, default_name: str, true_classes: Any, num_true: int,
                       num_sampled: int, unique: bool, range_max: int, seed: int | None,
                       name: str | None, **extra: Any) -> tuple:
    """Creates a sampler op; its generator is keyed by the op's (unique) name."""
    with op_scope(name, default_name, [true_classes]) as scope:
        seed1, seed2 = get_seed(seed)
        attrs = {"num_true": int(num_true), "num_sampled": int(num_sampled),
                 "unique": bool(unique), "range_max": int(range_max), "seed": seed1,
                 "seed2": seed2, "key": "", **extra}
        op = apply_op(op_type, [_int64(true_classes, "true_classes")], attrs,
                      name=scope)
        op._attrs["key"] = op.name  # the session keeps this op's generator under its name
        return tuple(op.outputs)


def log_uniform_candidate_sampler(true_classes: Any, num_true: int, num_sampled: int,
                                  unique: bool, range_max: int, seed: int | None = None,
                                  name: str | None = None) -> tuple:
    """``tf.nn.log_uniform_candidate_sampler``: ``num_sampled`` ids from the log-uniform
    distribution ``P(k) = (log(k + 2) - log(k + 1)) / log(range_max + 1)``, suited to
    classes sorted by decreasing frequency. Returns (sampled_candidates int64
    [num_sampled], true_expected_count float32 shaped like ``true_classes``,
    sampled_expected_count float32 [num_sampled]); see the module docstring."""
    return _candidate_sampler("LogUniformCandidateSampler", "LogUniformCandidateSampler",
                              true_classes, num_true, num_sampled, unique, range_max, seed,
                              name)


def uniform_candidate_sampler(true_classes: Any, num_true: int, num_sampled: int,
                              unique: bool, range_max: int, seed: int | None = None,
                              name: str | None = None) -> tuple:
    """``tf.nn.uniform_candidate_sampler``: ``num_sampled`` ids drawn uniformly from
    ``[0, range_max)``, with expected counts as :func:`log_uniform_candidate_sampler`."""
    return _candidate_sampler("UniformCandidateSampler", "UniformCandidateSampler",
                              true_classes, num_true, num_sampled, unique, range_max, seed,
                              name)


def fixed_unigram_candidate_sampler(true_classes: Any, num_true: int, num_sampled: int,
                                    unique: bool, range_max: int, vocab_file: str = "",
                                    distortion: float = 1.0, num_reserved_ids: int = 0,
                                    num_shards: int = 1, shard: int = 0,
                                    unigrams: Any = (), seed: int | None = None,
                                    name: str | None = None) -> tuple:
    """``tf.nn.fixed_unigram_candidate_sampler``: ids drawn with probability proportional
    to ``unigrams[k - num_reserved_ids] ** distortion`` (zero for the first
    ``num_reserved_ids`` ids), over the ids ``shard, shard + num_shards, ...`` numbered
    within the shard. ``vocab_file`` is not supported: pass the counts as ``unigrams``."""
    if vocab_file:
        raise NotImplementedError("fixed_unigram_candidate_sampler: vocab_file is not "
                                  "supported by staticgraph; pass the counts as unigrams")
    if not 0 <= shard < num_shards:
        raise ValueError(f"fixed_unigram_candidate_sampler: need 0 <= shard < num_shards, "
                         f"got shard={shard}, num_shards={num_shards}")
    weights = _unigram_weights(tuple(unigrams), distortion, num_reserved_ids, num_shards,
                               shard)
    if len(weights) != range_max or not weights.sum() > 0:
        raise ValueError(f"fixed_unigram_candidate_sampler: range_max={range_max} must be "
                         f"the number of this shard's ids ({len(weights)}: "
                         f"{num_reserved_ids} reserved + {len(unigrams)} unigrams over "
                         f"{num_shards} shards), with some positive unigram")
    return _candidate_sampler("FixedUnigramCandidateSampler", "FixedUnigramCandidateSampler",
                              true_classes, num_true, num_sampled, unique, range_max, seed,
                              name, unigrams=tuple(float(u) for u in unigrams),
                              distortion=float(distortion),
                              num_reserved_ids=int(num_reserved_ids),
                              num_shards=int(num_shards), shard=int(shard))


def learned_unigram_candidate_sampler(true_classes: Any, num_true: int, num_sampled: int,
                                      unique: bool, range_max: int, seed: int | None = None,
                                      name: str | None = None) -> tuple:
    """``tf.nn.learned_unigram_candidate_sampler``: ids drawn with probability
    proportional to 1 + the number of times each was a true class in earlier runs of this
    op in the session (the counts are updated after each draw and never saved)."""
    return _candidate_sampler("LearnedUnigramCandidateSampler",
                              "LearnedUnigramCandidateSampler", true_classes, num_true,
                              num_sampled, unique, range_max, seed, name)


def all_candidate_sampler(true_classes: Any, num_true: int, num_sampled: int, unique: bool,
                          seed: int | None = None, name: str | None = None) -> tuple:
    """``tf.nn.all_candidate_sampler``: the ids ``0 .. num_sampled - 1``, every expected
    count 1 (for testing a sampled loss against the full one)."""
    return _candidate_sampler("AllCandidateSampler", "AllCandidateSampler", true_classes,
                              num_true, num_sampled, unique, num_sampled, seed, name)


def compute_accidental_hits(true_classes: Any, sampled_candidates: Any, num_true: int,
                            seed: int | None = None, name: str | None = None) -> tuple:
    """``tf.nn.compute_accidental_hits``: (indices int32, ids int64, weights float32) for
    every pair (row ``i``, position ``j``) where ``sampled_candidates[j]`` is one of row
    ``i``'s true classes (taken row by row, in the order of the true classes; a repeated
    sampled id matches at its last position); every weight is -FLT_MAX, to add to the
    sampled logits so accidental hits drop out."""
    del seed  # deterministic, as in TF1
    with op_scope(name, "ComputeAccidentalHits", [true_classes, sampled_candidates]) as scope:
        op = apply_op("ComputeAccidentalHits",
                      [_int64(true_classes, "true_classes"),
                       _int64(sampled_candidates, "sampled_candidates")],
                      {"num_true": int(num_true)}, name=scope)
        return tuple(op.outputs)

"""``tf.random_index_shuffle`` (``tf.random.experimental.index_shuffle``): the position of
``index`` in a seeded permutation of [0, max_index], without building the permutation.

A balanced Feistel network over the smallest even number of bits covering max_index + 1
(at least 2) is a permutation of that power-of-two range; applying it again until the
value falls in [0, max_index] ("cycle walking") restricts it to a permutation of
[0, max_index]. The round function mixes (seed, round, half-block) with the SplitMix64
finalizer. A pure function of its inputs (not TF's bit layout: TF's permutations differ).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.registry import define_op
from ..core.shapes import broadcast_shapes
from .framework import apply_op, convert_to_tensor

__all__ = ["random_index_shuffle"]

_INDEX_DTYPES = (dtypes.int32, dtypes.int64, dtypes.uint32, dtypes.uint64)


def _mix(z: np.ndarray) -> np.ndarray:
    """The SplitMix64 finalizer (a bijective avalanche of 64-bit words)."""
    z = z ^ (z >> np.uint64(30))
    z = z * np.uint64(0xBF58476D1CE4E5B9)
    z = z ^ (z >> np.uint64(27))
    z = z * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _round_keys(seed: np.ndarray, rounds: int) -> np.ndarray:
    """[rounds, ...] 64-bit keys from the seed's three words (last axis)."""
    words = seed.astype(np.int64).view(np.uint64) if seed.dtype.kind == "i" else \
        seed.astype(np.uint64)
    base = _mix(words[..., 0] ^ _mix(words[..., 1] ^ _mix(words[..., 2])))
    return np.stack([_mix(base + np.uint64(r + 1)) for r in range(rounds)])


def _kernel(index: np.ndarray, seed: np.ndarray, max_index: np.ndarray, *,
            rounds: int) -> np.ndarray:
    idx = np.asarray(index).astype(np.uint64)
    top = np.asarray(max_index).astype(np.uint64)
    if np.any(np.asarray(index) < 0) or np.any(idx > top):
        raise ValueError(f"RandomIndexShuffle: index must be in [0, max_index], got index "
                         f"{index} and max_index {max_index}")
    with np.errstate(over="ignore"):
        keys = _round_keys(np.asarray(seed), rounds)
        shape = np.broadcast_shapes(idx.shape, top.shape, keys.shape[1:])
        leading = (1,) * (len(shape) + 1 - keys.ndim)  # align the seed batch to the right
        keys = np.broadcast_to(keys.reshape((rounds, *leading, *keys.shape[1:])),
                               (rounds, *shape))
        idx, top = np.broadcast_to(idx, shape), np.broadcast_to(top, shape)
        bits = np.maximum(np.ceil(np.log2(top.astype(np.float64) + 1)), 2).astype(np.uint64)
        half = (bits + np.uint64(1)) // np.uint64(2)
        mask = (np.uint64(1) << half) - np.uint64(1)
        value = idx.copy()
        walking = np.ones(shape, bool)
        while np.any(walking):
            left, right = value >> half, value & mask
            for r in range(rounds):
                left, right = right, left ^ (_mix(right ^ keys[r]) & mask)
            value = np.where(walking, (left << half) | right, value)
            walking = value > top
    return value.astype(np.asarray(index).dtype)


def _shape(inputs: list, attrs: dict) -> list:
    index, seed, max_index = inputs
    if index.dtype not in _INDEX_DTYPES or index.dtype != max_index.dtype:
        raise TypeError(f"index and max_index must have one integer dtype, got "
                        f"{index.dtype.name} and {max_index.dtype.name}")
    if seed.dtype not in _INDEX_DTYPES or seed.shape.ndims not in (None, 1, 2) or \
            seed.shape.as_list() is not None and seed.shape.as_list()[-1] not in (None, 3):
        raise ValueError(f"seed must have shape [3] or [n, 3], got {seed.shape}")
    batch = seed.shape[:-1] if seed.shape.ndims is not None else seed.shape
    out = broadcast_shapes(broadcast_shapes(index.shape, max_index.shape), batch)
    if out.ndims is not None and out.ndims > 1:
        raise ValueError(f"index and max_index must be scalars or vectors, got shapes "
                         f"{index.shape} and {max_index.shape}")
    return [(out, index.dtype)]


define_op("RandomIndexShuffle", kernel=_kernel, shape_fn=_shape, view_of={},
          non_differentiable=(0, 1, 2),
          doc="The position of index in a seeded permutation of [0, max_index].")


def random_index_shuffle(index: Any, seed: Any, max_index: Any, rounds: int = 4,
                         name: str | None = None) -> Any:
    """``tf.random_index_shuffle``: where ``index`` goes in a permutation of
    [0, max_index] determined by ``seed`` (shape [3], or [n, 3] for n indices); a
    bijection of [0, max_index] for each seed and a pure function of its inputs."""
    index = convert_to_tensor(index, name="index")
    max_index = convert_to_tensor(max_index, dtype=index.dtype, name="max_index")
    seed = convert_to_tensor(seed, name="seed")
    if int(rounds) < 1:
        raise ValueError(f"RandomIndexShuffle: rounds must be positive, got {rounds}")
    return apply_op("RandomIndexShuffle", [index, seed, max_index], {"rounds": int(rounds)},
                    name=name).outputs[0]

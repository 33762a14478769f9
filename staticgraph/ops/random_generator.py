"""``tf.random.Generator``, ``Algorithm``, ``create_rng_state``, the global generator, and
the seed helpers ``tf.random.split`` / ``tf.random.fold_in``.

A Generator keeps its RNG state in a (non-trainable) int64 variable: for Philox
``[counter_low, counter_high, key]``, for ThreeFry ``[counter, key]``, as TF lays it out.
Every sampling op a generator builds advances the counter by one each time it runs and
draws with the stateless ops (see :mod:`.stateless_random_ops`) keyed by (key, counter),
so the draws of one run are independent of every other run's, and two generators made
from the same seed give the same sequence. The numbers are not TF's (different bit
layout); both algorithms use NumPy's Philox.
"""
from __future__ import annotations

import enum
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor, get_default_graph
from .op_util import op_scope
from . import random_distributions as dist
from . import stateless_random_ops as sr
from .cast_ops import cast
from .framework import constant, constant_value, convert_to_tensor
from .gather_ops import gather
from .stack_ops import stack
from .variables import Variable

__all__ = ["Algorithm", "Generator", "create_rng_state", "get_global_generator",
           "set_global_generator", "split", "fold_in"]

_MASK64 = (1 << 64) - 1


class Algorithm(enum.Enum):
    """The RNG algorithms of ``tf.random``: both map to NumPy's Philox here."""

    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


_STATE_SIZES = {Algorithm.PHILOX: 3, Algorithm.THREEFRY: 2}


def _algorithm(alg: Any) -> Algorithm:
    """``alg`` (None, a name, a number or an Algorithm) as a concrete Algorithm."""
    if alg is None:
        return Algorithm.PHILOX
    if isinstance(alg, str):
        try:
            alg = Algorithm[alg.upper()]
        except KeyError:
            raise ValueError(f"Unsupported algorithm name: {alg!r} (expected 'philox', "
                             "'threefry' or 'auto_select')") from None
    elif not isinstance(alg, Algorithm):
        try:
            alg = Algorithm(int(alg))
        except ValueError:
            raise ValueError(f"Unsupported algorithm id: {alg!r}") from None
    return Algorithm.PHILOX if alg is Algorithm.AUTO_SELECT else alg


def _state_words(seed: Any, alg: Any) -> np.ndarray:
    """TF's ``create_rng_state`` layout: the seed's 64-bit words, lowest first, padded
    with its sign (so -1 gives all ones); a sequence of words is padded with zeros."""
    size = _STATE_SIZES[_algorithm(alg)]
    if np.ndim(seed) == 0:
        seed, words = int(seed), []
        for _ in range(size):
            words.append(seed & _MASK64)
            seed >>= 64
    else:
        words = [int(w) & _MASK64 for w in np.asarray(seed, dtype=object).ravel()][:size]
        words += [0] * (size - len(words))
    return np.array(words, np.uint64).view(np.int64)


def create_rng_state(seed: Any, alg: Any) -> Tensor:
    """``tf.random.create_rng_state``: the int64 RNG state for ``seed`` under ``alg``."""
    return constant(_state_words(seed, alg), dtypes.int64)


def _scrambled_key(*words: int) -> int:
    """A 64-bit key derived deterministically from integers (SeedSequence's hash)."""
    entropy = [int(w) & _MASK64 for w in words]
    return int(np.random.SeedSequence(entropy).generate_state(1, np.uint64)[0])


class Generator:
    """``tf.random.Generator``: a random number generator whose state is a variable.

    Build with :meth:`from_seed`, :meth:`from_non_deterministic_state`, :meth:`from_state`
    or :meth:`from_key_counter`; its variable must be initialized (it is in
    GLOBAL_VARIABLES, not trainable) before its sampling ops run.
    """

    def __init__(self, copy_from: "Generator | None" = None, state: Any = None,
                 alg: Any = None) -> None:
        if copy_from is not None:
            if state is not None or alg is not None:
                raise ValueError("Generator: give copy_from, or state and alg, not both")
            self._alg, self._key = copy_from._alg, copy_from._key
            initial: Any = copy_from._state_var.read_value()
        else:
            if state is None:
                raise ValueError("Generator needs copy_from or state (use from_seed or "
                                 "from_non_deterministic_state)")
            self._alg = _algorithm(alg)
            value = constant_value(state) if isinstance(state, Tensor) else state
            if value is None:
                raise ValueError("Generator: state must be known when the graph is built")
            initial = _state_words(value, self._alg)
            self._key = int(initial[-1])
        with op_scope(None, "random_generator"):
            self._state_var = Variable(initial, trainable=False, name="StateVar",
                                       dtype=dtypes.int64)
        self._splits = 0

    @classmethod
    def from_seed(cls, seed: int, alg: Any = None) -> "Generator":
        """A generator whose key is derived from ``seed`` (counter 0)."""
        alg = _algorithm(alg)
        return cls(state=[0] * (_STATE_SIZES[alg] - 1) + [_scrambled_key(seed)], alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg: Any = None) -> "Generator":
        """A generator keyed from operating-system entropy."""
        alg = _algorithm(alg)
        key = int(np.random.SeedSequence().generate_state(1, np.uint64)[0])
        return cls(state=[0] * (_STATE_SIZES[alg] - 1) + [key], alg=alg)

    @classmethod
    def from_state(cls, state: Any, alg: Any) -> "Generator":
        """A generator starting at ``state`` (as :func:`create_rng_state` lays it out)."""
        return cls(state=state, alg=alg)

    @classmethod
    def from_key_counter(cls, key: Any, counter: Any, alg: Any) -> "Generator":
        """A generator with ``key`` (one word) and ``counter`` (the other words)."""
        words = [int(c) for c in np.asarray(counter, dtype=object).ravel()]
        words.append(int(np.asarray(key, dtype=object).ravel()[0]))
        return cls(state=words, alg=alg)

    # -- state ---------------------------------------------------------------------
    @property
    def state(self) -> Variable:
        """The int64 state variable."""
        return self._state_var

    @property
    def algorithm(self) -> int:
        """The algorithm's number (1 Philox, 2 ThreeFry)."""
        return self._alg.value

    @property
    def key(self) -> Tensor:
        """The key word of the state."""
        return constant(np.array(self._key, np.int64))

    def _next_seed(self) -> Tensor:
        """A shape-[2] seed (key, counter) from a counter advanced on every run."""
        delta = np.zeros(_STATE_SIZES[self._alg], np.int64)
        delta[0] = 1
        advanced = self._state_var.assign_add(delta)
        return gather(advanced, [len(delta) - 1, 0])

    def skip(self, delta: int) -> Tensor:
        """An op advancing the counter by ``delta``; outputs the new state."""
        step = np.zeros(_STATE_SIZES[self._alg], np.int64)
        step[0] = int(delta)
        return self._state_var.assign_add(step)

    def reset(self, state: Any) -> Tensor:
        """An op setting the state to ``state``; outputs the new state."""
        return self._state_var.assign(cast(convert_to_tensor(state), dtypes.int64))

    def reset_from_seed(self, seed: int) -> Tensor:
        """An op setting the state to that of ``Generator.from_seed(seed)``."""
        words = [0] * (_STATE_SIZES[self._alg] - 1) + [_scrambled_key(seed)]
        self._key = int(np.array(words[-1], np.uint64).view(np.int64))
        return self._state_var.assign(np.array(words, np.uint64).view(np.int64))

    # -- sampling ------------------------------------------------------------------
    def normal(self, shape: Any, mean: Any = 0.0, stddev: Any = 1.0,
               dtype: Any = dtypes.float32, name: str | None = None) -> Tensor:
        """Normal samples of ``shape``."""
        return sr.stateless_random_normal(shape, self._next_seed(), mean, stddev, dtype,
                                          name or "stateful_normal")

    def truncated_normal(self, shape: Any, mean: Any = 0.0, stddev: Any = 1.0,
                         dtype: Any = dtypes.float32, name: str | None = None) -> Tensor:
        """Normal samples within two ``stddev`` of ``mean``."""
        return sr.stateless_truncated_normal(shape, self._next_seed(), mean, stddev, dtype,
                                             name or "truncated_normal")

    def uniform(self, shape: Any, minval: Any = 0, maxval: Any = None,
                dtype: Any = dtypes.float32, name: str | None = None) -> Tensor:
        """Uniform samples in [minval, maxval) (integers need both bounds)."""
        if dtypes.as_dtype(dtype).is_integer and maxval is None:
            raise ValueError("Must specify maxval for integer dtype "
                             f"{dtypes.as_dtype(dtype).name}")
        return sr.stateless_random_uniform(shape, self._next_seed(), minval, maxval, dtype,
                                           name or "stateful_uniform")

    def uniform_full_int(self, shape: Any, dtype: Any = dtypes.uint64,
                         name: str | None = None) -> Tensor:
        """Integers over the whole range of ``dtype``."""
        return sr.stateless_random_uniform(shape, self._next_seed(), None, None, dtype,
                                           name or "stateful_uniform_full_int")

    def binomial(self, shape: Any, counts: Any, probs: Any, dtype: Any = dtypes.int32,
                 name: str | None = None) -> Tensor:
        """Binomial(counts, probs) samples of ``shape``."""
        return dist.stateless_random_binomial(shape, self._next_seed(), counts, probs,
                                              dtype, name or "binomial")

    def make_seeds(self, count: int = 1) -> Tensor:
        """A [2, count] int64 tensor of seeds for the stateless ops (column i is one)."""
        return sr.stateless_random_uniform([2, count], self._next_seed(), None, None,
                                           dtypes.int64, "make_seeds")

    def split(self, count: int = 1) -> list["Generator"]:
        """``count`` new generators, keyed from this one's key and how many generators
        it has split off so far (so the children of repeated splits differ)."""
        children = []
        for _ in range(count):
            self._splits += 1
            key = _scrambled_key(self._key, self._splits)
            children.append(Generator(state=[0] * (_STATE_SIZES[self._alg] - 1) + [key],
                                      alg=self._alg))
        return children


_GLOBAL: dict[str, Generator] = {}


def get_global_generator() -> Generator:
    """``tf.random.get_global_generator``: the generator set by
    :func:`set_global_generator`, else one made from non-deterministic state for the
    default graph (a new one when the default graph changes)."""
    current = _GLOBAL.get("generator")
    if current is None or current.state.graph is not get_default_graph():
        current = _GLOBAL["generator"] = Generator.from_non_deterministic_state()
    return current


def set_global_generator(generator: Generator) -> None:
    """``tf.random.set_global_generator``: replaces the global generator."""
    if not isinstance(generator, Generator):
        raise TypeError(f"set_global_generator expects a tf.random.Generator, got "
                        f"{type(generator).__name__}")
    _GLOBAL["generator"] = generator


def split(seed: Any, num: int = 2, alg: Any = "auto_select") -> Tensor:
    """``tf.random.split``: ``num`` new seeds ([num, 2]) from a shape-[2] seed (as TF:
    stateless full-range integers of the seed's dtype)."""
    seed = sr.seed_tensor(seed)
    return sr.stateless_random_uniform([num, 2], seed, None, None, seed.dtype)


def fold_in(seed: Any, data: Any, alg: Any = "auto_select") -> Tensor:
    """``tf.random.fold_in``: a new seed ``[stateless draw from seed, data]`` (as TF)."""
    seed = sr.seed_tensor(seed)
    drawn = sr.stateless_random_uniform([], seed, None, None, seed.dtype)
    return stack([drawn, cast(convert_to_tensor(data), seed.dtype)])

"""``tf.random``: the random ops under their ``tf.random.*`` names."""
from __future__ import annotations

from .core.graph import set_random_seed
from .ops.random_ops import (get_seed, multinomial, random_categorical as categorical,
                             random_normal as normal, random_shuffle as shuffle,
                             random_uniform as uniform, truncated_normal)

set_seed = set_random_seed

__all__ = ["normal", "uniform", "truncated_normal", "shuffle", "categorical", "multinomial",
           "set_seed", "set_random_seed", "get_seed"]

# candidate samplers under tf.random.* (ops/candidate_sampling_ops.py)
from .ops.candidate_sampling_ops import (all_candidate_sampler,  # noqa: E402,F401
                                         fixed_unigram_candidate_sampler,
                                         learned_unigram_candidate_sampler,
                                         log_uniform_candidate_sampler,
                                         uniform_candidate_sampler)

__all__ += ["all_candidate_sampler", "fixed_unigram_candidate_sampler",
            "learned_unigram_candidate_sampler", "log_uniform_candidate_sampler",
            "uniform_candidate_sampler"]

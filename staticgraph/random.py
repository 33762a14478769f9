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

# stateless ops, gamma/Poisson samplers and the Generator API (issue 14)
from . import random_experimental as experimental  # noqa: E402
from .ops.random_distributions import (  # noqa: E402
    random_gamma as gamma, random_poisson as poisson,
    stateless_parameterized_truncated_normal, stateless_random_binomial as stateless_binomial,
    stateless_random_gamma as stateless_gamma, stateless_random_poisson as stateless_poisson)
from .ops.random_generator import (Algorithm, Generator, create_rng_state,  # noqa: E402
                                   fold_in, get_global_generator, set_global_generator, split)
from .ops.stateless_random_ops import (  # noqa: E402
    stateless_categorical, stateless_multinomial,
    stateless_random_normal as stateless_normal,
    stateless_random_uniform as stateless_uniform, stateless_truncated_normal)

__all__ += ["experimental", "gamma", "poisson", "stateless_parameterized_truncated_normal",
            "stateless_binomial", "stateless_gamma", "stateless_poisson", "Algorithm",
            "Generator", "create_rng_state", "fold_in", "get_global_generator",
            "set_global_generator", "split", "stateless_categorical", "stateless_multinomial",
            "stateless_normal", "stateless_uniform", "stateless_truncated_normal"]

"""``tf.random.experimental``: the generator API under its experimental names."""
from __future__ import annotations

from .ops.random_generator import (Algorithm, Generator, create_rng_state,
                                   get_global_generator, set_global_generator)
from .ops.index_shuffle import random_index_shuffle as index_shuffle
from .ops.random_generator import fold_in as stateless_fold_in
from .ops.random_generator import split as stateless_split

__all__ = ["Algorithm", "Generator", "create_rng_state", "get_global_generator",
           "set_global_generator", "stateless_fold_in", "stateless_split", "index_shuffle"]

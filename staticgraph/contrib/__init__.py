"""``tf.contrib``: only the pieces TF1 scripts use most (``tf.contrib.layers``' initializers,
regularizers and layers; ``tf.contrib.rnn``'s cells, the same as ``tf.nn.rnn_cell``'s).
Any other ``tf.contrib.<name>`` raises an AttributeError listing what is supported.
"""
from typing import NoReturn as _NoReturn

from . import layers, rnn
from ._layers import unsupported as _unsupported

__all__ = ["layers", "rnn"]

# tf.contrib.opt.LazyAdamOptimizer
from . import opt  # noqa: E402
__all__ += ["opt"]


def __getattr__(name: str) -> _NoReturn:
    if name.startswith("__"):
        raise AttributeError(name)
    _unsupported(f"tf.contrib.{name}")

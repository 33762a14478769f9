"""``tf.contrib``: only the pieces TF1 scripts use most (``tf.contrib.layers``' initializers,
regularizers and layers). Any other ``tf.contrib.<name>`` raises an AttributeError listing
what is supported; ``tf.contrib.rnn`` is reserved for the RNN cells and not there yet.
"""
from typing import NoReturn as _NoReturn

from . import layers
from ._layers import unsupported as _unsupported

__all__ = ["layers"]

# Names TF1 has under tf.contrib that staticgraph means to provide but does not yet.
_RESERVED = {"rnn": "it is planned as an alias of tf.nn.rnn_cell"}


def __getattr__(name: str) -> _NoReturn:
    if name.startswith("__"):
        raise AttributeError(name)
    if name in _RESERVED:
        _unsupported(f"tf.contrib.{name}",
                     f"not implemented in staticgraph yet ({_RESERVED[name]})")
    _unsupported(f"tf.contrib.{name}")

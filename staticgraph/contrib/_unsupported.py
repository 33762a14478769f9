"""The error for a ``tf.contrib`` name staticgraph does not have, listing those it has."""
from __future__ import annotations

from typing import NoReturn

from ._layers import __all__ as layer_names
from ._more_layers import __all__ as more_layer_names
from ._layers_extra import __all__ as extra_layer_names


def unsupported(qualified_name: str, why: str = "not supported by staticgraph") -> NoReturn:
    """Raises the AttributeError for an unsupported ``tf.contrib`` name, listing the
    supported ones."""
    supported = ", ".join(f"tf.contrib.layers.{n}" for n in layer_names + more_layer_names
                          + extra_layer_names)
    raise AttributeError(f"{qualified_name} is {why}. tf.contrib is supported only for: "
                         f"{supported}, tf.contrib.rnn's cells, tf.contrib.opt.LazyAdamOptimizer, "
                         f"tf.contrib.seq2seq.sequence_loss and tf.contrib.legacy_seq2seq's "
                         f"losses and rnn_decoder, tf.contrib.crf, tf.contrib.framework, "
                         f"tf.contrib.slim.")

"""``tf.contrib``: only the pieces TF1 scripts use most (``tf.contrib.layers``' initializers,
regularizers and layers; ``tf.contrib.rnn``'s cells, the same as ``tf.nn.rnn_cell``'s;
``tf.contrib.opt.LazyAdamOptimizer``; ``tf.contrib.seq2seq.sequence_loss`` and
``tf.contrib.legacy_seq2seq``'s losses and ``rnn_decoder``; ``tf.contrib.crf``;
``tf.contrib.framework``'s global step, variable look-ups and ``arg_scope``;
``tf.contrib.slim``, those two together).
Any other ``tf.contrib.<name>`` raises an AttributeError listing what is supported.
"""
from typing import NoReturn as _NoReturn

from . import layers, rnn
from ._unsupported import unsupported as _unsupported

__all__ = ["layers", "rnn"]

# tf.contrib.opt.LazyAdamOptimizer
from . import opt  # noqa: E402
__all__ += ["opt"]

# tf.contrib.seq2seq.sequence_loss, tf.contrib.legacy_seq2seq's losses and rnn_decoder
from . import legacy_seq2seq, seq2seq  # noqa: E402
__all__ += ["seq2seq", "legacy_seq2seq"]

# tf.contrib.crf (linear-chain CRF: log-likelihood, decoding)
from . import crf  # noqa: E402
__all__ += ["crf"]

# tf.contrib.framework (global step, variable look-ups, arg_scope, assign_from_checkpoint_fn)
from . import framework  # noqa: E402
__all__ += ["framework"]

# tf.contrib.slim: tf.contrib.layers and tf.contrib.framework under one name
from . import slim  # noqa: E402
__all__ += ["slim"]


def __getattr__(name: str) -> _NoReturn:
    if name.startswith("__"):
        raise AttributeError(name)
    _unsupported(f"tf.contrib.{name}")

"""``tf.nn.rnn_cell``: TF1's recurrent cells (see :mod:`staticgraph.rnn`)."""
from __future__ import annotations

from .rnn.cells import BasicLSTMCell, BasicRNNCell, GRUCell, LSTMCell, LSTMStateTuple, RNNCell
from .rnn.wrappers import DropoutWrapper, MultiRNNCell, ResidualWrapper

__all__ = ["RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "LSTMStateTuple",
           "MultiRNNCell", "DropoutWrapper", "ResidualWrapper"]

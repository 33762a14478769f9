"""Recurrent networks above the engine: TF1's cells (``tf.nn.rnn_cell``) and drivers
(``tf.nn.dynamic_rnn``, ``static_rnn``, ``bidirectional_dynamic_rnn``)."""
from __future__ import annotations

from .cells import BasicLSTMCell, BasicRNNCell, GRUCell, LSTMCell, LSTMStateTuple, RNNCell
from .drivers import bidirectional_dynamic_rnn, dynamic_rnn, static_rnn
from .wrappers import DropoutWrapper, MultiRNNCell, ResidualWrapper

__all__ = ["RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "LSTMStateTuple",
           "MultiRNNCell", "DropoutWrapper", "ResidualWrapper", "dynamic_rnn", "static_rnn",
           "bidirectional_dynamic_rnn"]

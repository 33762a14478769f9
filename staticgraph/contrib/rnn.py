"""``tf.contrib.rnn``: in TF1 an alias of the core recurrent cells; here the same objects
as ``tf.nn.rnn_cell``, plus ``static_rnn``, ``static_bidirectional_rnn`` and
``static_state_saving_rnn``. Other names raise an AttributeError listing
these (and the projection wrappers, block cells and stacked bidirectional
RNNs of contrib itself)."""
from typing import NoReturn as _NoReturn

from ..rnn.cells import (BasicLSTMCell, BasicRNNCell, GRUCell, LSTMCell, LSTMStateTuple,
                         RNNCell)
from ..rnn.drivers import static_bidirectional_rnn, static_rnn, static_state_saving_rnn
from ..rnn.wrappers import DropoutWrapper, MultiRNNCell, ResidualWrapper

LayerRNNCell = RNNCell
"""TF1's ``tf.contrib.rnn.LayerRNNCell``: the base of cells that make their variables in
``build``; here :class:`RNNCell` does that already."""

__all__ = ["RNNCell", "LayerRNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell",
           "LSTMStateTuple", "MultiRNNCell", "DropoutWrapper", "ResidualWrapper",
           "static_rnn", "static_bidirectional_rnn", "static_state_saving_rnn"]

# contrib's own: projection wrappers, block and layer-norm cells, stacked bidirectional RNNs
from ._rnn_extras import (  # noqa: E402
    GRUBlockCell, GRUBlockCellV2, InputProjectionWrapper, LayerNormBasicLSTMCell,
    LSTMBlockCell, OutputProjectionWrapper, stack_bidirectional_dynamic_rnn,
    stack_bidirectional_rnn)
from ._rnn_extras import __all__ as _extra_names  # noqa: E402
__all__ += _extra_names


def __getattr__(name: str) -> _NoReturn:
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"tf.contrib.rnn.{name} is not supported by staticgraph. "
                         f"tf.contrib.rnn has: {', '.join(__all__)}.")

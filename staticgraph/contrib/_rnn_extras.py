"""``tf.contrib.rnn``'s own pieces: the input/output projection wrappers, the block cells
(TF1's fused-kernel LSTM/GRU, here the same math as ``LSTMCell``/``GRUCell`` under the
block cells' variable names) and the stacked bidirectional RNNs."""
from __future__ import annotations

from typing import Any, Callable, Sequence

from ..core import dtypes
from ..core.graph import Tensor
from ..ops.init_ops import Constant, Zeros
from ..ops.join_ops import concat
from ..ops.matmul_ops import matmul
from ..ops.math_ops import sigmoid, tanh
from ..ops.nn_impl import batch_normalization, moments
from ..ops.nn_ops import bias_add, dropout
from ..ops.join_ops import split
from ..ops.variable_scope import get_variable, variable_scope
from ..rnn.cells import GRUCell, LSTMCell, LSTMStateTuple, RNNCell
from ..rnn.drivers import bidirectional_dynamic_rnn, static_bidirectional_rnn
from ..rnn.wrappers import _Wrapper

__all__ = ["OutputProjectionWrapper", "InputProjectionWrapper", "LSTMBlockCell",
           "GRUBlockCell", "GRUBlockCellV2", "LayerNormBasicLSTMCell",
           "stack_bidirectional_dynamic_rnn",
           "stack_bidirectional_rnn"]


class _ProjectionWrapper(_Wrapper):
    """A wrapper (the cell's sizes and zero state) that, unlike the core wrappers, has a
    variable scope and variables of its own, and builds and calls the cell inside it."""

    built = RNNCell.built
    build_for = RNNCell.build_for
    __call__ = RNNCell.__call__

    def __init__(self, cell: RNNCell, size: int, activation: Callable | None) -> None:
        if not isinstance(cell, RNNCell):
            raise TypeError(f"{type(self).__name__}: the parameter cell is not RNNCell, got "
                            f"{type(cell).__name__}.")
        super().__init__(cell)
        self._size, self._activation = int(size), activation

    def _project(self, x: Tensor) -> Tensor:
        projected = bias_add(matmul(x, self._kernel), self._bias)
        return self._activation(projected) if self._activation else projected


def _projection(depth: int, size: int, dtype: dtypes.DType) -> tuple[Tensor, Tensor]:
    """The wrapper's ``kernel`` ``[depth, size]`` and ``bias`` ``[size]`` (zeros)."""
    return (get_variable("kernel", [depth, size], dtype=dtype),
            get_variable("bias", [size], dtype=dtype, initializer=Zeros()))


class OutputProjectionWrapper(_ProjectionWrapper):
    """``tf.contrib.rnn.OutputProjectionWrapper``: the cell's output times ``kernel``
    ``[cell output, output_size]`` plus ``bias`` (then ``activation`` if given); the state
    is the cell's. Variables: ``output_projection_wrapper/kernel``, ``.../bias`` and the
    cell's under ``output_projection_wrapper/``."""

    _base_name = "output_projection_wrapper"

    def __init__(self, cell: RNNCell, output_size: int, activation: Callable | None = None,
                 reuse: Any = None) -> None:
        if output_size < 1:
            raise ValueError(f"Parameter output_size must be > 0: {output_size}.")
        super().__init__(cell, output_size, activation)

    @property
    def output_size(self) -> int:
        return self._size

    def _create(self, input_depth: int, dtype: dtypes.DType) -> None:
        self._cell.build_for(input_depth, dtype)
        self._kernel, self._bias = _projection(self._cell.output_size, self._size, dtype)

    def call(self, inputs: Tensor, state: Any) -> tuple[Tensor, Any]:
        output, new_state = self._cell(inputs, state)
        return self._project(output), new_state


class InputProjectionWrapper(_ProjectionWrapper):
    """``tf.contrib.rnn.InputProjectionWrapper``: the cell run on ``inputs · kernel +
    bias`` (``kernel`` ``[input depth, num_proj]``, then ``activation`` if given).
    Variables: ``input_projection_wrapper/kernel``, ``.../bias`` and the cell's under
    ``input_projection_wrapper/``."""

    _base_name = "input_projection_wrapper"

    def __init__(self, cell: RNNCell, num_proj: int, activation: Callable | None = None,
                 input_size: Any = None, reuse: Any = None) -> None:
        super().__init__(cell, num_proj, activation)

    def _create(self, input_depth: int, dtype: dtypes.DType) -> None:
        self._kernel, self._bias = _projection(input_depth, self._size, dtype)
        self._cell.build_for(self._size, dtype)

    def call(self, inputs: Tensor, state: Any) -> tuple[Tensor, Any]:
        return self._cell(self._project(inputs), state)


class LSTMBlockCell(LSTMCell):
    """``tf.contrib.rnn.LSTMBlockCell``: :class:`LSTMCell`'s math (gates i, j, f, o; with
    ``use_peephole`` the peepholes, ``cell_clip`` clipping the cell state) with the block
    cell's arguments and names: variables ``lstm_cell/kernel``, ``lstm_cell/bias`` (zeros)
    and ``w_i_diag``/``w_f_diag``/``w_o_diag``; ``name`` is used as given."""

    def __init__(self, num_units: int, forget_bias: float = 1.0, cell_clip: Any = None,
                 use_peephole: bool = False, dtype: Any = None, reuse: Any = None,
                 name: str = "lstm_cell") -> None:
        super().__init__(num_units, use_peepholes=use_peephole, cell_clip=cell_clip,
                         forget_bias=forget_bias, name=name, dtype=dtype)


class GRUBlockCellV2(GRUCell):
    """``tf.contrib.rnn.GRUBlockCellV2``: :class:`GRUCell` (variables
    ``gru_cell/gates/kernel``, ``gates/bias`` (ones), ``candidate/kernel``,
    ``candidate/bias`` (zeros)) with the block cell's arguments; ``name`` is used as
    given."""

    def __init__(self, num_units: int | None = None, cell_size: int | None = None,
                 reuse: Any = None, name: str = "gru_cell") -> None:
        if (num_units is None) == (cell_size is None):
            raise ValueError("Exactly one of num_units or cell_size must be provided.")
        super().__init__(num_units if num_units is not None else cell_size, name=name)


class GRUBlockCell(GRUBlockCellV2):
    """``tf.contrib.rnn.GRUBlockCell``: :class:`GRUCell`'s math under the block cell's
    first names: ``gru_cell/w_ru`` ``[input + units, 2 * units]``, ``b_ru`` (ones),
    ``w_c`` ``[input + units, units]``, ``b_c`` (zeros)."""

    def _create(self, input_depth: int, dtype: dtypes.DType) -> None:
        rows, units = input_depth + self._units, self._units
        self._wg = get_variable("w_ru", [rows, 2 * units], dtype=dtype)
        self._bg = get_variable("b_ru", [2 * units], dtype=dtype, initializer=Constant(1.0))
        self._wc = get_variable("w_c", [rows, units], dtype=dtype)
        self._bc = get_variable("b_c", [units], dtype=dtype, initializer=Zeros())


class LayerNormBasicLSTMCell(RNNCell):
    """``tf.contrib.rnn.LayerNormBasicLSTMCell``: :class:`BasicLSTMCell` with each gate's
    pre-activation and the new cell state layer-normalised (over the units, epsilon 1e-12)
    and recurrent dropout on the candidate (``dropout_keep_prob``)::

        i, j, f, o = split([x, h] @ kernel, 4)     (+ bias without layer_norm)
        c' = LN_state(c * sigmoid(LN_forget(f) + forget_bias)
                      + sigmoid(LN_input(i)) * dropout(activation(LN_transform(j))))
        h' = activation(c') * sigmoid(LN_output(o))

    Variables: ``layer_norm_basic_lstm_cell/kernel`` and, per normalisation ``input``,
    ``transform``, ``forget``, ``output``, ``state``: ``<name>/gamma`` (``norm_gain``) and
    ``<name>/beta`` (``norm_shift``); ``bias`` only when ``layer_norm=False``."""

    _NORMS = ("input", "transform", "forget", "output", "state")

    def __init__(self, num_units: int, forget_bias: float = 1.0, input_size: Any = None,
                 activation: Callable = tanh, layer_norm: bool = True, norm_gain: float = 1.0,
                 norm_shift: float = 0.0, dropout_keep_prob: Any = 1.0,
                 dropout_prob_seed: int | None = None, reuse: Any = None) -> None:
        super().__init__()
        self._units, self._forget_bias, self._activation = int(num_units), forget_bias, \
            activation
        self._layer_norm, self._gain, self._shift = layer_norm, norm_gain, norm_shift
        self._keep_prob, self._seed = dropout_keep_prob, dropout_prob_seed

    @property
    def state_size(self) -> LSTMStateTuple:
        return LSTMStateTuple(self._units, self._units)

    @property
    def output_size(self) -> int:
        return self._units

    def _create(self, input_depth: int, dtype: dtypes.DType) -> None:
        units = self._units
        self._kernel = get_variable("kernel", [input_depth + units, 4 * units], dtype=dtype)
        self._norms: dict = {}
        if not self._layer_norm:
            self._bias = get_variable("bias", [4 * units], dtype=dtype)
            return
        for name in self._NORMS:
            with variable_scope(name):
                self._norms[name] = (
                    get_variable("gamma", [units], dtype=dtype,
                                 initializer=Constant(self._gain)),
                    get_variable("beta", [units], dtype=dtype,
                                 initializer=Constant(self._shift)))

    def _norm(self, x: Tensor, name: str) -> Tensor:
        if not self._layer_norm:
            return x
        gamma, beta = self._norms[name]
        mean, variance = moments(x, [1], keep_dims=True)
        return batch_normalization(x, mean, variance, offset=beta, scale=gamma,
                                   variance_epsilon=1e-12)

    def call(self, inputs: Tensor, state: Any) -> tuple[Tensor, LSTMStateTuple]:
        c, h = state
        gates = matmul(concat([inputs, h], 1), self._kernel)
        if not self._layer_norm:
            gates = bias_add(gates, self._bias)
        i, j, f, o = split(gates, 4, axis=1)
        candidate = self._activation(self._norm(j, "transform"))
        if not isinstance(self._keep_prob, float) or self._keep_prob < 1:
            candidate = dropout(candidate, keep_prob=self._keep_prob, seed=self._seed)
        new_c = self._norm(c * sigmoid(self._norm(f, "forget") + self._forget_bias)
                           + sigmoid(self._norm(i, "input")) * candidate, "state")
        new_h = self._activation(new_c) * sigmoid(self._norm(o, "output"))
        return new_h, LSTMStateTuple(new_c, new_h)


def _check_stack(cells_fw: Any, cells_bw: Any, initial_states_fw: Any,
                 initial_states_bw: Any) -> None:
    """TF1's argument checks of the stacked bidirectional RNNs."""
    for cells, side in ((cells_fw, "fw"), (cells_bw, "bw")):
        if not cells:
            raise ValueError(f"Must specify at least one {side} cell for BidirectionalRNN.")
        if not isinstance(cells, list):
            raise ValueError(f"cells_{side} must be a list of RNNCells (one per layer).")
    if len(cells_fw) != len(cells_bw):
        raise ValueError("Forward and Backward cells must have the same depth.")
    for states, side in ((initial_states_fw, "fw"), (initial_states_bw, "bw")):
        if states is not None and (not isinstance(states, list) or
                                   len(states) != len(cells_fw)):
            raise ValueError(f"initial_states_{side} must be a list of state tensors (one "
                             f"per layer).")


def _stack(layer: Callable, cells_fw: list, cells_bw: list, inputs: Any,
           initial_states_fw: Any, initial_states_bw: Any, scope: Any) -> tuple:
    """Runs ``layer(cell_fw, cell_bw, inputs, state_fw, state_bw)`` per layer in
    ``<scope>/cell_<i>``, each layer reading the previous one's outputs."""
    _check_stack(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw = [], []
    with variable_scope(scope or "stack_bidirectional_rnn"):
        for i, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
            with variable_scope(f"cell_{i}"):
                inputs, state_fw, state_bw = layer(
                    cell_fw, cell_bw, inputs,
                    initial_states_fw[i] if initial_states_fw else None,
                    initial_states_bw[i] if initial_states_bw else None)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return inputs, tuple(states_fw), tuple(states_bw)


def stack_bidirectional_dynamic_rnn(cells_fw: list, cells_bw: list, inputs: Any,
                                    initial_states_fw: list | None = None,
                                    initial_states_bw: list | None = None, dtype: Any = None,
                                    sequence_length: Any = None,
                                    parallel_iterations: int | None = None,
                                    time_major: bool = False, scope: Any = None,
                                    swap_memory: bool = False) -> tuple[Tensor, tuple, tuple]:
    """``tf.contrib.rnn.stack_bidirectional_dynamic_rnn``: layers of
    ``bidirectional_dynamic_rnn``, layer ``i`` reading layer ``i - 1``'s forward and
    backward outputs concatenated. Returns ``(outputs, states_fw, states_bw)`` (the last
    layer's concatenated outputs, the tuples of each layer's final states); variables
    under ``stack_bidirectional_rnn/cell_<i>/bidirectional_rnn/fw|bw/``."""
    def layer(cell_fw: RNNCell, cell_bw: RNNCell, x: Any, state_fw: Any,
              state_bw: Any) -> tuple:
        outputs, (final_fw, final_bw) = bidirectional_dynamic_rnn(
            cell_fw, cell_bw, x, initial_state_fw=state_fw, initial_state_bw=state_bw,
            sequence_length=sequence_length, parallel_iterations=parallel_iterations,
            dtype=dtype, swap_memory=swap_memory, time_major=time_major)
        return concat(list(outputs), 2), final_fw, final_bw
    return _stack(layer, cells_fw, cells_bw, inputs, initial_states_fw, initial_states_bw,
                  scope)


def stack_bidirectional_rnn(cells_fw: list, cells_bw: list, inputs: Sequence[Any],
                            initial_states_fw: list | None = None,
                            initial_states_bw: list | None = None, dtype: Any = None,
                            sequence_length: Any = None,
                            scope: Any = None) -> tuple[list, tuple, tuple]:
    """``tf.contrib.rnn.stack_bidirectional_rnn``: :func:`stack_bidirectional_dynamic_rnn`
    over a list of ``[batch, depth]`` steps with ``static_bidirectional_rnn`` per layer;
    returns ``(outputs, states_fw, states_bw)`` with ``outputs`` a list of steps."""
    def layer(cell_fw: RNNCell, cell_bw: RNNCell, x: Any, state_fw: Any,
              state_bw: Any) -> tuple:
        return static_bidirectional_rnn(cell_fw, cell_bw, x, initial_state_fw=state_fw,
                                        initial_state_bw=state_bw, dtype=dtype,
                                        sequence_length=sequence_length)
    return _stack(layer, cells_fw, cells_bw, inputs, initial_states_fw, initial_states_bw,
                  scope)

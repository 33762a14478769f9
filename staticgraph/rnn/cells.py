"""TF1's recurrent cells (``tf.nn.rnn_cell``): the ``RNNCell`` protocol and the basic,
LSTM and GRU cells, with TF1's formulas and variable names.

A cell creates its variables once, in a variable scope named after it
(``basic_lstm_cell``, ``lstm_cell``, ... or ``name=``) inside the scope current at its
first call, e.g. ``rnn/basic_lstm_cell/kernel``; later calls reuse them. The drivers
(``dynamic_rnn``...) build the cell before their ``while_loop`` so that its variables live
in the user's graph and the loop body only reads them.
"""
from __future__ import annotations

import re
from collections import namedtuple
from typing import Any

from ..core import dtypes
from ..core.graph import Tensor, name_scope
from ..core.shapes import TensorShape
from ..control_flow.nest import flatten, pack_as
from ..ops.fill_ops import zeros
from ..ops.framework import convert_to_tensor
from ..ops.init_ops import Constant, Zeros
from ..ops.join_ops import concat, split
from ..ops.clip_ops import clip_by_value
from ..ops.math_ops import sigmoid, tanh
from ..ops.matmul_ops import matmul
from ..ops.nn_ops import bias_add
from ..ops.variable_scope import get_variable, variable_scope

__all__ = ["RNNCell", "LSTMStateTuple", "BasicRNNCell", "BasicLSTMCell", "LSTMCell",
           "GRUCell"]


class LSTMStateTuple(namedtuple("LSTMStateTuple", ("c", "h"))):
    """An LSTM's state: the cell state ``c`` and the output ``h``."""

    __slots__ = ()

    @property
    def dtype(self) -> dtypes.DType:
        """The dtype of ``c`` (and ``h``)."""
        return self.c.dtype


def _snake_case(class_name: str) -> str:
    """TF1's default layer name for a class: ``NewStyle`` → ``new_style``,
    ``BasicLSTMCell`` → ``basic_lstm_cell``, a leading underscore → ``private_...``."""
    words = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", class_name)
    snake = re.sub(r"([a-z])([A-Z])", r"\1_\2", words).lower()
    return "private" + snake if snake.startswith("_") else snake


class RNNCell:
    """An RNN cell: ``(output, new_state) = cell(inputs, state)`` for one time step.

    Subclasses give ``state_size``, ``output_size``, ``_create(depth, dtype)`` (makes the
    variables in the current variable scope; or TF1's ``build(inputs_shape)``) and
    ``call(inputs, state)``. A cell's default scope name is its class name in snake case,
    as TF1 names layers (``BasicLSTMCell`` → ``basic_lstm_cell``).
    """

    _base_name = "rnn_cell"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_base_name" not in cls.__dict__:
            cls._base_name = _snake_case(cls.__name__)

    def __init__(self, trainable: bool = True, name: str | None = None, dtype: Any = None,
                 **kwargs: Any) -> None:
        """TF1's base-cell signature, so that a user's cell may call
        ``super().__init__(name=name)`` or, as TF 1.x cells did, ``(_reuse=reuse)``."""
        self._name = name
        self._dtype = dtypes.as_dtype(dtype) if dtype is not None else None
        self._scope: Any = None

    @property
    def state_size(self) -> Any:
        """The size (an int, or a structure of ints) of the state."""
        raise NotImplementedError(f"{type(self).__name__} does not define state_size")

    @property
    def output_size(self) -> int:
        """The size of the output."""
        raise NotImplementedError(f"{type(self).__name__} does not define output_size")

    @property
    def built(self) -> bool:
        """True once the cell's variables exist."""
        return self._scope is not None

    @built.setter
    def built(self, value: bool) -> None:
        """TF1 cells set ``self.built = True`` at the end of ``build``; the cell's scope
        already records that, so the assignment is accepted and changes nothing."""

    def build_for(self, input_depth: int, dtype: dtypes.DType) -> None:
        """Creates the variables for inputs of ``input_depth`` (once), in a variable scope
        named after the cell inside the current one."""
        if self.built:
            return
        if input_depth is None:
            raise ValueError(f"{type(self).__name__}: the last dimension of the inputs must "
                             "be known to create the cell's variables")
        dtype = self._dtype or dtype
        with variable_scope(self._name, default_name=self._base_name) as scope:
            self._scope = scope
            self._create(int(input_depth), dtype)

    def _create(self, input_depth: int, dtype: dtypes.DType) -> None:
        """Creates the cell's variables. A user's cell written for TF1 does it in its
        ``build(inputs_shape)`` (with ``add_variable``/``add_weight``), or creates them
        itself when called; the base class calls ``build`` when the subclass has one (and,
        as in TF1, not when it replaces ``__call__``, which then makes its own)."""
        if type(self).build is not RNNCell.build and type(self).__call__ is RNNCell.__call__:
            self.build(TensorShape([None, input_depth]))

    def build(self, inputs_shape: TensorShape) -> None:
        """Override to create variables (TF1's ``Layer.build``); called once, in the cell's
        variable scope, with the inputs' shape ``[batch, depth]``."""

    def add_variable(self, name: str, shape: Any, dtype: Any = None, initializer: Any = None,
                     regularizer: Any = None, trainable: bool = True, **kwargs: Any) -> Any:
        """A variable of this cell (``get_variable`` in the cell's scope), for ``build``."""
        return get_variable(name, shape, dtype=dtype or self._dtype, initializer=initializer,
                            regularizer=regularizer, trainable=trainable)

    add_weight = add_variable

    def call(self, inputs: Tensor, state: Any) -> tuple[Tensor, Any]:
        """One time step: ``(output, new_state)``."""
        raise NotImplementedError(f"{type(self).__name__} does not define call")

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Tensor, Any]:
        inputs = convert_to_tensor(inputs)
        if not self.built:
            if scope is not None:
                with variable_scope(scope):
                    self.build_for(inputs.shape.as_list()[-1], inputs.dtype)
            else:
                self.build_for(inputs.shape.as_list()[-1], inputs.dtype)
        with name_scope(self._name or self._base_name):
            return self.call(inputs, state)

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        """Zeros shaped ``[batch_size, size]`` for every size in ``state_size``."""
        with name_scope(f"{type(self).__name__}ZeroState"):
            sizes = self.state_size
            leaves = [zeros([batch_size, s], dtype=dtype) for s in flatten(sizes)]
            return pack_as(sizes, leaves) if isinstance(sizes, (tuple, list)) else leaves[0]

    def get_config(self) -> dict:
        """The constructor's name (as Keras layers report)."""
        return {"name": self._name}


def _kernel(name: str, rows: int, cols: int, dtype: dtypes.DType,
            initializer: Any = None) -> Tensor:
    return get_variable(name, [rows, cols], dtype=dtype, initializer=initializer)


def _bias(name: str, size: int, dtype: dtypes.DType, initializer: Any = None) -> Tensor:
    return get_variable(name, [size], dtype=dtype,
                        initializer=initializer if initializer is not None else Zeros())


def _affine(parts: list[Tensor], kernel: Tensor, bias: Tensor) -> Tensor:
    return bias_add(matmul(concat(parts, 1), kernel), bias)


class _HiddenStateCell(RNNCell):
    """A cell whose state is its output: ``units`` numbers per example (BasicRNN, GRU)."""

    _units: int

    @property
    def state_size(self) -> int:
        return self._units

    @property
    def output_size(self) -> int:
        return self._units


class BasicRNNCell(_HiddenStateCell):
    """``h' = activation([x, h] @ kernel + bias)``; output and new state are both ``h'``.

    Variables: ``basic_rnn_cell/kernel`` ``[input + units, units]``, ``.../bias``
    ``[units]`` (zeros). ``activation`` defaults to tanh.
    """

    _base_name = "basic_rnn_cell"

    def __init__(self, num_units: int, activation: Any = None, reuse: Any = None,
                 name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(name=name, dtype=dtype)
        self._units = int(num_units)
        self._activation = activation or tanh

    def _create(self, input_depth: int, dtype: dtypes.DType) -> None:
        self._w = _kernel("kernel", input_depth + self._units, self._units, dtype)
        self._b = _bias("bias", self._units, dtype)

    def call(self, inputs: Tensor, state: Tensor) -> tuple[Tensor, Tensor]:
        out = self._activation(_affine([inputs, state], self._w, self._b))
        return out, out


class BasicLSTMCell(RNNCell):
    """TF1's basic LSTM (no peepholes, no projection)::

        i, j, f, o = split([x, h] @ kernel + bias, 4, axis=1)
        c' = c * sigmoid(f + forget_bias) + sigmoid(i) * activation(j)
        h' = activation(c') * sigmoid(o)

    The output is ``h'``; the state is ``LSTMStateTuple(c', h')`` (or ``[c', h']``
    concatenated when ``state_is_tuple=False``). Variables: ``basic_lstm_cell/kernel``
    ``[input + units, 4 * units]`` and ``.../bias`` ``[4 * units]`` (zeros).
    """

    _base_name = "basic_lstm_cell"

    def __init__(self, num_units: int, forget_bias: float = 1.0, state_is_tuple: bool = True,
                 activation: Any = None, reuse: Any = None, name: str | None = None,
                 dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(name=name, dtype=dtype)
        self._units = int(num_units)
        self._forget_bias = forget_bias
        self._tuple = state_is_tuple
        self._activation = activation or tanh

    @property
    def state_size(self) -> Any:
        return LSTMStateTuple(self._units, self._units) if self._tuple else 2 * self._units

    @property
    def output_size(self) -> int:
        return self._units

    def _create(self, input_depth: int, dtype: dtypes.DType) -> None:
        self._w = _kernel("kernel", input_depth + self._units, 4 * self._units, dtype)
        self._b = _bias("bias", 4 * self._units, dtype)

    def call(self, inputs: Tensor, state: Any) -> tuple[Tensor, Any]:
        c, h = state if self._tuple else split(state, 2, axis=1)
        i, j, f, o = split(_affine([inputs, h], self._w, self._b), 4, axis=1)
        new_c = c * sigmoid(f + self._forget_bias) + sigmoid(i) * self._activation(j)
        new_h = self._activation(new_c) * sigmoid(o)
        return new_h, (LSTMStateTuple(new_c, new_h) if self._tuple
                       else concat([new_c, new_h], 1))


class LSTMCell(RNNCell):
    """TF1's full LSTM cell, with optional peepholes, clipping and projection::

        i, j, f, o = split([x, m] @ kernel + bias, 4, axis=1)
        peepholes:  c' = sigmoid(f + forget_bias + w_f_diag * c) * c
                         + sigmoid(i + w_i_diag * c) * activation(j)
        otherwise:  c' = sigmoid(f + forget_bias) * c + sigmoid(i) * activation(j)
        cell_clip:  c' = clip(c', -cell_clip, cell_clip)
        m' = sigmoid(o + w_o_diag * c') * activation(c')   (without w_o_diag * c' if no
             peepholes)
        num_proj:   m' = m' @ projection/kernel, then clip(m', -proj_clip, proj_clip)

    The output is ``m'``; the state ``LSTMStateTuple(c', m')`` (or ``[c', m']``
    concatenated when ``state_is_tuple=False``). Variables:
    ``lstm_cell/kernel`` ``[input + (num_proj or units), 4 * units]``, ``.../bias``
    (zeros), ``.../w_f_diag``, ``w_i_diag``, ``w_o_diag`` ``[units]``,
    ``.../projection/kernel`` ``[units, num_proj]``.
    """

    _base_name = "lstm_cell"

    def __init__(self, num_units: int, use_peepholes: bool = False, cell_clip: Any = None,
                 initializer: Any = None, num_proj: int | None = None, proj_clip: Any = None,
                 num_unit_shards: Any = None, num_proj_shards: Any = None,
                 forget_bias: float = 1.0, state_is_tuple: bool = True, activation: Any = None,
                 reuse: Any = None, name: str | None = None, dtype: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(name=name, dtype=dtype)
        if num_unit_shards is not None or num_proj_shards is not None:
            raise NotImplementedError("LSTMCell: num_unit_shards/num_proj_shards are not "
                                      "supported")
        self._units = int(num_units)
        self._tuple = state_is_tuple
        self._peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._activation = activation or tanh

    @property
    def state_size(self) -> Any:
        sizes = LSTMStateTuple(self._units, self.output_size)
        return sizes if self._tuple else sum(sizes)

    @property
    def output_size(self) -> int:
        return self._num_proj or self._units

    def _create(self, input_depth: int, dtype: dtypes.DType) -> None:
        units, init = self._units, self._initializer
        self._w = _kernel("kernel", input_depth + self.output_size, 4 * units, dtype, init)
        self._b = _bias("bias", 4 * units, dtype)
        if self._peepholes:
            self._diag = [get_variable(n, [units], dtype=dtype, initializer=init)
                          for n in ("w_f_diag", "w_i_diag", "w_o_diag")]
        if self._num_proj is not None:
            with variable_scope("projection"):
                self._proj = _kernel("kernel", units, self._num_proj, dtype, init)

    def call(self, inputs: Tensor, state: Any) -> tuple[Tensor, Any]:
        c, m = state if self._tuple else split(state, [self._units, self.output_size], axis=1)
        i, j, f, o = split(_affine([inputs, m], self._w, self._b), 4, axis=1)
        if self._peepholes:
            w_f, w_i, w_o = self._diag
            f, i = f + w_f * c, i + w_i * c
        new_c = sigmoid(f + self._forget_bias) * c + sigmoid(i) * self._activation(j)
        if self._cell_clip is not None:
            new_c = clip_by_value(new_c, -self._cell_clip, self._cell_clip)
        if self._peepholes:
            o = o + w_o * new_c
        new_m = sigmoid(o) * self._activation(new_c)
        if self._num_proj is not None:
            new_m = matmul(new_m, self._proj)
            if self._proj_clip is not None:
                new_m = clip_by_value(new_m, -self._proj_clip, self._proj_clip)
        return new_m, (LSTMStateTuple(new_c, new_m) if self._tuple
                       else concat([new_c, new_m], 1))


class GRUCell(_HiddenStateCell):
    """TF1's GRU cell::

        r, u = split(sigmoid([x, h] @ gates/kernel + gates/bias), 2, axis=1)
        c = activation([x, r * h] @ candidate/kernel + candidate/bias)
        h' = u * h + (1 - u) * c

    Output and new state are ``h'``. Variables: ``gru_cell/gates/kernel``
    ``[input + units, 2 * units]``, ``gates/bias`` (ones unless ``bias_initializer``),
    ``candidate/kernel`` ``[input + units, units]``, ``candidate/bias`` (zeros unless
    ``bias_initializer``).
    """

    _base_name = "gru_cell"

    def __init__(self, num_units: int, activation: Any = None, reuse: Any = None,
                 kernel_initializer: Any = None, bias_initializer: Any = None,
                 name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(name=name, dtype=dtype)
        self._units = int(num_units)
        self._activation = activation or tanh
        self._kernel_init = kernel_initializer
        self._bias_init = bias_initializer

    def _create(self, input_depth: int, dtype: dtypes.DType) -> None:
        rows, units = input_depth + self._units, self._units
        with variable_scope("gates"):
            self._wg = _kernel("kernel", rows, 2 * units, dtype, self._kernel_init)
            self._bg = _bias("bias", 2 * units, dtype, self._bias_init or Constant(1.0))
        with variable_scope("candidate"):
            self._wc = _kernel("kernel", rows, units, dtype, self._kernel_init)
            self._bc = _bias("bias", units, dtype, self._bias_init)

    def call(self, inputs: Tensor, state: Tensor) -> tuple[Tensor, Tensor]:
        r, u = split(sigmoid(_affine([inputs, state], self._wg, self._bg)), 2, axis=1)
        c = self._activation(_affine([inputs, r * state], self._wc, self._bc))
        new_h = u * state + (1 - u) * c
        return new_h, new_h


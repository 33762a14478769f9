"""Cells built from cells (``tf.nn.rnn_cell``): ``MultiRNNCell``, ``DropoutWrapper``,
``ResidualWrapper``."""
from __future__ import annotations

from typing import Any, Callable, Sequence

from ..core import dtypes
from ..core.graph import Tensor, name_scope
from ..core.shapes import TensorShape
from ..control_flow.nest import flatten, pack_as
from ..ops.framework import convert_to_tensor
from ..ops.join_ops import concat, split
from ..ops.math_ops import floor
from ..ops.nn_ops import dropout
from ..ops.random_ops import random_uniform
from ..ops.variable_scope import variable_scope
from .cells import LSTMStateTuple, RNNCell

__all__ = ["MultiRNNCell", "DropoutWrapper", "ResidualWrapper"]


class MultiRNNCell(RNNCell):
    """Cells stacked in layers: layer ``k`` reads layer ``k - 1``'s output; the state is the
    tuple of the layers' states. Layer ``k``'s variables live in ``multi_rnn_cell/cell_k/``.
    """

    _base_name = "multi_rnn_cell"

    def __init__(self, cells: Sequence[RNNCell], state_is_tuple: bool = True,
                 name: str | None = None) -> None:
        super().__init__(name=name)
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if len({id(c) for c in cells}) != len(cells):
            raise ValueError("MultiRNNCell: the same cell object appears twice in cells; "
                             "create one cell per layer")
        self._cells = list(cells)
        self._tuple = state_is_tuple

    @property
    def state_size(self) -> Any:
        sizes = tuple(c.state_size for c in self._cells)
        return sizes if self._tuple else sum(flatten(list(sizes)))

    @property
    def output_size(self) -> int:
        return self._cells[-1].output_size

    def _create(self, input_depth: int, dtype: dtypes.DType) -> None:
        for k, cell in enumerate(self._cells):
            with variable_scope(f"cell_{k}"):
                cell.build_for(input_depth, dtype)
            input_depth = cell.output_size

    def call(self, inputs: Tensor, state: Any) -> tuple[Tensor, Any]:
        states = state if self._tuple else self._split(state)
        new_states = []
        for k, (cell, s) in enumerate(zip(self._cells, states)):
            with name_scope(f"cell_{k}"):
                inputs, s = cell(inputs, s)
            new_states.append(s)
        if self._tuple:
            return inputs, tuple(new_states)
        return inputs, concat(flatten(new_states), 1)

    def _split(self, state: Tensor) -> list:
        sizes = [c.state_size for c in self._cells]
        parts = split(state, [s for size in sizes for s in flatten(size)], axis=1)
        out, it = [], iter(parts)
        for size in sizes:
            leaves = [next(it) for _ in flatten(size)]
            out.append(pack_as(size, leaves) if isinstance(size, tuple) else leaves[0])
        return out


class _Wrapper(RNNCell):
    """A cell around another cell: same sizes and variables (no scope of its own)."""

    def __init__(self, cell: RNNCell) -> None:
        super().__init__()
        self._cell = cell

    @property
    def state_size(self) -> Any:
        return self._cell.state_size

    @property
    def output_size(self) -> int:
        return self._cell.output_size

    @property
    def built(self) -> bool:
        return self._cell.built

    def build_for(self, input_depth: int, dtype: dtypes.DType) -> None:
        self._cell.build_for(input_depth, dtype)

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Tensor, Any]:
        return self.call(convert_to_tensor(inputs), state, scope)

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        return self._cell.zero_state(batch_size, dtype)


def _keeps_state(value: Any) -> Any:
    """TF1's default state filter: an LSTM state's ``c`` is never dropped."""
    if isinstance(value, LSTMStateTuple):
        return LSTMStateTuple(c=False, h=True)
    return True


def _dropped_leaves(visitor: Callable, value: Any) -> list[bool]:
    """Which leaves of ``value`` get dropout, by TF1's traversal of the state filter: the
    visitor returns False (leave the part alone), True (go into it) or, for a tuple, one
    such bool per element."""
    decision = visitor(value)
    if not isinstance(value, (list, tuple)):
        return [bool(decision)]
    decisions = [decision] * len(value) if isinstance(decision, bool) else list(decision)
    return [k for child, d in zip(value, decisions)
            for k in (_dropped_leaves(visitor, child) if d else [False] * len(flatten(child)))]


def _applies(keep: Any) -> bool:
    """TF1 adds no dropout for a keep probability that is the constant 1."""
    return not isinstance(keep, (int, float)) or keep < 1


class DropoutWrapper(_Wrapper):
    """Dropout on the cell's inputs, outputs and new state with keep probabilities
    ``input_keep_prob``, ``output_keep_prob`` and ``state_keep_prob`` (``tf.nn.dropout``:
    kept values are scaled by ``1 / keep_prob``). The ``c`` of an ``LSTMStateTuple`` is
    never dropped (TF1's default ``dropout_state_filter_visitor``, applied inside nested
    states too).

    With ``variational_recurrent=True`` (Gal & Ghahramani) every step uses the same masks,
    drawn once per run when the wrapper is made: for each leaf of ``input_size``, the
    cell's ``state_size`` and ``output_size``, a uniform noise of shape ``[1, size]``
    (shared by the whole batch, as in TF1) gives the mask ``floor(keep_prob + noise)``.
    ``dtype`` is then required, and ``input_size`` too unless ``input_keep_prob`` is the
    constant 1.

    Inside ``dynamic_rnn`` the loop's gradient uses the masks its forward pass drew (the
    loop keeps them); forward mode (``tf.jvp``) and Hessian-vector products re-run the
    loop, so they refuse per-step keep probabilities below 1 there (``static_rnn`` has no
    loop; variational masks are drawn outside the loop).
    """

    def __init__(self, cell: RNNCell, input_keep_prob: Any = 1.0, output_keep_prob: Any = 1.0,
                 state_keep_prob: Any = 1.0, variational_recurrent: bool = False,
                 input_size: Any = None, dtype: Any = None, seed: int | None = None,
                 dropout_state_filter_visitor: Callable | None = None) -> None:
        super().__init__(cell)
        keeps = (input_keep_prob, state_keep_prob, output_keep_prob)
        for what, p in zip(("input", "state", "output"), keeps):
            if isinstance(p, (int, float)) and not 0 < p <= 1:
                raise ValueError(f"Parameter {what}_keep_prob must be between 0 and 1: {p}")
        self._keeps = keeps
        self._seed = seed
        self._filter = dropout_state_filter_visitor or _keeps_state
        self._noise = self._variational_noise(input_size, dtype) \
            if variational_recurrent else None

    def _variational_noise(self, input_size: Any, dtype: Any) -> list:
        """Per salt (input, state, output), one ``[1, size]`` uniform noise per leaf."""
        if dtype is None:
            raise ValueError("DropoutWrapper: when variational_recurrent=True, dtype must "
                             "be provided")
        if _applies(self._keeps[0]) and input_size is None:
            raise ValueError("DropoutWrapper: when variational_recurrent=True and "
                             "input_keep_prob < 1.0 or is unknown, input_size must be "
                             "provided")
        sizes = (input_size, self._cell.state_size, self._cell.output_size)
        with name_scope("DropoutWrapperInit"):
            return [[random_uniform([1] + TensorShape(size).as_list(), dtype=dtype,
                                    seed=self._leaf_seed(salt, i))
                     for i, size in enumerate(flatten(structure))]
                    if structure is not None and _applies(self._keeps[salt]) else None
                    for salt, structure in enumerate(sizes)]

    def _leaf_seed(self, salt: int, index: int) -> int | None:
        return None if self._seed is None else self._seed + salt + 3 * index

    def _drop(self, value: Any, salt: int, dropped: list[bool] | None = None) -> Any:
        """``value`` (a tensor or a structure) with dropout on the leaves ``dropped``
        marks (all by default)."""
        keep = self._keeps[salt]
        if not _applies(keep):
            return value
        leaves = flatten(value)
        out = []
        for i, (leaf, drop) in enumerate(zip(leaves, dropped or [True] * len(leaves))):
            if not drop:
                out.append(leaf)
            elif self._noise is None:
                out.append(dropout(leaf, keep_prob=keep, seed=self._leaf_seed(salt, 0)))
            else:
                out.append(leaf / keep * floor(keep + self._noise[salt][i]))
        return pack_as(value, out)

    def call(self, inputs: Tensor, state: Any, scope: Any = None) -> tuple[Tensor, Any]:
        inputs = self._drop(inputs, 0)
        output, new_state = self._cell(inputs, state, scope=scope)
        new_state = self._drop(new_state, 1, _dropped_leaves(self._filter, new_state))
        return self._drop(output, 2), new_state


class ResidualWrapper(_Wrapper):
    """``output = residual_fn(inputs, cell_output)`` (default ``inputs + cell_output``);
    the state is the cell's."""

    def __init__(self, cell: RNNCell, residual_fn: Callable | None = None) -> None:
        super().__init__(cell)
        self._residual = residual_fn or (lambda x, y: x + y)

    def call(self, inputs: Tensor, state: Any, scope: Any = None) -> tuple[Tensor, Any]:
        output, new_state = self._cell(inputs, state, scope=scope)
        return self._residual(inputs, output), new_state

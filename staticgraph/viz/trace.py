"""Evaluation traces, as the classic autodiff texts teach them (Griewank & Walther).

Every value a computation makes gets a name v_i:
- inputs (placeholders, variables and fed tensors), in creation order, are
  v_{1-n} … v_{-1}, v_0, so with inputs x1, x2: x1 → v-1, x2 → v0;
- every other op needed by the fetches, in schedule (creation) order, gives v1, v2, …
  (an op with several outputs gets one v per output). Constants are shown inline.

``primal`` lists each v_i with its op, inputs and value; ``tangent(y, x)`` adds v̇_i = ∂v_i/∂x
pushed forward by ``tf.jvp``; ``adjoint(y)`` adds v̄_i = ∂y/∂v_i swept back by
``tf.gradients``, one row per v_i from y back to the inputs, listing each consumer's
contribution, so values that reach y along several paths show where adjoints accumulate.

Derivatives are built in a private copy of the needed ops (the user's graph is not changed);
stateful ops (random numbers, py_func) keep their primal values there. A
``tf.custom_gradient`` whose gradient function uses tensors of the user's graph cannot be
replayed in that copy.
"""
from __future__ import annotations

import contextlib
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np

from ..autodiff.forward import jvp
from ..autodiff.gradients import dense_gradients
from ..core.default_session import get_default_session
from ..core.graph import Graph, Operation, Tensor
from ..ops.framework import constant
from ..ops.state_ops import placeholder
from ..runtime.session import Session
from .elements import fed_tensors, resolve_fetches
from .format import PRECISION, summarize

INPUT_TYPES = ("Placeholder", "VariableV2")
DOT, BAR = "\u0307", "\u0304"  # combining dot and bar: v̇, v̄
_HEADERS = ["v", "op", "name", "inputs", "value"]
_EXTRA_HEADERS = {"primal": [], "tangent": ["v" + DOT], "adjoint": ["v" + BAR, "contributions"]}


@dataclass
class Row:
    """One value v_i of a trace."""

    index: int
    tensor: Tensor
    inputs: tuple[str, ...]
    value: Any
    derivative: Any = None  # v̇_i in a tangent trace, v̄_i in an adjoint trace
    contributions: tuple[tuple[int, Any], ...] = ()  # adjoint: (consumer's v index, part)

    @property
    def label(self) -> str:
        """``"v-1"``, ``"v0"``, ``"v3"``."""
        return f"v{self.index}"

    @property
    def name(self) -> str:
        """The op's name, or the tensor's name for ops with several outputs."""
        op = self.tensor.op
        return op.name if len(op.outputs) == 1 else self.tensor.name

    @property
    def op_type(self) -> str:
        """The type of the op that makes this value."""
        return self.tensor.op.type

    @property
    def is_input(self) -> bool:
        """True for v_i with i <= 0."""
        return self.index <= 0


class Trace:
    """A primal, tangent or adjoint trace: ``str()`` is an aligned table, see ``to_markdown``."""

    def __init__(self, kind: str, title: str, rows: list[Row], precision: int = PRECISION
                 ) -> None:
        self.kind = kind
        self.title = title
        self.rows = rows
        self.precision = precision
        self._by_index = {r.index: r for r in rows}
        self._by_tensor = {id(r.tensor): r for r in rows}

    def __getitem__(self, index: int) -> Row:
        """The row of v_index."""
        try:
            return self._by_index[index]
        except KeyError:
            raise KeyError(f"this trace has no v{index}; it has v{min(self._by_index)} "
                           f"to v{max(self._by_index)}") from None

    def row(self, tensor: Any) -> Row:
        """The row of a tensor (or variable) of the traced graph."""
        tensor = getattr(tensor, "_as_tensor", lambda: tensor)()
        try:
            return self._by_tensor[id(tensor)]
        except KeyError:
            raise KeyError(f"{getattr(tensor, 'name', tensor)!r} is not in this trace") \
                from None

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def accumulated(self) -> list[Row]:
        """Adjoint trace: rows whose v̄ sums contributions from more than one consumer."""
        return [r for r in self.rows if len(r.contributions) > 1]

    def table(self) -> tuple[list[str], list[list[str]]]:
        """Column headers and cell texts."""
        return _HEADERS + _EXTRA_HEADERS[self.kind], [self._cells(r) for r in self.rows]

    def _fmt(self, value: Any) -> str:
        return summarize(value, self.precision)

    def _cells(self, row: Row) -> list[str]:
        cells = [row.label, row.op_type, row.name, ", ".join(row.inputs) or "—",
                 self._fmt(row.value)]
        if self.kind != "primal":
            cells.append(self._fmt(row.derivative))
        if self.kind == "adjoint":
            cells.append(self._contributions(row))
        return cells

    def _contributions(self, row: Row) -> str:
        """``"1.492 (v6) + 1.351 (v5)"``: each consumer's part of v̄_i, or ``seed`` for y."""
        if not row.contributions:
            return "seed" if row.derivative is not None else "—"
        text = ""
        for i, part in row.contributions:
            term = f"{self._fmt(part)} (v{i})"
            if text:
                term = f" − {term[1:]}" if term.startswith("-") else f" + {term}"
            text += term
        return text

    def _footer(self) -> str:
        if self.kind != "adjoint" or not self.accumulated:
            return ""
        labels = ", ".join("v" + BAR + str(r.index) for r in self.accumulated)
        return f"adjoints accumulated over several paths: {labels}"

    def __str__(self) -> str:
        headers, cells = self.table()
        widths = [max(_width(c) for c in column) for column in zip(headers, *cells)]
        numeric = [all(_is_number(row[i]) for row in cells) for i in range(len(headers))]

        def line(values: list[str]) -> str:
            padded = (_pad(v, w, right) for v, w, right in zip(values, widths, numeric))
            return "  ".join(padded).rstrip()

        lines = [self.title, line(headers), "  ".join("-" * w for w in widths)]
        lines += [line(r) for r in cells]
        footer = self._footer()
        return "\n".join(lines + ([footer] if footer else [])) + "\n"

    def to_markdown(self) -> str:
        """The table in Markdown, after the title as a paragraph."""
        headers, cells = self.table()
        lines = [f"**{self.title}**", "", "| " + " | ".join(headers) + " |",
                 "|" + "|".join("---" for _ in headers) + "|"]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |"
                  for row in cells]
        footer = self._footer()
        return "\n".join(lines + (["", footer] if footer else [])) + "\n"

    def __repr__(self) -> str:
        return f"<{self.kind} trace of {len(self.rows)} values>"


def _width(text: str) -> int:
    return sum(1 for ch in text if not unicodedata.combining(ch))


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * (width - _width(text))
    return space + text if right else text + space


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# -- which values, in which order -------------------------------------------------------


@dataclass
class _Region:
    graph: Graph
    inputs: list[Tensor]  # v_{1-n} … v_0
    ops: list[Operation]  # in creation order; their outputs are v_1, v_2, …

    def tensors(self) -> list[Tensor]:
        return self.inputs + [t for op in self.ops for t in op.outputs]


def _region(fetches: list[Tensor], fed: list[Tensor]) -> _Region:
    """The inputs and ops the fetches need, stopping at fed tensors and input ops."""
    fed_ids = {id(t) for t in fed}
    fetched = {id(t) for t in fetches}
    inputs: dict[int, Tensor] = {}
    ops: dict[int, Operation] = {}
    stack = list(fetches)
    while stack:
        t = stack.pop()
        if id(t) in fed_ids or t.op.type in INPUT_TYPES:
            inputs[id(t)] = t
        elif id(t.op) not in ops and (t.op.type != "Const" or id(t) in fetched):
            ops[id(t.op)] = t.op
            stack.extend(t.op.inputs)
    return _Region(fetches[0].graph,
                   sorted(inputs.values(), key=lambda t: (t.op.creation_index, t.value_index)),
                   sorted(ops.values(), key=lambda o: o.creation_index))


def _input_text(t: Tensor, index_of: dict[int, int]) -> str:
    if id(t) in index_of:
        return f"v{index_of[id(t)]}"
    value = t.op.get_attr("value")  # a constant, shown inline
    return summarize(value) if np.size(value) <= 4 else f"const {t.op.name}"


def _rows(region: _Region, values: list) -> list[Row]:
    tensors = region.tensors()
    first = 1 - len(region.inputs)
    index_of = {id(t): first + k for k, t in enumerate(tensors)}
    return [Row(index_of[id(t)], t,
                () if index_of[id(t)] <= 0
                else tuple(_input_text(i, index_of) for i in t.op.inputs), value)
            for t, value in zip(tensors, values)]


def _run(graph: Graph, fetches: list, feed_dict: dict | None, session: Any) -> list:
    """Evaluates fetches in ``session``, the default session of this graph, or a new one."""
    if session is None:
        default = get_default_session()
        session = default if default is not None and default.graph is graph else None
    if session is not None:
        return session.run(fetches, feed_dict)
    with Session(graph=graph) as temporary:
        return temporary.run(fetches, feed_dict)


def _primal_rows(fetches: Any, feed_dict: dict | None, session: Any
                 ) -> tuple[_Region, list[Row]]:
    graph, tensors, ops = resolve_fetches(fetches)
    tensors = tensors + [t for op in ops for t in op.outputs]
    if not tensors:
        raise ValueError("trace: the fetches have no values to trace")
    region = _region(tensors, fed_tensors(graph, feed_dict))
    values = _run(graph, region.tensors(), feed_dict, session)
    return region, _rows(region, values)


# -- derivatives, replayed in a private copy of the region -----------------------------------


class _Replay:
    """A copy of a region in a fresh graph: inputs and stateful ops become fed placeholders."""

    def __init__(self, region: _Region, rows: list[Row]) -> None:
        self.graph = Graph()
        self.copy: dict[int, Tensor] = {}
        self.feeds: dict[Tensor, Any] = {}
        value = {id(r.tensor): r.value for r in rows}
        with self.graph.as_default():
            for t in region.inputs:
                self._freeze(t, value[id(t)])
            for op in region.ops:
                if op.op_def.stateful:
                    for t in op.outputs:
                        self._freeze(t, value[id(t)])
                else:
                    self._copy_op(op)

    def __getitem__(self, t: Tensor) -> Tensor:
        return self.copy[id(t)]

    def _freeze(self, t: Tensor, value: Any) -> None:
        ph = placeholder(t.dtype, np.shape(value))
        self.copy[id(t)] = ph
        self.feeds[ph] = value

    def _copy_op(self, op: Operation) -> None:
        for t in op.inputs:
            if id(t) not in self.copy:  # a constant shown inline in the trace
                self._copy_op(t.op)
        override = op.gradient_override  # keep tf.RegisterGradient overrides
        with (self.graph.gradient_override_map({op.type: override}) if override
              else contextlib.nullcontext()):
            new = self.graph.create_op(op.type, [self.copy[id(t)] for t in op.inputs],
                                       op.attrs, name=op.name,
                                       outputs_spec=[(t.shape, t.dtype) for t in op.outputs])
        self.copy.update((id(t), n) for t, n in zip(op.outputs, new.outputs))

    def run(self, fetches: list) -> list:
        """Evaluates tensors of the copy."""
        with Session(graph=self.graph) as session:
            return session.run(fetches, self.feeds)




def _differentiable_uses(op: Operation, t: Tensor) -> bool:
    return t.dtype.is_differentiable and any(
        i not in op.op_def.non_differentiable for i, x in enumerate(op.inputs) if x is t)


# -- public functions ------------------------------------------------------------------------


def primal(fetches: Any, feed_dict: dict | None = None, session: Any = None) -> Trace:
    """The primal (evaluation) trace of ``fetches``: one row per value v_i in schedule order.

    Runs in ``session``, else in the default session if it runs this graph, else in a new
    Session (so graphs with variables need a session that initialized them).
    """
    _, rows = _primal_rows(fetches, feed_dict, session)
    return Trace("primal", "Primal trace", rows)


def tangent(y: Any, x: Any, feed_dict: dict | None = None, session: Any = None,
            direction: Any = None) -> Trace:
    """The tangent trace of forward mode: v̇_i = ∂v_i/∂x · ẋ for every value y needs.

    ``x`` is an input (or any value y depends on); its tangent ẋ is ``direction``
    (default all ones), so for a scalar x, v̇_y is ∂y/∂x. Built with ``tf.jvp``.
    """
    region, rows = _primal_rows(y, feed_dict, session)
    x = region.graph.as_graph_element(x, allow_operation=False)
    x_row = next((r for r in rows if r.tensor is x), None)
    if x_row is None:
        raise ValueError(f"trace.tangent: {x.name} is not among the values y needs")
    replay = _Replay(region, rows)
    seed = np.ones(np.shape(x_row.value)) if direction is None else direction
    with replay.graph.as_default():
        tangents = jvp([replay[r.tensor] for r in rows], replay[x],
                       constant(seed, dtype=x.dtype))
    for row, value in zip(rows, replay.run(tangents)):
        row.derivative = value
    return Trace("tangent", f"Tangent trace (forward mode) w.r.t. {x.op.name}, "
                            f"seed v{DOT}{x_row.index} = {summarize(seed)}", rows)


def adjoint(y: Any, feed_dict: dict | None = None, session: Any = None) -> Trace:
    """The adjoint trace of reverse mode: v̄_i = ∂y/∂v_i, from y back to the inputs.

    Each row lists the contribution of every op that reads v_i (v̄_i = Σ_j v̄_j ∂v_j/∂v_i);
    rows with several contributions are where paths accumulate (``Trace.accumulated``).
    The seed v̄_y is ones (as ``tf.gradients``). Built with ``tf.gradients``.
    """
    region, rows = _primal_rows(y, feed_dict, session)
    y_tensor = region.graph.as_graph_element(y, allow_operation=False)
    replay = _Replay(region, rows)
    row_of = {id(r.tensor): r for r in rows}
    with replay.graph.as_default():
        totals = dense_gradients(replay[y_tensor], [replay[r.tensor] for r in rows])
        total_of = {id(r.tensor): g for r, g in zip(rows, totals)}
        parts = [(row, row_of[id(op.outputs[0])].index, part)
                 for op in reversed(region.ops) for row, part in
                 _contributions(op, row_of, total_of, replay)]
    fetches = [g for g in totals if g is not None] + [p for _, _, p in parts]
    values = iter(replay.run(fetches))
    for row, g in zip(rows, totals):
        row.derivative = None if g is None else next(values)
    for row, consumer, _ in parts:
        row.contributions += ((consumer, next(values)),)
    return Trace("adjoint", f"Adjoint trace (reverse mode) of {y_tensor.op.name}, "
                            f"seed v{BAR}{row_of[id(y_tensor)].index} = 1", rows[::-1])


def _contributions(op: Operation, row_of: dict, total_of: dict, replay: _Replay) -> list:
    """``(row, tensor)`` for each input of ``op``: ``op``'s part of that input's adjoint."""
    outs = [t for t in op.outputs if total_of.get(id(t)) is not None]
    if not outs:
        return []
    result = []
    for t in dict.fromkeys(op.inputs):
        if id(t) not in row_of or not _differentiable_uses(op, t):
            continue
        others = [replay[i] for i in op.inputs if i is not t and id(i) in replay.copy]
        part = dense_gradients([replay[o] for o in outs], replay[t],
                               grad_ys=[total_of[id(o)] for o in outs], stop_gradients=others)[0]
        if part is not None:
            result.append((row_of[id(t)], part))
    return result

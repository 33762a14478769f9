"""Whether a run can be split along the batch axis, and how the parts combine.

Data-parallel execution feeds each worker a block of rows of the *batch feeds* and must
give exactly what one process computes on the whole batch. This module decides, from the
ops' declared fields only (``elementwise``, ``row_wise``, ``role``, ``shape_only``,
``stateful``), what each tensor of a run is with respect to the batch:

- ``CONST``: does not depend on the batch feeds (variables, constants, other feeds);
- ``ROWS``: axis 0 is the batch, and row ``i`` depends only on row ``i`` of the feeds;
- ``SUM`` / ``MEAN``: a sum / a mean over the batch axis of ``ROWS`` values (possibly
  followed by linear ops): the whole batch's value is the sum of the partitions' values /
  their mean weighted by partition size;
- ``COUNT``: depends on how many rows a partition has (a ``Shape`` of a batch tensor and
  everything computed from it; internally ``SIZE`` while computed from shapes alone, such
  as a mean's ``1 / n``, which the workers compute in any way they like). In a graph whose forward part passes the checks, these
  are the gradients of the batch reductions (their VJPs divide by / broadcast to the row
  count): they combine like the reductions they differentiate;
- ``DRIVER``: a non-linear function of whole-batch reductions (the log of a mean loss, a
  global norm of the gradients and the gradients clipped by it). The workers compute the
  reductions it reads (they become cuts) and the driver computes it from the combined
  values, exactly.

A run that couples rows in any other way raises :class:`NotBatchSeparableError` naming the
op, among them a row-wise value that needs a ``DRIVER`` value (a second pass over the batch).

Elementwise ops are checked for linearity in ``SUM``/``MEAN``/``COUNT`` values by their
declared role. Other ops taking only ``COUNT`` values (a backward pass's matmuls, sums to
shape, tiles...) are taken as linear in them, as a backward pass's structural ops are.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Iterable

from ..core.graph import Operation, Tensor
from ..core.registry import OpDef, Role, get_op_def
from ..core.shapes import normalize_axes


class Batch(enum.Enum):
    """What a tensor is with respect to the batch axis (see the module docstring)."""

    CONST = "independent of the batch"
    ROWS = "row by row"
    SUM = "a sum over the batch"
    MEAN = "a mean over the batch"
    COUNT = "dependent on the partition size (a gradient of a batch reduction)"
    DRIVER = "computed by the driver from the whole batch's reductions"
    SIZE = "computed from partition sizes alone (reported as COUNT)"


class NotBatchSeparableError(ValueError):
    """A run that cannot be split along the batch axis exactly; names the op at fault."""


_REDUCED = {Role.REDUCE_SUM: Batch.SUM, Role.REDUCE_MEAN: Batch.MEAN}
_LINEAR_UNARY = {Role.IDENTITY, Role.CAST, Role.NEG, Role.BROADCAST, Role.RESHAPE,
                 Role.EXPAND_DIMS, Role.SQUEEZE, Role.TRANSPOSE}
_ADDITIVE = {Role.ADD, Role.SUB, Role.ADD_N}
_PASS_ROWS = {Role.IDENTITY, Role.CAST}
_COMBINED = {Batch.SUM, Batch.MEAN, Batch.COUNT}
_KEPT = {Batch.CONST, Batch.DRIVER}  # tensors the workers do not send back


def _reported(kind: Batch) -> Batch:
    return Batch.COUNT if kind is Batch.SIZE else kind


@dataclass(frozen=True)
class BatchSplit:
    """How to split a run: ``cuts`` are the tensors the workers compute on their rows
    (each with its :class:`Batch` kind), ``count_kind`` is how ``COUNT`` cuts combine
    (``SUM`` or ``MEAN``, None when there are none), ``variables`` are the variable
    reads the workers need, ``kinds`` maps every fetched tensor to its kind."""

    cuts: tuple[tuple[Tensor, Batch], ...]
    count_kind: Batch | None
    variables: tuple[Tensor, ...]
    kinds: dict[Tensor, Batch]


def split_run(fetches: Iterable[Tensor | Operation], batch_feeds: Iterable[Tensor],
              other_feeds: Iterable[Tensor] = ()) -> BatchSplit:
    """Analyses a run of ``fetches`` whose ``batch_feeds`` are split along axis 0.

    Raises :class:`NotBatchSeparableError` naming the first op that couples rows."""
    fetches = list(fetches)
    batch, fed = set(batch_feeds), set(batch_feeds) | set(other_feeds)
    kinds: dict[Tensor, Batch] = {}
    cuts: dict[Tensor, Batch] = {}
    reductions: dict[Batch, Operation] = {}
    for op in _ops_in_order(fetches, fed):
        inputs = [_kind(t, kinds, batch, fed) for t in op.inputs]
        opdef = get_op_def(op.type)
        if (opdef.stateful or opdef.uses_state) and any(k is not Batch.CONST for k in inputs):
            _add_cuts(op, inputs, cuts)
            kind = Batch.CONST
        elif _on_driver(op, opdef, inputs):
            _add_cuts(op, inputs, cuts)
            kind = Batch.DRIVER
        else:
            kind = _op_kind(op, opdef, inputs, reductions)
        for out in op.outputs:
            kinds[out] = kind
    fetched = {t: _reported(_kind(t, kinds, batch, fed))
               for t in fetches if isinstance(t, Tensor)}
    for t, kind in fetched.items():
        if kind not in _KEPT and t not in batch:
            cuts.setdefault(t, kind)
    count_kind = None
    if Batch.COUNT in cuts.values():
        rows = [t for t, kind in kinds.items() if kind is Batch.ROWS] + list(batch)
        count_kind = _count_kind(_differentiated_reductions(rows, reductions))
    variables = _variable_reads(list(cuts), fed)
    return BatchSplit(tuple(cuts.items()), count_kind, variables, fetched)


def _kind(t: Tensor, kinds: dict, batch: set, fed: set) -> Batch:
    if t in batch:
        return Batch.ROWS
    if t in fed:
        return Batch.CONST
    return kinds[t]


def _ops_in_order(fetches: list, fed: set) -> list[Operation]:
    """The ops a run of ``fetches`` executes (fed tensors cut the walk), inputs first."""
    order: list[Operation] = []
    done: set[Operation] = set()
    stack = [(x if isinstance(x, Operation) else x.op, False) for x in reversed(fetches)
             if not (isinstance(x, Tensor) and x in fed)]
    while stack:
        op, expanded = stack.pop()
        if op in done:
            continue
        if expanded:
            done.add(op)
            order.append(op)
            continue
        stack.append((op, True))
        deps = [t.op for t in op.inputs if t not in fed] + list(op.control_inputs)
        stack.extend((d, False) for d in reversed(deps) if d not in done)
    return order


def _on_driver(op: Operation, opdef: OpDef, inputs: list[Batch]) -> bool:
    """Whether ``op`` runs on the driver: it reads a ``DRIVER`` value, or it is an
    elementwise op not linear in the whole-batch reductions it reads (and reads no rows).
    A row-wise input next to a ``DRIVER`` one raises: it would need a second pass."""
    present = set(inputs)
    if Batch.DRIVER in present:
        local = [t for t, k in zip(op.inputs, inputs) if k in (Batch.ROWS, Batch.SIZE)]
        if local:
            driver = op.inputs[inputs.index(Batch.DRIVER)]
            raise NotBatchSeparableError(
                f"op '{op.name}' ({op.type}) combines '{local[0].name}' (shape "
                f"{local[0].shape}), which depends on the rows of a batch partition, with "
                f"'{driver.name}', a non-linear function of the whole batch's reductions: "
                f"the rows would need a second pass over the batch")
        return True
    if present & {Batch.ROWS, Batch.SIZE} or not present & _COMBINED or \
            not opdef.elementwise:
        return False
    return not _is_linear(opdef, inputs)


def _is_linear(opdef: OpDef, inputs: list[Batch]) -> bool:
    """Whether an elementwise op is linear (affine for means) in its varying inputs."""
    varying = [k for k in inputs if k is not Batch.CONST]
    kind, role = varying[0], opdef.role
    return (role in _LINEAR_UNARY and inputs[0] is kind and len(varying) == 1) or \
        (role is Role.MUL and len(varying) == 1) or \
        (role is Role.DIV and inputs[0] is kind and len(varying) == 1) or \
        (role in _ADDITIVE and set(varying) == {kind} and
         (kind is Batch.MEAN or len(varying) == len(inputs)))


def _add_cuts(op: Operation, inputs: list[Batch], cuts: dict) -> None:
    """Inputs of a stateful op (a variable update) or of an op the driver runs that the
    workers compute."""
    for t, kind in zip(op.inputs, inputs):
        if kind is Batch.ROWS:
            raise NotBatchSeparableError(
                f"op '{op.name}' ({op.type}) is stateful and takes per-row values "
                f"('{t.name}', shape {t.shape}): it cannot run once per batch partition")
        if kind in (Batch.COUNT, Batch.SIZE) and not t.dtype.is_floating:
            raise NotBatchSeparableError(
                f"op '{op.name}' ({op.type}) takes '{t.name}', which depends on the number "
                f"of rows of a batch partition")
        if kind not in _KEPT:
            cuts.setdefault(t, _reported(kind))


def _op_kind(op: Operation, opdef: OpDef, inputs: list[Batch],
             reductions: dict[Batch, Operation]) -> Batch:
    present = set(inputs)
    if present <= {Batch.CONST}:
        return Batch.CONST
    if opdef.shape_only:
        return Batch.SIZE if present & {Batch.ROWS, Batch.COUNT, Batch.SIZE} else Batch.CONST
    if present - {Batch.CONST} == {Batch.SIZE}:
        return Batch.SIZE
    if present & {Batch.COUNT, Batch.SIZE}:
        return Batch.COUNT
    if opdef.role in _REDUCED and inputs[0] is not Batch.CONST and len(present) == 1:
        return _reduction_kind(op, opdef, inputs[0], reductions)
    if Batch.ROWS in present:
        return _rows_kind(op, opdef, inputs)
    return _linear_kind(op, opdef, inputs)


def _reduction_kind(op: Operation, opdef: OpDef, kind: Batch,
                    reductions: dict[Batch, Operation]) -> Batch:
    if kind is not Batch.ROWS:
        return kind  # a sum or mean of a sum or mean: still linear
    axis, rank = op.get_attr("axis"), op.inputs[0].shape.ndims
    if axis is not None and rank is None:
        raise NotBatchSeparableError(f"op '{op.name}' ({op.type}) reduces axes {axis} of "
                                     f"'{op.inputs[0].name}', whose rank is unknown")
    if axis is not None and 0 not in normalize_axes(axis, rank):
        return Batch.ROWS
    reduced = _REDUCED[opdef.role]
    reductions.setdefault(reduced, op)
    return reduced


def _rows_kind(op: Operation, opdef: OpDef, inputs: list[Batch]) -> Batch:
    rows = [i for i, k in enumerate(inputs) if k is Batch.ROWS]
    reduced = [i for i, k in enumerate(inputs) if k in (Batch.SUM, Batch.MEAN)]
    if reduced:
        raise NotBatchSeparableError(
            f"op '{op.name}' ({op.type}) combines per-row values ('{op.inputs[rows[0]].name}')"
            f" with a reduction over the batch ('{op.inputs[reduced[0]].name}'): each row "
            f"would depend on the other rows (batch statistics)")
    if opdef.elementwise:
        _check_broadcast(op, rows)
        return Batch.ROWS
    declared = opdef.row_wise(op.attrs) if callable(opdef.row_wise) else opdef.row_wise
    if opdef.role in _PASS_ROWS:
        declared = (0,)
    outside = [i for i in rows if i not in declared]
    if outside:
        raise NotBatchSeparableError(
            f"op '{op.name}' ({op.type}) couples the rows of the batch: its input "
            f"'{op.inputs[outside[0]].name}' (shape {op.inputs[outside[0]].shape}) is split "
            f"along axis 0 across workers, and the op does not act on it row by row")
    return Batch.ROWS


def _check_broadcast(op: Operation, rows: list[int]) -> None:
    """An elementwise op is row-wise when its batch-independent inputs are the same for
    every row: of lower rank, or with a leading axis of size 1."""
    rank = max((op.inputs[i].shape.ndims or 0) for i in rows)
    for i, t in enumerate(op.inputs):
        dims = t.shape.as_list() if t.shape.ndims is not None else None
        if i in rows or (dims is not None and (len(dims) < rank or dims[0] == 1)):
            continue
        raise NotBatchSeparableError(
            f"op '{op.name}' ({op.type}) broadcasts '{t.name}' (shape {t.shape}) along the "
            f"batch axis of '{op.inputs[rows[0]].name}': rows would get different values")


def _linear_kind(op: Operation, opdef: OpDef, inputs: list[Batch]) -> Batch:
    """Non-elementwise ops after a batch reduction must be linear in it (affine for a
    mean); elementwise ones that are not run on the driver (:func:`_on_driver`)."""
    varying = [k for k in inputs if k is not Batch.CONST]
    kind = varying[0]
    if not _is_linear(opdef, inputs):
        raise NotBatchSeparableError(
            f"op '{op.name}' ({op.type}) is not linear in a reduction over the batch "
            f"({', '.join(sorted({k.name.lower() for k in varying}))}): the partitions' "
            f"values cannot be combined into the whole batch's")
    return kind


def _differentiated_reductions(rows: list[Tensor], reductions: dict[Batch, Operation]
                               ) -> dict[Batch, Operation]:
    """The batch reductions of the run, and those of its row-wise tensors outside it: a
    sum's gradient reads only the shape of its input, not the sum, so a loss that is a
    sum over the batch need not be in a training step's ops."""
    found = dict(reductions)
    for t in rows:
        for op in t.consumers():
            opdef = get_op_def(op.type)
            if opdef.role in _REDUCED and op.inputs[0] is t:
                _reduction_kind(op, opdef, Batch.ROWS, found)  # records one over axis 0
    return found


def _count_kind(reductions: dict[Batch, Operation]) -> Batch:
    if len(reductions) != 1:
        if not reductions:
            raise NotBatchSeparableError("the run computes gradients on batch partitions "
                                         "but no sum or mean over the batch axis")
        raise NotBatchSeparableError(
            f"the run mixes a sum over the batch ('{reductions[Batch.SUM].name}') and a "
            f"mean over the batch ('{reductions[Batch.MEAN].name}'): their gradients "
            f"combine differently")
    return next(iter(reductions))


def _variable_reads(cuts: list[Tensor], fed: set) -> tuple[Tensor, ...]:
    ops = _ops_in_order(cuts, fed)
    return tuple(op.outputs[0] for op in ops if get_op_def(op.type).role is Role.VARIABLE)

"""Memory planning: liveness, aliasing, and which elementwise ops may write in place.

Liveness: each value's last reader (its instruction position); fetched values live to
the end. The code generator releases a slot after its last reader.

Aliasing: a kernel may return a view of an input (reshape, transpose, identity,
broadcast, slices) or the input itself. Each op declares which outputs may share memory
with which inputs (``OpDef.view_of``), and such an output joins the group of those
inputs. A group is *protected* when it holds a feed, a constant or a variable's value,
the output of a stateful op, or an input a stateful op may keep (its declared views: an
assignment keeps its value); a protected value is copied when fetched.

In place: an elementwise ufunc op writes its output into an input (``out=``) when that
input is a buffer an op allocated (declared ``fresh``, not a view), its whole group is
unprotected, is read by nothing after this op and is not fetched, and the input's shape
and dtype are those of the output — proved from static shapes, or else checked at run
time (``a.shape == b.shape``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.shapes import TensorShape
from ..core.registry import Role
from .ir import Node, Program

Key = tuple  # a value: (node, output index)


@dataclass(frozen=True)
class InPlace:
    """Instruction writes into its input ``index``; ``checked``: only when shapes match."""

    index: int
    checked: bool


# Every possible decision (an in-place op has one or two inputs), made once and shared.
_DECISIONS = {(index, checked): InPlace(index, checked)
              for index in (0, 1) for checked in (False, True)}


@dataclass
class MemoryPlan:
    """Liveness, alias groups and in-place decisions for one program."""

    last_use: dict = field(default_factory=dict)  # Key -> position of the last reader
    inplace: dict = field(default_factory=dict)  # position -> InPlace
    end: int = 0  # the position standing for "after the last instruction"
    alias: dict = field(default_factory=dict)  # Key -> a Key it may share memory with
    protected_roots: set = field(default_factory=set)

    def group(self, key: Key) -> Key:
        """The representative of the values ``key`` may share memory with."""
        alias = self.alias
        while key in alias:
            key = alias[key]
        return key

    def union(self, a: Key, b: Key) -> None:
        """Records that ``a`` and ``b`` may share memory."""
        ra, rb = self.group(a), self.group(b)
        if ra != rb:
            self.alias[rb] = ra

    def protected(self, key: Key) -> bool:
        """True when ``key`` may share memory with a feed, a constant, a variable's value,
        a stateful op's output or input (such a value is copied when fetched)."""
        return self.group(key) in self.protected_roots


# What a node's outputs are, memory-wise (depends on its op type only):
STATE = "state"  # a feed, constant, variable value or stateful op's output: never written
VIEW = "view"  # may be (a view of) the inputs its op declares, or an array nobody writes
FRESH = "fresh"  # a new array
UFUNC = "ufunc"  # a new array from an elementwise one-output ufunc of one or two inputs
_STATE_ROLES = (Role.CONSTANT, Role.VARIABLE)


def _kind(node: Node) -> str:
    opdef = node.opdef
    if opdef is None or node.role in _STATE_ROLES or opdef.stateful or opdef.uses_state:
        return STATE
    if not opdef.fresh:
        return VIEW
    kernel = opdef.kernel
    if opdef.elementwise and isinstance(kernel, np.ufunc) and kernel.nin <= 2 \
            and kernel.nout == 1:
        return UFUNC
    return FRESH


def plan_memory(program: Program) -> MemoryPlan:
    """Computes liveness, alias groups and in-place decisions for ``program``."""
    plan = MemoryPlan(end=len(program.nodes))
    kinds: dict[str, str] = {}  # op type -> its kind, for this program
    candidates = _liveness_and_aliases(program, plan, kinds)
    _choose_inplace(program.nodes, candidates, plan, kinds)
    return plan


def _liveness_and_aliases(program: Program, plan: MemoryPlan, kinds: dict[str, str]
                          ) -> list[int]:
    """Fills ``plan``'s last uses, alias groups and protected roots; returns the positions
    of the nodes that may write in place."""
    last_use = plan.last_use
    pinned: list[Key] = []  # values whose group must never be written
    candidates: list[int] = []
    for pos, node in enumerate(program.nodes):
        inputs = node.inputs
        for value in inputs:
            last_use[value] = pos
        kind = kinds.get(node.type)
        if kind is None:
            kind = kinds[node.type] = _kind(node)
        if kind == UFUNC:
            # called with exactly its inputs and no attrs, with one output
            if not node.attrs and len(inputs) == node.opdef.kernel.nin \
                    and len(node.specs) == 1:
                candidates.append(pos)
        elif kind == STATE:
            outputs = _outputs(node)
            pinned += outputs
            if inputs:
                pinned += _viewed(node, outputs)
        elif kind == VIEW:
            if not inputs:  # an array the kernel may keep (a cached value)
                pinned += _outputs(node)
            for output in _outputs(node):
                for value in _viewed(node, [output]):
                    plan.union(output, value)
    for value in program.fetches:
        last_use[value] = plan.end
    plan.protected_roots = {plan.group(k) for k in pinned}
    return candidates


def _outputs(node: Node) -> list[Key]:
    return [(node, i) for i in range(len(node.specs))]


def _viewed(node: Node, outputs: list[Key]) -> list[Key]:
    """The inputs that ``outputs`` of the node may share memory with (declared views)."""
    inputs = node.inputs
    viewed = node.opdef.viewed_inputs
    return [inputs[i] for _, k in outputs for i in viewed(k, len(inputs))]


def _group_deaths(plan: MemoryPlan) -> dict[Key, int]:
    """The position after which each value's memory is not read: its alias group's last
    use (``plan.last_use`` itself when no values share memory)."""
    if not plan.alias:
        return plan.last_use
    last_use = plan.last_use
    group_last: dict[Key, int] = {}  # by root, for groups of several values
    for key in plan.alias:
        root = plan.group(key)
        last = max(last_use.get(key, -1), group_last.get(root, last_use.get(root, -1)))
        group_last[root] = last
    death = dict(last_use)
    death.update(group_last)
    for key in plan.alias:
        death[key] = group_last[plan.group(key)]
    return death


def _protected_values(plan: MemoryPlan) -> set[Key]:
    """The values :meth:`MemoryPlan.protected` calls protected: the protected roots and
    the other members of their groups."""
    roots = plan.protected_roots
    return roots.union([key for key in plan.alias if plan.group(key) in roots])


def _choose_inplace(nodes: list[Node], candidates: list[int], plan: MemoryPlan,
                    kinds: dict[str, str]) -> None:
    """Fills ``plan.inplace``: for each candidate, the first input it may write into:
    its group dies there, is unprotected and was allocated by an op, with the output's
    dtype and rank (not 0)."""
    death, protected = _group_deaths(plan), _protected_values(plan)
    inplace = plan.inplace
    # The decision for the shapes, by the ids of (index, input, output, other operand)
    # specs: nodes share their spec objects (a large plan has a handful), so each shape
    # test is made once per combination (the program keeps the specs alive).
    fits: dict[tuple, InPlace | None] = {}
    for pos in candidates:
        node = nodes[pos]
        inputs = node.inputs
        index = -1  # (counted by hand: an enumerate per node costs more than its checks)
        for key in inputs:
            index += 1
            if death[key] != pos or key in protected:
                continue
            src, i = key
            if kinds[src.type] not in (FRESH, UFUNC):
                continue  # only a buffer an op allocated, never a view (maybe read-only)
            spec, out_spec = src.specs[i], node.specs[0]
            other_spec = None if len(inputs) == 1 else _spec(inputs[1 - index])
            fit_key = (index, id(spec), id(out_spec), id(other_spec))
            decision = fits.get(fit_key, _UNKNOWN_FIT)
            if decision is _UNKNOWN_FIT:
                decision = fits[fit_key] = _fit(index, spec, out_spec, other_spec)
            if decision is not None:
                inplace[pos] = decision
                break


def _spec(value: Key) -> tuple:
    """The (shape, dtype) of ``value``."""
    node, index = value
    return node.specs[index]


_UNKNOWN_FIT = object()  # not in ``fits`` yet (None is a result)


def _fit(index: int, spec: tuple, out_spec: tuple, other_spec: tuple | None
         ) -> InPlace | None:
    """The decision to write into input ``index``, of ``spec``, the output (``out_spec``)
    computed with the other operand (``other_spec``, None for a unary op): None when the
    input cannot hold it, else whether the shapes must be checked at run time."""
    shape = spec[0]
    if not _can_hold(shape, spec[1], out_spec):
        return None
    return _DECISIONS[index, other_spec is not None and not _absorbs(shape, other_spec[0])]


def _can_hold(shape: TensorShape, dtype: Any, spec: tuple) -> bool:
    """True when an array of ``shape`` and ``dtype`` can hold a result of ``spec``:
    same dtype, same rank (when known) and not rank 0 (a NumPy scalar, not writable)."""
    out_shape, out_dtype = spec
    dims, out_dims = shape.as_tuple(), out_shape.as_tuple()
    return bool(dims) and (dtype is out_dtype or dtype == out_dtype) \
        and (out_dims is None or len(out_dims) == len(dims))


def _absorbs(shape: TensorShape, other: TensorShape) -> bool:
    """True when broadcasting ``shape`` with ``other`` provably gives ``shape``."""
    dims, others = shape.as_tuple(), other.as_tuple()
    if others is None or len(others) > len(dims):
        return False
    if others == dims:  # the common case
        return None not in dims
    for d, o in zip(reversed(dims), reversed(others)):
        if o != 1 and (d is None or d != o):
            return False
    return True

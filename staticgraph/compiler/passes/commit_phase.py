"""The commit phase: a run's variable writes moved after everything that may fail.

An op declaring ``OpDef.commit`` (:class:`~staticgraph.core.registry.CommitPhase`)
splits into a *prepare* node, left where the op was (every check, may raise, writes
nothing), and a *commit* node, appended to one block at the end of the plan, in the
original order of the ops (so writers ordered by control dependencies, as TF1's
beta-power updates after Adam's, stay in order). The commit writes in place into the
variables' own arrays and keeps no undo record: nothing after it can fail, so a failed
run still leaves every variable as it was, without the table-sized copies a one-piece
kernel makes so that it can be undone. The one exception is an interrupt inside the
commit block itself (documented in ``runtime/state.py``).

Every instruction is assumed fallible, so the rule is "after everything". Moving a write
later is sound only when nothing scheduled after the op could see the difference; the
op keeps its one-piece kernel (a fallback) when:

- its new value is known to be small (at most :data:`SMALL` elements): the copy the split
  would save costs less than the split's second call;
- an instruction after it reads its output, or reads or writes one of its variables
  (an edge from a variable read, or a writer declaring the variable among its keys);
- an instruction after it uses the session state in a way no declaration describes
  (a loop or branch running a function graph, a random op, ...): it may read anything;
- a value the commit block or the fetches read later may share memory with one of its
  variables' arrays (a view of the variable taken before it, handed to a later commit
  or fetched): the in-place write would show through it.

Function plans (loop bodies, branches) are not given this pass: their commit point is
not the outer run's end (``compile_plan``'s ``commit_phase`` flag is off for them).
"""
from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from ...core import dtypes
from ...core.registry import CommitPhase, OpDef, Role
from ...core.shapes import TensorShape
from ..ir import Node, Program

# Stands, in a set of variable keys, for "any variable" (a key no variable has).
_ANY = object()
_EVERYTHING = frozenset([_ANY])
_NOTHING: frozenset = frozenset()
# The pending value a prepare node hands to its commit: an opaque scalar object.
_PENDING_SPEC = (TensorShape([]), dtypes.string)
# A writer whose new value (its output) has at most this many elements (1 MiB of
# float32) keeps its one-piece kernel: below that, the copy the split saves costs less
# than the split's second call and blocks (a 100,000-element SGD update measured 3-7 %
# slower split, a 400,000-element Adam update faster).
SMALL = 1 << 18
# Each op's prepare and commit definitions, by op type (made once).
_SPLIT: dict[str, tuple[OpDef, OpDef]] = {}


def commit_phase(program: Program) -> int:
    """Splits the writers whose writes can move to the end; returns how many."""
    nodes = program.nodes
    if not _has_writer(nodes):  # most plans (inference, W5's chain): no walk at all
        return 0
    aliases = _aliases(nodes)
    deferred = _deferred(program, aliases)
    if not deferred:
        return 0
    prepared: dict[Node, Node] = {}
    commits = []
    for node in nodes:
        if node in deferred:
            prepare_def, commit_def = _split(node.opdef)
            prepare = Node(node.type, prepare_def, node.inputs, node.attrs, [_PENDING_SPEC],
                           node.name, node.source, list(node.control) or None)
            prepare.origin = "commit phase: prepare"
            # The commit also reads the inputs the pending value may hold, so that their
            # buffers live (and are not written in place) until it has run.
            held = node.inputs[node.opdef.commit.refs:]
            commit = Node(node.type, commit_def, [(prepare, 0)] + held, {}, node.specs,
                          node.name, node.source)
            commit.origin = "commit phase: commit"
            prepared[node] = prepare
            commits.append((node, commit))
    committed = dict(commits)
    program.nodes = [_redirected(prepared.get(n, n), prepared) for n in nodes] + \
        [commit for _, commit in commits]
    program.fetches = [(committed.get(node, node), i) for node, i in program.fetches]
    program.targets = [committed.get(node, node) for node in program.targets]
    return len(commits)


def _has_writer(nodes: list[Node]) -> bool:
    """Whether some node declares a commit phase (a plain loop: one test per node)."""
    for node in nodes:
        opdef = node.opdef
        if opdef is not None and opdef.commit is not None:
            return True
    return False


def _redirected(node: Node, prepared: dict[Node, Node]) -> Node:
    """The node with control inputs on a split writer moved to its prepare node."""
    if any(c in prepared for c in node.control):
        node.control = [prepared.get(c, c) for c in node.control]
    return node


def _split(opdef: OpDef) -> tuple[OpDef, OpDef]:
    """The definitions of an op's prepare and commit nodes (the op's type and shape rule,
    the declared halves as kernels, no inline form)."""
    split = _SPLIT.get(opdef.type)
    if split is None:
        rule: CommitPhase = opdef.commit
        split = _SPLIT[opdef.type] = (
            replace(opdef, kernel=rule.prepare, view_of={}, inline=None, commit=None),
            replace(opdef, kernel=_commit_kernel(rule.commit), view_of={}, inline=None,
                    commit=None))
    return split


def _commit_kernel(commit: Any) -> Any:
    """``commit(state, pending)`` as the kernel of a node that also reads the values the
    pending one holds (only to keep them alive)."""
    def kernel(state: Any, pending: Any, *held: Any) -> Any:
        return commit(state, pending)
    kernel.__doc__ = commit.__doc__
    return kernel


def _keys_shared(node: Node) -> frozenset:
    """The variable keys a node's value may share memory with: a variable read's key, a
    writer's keys (its output is the new value), anything for other ops using the
    session state, nothing for the rest (their views are found by :func:`_aliases`)."""
    opdef = node.opdef
    if opdef is None or not opdef.uses_state:
        return _NOTHING
    if node.role is Role.VARIABLE:
        return frozenset([node.attrs["var_key"]])
    if opdef.commit is not None:
        return frozenset(opdef.commit.keys(node.attrs))
    return _EVERYTHING


def _aliases(nodes: list[Node]) -> dict[tuple, frozenset]:
    """For each value that may share memory with a variable's array: which variables
    (following the declared views, ``OpDef.viewed_inputs``). Values not listed share
    memory with none."""
    aliases: dict[tuple, frozenset] = {}
    for node in nodes:
        own = _keys_shared(node)
        if own:
            for i in range(node.num_outputs):
                aliases[(node, i)] = own
            continue
        if node.opdef is None or not node.inputs:
            continue
        inputs = node.inputs
        for i in range(node.num_outputs):
            keys = _NOTHING
            for k in node.opdef.viewed_inputs(i, len(inputs)):
                keys = keys | aliases.get(inputs[k], _NOTHING)
            if keys:
                aliases[(node, i)] = keys
    return aliases


def _worth_splitting(node: Node) -> bool:
    """Whether the writer's new value may have more than :data:`SMALL` elements."""
    dims = node.specs[0][0].as_tuple()
    return dims is None or None in dims or math.prod(dims) > SMALL


def _meets(keys: frozenset, others: Any) -> bool:
    return bool(keys & others) or _ANY in others


def _deferred(program: Program, aliases: dict[tuple, frozenset]) -> set[Node]:
    """The writers whose writes may move to the end: one walk from the last node back,
    each writer judged by what the nodes after it do (and whether they moved)."""
    later_keys: set = set()  # variables read or written after the current node
    read_later: set[Node] = set()  # nodes whose outputs are read after the current node
    held_later: set = set()  # variables whose arrays the commit block or fetches may hold
    fetched: list[tuple[Node, frozenset]] = []
    for node, i in program.fetches:
        if node.role is not Role.VARIABLE:  # a variable read is made at the return
            keys = aliases.get((node, i), _NOTHING)
            if node.opdef is not None and node.opdef.commit is not None:
                fetched.append((node, keys))  # its own output, if it moves: its new value
            else:
                held_later |= keys
    deferred: set[Node] = set()
    for node in reversed(program.nodes):
        opdef = node.opdef
        rule = opdef.commit if opdef is not None else None
        if rule is not None:
            keys = frozenset(rule.keys(node.attrs))
            kept = _NOTHING
            for value in node.inputs[rule.refs:]:
                kept = kept | aliases.get(value, _NOTHING)
            if _worth_splitting(node) and node not in read_later and \
                    not _meets(keys, later_keys) and not _meets(keys, held_later) and \
                    not _meets(keys, kept) and \
                    not any(other is not node and _meets(keys, held)
                            for other, held in fetched):
                deferred.add(node)
                held_later |= kept
            later_keys |= keys
        elif opdef is not None and opdef.uses_state and node.role is not Role.VARIABLE:
            later_keys.add(_ANY)
        for value in node.inputs:
            src = value[0]
            read_later.add(src)
            if src.role is Role.VARIABLE:
                later_keys.add(src.attrs["var_key"])
    return deferred

"""The compiler's own copy of the part of a graph that one ``run`` needs.

Passes rewrite this IR, never the user's graph. A :class:`Node` is an op application;
a value is a ``(node, output_index)`` pair. Fed tensors become ``_Feed`` nodes with no
op definition, so no pass can fold or merge them.
"""
from __future__ import annotations

import operator
from typing import Any, Callable

import numpy as np

from ..core.graph import Operation, Tensor
from ..core.registry import OpDef, Role, op_for
from ..core.shapes import TensorShape

FEED = "_Feed"  # the type of a fed value's node (no op: nothing may fold or merge it)

# A value is one output of a node: the tuple ``(node, index)``, hashable by identity.
Value = tuple  # (Node, int)


class Node:
    """One instruction-to-be: op type, definition, input values, attributes, output specs.

    The op type, definition and control inputs are fixed when the node is made (passes
    make new nodes instead), so :attr:`pure` and :attr:`role` are computed once, not at
    every visit.
    """

    __slots__ = ("type", "opdef", "inputs", "attrs", "specs", "control", "name", "source",
                 "origin", "pure", "role")

    def __init__(self, type: str, opdef: OpDef | None, inputs: list, attrs: dict,
                 specs: list, name: str, source: Operation | None = None,
                 control: list | None = None) -> None:
        self.type = type
        self.opdef = opdef
        self.inputs: list[tuple[Node, int]] = inputs
        self.attrs = attrs
        self.specs = specs  # [(TensorShape, DType)] per output
        self.control: list[Node] = control or []
        self.name = name
        self.source = source  # the user's op this node stands for (None if made by a pass)
        self.origin = ""  # what a pass did to make this node ("folded", "merged", ...)
        # True when the node may be folded, merged or bypassed: a deterministic op
        # without side effects, session state or control inputs.
        self.pure: bool = (opdef is not None and not opdef.stateful and not opdef.uses_state
                           and not control)
        # What the op computes, for rewrite rules (None for feeds and unremarkable ops).
        self.role: Role | None = None if opdef is None else opdef.role

    @property
    def num_outputs(self) -> int:
        """Number of output values."""
        return len(self.specs)

    @property
    def stateful(self) -> bool:
        """Feeds and stateful ops are never folded, merged or removed for being unused."""
        return self.opdef is None or self.opdef.stateful

    def derive(self, inputs: list, attrs: dict | None = None, origin: str = "") -> "Node":
        """A copy of this node with other inputs (and attrs), made by a pass."""
        node = Node(self.type, self.opdef, inputs, self.attrs if attrs is None else attrs,
                    self.specs, self.name, self.source)
        node.origin = origin
        return node

    def __repr__(self) -> str:
        return f"<Node {self.name} {self.type}>"


def const_node(value: np.ndarray, like: Node, index: int = 0, origin: str = "folded") -> Node:
    """A read-only Const node holding ``value``, standing for output ``index`` of ``like``.

    The node holds a read-only view, so the flags of an array someone else owns (a
    kernel may return its input) are left alone."""
    value = value.view()
    value.setflags(write=False)
    name = like.name if like.num_outputs == 1 else f"{like.name}:{index}"
    opdef = op_for(Role.CONSTANT)
    node = Node(opdef.type, opdef, [], {"value": value},
                [(TensorShape(value.shape), like.specs[index][1])], name, like.source)
    node.origin = origin
    return node


def const_value(value: Value) -> np.ndarray | None:
    """The array a value holds when it is a Const node's output (without control inputs)."""
    node = value[0]
    if node.role is Role.CONSTANT and not node.control:
        return node.attrs["value"]
    return None


def freeze(item: Any) -> Any:
    """A hashable key equal for equal attribute values and different for different ones.

    Arrays compare by dtype, shape and bytes (a broadcast view by the bytes it stores);
    floats by their bits (so 0.0 and -0.0 differ); a value's type is part of its key
    (so 1, 1.0 and True differ).
    Raises ``TypeError`` for values it cannot key.
    """
    if isinstance(item, np.ndarray):
        if not item.ndim:  # the common case, a scalar constant
            return ("ndarray", item.dtype, (), (), item.tobytes())
        # A broadcast view is keyed by the part it stores, never materialised.
        repeated = tuple(stride == 0 for stride in item.strides)
        stored = item[tuple(slice(0, 1) if r else slice(None) for r in repeated)]
        return ("ndarray", item.dtype, item.shape, repeated, stored.tobytes())
    if isinstance(item, (float, np.floating)):
        return (type(item).__name__, np.float64(item).tobytes())
    if isinstance(item, (list, tuple)):
        return (type(item).__name__,) + tuple(freeze(v) for v in item)
    if isinstance(item, dict):
        if len(item) == 1:  # the common case (a constant's value), without sorting
            ((key, value),) = item.items()
            return ("dict", (key, freeze(value)))
        return ("dict",) + tuple(sorted((k, freeze(v)) for k, v in item.items()))
    hash(item)
    return (type(item).__name__, item)


class Program:
    """The IR of one plan: nodes in a valid execution order, outputs and run targets."""

    def __init__(self, nodes: list[Node], fetches: list[tuple[Node, int]],
                 targets: list[Node], feeds: list[Node]) -> None:
        self.nodes = nodes
        self.fetches = fetches
        self.targets = targets
        self.feeds = feeds

    @property
    def writes_state(self) -> bool:
        """True when some node may change session state (assignments, random draws)."""
        return any(n.opdef is not None and n.opdef.uses_state and n.role is not Role.VARIABLE
                   for n in self.nodes)

    def reader_counts(self) -> dict[Node, int]:
        """How many input edges and fetches read each node's outputs."""
        counts: dict[Node, int] = {}
        get = counts.get
        for node in self.nodes:
            for src, _ in node.inputs:
                counts[src] = get(src, 0) + 1
        for src, _ in self.fetches:
            counts[src] = get(src, 0) + 1
        return counts

    def sweep(self, visit: Callable[[Node], list | None]) -> int:
        """Visits nodes in order, each after its inputs were redirected to replacements.

        ``visit(node)`` returns None to keep the node, or one replacement value per
        output: every reader of the node is redirected, replacement nodes not yet in the
        program (and new nodes they read) are placed right after it, and the node itself
        stays until :meth:`remove_dead` drops it (which runs when anything was rewritten).
        Returns the number of nodes rewritten. Linear in the number of nodes and edges.
        """
        mapping: dict[Value, Value] = {}
        replaced: set[Node] = set()  # nodes whose outputs ``mapping`` redirects
        nodes: list[Node] = []
        placed = set(self.nodes)  # the program's nodes, and the new nodes placed so far
        for node in self.nodes:
            if replaced:
                for src, _ in node.inputs:
                    if src in replaced:
                        node.inputs = [mapping.get(v, v) for v in node.inputs]
                        break
            nodes.append(node)
            result = visit(node)
            if result is None:
                continue
            replaced.add(node)
            for i, value in enumerate(result):
                if value[0] not in placed:
                    _place(value[0], nodes, placed)
                mapping[(node, i)] = value
        self.nodes = nodes
        if replaced:
            self.fetches = [mapping.get(v, v) for v in self.fetches]
            self.remove_dead()
        return len(replaced)

    def remove_dead(self) -> int:
        """Drops nodes no fetch, target or stateful node depends on; returns how many.

        One backward pass: the nodes are in execution order, so every reader of a node
        comes after it and has marked it live (or not) before the node is reached."""
        live = set(map(_first, self.fetches))
        live.update(self.targets)
        mark = live.add
        kept = []
        for node in reversed(self.nodes):
            if node in live or node.opdef is None or node.opdef.stateful:  # feeds stay
                kept.append(node)
                for src, _ in node.inputs:
                    mark(src)
                if node.control:
                    live.update(node.control)
        kept.reverse()
        removed = len(self.nodes) - len(kept)
        self.nodes = kept
        return removed


_first = operator.itemgetter(0)  # the node of a value


def _place(root: Node, nodes: list[Node], placed: set[Node]) -> None:
    """Appends ``root`` and the new nodes it reads (not yet in ``nodes``), inputs first."""
    stack = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            nodes.append(node)
        elif node not in placed:
            placed.add(node)
            stack.append((node, True))
            stack.extend((s, False) for s, _ in node.inputs if s not in placed)


def build_program(fetch_tensors: list[Tensor], target_ops: list[Operation],
                  fed_tensors: list[Tensor]) -> Program:
    """Prunes the graph to what the fetches and targets need, stopping at fed tensors.

    Iterative (no recursion), linear in the size of the pruned subgraph; nodes come out
    in creation order, which is a topological order that respects control inputs.
    """
    fed = set(fed_tensors)
    needed: set[Operation] = set()
    stack: list[Operation] = [t._op for t in fetch_tensors if t not in fed] + target_ops
    while stack:
        op = stack.pop()
        if op in needed:
            continue
        needed.add(op)
        for t in op._inputs:
            if t not in fed:
                stack.append(t._op)
        stack += op._control_inputs
    ops = sorted(needed, key=_creation_order)

    value_of: dict[Tensor, Value] = {}
    feeds = []
    for t in fed_tensors:
        node = Node(FEED, None, [], {"index": len(feeds)}, [(t.shape, t.dtype)], t.name)
        feeds.append(node)
        value_of[t] = (node, 0)
    node_of: dict[Operation, Node] = {}
    nodes: list[Node] = list(feeds)
    value_from = value_of.__getitem__
    for op in ops:
        outputs = op._outputs
        attrs = op._attrs
        control = op._control_inputs
        node = Node(op._type, op._op_def, list(map(value_from, op._inputs)),
                    dict(attrs) if attrs else {}, list(map(_spec, outputs)), op._name, op,
                    [node_of[c] for c in control] if control else None)
        node_of[op] = node
        nodes.append(node)
        for i, t in enumerate(outputs):
            if t not in value_of:  # a fed output keeps its feed
                value_of[t] = (node, i)
    return Program(nodes, [value_of[t] for t in fetch_tensors],
                   [node_of[op] for op in target_ops], feeds)


_creation_order = operator.attrgetter("_id")  # of an Operation
_spec = operator.attrgetter("_shape", "_dtype")  # of a Tensor: an output's spec

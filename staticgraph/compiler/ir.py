"""The compiler's own copy of the part of a graph that one ``run`` needs.

Passes rewrite this IR, never the user's graph. A :class:`Node` is an op application;
a value is a ``(node, output_index)`` pair. Fed tensors become ``_Feed`` nodes with no
op definition, so no pass can fold or merge them.
"""
from __future__ import annotations

import operator
import os
from typing import Any, Callable, Sequence

import numpy as np

from ..core.graph import Operation, Tensor
from ..core.dtypes import DType
from ..core.registry import OpDef, Role, op_for
from ..core.shapes import TensorShape

FEED = "_Feed"  # the type of a fed value's node (no op: nothing may fold or merge it)

# A value is one output of a node: the tuple ``(node, index)``, hashable by identity.
Value = tuple  # (Node, int)

# Role members as globals: reading ``Role.X`` costs ~0.1 µs (an enum class attribute
# lookup), which the per-node loops below would pay on every node of a large plan.
_CONSTANT, _VARIABLE = Role.CONSTANT, Role.VARIABLE
_NOT_INSTRUCTIONS = (_CONSTANT, _VARIABLE, Role.NO_OP)  # no line of generated code


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
        self.specs = specs  # [(TensorShape, DType)] per output; shared, never modified
        self.control: Sequence[Node] = control or ()  # shared () when none (most nodes)
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
    if node.role is _CONSTANT and not node.control:
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
        for node in self.nodes:  # a plain loop: passes ask this of large programs
            opdef = node.opdef
            if opdef is not None and opdef.uses_state and node.role is not _VARIABLE:
                return True
        return False

    @property
    def writes_only_last(self) -> bool:
        """True when the one instruction that may change session state is the program's
        last and a declared variable writer (an op with a ``commit`` phase, whose
        one-piece kernel checks everything before it stores): a run failing before it or
        inside it then leaves every variable as it was without keeping an undo record."""
        writer = None
        for node in self.nodes:
            opdef = node.opdef
            if opdef is None or node.role in _NOT_INSTRUCTIONS:
                continue
            if writer is not None or (opdef.uses_state and opdef.commit is None):
                return False  # an instruction after the writer, or another state user
            if opdef.uses_state:
                writer = node
        return writer is not None

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
        program (and new nodes they read) are placed right after it, and the rewritten
        nodes, with what only they read, are dropped at the end (by
        :meth:`remove_dead`, or without a walk when nothing else can have died).
        Returns the number of nodes rewritten. Linear in the number of nodes and edges.
        """
        mapping: dict[Value, Value] = {}
        replaced: set[Node] = set()  # nodes whose outputs ``mapping`` redirects
        nodes: list[Node] = []
        new_nodes: dict[Node, list[Node]] = {}  # replaced node -> the nodes placed for it
        placed = set(self.nodes)  # the program's nodes, and the new nodes placed so far
        controlled = False  # whether some node has control inputs
        for node in self.nodes:
            if replaced:
                for src, _ in node.inputs:
                    if src in replaced:
                        node.inputs = [mapping.get(v, v) for v in node.inputs]
                        break
            if node.control:
                controlled = True
            nodes.append(node)
            result = visit(node)
            if result is None:
                continue
            replaced.add(node)
            for i, value in enumerate(result):
                if value[0] not in placed:
                    start = len(nodes)
                    _place(value[0], nodes, placed)
                    new_nodes.setdefault(node, []).extend(nodes[start:])
                mapping[(node, i)] = value
        self.nodes = nodes
        if replaced:
            self.fetches = [mapping.get(v, v) for v in self.fetches]
            if controlled or not self._drop_replaced(replaced, mapping, new_nodes):
                self.remove_dead()
        return len(replaced)

    def _drop_replaced(self, replaced: set[Node], mapping: dict[Value, Value],
                       new_nodes: dict[Node, list[Node]]) -> bool:
        """After a sweep over a program without dead nodes, removes the replaced nodes
        when that provably leaves no other node dead, without walking the program.

        That holds when every replaced node is pure, has one output and is no target,
        no new node reads a replaced one, and the replacement of each replaced node
        reads (itself or through the new nodes placed for it) every input the replaced
        node read: then, by induction from the last node, whatever was live through a
        replaced node is live through its replacement (a merged duplicate, an ``AddN``
        rewritten as additions). Linear: each check looks only at the nodes placed for
        that replaced node. Returns False, changing nothing, when this does not hold (a folded
        node's constant inputs may have lost their last reader): :meth:`remove_dead`
        must then walk the program. The caller checks that no node has control inputs
        (a control edge keeps its source alive without being redirected)."""
        for placed in new_nodes.values():
            for node in placed:
                for src, _ in node.inputs:
                    if src in replaced:
                        return False
        targets = self.targets
        for node in replaced:
            replacement = mapping[(node, 0)][0] if len(node.specs) == 1 else node
            if replacement is node or not node.pure or node in targets:
                return False
            if node.inputs:
                read = _read_through(replacement, set(new_nodes.get(node, ())))
                for src, _ in node.inputs:
                    if src not in read:
                        return False
        self.nodes = [node for node in self.nodes if node not in replaced]
        return True

    def remove_dead(self) -> int:
        """Drops nodes no fetch, target or stateful node depends on; returns how many."""
        kept = self.live_nodes()
        removed = len(self.nodes) - len(kept)
        self.nodes = kept
        return removed

    def live_nodes(self) -> list[Node]:
        """The nodes some fetch, target or stateful node depends on, and the feeds, in order.

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
        return kept

    def verify(self, after: str = "") -> None:
        """Checks the program is well formed; ``InvalidProgramError`` naming the node if not.

        Every input and control input is a node placed earlier (defined before use, no
        reads of nodes outside the program), every read output index exists, no node is
        listed twice, each node's definition is its type's and its output count is its
        op's, the fetches, targets and feeds are nodes of the program, and no node is
        dead (every value is needed by a fetch, a target or a stateful node). ``after``
        (a pass name) goes into the message. Linear in the nodes and edges.
        """
        position: dict[Node, int] = {}
        for pos, node in enumerate(self.nodes):
            if node in position:
                _invalid(after, node, f"is listed twice (at {position[node]} and {pos})")
            _check_definition(node, after)
            for k, value in enumerate(node.inputs):
                _check_read(value, position, self, after, node, f"input {k}")
            for src in node.control:
                if src not in position:
                    _invalid(after, node, f"has control input {_describe(src)}, which is "
                             f"{_where(src, self)}")
            position[node] = pos
        for k, value in enumerate(self.fetches):
            _check_read(value, position, self, after, None, f"fetch {k}")
        for kind, nodes in (("target", self.targets), ("feed", self.feeds)):
            for node in nodes:
                if node not in position:
                    _invalid(after, None, f"{kind} {_describe(node)} is not in the program")
        for node in self.feeds:
            if node.type != FEED:
                _invalid(after, node, f"is listed as a feed but is a {node.type} node")
        live = self.live_nodes()
        if len(live) != len(self.nodes):
            kept = set(live)
            dead = next(n for n in self.nodes if n not in kept)
            _invalid(after, dead, "is dead (a dangling value): no fetch, target or stateful "
                     "node depends on it")

    def format(self, notes: dict[Node, str] | None = None) -> str:
        """The program as text, one line per node (jaxpr-like)::

            %2:float64[3] = Mul %0 %1        # mul (model.py:12)

        output values (``%n``, numbered in order) with their static dtype and shape, the
        op type with its attributes, the input values (``^%n`` for a control input), the
        user's op name and creation site (relative to the working directory), what a
        pass did to make the node, and ``notes[node]`` when given; then the returned
        values and the run targets.
        """
        names: dict[Value, str] = {}
        cwd = os.getcwd()
        lines = [f"program: {len(self.feeds)} feeds, {len(self.nodes)} nodes"]
        for node in self.nodes:
            outs = []
            for i, (shape, dtype) in enumerate(node.specs):
                names[(node, i)] = name = f"%{len(names)}"
                outs.append(f"{name}:{dtype.name}{_dims(shape)}")
            reads = [names.get(v, f"%?{v[0].name}:{v[1]}") for v in node.inputs]
            reads += [f"^{names.get((c, 0), '%?' + c.name)}" for c in node.control]
            call = " ".join([f"{node.type}{_attrs_text(node)}"] + reads)
            comment = op_label(node, cwd)
            if node.origin:
                comment += f" [{node.origin}]"
            if notes and node in notes:
                comment += f" {notes[node]}"
            lines.append(f"  {', '.join(outs) or '()'} = {call}".ljust(48) + f"  # {comment}")
        fetched = ", ".join(names.get(v, f"%?{v[0].name}:{v[1]}") for v in self.fetches)
        lines.append(f"  return ({fetched})")
        if self.targets:
            lines.append(f"  targets: {', '.join(printable(n.name) for n in self.targets)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()


_first = operator.itemgetter(0)  # the node of a value


class InvalidProgramError(ValueError):
    """A malformed :class:`Program` (a pass or builder broke an invariant)."""


def _invalid(after: str, node: Node | None, problem: str) -> None:
    where = f" after pass {after!r}" if after else ""
    subject = f"node {_describe(node)} " if node is not None else ""
    raise InvalidProgramError(f"invalid program{where}: {subject}{problem}")


def _describe(node: Node) -> str:
    return f"{printable(node.name)!r} ({node.type})"


def _where(node: Node, program: Program) -> str:
    return "placed after its reader" if node in program.nodes else "not in the program"


def _check_definition(node: Node, after: str) -> None:
    """The node's definition is its type's, and its output count is its op's."""
    if (node.opdef is None) != (node.type == FEED) or (
            node.opdef is not None and node.opdef.type != node.type):
        _invalid(after, node, f"has the definition of {getattr(node.opdef, 'type', None)}")
    source = node.source
    if source is not None and source.type == node.type and \
            len(source.outputs) != len(node.specs):
        _invalid(after, node, f"has {len(node.specs)} output specs but its op has "
                 f"{len(source.outputs)} outputs")


def _check_read(value: Value, position: dict, program: Program, after: str,
                reader: Node | None, what: str) -> None:
    """The value is an existing output of a node placed before its reader."""
    src, index = value
    if src not in position:
        _invalid(after, reader, f"{what} reads {_describe(src)}, which is "
                 f"{_where(src, program)}")
    if not 0 <= index < src.num_outputs:
        _invalid(after, reader, f"{what} reads output {index} of {_describe(src)}, which has "
                 f"{src.num_outputs} outputs")


def printable(text: str) -> str:
    """``text`` safe to show on one line of a listing or a comment of generated source:
    itself when printable, else its ``repr`` (newlines and controls escaped)."""
    return text if text.isprintable() else repr(text)


def op_label(node: Node, cwd: str = "", sites: dict | None = None) -> str:
    """The user's op name and where it was created (``file:line``, the file relative to
    the directory ``cwd`` when it lies below it), on one line.

    ``sites`` (a dict the caller keeps for one ``cwd``) caches the text of each creation
    site: the ops of a deep graph come from a few lines of user code."""
    return site_label(node.name, creation_site(node), cwd, sites)


def creation_site(node: Node) -> tuple[str, int] | None:
    """Where the user's op the node stands for was created (None when unknown)."""
    return node.source._call_site if node.source is not None else None


def site_label(name: str, site: tuple[str, int] | None, cwd: str = "",
               sites: dict | None = None) -> str:
    """:func:`op_label` of a node named ``name`` whose user's op was created at ``site``
    (a ``(file, line)`` pair, or None)."""
    name = printable(name)
    if site is None:
        return name
    text = sites.get(site) if sites is not None else None
    if text is None:
        filename = site[0]
        if cwd and filename.startswith(cwd + os.sep):
            filename = filename[len(cwd) + 1:]
        text = f" ({printable(filename)}:{site[1]})"
        if sites is not None:
            sites[site] = text
    return name + text


def _dims(shape: TensorShape) -> str:
    dims = shape.as_tuple()
    if dims is None:
        return "[*]"
    return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"


def _attrs_text(node: Node) -> str:
    """The node's attributes, each shortened to a few characters (dtypes and shapes are
    left out: the output specs show them)."""
    shown = [f"{k}={_short(v)}" for k, v in node.attrs.items()
             if not isinstance(v, (DType, TensorShape))]
    return f"[{', '.join(shown)}]" if shown else ""


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        if value.size > 4:
            return f"<{value.dtype.name}{list(value.shape)}>".replace(" ", "")
        value = value.tolist()
    text = printable(repr(value))
    return text if len(text) <= 40 else text[:37] + "..."


def _read_through(root: Node, new: set[Node]) -> set[Node]:
    """``root`` and the nodes it reads, directly or through nodes in ``new``."""
    read = {root}
    stack = [root]
    while stack:
        node = stack.pop()
        if node in new:
            for src, _ in node.inputs:
                if src not in read:
                    read.add(src)
                    stack.append(src)
    return read


def _place(root: Node, nodes: list[Node], placed: set[Node]) -> None:
    """Appends ``root`` and the new nodes it reads (not yet in ``nodes``), inputs first."""
    for src, _ in root.inputs:
        if src not in placed:
            break
    else:  # the common case: a new node over placed values
        placed.add(root)
        nodes.append(root)
        return
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
    stack: list[Operation] = [t.op for t in fetch_tensors if t not in fed] + target_ops
    push = stack.append
    while stack:
        op = stack.pop()
        if op in needed:
            continue
        needed.add(op)
        for t in op._inputs:
            if t not in fed:
                push(t._op)
        if op._control_inputs:
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
    append = nodes.append
    # One specs list per (shape object, dtype), shared by the single-output nodes that
    # have them (specs are never modified, and passes share them too): a deep graph's
    # tensors share a few shape objects, and a list and a tuple fewer per node are two
    # objects fewer for the cyclic collector to scan while the plan lives.
    shared_specs: dict[int, list] = {}  # id(shape) -> [(shape, dtype)] (shape kept alive)
    last = [(None, None)]  # the specs of the last single-output node (often the next's)
    for op in ops:
        outputs = op._outputs
        attrs = op._attrs
        control = op._control_inputs
        single = len(outputs) == 1  # the common case, spelled out
        if single:
            t = outputs[0]
            shape, dtype = t._shape, t._dtype
            spec = last[0]
            if shape is not spec[0] or dtype is not spec[1]:
                last = shared_specs.get(id(shape))
                if last is None or last[0][1] is not dtype:
                    last = shared_specs[id(shape)] = [(shape, dtype)]
            specs = last
        else:
            specs = list(map(_spec, outputs))
        node = Node(op._type, op._op_def, list(map(value_from, op._inputs)),
                    dict(attrs) if attrs else {}, specs,
                    op._name, op, [node_of[c] for c in control] if control else None)
        node_of[op] = node
        append(node)
        if single:
            if t not in value_of:  # a fed output keeps its feed
                value_of[t] = (node, 0)
            continue
        for i, t in enumerate(outputs):
            if t not in value_of:
                value_of[t] = (node, i)
    return Program(nodes, [value_of[t] for t in fetch_tensors],
                   [node_of[op] for op in target_ops], feeds)


_creation_order = operator.attrgetter("_id")  # of an Operation
_spec = operator.attrgetter("_shape", "_dtype")  # of a Tensor: an output's spec

"""Pictures of graphs and compiled plans: Graphviz DOT (``tf.to_dot``) and networkx.

``to_dot`` draws
- the default graph, a given :class:`~staticgraph.Graph`, or only what some fetches need;
- the compiled plan a Session runs: ``tf.to_dot(fetches, session=sess, feed_dict=...)``
  (or ``tf.to_dot(plan)`` for a ``Plan``/``Program``, e.g. from
  ``sess.compiled_plan(fetches, feed_dict)``), after the compiler's passes, with
  folded, merged and other rewritten nodes marked by what the pass did (``Node.origin``).

Ops are nodes labelled with type and name; edges carry the tensor's shape and dtype.
Placeholders (and fed values) are blue houses, variables yellow cylinders, constants grey
boxes showing small values, ordinary ops white rounded boxes. Control dependencies are
dashed. Name scopes are nested clusters; ``collapse=["gradients"]`` draws a scope as one
node. Ops under a ``gradients`` scope are red, ops under a ``jvp`` scope green. Fetched
values have a double border.

The DOT text (``.source``, ``.save()``) needs no Graphviz program; rendering (``.render``,
``.pipe``, notebooks) runs ``dot`` and, when it is missing, raises
:class:`GraphvizNotInstalled` saying how to install it.
"""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from typing import Any, Iterable

import graphviz

from ..compiler.ir import FEED, Node, Program
from ..compiler.plan import Plan
from ..core.graph import Graph, Operation, get_default_graph
from .elements import resolve_fetches
from .format import summarize

KIND_OF_TYPE = {"Placeholder": "placeholder", "PlaceholderWithDefault": "placeholder",
                FEED: "placeholder", "VariableV2": "variable", "Const": "constant"}
# Scope names (with an optional ``_N`` suffix) whose ops belong to a derivative subgraph.
ROLE_SCOPES = (("gradient", re.compile(r"gradients(_\d+)?$")),
               ("tangent", re.compile(r"jvp(_\d+)?$")))
_SMALL_CONSTANT = 4  # constants with at most this many elements show their value

_KIND_STYLE = {
    "placeholder": {"shape": "invhouse", "style": "filled", "fillcolor": "#cfe2f3"},
    "variable": {"shape": "cylinder", "style": "filled", "fillcolor": "#fff2cc"},
    "constant": {"shape": "box", "style": "filled", "fillcolor": "#eeeeee", "fontsize": "9"},
    "op": {"shape": "box", "style": "rounded,filled", "fillcolor": "white"},
    "scope": {"shape": "box3d", "style": "filled", "fillcolor": "#e8e8e8"},
}
_ROLE_STYLE = {
    "gradient": {"fillcolor": "#f4cccc", "color": "#cc0000"},
    "tangent": {"fillcolor": "#d9ead3", "color": "#38761d"},
}
_ORIGIN_STYLE = {
    "folded": {"fillcolor": "#fce5cd", "color": "#e69138", "penwidth": "2"},
    "merged": {"fillcolor": "#d9d2e9", "color": "#674ea7", "penwidth": "2"},
}
_OTHER_ORIGIN_STYLE = {"color": "#3d85c6", "penwidth": "2"}
_CLUSTER_STYLE = {
    "forward": {"color": "#999999", "style": "rounded"},
    "gradient": {"color": "#cc0000", "style": "rounded,filled", "fillcolor": "#fdf1f1"},
    "tangent": {"color": "#38761d", "style": "rounded,filled", "fillcolor": "#f3f9f1"},
}

INSTALL_HINT = ("Install Graphviz: `sudo apt-get install graphviz` (Debian/Ubuntu), "
                "`brew install graphviz` (macOS), `conda install -c conda-forge graphviz`, "
                "or see https://graphviz.org/download/. The DOT text needs no Graphviz: "
                "use `.source` or `.save(path)`.")


class GraphRenderingError(RuntimeError):
    """Graphviz failed (or took too long) to render a graph; the message is short."""


class GraphvizNotInstalled(graphviz.ExecutableNotFound, GraphRenderingError):
    """Rendering needs the Graphviz program ``dot``, which is not installed."""

    def __init__(self, what: str) -> None:
        RuntimeError.__init__(self, f"Rendering {what} needs the Graphviz program `dot`, "
                                    f"which was not found on PATH. {INSTALL_HINT}")


def _short(stderr: Any, limit: int = 300) -> str:
    """The first lines of Graphviz's complaint, at most ``limit`` characters."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else str(stderr or "")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = "; ".join(lines[:2])
    return first[:limit] + (" ..." if len(first) > limit or len(lines) > 2 else "")


class DotGraph(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose rendering explains how to install Graphviz if missing
    and reports a Graphviz failure in one short line (``GraphRenderingError``)."""

    def render(self, *args: Any, **kwargs: Any) -> Any:
        """Writes the DOT file and renders it (``format`` defaults to PDF, as graphviz)."""
        what = f"to {kwargs.get('format') or self.format}"
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound as err:
            raise GraphvizNotInstalled(what) from err
        except graphviz.CalledProcessError as err:
            raise GraphRenderingError(f"Graphviz failed rendering {what}: "
                                      f"{_short(err.stderr)}") from None

    def pipe(self, format: str | None = None, *args: Any, timeout: float | None = None,
             **kwargs: Any) -> Any:
        """The rendered output as bytes (or text with ``encoding``); with ``timeout``
        (seconds), Graphviz is stopped after that long (``GraphRenderingError``)."""
        fmt = format or self.format
        if timeout is not None:
            return self._pipe_with_timeout(fmt, timeout)
        try:
            return super().pipe(fmt, *args, **kwargs)
        except graphviz.ExecutableNotFound as err:
            raise GraphvizNotInstalled(f"to {fmt}") from err
        except graphviz.CalledProcessError as err:
            raise GraphRenderingError(f"Graphviz failed rendering to {fmt}: "
                                      f"{_short(err.stderr)}") from None

    def _pipe_with_timeout(self, fmt: str, timeout: float) -> bytes:
        try:
            done = subprocess.run([self.engine, f"-T{fmt}"], input=self.source.encode(),
                                  capture_output=True, timeout=timeout, check=False)
        except FileNotFoundError as err:
            raise GraphvizNotInstalled(f"to {fmt}") from err
        except subprocess.TimeoutExpired:
            raise GraphRenderingError(f"Graphviz took longer than {timeout:g} s rendering "
                                      f"{len(self.body)} DOT lines to {fmt}") from None
        if done.returncode != 0:
            raise GraphRenderingError(f"Graphviz failed rendering to {fmt}: "
                                      f"{_short(done.stderr)}")
        return done.stdout


@dataclass
class Item:
    """One node to draw."""

    id: str
    name: str  # scoped name; its scope decides the cluster
    type: str
    kind: str  # placeholder | variable | constant | op | scope
    role: str = "forward"  # forward | gradient | tangent
    note: str = ""
    origin: str = ""
    fetched: bool = False

    @property
    def scope(self) -> str:
        """The enclosing name scope ("" at top level)."""
        return self.name.rpartition("/")[0]


@dataclass(frozen=True)
class Edge:
    """One edge: a data edge labelled with the tensor's shape and dtype, or a control edge."""

    src: str
    dst: str
    label: str = ""
    control: bool = False
    tensor: str = ""


@dataclass
class Drawing:
    """Nodes and edges ready to lay out, independent of where they came from."""

    items: list[Item] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)


def scope_role(scope: str) -> str:
    """``"gradient"``/``"tangent"`` inside a gradients/jvp name scope, else ``"forward"``."""
    for part in scope.split("/"):
        for role, pattern in ROLE_SCOPES:
            if pattern.match(part):
                return role
    return "forward"


def role_of(name: str) -> str:
    """The role (see :func:`scope_role`) of the op named ``name``."""
    return scope_role(name.rpartition("/")[0])


def _tensor_label(shape: Any, dtype: Any, index: int, num_outputs: int) -> str:
    prefix = f"{index}: " if num_outputs > 1 else ""
    return f"{prefix}{'?' if shape.ndims is None else shape} {dtype.name}"


def _constant_note(type: str, attrs: dict) -> str:
    value = attrs.get("value") if type == "Const" else None
    if value is None or getattr(value, "size", 0) > _SMALL_CONSTANT:
        return ""
    return "= " + summarize(value)


def _safe_id(name: str) -> str:
    # graphviz reads ``a:b`` in an edge as node a, port b
    return name.replace(":", "_")


# -- graphs ---------------------------------------------------------------------------------


def _ancestors(roots: Iterable[Operation]) -> list[Operation]:
    """The roots and every op they need (data and control inputs), in creation order."""
    seen: dict[int, Operation] = {}
    stack = list(roots)
    while stack:
        op = stack.pop()
        if id(op) not in seen:
            seen[id(op)] = op
            stack.extend(t.op for t in op.inputs)
            stack.extend(op.control_inputs)
    return sorted(seen.values(), key=lambda o: o.creation_index)


def graph_drawing(graph_or_fetches: Any = None) -> Drawing:
    """The ops of a graph (default graph if None), or only those the fetches need."""
    if graph_or_fetches is None or isinstance(graph_or_fetches, Graph):
        graph = graph_or_fetches or get_default_graph()
        ops, fetched = graph.get_operations(), set()
    else:
        _, tensors, targets = resolve_fetches(graph_or_fetches)
        roots = [t.op for t in tensors] + targets
        ops, fetched = _ancestors(roots), {id(op) for op in roots}
    drawing = Drawing()
    for op in ops:
        drawing.items.append(Item(_safe_id(op.name), op.name, op.type,
                                  KIND_OF_TYPE.get(op.type, "op"), role_of(op.name),
                                  _constant_note(op.type, op.attrs), fetched=id(op) in fetched))
        for t in op.inputs:
            drawing.edges.append(Edge(_safe_id(t.op.name), _safe_id(op.name),
                                      _tensor_label(t.shape, t.dtype, t.value_index,
                                                    len(t.op.outputs)), tensor=t.name))
        drawing.edges.extend(Edge(_safe_id(c.name), _safe_id(op.name), control=True)
                             for c in op.control_inputs)
    return drawing


# -- compiled plans -------------------------------------------------------------------------


def program_drawing(program: Program) -> Drawing:
    """The nodes of a compiled program, marked with what the passes did to them."""
    ids: dict[int, str] = {}
    used: set[str] = set()
    fetched = {id(n) for n, _ in program.fetches} | {id(n) for n in program.targets}
    drawing = Drawing()
    for node in program.nodes:
        node_id = _unique(_safe_id(node.name) + (" (fed)" if node.type == FEED else ""), used)
        ids[id(node)] = node_id
        drawing.items.append(Item(node_id, node.name, "Feed" if node.type == FEED else node.type,
                                  KIND_OF_TYPE.get(node.type, "op"), role_of(node.name),
                                  _constant_note(node.type, node.attrs), node.origin,
                                  id(node) in fetched))
    for node in program.nodes:
        drawing.edges.extend(_node_edges(node, ids))
    return drawing


def _unique(base: str, used: set[str]) -> str:
    """``base``, or ``base #2``, ``base #3``… if taken (passes may reuse a name)."""
    node_id, k = base, 1
    while node_id in used:
        k += 1
        node_id = f"{base} #{k}"
    used.add(node_id)
    return node_id


def _node_edges(node: Node, ids: dict[int, str]) -> list[Edge]:
    edges = []
    for src, i in node.inputs:
        shape, dtype = src.specs[i]
        edges.append(Edge(ids[id(src)], ids[id(node)],
                          _tensor_label(shape, dtype, i, src.num_outputs),
                          tensor=f"{src.name}:{i}"))
    edges.extend(Edge(ids[id(c)], ids[id(node)], control=True) for c in node.control)
    return edges


# -- collapsing scopes ----------------------------------------------------------------------


def collapse_scopes(drawing: Drawing, scopes: Iterable[str]) -> Drawing:
    """Replaces every node under each of ``scopes`` by one node per scope."""
    scopes = sorted({s.strip("/") for s in scopes}, key=len)  # outer scopes win
    members: dict[str, list[Item]] = {}
    kept: list[Item] = []
    for item in drawing.items:
        scope = next((s for s in scopes if item.name.startswith(s + "/")), None)
        if scope is None:
            kept.append(item)
        else:
            members.setdefault(scope, []).append(item)
    _check_collapsed(scopes, members, drawing.items)
    kept += [Item(s + "/", s, "scope", "scope", scope_role(s), f"({len(group)} ops)",
                  fetched=any(i.fetched for i in group)) for s, group in members.items()]
    mapped = {i.id: s + "/" for s, group in members.items() for i in group}
    edges = (Edge(mapped.get(e.src, e.src), mapped.get(e.dst, e.dst), e.label, e.control,
                  e.tensor) for e in drawing.edges)
    return Drawing(kept, _dedupe(e for e in edges if e.src != e.dst))


def _check_collapsed(scopes: list[str], members: dict, items: list[Item]) -> None:
    """A scope to collapse must hold some drawn op (or lie inside a collapsed scope)."""
    missing = [s for s in scopes if s not in members
               and not any(s.startswith(c + "/") for c in members)]
    if missing:
        present = sorted({i.name.split("/")[0] for i in items if "/" in i.name})
        raise ValueError(f"collapse: no op in the drawing is under name scope(s) {missing}; "
                         f"top-level scopes present: {present}")


def _dedupe(edges: Iterable[Edge]) -> list[Edge]:
    """One edge per (source, destination, label, kind): a collapsed scope reads a tensor once."""
    seen: dict[tuple, Edge] = {}
    for e in edges:
        seen.setdefault((e.src, e.dst, e.label, e.control), e)
    return list(seen.values())


# -- layout ---------------------------------------------------------------------------------


def _node_attrs(item: Item) -> dict:
    attrs = dict(_KIND_STYLE[item.kind])
    attrs.update(_ROLE_STYLE.get(item.role, {}))
    short_name = item.name.rpartition("/")[2]
    lines = [item.type, short_name] if item.type not in (short_name, "scope") \
        else [short_name]
    if item.note:
        lines.append(item.note)
    if item.origin:
        attrs.update(_ORIGIN_STYLE.get(item.origin, _OTHER_ORIGIN_STYLE))
        lines.append(f"[{item.origin}]")
    if item.fetched:
        attrs["peripheries"] = "2"
    attrs["label"] = "\\n".join(_escape(line) for line in lines)
    attrs["tooltip"] = _escape(item.name)
    return attrs


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\")


def _scope_tree(items: list[Item]) -> dict:
    """Nested ``{"items": [...], "children": {scope_path: subtree}}`` by name scope."""
    root: dict = {"items": [], "children": {}}
    for item in items:
        node, path = root, ""
        for part in item.scope.split("/") if item.scope else []:
            path = f"{path}/{part}" if path else part
            node = node["children"].setdefault(path, {"items": [], "children": {}})
        node["items"].append(item)
    return root


def _emit(target: graphviz.Digraph, tree: dict) -> None:
    for item in tree["items"]:
        target.node(item.id, **_node_attrs(item))
    for path, subtree in tree["children"].items():
        with target.subgraph(name="cluster_" + path) as cluster:
            style = _CLUSTER_STYLE[scope_role(path)]
            cluster.attr(label=_escape(path.rpartition("/")[2]), fontcolor=style["color"],
                         **style)
            _emit(cluster, subtree)


def render_drawing(drawing: Drawing, rankdir: str = "TB", edge_labels: bool = True,
                   name: str = "staticgraph") -> DotGraph:
    """Lays a drawing out as DOT: clusters for name scopes, styled nodes, labelled edges."""
    # newrank: Graphviz's older ranking fails ("trouble in init_rank") on large graphs
    # with collapsed clusters
    dot = DotGraph(name=name, graph_attr={"rankdir": rankdir, "fontname": "Helvetica",
                                          "fontsize": "11", "compound": "true",
                                          "newrank": "true"},
                   node_attr={"fontname": "Helvetica", "fontsize": "10"},
                   edge_attr={"fontname": "Helvetica", "fontsize": "8",
                              "fontcolor": "#555555", "color": "#444444"})
    _emit(dot, _scope_tree(drawing.items))
    for e in drawing.edges:
        attrs = {"style": "dashed", "color": "#888888"} if e.control else {}
        if edge_labels and e.label:
            attrs["label"] = e.label
        dot.edge(e.src, e.dst, **attrs)
    return dot


def drawing_for(graph_or_fetches: Any = None, session: Any = None,
                feed_dict: Any = None) -> Drawing:
    """What :func:`to_dot` draws, before collapsing and layout."""
    if isinstance(graph_or_fetches, (Plan, Program)):
        program = graph_or_fetches.program if isinstance(graph_or_fetches, Plan) \
            else graph_or_fetches
        return program_drawing(program)
    if session is not None:
        if graph_or_fetches is None or isinstance(graph_or_fetches, Graph):
            raise TypeError("to_dot(..., session=sess) draws the plan compiled for some "
                            "fetches: pass the fetches as the first argument")
        return program_drawing(session.compiled_plan(graph_or_fetches, feed_dict).program)
    if feed_dict is not None:
        raise TypeError("to_dot: feed_dict only applies to a compiled plan; pass session= "
                        "too")
    return graph_drawing(graph_or_fetches)


def to_dot(graph_or_fetches: Any = None, *, collapse: Iterable[str] = (),
           session: Any = None, feed_dict: Any = None, rankdir: str = "TB",
           edge_labels: bool = True) -> DotGraph:
    """A ``graphviz.Digraph`` of a graph, of what some fetches need, or of a compiled plan.

    ``graph_or_fetches``: None (the default graph), a Graph, fetches (tensor, op, name or a
    nested list/dict of them: only what they need is drawn), or a compiled ``Plan``/
    ``Program``. With ``session=sess`` the plan ``sess`` runs for these fetches (and the
    keys of ``feed_dict``) is drawn instead, after the compiler's passes.
    ``collapse``: name scopes to draw as one node each (e.g. ``["gradients"]``).
    ``rankdir``: Graphviz layout direction ("TB", "LR"); ``edge_labels``: shape/dtype labels.
    """
    drawing = collapse_scopes(drawing_for(graph_or_fetches, session, feed_dict), collapse)
    return render_drawing(drawing, rankdir=rankdir, edge_labels=edge_labels)


def to_networkx(graph_or_fetches: Any = None) -> Any:
    """A ``networkx.MultiDiGraph``: one node per op (keyed by name), one edge per tensor use.

    Node attributes: ``name``, ``type``, ``kind``, ``role``, ``scope``, ``origin``,
    ``fetched``; edge attributes: ``tensor``, ``label`` (shape and dtype), ``control``
    (one edge per input slot, so ``x * x`` gives two). Accepts what :func:`to_dot` accepts (plan
    nodes are keyed like their DOT nodes: a fed tensor ``x:0`` becomes ``"x_0 (fed)"``).
    """
    import networkx as nx  # imported on use: it is slow to import
    result = nx.MultiDiGraph()
    drawing = drawing_for(graph_or_fetches)
    for item in drawing.items:
        result.add_node(item.id, name=item.name, type=item.type, kind=item.kind,
                        role=item.role, scope=item.scope, origin=item.origin,
                        fetched=item.fetched)
    for e in drawing.edges:
        result.add_edge(e.src, e.dst, tensor=e.tensor, label=e.label, control=e.control)
    return result

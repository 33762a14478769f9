"""``tf.graph_util`` and graph files: freezing, sub-graphs, ``write_graph``, reading .pb.

These work on ``GraphDef`` messages, as TensorFlow's do.
"""
from __future__ import annotations

import os
from typing import Any, Callable, Iterable

from google.protobuf import text_format
from google.protobuf.message import DecodeError

from ..core.errors import DataLossError, NotFoundError
from ..core.graph import Graph
from .attr_values import to_tensor_proto
from .files import atomic_write_bytes
from .graph_def import graph_to_graph_def
from .import_graph import parse_input
from .protos import AttrValue, GraphDef, NodeDef

__all__ = ["convert_variables_to_constants", "extract_sub_graph", "remove_training_nodes",
           "write_graph", "read_graph_def", "read_proto_file"]


def _as_graph_def(graph_or_graph_def: Any) -> GraphDef:
    if isinstance(graph_or_graph_def, Graph):
        return graph_to_graph_def(graph_or_graph_def)
    if hasattr(graph_or_graph_def, "node") and hasattr(graph_or_graph_def, "SerializeToString"):
        return GraphDef.FromString(graph_or_graph_def.SerializeToString())
    raise TypeError(f"expected a Graph or a GraphDef, got {type(graph_or_graph_def).__name__}")


def extract_sub_graph(graph_def: Any, dest_nodes: Iterable[str]) -> GraphDef:
    """``tf.graph_util.extract_sub_graph``: the nodes ``dest_nodes`` need (data and control
    inputs), in their original order."""
    graph_def = _as_graph_def(graph_def)
    if isinstance(dest_nodes, str):
        raise TypeError("dest_nodes must be a list of node names, not a string")
    by_name = {n.name: n for n in graph_def.node}
    missing = [d for d in dest_nodes if d not in by_name]
    if missing:
        raise ValueError(f"Nodes {missing} are not in the graph")
    keep: set[str] = set()
    stack = list(dest_nodes)
    while stack:
        name = stack.pop()
        if name in keep:
            continue
        keep.add(name)
        stack.extend(parse_input(i)[0] for i in by_name[name].input
                     if parse_input(i)[0] in by_name)
    out = GraphDef()
    out.versions.CopyFrom(graph_def.versions)
    out.library.CopyFrom(graph_def.library)
    out.node.extend(n for n in graph_def.node if n.name in keep)
    return out


def convert_variables_to_constants(sess: Any, input_graph_def: Any,
                                   output_node_names: Iterable[str],
                                   variable_names_whitelist: Iterable[str] | None = None,
                                   variable_names_blacklist: Iterable[str] | None = None
                                   ) -> GraphDef:
    """``tf.graph_util.convert_variables_to_constants``: the sub-graph computing
    ``output_node_names`` with each variable replaced by a ``Const`` holding its value
    in ``sess``."""
    sub = extract_sub_graph(input_graph_def, list(output_node_names))
    allow = set(variable_names_whitelist) if variable_names_whitelist is not None else None
    deny = set(variable_names_blacklist or ())
    variables = [n.name for n in sub.node if n.op in ("VariableV2", "Variable")
                 and (allow is None or n.name in allow) and n.name not in deny]
    values = sess.run([sess.graph.get_tensor_by_name(v + ":0") for v in variables]) \
        if variables else []
    frozen = dict(zip(variables, values))
    out = GraphDef()
    out.versions.CopyFrom(sub.versions)
    out.library.CopyFrom(sub.library)
    for node in sub.node:
        if node.name in frozen:
            value = frozen[node.name]
            const = NodeDef(name=node.name, op="Const", device=node.device)
            const.attr["dtype"].CopyFrom(node.attr["dtype"])
            const.attr["value"].CopyFrom(AttrValue(tensor=to_tensor_proto(value)))
            out.node.append(const)
        else:
            out.node.append(node)
    return out


_TRAINING_ONLY = ("Identity", "CheckNumerics", "Snapshot")


def remove_training_nodes(input_graph: Any, protected_nodes: Iterable[str] | None = None
                          ) -> GraphDef:
    """``tf.graph_util.remove_training_nodes``: splices out ``Identity`` and
    ``CheckNumerics`` nodes (not the protected ones, nor those with control inputs),
    their consumers reading their input instead."""
    graph_def = _as_graph_def(input_graph)
    protected = set(protected_nodes or ())
    replace: dict[str, str] = {}
    for node in graph_def.node:
        if (node.op in _TRAINING_ONLY and node.name not in protected and len(node.input) >= 1
                and not any(i.startswith("^") for i in node.input)):
            replace[node.name] = node.input[0]

    def resolve(name: str) -> str:
        op_name, index, control = parse_input(name)
        seen = set()
        while op_name in replace and op_name not in seen and (index == 0 or control):
            seen.add(op_name)
            target = replace[op_name]
            if control:
                target = "^" + parse_input(target)[0]
            op_name, index, control = parse_input(target)
            name = target
        return name

    out = GraphDef()
    out.versions.CopyFrom(graph_def.versions)
    out.library.CopyFrom(graph_def.library)
    for node in graph_def.node:
        if node.name in replace:
            continue
        copy = NodeDef()
        copy.CopyFrom(node)
        del copy.input[:]
        copy.input.extend(resolve(i) for i in node.input)
        out.node.append(copy)
    return out


def write_graph(graph_or_graph_def: Any, logdir: str, name: str, as_text: bool = True) -> str:
    """``tf.train.write_graph`` / ``tf.io.write_graph``: writes the GraphDef to
    ``logdir/name`` (text or binary, atomically); returns the path."""
    graph_def = _as_graph_def(graph_or_graph_def)
    logdir = str(logdir)
    os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, name)
    data = text_format.MessageToString(graph_def).encode() if as_text else \
        graph_def.SerializeToString()
    atomic_write_bytes(path, data)
    return path


def read_proto_file(path: str, message_class: Any, what: str,
                    is_complete: Callable[[Any], bool]) -> Any:
    """The message of ``message_class`` in a binary or text file (``is_complete`` tells a
    binary parse that found the message from one that merely did not fail);
    ``NotFoundError`` if missing, ``DataLossError`` naming the file if it is neither."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise NotFoundError(None, None, f"{what} file {path} not found") from None
    message = message_class()
    try:
        message.ParseFromString(data)
        if is_complete(message) or not data:
            return message
    except DecodeError:
        pass
    try:
        return text_format.Parse(data.decode("utf-8"), message_class())
    except (text_format.ParseError, UnicodeDecodeError) as err:
        raise DataLossError(None, None, f"{path} is not a {what} (binary or text): "
                                        f"{str(err)[:200]}") from None


def read_graph_def(path: str) -> GraphDef:
    """The GraphDef in a ``.pb`` (binary) or ``.pbtxt`` (text) file."""
    return read_proto_file(path, GraphDef, "GraphDef", lambda g: len(g.node) > 0)

"""``tf.import_graph_def``: TensorFlow ``GraphDef`` nodes as staticgraph ops.

Nodes written by staticgraph carry its own attributes (``_sg_*``) and import exactly;
nodes written by TensorFlow are converted through :mod:`.op_map`. Before anything is
added to the graph, every node's op type is checked: an error lists every op type
staticgraph does not know, with the nodes that use it.
"""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from ..core.graph import Graph, Operation, Tensor, get_default_graph
from ..core.registry import registered_ops
from ..ops.framework import apply_op
from .attr_values import from_attr_value
from .graph_def import SG_ATTR_PREFIX, SG_ATTRS, SG_UNEXPORTABLE
from .op_map import SELF_KEYED, TF_TYPE_ALIASES, conversion_for
from .protos import GraphDef, NodeDef
from .tf_ops import default_attr, ref_input_count, signature

__all__ = ["import_graph_def", "parse_input"]


def parse_input(name: str) -> tuple[str, int, bool]:
    """``(op name, output index, is control input)`` of a NodeDef input string."""
    if name.startswith("^"):
        return name[1:], 0, True
    op, sep, index = name.rpartition(":")
    if sep and index.isdigit():
        return op, int(index), False
    return name, 0, False


def _check_op_types(nodes: Iterable[NodeDef]) -> None:
    known = registered_ops()
    unknown: dict[str, list[str]] = {}
    unexportable = []
    for node in nodes:
        if TF_TYPE_ALIASES.get(node.op, node.op) not in known:
            unknown.setdefault(node.op, []).append(node.name)
        if SG_UNEXPORTABLE in node.attr:
            unexportable.append(node.name)
    if unknown:
        listing = "; ".join(f"{t} (nodes: {', '.join(n[:3])}{', ...' if len(n) > 3 else ''})"
                            for t, n in sorted(unknown.items()))
        raise ValueError(f"The GraphDef uses {len(unknown)} op type(s) staticgraph does not "
                         f"have: {listing}")
    if unexportable:
        raise ValueError("These nodes hold Python functions or sub-graphs, which a GraphDef "
                         f"cannot carry: {', '.join(unexportable)}")


def _topological(nodes: list[NodeDef]) -> list[NodeDef]:
    """Nodes ordered so that each comes after its inputs (GraphDefs need not be)."""
    by_name = {n.name: n for n in nodes}
    if len(by_name) != len(nodes):
        raise ValueError("The GraphDef has two nodes with the same name")
    order: list[NodeDef] = []
    state: dict[str, int] = {}  # 1 = in progress, 2 = done
    for root in nodes:
        stack = [(root, iter(root.input))]
        if state.get(root.name):
            continue
        state[root.name] = 1
        while stack:
            node, pending = stack[-1]
            for inp in pending:
                dep = by_name.get(parse_input(inp)[0])
                if dep is None or state.get(dep.name) == 2:
                    continue
                if state.get(dep.name) == 1:
                    raise ValueError(f"The GraphDef has a cycle through node '{dep.name}' "
                                     "(TF1 while loops are not supported)")
                state[dep.name] = 1
                stack.append((dep, iter(dep.input)))
                break
            else:
                stack.pop()
                state[node.name] = 2
                order.append(node)
    return order


def _constant_of(t: Tensor, node: NodeDef, what: str) -> np.ndarray:
    if t.op.type != "Const":
        raise ValueError(f"Node '{node.name}' ({node.op}): its {what} must be a constant to "
                         f"import here, but comes from {t.op.type} op '{t.op.name}'")
    return np.asarray(t.op.get_attr("value"))


def _tf_attrs(node: NodeDef, sg_type: str, inputs: list[Tensor]) -> tuple[list, dict]:
    """staticgraph's inputs and attributes of a node TensorFlow wrote."""
    conv = conversion_for(sg_type)
    opdef = signature(node.op)
    attrs: dict[str, Any] = dict(conv.defaults)
    for name in conv.attrs:
        value = node.attr[name] if name in node.attr else (
            default_attr(opdef, name) if opdef is not None else None)
        if value is not None:
            attrs[name] = from_attr_value(value, f"node {node.name}")
    for name in conv.window:
        if name in node.attr:
            values = from_attr_value(node.attr[name], node.name)
            attrs[name] = tuple(values[1:-1])
    layout = conv.tf_only.get("data_format")
    if layout and "data_format" in node.attr and \
            node.attr["data_format"].s not in (layout.encode(), b""):
        raise ValueError(f"Node '{node.name}' ({node.op}): only data_format {layout} is "
                         f"supported, got {node.attr['data_format'].s.decode()}")
    for name, pos, _ in sorted(conv.const_inputs, key=lambda c: -c[1] if c[1] >= 0 else -1e9):
        value = _constant_of(inputs.pop(pos), node, f"input {pos} ({name})")
        attrs[name] = conv.from_tf(name, value) if conv.from_tf else value
    if node.op == "PadV2":
        attrs["constant_values"] = _constant_of(inputs.pop(2), node, "constant_values")[()]
    return inputs, attrs


def _sg_attrs(node: NodeDef) -> dict:
    """The attributes staticgraph recorded on a node it wrote."""
    attrs = {}
    for name in (s.decode() for s in node.attr[SG_ATTRS].list.s):
        stored = node.attr[SG_ATTR_PREFIX + name] if SG_ATTR_PREFIX + name in node.attr \
            else node.attr[name]  # written under TensorFlow's (same) name
        attrs[name] = from_attr_value(stored, f"node {node.name}")
    return attrs


def _state_inputs(sg_type: str, node: NodeDef, inputs: list[Tensor], attrs: dict) -> list:
    """Variables are input 0 (and more) in TensorFlow; here an attribute names them."""
    state = conversion_for(sg_type).state
    if state == "var_key":
        ref = inputs.pop(0)
        attrs["var_key"] = ref.op.get_attr("var_key")
        attrs.setdefault("shape", ref.shape)
        attrs.setdefault("dtype", ref.dtype)
    elif state == "var_keys":
        count = ref_input_count(signature(node.op)) if signature(node.op) else 1
        attrs["var_keys"] = tuple(t.op.get_attr("var_key") for t in inputs[:count])
    return inputs


def _without_tf_only_inputs(sg_type: str, node: NodeDef, inputs: list) -> list:
    """The inputs of a node staticgraph wrote, less those it added for TensorFlow (the
    variable of a state op, attributes written as constant inputs)."""
    conv = conversion_for(sg_type)
    positions = [len(inputs) - 1 if p == -1 else p for _, p, _ in conv.const_inputs]
    if node.op == "PadV2":
        positions.append(2)
    if conv.state == "var_key":
        positions.append(0)
    return [t for i, t in enumerate(inputs) if i not in positions]


def _resolve(name: str, prefix: str, input_map: dict, created: dict[str, Operation],
             node: NodeDef) -> tuple[Any, bool]:
    op_name, index, control = parse_input(name)
    key = f"^{op_name}" if control else f"{op_name}:{index}"
    if key in input_map:
        return input_map[key], control
    if op_name not in created:
        raise ValueError(f"Input '{name}' of node '{node.name}' ({node.op}) is not a node of "
                         "the GraphDef nor in input_map")
    op = created[op_name]
    if control:
        return op, True
    if index >= len(op.outputs):
        raise ValueError(f"Node '{node.name}' reads output {index} of '{op_name}', which "
                         f"has {len(op.outputs)} outputs")
    return op.outputs[index], False


def _normalise_input_map(input_map: dict | None) -> dict:
    result = {}
    for key, value in (input_map or {}).items():
        key = str(key)
        if not key.startswith("^") and ":" not in key:
            key += ":0"
        result[key] = value
    return result


def import_graph_def(graph_def: GraphDef, input_map: dict | None = None,
                     return_elements: list | None = None, name: str | None = None,
                     op_dict: Any = None, producer_op_list: Any = None,
                     graph: Graph | None = None) -> list | None:
    """``tf.import_graph_def``: adds the GraphDef's nodes to the default graph under the
    name scope ``name`` (default ``"import"``), reading ``input_map``'s tensors instead of
    the named inputs; returns the ``return_elements`` (op or tensor names) if given."""
    graph = graph or get_default_graph()
    if not isinstance(graph_def, GraphDef):
        graph_def = GraphDef.FromString(graph_def.SerializeToString())
    nodes = list(graph_def.node)
    _check_op_types(nodes)
    prefix = "import" if name is None else name.rstrip("/")
    if prefix:
        prefix = graph.unique_name(prefix, mark_as_used=True) + "/"
    input_map = _normalise_input_map(input_map)
    created: dict[str, Operation] = {}
    with graph.as_default():
        for node in _topological(nodes):
            created[node.name] = _import_node(graph, node, prefix, input_map, created)
    return _return_elements(return_elements, created, graph_def)


def _import_node(graph: Graph, node: NodeDef, prefix: str, input_map: dict,
                 created: dict[str, Operation]) -> Operation:
    sg_type = TF_TYPE_ALIASES.get(node.op, node.op)
    inputs, controls = [], []
    for inp in node.input:
        value, control = _resolve(inp, prefix, input_map, created, node)
        (controls if control else inputs).append(value)
    if SG_ATTRS in node.attr:
        attrs = _sg_attrs(node)
        inputs = _without_tf_only_inputs(sg_type, node, inputs)
    else:
        inputs, attrs = _tf_attrs(node, sg_type, inputs)
        inputs = _state_inputs(sg_type, node, inputs, attrs)
    full_name = prefix + node.name
    if sg_type in SELF_KEYED:
        attrs[SELF_KEYED[sg_type]] = full_name
    if conversion_for(sg_type).state == "var_key" and SG_ATTRS in node.attr and prefix:
        attrs["var_key"] = prefix + attrs["var_key"]
    if conversion_for(sg_type).state == "var_keys" and SG_ATTRS in node.attr and prefix:
        attrs["var_keys"] = tuple(prefix + k for k in attrs["var_keys"])
    with graph.control_dependencies(None), graph.control_dependencies(controls):
        try:
            return apply_op(sg_type, inputs, attrs, name=full_name + "/", graph=graph)
        except (ValueError, TypeError, KeyError) as err:
            raise ValueError(f"Cannot import node '{node.name}' ({node.op}): {err}") from None


def _return_elements(names: list | None, created: dict[str, Operation],
                     graph_def: GraphDef) -> list | None:
    if names is None:
        return None
    result = []
    for item in names:
        op_name, index, _ = parse_input(item)
        if op_name not in created:
            raise ValueError(f"Requested return element '{item}' is not in the GraphDef")
        result.append(created[op_name].outputs[index] if ":" in item else created[op_name])
    return result

"""A staticgraph ``Graph`` as TensorFlow's ``GraphDef`` (``Graph.as_graph_def``).

Each op becomes a ``NodeDef`` with TensorFlow's op type, inputs and attributes
(:mod:`.op_map` lists where they differ; type attributes such as ``T`` follow from the
tensors' dtypes through TensorFlow's op signatures), so TensorFlow imports and runs the
graphs built from ops both have. Ops that exist only here keep their own type names.

Every node also records staticgraph's own attributes, under names starting with
``_sg_`` (TensorFlow ignores attributes whose names start with ``_``), so that a graph
written here imports back here exactly.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core.graph import Graph, Operation, Tensor
from .attr_values import to_attr_value, to_tensor_proto
from .op_map import conversion_for
from .protos import AttrValue, GraphDef, NodeDef, VersionDef, datatype_of
from .tf_ops import derived_attrs, signature

__all__ = ["graph_to_graph_def", "tensor_input_name", "SG_ATTR_PREFIX", "SG_ATTRS",
           "SG_UNEXPORTABLE", "GRAPH_DEF_PRODUCER"]

SG_ATTR_PREFIX = "_sg_"
SG_ATTRS = "_sg_attrs"  # the list of staticgraph's attribute names of a node
SG_UNEXPORTABLE = "_sg_unexportable"  # attributes held as text only (functions, graphs)
GRAPH_DEF_PRODUCER = 2474  # the GraphDef version TensorFlow 2.21 writes


def tensor_input_name(t: Tensor) -> str:
    """``op`` for output 0, ``op:i`` otherwise (how NodeDef inputs name tensors)."""
    return t.op.name if t.value_index == 0 else f"{t.op.name}:{t.value_index}"


def _const_node(name: str, value: np.ndarray) -> NodeDef:
    return NodeDef(name=name, op="Const", attr={
        "value": AttrValue(tensor=to_tensor_proto(value)),
        "dtype": AttrValue(type=datatype_of(value.dtype))})


class _Exporter:
    """Builds the NodeDefs of one graph, keeping added constant names unique."""

    def __init__(self, graph: Graph) -> None:
        self.names = {op.name for op in graph.get_operations()}
        self.nodes: list[NodeDef] = []

    def _unique(self, name: str) -> str:
        candidate, i = name, 1
        while candidate in self.names:
            candidate, i = f"{name}_{i}", i + 1
        self.names.add(candidate)
        return candidate

    def add(self, op: Operation) -> None:
        conv = conversion_for(op.type)
        attrs = dict(op.attrs)
        inputs = [tensor_input_name(t) for t in op.inputs]
        input_dtypes = [t.dtype for t in op.inputs]
        tf_type = op.type
        if conv.state == "var_key":  # TensorFlow's input 0 is the variable itself
            inputs.insert(0, attrs["var_key"])
            input_dtypes.insert(0, attrs["dtype"])
        if op.type == "Pad" and np.any(np.asarray(attrs.get("constant_values", 0)) != 0):
            tf_type = "PadV2"
            value = np.asarray(attrs["constant_values"], dtype=op.inputs[0].dtype.dtype)
            conv_inputs = [("constant_values", 2, value)]
        else:
            conv_inputs = [(a, pos, self._attr_as_array(op, a, dt))
                           for a, pos, dt in conv.const_inputs]
        opdef = signature(tf_type)
        for attr, pos, value in conv_inputs:
            arg = opdef.input_arg[pos].name if opdef is not None else attr
            name = self._unique(f"{op.name}/{arg}")
            self.nodes.append(_const_node(name, value))
            pos = len(inputs) if pos == -1 else pos
            inputs.insert(pos, name)
            input_dtypes.insert(pos, value.dtype)
        node = NodeDef(name=op.name, op=tf_type, device=getattr(op, "device", "") or "")
        node.input.extend(inputs + ["^" + c.name for c in op.control_inputs])
        if opdef is not None:
            for name in conv.attrs + tuple(_SAME_NAME_EXTRA.get(op.type, ())):
                if name in attrs and attrs[name] is not None:
                    node.attr[name].CopyFrom(to_attr_value(attrs[name]))
            for name in conv.window:
                if name in attrs:
                    node.attr[name].CopyFrom(to_attr_value([1, *attrs[name], 1]))
            for name, value in conv.tf_only.items():
                node.attr[name].CopyFrom(to_attr_value(value))
            for name, value in derived_attrs(opdef, input_dtypes,
                                             [t.dtype for t in op.outputs]).items():
                if name not in node.attr:
                    node.attr[name].CopyFrom(value)
        self._record_sg_attrs(node, attrs, written=conv.attrs if opdef is not None else ())
        self.nodes.append(node)

    @staticmethod
    def _attr_as_array(op: Operation, attr: str, dtype: Any) -> np.ndarray:
        value = op.attrs.get(attr)
        if value is None:  # every axis: TensorFlow lists them
            rank = op.inputs[0].shape.ndims
            if rank is None:
                raise ValueError(f"{op.type} op '{op.name}': reducing over every axis of an "
                                 "input of unknown rank has no GraphDef form")
            value = list(range(rank))
        return np.asarray(value, dtype=dtype.dtype)

    @staticmethod
    def _record_sg_attrs(node: NodeDef, attrs: dict, written: tuple[str, ...]) -> None:
        """Lists staticgraph's attributes; those not ``written`` under their own name for
        TensorFlow are stored as ``_sg_<name>`` (large constants are not stored twice)."""
        text_only = []
        for name, value in attrs.items():
            if name in written and name in node.attr:
                continue
            try:
                encoded = to_attr_value(value)
            except TypeError:
                encoded = AttrValue(s=repr(value).encode("utf-8")[:200])
                text_only.append(name)
            node.attr[SG_ATTR_PREFIX + name].CopyFrom(encoded)
        node.attr[SG_ATTRS].CopyFrom(AttrValue(list=AttrValue.ListValue(
            s=[n.encode() for n in attrs])))
        if text_only:
            node.attr[SG_UNEXPORTABLE].CopyFrom(AttrValue(list=AttrValue.ListValue(
                s=[n.encode() for n in text_only])))


# TensorFlow attributes, beyond a conversion's, that mean the same on both sides
_SAME_NAME_EXTRA = {"Cast": ("Truncate",)}


def graph_to_graph_def(graph: Graph, add_shapes: bool = False) -> GraphDef:
    """``graph`` as a ``GraphDef``; with ``add_shapes``, each node lists its outputs'
    static shapes in ``_output_shapes`` (as TensorFlow's ``add_shapes=True``)."""
    from .attr_values import to_shape_proto
    exporter = _Exporter(graph)
    for op in graph.get_operations():
        exporter.add(op)
        if add_shapes:
            exporter.nodes[-1].attr["_output_shapes"].CopyFrom(AttrValue(
                list=AttrValue.ListValue(shape=[to_shape_proto(t.shape)
                                                for t in op.outputs])))
    graph_def = GraphDef(versions=VersionDef(producer=GRAPH_DEF_PRODUCER))
    graph_def.node.extend(exporter.nodes)
    return graph_def

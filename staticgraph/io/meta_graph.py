"""MetaGraphs (``.meta`` files): ``tf.train.export_meta_graph`` and ``import_meta_graph``.

A ``MetaGraphDef`` holds the ``GraphDef`` and the graph's collections: variables as
``VariableDef`` messages, tensors and ops by name, and plain numbers and strings.

``.meta`` files also hold the sub-graph of their ``Saver`` (``SaveV2`` / ``RestoreV2``
and string ops; :mod:`.saver_graph`). staticgraph saves from Python instead, so
importing leaves that sub-graph out; ``tf.train.import_meta_graph`` (in ``train.saver``)
returns a ``Saver`` over the imported variables under the checkpoint keys that
sub-graph names.
"""
from __future__ import annotations

from typing import Any, Iterable

from google.protobuf import text_format
from tensorboard.compat.proto import variable_pb2

from ..core.graph import Graph, GraphKeys, Operation, Tensor, get_default_graph
from ..ops.variables import Variable
from .files import atomic_write_bytes
from .graph_def import graph_to_graph_def
from .graph_util import read_proto_file
from .import_graph import import_graph_def
from .protos import CollectionDef, GraphDef, MetaGraphDef
from .saver_graph import saver_scope

__all__ = ["as_meta_graph", "export_meta_graph", "import_meta_graph_variables",
           "read_meta_graph", "write_meta_graph"]

_VARIABLE_COLLECTIONS = (GraphKeys.GLOBAL_VARIABLES, GraphKeys.TRAINABLE_VARIABLES,
                         GraphKeys.LOCAL_VARIABLES, GraphKeys.MODEL_VARIABLES,
                         "moving_average_variables")


def _variable_def(var: Variable) -> bytes:
    return variable_pb2.VariableDef(
        variable_name=var.name, initializer_name=var.initializer.name,
        snapshot_name=var.name, initial_value_name=var.initial_value.name,
        trainable=var.trainable).SerializeToString()


def _collection_def(items: list) -> CollectionDef | None:
    """The CollectionDef of a collection's items, or None when they have no such form."""
    collection = CollectionDef()
    if all(isinstance(i, Variable) for i in items):
        collection.bytes_list.value.extend(_variable_def(v) for v in items)
    elif all(isinstance(i, (Tensor, Operation)) for i in items):
        collection.node_list.value.extend(i.name for i in items)
    elif all(isinstance(i, bool) is False and isinstance(i, int) for i in items):
        collection.int64_list.value.extend(items)
    elif all(isinstance(i, float) for i in items):
        collection.float_list.value.extend(items)
    elif all(isinstance(i, (str, bytes)) for i in items):
        collection.bytes_list.value.extend(i.encode() if isinstance(i, str) else i
                                           for i in items)
    else:
        return None
    return collection


def export_meta_graph(filename: str | None = None, meta_info_def: Any = None,
                      graph_def: Any = None, saver_def: Any = None,
                      collection_list: Iterable[str] | None = None, as_text: bool = False,
                      graph: Graph | None = None, export_scope: str | None = None,
                      clear_devices: bool = False, clear_extraneous_savers: bool = False,
                      strip_default_attrs: bool = False, save_debug_info: bool = False,
                      **kwargs: Any) -> MetaGraphDef:
    """``tf.train.export_meta_graph``: the graph and its collections as a
    ``MetaGraphDef``, also written to ``filename`` when given (text with ``as_text``)."""
    graph = graph or get_default_graph()
    meta = MetaGraphDef()
    if meta_info_def is not None:
        meta.meta_info_def.MergeFromString(meta_info_def.SerializeToString())
    meta.graph_def.CopyFrom(graph_def if graph_def is not None else graph_to_graph_def(graph))
    if clear_devices:
        for node in meta.graph_def.node:
            node.device = ""
    keys = collection_list if collection_list is not None else \
        graph.get_all_collection_keys()
    for key in keys:
        collection = _collection_def(graph.get_collection(key))
        if collection is not None:
            meta.collection_def[key].CopyFrom(collection)
    if filename:
        write_meta_graph(str(filename), meta, as_text)
    return meta


def write_meta_graph(filename: str, meta: MetaGraphDef, as_text: bool = False) -> None:
    """Writes ``meta`` to ``filename`` atomically (text format with ``as_text``)."""
    data = text_format.MessageToString(meta).encode() if as_text else meta.SerializeToString()
    atomic_write_bytes(filename, data)


def read_meta_graph(path: str) -> MetaGraphDef:
    """The ``MetaGraphDef`` of a binary or text ``.meta`` file."""
    return read_proto_file(path, MetaGraphDef, "MetaGraphDef",
                           lambda m: m.HasField("graph_def"))


def as_meta_graph(meta_graph_or_file: Any) -> MetaGraphDef:
    """A ``MetaGraphDef`` given as one (ours or TensorFlow's message) or as a file."""
    if isinstance(meta_graph_or_file, MetaGraphDef):
        return meta_graph_or_file
    if hasattr(meta_graph_or_file, "SerializeToString"):
        return MetaGraphDef.FromString(meta_graph_or_file.SerializeToString())
    return read_meta_graph(str(meta_graph_or_file))


def _without_saver(meta: MetaGraphDef) -> GraphDef:
    """The GraphDef less the Saver sub-graph (the scope of its tensors)."""
    graph_def = GraphDef()
    graph_def.CopyFrom(meta.graph_def)
    scope = saver_scope(meta)
    if scope is None:
        return graph_def
    kept = [n for n in graph_def.node if not n.name.startswith(scope + "/")]
    del graph_def.node[:]
    graph_def.node.extend(kept)
    return graph_def


def _variable_from_def(graph: Graph, raw: bytes, prefix: str) -> Variable:
    """A ``Variable`` over the imported ops a ``VariableDef`` names."""
    vdef = variable_pb2.VariableDef.FromString(raw)
    var = Variable.__new__(Variable)
    var._variable = graph.get_tensor_by_name(prefix + vdef.variable_name)
    if var._variable.op.type != "VariableV2":
        raise ValueError(f"Collection variable {vdef.variable_name} is a "
                         f"{var._variable.op.type} op; staticgraph imports VariableV2 ones "
                         "(TF1's tf.disable_resource_variables())")
    var._initializer_op = graph.get_operation_by_name(prefix + vdef.initializer_name)
    var._initial_value = graph.get_tensor_by_name(prefix + (vdef.initial_value_name or
                                                            vdef.variable_name))
    var._trainable = vdef.trainable
    var._constraint = None
    return var


def _restore_collections(graph: Graph, meta: MetaGraphDef, prefix: str) -> list[Variable]:
    variables: dict[str, Variable] = {}
    for key, collection in meta.collection_def.items():
        kind = collection.WhichOneof("kind")
        if key in _VARIABLE_COLLECTIONS and kind == "bytes_list":
            for raw in collection.bytes_list.value:
                name = variable_pb2.VariableDef.FromString(raw).variable_name
                if name not in variables:
                    variables[name] = _variable_from_def(graph, raw, prefix)
                graph.add_to_collection(key, variables[name])
        elif kind == "node_list":
            for name in collection.node_list.value:
                graph.add_to_collection(key, graph.as_graph_element(prefix + name))
        elif kind in ("int64_list", "float_list", "bytes_list"):
            for value in getattr(collection, kind).value:
                graph.add_to_collection(key, value)
    return list(variables.values())


def import_meta_graph_variables(meta_graph_or_file: Any, clear_devices: bool = False,
                                import_scope: str | None = None,
                                input_map: dict | None = None) -> list[Variable]:
    """Adds the MetaGraph's graph and collections to the default graph; returns its
    variables (``tf.train.import_meta_graph`` wraps them in a ``Saver``)."""
    meta = as_meta_graph(meta_graph_or_file)
    graph = get_default_graph()
    prefix = f"{import_scope.rstrip('/')}/" if import_scope else ""
    graph_def = _without_saver(meta)
    if clear_devices:
        for node in graph_def.node:
            node.device = ""
    import_graph_def(graph_def, input_map=input_map, name=prefix.rstrip("/"), graph=graph)
    return _restore_collections(graph, meta, prefix)

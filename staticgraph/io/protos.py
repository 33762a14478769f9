"""TensorFlow's protocol buffer messages, as this package uses them.

Most messages come compiled from TensorBoard's copy of TensorFlow's definitions
(``tensorboard.compat.proto``: same field numbers, so the same bytes on the wire). The
few that TensorBoard does not ship — the tensor bundle's ``BundleHeaderProto`` and
``BundleEntryProto`` (the ``.index`` entries of a V2 checkpoint), ``TensorSliceProto`` and
``CheckpointState`` (the text ``checkpoint`` file) — are built here from their published
schema with protobuf's descriptor API; protobuf does all encoding and decoding.

Also the mapping between NumPy dtypes and TensorFlow's ``DataType`` enum.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from tensorboard.compat.proto import (attr_value_pb2, event_pb2, function_pb2, graph_pb2,
                                      meta_graph_pb2, node_def_pb2, saver_pb2,
                                      summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2,
                                      versions_pb2)

__all__ = ["AttrValue", "BundleEntryProto", "BundleHeaderProto", "CheckpointState",
           "Event", "GraphDef", "HistogramProto", "LogMessage", "MetaGraphDef", "NameAttrList",
           "NodeDef", "SaverDef", "SessionLog", "Summary", "SummaryMetadata", "TensorInfo",
           "TensorProto", "TensorShapeProto", "VersionDef", "datatype_of", "numpy_dtype_of",
           "dtype_name_of"]

AttrValue = attr_value_pb2.AttrValue
Event = event_pb2.Event
FunctionDefLibrary = function_pb2.FunctionDefLibrary
GraphDef = graph_pb2.GraphDef
HistogramProto = summary_pb2.HistogramProto
LogMessage = event_pb2.LogMessage
NameAttrList = attr_value_pb2.NameAttrList
SessionLog = event_pb2.SessionLog
TensorInfo = meta_graph_pb2.TensorInfo
MetaGraphDef = meta_graph_pb2.MetaGraphDef
CollectionDef = meta_graph_pb2.CollectionDef
NodeDef = node_def_pb2.NodeDef
SaverDef = saver_pb2.SaverDef
Summary = summary_pb2.Summary
SummaryMetadata = summary_pb2.SummaryMetadata
TensorProto = tensor_pb2.TensorProto
TensorShapeProto = tensor_shape_pb2.TensorShapeProto
VersionDef = versions_pb2.VersionDef
DataType = types_pb2.DataType

_F = descriptor_pb2.FieldDescriptorProto


def field_spec(name: str, number: int, kind: int, *, repeated: bool = False,
           type_name: str | None = None, oneof: int | None = None) -> dict:
    spec: dict[str, Any] = {"name": name, "number": number, "type": kind,
                            "label": _F.LABEL_REPEATED if repeated else _F.LABEL_OPTIONAL}
    if type_name is not None:
        spec["type_name"] = type_name
    if oneof is not None:
        spec["oneof_index"] = oneof
    return spec


def _build_file() -> descriptor_pb2.FileDescriptorProto:
    """The schema of tensor_bundle.proto, tensor_slice.proto and checkpoint_state.proto
    (field names and numbers as TensorFlow publishes them)."""
    tb = "." + types_pb2.DESCRIPTOR.package  # "tensorboard": where DataType etc. live
    f = descriptor_pb2.FileDescriptorProto(
        name="staticgraph/io/tensor_bundle.proto", package="staticgraph.tf", syntax="proto3",
        dependency=[types_pb2.DESCRIPTOR.name, tensor_shape_pb2.DESCRIPTOR.name,
                    versions_pb2.DESCRIPTOR.name])
    extent = descriptor_pb2.DescriptorProto(name="Extent", field=[
        _F(**field_spec("start", 1, _F.TYPE_INT64)),
        _F(**field_spec("length", 2, _F.TYPE_INT64, oneof=0))],
        oneof_decl=[descriptor_pb2.OneofDescriptorProto(name="has_length")])
    f.message_type.add(name="TensorSliceProto", nested_type=[extent], field=[
        _F(**field_spec("extent", 1, _F.TYPE_MESSAGE, repeated=True,
                    type_name=".staticgraph.tf.TensorSliceProto.Extent"))])
    header = f.message_type.add(name="BundleHeaderProto", field=[
        _F(**field_spec("num_shards", 1, _F.TYPE_INT32)),
        _F(**field_spec("endianness", 2, _F.TYPE_ENUM,
                    type_name=".staticgraph.tf.BundleHeaderProto.Endianness")),
        _F(**field_spec("version", 3, _F.TYPE_MESSAGE, type_name=tb + ".VersionDef"))])
    header.enum_type.add(name="Endianness", value=[
        descriptor_pb2.EnumValueDescriptorProto(name="LITTLE", number=0),
        descriptor_pb2.EnumValueDescriptorProto(name="BIG", number=1)])
    f.message_type.add(name="BundleEntryProto", field=[
        _F(**field_spec("dtype", 1, _F.TYPE_ENUM, type_name=tb + ".DataType")),
        _F(**field_spec("shape", 2, _F.TYPE_MESSAGE, type_name=tb + ".TensorShapeProto")),
        _F(**field_spec("shard_id", 3, _F.TYPE_INT32)),
        _F(**field_spec("offset", 4, _F.TYPE_INT64)),
        _F(**field_spec("size", 5, _F.TYPE_INT64)),
        _F(**field_spec("crc32c", 6, _F.TYPE_FIXED32)),
        _F(**field_spec("slices", 7, _F.TYPE_MESSAGE, repeated=True,
                    type_name=".staticgraph.tf.TensorSliceProto"))])
    f.message_type.add(name="CheckpointState", field=[
        _F(**field_spec("model_checkpoint_path", 1, _F.TYPE_STRING)),
        _F(**field_spec("all_model_checkpoint_paths", 2, _F.TYPE_STRING, repeated=True)),
        _F(**field_spec("all_model_checkpoint_timestamps", 3, _F.TYPE_DOUBLE, repeated=True)),
        _F(**field_spec("last_preserved_timestamp", 4, _F.TYPE_DOUBLE))])
    return f


def _messages() -> dict[str, Any]:
    pool = descriptor_pool.Default()
    try:
        file_desc = pool.FindFileByName("staticgraph/io/tensor_bundle.proto")
    except KeyError:
        file_desc = pool.Add(_build_file())
    return message_factory.GetMessageClassesForFiles([file_desc.name], pool)


_CLASSES = _messages()
BundleHeaderProto = _CLASSES["staticgraph.tf.BundleHeaderProto"]
BundleEntryProto = _CLASSES["staticgraph.tf.BundleEntryProto"]
TensorSliceProto = _CLASSES["staticgraph.tf.TensorSliceProto"]
CheckpointState = _CLASSES["staticgraph.tf.CheckpointState"]

# -- dtypes ------------------------------------------------------------------------------

_NUMPY_OF_DATATYPE = {
    types_pb2.DT_FLOAT: np.float32, types_pb2.DT_DOUBLE: np.float64,
    types_pb2.DT_HALF: np.float16, types_pb2.DT_INT8: np.int8, types_pb2.DT_INT16: np.int16,
    types_pb2.DT_INT32: np.int32, types_pb2.DT_INT64: np.int64,
    types_pb2.DT_UINT8: np.uint8, types_pb2.DT_UINT16: np.uint16,
    types_pb2.DT_UINT32: np.uint32, types_pb2.DT_UINT64: np.uint64,
    types_pb2.DT_BOOL: np.bool_, types_pb2.DT_COMPLEX64: np.complex64,
    types_pb2.DT_COMPLEX128: np.complex128,
}
_DATATYPE_OF_NUMPY = {np.dtype(v): k for k, v in _NUMPY_OF_DATATYPE.items()}


def datatype_of(dtype: Any) -> int:
    """TensorFlow's ``DataType`` enum value for a NumPy (or staticgraph) dtype."""
    np_dtype = np.dtype(getattr(dtype, "dtype", dtype))
    if np_dtype == np.dtype(object):  # staticgraph's tf.string: arrays of bytes
        return types_pb2.DT_STRING
    try:
        return _DATATYPE_OF_NUMPY[np_dtype]
    except KeyError:
        raise TypeError(f"dtype {np_dtype} has no TensorFlow DataType") from None


def numpy_dtype_of(datatype: int, where: str) -> np.dtype:
    """The NumPy dtype of a ``DataType`` enum value; ``where`` names the file or node."""
    base = datatype - 100 if datatype > 100 else datatype  # reference types (DT_FLOAT_REF)
    if base == types_pb2.DT_STRING:
        return np.dtype(object)
    try:
        return np.dtype(_NUMPY_OF_DATATYPE[base])
    except KeyError:
        raise TypeError(f"{where}: dtype {dtype_name_of(datatype)} is not supported "
                        "by staticgraph") from None


def dtype_name_of(datatype: int) -> str:
    """``DT_FLOAT`` etc., or the number when the enum has no such value."""
    try:
        return types_pb2.DataType.Name(datatype)
    except ValueError:
        return str(datatype)

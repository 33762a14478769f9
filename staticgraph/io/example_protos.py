"""``tf.train.Example`` and its parts, built from TensorFlow's published schema
(``example.proto`` and ``feature.proto``, package ``tensorflow``) with protobuf's
descriptor API: same message names, field names and numbers, so the same bytes on the
wire as TensorFlow's own classes. TensorBoard does not ship these two files.
"""
from __future__ import annotations

from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

__all__ = ["BytesList", "FloatList", "Int64List", "Feature", "Features", "FeatureList",
           "FeatureLists", "Example", "SequenceExample"]

_F = descriptor_pb2.FieldDescriptorProto
_FILE = "staticgraph/io/example.proto"


def _field(name: str, number: int, kind: int, label: int = _F.LABEL_OPTIONAL,
           type_name: str | None = None, oneof: int | None = None) -> _F:
    field = _F(name=name, number=number, type=kind, label=label)
    if type_name:
        field.type_name = ".tensorflow." + type_name
    if oneof is not None:
        field.oneof_index = oneof
    return field


def _map(message: Any, field: str, entry: str, value_type: str) -> None:
    """A ``map<string, value_type>`` field numbered 1, as protoc spells maps."""
    nested = message.nested_type.add(name=entry)
    nested.options.map_entry = True
    nested.field.extend([_field("key", 1, _F.TYPE_STRING),
                         _field("value", 2, _F.TYPE_MESSAGE, type_name=value_type)])
    message.field.append(_field(field, 1, _F.TYPE_MESSAGE, _F.LABEL_REPEATED,
                                f"{message.name}.{entry}"))


def _build_file() -> descriptor_pb2.FileDescriptorProto:
    f = descriptor_pb2.FileDescriptorProto(name=_FILE, package="tensorflow", syntax="proto3")
    for name, kind in (("BytesList", _F.TYPE_BYTES), ("FloatList", _F.TYPE_FLOAT),
                       ("Int64List", _F.TYPE_INT64)):
        f.message_type.add(name=name, field=[_field("value", 1, kind, _F.LABEL_REPEATED)])
    feature = f.message_type.add(name="Feature", field=[
        _field("bytes_list", 1, _F.TYPE_MESSAGE, type_name="BytesList", oneof=0),
        _field("float_list", 2, _F.TYPE_MESSAGE, type_name="FloatList", oneof=0),
        _field("int64_list", 3, _F.TYPE_MESSAGE, type_name="Int64List", oneof=0)])
    feature.oneof_decl.add(name="kind")
    _map(f.message_type.add(name="Features"), "feature", "FeatureEntry", "Feature")
    f.message_type.add(name="FeatureList", field=[
        _field("feature", 1, _F.TYPE_MESSAGE, _F.LABEL_REPEATED, "Feature")])
    _map(f.message_type.add(name="FeatureLists"), "feature_list", "FeatureListEntry",
         "FeatureList")
    f.message_type.add(name="Example", field=[
        _field("features", 1, _F.TYPE_MESSAGE, type_name="Features")])
    f.message_type.add(name="SequenceExample", field=[
        _field("context", 1, _F.TYPE_MESSAGE, type_name="Features"),
        _field("feature_lists", 2, _F.TYPE_MESSAGE, type_name="FeatureLists")])
    return f


def _classes() -> dict[str, Any]:
    # A pool of our own: TensorFlow registers tensorflow.Example & co. in the default pool
    # when it is imported, and two definitions of one name there make the second import
    # fail, so a process can import staticgraph and TensorFlow in either order.
    pool = descriptor_pool.DescriptorPool()
    file_desc = pool.Add(_build_file())
    return message_factory.GetMessageClassesForFiles([file_desc.name], pool)


_CLASSES = _classes()
BytesList = _CLASSES["tensorflow.BytesList"]
FloatList = _CLASSES["tensorflow.FloatList"]
Int64List = _CLASSES["tensorflow.Int64List"]
Feature = _CLASSES["tensorflow.Feature"]
Features = _CLASSES["tensorflow.Features"]
FeatureList = _CLASSES["tensorflow.FeatureList"]
FeatureLists = _CLASSES["tensorflow.FeatureLists"]
Example = _CLASSES["tensorflow.Example"]
SequenceExample = _CLASSES["tensorflow.SequenceExample"]

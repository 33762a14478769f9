"""Converting between staticgraph's values and TensorFlow's ``AttrValue``, ``TensorProto``
and ``TensorShapeProto`` messages."""
from __future__ import annotations

from typing import Any

import numpy as np
from tensorboard.compat.proto import types_pb2

from ..core import dtypes
from ..core.shapes import TensorShape
from .protos import (AttrValue, TensorProto, TensorShapeProto, datatype_of, dtype_name_of,
                     numpy_dtype_of)

__all__ = ["to_tensor_proto", "from_tensor_proto", "to_shape_proto", "from_shape_proto",
           "to_attr_value", "from_attr_value"]

# the repeated field of TensorProto that holds values of each dtype when tensor_content
# is not used
_VALUE_FIELDS = {np.dtype(k): v for k, v in [
    (np.float16, "half_val"), (np.float32, "float_val"), (np.float64, "double_val"),
    (np.int8, "int_val"), (np.int16, "int_val"), (np.int32, "int_val"),
    (np.uint8, "int_val"), (np.uint16, "int_val"), (np.int64, "int64_val"),
    (np.uint32, "uint32_val"), (np.uint64, "uint64_val"), (np.bool_, "bool_val"),
    (np.complex64, "scomplex_val"), (np.complex128, "dcomplex_val")]}


def to_shape_proto(shape: TensorShape) -> TensorShapeProto:
    """``TensorShapeProto`` of a (partially known) shape; unknown dimensions are -1."""
    if shape.ndims is None:
        return TensorShapeProto(unknown_rank=True)
    return TensorShapeProto(dim=[TensorShapeProto.Dim(size=-1 if d is None else int(d))
                                 for d in shape.as_list()])


def from_shape_proto(proto: TensorShapeProto) -> TensorShape:
    """The ``TensorShape`` of a ``TensorShapeProto``."""
    if proto.unknown_rank:
        return TensorShape(None)
    return TensorShape([None if d.size < 0 else d.size for d in proto.dim])


def to_tensor_proto(value: Any) -> TensorProto:
    """The ``TensorProto`` of an array (its bytes in ``tensor_content``; strings, as
    bytes, in ``string_val``)."""
    array = np.asarray(value)
    is_string = array.dtype.kind in "OSU"
    proto = TensorProto(dtype=types_pb2.DT_STRING if is_string else datatype_of(array.dtype),
                        tensor_shape=to_shape_proto(TensorShape(list(array.shape))))
    if is_string:  # one string_val per element
        proto.string_val.extend(v if isinstance(v, bytes) else str(v).encode("utf-8")
                                for v in array.ravel())
        return proto
    proto.tensor_content = np.asarray(array, dtype=array.dtype.newbyteorder("<"),
                                      order="C").tobytes()
    return proto


def from_tensor_proto(proto: TensorProto, where: str) -> np.ndarray:
    """The array a ``TensorProto`` holds; ``where`` names the node in errors. As in
    TensorFlow, fewer listed values than elements repeat the last one."""
    dtype = numpy_dtype_of(proto.dtype, where)
    shape = from_shape_proto(proto.tensor_shape)
    if not shape.is_fully_defined():
        raise ValueError(f"{where}: a constant tensor needs a known shape, got {shape}")
    dims = tuple(shape.as_list())
    size = int(np.prod(dims))
    if proto.dtype == types_pb2.DT_STRING:
        strings = list(proto.string_val)
        if len(strings) > size:
            raise ValueError(f"{where}: {len(strings)} strings for shape {list(dims)}")
        flat = np.empty(size, dtype=object)
        flat[:len(strings)] = strings
        flat[len(strings):] = strings[-1] if strings else b""
        return flat.reshape(dims)
    if proto.tensor_content:
        flat = np.frombuffer(proto.tensor_content, dtype=dtype.newbyteorder("<"))
        if flat.size != size:
            raise ValueError(f"{where}: tensor_content holds {flat.size} values of "
                             f"{dtype_name_of(proto.dtype)}, shape {list(dims)} needs {size}")
        return flat.astype(dtype).reshape(dims)
    field = _VALUE_FIELDS[dtype]
    values = list(getattr(proto, field))
    if field == "half_val":
        flat = np.array(values, dtype=np.uint16).view(np.float16)
    elif dtype.kind == "c":
        pairs = np.array(values, dtype=np.float64).reshape(-1, 2)
        flat = (pairs[:, 0] + 1j * pairs[:, 1]).astype(dtype)
    else:
        flat = np.array(values, dtype=dtype)
    if flat.size > size:
        raise ValueError(f"{where}: {flat.size} values for shape {list(dims)}")
    if flat.size < size:
        fill = flat[-1] if flat.size else np.zeros((), dtype)
        flat = np.concatenate([flat, np.full(size - flat.size, fill, dtype)])
    return flat.reshape(dims)


def to_attr_value(value: Any) -> AttrValue:
    """The ``AttrValue`` of a staticgraph attribute (None gives an empty one)."""
    if value is None:
        return AttrValue()
    if isinstance(value, AttrValue):
        return value
    if isinstance(value, dtypes.DType):
        return AttrValue(type=datatype_of(value))
    if isinstance(value, TensorShape):
        return AttrValue(shape=to_shape_proto(value))
    if isinstance(value, (bool, np.bool_)):
        return AttrValue(b=bool(value))
    if isinstance(value, (int, np.integer)):
        return AttrValue(i=int(value))
    if isinstance(value, (float, np.floating)):
        return AttrValue(f=float(value))
    if isinstance(value, str):
        return AttrValue(s=value.encode("utf-8"))
    if isinstance(value, bytes):
        return AttrValue(s=value)
    if isinstance(value, np.ndarray):
        return AttrValue(tensor=to_tensor_proto(value))
    if isinstance(value, (list, tuple)):
        return _list_attr(value)
    raise TypeError(f"an attribute value of type {type(value).__name__} has no AttrValue")


def _list_attr(values: list | tuple) -> AttrValue:
    attr = AttrValue(list=AttrValue.ListValue())
    items = list(values)
    if all(isinstance(v, (bool, np.bool_)) for v in items) and items:
        attr.list.b.extend(bool(v) for v in items)
    elif all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in items):
        attr.list.i.extend(int(v) for v in items)
    elif all(isinstance(v, (float, int, np.floating)) for v in items):
        attr.list.f.extend(float(v) for v in items)
    elif all(isinstance(v, str) for v in items):
        attr.list.s.extend(v.encode("utf-8") for v in items)
    elif all(isinstance(v, dtypes.DType) for v in items):
        attr.list.type.extend(datatype_of(v) for v in items)
    elif all(isinstance(v, TensorShape) for v in items):
        attr.list.shape.extend(to_shape_proto(v) for v in items)
    else:
        raise TypeError(f"a list attribute of mixed or unsupported values: {values!r:.80}")
    return attr


def from_attr_value(attr: AttrValue, where: str) -> Any:
    """The Python value of an ``AttrValue`` (lists become tuples; strings ``str``)."""
    kind = attr.WhichOneof("value")
    if kind is None:
        return None
    if kind == "s":
        try:
            return attr.s.decode("utf-8")
        except UnicodeDecodeError:
            return attr.s
    if kind in ("i", "f", "b"):
        return getattr(attr, kind)
    if kind == "type":
        return dtypes.as_dtype(numpy_dtype_of(attr.type, where))
    if kind == "shape":
        return from_shape_proto(attr.shape)
    if kind == "tensor":
        return from_tensor_proto(attr.tensor, where)
    if kind == "list":
        lst = attr.list
        for name in ("i", "f", "b"):
            if len(getattr(lst, name)):
                return tuple(getattr(lst, name))
        if len(lst.s):
            return tuple(s.decode("utf-8", "replace") for s in lst.s)
        if len(lst.type):
            return tuple(dtypes.as_dtype(numpy_dtype_of(t, where)) for t in lst.type)
        if len(lst.shape):
            return tuple(from_shape_proto(s) for s in lst.shape)
        return ()
    raise ValueError(f"{where}: attribute kind {kind!r} is not supported")

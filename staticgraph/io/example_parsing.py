"""``tf.parse_example``, ``tf.parse_single_example`` and
``tf.parse_single_sequence_example``: serialized ``tf.train.Example`` /
``SequenceExample`` protos to tensors, per a dict of feature configurations.

* ``FixedLenFeature(shape, dtype, default_value)``: a dense ``[batch] + shape`` tensor;
  a missing feature takes the default (required when there is none).
* ``VarLenFeature(dtype)``: a ``tf.SparseTensor`` of shape ``[batch, max count]``.
* ``FixedLenSequenceFeature(shape, dtype, allow_missing, default_value)``: a dense
  ``[batch, max rows] + shape`` tensor, shorter rows padded with the default (0 or
  ``b""`` when none).

dtypes are int64, float32 and string (TF's three list types). One ``ParseExample`` op
parses the batch; a sparse result is three of its outputs (indices, values, shape).
"""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError
from ..core.registry import define_op
from ..core.shapes import TensorShape, as_shape
from ..ops.framework import apply_op, convert_to_tensor
from ..ops.sparse_tensor import SparseTensor
from .example_protos import Example, SequenceExample
from .io_ops import as_bytes, string_array

__all__ = ["FixedLenFeature", "VarLenFeature", "FixedLenSequenceFeature", "parse_example",
           "parse_single_example", "parse_single_sequence_example"]

_KINDS = {dtypes.int64: "int64_list", dtypes.float32: "float_list",
          dtypes.string: "bytes_list"}


class FixedLenFeature(NamedTuple):
    """A feature of a fixed ``shape`` (``tf.FixedLenFeature``)."""
    shape: Any
    dtype: Any
    default_value: Any = None


class VarLenFeature(NamedTuple):
    """A feature of any number of values, parsed to a sparse tensor."""
    dtype: Any


class FixedLenSequenceFeature(NamedTuple):
    """A feature of any number of rows of a fixed ``shape``, padded to the longest."""
    shape: Any
    dtype: Any
    allow_missing: bool = False
    default_value: Any = None


class _Spec(NamedTuple):
    """One feature as the op sees it: ``kind`` is ``dense``, ``sparse`` or ``seq``."""
    key: str
    kind: str
    dtype: dtypes.DType
    shape: tuple
    default: Any


def _spec(key: str, feature: Any) -> _Spec:
    dtype = dtypes.as_dtype(feature.dtype)
    if dtype not in _KINDS:
        raise ValueError(f"feature {key!r}: dtype must be int64, float32 or string, got "
                         f"{dtype.name}")
    np_type = object if dtype == dtypes.string else dtype.dtype
    if isinstance(feature, VarLenFeature):
        return _Spec(key, "sparse", dtype, (), None)
    shape = as_shape(feature.shape)
    if not shape.is_fully_defined():
        raise ValueError(f"feature {key!r}: shape must be fully defined, got {shape}")
    dims = tuple(shape.as_list())
    if isinstance(feature, FixedLenSequenceFeature):
        pad = np.zeros((), np_type) if dtype != dtypes.string else b""
        if feature.default_value is not None:
            pad = np.asarray(feature.default_value, dtype=np_type)
        return _Spec(key, "seq", dtype, dims, pad)
    if not isinstance(feature, FixedLenFeature):
        raise TypeError(f"feature {key!r}: unsupported configuration {feature!r}")
    default = None
    if feature.default_value is not None:
        raw = np.asarray(feature.default_value, dtype=np_type)
        if raw.size != int(np.prod(dims)):
            raise ValueError(f"feature {key!r}: default_value of shape {raw.shape} does not "
                             f"fit shape {list(dims)}")
        default = raw.reshape(dims)
    return _Spec(key, "dense", dtype, dims, default)


def _values(feature: Any, spec: _Spec, where: str) -> np.ndarray:
    """The values of one ``Feature`` proto, checked against the spec's dtype."""
    kind = feature.WhichOneof("kind")
    if kind is None:
        return np.zeros((0,), object if spec.dtype == dtypes.string else spec.dtype.dtype)
    if kind != _KINDS[spec.dtype]:
        raise InvalidArgumentError(None, None, f"{where}: feature {spec.key!r}: data types "
                                   f"don't match: expected {_KINDS[spec.dtype]}, got {kind}")
    values = list(getattr(feature, kind).value)
    if spec.dtype == dtypes.string:
        return string_array(values, (len(values),))
    return np.array(values, dtype=spec.dtype.dtype)


def _empty(spec: _Spec, shape: tuple) -> np.ndarray:
    if spec.dtype == dtypes.string:
        return string_array([spec.default if spec.kind == "seq" else b""] *
                            int(np.prod(shape)), shape)
    return np.full(shape, spec.default if spec.kind == "seq" else 0, spec.dtype.dtype)


def _rows(found: list, spec: _Spec, where: str) -> list:
    """Per example, the values reshaped to ``[-1] + shape`` (a seq feature's rows)."""
    per_row = int(np.prod(spec.shape))
    out = []
    for i, values in enumerate(found):
        values = _empty(spec, (0,)) if values is None else values
        if per_row == 0 or values.size % per_row:
            raise InvalidArgumentError(None, None, f"{where} {i}: feature {spec.key!r} "
                                       f"has {values.size} values, not a multiple of the "
                                       f"{per_row} of shape {list(spec.shape)}")
        out.append(values.reshape((-1,) + spec.shape))
    return out


def _dense(found: list, spec: _Spec, where: str) -> np.ndarray:
    size = int(np.prod(spec.shape))
    parts = []
    for i, values in enumerate(found):
        if values is None:
            if spec.default is None:
                raise InvalidArgumentError(None, None, f"{where} {i}: feature {spec.key!r} "
                                           f"({spec.dtype.name}) is required but could "
                                           "not be found")
            parts.append(spec.default)
        elif values.size != size:
            raise InvalidArgumentError(None, None, f"{where} {i}: feature {spec.key!r}: "
                                       f"{values.size} {spec.dtype.name} values, shape "
                                       f"{list(spec.shape)} needs {size}")
        else:
            parts.append(values.reshape(spec.shape))
    out = _empty(spec, (len(parts),) + spec.shape)
    for i, part in enumerate(parts):
        out[i] = part
    return out


def _padded(found: list, spec: _Spec, where: str) -> np.ndarray:
    rows = _rows(found, spec, where)
    longest = max((len(r) for r in rows), default=0)
    out = _empty(spec, (len(rows), longest) + spec.shape)
    for i, r in enumerate(rows):
        out[i, :len(r)] = r
    return out


def _sparse(found: list, spec: _Spec) -> tuple:
    lists = [v if v is not None else _empty(spec, (0,)) for v in found]
    indices = [(i, j) for i, v in enumerate(lists) for j in range(v.size)]
    values = (np.concatenate(lists) if lists else _empty(spec, (0,)))
    longest = max((v.size for v in lists), default=0)
    return (np.array(indices, np.int64).reshape(-1, 2), values,
            np.array([len(lists), longest], np.int64))


def _outputs(found: dict, specs: tuple, where: str) -> list:
    out: list = []
    for spec in specs:
        column = found[spec.key]
        if spec.kind == "dense":
            out.append(_dense(column, spec, where))
        elif spec.kind == "seq":
            out.append(_padded(column, spec, where))
        else:
            out.extend(_sparse(column, spec))
    return out


def _results(out: list) -> Any:
    """A kernel's return value: the array of a one-output op, else a tuple."""
    return out[0] if len(out) == 1 else tuple(out)


def _parse(cls: Any, data: Any, where: str) -> Any:
    try:
        return cls.FromString(as_bytes(data))
    except Exception as err:  # protobuf's DecodeError
        raise InvalidArgumentError(None, None, f"{where}: could not parse a serialized "
                                   f"{cls.__name__}: {err}") from None


def _parse_example_kernel(serialized: Any, *, specs: tuple, single: bool) -> tuple:
    items = np.asarray(serialized, dtype=object).ravel()
    protos = [_parse(Example, s, f"parse_example: example {i}") for i, s in enumerate(items)]
    found = {spec.key: [_values(p.features.feature[spec.key], spec,
                                f"parse_example: example {i}")
                        if spec.key in p.features.feature else None
                        for i, p in enumerate(protos)] for spec in specs}
    out = _outputs(found, specs, "parse_example: example")
    if single:
        out = _drop_batch(out, specs)
    return _results(out)


def _drop_batch(out: list, specs: tuple) -> list:
    """Outputs of a batch of one, as for one example (no batch dimension)."""
    it, result = iter(out), []
    for spec in specs:
        if spec.kind == "sparse":
            indices, values, shape = next(it), next(it), next(it)
            result.extend([indices[:, 1:], values, shape[1:]])
        else:
            result.append(next(it)[0])
    return result


def _output_specs(specs: tuple, batch: list) -> list:
    out: list = []
    for spec in specs:
        if spec.kind == "dense":
            out.append((TensorShape(batch + list(spec.shape)), spec.dtype))
        elif spec.kind == "seq":
            out.append((TensorShape(batch + [None] + list(spec.shape)), spec.dtype))
        else:
            out.extend([(TensorShape([None, len(batch) + 1]), dtypes.int64),
                        (TensorShape([None]), spec.dtype),
                        (TensorShape([len(batch) + 1]), dtypes.int64)])
    return out


def _parse_example_shape(inputs: list, attrs: dict) -> list:
    serialized = inputs[0]
    rank = 0 if attrs["single"] else 1
    if serialized.dtype != dtypes.string or not serialized.shape.is_compatible_with(
            TensorShape([None] * rank)):
        raise ValueError(f"parse_example: serialized must be a string "
                         f"{'scalar' if rank == 0 else 'vector'}, got {serialized.name} of "
                         f"{serialized.dtype.name} {serialized.shape}")
    batch = [] if rank == 0 else [serialized.shape[0] if serialized.shape.ndims else None]
    return _output_specs(attrs["specs"], batch)


define_op("ParseExample", kernel=_parse_example_kernel, shape_fn=_parse_example_shape,
          view_of={}, doc="Parses serialized tf.train.Example protos into tensors.")


def _specs(features: dict, what: str, allow_seq_missing: bool = False) -> tuple:
    if not isinstance(features, dict) or not features:
        raise ValueError(f"{what}: features must be a non-empty dict, got {features!r}")
    specs = tuple(_spec(key, features[key]) for key in sorted(features))
    for key in sorted(features):
        feature = features[key]
        if (isinstance(feature, FixedLenSequenceFeature) and not feature.allow_missing
                and not allow_seq_missing):
            raise ValueError(f"{what}: FixedLenSequenceFeature {key!r} requires "
                             "allow_missing=True")
    return specs


def _pack(outputs: list, specs: tuple) -> dict:
    it, result = iter(outputs), {}
    for spec in specs:
        if spec.kind == "sparse":
            result[spec.key] = SparseTensor(next(it), next(it), next(it))
        else:
            result[spec.key] = next(it)
    return result


def _parse_op(serialized: Any, features: dict, single: bool, name: str | None,
              what: str) -> dict:
    specs = _specs(features, what)
    op = apply_op("ParseExample", [convert_to_tensor(serialized, dtype=dtypes.string)],
                  {"specs": specs, "single": single}, name=name or "ParseExample")
    return _pack(list(op.outputs), specs)


def parse_example(serialized: Any, features: dict, name: str | None = None,
                  example_names: Any = None) -> dict:
    """``tf.parse_example`` / ``tf.io.parse_example``: a string vector of serialized
    ``Example`` protos to a dict of tensors, one per feature (see the module doc)."""
    return _parse_op(serialized, features, False, name, "parse_example")


def parse_single_example(serialized: Any, features: dict, name: str | None = None,
                         example_names: Any = None) -> dict:
    """``tf.parse_single_example``: as ``parse_example`` for one scalar string (no batch
    dimension; a sparse result has 1-D indices rows and a 1-D shape)."""
    return _parse_op(serialized, features, True, name, "parse_single_example")


def _parse_sequence_kernel(serialized: Any, *, context: tuple, sequence: tuple) -> tuple:
    proto = _parse(SequenceExample, np.asarray(serialized, dtype=object)[()],
                   "parse_single_sequence_example")
    where = "parse_single_sequence_example: example"
    found = {s.key: [_values(proto.context.feature[s.key], s, where)
                     if s.key in proto.context.feature else None] for s in context}
    out = _drop_batch(_outputs(found, context, where), context)
    lists = proto.feature_lists.feature_list
    for spec in sequence:
        steps = ([_values(f, spec, where) for f in lists[spec.key].feature]
                 if spec.key in lists else None)
        if steps is None and spec.kind == "seq" and spec.default is None:
            raise InvalidArgumentError(None, None, f"{where}: feature list {spec.key!r} "
                                       "is required but could not be found")
        steps = steps or []
        if spec.kind == "sparse":
            out.extend(_sparse(steps, spec))
        else:
            dense = _dense(steps, spec._replace(kind="dense", default=None), where)
            out.append(dense)
    return _results(out)


def _parse_sequence_shape(inputs: list, attrs: dict) -> list:
    serialized = inputs[0]
    if serialized.dtype != dtypes.string or not serialized.shape.is_compatible_with(
            TensorShape([])):
        raise ValueError(f"parse_single_sequence_example: serialized must be a string "
                         f"scalar, got {serialized.name} of {serialized.dtype.name} "
                         f"{serialized.shape}")
    return _output_specs(attrs["context"], []) + _sequence_output_specs(attrs["sequence"])


def _sequence_output_specs(sequence: tuple) -> list:
    """A feature list's outputs: ``[steps] + shape`` dense, or a 2-D sparse tensor."""
    out: list = []
    for spec in sequence:
        if spec.kind == "sparse":
            out.extend(_output_specs((spec,), [None]))
        else:
            out.append((TensorShape([None] + list(spec.shape)), spec.dtype))
    return out


define_op("ParseSingleSequenceExample", kernel=_parse_sequence_kernel,
          shape_fn=_parse_sequence_shape, view_of={},
          doc="Parses one serialized tf.train.SequenceExample into tensors.")


def parse_single_sequence_example(serialized: Any, context_features: dict | None = None,
                                  sequence_features: dict | None = None,
                                  example_name: Any = None, name: str | None = None
                                  ) -> tuple[dict, dict]:
    """``tf.parse_single_sequence_example``: ``(context, feature_lists)`` dicts of one
    serialized ``SequenceExample``. Context features parse as in
    ``parse_single_example``; a ``FixedLenSequenceFeature`` feature list gives a
    ``[steps] + shape`` tensor (required unless ``allow_missing``), a ``VarLenFeature``
    one a ``[steps, max count]`` sparse tensor."""
    if not context_features and not sequence_features:
        raise ValueError("parse_single_sequence_example: give context_features or "
                         "sequence_features")
    context = _specs(context_features, "context_features") if context_features else ()
    sequence = (_specs(sequence_features, "sequence_features", allow_seq_missing=True)
                if sequence_features else ())
    for spec in sequence:
        if spec.kind == "dense":
            raise ValueError(f"parse_single_sequence_example: sequence feature "
                             f"{spec.key!r} must be a FixedLenSequenceFeature or "
                             "VarLenFeature")
    sequence = tuple(s._replace(default=None if not sequence_features[s.key].allow_missing
                                else s.default) if s.kind == "seq" else s for s in sequence)
    op = apply_op("ParseSingleSequenceExample",
                  [convert_to_tensor(serialized, dtype=dtypes.string)],
                  {"context": context, "sequence": sequence},
                  name=name or "ParseSingleSequenceExample")
    outputs = list(op.outputs)
    n_context = sum(3 if s.kind == "sparse" else 1 for s in context)
    return _pack(outputs[:n_context], context), _pack(outputs[n_context:], sequence)

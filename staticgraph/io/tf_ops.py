"""TensorFlow's op signatures (``tf_op_defs.pb``, written by tools/make_tf_fixtures.py):
which attributes a TensorFlow node of each type has, and which of them follow from the
dtypes and number of its inputs and outputs (``T``, ``N``, ``Tidx``, ...)."""
from __future__ import annotations

import functools
import os
from typing import Any, Sequence

from tensorboard.compat.proto import op_def_pb2

from .protos import AttrValue, datatype_of

__all__ = ["signature", "derived_attrs", "ref_input_count", "type_attr_names"]

_PATH = os.path.join(os.path.dirname(__file__), "tf_op_defs.pb")


@functools.lru_cache(maxsize=1)
def _signatures() -> dict[str, Any]:
    with open(_PATH, "rb") as f:
        ops = op_def_pb2.OpList.FromString(f.read())
    return {op.name: op for op in ops.op}


def signature(op_type: str) -> Any:
    """TensorFlow's ``OpDef`` of ``op_type``, or None for an op TensorFlow does not have."""
    return _signatures().get(op_type)


def type_attr_names(opdef: Any) -> set[str]:
    """The attributes that follow from the inputs' and outputs' dtypes and counts."""
    names = set()
    for arg in list(opdef.input_arg) + list(opdef.output_arg):
        names.update(a for a in (arg.type_attr, arg.number_attr, arg.type_list_attr) if a)
    return names


def ref_input_count(opdef: Any) -> int:
    """How many leading inputs are variables (reference inputs)."""
    return sum(1 for arg in opdef.input_arg if arg.is_ref)


def _split(args: Sequence[Any], count: int) -> list[int]:
    """How many of ``count`` tensors each argument takes (one variadic at most)."""
    variadic = [i for i, a in enumerate(args) if a.number_attr or a.type_list_attr]
    sizes = [1] * len(args)
    if variadic:
        sizes[variadic[0]] = max(count - (len(args) - 1), 0)
    return sizes


def _fill(attrs: dict, args: Sequence[Any], dtypes: Sequence[Any]) -> None:
    pos = 0
    for arg, size in zip(args, _split(args, len(dtypes))):
        group = list(dtypes[pos:pos + size])
        pos += size
        if arg.number_attr and arg.number_attr not in attrs:
            attrs[arg.number_attr] = AttrValue(i=size)
        if arg.type_list_attr and arg.type_list_attr not in attrs:
            attrs[arg.type_list_attr] = AttrValue(list=AttrValue.ListValue(
                type=[datatype_of(d) for d in group]))
        if arg.type_attr and arg.type_attr not in attrs and group:
            attrs[arg.type_attr] = AttrValue(type=datatype_of(group[0]))


def derived_attrs(opdef: Any, input_dtypes: Sequence[Any],
                  output_dtypes: Sequence[Any]) -> dict[str, AttrValue]:
    """The type and count attributes of a node with these input and output dtypes."""
    attrs: dict[str, AttrValue] = {}
    _fill(attrs, opdef.input_arg, input_dtypes)
    _fill(attrs, opdef.output_arg, output_dtypes)
    return attrs


def default_attr(opdef: Any, name: str) -> AttrValue | None:
    """TensorFlow's default of attribute ``name``, or None when it has none."""
    for attr in opdef.attr:
        if attr.name == name:
            return attr.default_value if attr.HasField("default_value") else None
    return None

"""A ``Saver``'s sub-graph in a MetaGraph, as TensorFlow 1 writes and reads it.

TensorFlow records which checkpoint key holds which variable only in its Saver's ops:
``save/SaveV2`` takes the keys (a string constant) and then the variables, in the same
order. staticgraph saves from Python, so on export :func:`add_saver_def` writes that
sub-graph (the nodes TF's ``Saver`` builds, in its scope, plus the ``SaverDef``) for the
variables a ``Saver`` holds, and on import :func:`checkpoint_keys` reads the keys back,
whether TensorFlow or staticgraph wrote the file. A ``.meta`` of a Saver keyed by
custom names (``tf.train.Saver({"weights": w})``) then restores by those names in both.
"""
from __future__ import annotations

import numpy as np

from ..ops.variables import Variable
from .attr_values import from_tensor_proto, to_tensor_proto
from .import_graph import parse_input
from .protos import AttrValue, MetaGraphDef, NodeDef, SaverDef, datatype_of

__all__ = ["add_saver_def", "checkpoint_keys"]

_STRING = AttrValue(type=datatype_of(np.dtype(object)))


def _const(name: str, value: np.ndarray) -> NodeDef:
    return NodeDef(name=name, op="Const", attr={
        "value": AttrValue(tensor=to_tensor_proto(value)), "dtype": _STRING})


def _string_default(name: str, source: str) -> NodeDef:
    return NodeDef(name=name, op="PlaceholderWithDefault", input=[source], attr={
        "dtype": _STRING, "shape": AttrValue(shape={})})


def _saver_nodes(scope: str, keys: list[str], variables: list[Variable]) -> list[NodeDef]:
    """TF1's Saver ops for ``variables`` saved under ``keys`` (sorted, as TF sorts)."""
    names = np.array([k.encode() for k in keys], dtype=object)
    slices = np.array([b""] * len(keys), dtype=object)
    dtypes = AttrValue()
    dtypes.list.type.extend(datatype_of(v.dtype.base_dtype) for v in variables)
    nodes = [_const(f"{scope}/filename/input", np.array(b"model", dtype=object)),
             _string_default(f"{scope}/filename", f"{scope}/filename/input"),
             _string_default(f"{scope}/Const", f"{scope}/filename"),
             _const(f"{scope}/SaveV2/tensor_names", names),
             _const(f"{scope}/SaveV2/shape_and_slices", slices),
             NodeDef(name=f"{scope}/SaveV2", op="SaveV2",
                     input=[f"{scope}/Const", f"{scope}/SaveV2/tensor_names",
                            f"{scope}/SaveV2/shape_and_slices"] + [v.op.name for v in variables],
                     attr={"dtypes": dtypes}),
             NodeDef(name=f"{scope}/control_dependency", op="Identity",
                     input=[f"{scope}/Const", f"^{scope}/SaveV2"], attr={"T": _STRING}),
             _const(f"{scope}/RestoreV2/tensor_names", names),
             _const(f"{scope}/RestoreV2/shape_and_slices", slices),
             NodeDef(name=f"{scope}/RestoreV2", op="RestoreV2",
                     input=[f"{scope}/Const", f"{scope}/RestoreV2/tensor_names",
                            f"{scope}/RestoreV2/shape_and_slices"], attr={"dtypes": dtypes})]
    assigns = []
    for i, var in enumerate(variables):
        name = f"{scope}/Assign" + (f"_{i}" if i else "")
        assigns.append(name)
        nodes.append(NodeDef(name=name, op="Assign", input=[
            var.op.name, f"{scope}/RestoreV2" + (f":{i}" if i else "")], attr={
            "T": AttrValue(type=datatype_of(var.dtype.base_dtype)),
            "validate_shape": AttrValue(b=True), "use_locking": AttrValue(b=True)}))
    nodes.append(NodeDef(name=f"{scope}/restore_all", op="NoOp",
                         input=[f"^{a}" for a in assigns]))
    return nodes


def add_saver_def(meta: MetaGraphDef, scope: str, variables: dict[str, Variable],
                  max_to_keep: int | None, keep_checkpoint_every_n_hours: float) -> None:
    """Replaces the nodes under ``scope/`` (staticgraph's own restore ops of this
    saver) by TF1's Saver sub-graph for ``{checkpoint key: variable}``, and sets the
    ``SaverDef`` naming it."""
    keys = sorted(variables)
    kept = [n for n in meta.graph_def.node if not n.name.startswith(scope + "/")]
    del meta.graph_def.node[:]
    meta.graph_def.node.extend(kept)
    meta.graph_def.node.extend(_saver_nodes(scope, keys, [variables[k] for k in keys]))
    meta.saver_def.CopyFrom(SaverDef(
        filename_tensor_name=f"{scope}/Const:0",
        save_tensor_name=f"{scope}/control_dependency:0",
        restore_op_name=f"{scope}/restore_all", max_to_keep=max_to_keep or 0,
        keep_checkpoint_every_n_hours=keep_checkpoint_every_n_hours,
        version=SaverDef.V2))


def saver_scope(meta: MetaGraphDef) -> str | None:
    """The name scope of the MetaGraph's Saver ops (``save``), if it has a Saver."""
    if not meta.HasField("saver_def") or not meta.saver_def.filename_tensor_name:
        return None
    return parse_input(meta.saver_def.filename_tensor_name)[0].rsplit("/", 1)[0]


def checkpoint_keys(meta: MetaGraphDef) -> dict[str, str] | None:
    """``{variable op name: checkpoint key}`` read from the MetaGraph's Saver ops (every
    ``SaveV2`` in its scope; a variable read through ``/read`` counts as itself), or
    None when there is no Saver sub-graph to read them from."""
    scope = saver_scope(meta)
    if scope is None:
        return None
    nodes = {n.name: n for n in meta.graph_def.node}
    keys: dict[str, str] = {}
    for node in meta.graph_def.node:
        if node.op != "SaveV2" or not node.name.startswith(scope + "/"):
            continue
        names_node = nodes.get(parse_input(node.input[1])[0])
        if names_node is None or names_node.op != "Const":
            return None
        names = from_tensor_proto(names_node.attr["value"].tensor, names_node.name).ravel()
        for key, source in zip(names, node.input[3:]):
            variable = parse_input(source)[0]
            variable = variable[:-len("/read")] if variable.endswith("/read") else variable
            keys[variable] = key.decode() if isinstance(key, bytes) else str(key)
    return keys or None

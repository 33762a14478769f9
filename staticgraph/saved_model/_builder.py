"""``tf.saved_model.builder.SavedModelBuilder`` and ``tf.saved_model.simple_save``.

The builder collects everything in memory — the variables' values read from the session
when ``add_meta_graph_and_variables`` is called, the tagged ``MetaGraphDef``s, the asset
files' source paths — and ``save`` writes the directory in one go (into a temporary
folder renamed into place), so that an interrupted export leaves nothing behind.
"""
from __future__ import annotations

import filecmp
import os
from typing import Any, Iterable, Mapping

import numpy as np

from ..core.graph import GraphKeys, Operation, Tensor, get_default_graph
from ..io.meta_graph import export_meta_graph
from ..io.saved_model_format import (INIT_OP_SIGNATURE_KEY, LEGACY_INIT_OP_KEY,
                                     MAIN_OP_KEY, SAVED_MODEL_SCHEMA_VERSION,
                                     TRAIN_OP_SIGNATURE_KEY, SavedModel,
                                     check_export_dir_is_free, write_export_dir)
from ..ops.variables import global_variables
from ..train.saver import Saver
from ._signatures import (DEFAULT_SERVING_SIGNATURE_DEF_KEY, TAG_SERVING, SignatureDef,
                          TensorInfo, predict_signature_def)

__all__ = ["SavedModelBuilder", "simple_save"]


def _validate_tensor_info(info: TensorInfo, where: str) -> None:
    encoding = info.WhichOneof("encoding")
    if encoding is None:
        raise AssertionError(f"Invalid TensorInfo {where}: all TensorInfo protos used in "
                             "the SignatureDefs must have one of the 'encoding' fields "
                             "(e.g., name or coo_sparse) set.")
    if info.dtype == 0:
        raise AssertionError(f"Invalid TensorInfo {where} ({getattr(info, encoding)}): "
                             "all TensorInfo protos used in the SignatureDefs must have "
                             "the dtype field set.")


def _validate_signature_def_map(signature_def_map: Mapping[str, SignatureDef]) -> None:
    for key, signature in signature_def_map.items():
        if not isinstance(signature, SignatureDef):
            raise TypeError(f"signature_def_map[{key!r}] must be a SignatureDef, got "
                            f"{type(signature).__name__}")
        for side in ("inputs", "outputs"):
            for name, info in getattr(signature, side).items():
                _validate_tensor_info(info, f"{side}[{name!r}] of signature {key!r}")
    for reserved, use in ((INIT_OP_SIGNATURE_KEY, "initialization"),
                          (TRAIN_OP_SIGNATURE_KEY, "the train op")):
        if reserved in signature_def_map:
            raise KeyError(f'SignatureDef map key "{reserved}" is reserved for {use}. '
                           "Please use a different key.")


def _asset_source_path(tensor: Any) -> str:
    """The file path held by an asset tensor (a scalar string constant)."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"Asset path tensor {tensor!r} must be a Tensor.")
    if tensor.op.type != "Const":
        raise TypeError(f"Asset path tensor {tensor.name} must be of type constant. "
                        f"Has type {tensor.op.type} instead.")
    if tensor.dtype.name != "string":
        raise TypeError(f"Asset path tensor {tensor.name} must be of dtype string. "
                        f"Has type {tensor.dtype.name} instead.")
    value = np.asarray(tensor.op.get_attr("value"))
    if value.shape != ():
        raise TypeError(f"Asset path tensor {tensor.name} must be a scalar, has shape "
                        f"{list(value.shape)}.")
    path = value.item()
    return path.decode("utf-8") if isinstance(path, bytes) else str(path)


class SavedModelBuilder:
    """``tf.saved_model.Builder``: builds a SavedModel of one or more tagged meta graphs
    sharing one set of variables and assets. The first meta graph is added with
    ``add_meta_graph_and_variables``, the others with ``add_meta_graph``; ``save``
    writes the directory."""

    def __init__(self, export_dir: str) -> None:
        self._export_dir = os.fspath(export_dir)
        check_export_dir_is_free(self._export_dir)
        self._saved_model = SavedModel(saved_model_schema_version=SAVED_MODEL_SCHEMA_VERSION)
        self._variables: dict[str, np.ndarray] | None = None
        self._assets: dict[str, str] = {}  # file name in assets/ -> source path
        self._has_saved_variables = False

    def _add_assets(self, meta: Any, assets_collection: Iterable[Any] | None
                    ) -> dict[str, str]:
        """Records each asset tensor in ``meta.asset_file_def`` under a file name unique
        within the SavedModel (``name_1``... when another file has the same name);
        returns the SavedModel's assets with these added."""
        assets = dict(self._assets)
        for tensor in assets_collection or ():
            source = _asset_source_path(tensor)
            if not source:
                raise ValueError(f"Asset filepath tensor {tensor.name} is invalid.")
            base = name = os.path.basename(source)
            index = 0
            while name in assets and assets[name] != source and \
                    not filecmp.cmp(assets[name], source, shallow=False):
                index += 1
                name = f"{base}_{index}"
            assets.setdefault(name, source)
            asset = meta.asset_file_def.add(filename=name)
            asset.tensor_info.name = tensor.name
        return assets

    @staticmethod
    def _add_main_op(graph: Any, main_op: Any) -> None:
        """Adds ``main_op`` to the graph's main-op collection, as TF's builder does."""
        if main_op is None:
            return
        if not isinstance(main_op, Operation):
            raise TypeError(f"Expected {main_op!r} to be an Operation but got type "
                            f"{type(main_op).__name__} instead.")
        for key in (MAIN_OP_KEY, LEGACY_INIT_OP_KEY):
            if graph.get_collection(key):
                raise ValueError(f"Graph already contains one or more main ops under the "
                                 f"collection {key}.")
        graph.add_to_collection(MAIN_OP_KEY, main_op)

    def _add_meta(self, graph: Any, tags: Iterable[str],
                  signature_def_map: Mapping[str, SignatureDef] | None,
                  assets_collection: Any, main_op: Any, clear_devices: bool) -> None:
        signature_def_map = dict(signature_def_map or {})
        _validate_signature_def_map(signature_def_map)
        if isinstance(tags, str):
            raise TypeError(f"tags must be a list of strings, got the string {tags!r}")
        self._add_main_op(graph, main_op)
        meta = export_meta_graph(graph=graph, clear_devices=clear_devices)
        meta.meta_info_def.tags.extend(str(t) for t in tags)
        for key, signature in signature_def_map.items():
            meta.signature_def[key].CopyFrom(signature)
        assets = self._add_assets(meta, assets_collection)
        self._saved_model.meta_graphs.add().CopyFrom(meta)  # only once all succeeded
        self._assets = assets

    def add_meta_graph_and_variables(self, sess: Any, tags: Iterable[str],
                                     signature_def_map: Mapping[str, SignatureDef] | None = None,
                                     assets_collection: Any = None,
                                     legacy_init_op: Operation | None = None,
                                     clear_devices: bool = False,
                                     main_op: Operation | None = None,
                                     strip_default_attrs: bool = False,
                                     saver: Saver | None = None) -> None:
        """Adds the session graph's meta graph under ``tags`` and records the values of
        its variables (those of ``saver``, else every global variable) from ``sess``.

        ``main_op`` (or its older name ``legacy_init_op``) runs after loading, fed with
        the paths of the assets (the scalar string constants of ``assets_collection``).
        ``strip_default_attrs`` is accepted and changes nothing.
        """
        if self._has_saved_variables:
            raise AssertionError("Graph state including variables and assets has already "
                                 "been saved. Please invoke `add_meta_graph()` instead.")
        if saver is not None:
            variables = saver.variables
        else:
            with sess.graph.as_default():
                variables = {v.op.name: v for v in global_variables()}
        names = list(variables)
        values = sess.run([variables[n] for n in names]) if names else []
        self._add_meta(sess.graph, tags, signature_def_map, assets_collection,
                       main_op if main_op is not None else legacy_init_op, clear_devices)
        self._variables = {n: np.asarray(v) for n, v in zip(names, values)}
        self._has_saved_variables = True

    def add_meta_graph(self, tags: Iterable[str],
                       signature_def_map: Mapping[str, SignatureDef] | None = None,
                       assets_collection: Any = None, legacy_init_op: Operation | None = None,
                       clear_devices: bool = False, main_op: Operation | None = None,
                       strip_default_attrs: bool = False, saver: Saver | None = None) -> None:
        """Adds the default graph's meta graph under ``tags``, sharing the variables
        recorded by ``add_meta_graph_and_variables``."""
        if not self._has_saved_variables:
            raise AssertionError("Graph state including variables and assets has not been "
                                 "saved yet. Please invoke `add_meta_graph_and_variables()` "
                                 "first.")
        self._add_meta(get_default_graph(), tags, signature_def_map, assets_collection,
                       main_op if main_op is not None else legacy_init_op, clear_devices)

    def save(self, as_text: bool = False) -> bytes:
        """Writes the SavedModel directory; returns the path of ``saved_model.pb`` (or
        ``.pbtxt`` with ``as_text``) as bytes, as TF does."""
        path = write_export_dir(self._export_dir, self._saved_model, as_text,
                                self._variables, self._assets)
        return os.fsencode(path)


def simple_save(session: Any, export_dir: str, inputs: Mapping[str, Tensor],
                outputs: Mapping[str, Tensor], legacy_init_op: Operation | None = None) -> None:
    """``tf.saved_model.simple_save``: saves the session's graph and variables for
    serving, tagged ``serve``, with one Predict signature ``serving_default`` of
    ``inputs`` and ``outputs``, the graph's asset files and ``legacy_init_op``."""
    builder = SavedModelBuilder(export_dir)
    builder.add_meta_graph_and_variables(
        session, [TAG_SERVING],
        signature_def_map={DEFAULT_SERVING_SIGNATURE_DEF_KEY:
                           predict_signature_def(inputs, outputs)},
        assets_collection=session.graph.get_collection(GraphKeys.ASSET_FILEPATHS),
        main_op=legacy_init_op, clear_devices=True)
    builder.save()

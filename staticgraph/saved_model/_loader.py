"""``tf.saved_model.loader.load``: a SavedModel's meta graph into a session.

Loading imports the meta graph whose tag set equals the one asked for (TensorFlow's
``Saver`` sub-graph is left out, see :mod:`staticgraph.io.meta_graph`), restores its
variables from ``variables/variables`` (every value is read and checked before any
variable changes), then runs the main op fed with the asset files' paths in ``assets/``.
"""
from __future__ import annotations

import os
from typing import Any, Iterable

from tensorboard.compat.proto.meta_graph_pb2 import AssetFileDef

from ..core.graph import GraphKeys
from ..io.meta_graph import import_meta_graph_variables
from ..io.saved_model_format import (ASSETS_DIRECTORY, ASSETS_KEY, INIT_OP_SIGNATURE_KEY,
                                     LEGACY_INIT_OP_KEY, MAIN_OP_KEY, has_saved_model,
                                     read_saved_model, variables_prefix)
from ..train.saver import Saver

__all__ = ["load", "maybe_saved_model_directory", "contains_saved_model"]


def maybe_saved_model_directory(export_dir: str) -> bool:
    """``tf.saved_model.maybe_saved_model_directory``: whether ``export_dir`` holds a
    ``saved_model.pb`` or ``saved_model.pbtxt`` (it may still fail to load)."""
    return has_saved_model(os.fspath(export_dir))


contains_saved_model = maybe_saved_model_directory


def _meta_graph_of(saved_model: Any, tags: Iterable[str], export_dir: str) -> Any:
    wanted = set(tags)
    available = [set(m.meta_info_def.tags) for m in saved_model.meta_graphs]
    for meta, tag_set in zip(saved_model.meta_graphs, available):
        if tag_set == wanted:
            return meta
    raise RuntimeError(f"MetaGraphDef associated with tags {sorted(wanted)} could not be "
                       f"found in SavedModel {export_dir}, with available tags "
                       f"'{available}'.")


def _asset_feeds(meta: Any, export_dir: str, graph: Any, prefix: str) -> dict:
    """``{asset tensor: path of its file in assets/}`` (from ``asset_file_def``, or the
    older ``saved_model_assets`` collection of packed ``AssetFileDef``s)."""
    assets = list(meta.asset_file_def)
    if not assets and ASSETS_KEY in meta.collection_def:
        # packed as tensorflow.AssetFileDef: the same bytes as TensorBoard's copy
        assets = [AssetFileDef.FromString(packed.value)
                  for packed in meta.collection_def[ASSETS_KEY].any_list.value
                  if packed.type_url.endswith(".AssetFileDef")]
    folder = os.path.join(export_dir, ASSETS_DIRECTORY)
    return {graph.get_tensor_by_name(prefix + a.tensor_info.name):
            os.path.join(folder, a.filename).encode() for a in assets}


def _main_op(meta: Any, graph: Any, prefix: str, export_dir: str) -> Any:
    """The op to run after restoring: the ``__saved_model_init_op`` signature's, else
    the main op collection's, else the legacy init op collection's (or None)."""
    if INIT_OP_SIGNATURE_KEY in meta.signature_def:
        info = meta.signature_def[INIT_OP_SIGNATURE_KEY].outputs[INIT_OP_SIGNATURE_KEY]
        return graph.as_graph_element(prefix + info.name)
    for key in (MAIN_OP_KEY, LEGACY_INIT_OP_KEY):
        if key in meta.collection_def:
            names = list(meta.collection_def[key].node_list.value)
            if len(names) != 1:
                raise RuntimeError(f"Expected exactly one SavedModel init op in {export_dir}. "
                                   f"Found {len(names)}: {names}.")
            return graph.as_graph_element(prefix + names[0])
    return None


def load(sess: Any, tags: Iterable[str], export_dir: str, import_scope: str | None = None,
         **saver_kwargs: Any) -> Any:
    """``tf.saved_model.loader.load``: imports the meta graph tagged exactly ``tags``
    into ``sess.graph`` (names under ``import_scope``), restores its variables and runs
    its main op; returns the ``MetaGraphDef`` as stored (names without the scope).

    ``OSError`` names a missing or unparsable ``saved_model.pb``; ``RuntimeError`` lists
    the available tag sets when none matches.
    """
    export_dir = os.fspath(export_dir)
    meta = _meta_graph_of(read_saved_model(export_dir), tags, export_dir)
    prefix = f"{import_scope.rstrip('/')}/" if import_scope else ""
    graph = sess.graph
    with graph.as_default():
        imported = import_meta_graph_variables(meta, import_scope=import_scope)
        # as TF's Saver: the global variables (local ones are set by the main op)
        global_ids = {id(v) for v in graph.get_collection(GraphKeys.GLOBAL_VARIABLES)}
        saved = {v.op.name[len(prefix):]: v for v in imported if id(v) in global_ids}
        if saved:
            Saver(saved).restore(sess, variables_prefix(export_dir))
        feeds = _asset_feeds(meta, export_dir, graph, prefix)
        init_op = _main_op(meta, graph, prefix, export_dir)
        if init_op is not None:
            sess.run([init_op], feed_dict=feeds)
    return meta

"""``tf.train.Saver``: TensorFlow V2 checkpoints and the ``checkpoint`` state file.

``save`` writes ``<prefix>.index`` and ``<prefix>.data-00000-of-00001`` (TensorFlow's
format, see :mod:`staticgraph.io.tensor_bundle`: TensorFlow's own ``Saver`` and
``tf.train.load_checkpoint`` read them), the text ``checkpoint`` state file naming the
newest checkpoints, and (``write_meta_graph``) ``<prefix>.meta``. ``restore`` reads V2
checkpoints, TensorFlow's included, and the ``.npz`` checkpoints of earlier staticgraph
versions; every checksum is verified before any variable changes.

Crash safety: each file is written to a temporary file and renamed; the state file is
rewritten only once the new checkpoint is complete, and expired checkpoints are deleted
only after it no longer names them (through a journal, so that the next ``save`` into the
folder finishes a deletion a crash interrupted). The next ``save`` also removes the
temporaries that a killed process left in the folder.
"""
from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

from ..core import errors
from ..core.graph import GraphKeys, Operation, Tensor, get_default_graph
from ..io.checkpoint_reader import (CheckpointReader, checkpoint_exists,
                                    get_checkpoint_state, latest_checkpoint)
from ..io.checkpoint_state import CheckpointState, write_state as _write_state_file
from ..io.files import (delete_with_journal, finish_pending_deletions,
                        remove_stale_temporaries)
from ..io.meta_graph import (as_meta_graph, export_meta_graph, import_meta_graph_variables,
                             write_meta_graph)
from ..io.saver_graph import add_saver_def, checkpoint_keys
from ..io.tensor_bundle import data_path, index_path, write_bundle
from ..ops import state_ops
from ..ops.variables import Variable, global_variables

__all__ = ["Saver", "latest_checkpoint", "get_checkpoint_state", "checkpoint_exists",
           "CheckpointState", "export_meta_graph", "import_meta_graph"]

_JOURNAL = "checkpoint"  # name of the deletion journal kept beside the state file


def _variables_by_name(var_list: Any) -> dict[str, Variable]:
    """``{checkpoint key: variable}`` from a list of variables (keyed by their op names,
    as TensorFlow names them) or a dict of them."""
    if var_list is None:
        var_list = global_variables()
    items = list(var_list.items()) if isinstance(var_list, dict) else \
        [(getattr(getattr(v, "op", None), "name", None), v) for v in var_list]
    named: dict[str, Variable] = {}
    for key, var in items:
        if not isinstance(var, Variable):
            raise TypeError(f"Saver can only save tf.Variables, got {var!r}")
        if key in named:
            raise ValueError(f"At least two variables have the same name: {key}")
        named[key] = var
    return dict(sorted(named.items()))


def checkpoint_files(prefix: str) -> list[str]:
    """Every file of checkpoint ``prefix`` that exists (index, data, meta, legacy npz)."""
    candidates = [index_path(prefix), data_path(prefix), prefix + ".meta", prefix + ".npz"]
    return [p for p in candidates if os.path.exists(p)]


class Saver:
    """``tf.train.Saver``: saves and restores variables; keeps the newest ``max_to_keep``
    checkpoints, plus one every ``keep_checkpoint_every_n_hours``."""

    def __init__(self, var_list: Any = None, reshape: bool = False, sharded: bool = False,
                 max_to_keep: int | None = 5, keep_checkpoint_every_n_hours: float = 10000.0,
                 name: str | None = None, restore_sequentially: bool = False,
                 saver_def: Any = None, builder: Any = None, defer_build: bool = False,
                 allow_empty: bool = False, write_version: Any = None,
                 pad_step_number: bool = False, save_relative_paths: bool = False,
                 filename: str | None = None) -> None:
        self._vars = _variables_by_name(var_list)
        if not self._vars and not allow_empty:
            raise ValueError("No variables to save")
        self._max_to_keep = max_to_keep
        self._keep_every_secs = keep_checkpoint_every_n_hours * 3600.0
        self._next_keep_time = time.time() + self._keep_every_secs
        self._pad_step_number = pad_step_number
        self._relative_paths = save_relative_paths
        self._filename = filename
        self._last_checkpoints: list[tuple[str, float]] = []
        self._restore_feeds: dict[str, Tensor] = {}
        self._name = name or "save"
        self._restore_op = self._build_restore_op(self._name)

    def _build_restore_op(self, name: str) -> Operation | None:
        """One op assigning every variable from a placeholder (fed by ``restore``)."""
        if not self._vars:
            return None
        graph = next(iter(self._vars.values())).graph
        with graph.as_default(), graph.control_dependencies(None), graph.name_scope(name):
            assigns = []
            for key, var in self._vars.items():
                feed = state_ops.placeholder(var.dtype, var.shape,
                                             name="restore_" + var.op.name)
                self._restore_feeds[key] = feed
                assigns.append(state_ops.assign(var, feed))
            return state_ops.group(*assigns, name="restore_all")

    @property
    def variables(self) -> dict[str, Variable]:
        """``{checkpoint key: variable}`` of what this saver saves."""
        return dict(self._vars)

    @property
    def last_checkpoints(self) -> list[str]:
        """The checkpoints kept, oldest first."""
        return [p for p, _ in self._last_checkpoints]

    def recover_last_checkpoints(self, checkpoint_paths: list[str]) -> None:
        """Adopts earlier checkpoints (e.g. from ``get_checkpoint_state``) as kept ones."""
        now = time.time()
        self._last_checkpoints = [(p, now) for p in checkpoint_paths if checkpoint_exists(p)]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time: list) -> None:
        """Sets the kept checkpoints as ``(path, timestamp)`` pairs, oldest first."""
        self._last_checkpoints = [(str(p), float(t)) for p, t in last_checkpoints_with_time]

    def save(self, sess: Any, save_path: str, global_step: Any = None,
             latest_filename: str | None = None, meta_graph_suffix: str = "meta",
             write_meta_graph: bool = True, write_state: bool = True,
             strip_default_attrs: bool = False, save_debug_info: bool = False) -> str:
        """Writes the variables' values from ``sess``; returns the checkpoint prefix.

        With ``global_step`` (an int, or a tensor/variable evaluated in ``sess``) the prefix
        is ``save_path-<step>``. With ``write_meta_graph``, also ``<prefix>.meta``.
        """
        prefix = self._prefix(sess, str(save_path), global_step)
        folder = os.path.dirname(os.path.abspath(prefix))
        if not os.path.isdir(folder):
            # TF's bundle writer creates the checkpoint's own folder, not its parents.
            if not os.path.isdir(os.path.dirname(folder)):
                raise ValueError(f"Parent directory of {save_path} doesn't exist, can't save.")
            os.makedirs(folder, exist_ok=True)
        remove_stale_temporaries(folder)
        finish_pending_deletions(folder, latest_filename or _JOURNAL,
                                 keep=checkpoint_files(prefix))
        names = list(self._vars)
        values = sess.run([self._vars[n] for n in names]) if names else []
        write_bundle(prefix, {n: np.asarray(v) for n, v in zip(names, values)})
        if write_meta_graph:
            self.export_meta_graph(f"{prefix}.{meta_graph_suffix}")
        self._last_checkpoints = [(p, t) for p, t in self._last_checkpoints if p != prefix]
        self._last_checkpoints.append((prefix, time.time()))
        expired = self._expire_old_checkpoints()
        if write_state:
            _write_state_file(folder, prefix, self.last_checkpoints, latest_filename,
                        relative=self._relative_paths)
        # only once the state file no longer names them
        delete_with_journal(folder, latest_filename or _JOURNAL,
                            [f for old in expired for f in checkpoint_files(old)])
        return prefix

    def export_meta_graph(self, filename: str | None = None,
                          collection_list: Any = None, as_text: bool = False,
                          export_scope: Any = None, clear_devices: bool = False,
                          clear_extraneous_savers: bool = False,
                          strip_default_attrs: bool = False,
                          save_debug_info: bool = False) -> Any:
        """The MetaGraphDef of this saver's graph, written to ``filename`` if given."""
        graph = next(iter(self._vars.values())).graph if self._vars else None
        meta = export_meta_graph(graph=graph, collection_list=collection_list,
                                 clear_devices=clear_devices)
        if self._restore_op is not None:
            add_saver_def(meta, self._restore_op.name.rsplit("/", 1)[0], self._vars,
                          self._max_to_keep, self._keep_every_secs / 3600.0)
        if filename:
            write_meta_graph(str(filename), meta, as_text)
        return meta

    def _prefix(self, sess: Any, save_path: str, global_step: Any) -> str:
        if global_step is None:
            return save_path
        if not isinstance(global_step, (int, np.integer)):
            global_step = sess.run(global_step)
        step = int(global_step)
        return f"{save_path}-{step:08d}" if self._pad_step_number else f"{save_path}-{step}"

    def _expire_old_checkpoints(self) -> list[str]:
        """Drops the oldest checkpoints beyond ``max_to_keep`` from the kept list; returns
        those to delete (one every ``keep_checkpoint_every_n_hours`` is preserved)."""
        if not self._max_to_keep or len(self._last_checkpoints) <= self._max_to_keep:
            return []
        cut = len(self._last_checkpoints) - self._max_to_keep
        dropped, self._last_checkpoints = (self._last_checkpoints[:cut],
                                           self._last_checkpoints[cut:])
        expired = []
        for path, stamp in dropped:
            if stamp > self._next_keep_time:
                self._next_keep_time += self._keep_every_secs
            else:
                expired.append(path)
        return expired

    def restore(self, sess: Any, save_path: str) -> None:
        """Loads every variable of this saver from the checkpoint ``save_path``.

        A variable missing from the checkpoint, or stored with another shape or dtype, is
        an error naming it; a corrupt file is a ``DataLossError`` naming it and the
        tensor. Everything is read and checked first: on any error no variable changes.
        """
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        save_path = str(save_path)
        if not checkpoint_exists(save_path):
            raise ValueError(f"The passed save_path is not a valid checkpoint: {save_path}")
        if self._restore_op is None:
            return
        reader = CheckpointReader(save_path)
        feed = {self._restore_feeds[key]: _checked_value(reader, key, var, save_path)
                for key, var in self._vars.items()}
        sess.run(self._restore_op, feed_dict=feed)


def _checked_value(reader: CheckpointReader, key: str, var: Variable,
                   save_path: str) -> np.ndarray:
    """The stored array for ``var``; ``NotFoundError``/``InvalidArgumentError`` naming it."""
    if not reader.has_tensor(key):
        raise errors.NotFoundError(
            None, None, f"Key {key} not found in checkpoint {save_path} (variable "
                        f"{var.op.name} of shape {var.shape})")
    value = reader.get_tensor(key)
    if not var.shape.is_compatible_with(value.shape):
        raise errors.InvalidArgumentError(
            None, None, f"Cannot restore variable {var.op.name}: it has shape "
                        f"{var.shape.as_list()}, but checkpoint {save_path} stores shape "
                        f"{list(value.shape)}")
    if value.dtype != var.dtype.dtype:
        raise errors.InvalidArgumentError(
            None, None, f"Cannot restore variable {var.op.name}: it has dtype "
                        f"{var.dtype.name}, but checkpoint {save_path} stores {value.dtype}")
    return value


def import_meta_graph(meta_graph_or_file: Any, clear_devices: bool = False,
                      import_scope: str | None = None, input_map: dict | None = None,
                      **kwargs: Any) -> Saver | None:
    """``tf.train.import_meta_graph``: adds a MetaGraph's graph and collections to the
    default graph; returns a ``Saver`` (None when there are no variables) over what the
    MetaGraph's Saver saved, under its checkpoint keys; without a Saver sub-graph, over
    its global variables (local ones, such as metrics' counters, are not in checkpoints,
    as with TF's default Saver), keyed by their names in the MetaGraph."""
    meta = as_meta_graph(meta_graph_or_file)
    imported = import_meta_graph_variables(meta, clear_devices, import_scope, input_map)
    global_ids = {id(v) for v in get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES)}
    variables = [v for v in imported if id(v) in global_ids]
    if not variables:
        return None
    prefix = f"{import_scope.rstrip('/')}/" if import_scope else ""
    names = {v.op.name[len(prefix):]: v for v in variables}
    keys = checkpoint_keys(meta)
    if keys is None:
        return Saver(names)
    return Saver({key: names[name] for name, key in keys.items() if name in names})

"""The SavedModel directory of TensorFlow 1: its file names and its ``SavedModel`` message.

A SavedModel directory holds ``saved_model.pb`` (or ``saved_model.pbtxt``: a
``SavedModel`` message, schema version 1, of one ``MetaGraphDef`` per tag set),
``variables/variables.{index,data-00000-of-00001}`` (a V2 checkpoint, see
:mod:`.tensor_bundle`) and ``assets/`` (files the graph reads, named by the meta graphs'
``asset_file_def``). TensorBoard's protos do not ship the ``SavedModel`` message, so it is
built here from its published schema with protobuf's descriptor API (as :mod:`.protos`
builds the checkpoint messages).

:func:`write_export_dir` writes a whole directory into a temporary sibling folder and
renames it into place, so that a crash never leaves a half-written export.
"""
from __future__ import annotations

import os
import shutil
from typing import Any, Mapping

import numpy as np
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, text_format
from google.protobuf.message import DecodeError
from tensorboard.compat.proto import meta_graph_pb2

from .files import fresh_temp_path, remove_stale_temporaries
from .protos import field_spec
from .tensor_bundle import write_bundle

__all__ = ["SavedModel", "SAVED_MODEL_SCHEMA_VERSION", "SAVED_MODEL_FILENAME_PB",
           "SAVED_MODEL_FILENAME_PBTXT", "VARIABLES_DIRECTORY", "VARIABLES_FILENAME",
           "ASSETS_DIRECTORY", "ASSETS_KEY", "MAIN_OP_KEY", "LEGACY_INIT_OP_KEY",
           "INIT_OP_SIGNATURE_KEY", "TRAIN_OP_SIGNATURE_KEY", "DEBUG_DIRECTORY",
           "DEBUG_INFO_FILENAME_PB", "variables_prefix", "read_saved_model",
           "write_export_dir", "has_saved_model", "check_export_dir_is_free"]

SAVED_MODEL_SCHEMA_VERSION = 1
SAVED_MODEL_FILENAME_PB = "saved_model.pb"
SAVED_MODEL_FILENAME_PBTXT = "saved_model.pbtxt"
VARIABLES_DIRECTORY = "variables"
VARIABLES_FILENAME = "variables"
ASSETS_DIRECTORY = "assets"
ASSETS_KEY = "saved_model_assets"
MAIN_OP_KEY = "saved_model_main_op"
LEGACY_INIT_OP_KEY = "legacy_init_op"
INIT_OP_SIGNATURE_KEY = "__saved_model_init_op"
TRAIN_OP_SIGNATURE_KEY = "__saved_model_train_op"
DEBUG_DIRECTORY = "debug"
DEBUG_INFO_FILENAME_PB = "saved_model_debug_info.pb"

_F = descriptor_pb2.FieldDescriptorProto
_FILE_NAME = "staticgraph/io/saved_model.proto"


def _build_file() -> descriptor_pb2.FileDescriptorProto:
    """saved_model.proto's one message (field names and numbers as TensorFlow publishes
    them): ``int64 saved_model_schema_version = 1; repeated MetaGraphDef meta_graphs = 2``."""
    meta = meta_graph_pb2.MetaGraphDef.DESCRIPTOR
    f = descriptor_pb2.FileDescriptorProto(name=_FILE_NAME, package="staticgraph.tf",
                                           syntax="proto3", dependency=[meta.file.name])
    f.message_type.add(name="SavedModel", field=[
        _F(**field_spec("saved_model_schema_version", 1, _F.TYPE_INT64)),
        _F(**field_spec("meta_graphs", 2, _F.TYPE_MESSAGE, repeated=True,
                        type_name="." + meta.full_name))])
    return f


def _saved_model_class() -> Any:
    pool = descriptor_pool.Default()
    try:
        file_desc = pool.FindFileByName(_FILE_NAME)
    except KeyError:
        file_desc = pool.Add(_build_file())
    return message_factory.GetMessageClassesForFiles([file_desc.name],
                                                     pool)["staticgraph.tf.SavedModel"]


SavedModel = _saved_model_class()


def variables_prefix(export_dir: str) -> str:
    """The checkpoint prefix of a SavedModel's variables."""
    return os.path.join(str(export_dir), VARIABLES_DIRECTORY, VARIABLES_FILENAME)


def has_saved_model(export_dir: str) -> bool:
    """Whether ``export_dir`` holds a ``saved_model.pb`` or ``saved_model.pbtxt``."""
    return any(os.path.isfile(os.path.join(str(export_dir), name))
               for name in (SAVED_MODEL_FILENAME_PB, SAVED_MODEL_FILENAME_PBTXT))


def read_saved_model(export_dir: str) -> Any:
    """The ``SavedModel`` message of ``export_dir`` (binary file first, as TF reads it).

    Raises ``OSError`` (TF's ``IOError``) naming the file when it is missing or cannot be
    parsed.
    """
    export_dir = str(export_dir)
    pb_path = os.path.join(export_dir, SAVED_MODEL_FILENAME_PB)
    txt_path = os.path.join(export_dir, SAVED_MODEL_FILENAME_PBTXT)
    saved_model = SavedModel()
    if os.path.isfile(pb_path):
        with open(pb_path, "rb") as f:
            data = f.read()
        try:
            saved_model.ParseFromString(data)
        except DecodeError as err:
            raise OSError(f"Cannot parse file {pb_path}: {err}.") from None
        path = pb_path
    elif os.path.isfile(txt_path):
        with open(txt_path, "rb") as f:
            data = f.read()
        try:
            text_format.Parse(data.decode("utf-8"), saved_model)
        except (text_format.ParseError, UnicodeDecodeError) as err:
            raise OSError(f"Cannot parse file {txt_path}: {str(err)[:300]}.") from None
        path = txt_path
    else:
        raise OSError(f"SavedModel file does not exist at: {export_dir}{os.sep}"
                      f"{{{SAVED_MODEL_FILENAME_PBTXT}|{SAVED_MODEL_FILENAME_PB}}}")
    for meta in saved_model.meta_graphs:
        if not meta.HasField("graph_def"):
            raise OSError(f"Cannot parse file {path}: a MetaGraphDef (tags "
                          f"{list(meta.meta_info_def.tags)}) has no graph_def.")
    return saved_model


def check_export_dir_is_free(export_dir: str) -> None:
    """``AssertionError`` (as TF's builder raises) when ``export_dir`` exists and is not
    an empty folder."""
    if os.path.exists(export_dir) and (not os.path.isdir(export_dir)
                                       or os.listdir(export_dir)):
        raise AssertionError(
            f"Export directory {export_dir} already exists, and isn't empty. Please "
            "choose a different export directory, or delete all the contents of the "
            "specified directory.")


def write_export_dir(export_dir: str, saved_model: Any, as_text: bool,
                     variables: Mapping[str, np.ndarray] | None,
                     assets: Mapping[str, str]) -> str:
    """Writes a whole SavedModel directory: the message (text with ``as_text``), the
    variables (``None``: an empty ``variables/`` folder) and the asset files
    (``{file name in assets/: source path}``); returns the message file's path.

    Everything goes into a temporary folder next to ``export_dir``, which is renamed to
    ``export_dir`` once complete (an empty ``export_dir`` is replaced). On any error the
    temporary folder is removed and ``export_dir`` is left as it was.
    """
    export_dir = os.path.abspath(str(export_dir))
    check_export_dir_is_free(export_dir)
    parent = os.path.dirname(export_dir)
    os.makedirs(parent, exist_ok=True)
    remove_stale_temporaries(parent)
    staging = fresh_temp_path(export_dir)
    os.mkdir(staging)
    try:
        os.mkdir(os.path.join(staging, VARIABLES_DIRECTORY))
        if variables:
            write_bundle(variables_prefix(staging), dict(variables))
        if assets:
            os.mkdir(os.path.join(staging, ASSETS_DIRECTORY))
            for name, source in assets.items():
                shutil.copyfile(source, os.path.join(staging, ASSETS_DIRECTORY, name))
        name = SAVED_MODEL_FILENAME_PBTXT if as_text else SAVED_MODEL_FILENAME_PB
        data = text_format.MessageToString(saved_model).encode() if as_text else \
            saved_model.SerializeToString(deterministic=True)
        with open(os.path.join(staging, name), "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        check_export_dir_is_free(export_dir)
        os.replace(staging, export_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return os.path.join(export_dir, name)

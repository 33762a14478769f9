"""``tf.saved_model`` as ``tensorflow.compat.v1`` has it: TF1's SavedModel directories.

:mod:`.builder` writes them (``SavedModelBuilder``, also ``tf.saved_model.Builder``, and
``simple_save``), :mod:`.loader` loads them into a session (``tf.saved_model.load`` is
TF1's ``loader.load``); the format is in :mod:`staticgraph.io.saved_model_format`.
TF2's object-based ``tf.saved_model.save``/``load_v2``, ``Asset`` and ``SaveOptions``
need eager execution and tf.function, which staticgraph does not have.
"""
from . import (builder, constants, loader, main_op, signature_constants,
               signature_def_utils, tag_constants, utils)
from ._builder import SavedModelBuilder as Builder
from ._builder import simple_save
from ._loader import contains_saved_model, load, maybe_saved_model_directory
from ._signatures import (build_signature_def, build_tensor_info,
                          classification_signature_def, get_tensor_from_tensor_info,
                          is_valid_signature, predict_signature_def,
                          regression_signature_def)
from ._signatures import main_op_with_restore
from .constants import *  # noqa: F403
from .signature_constants import *  # noqa: F403
from .tag_constants import *  # noqa: F403

__all__ = ["ASSETS_DIRECTORY", "ASSETS_KEY", "Builder", "CLASSIFY_INPUTS",
           "CLASSIFY_METHOD_NAME", "CLASSIFY_OUTPUT_CLASSES", "CLASSIFY_OUTPUT_SCORES",
           "DEBUG_DIRECTORY", "DEBUG_INFO_FILENAME_PB",
           "DEFAULT_SERVING_SIGNATURE_DEF_KEY", "GPU", "LEGACY_INIT_OP_KEY",
           "MAIN_OP_KEY", "PREDICT_INPUTS", "PREDICT_METHOD_NAME", "PREDICT_OUTPUTS",
           "REGRESS_INPUTS", "REGRESS_METHOD_NAME", "REGRESS_OUTPUTS",
           "SAVED_MODEL_FILENAME_PB", "SAVED_MODEL_FILENAME_PBTXT",
           "SAVED_MODEL_SCHEMA_VERSION", "SERVING", "TPU", "TRAINING",
           "VARIABLES_DIRECTORY", "VARIABLES_FILENAME", "build_signature_def",
           "build_tensor_info", "builder", "classification_signature_def", "constants",
           "contains_saved_model", "get_tensor_from_tensor_info", "is_valid_signature",
           "load", "loader", "main_op", "main_op_with_restore",
           "maybe_saved_model_directory", "predict_signature_def",
           "regression_signature_def", "signature_constants", "signature_def_utils",
           "simple_save", "tag_constants", "utils"]

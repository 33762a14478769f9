"""``tf.saved_model`` as ``tensorflow.compat.v1`` has it: TF1's SavedModel directories.

:mod:`.builder` writes them (``SavedModelBuilder``, also ``tf.saved_model.Builder``, and
``simple_save``), :mod:`.loader` loads them into a session (``tf.saved_model.load`` is
TF1's ``loader.load``); the format is in :mod:`staticgraph.io.saved_model_format`.
TF2's object-based ``tf.saved_model.save``/``load_v2``, ``Asset`` and ``SaveOptions``
need eager execution and tf.function, which staticgraph does not have.
"""
from . import (builder, constants, loader, main_op, signature_constants,  # noqa: F401
               signature_def_utils, tag_constants, utils)
from ._builder import SavedModelBuilder as Builder  # noqa: F401
from ._builder import simple_save  # noqa: F401
from ._loader import contains_saved_model, load, maybe_saved_model_directory  # noqa: F401
from ._signatures import (build_signature_def, build_tensor_info,  # noqa: F401
                          classification_signature_def, get_tensor_from_tensor_info,
                          is_valid_signature, predict_signature_def,
                          regression_signature_def)
from ._signatures import main_op_with_restore  # noqa: F401
from .constants import *  # noqa: F401,F403
from .signature_constants import *  # noqa: F401,F403
from .tag_constants import *  # noqa: F401,F403

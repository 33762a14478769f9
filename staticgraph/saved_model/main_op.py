"""``tf.saved_model.main_op``: the op a loaded SavedModel runs after restoring."""
from ._signatures import main_op, main_op_with_restore

__all__ = ["main_op", "main_op_with_restore"]

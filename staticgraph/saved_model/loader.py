"""``tf.saved_model.loader``: loading a SavedModel into a session."""
from ._loader import load, maybe_saved_model_directory

__all__ = ["load", "maybe_saved_model_directory"]

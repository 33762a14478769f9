"""``tf.saved_model.builder``: the SavedModel builder."""
from ._builder import SavedModelBuilder

__all__ = ["SavedModelBuilder"]

"""``tf.saved_model.tag_constants``: the usual tags of a SavedModel's meta graphs."""
from ._signatures import TAG_GPU as GPU
from ._signatures import TAG_SERVING as SERVING
from ._signatures import TAG_TPU as TPU
from ._signatures import TAG_TRAINING as TRAINING

__all__ = ["GPU", "SERVING", "TPU", "TRAINING"]

"""``tf.summary``: summary ops (scalar, histogram, image, audio, text, tensor_summary),
merging, and ``FileWriter`` (TensorBoard event files).

See :mod:`staticgraph.viz.summary` and :mod:`staticgraph.viz.file_writer`.
"""
from .io.protos import Event, Summary  # noqa: F401
from .viz.file_writer import FileWriter  # noqa: F401
from .viz.summary import (audio, histogram, image, merge, merge_all, scalar,  # noqa: F401
                          tensor_summary, text)

__all__ = ["FileWriter", "scalar", "histogram", "image", "audio", "text", "tensor_summary",
           "merge", "merge_all", "Summary", "Event"]

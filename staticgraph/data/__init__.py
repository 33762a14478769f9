"""``tf.data``: input pipelines (``Dataset``) and the iterators that feed a graph.

Datasets are described in Python and read NumPy arrays; an iterator's ``get_next``
op produces one element per run, in the session's own iterator state.
"""
from __future__ import annotations

from . import transforms as _transforms  # noqa: F401  (Dataset's methods)
from . import experimental, interleave as _interleave  # noqa: F401  (interleave, flat_map)
from .dataset import Dataset
from .file_sources import FixedLengthRecordDataset, TextLineDataset, TFRecordDataset
from .iterator import (Iterator, get_output_classes, get_output_shapes, get_output_types,
                       make_initializable_iterator, make_one_shot_iterator)

__all__ = ["Dataset", "Iterator", "get_output_classes", "get_output_shapes",
           "get_output_types", "make_initializable_iterator", "make_one_shot_iterator",
           "experimental",
           "TFRecordDataset", "TextLineDataset", "FixedLengthRecordDataset"]

"""``tf.python_io``: writing and reading TFRecord files from Python."""
from __future__ import annotations

from .io.tfrecord import (TFRecordCompressionType, TFRecordOptions, TFRecordWriter,
                          tf_record_iterator)

__all__ = ["TFRecordCompressionType", "TFRecordOptions", "TFRecordWriter",
           "tf_record_iterator"]

"""``tf.data.TFRecordDataset``, ``TextLineDataset`` and ``FixedLengthRecordDataset``:
the records of files, one scalar string element each, file after file.

``filenames`` is a string, a list of them, or a string tensor (scalar or vector, read
when a pass starts). Files may be ZLIB- or GZIP-compressed (``compression_type``).
"""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from ..core.shapes import TensorShape
from ..io.io_ops import as_bytes
from ..io.record_sources import Records, fixed_length_records, text_lines, tfrecords
from ..io.tfrecord import compression_name
from ..ops.framework import convert_to_tensor
from .dataset import Dataset, Run
from .structure import Spec

__all__ = ["TFRecordDataset", "TextLineDataset", "FixedLengthRecordDataset"]


class _FileRecords(Dataset):
    """The records of each named file in turn (subclasses give ``_file_records``)."""

    def __init__(self, filenames: Any, compression_type: Any, what: str) -> None:
        names = filenames
        if isinstance(names, (list, tuple)) and not names:
            names = np.zeros((0,), object)
        self._filenames = convert_to_tensor(names)
        if self._filenames.dtype != dtypes.string or (
                self._filenames.shape.ndims is not None and self._filenames.shape.ndims > 1):
            raise TypeError(f"{what}: filenames must be a string scalar or vector, got "
                            f"{self._filenames.dtype.name} {self._filenames.shape}")
        self._compression = compression_name(compression_type)
        self._spec = Spec(dtypes.string, TensorShape([]))

    def _own_inputs(self) -> list[Tensor]:
        return [self._filenames]

    def _file_records(self, work: bytes) -> Records:
        """The records of one file (``work`` is its name); each file dataset defines it."""
        raise NotImplementedError(f"{type(self).__name__} must define _file_records(), "
                                  "which reads the records of one file")

    def _elements(self, run: Run) -> Iterator[tuple]:
        names = np.asarray(run.values[id(self._filenames)], dtype=object).ravel()
        for name in names:
            for _, record in self._file_records(as_bytes(name)):
                yield (np.array(record, dtype=object),)


class TFRecordDataset(_FileRecords):
    """The records of TFRecord files (checksums verified: ``DataLossError`` names the
    file and offset of a corrupt record)."""

    def __init__(self, filenames: Any, compression_type: Any = None,
                 buffer_size: Any = None, num_parallel_reads: Any = None) -> None:
        super().__init__(filenames, compression_type, "TFRecordDataset")

    def _file_records(self, work: bytes) -> Records:
        return tfrecords(work, self._compression)


class TextLineDataset(_FileRecords):
    """The lines of text files, without their ``\\n`` or ``\\r\\n``."""

    def __init__(self, filenames: Any, compression_type: Any = None,
                 buffer_size: Any = None, num_parallel_reads: Any = None) -> None:
        super().__init__(filenames, compression_type, "TextLineDataset")

    def _file_records(self, work: bytes) -> Records:
        return text_lines(work, self._compression)


class FixedLengthRecordDataset(_FileRecords):
    """Records of ``record_bytes`` bytes after ``header_bytes`` and before
    ``footer_bytes`` of each file (``InvalidArgumentError`` when the rest is not a whole
    number of records, as in TF)."""

    def __init__(self, filenames: Any, record_bytes: int, header_bytes: int | None = None,
                 footer_bytes: int | None = None, buffer_size: Any = None,
                 compression_type: Any = None, num_parallel_reads: Any = None) -> None:
        if int(record_bytes) <= 0:
            raise ValueError(f"FixedLengthRecordDataset: record_bytes must be > 0, got "
                             f"{record_bytes}")
        super().__init__(filenames, compression_type, "FixedLengthRecordDataset")
        self._sizes = (int(record_bytes), int(header_bytes or 0), int(footer_bytes or 0))

    def _file_records(self, work: bytes) -> Records:
        record, header, footer = self._sizes
        return fixed_length_records(work, record, header, footer, 0, self._compression,
                                    strict=True)

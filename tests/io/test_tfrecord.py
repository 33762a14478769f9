"""TFRecord files: TF-written files read back, our files read by the same code path,
compression, and DataLossError on corrupt or truncated records."""
import os
import zlib

import pytest

import staticgraph as tf
from staticgraph.io import example_protos
from staticgraph.io.tfrecord import frame_record
from tests.io.tf_io_fixtures import FIXTURES

_NAMES = ["examples.tfrecord", "examples_gzip.tfrecord", "examples_zlib.tfrecord"]
_OPTIONS = [None, tf.python_io.TFRecordOptions(tf.python_io.TFRecordCompressionType.GZIP),
            tf.python_io.TFRecordOptions("ZLIB")]


def _records(name, options):
    return list(tf.python_io.tf_record_iterator(str(FIXTURES / name), options))


@pytest.mark.parametrize("name, options", list(zip(_NAMES, _OPTIONS)))
def test_files_written_by_tensorflow_read_back(name, options):
    records = _records(name, options)
    assert len(records) == 3
    labels = [example_protos.Example.FromString(r).features.feature["pixels"]
              .float_list.value[0] for r in records]
    assert labels == [0.5, 4.0, -1.0]


@pytest.mark.parametrize("options", _OPTIONS + ["GZIP"])
def test_writer_round_trip_and_tensorflow_bytes(tmp_path, options):
    records = _records("examples.tfrecord", None)
    path = str(tmp_path / "out.tfrecord")
    with tf.python_io.TFRecordWriter(path, options) as writer:
        for r in records:
            writer.write(r)
    assert list(tf.io.tf_record_iterator(path, options)) == records
    if options is None:  # uncompressed: byte for byte what TensorFlow wrote
        assert open(path, "rb").read() == (FIXTURES / "examples.tfrecord").read_bytes()


def test_flush_makes_records_readable_before_close(tmp_path):
    path = str(tmp_path / "f.tfrecord")
    writer = tf.io.TFRecordWriter(path, tf.io.TFRecordOptions("ZLIB"))
    writer.write(b"one")
    writer.flush()
    flushed = zlib.decompressobj().decompress(open(path, "rb").read())
    assert flushed == frame_record(b"one")
    writer.write("two")
    writer.close()
    writer.close()  # closing twice is harmless
    assert list(tf.io.tf_record_iterator(path, "ZLIB")) == [b"one", b"two"]
    with pytest.raises(ValueError, match="closed"):
        writer.write(b"three")


def test_compression_type_strings():
    get = tf.io.TFRecordOptions.get_compression_type_string
    assert get(None) == "" and get(tf.io.TFRecordCompressionType.ZLIB) == "ZLIB"
    assert get(tf.io.TFRecordOptions("gzip")) == "GZIP"
    with pytest.raises(ValueError, match="BZIP2"):
        tf.io.TFRecordOptions("BZIP2")


@pytest.mark.parametrize("cut, flip, message", [
    (5, None, "Truncated record header at offset 0"),
    (20, None, "Truncated record at offset 0"),
    (None, 3, "Corrupt record length at offset 0"),
    (None, 30, "Corrupt record at offset 0"),
])
def test_corrupt_or_truncated_records_name_file_and_offset(tmp_path, cut, flip, message):
    data = bytearray((FIXTURES / "examples.tfrecord").read_bytes())
    if flip is not None:
        data[flip] ^= 0x01
    path = tmp_path / "bad.tfrecord"
    path.write_bytes(bytes(data[:cut] if cut else data))
    with pytest.raises(tf.errors.DataLossError, match=message) as info:
        list(tf.python_io.tf_record_iterator(str(path)))
    assert str(path) in str(info.value)


def test_corrupt_record_in_the_middle_names_its_offset(tmp_path):
    data = bytearray((FIXTURES / "examples.tfrecord").read_bytes())
    data[107 + 20] ^= 0x01  # inside the second record (offset 107, per TF's reader keys)
    path = tmp_path / "mid.tfrecord"
    path.write_bytes(bytes(data))
    with pytest.raises(tf.errors.DataLossError, match="Corrupt record at offset 107"):
        list(tf.python_io.tf_record_iterator(str(path)))


def test_not_compressed_as_declared_and_missing_file(tmp_path):
    with pytest.raises(tf.errors.DataLossError, match="not a valid GZIP"):
        list(tf.python_io.tf_record_iterator(str(FIXTURES / "examples.tfrecord"), "GZIP"))
    with pytest.raises(tf.errors.NotFoundError, match="nope.tfrecord"):
        list(tf.python_io.tf_record_iterator(os.path.join(tmp_path, "nope.tfrecord")))

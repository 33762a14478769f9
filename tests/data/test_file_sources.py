"""tf.data.TFRecordDataset, TextLineDataset and FixedLengthRecordDataset."""
import gzip

import numpy as np
import pytest

import staticgraph as tf
from tests.io.tf_io_fixtures import DATA, FIXTURES, RESULTS, assert_same

RECORDS = str(FIXTURES / "examples.tfrecord")


def _all(dataset, feed=None, initializable=False):
    if initializable:
        iterator = dataset.make_initializable_iterator()
    else:
        iterator = dataset.make_one_shot_iterator()
    element, out = iterator.get_next(), []
    with tf.Session() as sess:
        if initializable:
            sess.run(iterator.initializer, feed)
        while True:
            try:
                out.append(sess.run(element))
            except tf.errors.OutOfRangeError:
                return out


@pytest.mark.parametrize("name, compression", [
    ("examples.tfrecord", None), ("examples_gzip.tfrecord", "GZIP"),
    ("examples_zlib.tfrecord", "ZLIB")])
def test_tfrecord_dataset_parses_like_tensorflow(name, compression):
    dataset = tf.data.TFRecordDataset(str(FIXTURES / name), compression)
    assert dataset.output_types == tf.string and dataset.output_shapes.as_list() == []
    features = eval(DATA["features"], {"tf": tf})

    def parse(serialized):  # tf.data elements here are dense: the sparse tensor's parts
        parsed = tf.parse_example(serialized, features)
        tags = parsed.pop("tags")
        return dict(parsed, tags=(tags.indices, tags.values, tags.dense_shape))

    batch = _all(dataset.batch(3).map(parse))
    assert len(batch) == 1
    batch[0]["tags"] = tf.SparseTensorValue(*batch[0]["tags"])
    for key, want in RESULTS["parse_example"].items():
        assert_same(batch[0][key], want)


def test_filenames_from_a_placeholder_and_repeat(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"1\n2\r\n")
    (tmp_path / "b.txt.gz").write_bytes(gzip.compress(b"3"))
    names = tf.placeholder(tf.string, [None])
    lines = _all(tf.data.TextLineDataset(names).repeat(2), initializable=True,
                 feed={names: [str(tmp_path / "a.txt")]})
    assert lines == [b"1", b"2", b"1", b"2"]
    zipped = _all(tf.data.TextLineDataset([str(tmp_path / "b.txt.gz")], "GZIP"))
    assert zipped == [b"3"]


def test_text_lines_to_decode_csv():
    dataset = tf.data.TextLineDataset(str(FIXTURES / "data.csv")).skip(1).map(
        lambda line: tuple(tf.decode_csv(line, [[0], [-1.0], ["?"]], na_value="NA")))
    rows = _all(dataset)
    for column, want in enumerate(RESULTS["decode_csv"]):
        assert_same(np.array([row[column] for row in rows],
                             dtype=object if column == 2 else None), want)


def test_fixed_length_record_dataset(tmp_path):
    (tmp_path / "f.bin").write_bytes(b"HH" + np.arange(4, dtype=np.int16).tobytes() + b"F")
    dataset = tf.data.FixedLengthRecordDataset(str(tmp_path / "f.bin"), 4, header_bytes=2,
                                               footer_bytes=1)
    values = _all(dataset.map(lambda r: tf.decode_raw(r, tf.int16)))
    np.testing.assert_array_equal(values, [[0, 1], [2, 3]])
    partial = tf.data.FixedLengthRecordDataset(str(tmp_path / "f.bin"), 4, header_bytes=2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="body length 9 bytes.*"
                                                             "multiple of the record length"):
        _all(partial)


def test_corrupt_file_raises_data_loss(tmp_path):
    data = bytearray((FIXTURES / "examples.tfrecord").read_bytes())
    data[40] ^= 0xFF
    (tmp_path / "bad.tfrecord").write_bytes(bytes(data))
    with pytest.raises(tf.errors.DataLossError, match="Corrupt record at offset 0 of .*"
                                                      "bad.tfrecord"):
        _all(tf.data.TFRecordDataset(str(tmp_path / "bad.tfrecord")))
    with pytest.raises(TypeError, match="filenames must be a string"):
        tf.data.TFRecordDataset(tf.constant([[1.0]]))

"""TF1's readers over a queue of file names: keys and values as TensorFlow gives them
(fixtures), read_up_to per work unit, counters, reset, end of input."""
import numpy as np
import pytest

import staticgraph as tf
from tests.io.tf_io_fixtures import FIXTURES, RESULTS, decoded

CSV = str(FIXTURES / "data.csv")
RECORDS = str(FIXTURES / "examples.tfrecord")


def _queue_of(sess, names):
    queue = tf.FIFOQueue(len(names) + 1, tf.string)
    return queue, queue.enqueue_many([names]), queue.close()


def _relative(keys):
    return [k.replace(str(FIXTURES).encode() + b"/", b"") for k in keys]


def test_text_and_tfrecord_readers_match_tensorflow():
    queue = tf.FIFOQueue(4, tf.string)
    fill = queue.enqueue_many([[CSV, RECORDS]])
    text_keys, text_values = tf.TextLineReader(skip_header_lines=1).read_up_to(queue, 10)
    record_keys, record_values = tf.TFRecordReader().read_up_to(queue, 10)
    with tf.Session() as sess:
        sess.run(fill)
        got = sess.run([text_keys, text_values, record_keys, record_values])
    assert _relative(got[0]) == list(decoded(RESULTS["text_keys"]))
    np.testing.assert_array_equal(got[1], decoded(RESULTS["text_values"]))
    assert _relative(got[2]) == list(decoded(RESULTS["record_keys"]))
    assert list(got[3]) == list(tf.python_io.tf_record_iterator(RECORDS))


def test_read_moves_through_files_and_counts(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"x\r\ny")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_bytes(b"z\n")
    names = [str(tmp_path / n) for n in ("a.txt", "b.txt", "c.txt")]
    queue = tf.FIFOQueue(4, tf.string)
    fill, close = queue.enqueue_many([names]), queue.close()
    reader = tf.TextLineReader()
    key, value = reader.read(queue)
    assert key.shape.as_list() == [] and value.dtype == tf.string
    produced, completed = reader.num_records_produced(), reader.num_work_units_completed()
    with tf.Session() as sess:
        sess.run([fill, close])
        got = [tuple(sess.run([key, value])) for _ in range(3)]
        assert sess.run([produced, completed]) == [3, 2]
        with pytest.raises(tf.errors.OutOfRangeError, match="closed"):
            sess.run(value)
        sess.run(reader.reset())
        assert sess.run([produced, completed]) == [0, 0]
    assert got == [(names[0].encode() + b":1", b"x"), (names[0].encode() + b":2", b"y"),
                   (names[2].encode() + b":1", b"z")]


def test_whole_file_fixed_length_and_identity_readers(tmp_path):
    (tmp_path / "w.bin").write_bytes(b"HHabcdefgFF")
    name = str(tmp_path / "w.bin")
    queue = tf.FIFOQueue(8, tf.string)
    fill = queue.enqueue_many([[name, name, "work-item"]])
    whole = tf.WholeFileReader().read(queue)
    fixed = tf.FixedLengthRecordReader(3, header_bytes=2, footer_bytes=2).read_up_to(queue, 9)
    identity = tf.IdentityReader().read(queue)
    with tf.Session() as sess:
        sess.run(fill)
        assert sess.run(whole) == (name.encode(), b"HHabcdefgFF")
        keys, values = sess.run(fixed)
        assert sess.run(identity) == (b"work-item", b"work-item")
    # the partial record "g" is dropped, as by TF's reader
    assert list(keys) == [name.encode() + b":0", name.encode() + b":1"]
    assert list(values) == [b"abc", b"def"]


def test_reader_errors():
    queue = tf.FIFOQueue(2, tf.float32)
    with pytest.raises(TypeError, match="queue of strings"):
        tf.TextLineReader().read(queue)
    with pytest.raises(ValueError, match="record_bytes must be > 0"):
        tf.FixedLengthRecordReader(0)
    strings = tf.FIFOQueue(2, tf.string)
    keys, _ = tf.TextLineReader().read_up_to(strings, 0)
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="num_records must be > 0"):
        sess.run(keys)


def test_match_filenames_once(tmp_path):
    for n in ("b.csv", "a.csv", "c.txt"):
        (tmp_path / n).write_text("")
    files = tf.train.match_filenames_once(str(tmp_path / "*.csv"))
    assert files.name == "matching_filenames:0"
    assert files in tf.local_variables()
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert list(sess.run(files)) == [str(tmp_path / n).encode() for n in ("a.csv",
                                                                              "b.csv")]

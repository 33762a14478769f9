"""tf.parse_example / parse_single_example / parse_single_sequence_example against
TensorFlow's results on TF-written Examples, build-time shapes and clear errors."""
import numpy as np
import pytest

import staticgraph as tf
from tests.io.tf_io_fixtures import DATA, FIXTURES, RESULTS, assert_same

FEATURES = eval(DATA["features"], {"tf": tf})  # the configuration TF parsed with


def _examples():
    return list(tf.python_io.tf_record_iterator(str(FIXTURES / "examples.tfrecord")))


def _sequence():
    return next(tf.python_io.tf_record_iterator(str(FIXTURES / "sequence.tfrecord")))


def test_parse_example_matches_tensorflow():
    serialized = tf.placeholder(tf.string, [None])
    parsed = tf.parse_example(serialized, FEATURES)
    assert parsed["pixels"].shape.as_list() == [None, 2, 2]
    assert parsed["steps"].shape.as_list() == [None, None, 2]
    assert parsed["tags"].indices.shape.as_list() == [None, 2]
    with tf.Session() as sess:
        out = sess.run(parsed, {serialized: _examples()})
    for key, want in RESULTS["parse_example"].items():
        assert_same(out[key], want)


def test_parse_single_example_matches_tensorflow():
    parsed = tf.io.parse_single_example(_examples()[0], FEATURES)
    assert parsed["pixels"].shape.as_list() == [2, 2]
    assert parsed["label"].shape.as_list() == []
    with tf.Session() as sess:
        out = sess.run(parsed)
    for key, want in RESULTS["parse_single_example"].items():
        assert_same(out[key], want)


def test_parse_single_sequence_example_matches_tensorflow():
    context, lists = tf.parse_single_sequence_example(
        _sequence(), {"length": tf.FixedLenFeature([], tf.int64)},
        {"frames": tf.FixedLenSequenceFeature([2], tf.float32),
         "words": tf.VarLenFeature(tf.string)})
    assert lists["frames"].shape.as_list() == [None, 2]
    with tf.Session() as sess:
        got_context, got_lists = sess.run((context, lists))
    assert_same(got_context["length"], RESULTS["sequence_context"]["length"])
    for key, want in RESULTS["sequence_lists"].items():
        assert_same(got_lists[key], want)


def test_missing_required_feature_names_the_key():
    parsed = tf.parse_example(_examples(), {"label": tf.FixedLenFeature([], tf.int64)})
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="example 2: feature 'label'.*required"):
        sess.run(parsed)


def test_wrong_count_and_wrong_type_are_refused():
    with tf.Session() as sess:
        wrong_count = tf.parse_example(_examples(), {"pixels": tf.FixedLenFeature(
            [3], tf.float32)})
        with pytest.raises(tf.errors.InvalidArgumentError, match="4 float32 values, shape "
                                                                 r"\[3\] needs 3"):
            sess.run(wrong_count)
        wrong_type = tf.parse_example(_examples(), {"pixels": tf.FixedLenFeature(
            [2, 2], tf.int64)})
        with pytest.raises(tf.errors.InvalidArgumentError, match="expected int64_list, got "
                                                                 "float_list"):
            sess.run(wrong_type)
        garbage = tf.parse_example([b"\xff\xff"], {"x": tf.VarLenFeature(tf.int64)})
        with pytest.raises(tf.errors.InvalidArgumentError, match="could not parse"):
            sess.run(garbage)


def test_build_time_checks():
    with pytest.raises(ValueError, match="allow_missing=True"):
        tf.parse_example(_examples(), {"s": tf.FixedLenSequenceFeature([], tf.int64)})
    with pytest.raises(ValueError, match="int64, float32 or string"):
        tf.parse_example(_examples(), {"s": tf.FixedLenFeature([], tf.float64)})
    with pytest.raises(ValueError, match="default_value of shape"):
        tf.parse_example(_examples(), {"s": tf.FixedLenFeature([2], tf.int64, [1, 2, 3])})
    with pytest.raises(ValueError, match="string vector"):
        tf.parse_example(tf.placeholder(tf.string, [2, 2]),
                         {"s": tf.VarLenFeature(tf.int64)})
    with pytest.raises(ValueError, match="string scalar"):
        tf.parse_single_example(tf.placeholder(tf.string, [2]),
                                {"s": tf.VarLenFeature(tf.int64)})


def test_example_protos_are_tensorflow_wire_compatible():
    example = tf.train.Example(features=tf.train.Features(feature={
        "a": tf.train.Feature(int64_list=tf.train.Int64List(value=[5]))}))
    parsed = tf.parse_single_example(example.SerializeToString(),
                                     {"a": tf.FixedLenFeature([1], tf.int64)})
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(parsed["a"]), [5])
    first = tf.train.Example.FromString(_examples()[0])
    assert list(first.features.feature["tags"].bytes_list.value) == [b"cat", b"pet"]


def test_var_len_features_are_sparse_tensors():
    parsed = tf.parse_example(tf.placeholder(tf.string, [None]),
                              {"tags": tf.VarLenFeature(tf.string)})
    assert isinstance(parsed["tags"], tf.SparseTensor)
    assert parsed["tags"].dtype == tf.string
    dense = tf.sparse.to_dense(parsed["tags"], default_value="")
    with tf.Session() as sess:
        got = sess.run(dense, {parsed["tags"].values.op.inputs[0]: _examples()})
    assert got.tolist() == [[b"cat", b"pet"], [b"", b""], [b"dog", b""]]


def test_example_protos_leave_the_default_pool_to_tensorflow():
    """TensorFlow adds tensorflow.Example & co. to protobuf's default pool when imported:
    staticgraph's classes must not be there, or importing TF after staticgraph fails."""
    import subprocess
    import sys
    code = ("import staticgraph as tf\n"
            "from google.protobuf import descriptor_pb2, descriptor_pool\n"
            "f = descriptor_pb2.FileDescriptorProto(name='tensorflow/core/example/"
            "feature.proto', package='tensorflow', syntax='proto3')\n"
            "f.message_type.add(name='BytesList')\n"
            "descriptor_pool.Default().Add(f)\n"
            "example = tf.train.Example()\n"
            "example.features.feature['x'].int64_list.value.append(3)\n"
            "print(len(example.SerializeToString()))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "14"  # 0a 0c 0a 0a 0a 01 78 12 05 1a 03 0a 01 03

"""tf.decode_csv, decode_raw, decode_compressed, read_file/write_file, matching_files,
serialize_tensor/parse_tensor: TF's results (fixtures) and edge cases."""
import gzip
import zlib

import numpy as np
import pytest

import staticgraph as tf
from tests.io.tf_io_fixtures import DATA, RESULTS, assert_same, decoded


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def test_decode_csv_matches_tensorflow():
    lines = tf.placeholder(tf.string, [None])
    columns = tf.decode_csv(lines, [[0], [-1.0], ["?"]], na_value="NA")
    assert [c.dtype for c in columns] == [tf.int32, tf.float32, tf.string]
    assert all(c.shape.as_list() == [None] for c in columns)
    for got, want in zip(_run(columns, {lines: DATA["csv_lines"]}), RESULTS["decode_csv"]):
        assert_same(got, want)


def test_decode_csv_select_cols_delimiter_and_one_column():
    picked = tf.io.decode_csv(["1;x;2.5", "4;y;"], [[0], [1.0]], field_delim=";",
                              select_cols=[0, 2])
    ints, floats = _run(picked)
    np.testing.assert_array_equal(ints, [1, 4])
    np.testing.assert_array_equal(floats, np.float32([2.5, 1.0]))
    (single,) = tf.decode_csv("abc", [["z"]])
    assert _run(single) == b"abc"
    quoted, = tf.decode_csv('"a""b"', [[""]], use_quote_delim=True)
    raw, = tf.decode_csv('"a""b"', [[""]], use_quote_delim=False)
    assert _run([quoted, raw]) == [b'a"b', b'"a""b"']


@pytest.mark.parametrize("record, defaults, message", [
    ("1,2", [[0]], "expect 1 fields but have 2 in record 0"),
    (",2", [[], [0]], "field 0 is required but missing in record 0"),
    ("1.5", [[0]], "field 0 in record 0 is not a valid int32"),
    ('"ab', [[""]], "ends inside a quoted field"),
    ("99999999999", [[0]], "not a valid int32"),
])
def test_decode_csv_errors(record, defaults, message):
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        _run(tf.decode_csv(record, defaults))


def test_decode_csv_build_time_checks():
    with pytest.raises(ValueError, match="at most one element"):
        tf.decode_csv("1", [[1, 2]])
    with pytest.raises(TypeError, match="must be float32, float64, int32, int64 or string"):
        tf.decode_csv("1", [[True]])
    with pytest.raises(ValueError, match="strictly increasing"):
        tf.decode_csv("1,2", [[0], [0]], select_cols=[1, 0])


def test_decode_raw_endianness_and_shapes():
    data = tf.constant([b"\x01\x00\x02\x00", b"\x03\x00\x04\x00"])
    little = tf.decode_raw(data, tf.int16)
    assert little.shape.as_list() == [2, None]
    big = tf.io.decode_raw(data, tf.uint16, little_endian=False)
    got_little, got_big = _run([little, big])
    np.testing.assert_array_equal(got_little, np.int16([[1, 2], [3, 4]]))
    np.testing.assert_array_equal(got_big, np.uint16([[256, 512], [768, 1024]]))
    floats = _run(tf.decode_raw(np.float32([1.5, -2.0]).tobytes(), tf.float32))
    np.testing.assert_array_equal(floats, np.float32([1.5, -2.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="same length"):
        _run(tf.decode_raw([b"ab", b"abcd"], tf.int16))
    with pytest.raises(tf.errors.InvalidArgumentError, match="not a multiple of 4"):
        _run(tf.decode_raw([b"abc"], tf.int32))


def test_decode_compressed():
    data = tf.constant([zlib.compress(b"hello"), zlib.compress(b"")])
    np.testing.assert_array_equal(_run(tf.decode_compressed(data, "ZLIB")), [b"hello", b""])
    assert _run(tf.io.decode_compressed(gzip.compress(b"xy"), "GZIP")) == b"xy"
    assert _run(tf.decode_compressed(b"as is")) == b"as is"
    with pytest.raises(tf.errors.InvalidArgumentError, match="not valid ZLIB"):
        _run(tf.decode_compressed(b"nonsense", "ZLIB"))


def test_read_write_file_and_matching_files(tmp_path):
    path = str(tmp_path / "sub" / "a.bin")
    contents = tf.placeholder(tf.string, [])
    with tf.Session() as sess:
        sess.run(tf.write_file(path, contents), {contents: b"\x00bytes\xff"})
        (tmp_path / "b.bin").write_bytes(b"")
        assert sess.run(tf.read_file(path)) == b"\x00bytes\xff"
        found = sess.run(tf.matching_files(str(tmp_path / "*" / "*.bin")))
        both = sess.run(tf.io.matching_files([str(tmp_path / "*.bin"), path]))
        with pytest.raises(tf.errors.NotFoundError, match="missing.bin"):
            sess.run(tf.io.read_file(str(tmp_path / "missing.bin")))
    np.testing.assert_array_equal(found, [path.encode()])
    np.testing.assert_array_equal(both, sorted([str(tmp_path / "b.bin").encode(),
                                                path.encode()]))
    with pytest.raises(ValueError, match="rank 0"):
        tf.read_file(["a", "b"])


@pytest.mark.parametrize("key, value, dtype", [
    ("float32_2x3", np.arange(6, dtype=np.float32).reshape(2, 3), tf.float32),
    ("int64_scalar", np.int64(7), tf.int64),
    ("string_vector", np.array([b"x", b"yz"], dtype=object), tf.string),
])
def test_serialize_and_parse_tensor_match_tensorflow(key, value, dtype):
    serialized = tf.serialize_tensor(tf.constant(value, dtype))
    assert serialized.shape.as_list() == []
    (want,) = decoded(RESULTS["serialize_tensor"][key]).ravel()
    got = _run(serialized)
    from staticgraph.io.protos import TensorProto
    assert TensorProto.FromString(got) == TensorProto.FromString(want)
    parsed = _run(tf.parse_tensor(want, dtype))
    np.testing.assert_array_equal(parsed, value)


def test_parse_tensor_type_mismatch_and_garbage():
    serialized = tf.serialize_tensor(tf.constant([1.0, 2.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"float32\) and out_type "
                                                             r"\(int32"):
        _run(tf.parse_tensor(serialized, tf.int32))
    with pytest.raises(tf.errors.InvalidArgumentError, match="could not parse"):
        _run(tf.io.parse_tensor(b"\xff\xff\xff", tf.float32))


def test_base64_is_web_safe_and_round_trips():
    data = tf.constant([b"\xfb\xff\x01", b"ab", b""])
    plain, padded = tf.io.encode_base64(data), tf.io.encode_base64(data, pad=True)
    got_plain, got_padded, back = _run([plain, padded, tf.io.decode_base64(padded)])
    assert list(got_plain) == [b"-_8B", b"YWI", b""]  # TF's results
    assert list(got_padded) == [b"-_8B", b"YWI=", b""]
    assert list(back) == [b"\xfb\xff\x01", b"ab", b""]
    assert list(_run(tf.io.decode_base64(got_plain))) == list(back)
    with pytest.raises(tf.errors.InvalidArgumentError, match="element 0 is not valid"):
        _run(tf.io.decode_base64("a+b/"))


def test_decode_json_example_feeds_parse_example():
    text = '{"features": {"feature": {"a": {"int64List": {"value": ["1", 2]}}, ' \
           '"b": {"bytesList": {"value": ["eHk="]}}}}}'
    binary = tf.decode_json_example([text])
    assert binary.shape.as_list() == [1]
    parsed = tf.parse_example(binary, {"a": tf.FixedLenFeature([2], tf.int64),
                                       "b": tf.FixedLenFeature([], tf.string)})
    got = _run(parsed)
    np.testing.assert_array_equal(got["a"], [[1, 2]])
    assert list(got["b"]) == [b"xy"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="decode_json_example"):
        _run(tf.decode_json_example('{"nope": 1}'))

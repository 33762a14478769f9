"""The string ops beyond TF's values (tests/ops/test_string_tf1.py has those): errors that
name the op and the offending string, refusals, build-time shapes, op names, string
placeholders and tf.data pipelines."""
import numpy as np
import pytest

import staticgraph as tf


def _run(fetch, feed=None):
    with tf.Session() as sess:
        return sess.run(fetch, feed)


def test_to_number_error_names_the_op_and_the_string():
    p = tf.placeholder(tf.string, [None])
    number = tf.string_to_number(p)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"StringToNumber(.|\n)*could not correctly convert(.|\n)*'12x'"):
        _run(number, {p: ["1", "12x"]})
    np.testing.assert_array_equal(_run(number, {p: [b"1", "2.5"]}), [1.0, 2.5])


def test_substr_error_names_the_op_position_and_string():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Substr(.|\n)*pos 7 out of range for string b'hello'"):
        _run(tf.substr(["hello"], 7, 1))


def test_failed_run_leaves_variables_unchanged():
    p = tf.placeholder(tf.string, [])
    v = tf.Variable(1.0, dtype=tf.float32)
    update = tf.assign(v, tf.string_to_number(p))
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(update, {p: "not a number"})
        assert sess.run(v) == 1.0
        sess.run(update, {p: " 4.5 "})
        assert sess.run(v) == 4.5


@pytest.mark.parametrize("pattern, what", [
    ("(?=a)", "lookahead"), ("(?<=a)b", "lookbehind"), ("(a)\\1", "backreferences"),
    ("(?P<x>a)(?P=x)", "backreferences"), ("\\pL", "Unicode classes"),
    ("\\p{Greek}", "Unicode classes"), ("[[:alpha:]]", "POSIX classes"),
    ("\\Qa.b\\E", "quoting"), ("a(?i)b", "flag group"), ("(?U)a+", "flags"),
    ("\\x{41}", "\\\\x"), ("a\\Z", "RE2 lacks"), ("(?m:a$)", "multi-line")])
def test_regex_syntax_python_cannot_honour_is_refused_at_build(pattern, what):
    with pytest.raises(ValueError, match=f"(?s)StaticRegexReplace.*{what}.*not support"):
        tf.regex_replace(["a"], pattern, "x")
    with pytest.raises(ValueError, match="not support"):
        tf.strings.regex_full_match(["a"], pattern)


@pytest.mark.parametrize("rewrite, message", [("\\q", "invalid rewrite"),
                                              ("\\2", "group 2 but the pattern has 1")])
def test_bad_rewrites_are_refused(rewrite, message):
    with pytest.raises(ValueError, match=message):
        tf.regex_replace(["ab"], "(a)", rewrite)


def test_invalid_pattern_names_the_pattern():
    with pytest.raises(ValueError, match=r"invalid regex pattern 'a\('"):
        tf.strings.regex_full_match(["a"], "a(")


def test_regex_pattern_must_be_python_text():
    with pytest.raises(TypeError, match="pattern must be a Python string"):
        tf.regex_replace(["a"], tf.constant("a"), "b")


@pytest.mark.parametrize("split", [
    lambda: tf.string_split(["a b"], result_type="RaggedTensor"),
    lambda: tf.strings.split(["a b"], result_type="RaggedTensor")])
def test_ragged_results_are_refused(split):
    with pytest.raises(ValueError, match="no RaggedTensor"):
        split()


def test_build_time_shapes_and_dtypes():
    p = tf.placeholder(tf.string, [None, 3])
    tokens = tf.strings.split(p)
    assert isinstance(tokens, tf.SparseTensor)
    assert tokens.indices.shape.as_list() == [None, 3]
    assert tokens.dense_shape.shape.as_list() == [3]
    assert tf.string_split(tf.placeholder(tf.string, [4])).indices.shape.as_list() == [None, 2]
    assert tf.reduce_join(p, 1, keep_dims=True).shape.as_list() == [None, 1]
    assert tf.reduce_join(p, [0, 1]).shape.as_list() == []
    assert tf.substr(p, [0, 1, 2], [1, 1, 1]).shape.as_list() == [None, 3]
    assert tf.strings.length(p).dtype == tf.int32
    assert tf.strings.to_number(p, tf.int64).dtype == tf.int64
    assert tf.string_to_hash_bucket_fast(p, 5).dtype == tf.int64
    assert tf.strings.regex_full_match(p, "a").dtype == tf.bool
    assert tf.strings.unsorted_segment_join(p, [0, 0, 1, 1], 2).shape.as_list() == [2, 3]
    assert tf.strings.ngrams(p, [2, 3]).shape.as_list() == [None, 3]
    assert tf.strings.format("{}", p).shape.as_list() == []


def test_bad_input_names_the_op_and_shapes():
    with pytest.raises(ValueError, match=r"StringSplit.*vector \(rank 1\), got shape \(2, 2\)"):
        tf.string_split(tf.constant([["a", "b"], ["c", "d"]]))
    with pytest.raises(ValueError, match="ReduceJoin: axis \\[2\\] is invalid.*rank 2"):
        tf.reduce_join(tf.constant([["a"]]), 2)
    with pytest.raises(ValueError, match="reduce_join: axis must be a constant"):
        tf.reduce_join([["a"]], tf.placeholder(tf.int32, []))
    assert tf.reduce_join([["a", "b"]], tf.constant(-1)).shape.as_list() == [1]
    with pytest.raises(ValueError, match="UnsortedSegmentJoin.*prefix"):
        tf.strings.unsorted_segment_join(tf.constant([["a"]]), [0, 1, 2], 3)
    with pytest.raises(ValueError, match="StringFormat.*2 placeholders"):
        tf.strings.format("{}{}", [tf.constant(1)])
    with pytest.raises(ValueError, match="num_buckets must be at least 1"):
        tf.string_to_hash_bucket_fast(["a"], 0)
    with pytest.raises(TypeError, match="out_type"):
        tf.string_to_number(["1"], tf.string)
    with pytest.raises(TypeError, match="Substr: pos and len"):
        tf.substr(["a"], tf.constant([0], tf.int64), tf.constant([1], tf.int32))
    with pytest.raises(TypeError, match="StringLength takes a string tensor"):
        tf.strings.length(tf.placeholder(tf.float32, [2]))
    with pytest.raises(ValueError, match="unit must be one of"):
        tf.strings.length(["a"], unit="CHAR")


def test_op_names_are_uniquified_as_tf1():
    a, b = tf.substr(["ab"], 0, 1), tf.substr(["ab"], 0, 1)
    assert (a.op.name, b.op.name) == ("Substr", "Substr_1")
    assert tf.regex_replace(["a"], "a", "b").op.type == "StaticRegexReplace"
    assert tf.string_split(["a"], name="words").values.op.name == "words"


def test_text_pipeline_in_a_dataset_map(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("1,2, 3\nHello World,x\n")
    lines = tf.data.TextLineDataset(str(path))
    words = lines.map(lambda line: tf.strings.lower(tf.string_split([line], ",").values))
    numbers = tf.data.Dataset.from_tensor_slices(["1 2", "30 4"]).map(
        lambda line: tf.reduce_sum(tf.string_to_number(tf.strings.split([line]).values,
                                                       tf.int32)))
    word_next = tf.data.make_one_shot_iterator(words).get_next()
    number_next = tf.data.make_one_shot_iterator(numbers).get_next()
    with tf.Session() as sess:
        assert list(sess.run(word_next)) == [b"1", b"2", b" 3"]
        assert list(sess.run(word_next)) == [b"hello world", b"x"]
        assert [sess.run(number_next), sess.run(number_next)] == [3, 34]


def test_string_placeholders_take_str_bytes_and_broadcast():
    p = tf.placeholder(tf.string, None)
    q = tf.placeholder(tf.string, [None])
    joined = tf.reduce_join(tf.strings.upper(p), -1, separator="|")
    assert _run(joined, {p: [["a", b"b"], ["\u00e9", "d"]]}).tolist() == [b"A|B", b"\xc3\xa9|D"]
    assert _run(tf.substr(q, [[1], [0]], [[1], [2]]), {q: ["abc", "de"]}).tolist() == [
        [b"b", b"e"], [b"ab", b"de"]]


def test_strings_have_no_gradient():
    x = tf.placeholder(tf.float64, [2])
    y = tf.string_to_number(tf.as_string(x), tf.float64)
    assert tf.gradients(tf.reduce_sum(y), x) == [None]


def test_unicode_refusals_name_the_op():
    with pytest.raises(ValueError, match="unicode_transcode: encoding 'UTF-7' is not supported"):
        tf.strings.unicode_transcode(["a"], "UTF-7", "UTF-8")
    with pytest.raises(ValueError, match="unicode_encode: errors must be one of"):
        tf.strings.unicode_encode([65], "UTF-8", errors="skip")
    with pytest.raises(ValueError, match="replacement_char 55296 is not a Unicode scalar"):
        tf.strings.unicode_encode([65], "UTF-8", replacement_char=0xD800)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"UnicodeTranscode(.|\n)*invalid input b'a\\xffb'"):
        _run(tf.strings.unicode_transcode([b"a\xffb"], "UTF-8", "UTF-8", errors="strict"))
    with pytest.raises(ValueError, match="Fingerprint: the data must have at least one axis"):
        tf.fingerprint(tf.constant(1))

"""String-op cases compared with TensorFlow 1's values (tests/ops/data/string_tf1.json,
written by ``tools/make_string_fixtures.py`` under ``tensorflow.compat.v1``).

Each case builds ``(fetch, feed)`` from a TF1-style module ``tf`` (staticgraph or
TensorFlow), so both build the same graph. Only NumPy is imported here.
"""
import numpy as np

_WORDS = ["hello world", "", "  padded\t", "héllo wörld", b"caf\xc3\xa9 \xff"]


# ASCII strings of every length class of the hashes (0-16, 17-32, 33-64, many 64-byte blocks)
_LENGTHS = ["".join(chr(33 + (7 * n + 3 * j) % 90) for j in range(n)) for n in range(0, 260, 3)]


def _ph(tf, value, shape=None):
    p = tf.placeholder(tf.string, shape)
    return p, {p: value}


def _fed_split(tf):
    p, feed = _ph(tf, ["a b", "c  d e", ""], [None])
    return tf.string_split(p), feed


def _fed_substr(tf):
    p, feed = _ph(tf, [["abc", "de"], ["f", "ghij"]], [None, 2])
    return tf.substr(p, [0, 1], [2, 5]), feed


CASES = {
    # string_split (v1): delimiter bytes, skip_empty, empty delimiter
    "split_v1_default": lambda tf: (tf.string_split(["a  b", "", "c,d", " x "]), None),
    "split_v1_delims": lambda tf: (tf.string_split(["a  b", "", "c,d"], " ,",
                                                   skip_empty=False), None),
    "split_v1_sep_kwarg": lambda tf: (tf.string_split(["a,b,,c"], sep=","), None),
    "split_v1_bytes": lambda tf: (tf.string_split(["ab c", "é"], delimiter=""), None),
    "split_v1_whitespace_is_not_space": lambda tf: (tf.string_split(["a\tb\nc d"]), None),
    "split_v1_rank2": lambda tf: (tf.string_split([["a b"]]), None),
    "split_v1_fed": _fed_split,
    # strings.split (compat.v1: a SparseTensor)
    "split_v2_whitespace": lambda tf: (tf.strings.split(["a  b c", " ", "", "\tx\ny "]),
                                       None),
    "split_v2_sep": lambda tf: (tf.strings.split(["a  b c", " ", ""], sep=" "), None),
    "split_v2_maxsplit": lambda tf: (tf.strings.split(["a<>b<>c", "<>"], sep="<>",
                                                      maxsplit=1), None),
    "split_v2_rank2": lambda tf: (tf.strings.split([["a b", "c"], ["d", ""]]), None),
    "split_v2_scalar": lambda tf: (tf.strings.split("a b"), None),
    "split_v2_unicode_space": lambda tf: (tf.strings.split(["a\u3000b\xa0c d"]), None),
    # strip, case, length
    "strip": lambda tf: (tf.string_strip([" \t a b\n\x0b\x0c\r", "", "x", "\xa0y"]), None),
    "strings_strip": lambda tf: (tf.strings.strip([["  a"], ["b  "]]), None),
    "lower_ascii": lambda tf: (tf.strings.lower(["HÉllo WORLD", ""]), None),
    "lower_utf8": lambda tf: (tf.strings.lower(["HÉllo", "ΣΑΣ"], encoding="utf-8"), None),
    "upper_ascii": lambda tf: (tf.strings.upper(["héllo", b"\xff"]), None),
    "upper_utf8": lambda tf: (tf.strings.upper(["ßé", "straße"], encoding="utf-8"), None),
    "length_bytes": lambda tf: (tf.strings.length(_WORDS), None),
    "length_invalid_utf8": lambda tf: (tf.strings.length([b"\xff\x80a", b"\xc3"],
                                                         unit="UTF8_CHAR"), None),
    "upper_utf8_invalid": lambda tf: (tf.strings.upper([b"a\xffb"], encoding="utf-8"), None),
    "length_chars": lambda tf: (tf.strings.length([["", "héllo"], ["日本語", "a"]],
                                                  unit="UTF8_CHAR"), None),
    # substr: negative pos, long len, negative len, broadcasting, UTF-8, errors
    "substr": lambda tf: (tf.substr(["hello", "héllo", ""], 0, 3), None),
    "substr_middle": lambda tf: (tf.substr(["hello", "héllo"], 1, 3), None),
    "substr_negative_pos": lambda tf: (tf.substr(["hello"], -2, 3), None),
    "substr_at_end": lambda tf: (tf.substr(["hello"], 5, 1), None),
    "substr_past_end": lambda tf: (tf.substr(["hello"], 6, 1), None),
    "substr_before_start": lambda tf: (tf.substr(["hello"], -6, 1), None),
    "substr_negative_len": lambda tf: (tf.substr(["hello"], 1, -1), None),
    "substr_utf8": lambda tf: (tf.strings.substr(["héllo", "日本語"], 1, 2,
                                                 unit="UTF8_CHAR"), None),
    "substr_utf8_negative": lambda tf: (tf.strings.substr(["日本語"], -1, 5,
                                                          unit="UTF8_CHAR"), None),
    "substr_broadcast_rows": lambda tf: (tf.substr([["ab", "cd"], ["ef", "gh"]], [0, 1],
                                                   [1, 1]), None),
    "substr_broadcast_scalar": lambda tf: (tf.substr("abcdef", [0, 1, 2], [1, 2, 3]), None),
    "substr_elementwise": lambda tf: (tf.substr(["abc", "defg"], [1, 2], [1, 9]), None),
    "substr_fed": _fed_substr,
    # regex_replace / regex_full_match
    "regex_whole_match": lambda tf: (tf.regex_replace(["aaa bbb", "x"], "a+", "<\\0>"), None),
    "regex_empty_matches": lambda tf: (tf.regex_replace(["abxd", ""], "x*", "-"), None),
    "regex_groups_first_only": lambda tf: (tf.regex_replace(
        ["hello world again"], "(\\w+) (\\w+)", "\\2 \\1", replace_global=False), None),
    "regex_backslash": lambda tf: (tf.regex_replace(["a.b.c"], "\\.", "\\\\"), None),
    "regex_dot_unicode": lambda tf: (tf.regex_replace(["héllo"], ".", "x"), None),
    "regex_word_ascii": lambda tf: (tf.regex_replace(["é1_"], "\\w", "x"), None),
    "regex_dollar_end_only": lambda tf: (tf.regex_replace(["ab\n", "ab"], "b$", "X"), None),
    "regex_multiline": lambda tf: (tf.regex_replace(["ab\nab"], "(?m)b$", "X"), None),
    "regex_anchors": lambda tf: (tf.strings.regex_replace(["aaa"], "^a", "b"), None),
    "regex_lazy": lambda tf: (tf.strings.regex_replace(["<a><b>"], "<.*?>", "[]"), None),
    "regex_class_space": lambda tf: (tf.regex_replace(["a\tb\x0bc d"], "\\s", "_"), None),
    "regex_unmatched_group": lambda tf: (tf.regex_replace(["ac"], "a(b)?c", "[\\1]"), None),
    "regex_case_flag": lambda tf: (tf.regex_replace(["AbA"], "(?i)a", "x"), None),
    "regex_named_group": lambda tf: (tf.regex_replace(["ab"], "(?P<x>a)", "\\1\\1"), None),
    "regex_punctuation": lambda tf: (tf.regex_replace(["Hello, World! 42"], "[^a-z ]", ""),
                                     None),
    "regex_lookahead_refused": lambda tf: (tf.regex_replace(["a"], "(?=a)", "x"), None),
    "full_match": lambda tf: (tf.strings.regex_full_match(["abc", "ab", "", "aXc"], "a.c"),
                              None),
    "full_match_alternation": lambda tf: (tf.strings.regex_full_match(
        [["12", "1a"], ["", "007"]], "[0-9]+|"), None),
    # string_to_number
    "to_number_float": lambda tf: (tf.string_to_number(
        [" 1.5", "1e3", "inf", "-Infinity", "0x10", "1.5 ", "-.5", "+2", "1e40"]), None),
    "to_number_nan": lambda tf: (tf.is_nan(tf.strings.to_number(["nan", "-nan", "1"],
                                                                tf.float64)), None),
    "to_number_int32": lambda tf: (tf.string_to_number(["12", " 3", "-4", "2147483647"],
                                                       out_type=tf.int32), None),
    "to_number_int64": lambda tf: (tf.strings.to_number(["-9223372036854775808", "0"],
                                                        out_type=tf.int64), None),
    "to_number_bad": lambda tf: (tf.string_to_number(["1", "abc"]), None),
    "to_number_empty": lambda tf: (tf.string_to_number([""], out_type=tf.float64), None),
    "to_number_int_overflow": lambda tf: (tf.string_to_number(["3000000000"],
                                                              out_type=tf.int32), None),
    "to_number_int_fraction": lambda tf: (tf.string_to_number(["1.5"], out_type=tf.int64),
                                          None),
    "to_number_plus_int": lambda tf: (tf.string_to_number(["+7"], out_type=tf.int64), None),
    "to_number_int_hex": lambda tf: (tf.string_to_number(["0x10"], out_type=tf.int32), None),
    "to_number_int_exponent": lambda tf: (tf.string_to_number(["1e3"], out_type=tf.int64),
                                          None),
    "to_number_dots": lambda tf: (tf.string_to_number(["5.", "infinity", "-.5e-1"]), None),
    "to_number_lone_dot": lambda tf: (tf.string_to_number(["."]), None),
    "to_number_open_exponent": lambda tf: (tf.string_to_number(["1.5e"]), None),
    "to_number_blank": lambda tf: (tf.string_to_number([" "]), None),
    "to_number_underscore": lambda tf: (tf.string_to_number(["1_000"]), None),
    # reduce_join
    "reduce_join_axes_10": lambda tf: (tf.reduce_join([["a", "b"], ["c", "d"]], axis=[1, 0],
                                                      separator="-"), None),
    "reduce_join_axes_01": lambda tf: (tf.reduce_join([["a", "b"], ["c", "d"]], axis=[0, 1],
                                                      separator="-"), None),
    "reduce_join_keep_dims": lambda tf: (tf.reduce_join([["a", "b"], ["c", "d"]], axis=0,
                                                        keep_dims=True), None),
    "reduce_join_all": lambda tf: (tf.reduce_join([["a", "b"], ["c", "d"]]), None),
    "reduce_join_last": lambda tf: (tf.strings.reduce_join([["a", "b"], ["c", "d"]], -1,
                                                           separator=" "), None),
    "reduce_join_empty_axis": lambda tf: (tf.reduce_join(tf.zeros([2, 0], tf.string),
                                                         axis=1), None),
    "reduce_join_no_axes": lambda tf: (tf.reduce_join(["a", "b"], axis=[]), None),
    "reduce_join_3d": lambda tf: (tf.strings.reduce_join(
        [[["a", "b"], ["c", "d"]], [["e", "f"], ["g", "h"]]], axis=[2, 0], separator=".",
        keepdims=True), None),
    # unsorted_segment_join
    "segment_join": lambda tf: (tf.strings.unsorted_segment_join(
        ["a", "b", "c", "d"], [1, 0, 1, 3], 4, separator=":"), None),
    "segment_join_rows": lambda tf: (tf.strings.unsorted_segment_join(
        [["a", "b"], ["c", "d"]], [1, 1], 2), None),
    "segment_join_out_of_range": lambda tf: (tf.strings.unsorted_segment_join(
        ["a"], [5], 2), None),
    "segment_join_negative": lambda tf: (tf.strings.unsorted_segment_join(
        ["a", "b"], [-1, 0], 2), None),
    # strings.format
    "format_vector_and_string": lambda tf: (tf.strings.format(
        "x={} y={}", [tf.constant([1, 2, 3, 4, 5]), tf.constant("s")]), None),
    "format_matrix": lambda tf: (tf.strings.format("{}", [tf.constant([[1.5, 2.0],
                                                                        [3.0, 4.0]])]), None),
    "format_strings": lambda tf: (tf.strings.format("{}", [tf.constant(["a", "b\n\"c"])]),
                                  None),
    "format_scalar_float": lambda tf: (tf.strings.format("{}", tf.constant(2.5)), None),
    "format_float_digits": lambda tf: (tf.strings.format("{} {}", [
        tf.constant([0.1, 1e20, 1.0 / 3.0]), tf.constant([0.1, 1.0 / 3.0], tf.float64)]),
        None),
    "format_bool": lambda tf: (tf.strings.format("{}", tf.constant([True, False])), None),
    "format_elided": lambda tf: (tf.strings.format("{}", tf.reshape(tf.range(30), [5, 6]),
                                                   summarize=2), None),
    "format_3d": lambda tf: (tf.strings.format("t: {}", tf.reshape(tf.range(8), [2, 2, 2])),
                             None),
    "format_all": lambda tf: (tf.strings.format("{}", tf.range(9), summarize=-1), None),
    "format_placeholder": lambda tf: (tf.strings.format("a%b%", [tf.constant(1),
                                                                 tf.constant(2)],
                                                        placeholder="%"), None),
    "format_empty": lambda tf: (tf.strings.format("[{}]", tf.zeros([0], tf.int32)), None),
    "format_count_mismatch": lambda tf: (tf.strings.format("{} {}", [tf.constant(1)]), None),
    # ngrams of dense tokens
    "ngrams_bigrams": lambda tf: (tf.strings.ngrams(tf.constant([["a", "b", "c"],
                                                                 ["d", "e", "f"]]), 2), None),
    "ngrams_widths_padded": lambda tf: (tf.strings.ngrams(
        tf.constant([["a", "b", "c"]]), [1, 3], separator="_", pad_values=("<", ">")), None),
    "ngrams_padding_width": lambda tf: (tf.strings.ngrams(
        tf.constant([["a", "b"]]), 3, pad_values="#", padding_width=1), None),
    "ngrams_too_short": lambda tf: (tf.strings.ngrams(tf.constant([["a", "b"]]), 3), None),
    "ngrams_preserve_short": lambda tf: (tf.strings.ngrams(
        tf.constant([["a", "b"]]), 3, preserve_short_sequences=True), None),
    "ngrams_vector": lambda tf: (tf.strings.ngrams(tf.constant(["a", "b", "c", "d"]), 3),
                                 None),
    # hashing (FarmHash Fingerprint64, TF's legacy Hash64, SipHash) and base64
    "hash_fast": lambda tf: (tf.string_to_hash_bucket_fast(
        ["", "a", "hello", "x" * 100, "héllo", "a" * 17, "b" * 33, "c" * 64, "d" * 65,
         "e" * 128, "f" * 129, "0123456789" * 30], 2 ** 62), None),
    "hash_fast_lengths": lambda tf: (tf.string_to_hash_bucket_fast(_LENGTHS, 2 ** 63 - 1),
                                     None),
    "hash_legacy_lengths": lambda tf: (tf.string_to_hash_bucket(_LENGTHS, 2 ** 63 - 1), None),
    "hash_strong_lengths": lambda tf: (tf.string_to_hash_bucket_strong(
        _LENGTHS, 2 ** 63 - 1, [-5, 2 ** 63 - 1]), None),
    "hash_fast_small": lambda tf: (tf.strings.to_hash_bucket_fast([["a", "b"], ["c", ""]],
                                                                  10), None),
    "hash_legacy": lambda tf: (tf.string_to_hash_bucket(
        ["", "a", "hello", "x" * 100, "1234567", "12345678", "123456789"], 2 ** 62), None),
    "hash_legacy_small": lambda tf: (tf.strings.to_hash_bucket(["a", "b", "c"], 7), None),
    "hash_strong": lambda tf: (tf.string_to_hash_bucket_strong(
        ["", "a", "hello", "12345678", "x" * 100], 2 ** 62, [1, 2]), None),
    "hash_strong_key": lambda tf: (tf.strings.to_hash_bucket_strong(
        ["a", "b"], 1000, [2 ** 63, 12345]), None),
    "fingerprint_strings": lambda tf: (tf.fingerprint(["", "a", "hello", "x" * 70]), None),
    "fingerprint_string_rows": lambda tf: (tf.fingerprint([["a", "b"], ["c", "d"]]), None),
    "fingerprint_numbers": lambda tf: (tf.fingerprint(tf.constant([[1, 2], [3, 4]])), None),
    "fingerprint_floats": lambda tf: (tf.fingerprint(tf.constant([[1.5], [-0.0]],
                                                                 tf.float64)), None),
    "fingerprint_scalar": lambda tf: (tf.fingerprint(tf.constant(1)), None),
    # unicode_encode / unicode_transcode on dense tensors
    "unicode_encode_utf8": lambda tf: (tf.strings.unicode_encode(
        [[104, 233, 0x65E5], [0x110000, -1, 65]], "UTF-8"), None),
    "unicode_encode_utf16": lambda tf: (tf.strings.unicode_encode([104, 0x1F600],
                                                                  "UTF-16-BE"), None),
    "unicode_encode_utf32": lambda tf: (tf.strings.unicode_encode([104, 0x1F600],
                                                                  "UTF-32-BE"), None),
    "unicode_encode_strict": lambda tf: (tf.strings.unicode_encode([0x110000], "UTF-8",
                                                                   errors="strict"), None),
    "unicode_encode_ignore": lambda tf: (tf.strings.unicode_encode(
        [65, 0x110000, 0xD800, 66], "UTF-8", errors="ignore"), None),
    "unicode_encode_replacement": lambda tf: (tf.strings.unicode_encode(
        [65, 0xD800, 66], "UTF-8", replacement_char=63), None),
    "unicode_encode_empty": lambda tf: (tf.strings.unicode_encode(
        tf.zeros([2, 3, 0], tf.int32), "UTF-8"), None),
    "unicode_script": lambda tf: (tf.strings.unicode_script(
        [[72, 0x3B1, 0x416, 0x5D0, 0x627, 0x4E2D, 0x3042], [0x30A2, 0xAC00, 0x0E01, 32, 0x300,
                                                            -1, 0x110000]]), None),
    "unicode_script_bounds": lambda tf: (tf.strings.unicode_script(
        [0, 0x10FFFF, 0x10FFFE, 0xE0001, 0x1F600, 0xD800, 0xFFFD]), None),
    "transcode_to_utf16": lambda tf: (tf.strings.unicode_transcode(
        [b"h\xc3\xa9", b"a\xffb", b"\xe6\x97", b"x\x00\x01y"], "UTF-8", "UTF-16-BE"), None),
    "transcode_invalid_utf8": lambda tf: (tf.strings.unicode_transcode(
        [b"a\xffb", b"\xe6\x97a", b"\xf0\x9f\x98", b"\xed\xa0\x80z", b"\xc0\xafz",
         b"\xe0\x80\x80z", "\ufffd"], "UTF-8", "UTF-8"), None),
    "transcode_ignore": lambda tf: (tf.strings.unicode_transcode(
        [b"a\xffb"], "UTF-8", "UTF-8", errors="ignore"), None),
    "transcode_strict": lambda tf: (tf.strings.unicode_transcode(
        [b"a\xffb"], "UTF-8", "UTF-8", errors="strict"), None),
    "transcode_replacement_char": lambda tf: (tf.strings.unicode_transcode(
        [b"a\xffb"], "UTF-8", "UTF-32-BE", replacement_char=42), None),
    "transcode_controls": lambda tf: (tf.strings.unicode_transcode(
        [b"x\x00\x01\ty\x7f"], "UTF-8", "UTF-8", replace_control_characters=True), None),
    "transcode_from_utf16": lambda tf: (tf.strings.unicode_transcode(
        [b"\x00h\x00i", b"\xd8\x00a", b"\xd8\x00\x00a", b"\xfe\xff\x00a"], "UTF-16-BE",
        "UTF-8"), None),
    "transcode_latin1": lambda tf: (tf.strings.unicode_transcode([b"h\xe9"], "ISO-8859-1",
                                                                 "UTF-8"), None),
    "transcode_bom_kept": lambda tf: (tf.strings.unicode_transcode([b"\xef\xbb\xbfa"], "UTF-8",
                                                                   "UTF-16-BE"), None),
    "base64_roundtrip": lambda tf: ([tf.encode_base64(["hi?>", "", "\xff\xfe"], pad=True),
                                     tf.encode_base64(["hi?>"]),
                                     tf.decode_base64(["aGk_Pg", "aGk_Pg=="])], None),
    # the string basics with the new ops
    "join_then_split": lambda tf: (tf.strings.split(tf.strings.join(
        [tf.constant(["a", "b"]), "c d"], separator=" ")), None),
}


def to_json(value):
    """A fetched value as JSON data: arrays as dtype, shape and flat items (bytes as text,
    undecodable bytes kept through ``surrogateescape``), SparseTensorValues as their three
    arrays, lists item by item."""
    if isinstance(value, (list, tuple)) and not hasattr(value, "dense_shape"):
        return {"list": [to_json(v) for v in value]}
    if hasattr(value, "dense_shape"):
        return {"sparse": [to_json(value.indices), to_json(value.values),
                           to_json(value.dense_shape)]}
    array = np.asarray(value)
    items = [v.decode("utf-8", "surrogateescape") if isinstance(v, bytes) else v
             for v in array.ravel().tolist()]
    kind = "string" if array.dtype.kind in "OS" else array.dtype.name
    return {"dtype": kind, "shape": list(array.shape), "items": items}

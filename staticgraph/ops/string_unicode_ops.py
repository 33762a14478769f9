"""Unicode conversions of dense tensors: ``tf.strings.unicode_encode`` (code points to
strings), ``tf.strings.unicode_transcode`` (strings from one encoding to another) and
``tf.strings.unicode_script`` (the ICU script code of each code point, read from the table
ops/data/unicode_scripts.npz that tools/make_unicode_scripts.py took from TensorFlow).

The forms of TF that take or return RaggedTensors (``unicode_decode``, ``unicode_split``,
ragged input to ``unicode_encode``) are not provided: staticgraph has no RaggedTensor.
Invalid input follows TF's ``errors`` modes: ``'replace'`` puts ``replacement_char`` for
each maximal invalid subsequence (the Unicode-recommended practice ICU and Python share),
``'ignore'`` drops it and ``'strict'`` fails the run naming the op and the string.
"""
from __future__ import annotations

import codecs
import functools
import pathlib
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .framework import apply_op, convert_to_tensor
from .string_text_ops import as_string_tensor, check_string_input, map_strings

__all__ = ["unicode_encode", "unicode_transcode", "unicode_script"]

_OUTPUT_ENCODINGS = {"UTF-8": "utf-8", "UTF-16-BE": "utf-16-be", "UTF-32-BE": "utf-32-be"}
_INPUT_ENCODINGS = {**_OUTPUT_ENCODINGS, "ISO-8859-1": "latin-1", "US-ASCII": "ascii"}
_ERRORS = ("replace", "ignore", "strict")
# Decoding never yields a lone surrogate, so one marks each invalid subsequence.
_MARK = "\ud800"
codecs.register_error("staticgraph.mark_invalid", lambda err: (_MARK, err.end))


def _check(op: str, errors: str, replacement_char: int, encoding: str, known: dict) -> str:
    if encoding not in known:
        raise ValueError(f"{op}: encoding {encoding!r} is not supported (one of "
                         f"{sorted(known)})")
    if errors not in _ERRORS:
        raise ValueError(f"{op}: errors must be one of {_ERRORS}, got {errors!r}")
    if not _valid_code_point(replacement_char):
        raise ValueError(f"{op}: replacement_char {replacement_char} is not a Unicode "
                         f"scalar value")
    return known[encoding]


def _valid_code_point(c: int) -> bool:
    return 0 <= c <= 0x10FFFF and not 0xD800 <= c <= 0xDFFF


def _settle(text: str, *, errors: str, replacement_char: int, what: Any) -> str:
    """``text`` with every invalid mark replaced, dropped, or refused."""
    if _MARK not in text:
        return text
    if errors == "strict":
        raise ValueError(f"invalid input {what!r} (errors='strict')")
    return text.replace(_MARK, chr(replacement_char) if errors == "replace" else "")


def _encode_kernel(codes: np.ndarray, *, encoding: str, errors: str,
                   replacement_char: int) -> np.ndarray:
    codes = np.asarray(codes)
    out = np.empty(codes.shape[:-1], dtype=object)
    for index in np.ndindex(out.shape):
        row = [int(c) for c in codes[index]]
        text = "".join(chr(c) if _valid_code_point(c) else _MARK for c in row)
        text = _settle(text, errors=errors, replacement_char=replacement_char, what=row)
        out[index] = text.encode(_OUTPUT_ENCODINGS[encoding])
    return out


def _encode_shape(inputs: list, attrs: dict) -> list:
    codes = inputs[0]
    if codes.dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"UnicodeEncode takes int32 code points, got {codes.name} of "
                        f"{codes.dtype.name}")
    if codes.shape.ndims is None:
        return [(TensorShape(None), dtypes.string)]
    if codes.shape.ndims == 0:
        raise ValueError(f"UnicodeEncode: the code points must have at least one axis, got "
                         f"the scalar {codes.name}")
    return [(TensorShape(codes.shape.as_list()[:-1]), dtypes.string)]


define_op("UnicodeEncode", kernel=_encode_kernel, shape_fn=_encode_shape, view_of={},
          non_differentiable=(0,),
          doc="The code points along the last axis encoded as one string.")


def unicode_encode(input: Any, output_encoding: str, errors: str = "replace",
                   replacement_char: int = 65533, name: str | None = None) -> Any:
    """``tf.strings.unicode_encode`` for a dense tensor: the int32 code points along the
    last axis encoded as one string (UTF-8, UTF-16-BE or UTF-32-BE). Invalid code points
    (negative, surrogates, above U+10FFFF) are handled as ``errors`` says."""
    _check("unicode_encode", errors, replacement_char, output_encoding, _OUTPUT_ENCODINGS)
    codes = convert_to_tensor(input, preferred_dtype=dtypes.int32)
    attrs = {"encoding": output_encoding, "errors": errors,
             "replacement_char": int(replacement_char)}
    return apply_op("UnicodeEncode", [codes], attrs, name=name).outputs[0]


def _transcode(item: bytes, *, source: str, target: str, errors: str,
               replacement_char: int, replace_control_characters: bool) -> bytes:
    text = item.decode(_INPUT_ENCODINGS[source], "staticgraph.mark_invalid")
    text = _settle(text, errors=errors, replacement_char=replacement_char, what=item)
    if replace_control_characters:
        text = "".join(chr(replacement_char) if ord(c) < 0x20 else c for c in text)
    return text.encode(_OUTPUT_ENCODINGS[target])


def _transcode_kernel(x: np.ndarray, **attrs: Any) -> np.ndarray:
    return map_strings(lambda item: _transcode(item, **attrs), x)


def _transcode_shape(inputs: list, attrs: dict) -> list:
    check_string_input("UnicodeTranscode", inputs[0])
    return [(inputs[0].shape, dtypes.string)]


define_op("UnicodeTranscode", kernel=_transcode_kernel, shape_fn=_transcode_shape,
          view_of={}, non_differentiable=(0,),
          doc="Each string decoded from one encoding and encoded in another.")


def unicode_transcode(input: Any, input_encoding: str, output_encoding: str,
                      errors: str = "replace", replacement_char: int = 65533,
                      replace_control_characters: bool = False,
                      name: str | None = None) -> Any:
    """``tf.strings.unicode_transcode``: each string decoded from ``input_encoding``
    (UTF-8, UTF-16-BE, UTF-32-BE, ISO-8859-1 or US-ASCII) and encoded in
    ``output_encoding`` (UTF-8, UTF-16-BE or UTF-32-BE); invalid input handled as
    ``errors`` says, C0 control characters replaced too when
    ``replace_control_characters``. A byte order mark is kept as U+FEFF, as TF does."""
    _check("unicode_transcode", errors, replacement_char, input_encoding, _INPUT_ENCODINGS)
    _check("unicode_transcode", errors, replacement_char, output_encoding, _OUTPUT_ENCODINGS)
    attrs = {"source": input_encoding, "target": output_encoding, "errors": errors,
             "replacement_char": int(replacement_char),
             "replace_control_characters": bool(replace_control_characters)}
    return apply_op("UnicodeTranscode", [as_string_tensor(input)], attrs,
                    name=name).outputs[0]


@functools.cache
def _script_runs() -> tuple[np.ndarray, np.ndarray]:
    with np.load(pathlib.Path(__file__).parent / "data" / "unicode_scripts.npz",
                 allow_pickle=False) as table:
        return table["starts"], table["codes"]


def _script_kernel(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    starts, codes = _script_runs()
    valid = (x >= 0) & (x <= 0x10FFFF)
    found = codes[np.searchsorted(starts, np.where(valid, x, 0), side="right") - 1]
    return np.where(valid, found, -1).astype(np.int32)


def _script_shape(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    if x.dtype != dtypes.int32:
        raise TypeError(f"UnicodeScript takes int32 code points, got {x.name} of "
                        f"{x.dtype.name}")
    return [(x.shape, dtypes.int32)]


define_op("UnicodeScript", kernel=_script_kernel, shape_fn=_script_shape, view_of={},
          non_differentiable=(0,), doc="The ICU script code of each code point.")


def unicode_script(input: Any, name: str | None = None) -> Any:
    """``tf.strings.unicode_script``: the ICU ``UScriptCode`` of each int32 code point
    (0 common, 1 inherited, 25 Latin, 17 Han, ...), -1 for values that are not code
    points; the same values as TensorFlow 2.21 (its ICU's Unicode version)."""
    return apply_op("UnicodeScript", [convert_to_tensor(input, dtype=dtypes.int32)],
                    name=name).outputs[0]

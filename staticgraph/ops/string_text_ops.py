"""Element-wise string ops of TF1: ``string_strip``, ``strings.lower``/``upper``,
``strings.length``, ``substr``, ``string_to_number``.

A ``tf.string`` value is a NumPy object array of ``bytes``. None of these ops carries a
gradient (their outputs are strings or numbers parsed from strings). Run-time failures
(a position out of range, text that is not a number) raise ``ValueError`` in the kernel,
which the session reports as an ``InvalidArgumentError`` naming the op.
"""
from __future__ import annotations

import re
from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from ..core.registry import define_op
from ..core.shapes import broadcast_all
from .framework import apply_op, convert_to_tensor

__all__ = ["string_strip", "lower", "upper", "length", "substr", "string_to_number",
           "map_strings", "check_string_input", "as_string_tensor"]

_UNITS = ("BYTE", "UTF8_CHAR")


def map_strings(fn: Callable[..., Any], *arrays: np.ndarray, dtype: Any = object
                ) -> np.ndarray:
    """``fn`` applied to the elements of the broadcast ``arrays``, as an array of ``dtype``."""
    parts = np.broadcast_arrays(*[np.asarray(a, dtype=object if np.asarray(a).dtype.kind
                                             in "OSU" else None) for a in arrays])
    out = np.empty(parts[0].shape if parts else (), dtype=dtype)
    for index in np.ndindex(out.shape):
        out[index] = fn(*(p[index] for p in parts))
    return out


def check_string_input(op: str, tensor: Any) -> None:
    """``TypeError`` naming ``op`` unless ``tensor`` holds strings."""
    if tensor.dtype != dtypes.string:
        raise TypeError(f"{op} takes a string tensor, got {tensor.name} of "
                        f"{tensor.dtype.name}")


def as_string_tensor(value: Any) -> Any:
    """``value`` as a ``tf.string`` tensor (Python ``str`` and ``bytes`` both accepted); a
    Tensor passes unchanged, so the op's shape rule names it when it holds no strings."""
    if isinstance(value, Tensor):
        return value
    return convert_to_tensor(value, dtype=dtypes.string)


def _unary_string_shape(op: str, out_dtype: dtypes.DType) -> Callable[[list, dict], list]:
    def shape_fn(inputs: list, attrs: dict) -> list:
        check_string_input(op, inputs[0])
        return [(inputs[0].shape, out_dtype)]
    return shape_fn


def _define_unary(op: str, fn: Callable[..., Any], out_dtype: dtypes.DType, doc: str,
                  kernel_dtype: Any = object) -> None:
    """Registers an element-wise op of one string input (``fn(item, **attrs)``)."""
    def kernel(x: np.ndarray, **attrs: Any) -> np.ndarray:
        return map_strings(lambda item: fn(item, **attrs), x, dtype=kernel_dtype)
    define_op(op, kernel=kernel, shape_fn=_unary_string_shape(op, out_dtype), view_of={},
              non_differentiable=(0,), doc=doc)


def _apply_unary(op: str, input: Any, attrs: dict, name: str | None) -> Any:
    return apply_op(op, [as_string_tensor(input)], attrs, name=name).outputs[0]


def _change_case(item: bytes, *, encoding: str, upper: bool) -> bytes:
    if encoding == "":  # ASCII letters only, other bytes unchanged (as TF)
        table = _UPPER if upper else _LOWER
        return item.translate(table)
    text = item.decode("utf-8", "replace")  # invalid bytes become U+FFFD, as in TF
    return (text.upper() if upper else text.lower()).encode("utf-8")


_LOWER = bytes.maketrans(bytes(range(65, 91)), bytes(range(97, 123)))
_UPPER = bytes.maketrans(bytes(range(97, 123)), bytes(range(65, 91)))


def _length(item: bytes, *, unit: str) -> int:
    if unit == "BYTE":
        return len(item)
    return sum(1 for b in item if b & 0xC0 != 0x80)  # bytes that start a UTF-8 char


# TF strips absl's ASCII whitespace; bytes.strip() strips the same six bytes.
_define_unary("StringStrip", lambda item: item.strip(), dtypes.string,
              "Each string without leading and trailing ASCII whitespace.")
_define_unary("StringLower", lambda item, encoding: _change_case(item, encoding=encoding,
                                                                 upper=False),
              dtypes.string, "Each string in lower case (ASCII, or Unicode for utf-8).")
_define_unary("StringUpper", lambda item, encoding: _change_case(item, encoding=encoding,
                                                                 upper=True),
              dtypes.string, "Each string in upper case (ASCII, or Unicode for utf-8).")
_define_unary("StringLength", _length, dtypes.int32,
              "The length of each string in bytes or UTF-8 characters.", np.int32)


def _check_encoding(op: str, encoding: str) -> str:
    if encoding not in ("", "utf-8", "UTF-8"):
        raise ValueError(f"{op}: encoding must be '' (ASCII) or 'utf-8', got {encoding!r}")
    return encoding.lower()


def _check_unit(op: str, unit: str) -> str:
    if unit not in _UNITS:
        raise ValueError(f"{op}: unit must be one of {_UNITS}, got {unit!r}")
    return unit


def string_strip(input: Any, name: str | None = None) -> Any:
    """``tf.string_strip`` / ``tf.strings.strip``: leading and trailing ASCII whitespace
    (space, tab, newline, carriage return, vertical tab, form feed) removed."""
    return _apply_unary("StringStrip", input, {}, name)


def lower(input: Any, encoding: str = "", name: str | None = None) -> Any:
    """``tf.strings.lower``: ASCII letters lowered (``encoding=''``), or every Unicode
    letter of UTF-8 text (``encoding='utf-8'``; invalid bytes become U+FFFD, as in TF)."""
    return _apply_unary("StringLower", input,
                        {"encoding": _check_encoding("strings.lower", encoding)}, name)


def upper(input: Any, encoding: str = "", name: str | None = None) -> Any:
    """``tf.strings.upper``: ASCII letters raised (``encoding=''``), or every Unicode letter
    of UTF-8 text (``encoding='utf-8'``, full case mapping: ``ß`` becomes ``SS``; invalid
    bytes become U+FFFD)."""
    return _apply_unary("StringUpper", input,
                        {"encoding": _check_encoding("strings.upper", encoding)}, name)


def length(input: Any, name: str | None = None, unit: str = "BYTE") -> Any:
    """``tf.strings.length``: int32 length of each string, in bytes (``unit='BYTE'``) or in
    UTF-8 characters (``unit='UTF8_CHAR'``)."""
    return _apply_unary("StringLength", input,
                        {"unit": _check_unit("strings.length", unit)}, name)


# ----------------------------------------------------------------------------------------
# Substr
# ----------------------------------------------------------------------------------------


def _char_starts(item: bytes) -> list[int]:
    """Byte offsets of the UTF-8 characters of ``item``, then its length."""
    return [i for i, b in enumerate(item) if b & 0xC0 != 0x80] + [len(item)]


def _substr(item: bytes, pos: Any, size: Any, *, unit: str) -> bytes:
    starts = _char_starts(item) if unit == "UTF8_CHAR" else None
    count = len(item) if starts is None else len(starts) - 1
    pos, size = int(pos), int(size)
    first = pos + count if pos < 0 else pos
    if not 0 <= first <= count:
        raise ValueError(f"pos {pos} out of range for string {item[:60]!r} "
                         f"({count} {'bytes' if starts is None else 'characters'})")
    last = count if size < 0 else min(first + size, count)
    if starts is None:
        return item[first:last]
    return item[starts[first]:starts[last]]


def _substr_kernel(x: np.ndarray, pos: np.ndarray, size: np.ndarray, *, unit: str
                   ) -> np.ndarray:
    return map_strings(lambda item, p, n: _substr(item, p, n, unit=unit), x, pos, size)


def _substr_shape(inputs: list, attrs: dict) -> list:
    x, pos, size = inputs
    check_string_input("Substr", x)
    if pos.dtype != size.dtype or pos.dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"Substr: pos and len must both be int32 or both int64, got "
                        f"{pos.dtype.name} and {size.dtype.name}")
    if not pos.shape.is_compatible_with(size.shape):
        raise ValueError(f"Substr: pos {pos.shape} and len {size.shape} must have the "
                         f"same shape")
    return [(broadcast_all([x.shape, pos.shape]), dtypes.string)]


define_op("Substr", kernel=_substr_kernel, shape_fn=_substr_shape, view_of={},
          non_differentiable=(0, 1, 2),
          doc="Substrings from pos (negative: from the end) of at most len bytes/chars.")


def substr(input: Any, pos: Any, len: Any, name: str | None = None,  # noqa: A002
           unit: str = "BYTE") -> Any:
    """``tf.substr`` / ``tf.strings.substr``: the substring of each string starting at
    ``pos`` (negative counts from the end) and at most ``len`` long (a negative ``len``
    takes the rest), in bytes or UTF-8 characters (``unit``). ``pos`` and ``len`` have one
    shape, which broadcasts against ``input``'s; a ``pos`` past the end fails the run with
    an ``InvalidArgumentError`` naming the op and the string."""
    pos = convert_to_tensor(pos, preferred_dtype=dtypes.int32)
    size = convert_to_tensor(len, preferred_dtype=pos.dtype)
    return apply_op("Substr", [as_string_tensor(input), pos, size],
                    {"unit": _check_unit("substr", unit)}, name=name).outputs[0]


# ----------------------------------------------------------------------------------------
# StringToNumber
# ----------------------------------------------------------------------------------------

_DECIMAL = re.compile(rb"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_HEX_FLOAT = re.compile(rb"[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)"
                        rb"([pP][+-]?\d+)?")
_SPECIAL = re.compile(rb"[+-]?(inf|infinity|nan)", re.IGNORECASE)
_INTEGER = re.compile(rb"[+-]?\d+")
_NUMBER_TYPES = {dtypes.float32: np.float32, dtypes.float64: np.float64,
                 dtypes.int32: np.int32, dtypes.int64: np.int64}


def _parse_number(item: bytes, kind: type) -> Any:
    text = item.strip()
    if kind in (np.int32, np.int64):
        if _INTEGER.fullmatch(text):
            info = np.iinfo(kind)
            if info.min <= int(text) <= info.max:
                return int(text)
    elif _DECIMAL.fullmatch(text) or _SPECIAL.fullmatch(text):
        return kind(float(text))
    elif _HEX_FLOAT.fullmatch(text):
        sign = -1.0 if text.startswith(b"-") else 1.0
        return kind(sign * float.fromhex(text.lstrip(b"+-").decode()))
    raise ValueError(f"StringToNumberOp could not correctly convert string: "
                     f"{item.decode('utf-8', 'replace')!r} to {np.dtype(kind).name}")


def _to_number_kernel(x: np.ndarray, *, out_type: str) -> np.ndarray:
    kind = _NUMBER_TYPES[dtypes.as_dtype(out_type)]
    return map_strings(lambda item: _parse_number(item, kind), x, dtype=kind)


def _to_number_shape(inputs: list, attrs: dict) -> list:
    check_string_input("StringToNumber", inputs[0])
    return [(inputs[0].shape, dtypes.as_dtype(attrs["out_type"]))]


define_op("StringToNumber", kernel=_to_number_kernel, shape_fn=_to_number_shape,
          view_of={}, non_differentiable=(0,),
          doc="Each string parsed as a number of out_type (error on text that is not).")


def string_to_number(string_tensor: Any = None, out_type: Any = dtypes.float32,
                     name: str | None = None, input: Any = None) -> Any:
    """``tf.string_to_number`` / ``tf.strings.to_number``: each string parsed as a number
    of ``out_type`` (float32, float64, int32 or int64). Surrounding whitespace is allowed;
    floats accept exponents, hexadecimal, ``inf`` and ``nan`` as C's ``strtod``; a string
    that is not a number (or an integer out of range) fails the run with an
    ``InvalidArgumentError`` naming the op and the string."""
    value = input if string_tensor is None else string_tensor
    dtype = dtypes.as_dtype(out_type)
    if dtype not in _NUMBER_TYPES:
        raise TypeError(f"string_to_number: out_type must be float32, float64, int32 or "
                        f"int64, got {dtype.name}")
    return apply_op("StringToNumber", [as_string_tensor(value)],
                    {"out_type": dtype.name}, name=name).outputs[0]

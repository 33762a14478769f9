"""``tf.regex_replace`` / ``tf.strings.regex_replace`` and ``tf.strings.regex_full_match``.

TF matches with RE2; staticgraph translates the pattern to Python's ``re`` where the two
agree and refuses, at graph-building time with a ``ValueError`` naming the op and the
pattern, what it cannot honour:

- supported: literals, ``.``, classes ``[...]``, ``\\d \\w \\s \\b \\B`` (ASCII, as RE2),
  ``\\A``, ``\\z``, ``^``, ``$`` (end of text only, as RE2, unless the pattern starts with
  a ``(?m)`` flag group), repetitions (greedy and lazy), groups ``( )``, ``(?: )``,
  ``(?P<name> )``, ``(?<name> )``, flag groups ``(?ims)`` at the start of the pattern and
  ``(?is: )`` anywhere;
- refused: what RE2 refuses as well (lookaround ``(?= (?! (?<= (?<!``, backreferences
  ``\\1`` and ``(?P=name)``, ``\\Z``), and RE2 syntax Python lacks or reads differently
  (``\\p{..}``/``\\P{..}`` Unicode classes, ``\\pL``, ``\\C``, ``\\Q..\\E``, ``\\x{..}``,
  POSIX classes ``[[:alpha:]]``, the ungreedy flag ``U``, a multi-line flag that is not
  the pattern's first group); case-insensitive matching folds ASCII letters only.

The rewrite of ``regex_replace`` takes ``\\0`` (the whole match) to ``\\9`` (groups) and
``\\\\`` (a backslash); any other backslash is refused (TF logs an error and returns '').
Global replacement follows RE2: an empty match right after the previous match is skipped.
"""
from __future__ import annotations

import functools
import re
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.registry import define_op
from .framework import apply_op
from .string_text_ops import check_string_input, map_strings, as_string_tensor

__all__ = ["regex_replace", "regex_full_match"]

_REFUSED_ESCAPES = {"p": "Unicode classes \\p", "P": "Unicode classes \\P", "C": "\\C",
                    "Q": "\\Q..\\E quoting", "E": "\\Q..\\E quoting", "Z": "\\Z (RE2 lacks it)"}
_REFUSED_GROUPS = {"(?=": "lookahead", "(?!": "lookahead", "(?<=": "lookbehind",
                   "(?<!": "lookbehind", "(?P=": "backreferences", "(?#": "comments"}
_SPACE = "\\t\\n\\f\\r "  # RE2's \s (no vertical tab, unlike Python's)


def _refuse(pattern: str, what: str) -> ValueError:
    return ValueError(f"regex pattern {pattern!r} uses {what}, which staticgraph does not "
                      f"support (TF uses RE2 syntax; see staticgraph/ops/string_regex_ops.py)")


def _translate_escape(pattern: str, i: int, in_class: bool) -> tuple[str, int]:
    """Python's spelling of the escape at ``pattern[i] == '\\'``, and the next index."""
    if i + 1 >= len(pattern):
        raise _refuse(pattern, "a trailing backslash")
    c = pattern[i + 1]
    if c in _REFUSED_ESCAPES:
        raise _refuse(pattern, _REFUSED_ESCAPES[c])
    if c.isdigit() and c != "0" and not in_class:
        raise _refuse(pattern, "backreferences (RE2 has none)")
    if c == "x" and pattern[i + 2:i + 3] == "{":
        raise _refuse(pattern, "\\x{..}")
    if c == "z":
        return "\\Z", i + 2
    if c == "s":
        return (_SPACE if in_class else f"[{_SPACE}]"), i + 2
    if c == "S":
        if in_class:
            raise _refuse(pattern, "\\S inside a class")
        return f"[^{_SPACE}]", i + 2
    return pattern[i:i + 2], i + 2


def _translate_group(pattern: str, i: int) -> tuple[str, int, bool]:
    """The group opening at ``pattern[i] == '('``: its Python spelling, the next index and
    whether it turns on multi-line mode for the whole pattern."""
    for start, what in _REFUSED_GROUPS.items():
        if pattern.startswith(start, i):
            raise _refuse(pattern, what)
    if pattern.startswith("(?<", i):
        return "(?P<", i + 3, False
    flags = re.match(r"\(\?([a-zA-Z]*)(-[a-zA-Z]*)?([:)])", pattern[i:])
    if not flags or pattern[i + 1] != "?":
        return "(", i + 1, False
    letters = (flags.group(1) + (flags.group(2) or "")).replace("-", "")
    if set(letters) - set("ims"):
        raise _refuse(pattern, f"the flags {letters!r} (only i, m, s are supported)")
    whole = flags.group(3) == ")"
    if whole and i != 0:
        raise _refuse(pattern, "a flag group (?..) that is not at the start of the pattern")
    if "m" in letters and not whole:
        raise _refuse(pattern, "a scoped multi-line flag (?m:..)")
    return flags.group(0), i + len(flags.group(0)), whole and "m" in flags.group(1)


@functools.lru_cache(maxsize=256)
def translate(pattern: str) -> re.Pattern:
    """The Python regex matching as RE2 matches ``pattern``; ``ValueError`` when it uses
    syntax staticgraph refuses (see the module docstring)."""
    out, i, in_class, multiline = [], 0, False, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            text, i = _translate_escape(pattern, i, in_class)
        elif in_class:
            if pattern.startswith("[:", i):
                raise _refuse(pattern, "POSIX classes [[:name:]]")
            in_class = c != "]" or out[-1] in ("[", "[^")
            text, i = c, i + 1
        elif c == "[":
            in_class = True
            text, i = ("[^", i + 2) if pattern.startswith("[^", i) else ("[", i + 1)
        elif c == "(":
            text, i, turns_on = _translate_group(pattern, i)
            multiline = multiline or turns_on
        elif c == "$":
            text, i = "\x00DOLLAR", i + 1
        else:
            text, i = c, i + 1
        out.append(text)
    end = "$" if multiline else "\\Z"
    source = "".join(end if t == "\x00DOLLAR" else t for t in out)
    try:
        return re.compile(source, re.ASCII)
    except re.error as err:
        raise ValueError(f"invalid regex pattern {pattern!r}: {err}") from None


def _parse_rewrite(rewrite: str, groups: int) -> tuple:
    """RE2's rewrite as a tuple of literal strings and group numbers."""
    parts: list = []
    i = 0
    while i < len(rewrite):
        c = rewrite[i]
        if c != "\\":
            parts.append(c)
            i += 1
            continue
        nxt = rewrite[i + 1:i + 2]
        if nxt == "\\":
            parts.append("\\")
        elif nxt.isdigit():
            if int(nxt) > groups:
                raise ValueError(f"regex_replace: the rewrite {rewrite!r} asks for group "
                                 f"{nxt} but the pattern has {groups} groups")
            parts.append(int(nxt))
        else:
            raise ValueError(f"regex_replace: invalid rewrite {rewrite!r}: a backslash "
                             f"must be followed by a digit or a backslash")
        i += 2
    return tuple(parts)


def _expand(match: re.Match, parts: tuple) -> str:
    return "".join(p if isinstance(p, str) else (match.group(p) or "") for p in parts)


def _replace(text: str, regex: re.Pattern, parts: tuple, replace_global: bool) -> str:
    out, pos, last_end = [], 0, -1
    while pos <= len(text):
        match = regex.search(text, pos)
        if match is None:
            break
        out.append(text[pos:match.start()])
        if match.start() == match.end() == last_end:  # RE2 skips this empty match
            out.append(text[pos:pos + 1])
            pos += 1
            continue
        out.append(_expand(match, parts))
        pos = last_end = match.end()
        if not replace_global:
            break
    out.append(text[pos:])
    return "".join(out)


def _decode(item: bytes) -> str:
    return item.decode("utf-8", "surrogateescape")


def _replace_kernel(x: np.ndarray, *, pattern: str, rewrite: str, replace_global: bool
                    ) -> np.ndarray:
    regex = translate(pattern)
    parts = _parse_rewrite(rewrite, regex.groups)
    return map_strings(lambda item: _replace(_decode(item), regex, parts, replace_global)
                       .encode("utf-8", "surrogateescape"), x)


def _full_match_kernel(x: np.ndarray, *, pattern: str) -> np.ndarray:
    regex = translate(pattern)
    return map_strings(lambda item: regex.fullmatch(_decode(item)) is not None, x,
                       dtype=np.bool_)


def _regex_shape(op: str, out_dtype: dtypes.DType):
    def shape_fn(inputs: list, attrs: dict) -> list:
        check_string_input(op, inputs[0])
        regex = translate(attrs["pattern"])  # refuses unsupported syntax at build time
        if "rewrite" in attrs:
            _parse_rewrite(attrs["rewrite"], regex.groups)
        return [(inputs[0].shape, out_dtype)]
    return shape_fn


define_op("StaticRegexReplace", kernel=_replace_kernel,
          shape_fn=_regex_shape("StaticRegexReplace", dtypes.string), view_of={},
          non_differentiable=(0,), doc="Each string with the pattern's matches rewritten.")
define_op("StaticRegexFullMatch", kernel=_full_match_kernel,
          shape_fn=_regex_shape("StaticRegexFullMatch", dtypes.bool_), view_of={},
          non_differentiable=(0,), doc="Whether the pattern matches each whole string.")


def _text(value: Any, what: str) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a Python string (patterns computed by the graph "
                        f"are not supported), got {type(value).__name__}")
    return value


def regex_replace(input: Any, pattern: Any, rewrite: Any, replace_global: bool = True,
                  name: str | None = None) -> Any:
    """``tf.regex_replace`` / ``tf.strings.regex_replace``: the matches of ``pattern`` (RE2
    syntax, within the subset described in this module) in each string replaced by
    ``rewrite`` (``\\0``..``\\9`` for the match and its groups), every match or the first
    (``replace_global=False``)."""
    attrs = {"pattern": _text(pattern, "regex_replace: pattern"),
             "rewrite": _text(rewrite, "regex_replace: rewrite"),
             "replace_global": bool(replace_global)}
    return apply_op("StaticRegexReplace", [as_string_tensor(input)], attrs,
                    name=name).outputs[0]


def regex_full_match(input: Any, pattern: Any, name: str | None = None) -> Any:
    """``tf.strings.regex_full_match``: whether ``pattern`` (RE2 syntax, within the subset
    described in this module) matches each whole string, as a bool tensor."""
    return apply_op("StaticRegexFullMatch", [as_string_tensor(input)],
                    {"pattern": _text(pattern, "regex_full_match: pattern")},
                    name=name).outputs[0]

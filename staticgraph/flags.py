"""``tf.flags`` / ``tf.app.flags``: TF1's command-line flags, which are absl's.

Flags are defined on absl's process-wide ``FlagValues`` (as TF1 does), so a script that
mixes ``absl.flags`` and ``tf.flags`` sees one set of flags. As in TF1, reading a flag
before the command line was parsed parses ``sys.argv`` first (unknown flags are left
alone), so scripts that never call ``tf.app.run`` still get their flags.
"""
from __future__ import annotations

import sys
from typing import Any

from absl import flags as _absl_flags
from absl.flags import (DEFINE, DEFINE_alias, DEFINE_bool, DEFINE_boolean, DEFINE_enum,
                        DEFINE_float, DEFINE_integer, DEFINE_list, DEFINE_multi_float,
                        DEFINE_multi_integer, DEFINE_multi_string, DEFINE_spaceseplist,
                        DEFINE_string, Error, FlagValues, IllegalFlagValueError,
                        UnrecognizedFlagError, declare_key_flag, mark_flag_as_required,
                        mark_flags_as_required, register_validator, validator)

__all__ = ["FLAGS", "DEFINE", "DEFINE_alias", "DEFINE_bool", "DEFINE_boolean",
           "DEFINE_enum", "DEFINE_float", "DEFINE_integer", "DEFINE_list",
           "DEFINE_multi_float", "DEFINE_multi_integer", "DEFINE_multi_string",
           "DEFINE_spaceseplist", "DEFINE_string", "Error", "FlagValues",
           "IllegalFlagValueError", "UnrecognizedFlagError", "declare_key_flag",
           "mark_flag_as_required", "mark_flags_as_required", "register_validator",
           "validator"]


class _AutoParsingFlags:
    """absl's ``FLAGS``, parsing ``sys.argv`` (known flags only) on the first read of a
    flag value when nothing has parsed the command line yet."""

    def __init__(self, wrapped: FlagValues) -> None:
        object.__setattr__(self, "_wrapped", wrapped)

    def __getattr__(self, name: str) -> Any:
        wrapped = self._wrapped
        if not wrapped.is_parsed() and name in wrapped:
            wrapped(sys.argv, known_only=True)
        return getattr(wrapped, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._wrapped, name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._wrapped, name)

    def __contains__(self, name: str) -> bool:
        return name in self._wrapped

    def __iter__(self) -> Any:
        return iter(self._wrapped)

    def __getitem__(self, name: str) -> Any:
        return self._wrapped[name]

    def __call__(self, argv: list[str], known_only: bool = False) -> list[str]:
        """Parses ``argv`` (program name first); returns the arguments left over."""
        return self._wrapped(argv, known_only=known_only)

    def __dir__(self) -> list[str]:
        return dir(self._wrapped)


FLAGS: Any = _AutoParsingFlags(_absl_flags.FLAGS)
"""The process-wide flag values (absl's ``FLAGS``)."""

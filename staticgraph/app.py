"""``tf.app``: ``run`` a script's ``main`` after parsing its flags (absl's ``app.run``).

As in TF1, ``argv`` flags that no one defined are not an error: they are passed on to
``main`` with the program name and the positional arguments. absl provides ``--help``,
``--helpshort`` and ``--helpfull``.
"""
from __future__ import annotations

import sys
from typing import Any, Callable, NoReturn

from absl import app as _absl_app

from . import flags
from .flags import FLAGS

__all__ = ["run", "flags"]


def _parse_known_flags(argv: list[str]) -> list[str]:
    """Parses the flags of ``argv`` that are defined, returning the rest."""
    return FLAGS(list(argv), known_only=True)


def run(main: Callable[[list[str]], Any] | None = None,
        argv: list[str] | None = None) -> NoReturn:
    """``tf.app.run``: parses flags from ``argv`` (default ``sys.argv``), calls
    ``main(remaining_argv)`` (default: ``__main__.main``) and exits with its result."""
    if main is None:
        main = getattr(sys.modules["__main__"], "main", None)
        if main is None:
            raise ValueError("tf.app.run: no main given and __main__ defines no main()")
    _absl_app.run(main, argv=argv, flags_parser=_parse_known_flags)

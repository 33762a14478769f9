"""Shared helpers for the compiler tests: compile a program, compare with optimize=False."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

import staticgraph as tf
from staticgraph.compiler.ir import Program, build_program


def program_of(fetches: list, fed: list | None = None, targets: list | None = None,
               passes: tuple[Callable[[Program], int], ...] = ()) -> Program:
    """The pruned IR of ``fetches`` after running ``passes`` on it, in order (verified
    after building and after each pass)."""
    program = build_program(fetches, targets or [], fed or [])
    program.verify()
    for rewrite in passes:
        rewrite(program)
        program.verify(after=rewrite.__name__)
    return program


def types_of(program: Program) -> list[str]:
    """The op types of a program's nodes, in order."""
    return [n.type for n in program.nodes]


def assert_identical(actual: Any, expected: Any) -> None:
    """Same type, dtype, shape and bits (so -0.0 differs from 0.0, NaNs must match)."""
    assert type(actual) is type(expected), (type(actual), type(expected))
    a, e = np.asarray(actual), np.asarray(expected)
    assert a.dtype == e.dtype and a.shape == e.shape, (a.dtype, a.shape, e.dtype, e.shape)
    assert a.tobytes() == e.tobytes(), (a, e)


def assert_same_as_unoptimized(fetches: Any, feed_dict: dict | None = None,
                               init: Any = None, **session_kwargs: Any) -> list:
    """Runs ``fetches`` optimized and with ``optimize=False``; asserts identical results."""
    results = []
    for optimize in (True, False):
        with tf.Session(optimize=optimize, **session_kwargs) as sess:
            if init is not None:
                sess.run(init)
            results.append(sess.run(fetches, feed_dict))
    optimized, plain = results
    for a, e in zip(_flat(optimized), _flat(plain)):
        assert_identical(a, e)
    return optimized


def _flat(values: Any) -> list:
    return list(values) if isinstance(values, (list, tuple)) else [values]

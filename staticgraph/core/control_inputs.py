"""The control inputs a new op gets from the ``control_dependencies`` blocks it is made in."""
from __future__ import annotations

from typing import Any, Sequence


def current_control_inputs(stack: list[list[Any] | None], inputs: Sequence[Any]) -> list[Any]:
    """The ops named by the blocks of ``stack`` from the innermost out, up to a ``None``
    (which clears the outer ones), each once, less those that produce one of ``inputs``
    (the op runs after them anyway)."""
    result: list[Any] = []
    for frame in reversed(stack):
        if frame is None:
            break
        for op in frame:
            if op not in result:
                result.append(op)
    if result:
        input_ops = {id(t.op) for t in inputs}
        result = [op for op in result if id(op) not in input_ops]
    return result

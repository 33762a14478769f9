"""Where user code built an op: the first stack frame outside the staticgraph package."""
from __future__ import annotations

import sys

_PACKAGE_DIR = __file__.rsplit("/core/", 1)[0]

# Source files of staticgraph seen on the stack: a set test is cheaper than a prefix test,
# and every op built walks several of these frames.
_PACKAGE_FILES: set[str] = set()

# The user's files seen on the stack, with the call sites handed out so far by line: the
# ops built on one line (a loop body, or every gradient op of one ``tf.gradients`` call)
# share one tuple instead of holding a tuple and a line number each (84 bytes an op).
_USER_FILES: dict[str, dict[int, tuple[str, int]]] = {}


def user_call_site() -> tuple[str, int] | None:
    """(file, line) of the first frame outside staticgraph (where the user built the op).

    Kept unformatted: most ops never show their call site, and formatting it for every
    op built is measurable on deep graphs. Equal sites are one (immutable) tuple.
    """
    frame = sys._getframe(2)  # 0: this function, 1: Graph.create_op
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename not in _PACKAGE_FILES:
            lines = _USER_FILES.get(filename)
            if lines is None:  # a file not seen before
                if filename.startswith(_PACKAGE_DIR):
                    _PACKAGE_FILES.add(filename)
                    frame = frame.f_back
                    continue
                lines = _USER_FILES[filename] = {}
            line = frame.f_lineno
            site = lines.get(line)
            if site is None:
                site = lines[line] = (filename, line)
            return site
        frame = frame.f_back
    return None

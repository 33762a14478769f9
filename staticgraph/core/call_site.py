"""Where user code built an op: the first stack frame outside the staticgraph package."""
from __future__ import annotations

import sys
from types import FrameType
from typing import Any

_PACKAGE_DIR = __file__.rsplit("/core/", 1)[0]

# Source files of staticgraph seen on the stack: a set test is cheaper than a prefix test,
# and every op built walks several of these frames.
_PACKAGE_FILES: set[str] = set()

# The user's files seen on the stack, with the call sites handed out so far by line: the
# ops built on one line (a loop body, or every gradient op of one ``tf.gradients`` call)
# share one tuple instead of holding a tuple and a line number each (84 bytes an op).
_USER_FILES: dict[str, dict[int, tuple[str, int]]] = {}

# Frames of staticgraph functions running a ``SiteFixedAbove`` block, with the call site
# above each: nothing above such a frame moves while it runs, so a walk reaching it can
# stop there (the gradient sweep: two frames fewer for every op its rules build).
_SITES_ABOVE: dict[FrameType, tuple[str, int] | None] = {}


def user_call_site(frame: FrameType | None = None) -> tuple[str, int] | None:
    """(file, line) of the first frame outside staticgraph (where the user built the op),
    from ``frame`` up (by default, from the caller's caller).

    Kept unformatted: most ops never show their call site, and formatting it for every
    op built is measurable on deep graphs. Equal sites are one (immutable) tuple.
    """
    if frame is None:
        frame = sys._getframe(2)  # 0: this function, 1: Graph.create_op
    fixed = _SITES_ABOVE
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename in _PACKAGE_FILES:
            if fixed and frame in fixed:
                return fixed[frame]
        else:
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


class SiteFixedAbove:
    """Inside the block, a creation-site walk that reaches ``frame`` (the frame of the
    staticgraph function running the block) stops there, with the site above it found on
    entry: the frames above stay suspended meanwhile, so that site cannot change."""

    __slots__ = ("_frame",)

    def __init__(self, frame: FrameType) -> None:
        self._frame = frame

    def __enter__(self) -> None:
        _SITES_ABOVE[self._frame] = user_call_site(self._frame.f_back)

    def __exit__(self, *exc_info: Any) -> None:
        del _SITES_ABOVE[self._frame]

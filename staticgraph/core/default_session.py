"""Each thread's stack of default sessions (``with sess:``, ``sess.as_default()``,
``InteractiveSession``).

As in TF1, a session made default in one thread is not the default in another.
"""
from __future__ import annotations

import threading
from typing import Any


class _SessionStack(threading.local):
    """This thread's default sessions, innermost last."""

    def __init__(self) -> None:
        self.sessions: list[Any] = []


_stack = _SessionStack()


def get_default_session() -> Any:
    """This thread's innermost session entered with ``with`` (or an InteractiveSession
    created in it), or None."""
    sessions = _stack.sessions
    return sessions[-1] if sessions else None


def push_default_session(session: Any) -> None:
    """Makes ``session`` this thread's default (used by Session.__enter__ and
    InteractiveSession)."""
    _stack.sessions.append(session)


def pop_default_session(session: Any) -> None:
    """Undoes :func:`push_default_session` (in this thread)."""
    if session in _stack.sessions:
        _stack.sessions.remove(session)


def require_default_session(what: str) -> Any:
    """The default session, or a ``ValueError`` saying that ``what`` (e.g.
    ``"Tensor.eval()"``) needs one."""
    session = get_default_session()
    if session is None:
        raise ValueError(f"Cannot evaluate {what} using the default session: no default "
                         "session is registered. Use `with sess.as_default()` or pass "
                         "an explicit session.")
    return session

"""Session targets other than this process: ``tf.Session(target=...)`` asks the connectors
registered here (by higher layers, e.g. :mod:`staticgraph.distributed`) whether they serve
``target``; the first that does returns an object whose ``run`` takes the session's runs
that it handles (``handles(feed_dict)``)."""
from __future__ import annotations

from typing import Any, Callable, Protocol


class RemoteRunner(Protocol):
    """What a connector returns for a session: it runs some of the session's runs."""

    def handles(self, feed_dict: dict | None) -> bool:
        """Whether this run (by its feeds) goes to the target rather than this process."""

    def run(self, fetches: Any, feed_dict: dict) -> Any:
        """Runs ``fetches`` on the target, with ``Session.run``'s result structure."""

    def close(self) -> None:
        """Releases what the runner opened for the session (called by ``Session.close``)."""


# connector(target, session) -> RemoteRunner, or None when the target is not its kind.
Connector = Callable[[Any, Any], "RemoteRunner | None"]
_CONNECTORS: list[Connector] = []


def register_connector(connector: Connector) -> None:
    """Adds a connector consulted by every later ``Session(target=...)``."""
    _CONNECTORS.append(connector)


def connect(target: Any, session: Any) -> RemoteRunner | None:
    """The runner serving ``target`` for ``session``; None for this process (``""``, or a
    TF1 address no connector serves, which TF1 scripts pass and this engine ignores)."""
    if isinstance(target, str) and not target:
        return None
    for connector in _CONNECTORS:
        runner = connector(target, session)
        if runner is not None:
            return runner
    return None

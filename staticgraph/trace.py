"""``tf.trace``: evaluation traces of a computation, as the autodiff textbooks write them,
and, called as a function, TF1's ``tf.trace(x)`` (the matrix trace, ``tf.linalg.trace``).

``primal(fetches, feed_dict)``, ``tangent(y, x, feed_dict)`` (forward mode) and
``adjoint(y, feed_dict)`` (reverse mode) each return a :class:`Trace` whose ``str()`` is an
aligned table and ``to_markdown()`` a Markdown table. Inputs are numbered v_{1-n} … v_0
(x1 → v-1, x2 → v0), ops v1, v2, … in schedule order. See :mod:`staticgraph.viz.trace`.

TF1 scripts call ``tf.trace(matrix)``; this module's class is made callable so that the
same name serves both (``tf.trace(x)`` builds the matrix trace, ``tf.trace.primal(...)``
tabulates an evaluation).
"""
import sys as _sys
import types as _types
from typing import Any as _Any

from .ops.matrix_ops import trace as _matrix_trace
from .viz.trace import Row, Trace, adjoint, primal, tangent  # noqa: F401

__all__ = ["primal", "tangent", "adjoint", "Trace", "Row"]


class _CallableTraceModule(_types.ModuleType):
    """This module, callable as TF1's ``tf.trace``."""

    def __call__(self, x: _Any, name: str | None = None) -> _Any:
        """``tf.trace(x)``: the sum of the main diagonal of each innermost matrix of ``x``
        (as ``tf.linalg.trace``)."""
        return _matrix_trace(x, name=name)


_sys.modules[__name__].__class__ = _CallableTraceModule

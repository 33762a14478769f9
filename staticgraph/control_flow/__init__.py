"""Control flow as functional ops over traced function graphs: ``tf.cond``, ``tf.case``,
``tf.while_loop``, and the ``BasisMap`` behind Jacobians and Hessians.

This layer sits above ``autodiff``: each module registers its ops' derivative rules,
built with ``staticgraph.autodiff`` (as JAX's control-flow module registers its loop
rules), and gives autodiff what it needs through autodiff's own hooks.
"""
from __future__ import annotations

from . import basis_map  # noqa: F401  (registers BasisMap and autodiff's basis map)
from .cond import case, cond
from .while_loop import while_loop
from .tensor_array import TensorArray
from .functional import foldl, foldr, map_fn, scan

__all__ = ["cond", "case", "while_loop", "TensorArray", "map_fn", "scan", "foldl", "foldr"]

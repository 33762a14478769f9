"""Which variables are initialized: ``tf.report_uninitialized_variables`` and
``tf.assert_variables_initialized``, and TF1's deprecated initializer aliases
(``tf.initialize_all_variables``, ``tf.initialize_local_variables``,
``tf.initialize_variables``) that tutorials still call.
"""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from ..core.graph import Operation, Tensor, name_scope
from . import state_ops
from .comparison_ops import logical_not
from .composites import boolean_mask
from .framework import constant
from .logging_ops import Assert
from .reduce_ops import reduce_all
from .stack_ops import stack
from .variables import (global_variables, global_variables_initializer, local_variables,
                        local_variables_initializer, variables_initializer)


__all__ = ["report_uninitialized_variables", "assert_variables_initialized",
           "initialize_all_variables", "initialize_local_variables", "initialize_variables"]

initialize_all_variables = global_variables_initializer  # TF1's deprecated names
initialize_local_variables = local_variables_initializer
initialize_variables = variables_initializer


def _flags(var_list: Iterable[Any] | None) -> tuple[list, Tensor | None]:
    variables = list(global_variables() + local_variables() if var_list is None else var_list)
    if not variables:
        return variables, None
    return variables, stack([state_ops.is_variable_initialized(v) for v in variables])


def report_uninitialized_variables(var_list: Iterable[Any] | None = None,
                                   name: str = "report_uninitialized_variables") -> Tensor:
    """``tf.report_uninitialized_variables``: a 1-D string tensor of the names of the
    variables (all global and local ones by default) that have no value yet."""
    with name_scope(name):
        variables, flags = _flags(var_list)
        names = np.array([v.op.name.encode() for v in variables] or [], dtype=object)
        if flags is None:
            return constant(names.reshape(0), name="Const")
        return boolean_mask(constant(names), logical_not(flags))


def assert_variables_initialized(var_list: Iterable[Any] | None = None) -> Operation | None:
    """``tf.assert_variables_initialized``: an op failing the run (``InvalidArgumentError``)
    when one of the variables has no value yet; None when there are no variables."""
    variables, flags = _flags(var_list)
    if flags is None:
        return None
    return Assert(reduce_all(flags), ["Some variables are not initialized"],
                  name="assert_variables_initialized")

"""``tf.contrib.framework``: the global step, variable look-ups by scope (what to restore
from a checkpoint), ``arg_scope``/``add_arg_scope`` and ``assign_from_checkpoint_fn``.
Other names raise an AttributeError listing these."""
from __future__ import annotations

from typing import Any, Callable, NoReturn

from ..core.graph import GraphKeys, get_default_graph
from ..ops.variable_scope import VariableScope
from ..train.saver import Saver
from ..train.training_util import get_global_step, get_or_create_global_step
from ..io.checkpoint_reader import NewCheckpointReader
from .. import tf_logging
from ._arg_scope import (add_arg_scope, arg_scope, arg_scoped_arguments, current_arg_scope,
                         has_arg_scope)

__all__ = ["get_or_create_global_step", "get_global_step", "get_variables",
           "get_model_variables", "get_local_variables", "get_trainable_variables",
           "get_variables_by_name", "get_variables_to_restore", "arg_scope", "add_arg_scope",
           "current_arg_scope", "has_arg_scope", "arg_scoped_arguments",
           "assign_from_checkpoint_fn"]


def get_variables(scope: Any = None, suffix: str | None = None,
                  collection: str = GraphKeys.GLOBAL_VARIABLES) -> list:
    """The variables of ``collection`` whose names start with ``scope`` (a name, a regular
    expression matched at the start, or a ``VariableScope``) and, with ``suffix``, contain
    ``suffix`` after it."""
    if isinstance(scope, VariableScope):
        scope = scope.name
    if suffix is not None:
        scope = f"{scope or ''}.*{suffix}"
    return get_default_graph().get_collection(collection, scope)


def get_model_variables(scope: Any = None, suffix: str | None = None) -> list:
    """:func:`get_variables` of ``MODEL_VARIABLES`` (the contrib layers' variables)."""
    return get_variables(scope, suffix, GraphKeys.MODEL_VARIABLES)


def get_local_variables(scope: Any = None, suffix: str | None = None) -> list:
    """:func:`get_variables` of ``LOCAL_VARIABLES``."""
    return get_variables(scope, suffix, GraphKeys.LOCAL_VARIABLES)


def get_trainable_variables(scope: Any = None, suffix: str | None = None) -> list:
    """:func:`get_variables` of ``TRAINABLE_VARIABLES``."""
    return get_variables(scope, suffix, GraphKeys.TRAINABLE_VARIABLES)


def get_variables_by_name(given_name: str, scope: Any = None) -> list:
    """The global variables under ``scope`` whose last name component (before ``:0``)
    is ``given_name``."""
    return get_variables(scope=scope, suffix=f"/{given_name}:|^{given_name}:")


def _scopes(scopes: Any, what: str) -> list:
    if not isinstance(scopes, (list, tuple)):
        raise TypeError(f"{what} is provided but is not a list or a tuple.")
    return [v for scope in scopes for v in get_variables(scope)]


def get_variables_to_restore(include: Any = None, exclude: Any = None) -> list:
    """The global variables under any scope in ``include`` (default: all), minus those
    under a scope in ``exclude``; the list to give a ``Saver`` that restores a
    pre-trained part of the model."""
    included = get_variables() if include is None else _scopes(include, "include")
    excluded = set(_scopes(exclude, "exclude")) if exclude is not None else set()
    return [v for v in included if v not in excluded]


def assign_from_checkpoint_fn(model_path: str, var_list: Any,
                              ignore_missing_vars: bool = False,
                              reshape_variables: bool = False) -> Callable[[Any], None]:
    """A function ``fn(session)`` restoring ``var_list`` (a list, or a dict from
    checkpoint name to variable) from the checkpoint ``model_path``. With
    ``ignore_missing_vars`` the variables the checkpoint lacks are left out (with a
    warning); otherwise restoring a missing one is an error. None when no
    variable is left to restore."""
    if not var_list:
        raise ValueError("var_list cannot be empty")
    if reshape_variables:
        raise NotImplementedError("assign_from_checkpoint_fn: reshape_variables is not "
                                  "supported by staticgraph")
    if ignore_missing_vars:
        present = NewCheckpointReader(model_path).get_variable_to_shape_map()
        names = var_list if isinstance(var_list, dict) else {v.op.name: v for v in var_list}
        missing = [name for name in names if name not in present]
        for name in missing:
            tf_logging.warning(f"Variable {name} missing in checkpoint {model_path}")
        kept = {name: v for name, v in names.items() if name in present}
        var_list = kept if isinstance(var_list, dict) else list(kept.values())
    if not var_list:
        return None
    saver = Saver(var_list)

    def callback(session: Any) -> None:
        saver.restore(session, model_path)
    return callback


def __getattr__(name: str) -> NoReturn:
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"tf.contrib.framework.{name} is not supported by staticgraph. "
                         f"tf.contrib.framework has: {', '.join(__all__)}.")

"""``tf.Variable``: mutable state kept by each Session, with TF1's initializer protocol."""
from __future__ import annotations

import inspect
from typing import Any, Callable, Iterable

import numpy as np

from ..core import dtypes
from ..core.default_session import get_default_session
from ..core.graph import GraphKeys, Operation, Tensor, get_default_graph
from ..core.shapes import TensorShape, as_shape
from . import queue_ops, state_ops
from .framework import convert_to_tensor
from .variable_creators import create_through_scopes, has_creators


__all__ = [
    "Variable",
    "global_variables",
    "trainable_variables",
    "local_variables",
    "variables_initializer",
    "global_variables_initializer",
    "local_variables_initializer",
]

class _VariableMeta(type):
    """Routes ``tf.Variable(...)`` through the creators of ``tf.variable_creator_scope``
    (called with all of the constructor's arguments by name, as in TF1)."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is not Variable or not has_creators():
            return super().__call__(*args, **kwargs)
        bound = inspect.signature(cls.__init__).bind(None, *args, **kwargs)
        bound.apply_defaults()
        arguments = {k: v for k, v in bound.arguments.items() if k != "self"}
        return create_through_scopes(lambda **kw: super(_VariableMeta, cls).__call__(**kw),
                                     arguments)


class Variable(metaclass=_VariableMeta):
    """A TF1 variable: a value that lives in each Session and persists across runs.

    Using a Variable where a tensor is expected reads its current value.
    """

    def __init__(self, initial_value: Any = None, trainable: bool = True,
                 collections: Iterable[str] | None = None, validate_shape: bool = True,
                 caching_device: Any = None, name: str | None = None,
                 variable_def: Any = None, dtype: Any = None, expected_shape: Any = None,
                 import_scope: Any = None, constraint: Callable | None = None,
                 use_resource: Any = None, synchronization: Any = None,
                 aggregation: Any = None, shape: Any = None) -> None:
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        graph = get_default_graph()
        with graph.name_scope(name or "Variable") as scope:
            value = initial_value() if callable(initial_value) else initial_value
            init = convert_to_tensor(value, dtype=dtype, name="initial_value")
            static_shape = as_shape(shape) if shape is not None else (
                init.shape if validate_shape else TensorShape(None))
            if validate_shape and not static_shape.is_fully_defined() and shape is None:
                raise ValueError(f"initial_value of variable {scope[:-1]} must have a fully "
                                 f"defined shape when validate_shape=True, got {init.shape}")
            with graph.control_dependencies(None):
                self._variable = state_ops.variable_op(static_shape, init.dtype, scope)
            self._initializer_op = state_ops.assign(
                self._variable, init, validate_shape=validate_shape, name="Assign").op
        self._initial_value = init
        self._trainable = trainable
        self._constraint = constraint
        collections = list(collections) if collections is not None else \
            [GraphKeys.GLOBAL_VARIABLES]
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections.append(GraphKeys.TRAINABLE_VARIABLES)
        graph.add_to_collections(collections, self)

    # -- identity ------------------------------------------------------------------
    @property
    def name(self) -> str:
        """``"scope/name:0"``."""
        return self._variable.name

    @property
    def op(self) -> Operation:
        """The VariableV2 op."""
        return self._variable.op

    @property
    def graph(self) -> Any:
        """The graph the variable belongs to."""
        return self._variable.graph

    @property
    def dtype(self) -> dtypes.DType:
        """Element type."""
        return self._variable.dtype

    @property
    def shape(self) -> TensorShape:
        """Static shape."""
        return self._variable.shape

    def get_shape(self) -> TensorShape:
        """Static shape (TF1 spelling)."""
        return self._variable.shape

    @property
    def trainable(self) -> bool:
        """Whether optimizers update it by default."""
        return self._trainable

    @property
    def constraint(self) -> Callable | None:
        """Projection applied after optimizer updates, if any."""
        return self._constraint

    @property
    def device(self) -> str:
        """Always the CPU."""
        return ""

    # -- values --------------------------------------------------------------------
    @property
    def initializer(self) -> Operation:
        """The op that assigns the initial value."""
        return self._initializer_op

    @property
    def initial_value(self) -> Tensor:
        """The tensor the initializer assigns."""
        return self._initial_value

    def initialized_value(self) -> Tensor:
        """The value, using the initial value if the variable is not initialized yet.

        For initializing one variable from another regardless of initializer order.
        """
        return state_ops.initialized_value(self, self._initial_value)

    def value(self) -> Tensor:
        """The tensor that reads the current value."""
        return self._variable

    def read_value(self) -> Tensor:
        """A new Identity op reading the current value."""
        return state_ops.identity(self._variable, name="read")

    def _as_tensor(self) -> Tensor:
        return self._variable

    def _as_graph_element(self) -> Tensor:
        return self._variable

    def assign(self, value: Any, use_locking: bool = False, name: str | None = None,
               read_value: bool = True) -> Tensor:
        """Op that sets the value; outputs the new value."""
        return state_ops.assign(self._variable, value, use_locking=use_locking, name=name)

    def assign_add(self, delta: Any, use_locking: bool = False, name: str | None = None,
                   read_value: bool = True) -> Tensor:
        """Op that adds ``delta``; outputs the new value."""
        return state_ops.assign_add(self._variable, delta, use_locking=use_locking, name=name)

    def assign_sub(self, delta: Any, use_locking: bool = False, name: str | None = None,
                   read_value: bool = True) -> Tensor:
        """Op that subtracts ``delta``; outputs the new value."""
        return state_ops.assign_sub(self._variable, delta, use_locking=use_locking, name=name)

    def count_up_to(self, limit: int) -> Tensor:
        """``tf.count_up_to(self, limit)``: increments this integer variable until
        ``limit``, returning the value before the increment."""
        return queue_ops.count_up_to(self, limit)

    def eval(self, session: Any = None) -> np.ndarray:
        """The current value in ``session`` (or the default session)."""
        return self._variable.eval(session=session)

    def load(self, value: Any, session: Any = None) -> None:
        """Writes ``value`` into the variable in ``session`` without adding ops."""
        session = session or get_default_session()
        if session is None:
            raise ValueError(f"Cannot load variable {self.op.name}: no default session is "
                             "registered; pass one explicitly.")
        arr = np.asarray(value, dtype=self.dtype.dtype)
        if not self.shape.is_compatible_with(arr.shape):
            raise ValueError(f"Cannot load a value of shape {arr.shape} into variable "
                             f"{self.op.name} of shape {self.shape}")
        session.load_variable(self.op.get_attr("var_key"), arr)

    def set_shape(self, shape: Any) -> None:
        """Refines the static shape."""
        self._variable.set_shape(shape)

    def __repr__(self) -> str:
        return (f"<tf.Variable '{self.name}' shape={self.shape} "
                f"dtype={self.dtype.name}>")

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __bool__(self) -> bool:
        raise TypeError("Using a tf.Variable as a Python bool is not allowed in graph mode.")


def global_variables(scope: str | None = None) -> list[Variable]:
    """``tf.global_variables``: every variable in the GLOBAL_VARIABLES collection."""
    return get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


def trainable_variables(scope: str | None = None) -> list[Variable]:
    """``tf.trainable_variables``: variables optimizers update by default."""
    return get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope: str | None = None) -> list[Variable]:
    """``tf.local_variables``."""
    return get_default_graph().get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def variables_initializer(var_list: Iterable[Variable], name: str = "init") -> Operation:
    """``tf.variables_initializer``: one op running the initializers of ``var_list``."""
    inits = [v.initializer for v in var_list]
    if not inits:
        return state_ops.no_op(name=name)
    return state_ops.group(*inits, name=name)


def global_variables_initializer() -> Operation:
    """``tf.global_variables_initializer``."""
    return variables_initializer(global_variables(), name="init")


def local_variables_initializer() -> Operation:
    """``tf.local_variables_initializer``."""
    return variables_initializer(local_variables(), name="init")

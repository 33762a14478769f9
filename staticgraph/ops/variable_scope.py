"""TF1 variable scopes: ``tf.variable_scope``, ``tf.get_variable`` and variable sharing.

Each graph keeps (in ``graph._variable_scope_state``) a store of the variables made by
``get_variable`` keyed by full name, the current :class:`VariableScope`, and how often each
scope name was opened (for ``default_name`` uniquification). Variable names depend only on
variable scopes; a variable scope also opens a name scope for the ops created inside it.
"""
from __future__ import annotations

import contextlib
import enum
import functools
import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from ..core import dtypes
from ..core.graph import Graph, GraphKeys, Tensor, get_default_graph
from ..core.shapes import as_shape
from . import init_ops
from .framework import to_numpy_value
from .variables import Variable

__all__ = [
    "AUTO_REUSE", "VariableScope", "variable_scope", "get_variable", "get_local_variable",
    "get_variable_scope", "no_regularizer",
]


class _ReuseMode(enum.Enum):
    """Reuse modes beyond True/False."""

    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE


def no_regularizer(_: Any) -> None:
    """``tf.no_regularizer``: a regularizer that adds no loss (turns a scope's off)."""
    return None


def _wrap_custom_getter(inner: Callable | None, outer: Callable | None) -> Callable | None:
    """Nests a scope's custom getter inside the enclosing scope's one (TF1 semantics).

    Getters are called with keywords, ``getter(getter=next_getter, name=..., ...)``."""
    if outer is None or inner is None:
        return inner or outer

    def wrapped(getter: Callable, *args: Any, **kwargs: Any) -> Any:
        return inner(functools.partial(outer, getter), *args, **kwargs)
    return wrapped


class VariableScope:
    """A variable scope: the name prefix and defaults (reuse, initializer, regularizer,
    dtype, ...) for the variables ``tf.get_variable`` creates inside it."""

    def __init__(self, reuse: Any, name: str = "", initializer: Any = None,
                 regularizer: Callable | None = None, caching_device: Any = None,
                 partitioner: Any = None, custom_getter: Callable | None = None,
                 name_scope: str = "", dtype: Any = dtypes.float32, use_resource: Any = None,
                 constraint: Callable | None = None) -> None:
        self._name = name
        self._reuse = reuse
        self._initializer = initializer
        self._regularizer = regularizer
        self._caching_device = caching_device
        self._partitioner = partitioner
        self._custom_getter = custom_getter
        self._name_scope = name_scope
        self._dtype = dtypes.as_dtype(dtype)
        self._use_resource = use_resource
        self._constraint = constraint

    # -- properties -------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The full scope name, e.g. ``"outer/inner"`` (``""`` for the root scope)."""
        return self._name

    @property
    def original_name_scope(self) -> str:
        """The name scope opened when this scope was first entered (with ``/``)."""
        return self._name_scope

    @property
    def reuse(self) -> Any:
        """False, True or ``tf.AUTO_REUSE``."""
        return self._reuse

    @property
    def initializer(self) -> Any:
        """Default initializer of variables created in this scope."""
        return self._initializer

    @property
    def regularizer(self) -> Callable | None:
        """Default regularizer of variables created in this scope."""
        return self._regularizer

    @property
    def dtype(self) -> dtypes.DType:
        """Default dtype of variables created in this scope."""
        return self._dtype

    @property
    def caching_device(self) -> Any:
        """Accepted for TF1 compatibility (single CPU)."""
        return self._caching_device

    @property
    def partitioner(self) -> Any:
        """Partitioners are not supported; always None unless set."""
        return self._partitioner

    @property
    def custom_getter(self) -> Callable | None:
        """A function ``getter(next_getter, name, *args, **kwargs)`` wrapping creation."""
        return self._custom_getter

    @property
    def use_resource(self) -> Any:
        """Accepted for TF1 compatibility."""
        return self._use_resource

    @property
    def constraint(self) -> Callable | None:
        """Default constraint of variables created in this scope."""
        return self._constraint

    # -- setters ------------------------------------------------------------------------
    def reuse_variables(self) -> None:
        """Turns reuse on for this scope (and scopes opened inside it from now on)."""
        self._reuse = True

    def set_initializer(self, initializer: Any) -> None:
        """Sets the default initializer."""
        self._initializer = initializer

    def set_dtype(self, dtype: Any) -> None:
        """Sets the default dtype."""
        self._dtype = dtypes.as_dtype(dtype)

    def set_regularizer(self, regularizer: Callable | None) -> None:
        """Sets the default regularizer."""
        self._regularizer = regularizer

    def set_caching_device(self, caching_device: Any) -> None:
        """Accepted for TF1 compatibility."""
        self._caching_device = caching_device

    def set_partitioner(self, partitioner: Any) -> None:
        """Sets the default partitioner (creating partitioned variables is unsupported)."""
        self._partitioner = partitioner

    def set_custom_getter(self, custom_getter: Callable | None) -> None:
        """Sets the custom getter."""
        self._custom_getter = custom_getter

    def set_use_resource(self, use_resource: Any) -> None:
        """Accepted for TF1 compatibility."""
        self._use_resource = use_resource

    def set_constraint(self, constraint: Callable | None) -> None:
        """Sets the default constraint."""
        self._constraint = constraint

    # -- collections --------------------------------------------------------------------
    def get_collection(self, name: str) -> list:
        """Items of collection ``name`` whose names start with this scope's name."""
        prefix = self._name + "/" if self._name else None
        return get_default_graph().get_collection(name, prefix)

    def trainable_variables(self) -> list:
        """Trainable variables of this scope."""
        return self.get_collection(GraphKeys.TRAINABLE_VARIABLES)

    def global_variables(self) -> list:
        """Global variables of this scope."""
        return self.get_collection(GraphKeys.GLOBAL_VARIABLES)

    def local_variables(self) -> list:
        """Local variables of this scope."""
        return self.get_collection(GraphKeys.LOCAL_VARIABLES)

    # -- variables ----------------------------------------------------------------------
    def get_variable(self, var_store: "_VariableStore", name: str, shape: Any = None,
                     dtype: Any = None, initializer: Any = None,
                     regularizer: Callable | None = None, reuse: Any = None,
                     trainable: bool | None = None, collections: Iterable[str] | None = None,
                     caching_device: Any = None, partitioner: Any = None,
                     validate_shape: bool = True, use_resource: Any = None,
                     custom_getter: Callable | None = None,
                     constraint: Callable | None = None, **unused: Any) -> Variable:
        """Gets or creates ``<scope name>/<name>`` in ``var_store``, applying this scope's
        defaults for the arguments left as None."""
        if dtype is not None and initializer is not None and not callable(initializer):
            value_dtype = _value_dtype(initializer)
            if value_dtype != dtypes.as_dtype(dtype):
                raise ValueError(f"Initializer type '{value_dtype.name}' and explicit dtype "
                                 f"'{dtypes.as_dtype(dtype).name}' don't match.")
        request = _Request(
            name=f"{self._name}/{name}" if self._name else name,
            shape=shape, dtype=dtypes.as_dtype(dtype) if dtype is not None else self._dtype,
            initializer=self._initializer if initializer is None else initializer,
            regularizer=self._regularizer if regularizer is None else regularizer,
            reuse=self._reuse if reuse is None else reuse,
            trainable=True if trainable is None else trainable, collections=collections,
            partitioner=self._partitioner if partitioner is None else partitioner,
            validate_shape=validate_shape,
            constraint=self._constraint if constraint is None else constraint)
        getter = _wrap_custom_getter(custom_getter, self._custom_getter)
        # Inside a loop body or a branch (a function graph), the variable still belongs to
        # the top-level graph, as in TF1: built there, in its collections, read from the
        # body by capture.
        graph = _root_graph(get_default_graph())
        with graph.as_default(), graph.control_dependencies(None), \
                graph.name_scope(None):  # variable names depend only on the variable scope
            return var_store.get_variable(request, getter)

    def __repr__(self) -> str:
        return f"<VariableScope name={self._name!r} reuse={self._reuse}>"


def _value_dtype(value: Any) -> dtypes.DType:
    """The dtype a constant initializer value gets (a tensor's own, else TF1's default)."""
    if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
        return value.dtype
    return dtypes.as_dtype(to_numpy_value(value, None, "initializer").dtype)


@dataclass
class _Request:
    """The arguments of one ``get_variable`` call, with the scope's defaults applied."""

    name: str
    shape: Any
    dtype: dtypes.DType
    initializer: Any
    regularizer: Callable | None
    reuse: Any
    trainable: bool
    collections: Iterable[str] | None
    partitioner: Any
    validate_shape: bool
    constraint: Callable | None


class _VariableStore:
    """The variables made by ``get_variable`` in one graph, by full name."""

    def __init__(self) -> None:
        self.variables: dict[str, Variable] = {}

    def get_variable(self, request: _Request, custom_getter: Callable | None = None
                     ) -> Variable:
        """The existing variable when reusing, else a new one (via ``custom_getter``)."""
        if custom_getter is None:
            return self._get(request)
        if not callable(custom_getter):
            raise ValueError(f"Passed a custom_getter which is not callable: {custom_getter}")

        def true_getter(name: str, shape: Any = None, dtype: Any = None, initializer: Any = None,
                        regularizer: Callable | None = None, reuse: Any = None,
                        trainable: bool | None = None, collections: Any = None,
                        partitioner: Any = None, validate_shape: bool = True,
                        constraint: Callable | None = None, **unused: Any) -> Variable:
            return self._get(_Request(
                name, shape, dtypes.as_dtype(dtype or request.dtype), initializer,
                regularizer, reuse, True if trainable is None else trainable, collections,
                partitioner, validate_shape, constraint))

        return custom_getter(getter=true_getter, name=request.name, shape=request.shape,
                             dtype=request.dtype, initializer=request.initializer,
                             regularizer=request.regularizer, reuse=request.reuse,
                             trainable=request.trainable, collections=request.collections,
                             partitioner=request.partitioner,
                             validate_shape=request.validate_shape,
                             constraint=request.constraint)

    def _get(self, r: _Request) -> Variable:
        if r.partitioner is not None:
            raise NotImplementedError("partitioned variables are not supported")
        from_value = r.initializer is not None and not callable(r.initializer)
        if from_value and r.shape is not None:
            raise ValueError("If initializer is a constant, do not specify shape.")
        shape = as_shape(r.shape)
        found = self.variables.get(r.name)
        if found is not None:
            return _reuse_existing(found, r, shape)
        if r.reuse is True:
            raise ValueError(f"Variable {r.name} does not exist, or was not created with "
                             "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in "
                             "VarScope?")
        variable = _create(r, shape, from_value)
        self.variables[r.name] = variable
        if r.regularizer is not None:
            _add_regularization_loss(r.name, r.regularizer, variable)
        return variable


def _reuse_existing(found: Variable, r: _Request, shape: Any) -> Variable:
    if r.reuse is False:
        raise ValueError(f"Variable {r.name} already exists, disallowed. Did you mean to set "
                         "reuse=True or reuse=tf.AUTO_REUSE in VarScope? Originally defined "
                         f"at:\n\n  {found.op.traceback}")
    if not shape.is_compatible_with(found.shape):
        raise ValueError(f"Trying to share variable {r.name}, but specified shape {shape} and "
                         f"found shape {found.shape}.")
    if r.dtype != found.dtype:
        raise ValueError(f"Trying to share variable {r.name}, but specified dtype "
                         f"{r.dtype.name} and found dtype {found.dtype.name}.")
    return found


def _default_initializer(name: str, dtype: dtypes.DType) -> init_ops.Initializer:
    """glorot_uniform for floats, zeros for integers and bools (TF1)."""
    if dtype.is_floating:
        return init_ops.glorot_uniform_initializer()
    if dtype.is_integer or dtype.is_bool:
        return init_ops.zeros_initializer()
    raise ValueError(f"An initializer for variable {name} of {dtype.name} is required")


def _takes_no_arguments(fn: Callable) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in params)


def _initial_value(r: _Request, shape: Any, from_value: bool) -> tuple[Any, Any]:
    """(initial value or a function building it, dtype to give the Variable)."""
    if from_value:
        return r.initializer, None
    initializer = r.initializer
    if initializer is None:
        initializer = _default_initializer(r.name, r.dtype)
    if inspect.isclass(initializer):
        initializer = initializer(dtype=r.dtype)
    if shape.is_fully_defined():
        dims = shape.as_list()

        def build() -> Any:
            with get_default_graph().name_scope("Initializer"):
                return initializer(dims, dtype=r.dtype, partition_info=None)
        return build, r.dtype
    if _takes_no_arguments(initializer):
        return initializer, None
    raise ValueError(f"Shape of a new variable ({r.name}) must be fully defined, but instead "
                     f"was {shape}.")


def _create(r: _Request, shape: Any, from_value: bool) -> Variable:
    initial, dtype = _initial_value(r, shape, from_value)
    with get_default_graph().control_dependencies(None):
        return Variable(initial_value=initial, trainable=r.trainable,
                        collections=r.collections, validate_shape=r.validate_shape,
                        name=r.name, dtype=dtype, constraint=r.constraint)


def _add_regularization_loss(name: str, regularizer: Callable, variable: Variable) -> None:
    graph = get_default_graph()
    with graph.name_scope(name + "/Regularizer/"):
        loss = regularizer(variable)
    if loss is not None:
        graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)


# ----------------------------------------------------------------------------------------
# Per-graph scope state
# ----------------------------------------------------------------------------------------


@dataclass
class _ScopeState:
    """The variable store, the current scope and open counts of scope names."""

    store: _VariableStore = field(default_factory=_VariableStore)
    current: VariableScope = field(default_factory=lambda: VariableScope(False))
    counts: dict = field(default_factory=dict)

    def unique_name(self, prefix: str) -> str:
        """``prefix``, or ``prefix_N``, naming a scope not yet opened in the current one."""
        base = f"{self.current.name}/{prefix}" if self.current.name else prefix
        if not self.counts.get(base):
            return prefix
        index = 1
        while self.counts.get(f"{base}_{index}"):
            index += 1
        return f"{prefix}_{index}"

    def close_subscopes(self, name: str) -> None:
        """Forgets how often scopes nested in ``name`` were opened."""
        for key in self.counts:
            if key.startswith(name + "/"):
                self.counts[key] = 0


def _root_graph(graph: Graph) -> Graph:
    """The top-level graph that ``graph`` (maybe a function body's graph) belongs to."""
    while getattr(graph, "outer_graph", None) is not None:
        graph = graph.outer_graph
    return graph


def _scope_state(graph: Graph | None = None) -> _ScopeState:
    """The variable scopes and store of the top-level graph: function bodies (loop
    bodies, branches) share them, so names and reuse are as if built inline."""
    graph = _root_graph(graph or get_default_graph())
    if graph._variable_scope_state is None:
        graph._variable_scope_state = _ScopeState()
    return graph._variable_scope_state


def get_variable_scope() -> VariableScope:
    """``tf.get_variable_scope``: the current variable scope."""
    return _scope_state().current


def get_variable(name: str, shape: Any = None, dtype: Any = None, initializer: Any = None,
                 regularizer: Callable | None = None, trainable: bool | None = None,
                 collections: Iterable[str] | None = None, caching_device: Any = None,
                 partitioner: Any = None, validate_shape: bool = True,
                 use_resource: Any = None, custom_getter: Callable | None = None,
                 constraint: Callable | None = None, synchronization: Any = None,
                 aggregation: Any = None) -> Variable:
    """``tf.get_variable``: the variable ``<scope>/<name>``, created unless the scope
    reuses variables. The default initializer is glorot_uniform for floats, zeros for
    integers; ``initializer`` may also be a value (then leave ``shape`` None)."""
    state = _scope_state()
    return state.current.get_variable(
        state.store, name, shape=shape, dtype=dtype, initializer=initializer,
        regularizer=regularizer, trainable=trainable, collections=collections,
        partitioner=partitioner, validate_shape=validate_shape,
        custom_getter=custom_getter, constraint=constraint)


def get_local_variable(name: str, shape: Any = None, dtype: Any = None,
                       initializer: Any = None, regularizer: Callable | None = None,
                       trainable: bool = False, collections: Iterable[str] | None = None,
                       **kwargs: Any) -> Variable:
    """``tf.get_local_variable``: :func:`get_variable` in LOCAL_VARIABLES, not trainable."""
    collections = list(collections or []) + [GraphKeys.LOCAL_VARIABLES]
    return get_variable(name, shape, dtype, initializer, regularizer, trainable=False,
                        collections=collections, **kwargs)


# ----------------------------------------------------------------------------------------
# tf.variable_scope
# ----------------------------------------------------------------------------------------


class variable_scope:
    """``tf.variable_scope``: a context manager opening a variable scope (and, unless
    ``auxiliary_name_scope=False``, a name scope for ops); yields the VariableScope.

    ``reuse=True`` makes ``get_variable`` return existing variables (and fail for missing
    ones); ``tf.AUTO_REUSE`` returns or creates. Reuse is inherited by nested scopes.
    """

    def __init__(self, name_or_scope: Any, default_name: str | None = None,
                 values: Any = None, initializer: Any = None,
                 regularizer: Callable | None = None, caching_device: Any = None,
                 partitioner: Any = None, custom_getter: Callable | None = None,
                 reuse: Any = None, dtype: Any = None, use_resource: Any = None,
                 constraint: Callable | None = None, auxiliary_name_scope: bool = True) -> None:
        if default_name is None and name_or_scope is None:
            raise TypeError("If default_name is None then name_or_scope is required")
        if name_or_scope is not None and not isinstance(name_or_scope, (str, VariableScope)):
            raise TypeError("VariableScope: name_or_scope must be a string or VariableScope.")
        if reuse is False:
            reuse = None  # False means "inherit", as in TF1
        if reuse not in (None, True, AUTO_REUSE):
            raise ValueError("The reuse parameter must be True or False or None.")
        if not isinstance(auxiliary_name_scope, bool):
            raise TypeError("The auxiliary_name_scope must be `True` or `False`, while get "
                            f"{auxiliary_name_scope}")
        self._name_or_scope = name_or_scope
        self._default_name = default_name
        self._graph = _graph_of(values)
        self._reuse = reuse
        self._aux_name_scope = auxiliary_name_scope
        self._overrides = {"initializer": initializer, "regularizer": regularizer,
                           "caching_device": caching_device, "partitioner": partitioner,
                           "dtype": dtype, "use_resource": use_resource,
                           "constraint": constraint}
        self._custom_getter = custom_getter
        if custom_getter is not None and not callable(custom_getter):
            raise ValueError(f"Passed a custom_getter which is not callable: {custom_getter}")
        self._exits: list[contextlib.ExitStack] = []

    def __enter__(self) -> VariableScope:
        stack = contextlib.ExitStack()
        try:
            scope = self._enter(stack)
        except BaseException:
            stack.close()
            raise
        self._exits.append(stack)
        return scope

    def __exit__(self, *exc: Any) -> None:
        self._exits.pop().close()

    def _enter(self, stack: contextlib.ExitStack) -> VariableScope:
        graph = self._graph
        stack.enter_context(graph.as_default())
        state = _scope_state(graph)
        target = self._name_or_scope
        if target is None:
            if self._reuse:
                raise ValueError("reuse=True cannot be used without a name_or_scope")
            name_scope = self._open_name_scope(stack, self._default_name)
            return self._open(stack, state, state.unique_name(self._default_name), name_scope)
        short = target if isinstance(target, str) else target.name.split("/")[-1]
        name_scope = self._open_name_scope(stack, short) if short else ""
        if isinstance(target, VariableScope):
            name_scope = target.original_name_scope
        return self._open(stack, state, target, name_scope)

    def _open_name_scope(self, stack: contextlib.ExitStack, name: str) -> str:
        if not self._aux_name_scope:
            current = self._graph.get_name_scope()
            return f"{current}/{name}/" if current else f"{name}/"
        return stack.enter_context(self._graph.name_scope(name))

    def _open(self, stack: contextlib.ExitStack, state: _ScopeState, target: Any,
              name_scope: str) -> VariableScope:
        old = state.current
        base = target if isinstance(target, VariableScope) else old
        name = target.name if isinstance(target, VariableScope) else \
            f"{old.name}/{target}" if old.name else target
        reuse = self._reuse or base.reuse
        state.counts[name] = state.counts.get(name, 0) + 1
        if isinstance(target, VariableScope):
            stack.callback(setattr, state, "counts", dict(state.counts))
        else:
            stack.callback(state.close_subscopes, name)
        scope = VariableScope(reuse, name=name, initializer=base.initializer,
                              regularizer=base.regularizer, caching_device=base.caching_device,
                              partitioner=base.partitioner, custom_getter=base.custom_getter,
                              name_scope=name_scope, dtype=base.dtype,
                              use_resource=base.use_resource, constraint=base.constraint)
        for key, value in self._overrides.items():
            if value is not None:
                getattr(scope, f"set_{key}")(value)
        if self._custom_getter is not None:
            scope.set_custom_getter(_wrap_custom_getter(self._custom_getter,
                                                        scope.custom_getter))
        state.current = scope
        stack.callback(setattr, state, "current", old)
        return scope


def _graph_of(values: Any) -> Graph:
    for v in values or ():
        graph = getattr(v, "graph", None)
        if isinstance(graph, Graph):
            return graph
    return get_default_graph()

"""TF1's framework-level names that are not ops: variable listings, scopes, tensor
utilities, gradient settings, and a few control-flow conveniences built on existing ops.

Each follows TF1's documented graph-mode behaviour; where staticgraph's single-CPU,
single-store design makes a TF1 setting meaningless (``tf.container``,
``tf.colocate_with``) the function says so in its docstring.
"""
from __future__ import annotations

import contextlib
import enum
import logging
import time
from typing import Any, Callable, Iterator, Mapping, Sequence

import numpy as np
from absl import logging as absl_logging

from .autodiff.custom import RegisterGradient, custom_gradient
from .control_flow.cond import case
from .control_flow.functional import map_fn
from .control_flow.nest import flatten as flatten_flow, pack_as
from .core import dtypes
from .core.func_graph import FuncGraph, ancestors, called_functions, function_ops
from .core.graph import GraphKeys, Operation, Tensor, get_default_graph, name_scope
from .core.registry import Role, get_op_def
from .io.attr_values import from_tensor_proto, to_tensor_proto
from .io.protos import TensorProto
from .ops.comparison_ops import equal
from .ops.conversion_registry import register_tensor_conversion_function
from .ops.custom_ops import py_func
from .ops.framework import constant_value, convert_to_tensor
from .ops.indexed_slices import IndexedSlices
from .ops.numerics_ops import check_numerics
from .ops.state_ops import identity
from .ops.variable_scope import VariableScope, variable_scope
from .ops.variables import Variable, global_variables
from .train.moving_averages import MOVING_AVERAGE_VARIABLES

__all__ = ["AggregationMethod", "NoGradient", "NotDifferentiable", "UnconnectedGradients",
           "VariableAggregation", "VariableSynchronization", "all_variables",
           "colocate_with", "container", "convert_to_tensor_or_indexed_slices",
           "get_logger", "get_static_value", "grad_pass_through", "guarantee_const",
           "init_scope", "is_symbolic_tensor", "is_tensor", "make_ndarray",
           "make_tensor_proto", "model_variables", "moving_average_variables",
           "no_gradient", "op_scope", "register_tensor_conversion_function", "switch_case",
           "timestamp", "variable_op_scope", "vectorized_map", "verify_tensor_all_finite"]


# ----------------------------------------------------------------------------------------
# Variables
# ----------------------------------------------------------------------------------------

def all_variables() -> list[Variable]:
    """``tf.all_variables``: TF1's deprecated name of :func:`tf.global_variables`."""
    return global_variables()


def model_variables(scope: str | None = None) -> list[Variable]:
    """The variables of the ``MODEL_VARIABLES`` collection (those a model's layers add,
    e.g. ``tf.contrib.layers``), filtered by ``scope`` as ``get_collection`` does."""
    return get_default_graph().get_collection(GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope: str | None = None) -> list[Variable]:
    """The variables ``tf.train.ExponentialMovingAverage.apply`` keeps averages of."""
    return get_default_graph().get_collection(MOVING_AVERAGE_VARIABLES, scope)


class VariableAggregation(enum.Enum):
    """How a distributed variable combines per-replica updates; accepted by
    ``tf.Variable`` and ``get_variable`` (one replica here: no combining happens)."""
    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3


class VariableSynchronization(enum.Enum):
    """When a distributed variable is synchronised; accepted by ``tf.Variable`` and
    ``get_variable`` (one replica here: nothing to synchronise)."""
    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


# ----------------------------------------------------------------------------------------
# Scopes
# ----------------------------------------------------------------------------------------

@contextlib.contextmanager
def init_scope() -> Iterator[None]:
    """``tf.init_scope``: builds ops as at the top of the graph, for initialisation code:
    inside a function body (a ``tf.cond`` branch, a ``tf.while_loop`` body) the ops go
    to the outermost graph instead, in that graph's current name scope; the control
    dependencies in force are cleared."""
    outer = get_default_graph()
    while isinstance(outer, FuncGraph):
        outer = outer.outer_graph
    with outer.as_default(), outer.control_dependencies(None):
        yield


def colocate_with(op: Any, ignore_existing: bool = False) -> Any:
    """``tf.colocate_with``: accepted for TF1 compatibility; every op runs on the one CPU,
    so all ops are colocated already."""
    return get_default_graph().colocate_with(op, ignore_existing)


@contextlib.contextmanager
def container(container_name: str) -> Iterator[None]:
    """``tf.container``: in TF1, names the resource container stateful ops created inside
    use, so ``Session.reset`` can clear it. staticgraph keeps every variable in one store
    per Session, so the name is accepted (it must be a string) and has no effect."""
    if not isinstance(container_name, str):
        raise TypeError(f"container_name must be a string, got {container_name!r}")
    yield


@contextlib.contextmanager
def op_scope(values: Any, name: str | None, default_name: str | None = None) -> Iterator[str]:
    """``tf.op_scope``: TF1's deprecated spelling of ``tf.name_scope(name, default_name,
    values)``; yields the scope name."""
    with name_scope(name, default_name, values) as scope:
        yield scope


@contextlib.contextmanager
def variable_op_scope(values: Any, name_or_scope: Any, default_name: str | None = None,
                      initializer: Any = None, regularizer: Callable | None = None,
                      caching_device: Any = None, partitioner: Any = None,
                      custom_getter: Callable | None = None, reuse: Any = None,
                      dtype: Any = None, use_resource: Any = None,
                      constraint: Callable | None = None) -> Iterator[VariableScope]:
    """``tf.variable_op_scope``: TF1's deprecated spelling of ``tf.variable_scope(
    name_or_scope, default_name, values, ...)``; yields the variable scope."""
    with variable_scope(name_or_scope, default_name=default_name, values=values,
                        initializer=initializer, regularizer=regularizer,
                        caching_device=caching_device, partitioner=partitioner,
                        custom_getter=custom_getter, reuse=reuse, dtype=dtype,
                        use_resource=use_resource, constraint=constraint) as scope:
        yield scope


# ----------------------------------------------------------------------------------------
# Tensors and their values
# ----------------------------------------------------------------------------------------

def is_tensor(x: Any) -> bool:
    """``tf.is_tensor``: True for Tensors, Variables and IndexedSlices (and sparse
    tensors), False for Python and NumPy values."""
    return isinstance(x, (Tensor, Variable, IndexedSlices)) or all(
        hasattr(x, field) for field in ("indices", "values", "dense_shape"))


def is_symbolic_tensor(tensor: Any) -> bool:
    """``tf.is_symbolic_tensor``: True for graph Tensors (the only kind staticgraph has;
    a Variable is not one, as for TF1's reference variables)."""
    return isinstance(tensor, Tensor)


def convert_to_tensor_or_indexed_slices(value: Any, dtype: Any = None,
                                        name: str | None = None) -> Tensor | IndexedSlices:
    """``tf.convert_to_tensor_or_indexed_slices``: an IndexedSlices unchanged (its dtype
    checked against ``dtype``), anything else through ``tf.convert_to_tensor``."""
    if isinstance(value, IndexedSlices):
        if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
            raise ValueError(f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} "
                             f"for IndexedSlices with dtype {value.dtype.name}")
        return value
    return convert_to_tensor(value, dtype=dtype, name=name)


def _foldable(op: Operation) -> bool:
    """Whether ``op`` (and every function it calls) computes from its inputs alone."""
    opdef = get_op_def(op.type)
    if (opdef.stateful or opdef.uses_state or op.type == "PlaceholderWithDefault"
            or opdef.role in (Role.VARIABLE, Role.PLACEHOLDER)):
        return False
    return all(_foldable(inner) for sub in called_functions(op) for inner in function_ops(sub))


def get_static_value(tensor: Any, partial: bool = False) -> np.ndarray | None:
    """``tf.get_static_value``: the value of ``tensor`` when the graph alone determines
    it, else None.

    Non-tensors come back as NumPy arrays; a tensor of the main graph whose ops all are free
    of state, randomness and placeholders (a Const, a static Shape, arithmetic on
    constants...) is evaluated (in a function body only Consts and static shapes are). This
    folds more ops than TF1 (which knows a fixed list of op types), never fewer. ``partial``
    is accepted; only fully known values are returned.
    """
    if isinstance(tensor, Variable):
        return None
    known = constant_value(tensor)
    if known is not None or not isinstance(tensor, Tensor) or isinstance(tensor.graph,
                                                                         FuncGraph):
        return known  # a function body's tensors are evaluated only with their function
    if not all(_foldable(op) for op in ancestors([tensor])):
        return None
    from .runtime.session import Session  # noqa: PLC0415  (API layer: run to fold)

    with Session(graph=tensor.graph) as session:
        return np.asarray(session.run(tensor))


def make_tensor_proto(values: Any, dtype: Any = None, shape: Any = None,
                      verify_shape: bool = False, allow_broadcast: bool = False) -> TensorProto:
    """``tf.make_tensor_proto``: a ``TensorProto`` holding ``values`` (converted to
    ``dtype``; reshaped to ``shape``: a single value fills it, otherwise the element
    counts must agree, or the shapes with ``verify_shape``)."""
    array = np.asarray(values) if dtype is None else np.asarray(
        values, dtype=dtypes.as_dtype(dtype).dtype)
    if dtype is None and array.dtype == np.float64 and not isinstance(values, np.ndarray):
        array = array.astype(np.float32)  # TF1's default for Python floats
    if shape is not None:
        shape = [int(d) for d in shape]
        if verify_shape and list(array.shape) != shape:
            raise TypeError(f"Expected Tensor's shape: {tuple(shape)}, got {array.shape}.")
        if array.size == 1 or allow_broadcast:
            array = np.broadcast_to(array.reshape(()) if array.size == 1 else array, shape)
        elif array.size != int(np.prod(shape)):
            raise ValueError(f"Too many elements provided. Needed at most "
                             f"{int(np.prod(shape))}, but received {array.size}")
        array = np.ascontiguousarray(array).reshape(shape)
    return to_tensor_proto(array)


def make_ndarray(tensor: TensorProto) -> np.ndarray:
    """``tf.make_ndarray``: the NumPy array a ``TensorProto`` holds."""
    return from_tensor_proto(tensor, "make_ndarray")


def guarantee_const(input: Any, name: str | None = None) -> Tensor:
    """``tf.guarantee_const``: ``input`` unchanged; in TF1 a promise to the runtime that
    the value is constant. TF1 defines no gradient for it; here the identity's gradient
    passes through."""
    return identity(input, name=name or "GuaranteeConst")


def verify_tensor_all_finite(t: Any = None, msg: str | None = None, name: str | None = None,
                             x: Any = None, message: str | None = None) -> Tensor:
    """``tf.verify_tensor_all_finite``: ``tf.check_numerics(t, msg)``: ``t`` unchanged,
    the run fails with ``msg`` if it holds a NaN or infinity (``x``/``message`` are the
    newer spellings of ``t``/``msg``)."""
    value = t if x is None else x
    text = msg if message is None else message
    if value is None or text is None:
        raise ValueError("verify_tensor_all_finite needs the tensor (t or x) and the "
                         "message (msg or message)")
    with name_scope(name, "VerifyFinite", [value]):
        return check_numerics(value, text)


def timestamp(name: str | None = None) -> Tensor:
    """``tf.timestamp``: a float64 scalar, the time in seconds since the epoch when the
    op runs (a stateful op: each run reads the clock again)."""
    result = py_func(lambda: np.float64(time.time()), [], dtypes.float64, stateful=True,
                     name=name or "Timestamp")
    result.set_shape([])
    return result


def get_logger() -> logging.Logger:
    """``tf.get_logger``: the logger ``tf.logging`` writes to (absl's)."""
    return absl_logging.get_absl_logger()


# ----------------------------------------------------------------------------------------
# Gradients
# ----------------------------------------------------------------------------------------

class UnconnectedGradients(str, enum.Enum):
    """What ``tf.gradients`` gives for an x that no y depends on: None (``NONE``) or
    zeros (``ZERO``); equal to the strings ``"none"`` and ``"zero"``."""
    NONE = "none"
    ZERO = "zero"


class AggregationMethod:
    """How ``tf.gradients`` sums the gradient contributions to one tensor.

    All methods give the same sums; staticgraph always adds them with one ``AddN``
    (TF's ``ADD_N``/``DEFAULT``), so the experimental methods are accepted and produce
    that sum too.
    """
    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


def NotDifferentiable(op_type: str) -> None:  # noqa: N802  (TF1's name)
    """``tf.NotDifferentiable``: ops of ``op_type`` get no gradient (``tf.gradients``
    treats their inputs as not depending on them, as for ``stop_gradient``).

    Raises:
      TypeError: ``op_type`` is not a string.
      KeyError: a gradient is already registered for ``op_type`` with
        ``tf.RegisterGradient``.
    """
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")

    def no_gradient_for(op: Operation, *output_grads: Any) -> list[None]:
        return [None] * len(op.inputs)

    RegisterGradient(op_type)(no_gradient_for)


no_gradient = NotDifferentiable
NoGradient = NotDifferentiable


def grad_pass_through(f: Callable[..., Any]) -> Callable[..., Any]:
    """``tf.grad_pass_through``: ``f`` whose gradient is the identity: the forward value
    is ``f(x)``, the backward pass hands the output gradient straight to ``x`` (for a
    non-differentiable ``f`` such as rounding or an assignment). ``f`` takes and returns
    tensors of matching count."""

    @custom_gradient
    def passed(*args: Tensor) -> Any:
        def gradient(*output_grads: Tensor) -> Any:
            return list(output_grads) if len(output_grads) > 1 else output_grads[0]

        return f(*args), gradient

    return passed


# ----------------------------------------------------------------------------------------
# Control flow conveniences
# ----------------------------------------------------------------------------------------

def _branch_list(branch_fns: Any) -> list[Callable[[], Any]]:
    pairs = list(branch_fns.items()) if isinstance(branch_fns, Mapping) else list(branch_fns)
    if not pairs:
        raise ValueError("Must provide at least one item in branch_fns")
    if all(callable(p) for p in pairs):
        return pairs
    if not all(isinstance(p, tuple) and len(p) == 2 and callable(p[1]) for p in pairs):
        raise TypeError("branch_fns must be a list of callables, a list of (int, callable) "
                        "pairs or a dict from int to callable")
    keys = sorted(k for k, _ in pairs)
    if keys != list(range(len(pairs))):
        raise ValueError(f"branch indices (keys) must form contiguous range of [0 to "
                         f"{len(pairs)}) but found {{{','.join(map(str, keys))}}}")
    return [fn for _, fn in sorted(pairs, key=lambda p: p[0])]


def switch_case(branch_index: Any, branch_fns: Any,
                default: Callable[[], Any] | None = None, name: str = "switch_case") -> Any:
    """``tf.switch_case``: runs ``branch_fns[branch_index]`` (a list of callables, of
    ``(int, callable)`` pairs or a dict from int to callable, keys 0..n-1); an index out
    of range runs ``default``, or the last branch when there is none. Built on
    ``tf.case``: only the chosen branch runs."""
    fns = _branch_list(branch_fns)
    if default is not None and not callable(default):
        raise TypeError("default must be callable.")
    with name_scope(name, "switch_case", [branch_index]):
        index = convert_to_tensor(branch_index)
        if index.dtype != dtypes.int32:
            raise TypeError(f"switch_case: branch_index must be an int32 scalar, got "
                            f"{index.dtype.name}")
        if default is None:
            fns, default = fns[:-1], fns[-1]
        return case([(equal(index, i), fn) for i, fn in enumerate(fns)], default=default,
                    exclusive=False)


def vectorized_map(fn: Callable[[Any], Any], elems: Any, fallback_to_while_loop: bool = True,
                   warn: bool = True) -> Any:
    """``tf.vectorized_map``: ``fn`` applied to each slice of ``elems`` along axis 0,
    results stacked, with ``tf.map_fn``'s semantics.

    TF vectorizes ``fn`` (pfor) and falls back to a while loop; staticgraph always runs
    the loop (the results are the same). The output structure and dtypes are found by
    calling ``fn`` once on the first slices (ops that are built and never run).
    """
    flat = [convert_to_tensor(e) for e in flatten_flow(elems)]
    with name_scope("vectorized_map_probe"):
        probe = fn(pack_as(elems, [e[0] for e in flat]))
    return map_fn(fn, pack_as(elems, flat), dtype=_dtype_structure(probe))


def _dtype_structure(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return type(value)(_dtype_structure(v) for v in value)
    if isinstance(value, dict):
        return {k: _dtype_structure(v) for k, v in value.items()}
    return convert_to_tensor(value).dtype


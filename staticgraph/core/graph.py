"""Graph, Operation and Tensor: the symbolic program users build (TF1 semantics).

Ops are appended in creation order, which is always a valid topological order (an op's
inputs and control inputs exist before it). Names follow TF1: ``scope/Type_N``.
"""
from __future__ import annotations

import contextlib
import threading
from typing import Any, Iterable, Iterator, Mapping

from . import dtypes as _dtypes
from .collections import GraphCollections, GraphKeys  # noqa: F401 (GraphKeys re-exported)
from .control_inputs import current_control_inputs
from .names import NameScope, OpNameChecker, check_op_name
from .registry import _OPS, NO_ATTRS, get_op_def
from .shapes import TensorShape, as_shape
from .call_site import user_call_site
from .default_session import require_default_session

_DType = _dtypes.DType

class Tensor:
    """A symbolic value: output ``value_index`` of ``op``. Runs only inside a Session.

    Arithmetic operators, indexing and comparisons are installed by ``staticgraph.ops``.
    """

    __slots__ = ("_op", "_value_index", "_dtype", "_shape", "__weakref__")
    __array_priority__ = 100  # so NumPy defers ``ndarray + Tensor`` to Tensor.__radd__

    def __init__(self, op: "Operation", value_index: int, dtype: _dtypes.DType,
                 shape: TensorShape) -> None:
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = shape

    @property
    def op(self) -> "Operation":
        """The operation that produces this tensor."""
        return self._op

    @property
    def value_index(self) -> int:
        """Index of this tensor among its op's outputs."""
        return self._value_index

    @property
    def dtype(self) -> _dtypes.DType:
        """Element type."""
        return self._dtype

    @property
    def graph(self) -> "Graph":
        """The graph this tensor belongs to."""
        return self._op.graph

    @property
    def name(self) -> str:
        """``"op_name:index"``."""
        return f"{self._op.name}:{self._value_index}"

    @property
    def shape(self) -> TensorShape:
        """The static (possibly partial) shape."""
        return self._shape

    def get_shape(self) -> TensorShape:
        """The static shape (TF1 spelling)."""
        return self._shape

    def set_shape(self, shape: Any) -> None:
        """Refines the static shape; ``ValueError`` if incompatible."""
        try:
            self._shape = self._shape.merge_with(as_shape(shape))
        except ValueError:
            raise ValueError(f"Tensor {self.name} has shape {self._shape}, which is "
                             f"incompatible with {as_shape(shape)}") from None

    @property
    def device(self) -> str:
        """Always the CPU."""
        return ""

    def consumers(self) -> list["Operation"]:
        """Ops that take this tensor as an input (once per input edge), in creation order."""
        return list(self._op._graph._readers_of(self))

    def eval(self, feed_dict: dict | None = None, session: Any = None) -> Any:
        """Runs this tensor in ``session`` (or the default session)."""
        session = session or require_default_session("Tensor.eval()")
        return session.run(self, feed_dict)

    def __repr__(self) -> str:
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self._dtype.name}>"

    def __str__(self) -> str:
        """TF1's ``print(tensor)`` form, ``Tensor("x:0", shape=(?, 3), dtype=float32)``
        (the shape left out when even the rank is unknown)."""
        shape = "" if self._shape.ndims is None else f", shape={self._shape}"
        return f'Tensor("{self.name}"{shape}, dtype={self._dtype.name})'

    # Identity hash computed in C: Session.run keys its cache on fetched and fed tensors.
    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:
        # TF1 graph mode: equality is identity; use tf.equal for elementwise comparison.
        return self is other

    def __bool__(self) -> bool:
        raise TypeError("Using a tf.Tensor as a Python bool is not allowed in graph mode. "
                        "Use tf.cond or evaluate it in a Session.")

    def __len__(self) -> int:
        dim = self._shape.as_tuple()[0] if self._shape.ndims else None
        if dim is None:
            raise TypeError(f"len() of tensor {self.name} with shape {self._shape} is unknown")
        return dim


class Operation:
    """A node of the graph: an op type applied to input tensors, with attributes."""

    __slots__ = ("_graph", "_name", "_type", "_inputs", "_outputs", "_control_inputs",
                 "_attrs", "_id", "_op_def", "_call_site", "_gradient_override",
                 "__weakref__")

    def __init__(self, graph: "Graph", name: str, type: str, inputs: tuple[Tensor, ...],
                 attrs: Mapping[str, Any], control_inputs: list["Operation"], op_id: int,
                 outputs_spec: list, call_site: tuple[str, int] | None) -> None:
        self._graph = graph
        self._name = name
        self._type = type
        self._inputs = inputs
        self._attrs = attrs
        self._control_inputs = tuple(control_inputs)  # usually (), which costs nothing
        self._id = op_id
        self._op_def = _OPS.get(type) or get_op_def(type)  # (which names an unknown type)
        self._call_site = call_site
        self._gradient_override: str | None = None
        # Shape rules nearly always give a TensorShape and a DType: converted only if not.
        if len(outputs_spec) == 1:  # the common case, spelled out
            sh, dt = outputs_spec[0]
            if dt.__class__ is _DType and sh.__class__ is TensorShape:
                self._outputs = (Tensor(self, 0, dt, sh),)
                return
        self._outputs = tuple([
            Tensor(self, i, dt if dt.__class__ is _DType else _dtypes.as_dtype(dt),
                   sh if sh.__class__ is TensorShape else as_shape(sh))
            for i, (sh, dt) in enumerate(outputs_spec)])

    @property
    def name(self) -> str:
        """Full name, including name scopes."""
        return self._name

    @property
    def type(self) -> str:
        """The op type, e.g. ``"MatMul"``."""
        return self._type

    @property
    def graph(self) -> "Graph":
        """The graph this op belongs to."""
        return self._graph

    @property
    def inputs(self) -> tuple[Tensor, ...]:
        """Data inputs."""
        return self._inputs

    @property
    def outputs(self) -> tuple[Tensor, ...]:
        """Output tensors."""
        return self._outputs

    def values(self) -> tuple[Tensor, ...]:
        """Output tensors (TF1 spelling)."""
        return self._outputs

    @property
    def control_inputs(self) -> list["Operation"]:
        """Ops that must run before this one."""
        return list(self._control_inputs)

    @property
    def attrs(self) -> dict:
        """A copy of the op's attributes."""
        return dict(self._attrs)

    def get_attr(self, name: str) -> Any:
        """One attribute; ``ValueError`` naming the op when absent."""
        try:
            return self._attrs[name]
        except KeyError:
            raise ValueError(f"Operation {self._name!r} ({self._type}) has no attr "
                             f"named {name!r}") from None

    @property
    def gradient_override(self) -> str | None:
        """The registered gradient this op uses instead of its type's (set by
        ``Graph.gradient_override_map`` when the op was created), or None."""
        return self._gradient_override

    @property
    def creation_index(self) -> int:
        """This op's position in its graph's order of creation (inputs come first)."""
        return self._id

    @property
    def call_site(self) -> tuple[str, int] | None:
        """``(filename, line)`` of the user code that created this op, when known."""
        return self._call_site

    @property
    def op_def(self) -> Any:
        """The registry entry (kernel and rules) of this op's type."""
        return self._op_def

    @property
    def device(self) -> str:
        """Always the CPU."""
        return ""

    @property
    def traceback(self) -> str:
        """``file:line`` where user code created this op."""
        if self._call_site is None:
            return "<unknown>"
        filename, line = self._call_site
        return f"{filename}:{line}"

    def _add_control_input(self, op: "Operation") -> None:
        if op._id >= self._id:
            raise ValueError(f"Control input {op.name} was created after {self.name}; "
                             "it would make the graph cyclic")
        if op not in self._control_inputs:
            self._control_inputs += (op,)
            self._graph._version += 1

    def run(self, feed_dict: dict | None = None, session: Any = None) -> None:
        """Runs this op in ``session`` (or the default session)."""
        session = session or require_default_session("Operation.run()")
        session.run(self, feed_dict)

    def __repr__(self) -> str:
        return f"<tf.Operation '{self._name}' type={self._type}>"


class Graph(GraphCollections):
    """A TF1 dataflow graph: ops in creation order, name scopes and collections."""

    building_function = False  # True for the function bodies of ``core.func_graph``

    def __init__(self) -> None:
        self._ops: list[Operation] = []
        self._ops_by_name: dict[str, Operation] = {}
        self._names_in_use: dict[str, int] = {}
        self._name_checker = OpNameChecker()
        self._name_stack = ""
        self._control_stack: list[list[Operation] | None] = []
        self._collections: dict[str, list] = {}
        self._finalized = False
        self._version = 0
        self._lock = threading.RLock()
        self._gradient_override_map: dict[str, str] = {}
        self.seed: int | None = None
        self._variable_scope_state: Any = None  # owned by the variable-scope module
        # Readers of each tensor, indexed on demand over the ops made so far (see
        # :meth:`_readers_of`).
        self._readers: dict[Tensor, Operation | list[Operation]] = {}
        self._readers_indexed = 0  # how many of ``_ops`` the index covers

    # -- ops ---------------------------------------------------------------
    def create_op(self, type: str, inputs: Iterable[Tensor], attrs: dict | None = None,
                  name: str | None = None, outputs_spec: list | None = None) -> Operation:
        """Appends an op; ``outputs_spec`` is its [(shape, dtype)] (from the shape rule).

        Most code should call ``staticgraph.ops.apply_op`` instead, which runs the shape
        rule and formats errors.
        """
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified "
                               f"(tried to add a {type} op).")
        inputs = tuple(inputs)
        for t in inputs:
            if t.__class__ is not Tensor and not isinstance(t, Tensor):
                raise TypeError(f"{type}: input {t!r} is not a Tensor")
            if t._op._graph is not self:
                raise ValueError(f"{type}: tensor {t.name} must be from the same graph "
                                 "as the op being created")
        if len(inputs) == 1 and len(inputs[0]._op._outputs) == 1:
            inputs = inputs[0]._op._outputs  # the same one-tensor tuple: one object fewer
        # acquire/release, not ``with``: RLock.__exit__ takes its arguments as a tuple
        self._lock.acquire()
        try:
            if name and name[-1] == "/":
                op_name = name[:-1]  # a full scope name is used verbatim (TF1)
                check_op_name(op_name)
                self._names_in_use.setdefault(op_name.lower(), 1)
            else:
                op_name = self.unique_name(name or type)
                if name:
                    self._name_checker.check(self._name_stack, name, op_name)
            if op_name in self._ops_by_name:
                raise ValueError(f"Duplicate op name {op_name!r}")
            control = current_control_inputs(self._control_stack, inputs) \
                if self._control_stack else ()
            op = Operation(self, op_name, type, inputs, dict(attrs) if attrs else NO_ATTRS,
                           control, len(self._ops), outputs_spec or (), user_call_site())
            override = self._gradient_override_map.get(type)
            if override is not None:
                op._gradient_override = override
            self._ops.append(op)
            self._ops_by_name[op_name] = op
            self._version += 1
            return op
        finally:
            self._lock.release()

    def _readers_of(self, tensor: Tensor) -> list[Operation] | tuple[Operation, ...]:
        """The ops reading ``tensor`` (once per input edge) in creation order, not to be
        modified: an index of input edges extended over the ops made since the last call
        (ops are only appended), not a list on every tensor (fewer objects for the cyclic
        collector); a tensor read once (most are) maps to its reader itself."""
        ops = self._ops
        if self._readers_indexed < len(ops):
            with self._lock:
                readers = self._readers
                get = readers.get
                for k in range(self._readers_indexed, len(ops)):
                    op = ops[k]
                    for t in op._inputs:
                        found = get(t)
                        if found.__class__ is list:
                            found.append(op)
                        else:
                            readers[t] = op if found is None else [found, op]
                self._readers_indexed = len(ops)
        found = self._readers.get(tensor, ())
        return (found,) if found.__class__ is Operation else found

    def get_operations(self) -> list[Operation]:
        """All ops, in creation order."""
        return list(self._ops)

    def get_operation_by_name(self, name: str) -> Operation:
        """The op named ``name``; ``KeyError`` naming it when absent."""
        try:
            return self._ops_by_name[name]
        except KeyError:
            raise KeyError(f"The name {name!r} refers to an Operation not in the graph.") from None

    def get_tensor_by_name(self, name: str) -> Tensor:
        """The tensor named ``"op:index"``."""
        if ":" not in name:
            raise ValueError(f"The name {name!r} looks like an Operation name; tensor names "
                             "have the form '<op_name>:<output_index>'.")
        op_name, _, index = name.rpartition(":")
        op = self.get_operation_by_name(op_name)
        try:
            return op.outputs[int(index)]
        except (IndexError, ValueError):
            raise KeyError(f"The name {name!r} refers to a Tensor which does not exist; "
                           f"operation {op_name!r} has {len(op.outputs)} outputs.") from None

    def as_graph_element(self, obj: Any, allow_tensor: bool = True,
                         allow_operation: bool = True) -> Tensor | Operation:
        """Resolves a Tensor, Operation, or name to an element of this graph."""
        if isinstance(obj, str):
            if ":" in obj and allow_tensor:
                return self.get_tensor_by_name(obj)
            if allow_operation:
                return self.get_operation_by_name(obj)
            raise ValueError(f"Name {obj!r} does not name a tensor")
        conv = getattr(obj, "_as_graph_element", None)
        if conv is not None:
            obj = conv()
        if isinstance(obj, (Tensor, Operation)):
            if obj.graph is not self:
                raise ValueError(f"{obj!r} is not an element of this graph.")
            return obj
        raise TypeError(f"Can not convert a {type(obj).__name__} into a Tensor or Operation.")

    @property
    def version(self) -> int:
        """Increases whenever an op or control edge is added."""
        return self._version

    @property
    def finalized(self) -> bool:
        """True after :meth:`finalize`."""
        return self._finalized

    def finalize(self) -> None:
        """Makes the graph read-only: adding an op afterwards raises ``RuntimeError``."""
        self._finalized = True

    def _unsafe_unfinalize(self) -> None:
        self._finalized = False

    # -- names ---------------------------------------------------------------
    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        """``name`` under the current scope, suffixed ``_1``, ``_2``... to be unique."""
        if self._name_stack:
            name = f"{self._name_stack}/{name}"
        names_in_use = self._names_in_use
        key = name.lower()
        if key == name:
            key = name  # one string kept for both, not two equal ones
        count = names_in_use.get(key, 0)
        if mark_as_used:
            names_in_use[key] = count + 1
        if count > 0:
            base = name
            lower = key is name
            while key in names_in_use:
                name = f"{base}_{count}"
                key = name if lower else name.lower()
                count += 1
            if mark_as_used:
                names_in_use[key] = 1
        return name

    def get_name_scope(self) -> str:
        """The current name scope, without a trailing slash."""
        return self._name_stack

    def name_scope(self, name: str | None) -> NameScope:
        """Opens a name scope; yields its full name with a trailing ``/`` (TF1 rules)."""
        return NameScope(self, name)

    # -- control dependencies -----------------------------------------------
    @contextlib.contextmanager
    def control_dependencies(self, control_inputs: Iterable[Any] | None) -> Iterator[None]:
        """Ops created inside run after ``control_inputs`` (None clears outer ones)."""
        if control_inputs is None:
            self._control_stack.append(None)
        else:
            ops = []
            for c in control_inputs:
                conv = getattr(c, "_as_graph_element", None)
                if conv is not None:
                    c = conv()
                if isinstance(c, Tensor):
                    c = c.op
                if not isinstance(c, Operation):
                    raise TypeError(f"Control input must be an Operation or Tensor: {c!r}")
                ops.append(c)
            self._control_stack.append(ops)
        try:
            yield
        finally:
            self._control_stack.pop()

    # -- gradients -----------------------------------------------------------
    @contextlib.contextmanager
    def gradient_override_map(self, op_type_map: dict[str, str]) -> Iterator[None]:
        """Ops of the given types created inside use the named registered gradients."""
        saved = dict(self._gradient_override_map)
        self._gradient_override_map.update(op_type_map)
        try:
            yield
        finally:
            self._gradient_override_map = saved

    # -- default graph -------------------------------------------------------
    @contextlib.contextmanager
    def as_default(self) -> Iterator["Graph"]:
        """Makes this the default graph of this thread inside the ``with`` block."""
        stack = _stacks.graphs
        bodies = FUNCTION_BODIES_AS_DEFAULT if self.building_function else []
        stack.append(self)
        bodies.append(self)
        try:
            yield self
        finally:
            stack.remove(self)
            bodies.remove(self)

    @contextlib.contextmanager
    def device(self, device_name: Any) -> Iterator[None]:
        """Accepted for TF1 compatibility; everything runs on the CPU."""
        yield

    @contextlib.contextmanager
    def colocate_with(self, op: Any, ignore_existing: bool = False) -> Iterator[None]:
        """Accepted for TF1 compatibility; has no effect on a single CPU."""
        yield

    def __repr__(self) -> str:
        return f"<staticgraph.Graph with {len(self._ops)} ops>"


class _GraphStack(threading.local):
    """Each thread's stack of default graphs (as in TF1, a graph made default in one
    thread is not the default in another)."""

    def __init__(self) -> None:
        self.graphs: list[Graph] = []


_stacks = _GraphStack()
# The function bodies made default in any thread (list.append/remove: atomic). While there
# are none, ``apply_op`` needs no default-graph lookup to know it is not one (once per op).
FUNCTION_BODIES_AS_DEFAULT: list[Graph] = []
_default_graph = Graph()  # shared by every thread, as TF1's global default graph


def get_default_graph() -> Graph:
    """This thread's innermost graph made default with ``as_default``, or the global
    default graph."""
    graphs = _stacks.graphs
    return graphs[-1] if graphs else _default_graph


def reset_default_graph() -> None:
    """Replaces the global default graph with a new empty one."""
    global _default_graph
    if _stacks.graphs:
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs.")
    _default_graph = Graph()


def name_scope(name: str | None, default_name: str | None = None,
               values: Any = None) -> Any:
    """TF1 ``tf.name_scope(name, default_name=None, values=None)`` on the default graph."""
    graph = get_default_graph()
    if values is not None:
        for v in values:
            if isinstance(v, Tensor):
                graph = v.graph
                break
    if name is None and default_name is not None:
        name = default_name
    return graph.name_scope(name)


def control_dependencies(control_inputs: Iterable[Any] | None) -> Any:
    """``tf.control_dependencies`` on the default graph."""
    return get_default_graph().control_dependencies(control_inputs)


def add_to_collection(name: str, value: Any) -> None:
    """``tf.add_to_collection`` on the default graph."""
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names: Any, value: Any) -> None:
    """``tf.add_to_collections`` on the default graph."""
    get_default_graph().add_to_collections(names, value)


def get_collection(key: str, scope: str | None = None) -> list:
    """``tf.get_collection`` on the default graph."""
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key: str) -> list:
    """``tf.get_collection_ref`` on the default graph."""
    return get_default_graph().get_collection_ref(key)


def device(device_name_or_function: Any) -> Any:
    """``tf.device``: accepted, no effect (single CPU)."""
    return get_default_graph().device(device_name_or_function)


def set_random_seed(seed: int | None) -> None:
    """Sets the graph-level seed of the default graph (``tf.set_random_seed``)."""
    get_default_graph().seed = seed

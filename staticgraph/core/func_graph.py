"""Function graphs: the bodies of branches, loops and mapped functions.

A :class:`FuncGraph` is a graph of its own whose inputs are placeholders. While it is the
default graph, an op built from a tensor of an enclosing graph *captures* that tensor: the
function gets a new placeholder for it and remembers where its value comes from, so the
op that calls the function can pass the value in. A function built to differentiate
another one (``forward_graph``) may also capture that function's intermediate values.

:func:`clone_ops` and :func:`inline` re-create ops in the current default graph, which is
how derivative functions and recomputation (checkpointing) reuse a body's ops.
"""
from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterable, Iterator, Sequence

from .graph import Graph, Operation, Tensor, get_default_graph
from .registry import has_gradient_function
from .shapes import TensorShape, as_shape


class FuncGraph(Graph):
    """A graph for a function body; ops built inside capture outer tensors as inputs.

    ``inputs`` are the explicit input placeholders followed by one placeholder per
    captured tensor; ``captures`` lists ``(source, placeholder)`` pairs, where ``source``
    lives in ``outer_graph`` or in ``forward_graph``; ``outputs`` is set by the builder.
    """

    building_function = True

    def __init__(self, name: str, outer_graph: Graph,
                 forward_graph: "FuncGraph | None" = None) -> None:
        super().__init__()
        self.name = name
        self.outer_graph = outer_graph
        self.forward_graph = forward_graph
        self.explicit_inputs: list[Tensor] = []
        self.captures: list[tuple[Tensor, Tensor]] = []
        self.outputs: list[Tensor] = []
        self.control_captures: list[Operation] = []
        self._captured: dict[int, Tensor] = {}
        self.seed = outer_graph.seed
        self._gradient_override_map = dict(outer_graph._gradient_override_map)

    @property
    def inputs(self) -> list[Tensor]:
        """Explicit input placeholders, then the placeholders of captured tensors."""
        return self.explicit_inputs + [ph for _, ph in self.captures]

    def add_input(self, shape: Any, dtype: Any, name: str = "input") -> Tensor:
        """Adds an explicit input placeholder (before any capture is made)."""
        if self.captures:
            raise RuntimeError(f"function {self.name}: explicit inputs must be added "
                               "before tensors are captured")
        ph = self._placeholder(as_shape(shape), dtype, name)
        self.explicit_inputs.append(ph)
        return ph

    def _placeholder(self, shape: TensorShape, dtype: Any, name: str) -> Tensor:
        attrs = {"dtype": dtype, "shape": shape}
        with Graph.control_dependencies(self, None):
            op = Graph.create_op(self, "Placeholder", [], attrs, name=name,
                                 outputs_spec=[(shape, dtype)])
        return op.outputs[0]

    def capture(self, tensor: Tensor) -> Tensor:
        """The tensor of this graph standing for ``tensor`` (a placeholder if it is outer).

        Tensors of an enclosing graph are captured through every graph in between;
        tensors of ``forward_graph`` are captured directly (the caller of this function
        decides how to provide them).
        """
        if tensor.graph is self:
            return tensor
        found = self._captured.get(id(tensor))
        if found is not None:
            return found
        if tensor.graph is self.forward_graph and tensor.op.type == "Const":
            found = self._copy_constant(tensor.op)
            self._captured[id(tensor)] = found
            return found
        if tensor.graph is self.forward_graph or tensor.graph is self.outer_graph:
            source = tensor
        elif isinstance(self.outer_graph, FuncGraph):
            source = self.outer_graph.capture(tensor)
        else:
            raise ValueError(f"Tensor {tensor.name} belongs to a graph that does not enclose "
                             f"function {self.name}")
        ph = self._captured.get(id(source))
        if ph is None:
            ph = self._placeholder(tensor.shape, tensor.dtype, "capture")
            self.captures.append((source, ph))
            self._captured[id(source)] = ph
        self._captured[id(tensor)] = ph
        return ph

    def _copy_constant(self, op: Operation) -> Tensor:
        """A copy of a forward function's constant (cheaper than passing it in)."""
        with Graph.control_dependencies(self, None):
            return Graph.create_op(self, "Const", [], dict(op._attrs), name=op.type,
                                   outputs_spec=[(t.shape, t.dtype) for t in op.outputs]
                                   ).outputs[0]

    def create_op(self, type: str, inputs: Iterable[Tensor], attrs: dict | None = None,
                  name: str | None = None, outputs_spec: list | None = None) -> Operation:
        """Appends an op, first capturing inputs that belong to other graphs."""
        captured = [self.capture(t) if isinstance(t, Tensor) else t for t in inputs]
        return super().create_op(type, captured, attrs, name=name, outputs_spec=outputs_spec)

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs: Iterable[Any] | None) -> Iterator[None]:
        """As :meth:`Graph.control_dependencies`; outer ops become ``control_captures``
        (the op calling this function runs after them)."""
        if control_inputs is None:
            with super().control_dependencies(None):
                yield
            return
        own = []
        for item in control_inputs:
            conv = getattr(item, "_as_graph_element", None)
            item = conv() if conv is not None else item
            op = item.op if isinstance(item, Tensor) else item
            if isinstance(op, Operation) and op.graph is not self:
                if op not in self.control_captures:
                    self.control_captures.append(op)
            else:
                own.append(op)
        with super().control_dependencies(own):
            yield

    def __repr__(self) -> str:
        return f"<staticgraph.FuncGraph {self.name!r} with {len(self._ops)} ops>"


def is_building_function(graph: Graph) -> bool:
    """True when ``graph`` is a function body under construction."""
    return getattr(graph, "building_function", False)


def capture_into(graph: Graph, tensor: Tensor) -> Tensor:
    """``tensor`` as seen from ``graph``: captured if ``graph`` is a function body."""
    if tensor.graph is graph:
        return tensor
    if isinstance(graph, FuncGraph):
        return graph.capture(tensor)
    raise ValueError(f"Tensor {tensor.name} must be from the same graph as the op being "
                     "created")


def called_functions(op: Operation) -> list[FuncGraph]:
    """The function graphs ``op`` holds in its attributes (branches, loop bodies)."""
    found = []
    for value in op._attrs.values():
        for sub in value if isinstance(value, tuple) else (value,):
            if isinstance(sub, FuncGraph):
                found.append(sub)
    return found


def has_vjp_rule(op: Operation) -> bool:
    """Whether reverse-mode differentiation has a rule for ``op``: its type's VJP or a
    gradient function registered for its type or its gradient-override name."""
    if op.op_def.vjp is not None:
        return True
    return any(name is not None and has_gradient_function(name)
               for name in (op._gradient_override, op.type))


def function_ops(func: Graph) -> Iterator[Operation]:
    """Every op of ``func`` and, recursively, of the functions its ops call."""
    for op in func.get_operations():
        yield op
        for sub in called_functions(op):
            yield from function_ops(sub)


def ancestors(tensors: Sequence[Tensor], stop: Iterable[Tensor] = (),
              skip: Callable[[Operation], bool] | None = None) -> list[Operation]:
    """Ops that ``tensors`` depend on (through data and control inputs), in creation
    order, not walking past the tensors in ``stop`` nor into the ops ``skip`` picks."""
    stop_ids = {id(t) for t in stop}
    seen: dict[int, Operation] = {}
    frontier = [t.op for t in tensors if id(t) not in stop_ids]
    while frontier:
        op = frontier.pop()
        if id(op) in seen or (skip is not None and skip(op)):
            continue
        seen[id(op)] = op
        frontier.extend(t.op for t in op.inputs if id(t) not in stop_ids)
        frontier.extend(op.control_inputs)
    return sorted(seen.values(), key=lambda o: o._id)


def replay_plan(func: FuncGraph, outputs: Sequence[Tensor],
                reuse: Callable[[Operation], bool]) -> tuple[list[Operation], list[Tensor]]:
    """What recomputing ``outputs`` of ``func`` from its inputs takes.

    Returns the ops to re-run (in creation order) and the tensors to take as given
    instead of re-running their ops: the outputs of the ops for which ``reuse(op)`` holds
    (random draws, assignments) that are among ``outputs`` or read by the re-run ops.
    Control edges to such ops are not followed: their effect has happened once.
    """
    ops = ancestors(outputs, stop=func.inputs, skip=reuse)
    inputs = {id(t) for t in func.inputs}
    given: dict[int, Tensor] = {}
    for t in [*outputs, *(t for op in ops for t in op.inputs)]:
        if id(t) not in inputs and reuse(t.op):
            given.setdefault(id(t), t)
    return ops, sorted(given.values(), key=lambda t: (t.op._id, t.value_index))


Substitute = Callable[[Operation, list], "Operation | None"]


def clone_ops(ops: Sequence[Operation], mapping: dict[int, Tensor],
              substitute: Substitute | None = None) -> dict[int, Operation]:
    """Re-creates ``ops`` (in order) in the default graph; inputs are read through
    ``mapping`` (``id(tensor) -> tensor``), which is extended with the clones' outputs.

    Attributes, output specs and gradient overrides are copied (no shape rule runs).
    ``substitute(op, inputs)`` may build a replacement instead (returning it, its
    outputs standing for ``op``'s first outputs), or return None to clone ``op``.
    Returns ``id(original op) -> clone``.
    """
    graph = get_default_graph()
    clones: dict[int, Operation] = {}
    for op in ops:
        inputs = [mapping.get(id(t), t) for t in op.inputs]
        control = [clones[id(c)] for c in op.control_inputs if id(c) in clones]
        with graph.control_dependencies(control):
            new = substitute(op, inputs) if substitute is not None else None
            if new is None:
                new = graph.create_op(op.type, inputs, dict(op._attrs), name=op.type,
                                      outputs_spec=[(t.shape, t.dtype) for t in op.outputs])
                new._gradient_override = op._gradient_override
        clones[id(op)] = new
        for old, out in zip(op.outputs, new.outputs):
            mapping[id(old)] = out
    return clones


def inline(func: FuncGraph, inputs: Sequence[Tensor],
           outputs: Sequence[Tensor] | None = None) -> list[Tensor]:
    """Copies the ops of ``func`` that ``outputs`` (default: its outputs) need into the
    default graph, feeding ``inputs`` to its input placeholders; returns the copies."""
    if len(inputs) != len(func.inputs):
        raise ValueError(f"function {func.name} takes {len(func.inputs)} inputs, "
                         f"got {len(inputs)}")
    wanted = list(func.outputs if outputs is None else outputs)
    mapping = {id(ph): t for ph, t in zip(func.inputs, inputs)}
    clone_ops(ancestors(wanted, stop=func.inputs), mapping)
    return [mapping[id(t)] for t in wanted]

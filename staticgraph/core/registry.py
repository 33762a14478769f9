"""The op registry: one :class:`OpDef` per op type carries its kernel and its rules.

An op's kernel, shape/dtype rule, VJP and JVP are defined side by side in one module of
``staticgraph.ops`` and registered here under the op's type name.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from types import MappingProxyType
from collections.abc import Mapping
from typing import Any, Callable

# Type of a shape rule: (inputs, attrs) -> [(TensorShape, DType) per output].
ShapeFn = Callable[[list, dict], list]

# In ``OpDef.view_of``: stands for every output (as a key) or every input (in a tuple).
EVERY = -1


class Role(enum.Enum):
    """What an op computes, declared for the compiler's rewrite rules (which match roles,
    never op type names). Several op types may share a role (``Add`` and ``AddV2``);
    :func:`op_for` gives the one a pass builds."""

    CONSTANT = "the value of the ``value`` attribute"
    VARIABLE = "a read of the variable named by the ``var_key`` attribute"
    PLACEHOLDER = "a value that must be fed"
    NO_OP = "nothing: only orders its control inputs"
    IDENTITY = "input 0 unchanged (identity, stop_gradient, an unfed default)"
    ADD = "x + y, broadcasting"
    SUB = "x - y, broadcasting"
    MUL = "x * y, broadcasting"
    DIV = "x / y, broadcasting (true division)"
    NEG = "-x"
    ADD_N = "inputs[0] + inputs[1] + ... left to right, same shapes"
    CAST = "input 0 converted to the output dtype"
    BROADCAST = "input 0 broadcast to the shape given by input 1 (a read-only view)"
    SUM_TO_SHAPE = "input 0 summed down to the shape of input 1"
    RESHAPE = "input 0 reshaped to the shape given by input 1"
    TRANSPOSE = "input 0 with its axes permuted by the ``perm`` attribute"
    SQUEEZE = "input 0 without the axes ``squeeze_dims``"
    EXPAND_DIMS = "input 0 with a new axis of size 1 at ``axis``"
    MATMUL = "matrix product of inputs 0 and 1 (``transpose_a``/``transpose_b`` attrs)"
    MATVEC = "matrix input 0 times vector input 1 (``transpose_a`` attr)"
    REDUCE_SUM = "input 0 summed over the axes of the ``axis`` attribute (None: all)"
    REDUCE_MEAN = "input 0 averaged over the axes of the ``axis`` attribute (None: all)"

    # Members are singletons compared by identity: hashing by identity is consistent and
    # skips Enum.__hash__ (a Python-level call) in the compiler's role lookups.
    __hash__ = object.__hash__


@dataclass(frozen=True)
class Fusion:
    """A chain of ops that one op computes in a single kernel (``OpDef.fuses``).

    ``chain``: op types, innermost first; each op after the first reads the previous
    one's only output as its input 0. The fused op's inputs are the first op's inputs,
    then every later op's other inputs, in chain order. ``attrs(chain_attrs, specs)``
    gets the chain's attrs (in chain order) and the fused op's input specs
    (``(TensorShape, DType)``) and returns the fused op's attrs, or None when the chain
    does not fit the kernel (shapes, formats). The fused output must equal the chain's
    bit for bit."""

    chain: tuple[str, ...]
    attrs: Callable[[list, list], dict | None]


@dataclass(frozen=True)
class CommitPhase:
    """How a writing op's kernel splits in two, so that the compiler can run its writes
    after everything else in a run (the commit phase; see ``compiler/passes/commit_phase``).

    prepare: ``prepare(state, *inputs, **attrs) -> pending``, run where the op is
        scheduled: every check and every computation that may raise (indices, shapes,
        uninitialized variables), writing nothing. The pending value holds no array of
        the op's first ``refs`` inputs (the commit takes the variables from the state).
    commit: ``commit(state, pending) -> output``, run in the commit block at the end of
        the plan: the writes, in place into the variables' own arrays (through
        ``state.commit_target``/``state.commit_value``, which keep no undo record),
        holding the variables' locks when the op's ``use_locking`` asks for them. It
        raises nothing but ``MemoryError`` (its temporaries are O(rows written) or a
        fixed block). Its output is the op's output (the variable's new value).
    keys: ``keys(attrs)``: the variables the op reads and writes through the state.
    refs: how many leading inputs are reads of those variables.

    The one-piece ``kernel`` computes the same bits as prepare + commit.
    """

    prepare: Callable[..., Any]
    commit: Callable[[Any, Any], Any]
    keys: Callable[[dict], tuple[str, ...]]
    refs: int = 0


@dataclass(frozen=True)
class OpDef:
    """Everything the engine knows about one op type.

    kernel: ``kernel(*arrays, **attrs)`` in plain NumPy, returning one array, or a tuple of
        arrays when ``num_outputs != 1``. Ops with ``uses_state`` receive the session state
        first: ``kernel(state, *arrays, **attrs)``.
    shape_fn: ``shape_fn(inputs, attrs)`` returns ``[(TensorShape, DType), ...]`` one per
        output, and raises ``ValueError``/``TypeError`` with a clear message on bad input.
    vjp: ``vjp(op, *output_grads)`` builds gradient graph ops, returning one tensor (or None)
        per input of ``op``, already reduced to that input's shape.
    jvp: ``jvp(op, *input_tangents)`` builds tangent graph ops: it gets the op, then one
        tangent per input in order (None means zero; always None for
        ``non_differentiable`` inputs), and returns one tangent (or None) per output.
        Helpers that build the rules of a family take ``op`` first too
        (``define_unary``'s ``derivative(op)``, ``define_binary``'s ``partials(op)``,
        ``combine(op, tx, ty)`` for a binary op's tangent).
    non_differentiable: input indices that never carry a gradient (indices, shapes, ...).
    view_of: which outputs may share memory with (be, or be a view of) which inputs, as
        ``{output: (input, ...)}`` (PyTensor's ``view_map``); :data:`EVERY` stands for
        every output (key) or every input (in the tuple). ``{}`` declares that no output
        shares memory with an input. Every op must declare it: it is a required field
        with no default. An output not listed is an array nothing else holds.
    fresh: every output is a newly allocated, writable array (never a view, never an
        array the op keeps), so a later elementwise op may write into it in place.
    shape_only: the op reads only its inputs' shapes and dtypes, never their values
        (``Shape``, ``Size``, ``Rank``): it folds when the shapes are static, and an
        input overwritten with a same-shaped value before it runs gives the same result.
    commutes_for: NumPy ``dtype.kind`` letters of the inputs for which any reordering of
        the inputs gives a bit-identical output for every input value (signed zeros and
        NaN payloads included). IEEE addition returns the first operand's NaN, so float
        ``Add`` is not listed for "f"; integer addition wraps and commutes exactly.
    role: what the op computes (:class:`Role`), for rewrite rules; None for other ops.
    preferred: among several ops of one role, the one :func:`op_for` gives.
    none_output_grads: the VJP accepts None for output gradients that are zero (a
        multi-output op whose VJP builds its own zeros where needed).
    inline: optional ``inline(attrs, constants, specs)`` for the compiler's generated
        code: a Python expression computing exactly what the kernel computes, as a
        template with ``{0}``, ``{1}``, ... for the inputs (it may name ``np`` and, for
        ``uses_state`` ops, the session state ``S``), or None to call the kernel; or a
        pair ``(template, values)`` whose values the generated module holds as globals,
        named in the template after the inputs (``{n}``, ``{n+1}``, ... for ``n``
        inputs), such as a constant prepared once instead of converted on every run.
        ``constants[i]`` is input ``i``'s value when it is a compile-time constant, else
        None; ``specs[i]`` its static ``(TensorShape, DType)``. It spares ops that run
        every training step the call through the kernel.
    row_wise: how the op treats axis 0 (the batch axis when a batch is split across
        workers): the input indices through which it acts row by row -- row ``i`` of the
        output depends only on row ``i`` of those inputs (their axis 0 is the output's
        axis 0), given the other inputs the same for every row -- or a function of the
        attributes returning them (``MatMul`` contracts axis 0 of input 0 when
        ``transpose_a``). ``()``: not row-wise. Elementwise ops are row-wise through every
        input without declaring it.
    functional: the op runs function graphs held in its attributes (branches, loop
        bodies) through the session state; attr ``num_results`` counts the outputs users
        see (any later ones carry values for the op's derivatives).
    fuses: the op chains (:class:`Fusion`) the compiler's chain_fusion pass replaces by this
        op when nothing else reads their intermediate values.

    commit: how a writing op splits into a fallible prepare and an in-place commit
        (:class:`CommitPhase`), or None: the op keeps its kernel, which stores new arrays.
    """

    type: str
    kernel: Callable[..., Any]
    shape_fn: ShapeFn
    vjp: Callable[..., Any] | None = None
    jvp: Callable[..., Any] | None = None
    elementwise: bool = False
    stateful: bool = False
    uses_state: bool = False
    functional: bool = False
    non_differentiable: tuple[int, ...] = ()
    view_of: Mapping[int, tuple[int, ...]] = field(kw_only=True)  # required, no default
    fresh: bool = False
    shape_only: bool = False
    commutes_for: str = ""
    role: Role | None = None
    row_wise: tuple[int, ...] | Callable[[dict], tuple[int, ...]] = ()
    preferred: bool = False
    none_output_grads: bool = False
    inline: Callable[[dict, list, list], str | tuple[str, list] | None] | None = None
    commit: CommitPhase | None = None
    doc: str = ""
    fuses: tuple[Fusion, ...] = ()

    def viewed_inputs(self, output: int, num_inputs: int) -> tuple[int, ...]:
        """The inputs (of ``num_inputs``) that output ``output`` may share memory with."""
        views = self.view_of
        inputs = views.get(output, views.get(EVERY, ()))
        if EVERY in inputs:
            return tuple(range(num_inputs))
        return tuple(i for i in inputs if i < num_inputs)


_OPS: dict[str, OpDef] = {}
_BY_ROLE: dict[Role, list[OpDef]] = {}
_GRADIENT_OVERRIDES: dict[str, Callable[..., Any]] = {}
# The attributes of every op made without any: one read-only mapping rather than an
# empty dict per op (64 bytes of most ops). Code that sets an attribute after creation
# does so on ops made with attributes, which have a dict of their own.
NO_ATTRS: Mapping[str, Any] = MappingProxyType({})
# What ``tf.RegisterGradient`` has registered, read-only and live: the gradient sweep
# tests each op's type against it once, without a call.
REGISTERED_GRADIENTS: Mapping[str, Callable[..., Any]] = MappingProxyType(_GRADIENT_OVERRIDES)


def register_op(opdef: OpDef) -> OpDef:
    """Adds an op type to the registry; a second registration of a type is an error."""
    if opdef.type in _OPS:
        raise KeyError(f"Op type {opdef.type!r} is already registered")
    _check_declarations(opdef)
    _OPS[opdef.type] = opdef
    if opdef.role is not None:
        _BY_ROLE.setdefault(opdef.role, []).append(opdef)
    return opdef


def _check_declarations(opdef: OpDef) -> None:
    """Refuses an op that does not declare its aliasing, or whose memory and algebra
    declarations contradict each other."""
    views = opdef.view_of
    if not isinstance(views, Mapping):
        raise TypeError(f"Op type {opdef.type!r} must declare view_of: which outputs may "
                        f"share memory with which inputs ({{}} for none), got {views!r}")
    for output, inputs in views.items():
        if not isinstance(output, int) or not isinstance(inputs, tuple) or \
                not all(isinstance(i, int) for i in inputs):
            raise TypeError(f"Op type {opdef.type!r}: view_of must map output indices to "
                            f"tuples of input indices, got {dict(views)!r}")
    if opdef.fresh and any(views.values()):
        raise ValueError(f"Op type {opdef.type!r} declares fresh outputs that are also "
                         f"views of inputs ({dict(views)!r})")
    if opdef.commit is not None and not (opdef.stateful and opdef.uses_state):
        raise ValueError(f"Op type {opdef.type!r} declares a commit phase but is not a "
                         f"stateful op using the session state")
    unknown = set(opdef.commutes_for) - set("biufc")
    if unknown:
        raise ValueError(f"Op type {opdef.type!r}: commutes_for holds {sorted(unknown)}, "
                         f"not NumPy dtype kinds (b, i, u, f, c)")


def op_for(role: Role) -> OpDef:
    """The op a pass builds for ``role``: the only op of that role, or the preferred one."""
    ops = _BY_ROLE.get(role, [])
    if len(ops) > 1:
        ops = [op for op in ops if op.preferred]
    if len(ops) != 1:
        raise LookupError(f"No single op is registered for the role {role.name} "
                          f"({len(ops)} candidates)")
    return ops[0]


def define_op(type: str, *, kernel: Callable[..., Any], shape_fn: ShapeFn, **flags: Any) -> OpDef:
    """Builds and registers an :class:`OpDef` (keyword arguments as its fields)."""
    if "view_of" not in flags:
        raise TypeError(f"Op type {type!r} must declare view_of: which outputs may share "
                        f"memory with which inputs ({{}} for none)")
    return register_op(OpDef(type=type, kernel=kernel, shape_fn=shape_fn, **flags))


def get_op_def(type: str) -> OpDef:
    """The OpDef registered under ``type``; ``KeyError`` naming it when unknown."""
    try:
        return _OPS[type]
    except KeyError:
        raise KeyError(f"No op type {type!r} is registered") from None


def registered_ops() -> dict[str, OpDef]:
    """A copy of the whole registry, keyed by op type."""
    return dict(_OPS)


class OwnGradientName(str):
    """A gradient-override name that carries its own gradient function (``function``),
    for gradients that belong to the ops they are set on (``tf.custom_gradient``): no
    global entry is made, so the function and the graph it refers to are freed with the
    graph, and ops copied into function bodies keep the gradient with the name."""

    function: Callable[..., Any]

    def __new__(cls, name: str, function: Callable[..., Any]) -> "OwnGradientName":
        self = super().__new__(cls, name)
        self.function = function
        return self


def register_gradient_function(name: str, fn: Callable[..., Any]) -> None:
    """Registers a named gradient function (``tf.RegisterGradient``)."""
    if name in _GRADIENT_OVERRIDES:
        raise KeyError(f"Gradient function {name!r} is already registered")
    _GRADIENT_OVERRIDES[name] = fn


def has_gradient_function(name: str) -> bool:
    """Whether a gradient function is registered under ``name`` or carried by it (a
    cheap test for the gradient sweep, which asks it for every op it visits)."""
    return isinstance(name, OwnGradientName) or name in _GRADIENT_OVERRIDES


def registered_gradient_names() -> set[str]:
    """The names registered with ``tf.RegisterGradient`` (a copy)."""
    return set(_GRADIENT_OVERRIDES)


def get_gradient_function(name: str) -> Callable[..., Any]:
    """The gradient function carried by ``name`` or registered with
    ``tf.RegisterGradient`` under it."""
    if isinstance(name, OwnGradientName):
        return name.function
    try:
        return _GRADIENT_OVERRIDES[name]
    except KeyError:
        raise LookupError(f"No gradient registered under the name {name!r}") from None

"""The op registry: one :class:`OpDef` per op type carries its kernel and its rules.

An op's kernel, shape/dtype rule, VJP and JVP are defined side by side in one module of
``staticgraph.ops`` and registered here under the op's type name.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

# Type of a shape rule: (inputs, attrs) -> [(TensorShape, DType) per output].
ShapeFn = Callable[[list, dict], list]


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
    inline: optional ``inline(attrs, constants, shapes)`` for the compiler's generated
        code: a Python expression computing exactly what the kernel computes, as a
        template with ``{0}``, ``{1}``, ... for the inputs (it may name ``np`` and, for
        ``uses_state`` ops, the session state ``S``), or None to call the kernel.
        ``constants[i]`` is input ``i``'s value when it is a compile-time constant, else
        None; ``shapes[i]`` its static TensorShape. It spares ops that run every training
        step the call through the kernel.
    """

    type: str
    kernel: Callable[..., Any]
    shape_fn: ShapeFn
    vjp: Callable[..., Any] | None = None
    jvp: Callable[..., Any] | None = None
    elementwise: bool = False
    stateful: bool = False
    commutative: bool = False
    uses_state: bool = False
    non_differentiable: tuple[int, ...] = ()
    inline: Callable[[dict, list, list], str | None] | None = None
    doc: str = ""
    extra: dict = field(default_factory=dict)


_OPS: dict[str, OpDef] = {}
_GRADIENT_OVERRIDES: dict[str, Callable[..., Any]] = {}


def register_op(opdef: OpDef) -> OpDef:
    """Adds an op type to the registry; a second registration of a type is an error."""
    if opdef.type in _OPS:
        raise KeyError(f"Op type {opdef.type!r} is already registered")
    _OPS[opdef.type] = opdef
    return opdef


def define_op(type: str, *, kernel: Callable[..., Any], shape_fn: ShapeFn, **flags: Any) -> OpDef:
    """Builds and registers an :class:`OpDef` (keyword arguments as its fields)."""
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


def register_gradient_function(name: str, fn: Callable[..., Any]) -> None:
    """Registers a named gradient function (``tf.RegisterGradient``)."""
    if name in _GRADIENT_OVERRIDES:
        raise KeyError(f"Gradient function {name!r} is already registered")
    _GRADIENT_OVERRIDES[name] = fn


def has_gradient_function(name: str) -> bool:
    """Whether a gradient function is registered under ``name`` (a cheap test for the
    gradient sweep, which asks it for every op it visits)."""
    return name in _GRADIENT_OVERRIDES


def get_gradient_function(name: str) -> Callable[..., Any]:
    """A gradient function registered with ``tf.RegisterGradient``."""
    try:
        return _GRADIENT_OVERRIDES[name]
    except KeyError:
        raise LookupError(f"No gradient registered under the name {name!r}") from None

"""Math ops: elementwise arithmetic and unary functions, AddN and clip_by_value.

Each op's kernel, shape rule, VJP and JVP are defined together below. Comparisons and
logic live in ``comparison_ops``, casts in ``cast_ops``, matrix products in ``matmul_ops``;
reductions in ``reduce_ops``, scans in ``scan_ops``, contractions in ``einsum_ops``.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Container, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor, name_scope
from ..core.registry import Role, define_op
from ..core.shapes import TensorShape, broadcast_shapes
from .cast_ops import cast
from .comparison_ops import greater, greater_equal, less_equal
from .framework import (EVERY_INPUT, apply_op, broadcast_binary, check_same_dtype,
                        constant, constant_value, convert_n, convert_to_tensor,
                        float_unary, numeric_unary, reads_wanted_inputs)
from .op_util import _binary_function, _no_tangent_jvp, _unary_function
from .shape_ops import shape_of
from .state_ops import identity

__all__ = [
    "add", "subtract", "multiply", "divide", "truediv", "realdiv", "div", "floordiv",
    "floor_div", "floormod", "mod", "negative", "pow", "scalar_mul",
    "squared_difference", "div_no_nan", "maximum", "minimum", "add_n", "clip_by_value",
    "abs", "sign", "reciprocal", "square", "sqrt", "rsqrt", "exp", "log", "log1p",
    "expm1", "sin", "cos", "tan", "asin", "acos", "atan", "tanh", "sigmoid", "erf",
    "floor", "ceil", "round", "broadcast_to",
]


# ----------------------------------------------------------------------------------------
# Broadcasting helpers used by VJPs and JVPs
# ----------------------------------------------------------------------------------------


def _sum_to_shape_kernel(g: np.ndarray, shape: np.ndarray) -> np.ndarray:
    shape = tuple(int(d) for d in shape)
    g = np.asarray(g)
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, d in enumerate(shape)
                                      if d == 1 and g.shape[lead + i] != 1)
    return np.sum(g, axis=axes, keepdims=False).reshape(shape) if axes else g.reshape(shape)


def _shape_from_input(t: Tensor) -> TensorShape:
    """The static shape a 1-D shape tensor describes, as far as it is known."""
    value = constant_value(t)
    if value is not None:
        return TensorShape([int(d) for d in value])
    if t.op.type == "Shape":  # the shape of another tensor: its static shape
        return t.op.inputs[0].shape
    return TensorShape(None) if t.shape.ndims != 1 or t.shape[0] is None \
        else TensorShape([None] * t.shape[0])


def _sum_to_shape_shape(inputs: list, attrs: dict) -> list:
    return [(_shape_from_input(inputs[1]), inputs[0].dtype)]


def _sum_to_shape_vjp(op: Operation, grad: Tensor) -> list:
    return [broadcast_to(grad, shape_of(op.inputs[0])), None]


def _sum_to_shape_jvp(op: Operation, tangent: Tensor | None, _: Any = None) -> list:
    return [None if tangent is None else sum_to_shape(tangent, op.inputs[1])]


define_op("SumToShape", kernel=_sum_to_shape_kernel, shape_fn=_sum_to_shape_shape,
          vjp=_sum_to_shape_vjp, jvp=_sum_to_shape_jvp, non_differentiable=(1,),
          doc="Sums a broadcast gradient back down to a shape (undoes broadcasting).",
          view_of={0: (0,)}, role=Role.SUM_TO_SHAPE)


def _broadcast_to_kernel(x: np.ndarray, shape: np.ndarray) -> np.ndarray:
    return np.broadcast_to(x, tuple(int(d) for d in shape))


def _broadcast_to_shape(inputs: list, attrs: dict) -> list:
    target = _shape_from_input(inputs[1])
    try:
        out = broadcast_shapes(inputs[0].shape, target)
    except ValueError:
        raise ValueError(f"cannot broadcast shape {inputs[0].shape} to {target}") from None
    if target.ndims is not None and out.ndims is not None and out.ndims != target.ndims:
        raise ValueError(f"cannot broadcast shape {inputs[0].shape} to {target}")
    return [(target if target.ndims is not None else out, inputs[0].dtype)]


def _broadcast_to_vjp(op: Operation, grad: Tensor) -> list:
    return [sum_to_shape(grad, shape_of(op.inputs[0])), None]


def _broadcast_to_jvp(op: Operation, tangent: Tensor | None, _: Any = None) -> list:
    return [None if tangent is None else broadcast_to(tangent, op.inputs[1])]


define_op("BroadcastTo", kernel=_broadcast_to_kernel, shape_fn=_broadcast_to_shape,
          vjp=_broadcast_to_vjp, jvp=_broadcast_to_jvp, non_differentiable=(1,),
          doc="NumPy broadcast of x to a shape (a read-only view).",
          view_of={0: (0,)}, role=Role.BROADCAST)


def sum_to_shape(grad: Tensor, shape: Any, name: str | None = None) -> Tensor:
    """Sums ``grad`` over broadcast dimensions down to ``shape`` (an int tensor or list)."""
    return apply_op("SumToShape", [grad, convert_to_tensor(shape, dtype=dtypes.int32)],
                    name=name or "SumToShape").outputs[0]


def broadcast_to(input: Any, shape: Any, name: str | None = None) -> Tensor:
    """``tf.broadcast_to``: ``input`` broadcast to ``shape``."""
    return apply_op("BroadcastTo", [convert_to_tensor(input),
                                    convert_to_tensor(shape, dtype=dtypes.int32)],
                    name=name).outputs[0]


def _surely_not_broadcast(x: TensorShape, others: list[TensorShape]) -> bool:
    """True when broadcasting ``x`` against ``others`` provably leaves its shape unchanged."""
    dims = x.as_tuple()
    if dims is None:
        return False
    for o in others:
        other_dims = o.as_tuple()
        if other_dims is None or len(other_dims) > len(dims):
            return False
        for d, od in zip(dims[len(dims) - len(other_dims):], other_dims):
            if (d is None or d == 1) and od != 1:
                return False  # d may be 1 (or is) while od may be larger
    return True


def unbroadcast(grad: Tensor, x: Tensor, *others: Tensor) -> Tensor:
    """Reduces ``grad`` (shaped like the broadcast of ``x`` with ``others``) to x's shape."""
    if _surely_not_broadcast(x.shape, [o.shape for o in others]):
        return grad
    return sum_to_shape(grad, shape_of(x))


def broadcast_like(t: Tensor, out: Tensor) -> Tensor:
    """``t`` broadcast to the shape of ``out`` (no op when already the same static shape)."""
    if t.shape.is_fully_defined() and t.shape == out.shape:
        return t
    return broadcast_to(t, shape_of(out))


def zeros_like_static(t: Tensor) -> Tensor:
    """Zeros of ``t``'s shape and dtype: a scalar constant broadcast to that shape (a
    read-only view, no new buffer). Every zero gradient or tangent is built by this."""
    return broadcast_like(constant(0, dtype=t.dtype, name="zeros"), t)


def _add_tangents(a: Tensor | None, b: Tensor | None) -> Tensor | None:
    """Sum of two tangents, either of which may be None (zero)."""
    if a is None:
        return b
    return a if b is None else add(a, b)


# ----------------------------------------------------------------------------------------
# Binary arithmetic
# ----------------------------------------------------------------------------------------


def _binary_jvp(combine: Callable[[Operation, Tensor | None, Tensor | None], Tensor | None]
                ) -> Callable:
    """The JVP of a broadcasting binary op from ``combine(op, tx, ty)``, its one output
    tangent before broadcasting (arguments as for any JVP rule: the op, then one tangent
    per input, None for zero)."""
    def jvp(op: Operation, tx: Tensor | None, ty: Tensor | None) -> list:
        out = combine(op, tx, ty)
        return [None if out is None else broadcast_like(out, op.outputs[0])]
    return jvp


def _sum_of_tangents(op: Operation, tx: Tensor | None, ty: Tensor | None) -> Tensor | None:
    return _add_tangents(tx, ty)


def _float_binary(inputs: list, attrs: dict) -> list:
    result = broadcast_binary(inputs, attrs)
    if not (result[0][1].is_floating or result[0][1].is_complex):
        raise TypeError(f"needs floating-point inputs, got {result[0][1].name}")
    return result


def _numeric_binary(inputs: list, attrs: dict) -> list:
    result = broadcast_binary(inputs, attrs)
    if result[0][1].is_bool:
        raise TypeError("needs numeric inputs, got bool")
    return result


@reads_wanted_inputs
def _add_vjp(op: Operation, g: Tensor, wanted: Container[int] = EVERY_INPUT) -> list:
    x, y = op.inputs
    return [unbroadcast(g, x, y) if 0 in wanted else None,
            unbroadcast(g, y, x) if 1 in wanted else None]


define_op("Add", kernel=np.add, shape_fn=_numeric_binary, vjp=_add_vjp,
          jvp=_binary_jvp(_sum_of_tangents), elementwise=True,
          view_of={}, fresh=True, commutes_for="biu", role=Role.ADD)
define_op("AddV2", kernel=np.add, shape_fn=_numeric_binary, vjp=_add_vjp,
          jvp=_binary_jvp(_sum_of_tangents), elementwise=True,
          view_of={}, fresh=True, commutes_for="biu", role=Role.ADD,
          preferred=True)


@reads_wanted_inputs
def _sub_vjp(op: Operation, g: Tensor, wanted: Container[int] = EVERY_INPUT) -> list:
    x, y = op.inputs
    return [unbroadcast(g, x, y) if 0 in wanted else None,
            unbroadcast(negative(g), y, x) if 1 in wanted else None]


def _sub_tangents(op: Operation, tx: Tensor | None, ty: Tensor | None) -> Tensor | None:
    if ty is None:
        return tx
    return negative(ty) if tx is None else subtract(tx, ty)


define_op("Sub", kernel=np.subtract, shape_fn=_numeric_binary, vjp=_sub_vjp,
          jvp=_binary_jvp(_sub_tangents), elementwise=True,
          view_of={}, fresh=True, role=Role.SUB)


@reads_wanted_inputs
def _div_vjp(op: Operation, g: Tensor, wanted: Container[int] = EVERY_INPUT) -> list:
    x, y = op.inputs
    gx = unbroadcast(realdiv(g, y), x, y) if 0 in wanted else None
    gy = unbroadcast(negative(multiply(g, realdiv(op.outputs[0], y))), y, x) \
        if 1 in wanted else None
    return [gx, gy]


def _div_tangents(op: Operation, tx: Tensor | None, ty: Tensor | None) -> Tensor | None:
    x, y = op.inputs
    a = None if tx is None else realdiv(tx, y)
    b = None if ty is None else negative(multiply(ty, realdiv(op.outputs[0], y)))
    return _add_tangents(a, b)


define_op("RealDiv", kernel=np.true_divide, shape_fn=_float_binary, vjp=_div_vjp,
          jvp=_binary_jvp(_div_tangents), elementwise=True,
          view_of={}, fresh=True, role=Role.DIV)


def define_binary(op_type: str, kernel: Callable,
                  partials: Callable[[Operation], tuple[Tensor | None, Tensor | None]],
                  shape_fn: Callable = _numeric_binary, commutes_for: str = "",
                  role: Role | None = None) -> None:
    """Registers a broadcasting binary op from its partial derivatives.

    ``partials(op)`` builds ``(dz/dx, dz/dy)`` from graph ops (None means the constant 1);
    the VJP is ``g * dz/dx`` and ``g * dz/dy`` unbroadcast to each input, the JVP
    ``tx * dz/dx + ty * dz/dy``. ``kernel`` returns a new array (the op's outputs are
    declared fresh); ``commutes_for`` and ``role`` are :class:`OpDef`'s fields.
    """
    def times(t: Tensor | None, partial: Tensor | None) -> Tensor | None:
        return t if t is None or partial is None else multiply(t, partial)

    @reads_wanted_inputs
    def vjp(op: Operation, g: Tensor, wanted: Container[int] = EVERY_INPUT) -> list:
        x, y = op.inputs
        px, py = partials(op)
        return [unbroadcast(times(g, px), x, y) if 0 in wanted else None,
                unbroadcast(times(g, py), y, x) if 1 in wanted else None]

    def tangents(op: Operation, tx: Tensor | None, ty: Tensor | None) -> Tensor | None:
        px, py = partials(op)
        return _add_tangents(times(tx, px), times(ty, py))

    define_op(op_type, kernel=kernel, shape_fn=shape_fn, vjp=vjp,
              jvp=_binary_jvp(tangents), elementwise=True, view_of={}, fresh=True,
              commutes_for=commutes_for, role=role)


def _pow_partials(op: Operation) -> tuple[Tensor, Tensor]:
    x, y = op.inputs
    dx = multiply(y, pow(x, subtract(y, 1)))
    # log(x) where x > 0 and 0 elsewhere (TF1), without a false singularity at x <= 0.
    positive = cast(greater(x, 0), x.dtype)
    safe_x = add(maximum(x, 0), subtract(1, positive))
    return dx, multiply(op.outputs[0], log(safe_x))


def _selection_partials(select: Callable[[Any, Any], Tensor]) -> Callable:
    """Partials of Maximum/Minimum: all of the gradient goes to x where ``select(x, y)``
    holds (ties included, as TF1), to y elsewhere."""
    def partials(op: Operation) -> tuple[Tensor, Tensor]:
        x, y = op.inputs
        mask = cast(select(x, y), x.dtype)
        return mask, subtract(1, mask)
    return partials


def _squared_difference_partials(op: Operation) -> tuple[Tensor, Tensor]:
    x, y = op.inputs
    twice = multiply(subtract(x, y), 2)
    return twice, negative(twice)


def _floormod_partials(op: Operation) -> tuple[None, Tensor]:
    x, y = op.inputs
    return None, negative(floor_div(x, y))


def _div_no_nan_kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    out = np.zeros(np.broadcast_shapes(np.shape(x), np.shape(y)), dtype=np.result_type(x, y))
    return np.true_divide(x, y, out=out, where=np.not_equal(y, 0))


def _div_no_nan_partials(op: Operation) -> tuple[Tensor, Tensor]:
    x, y = op.inputs
    return div_no_nan(1, y), div_no_nan(div_no_nan(negative(x), y), y)


define_binary("Mul", np.multiply, lambda op: (op.inputs[1], op.inputs[0]),
              commutes_for="biu", role=Role.MUL)
define_binary("Pow", np.power, _pow_partials)
define_binary("Maximum", np.maximum, _selection_partials(lambda x, y: greater_equal(x, y)),
              commutes_for="biu")
define_binary("Minimum", np.minimum, _selection_partials(lambda x, y: less_equal(x, y)),
              commutes_for="biu")
define_binary("SquaredDifference", lambda x, y: np.square(np.subtract(x, y)),
              _squared_difference_partials)
define_binary("FloorMod", np.remainder, _floormod_partials)
define_binary("DivNoNan", _div_no_nan_kernel, _div_no_nan_partials, shape_fn=_float_binary)


def _floor_div_kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    # TF1 FloorDiv on floats is floor(x / y), not Python's remainder-consistent x // y.
    if np.result_type(x, y).kind in "fc":
        return np.floor(np.true_divide(x, y))
    return np.floor_divide(x, y)


def _no_gradient_vjp(op: Operation, *unused: Tensor) -> list:
    """Piecewise-constant ops: TF1 registers a gradient of None for every input."""
    return [None] * len(op.inputs)


define_op("FloorDiv", kernel=_floor_div_kernel, shape_fn=_numeric_binary,
          vjp=_no_gradient_vjp, jvp=_no_tangent_jvp, elementwise=True,
          view_of={})

_TRUEDIV_FLOAT = {dtypes.uint8: dtypes.float32, dtypes.int8: dtypes.float32,
                  dtypes.int16: dtypes.float32, dtypes.int32: dtypes.float64,
                  dtypes.int64: dtypes.float64}


add = _binary_function("Add", "add", "``tf.add``: x + y with broadcasting.")
subtract = _binary_function("Sub", "subtract", "``tf.subtract``: x - y with broadcasting.")
multiply = _binary_function("Mul", "multiply", "``tf.multiply``: x * y with broadcasting.")
realdiv = _binary_function("RealDiv", "realdiv",
                           "``tf.realdiv``: x / y for floating-point inputs.")
floordiv = _binary_function("FloorDiv", "floordiv",
                            "``tf.floordiv``: floor(x / y) elementwise (named \"floordiv\").",
                            "floordiv")
floor_div = _binary_function("FloorDiv", "floor_div", "``tf.floor_div``: the raw FloorDiv op.")
floormod = _binary_function("FloorMod", "floormod", "``tf.floormod`` / ``tf.mod``: "
                            "x - floor(x / y) * y; the result has y's sign.")
mod = floormod
pow = _binary_function("Pow", "pow", "``tf.pow``: x ** y elementwise.")
squared_difference = _binary_function("SquaredDifference", "squared_difference",
                                      "``tf.squared_difference``: (x - y)**2 elementwise.")
div_no_nan = _binary_function("DivNoNan", "div_no_nan",
                              "``tf.div_no_nan``: x / y, and 0 wherever y is 0.", "div_no_nan")
maximum = _binary_function("Maximum", "maximum", "``tf.maximum``: elementwise max; on ties "
                           "the whole gradient goes to x.")
minimum = _binary_function("Minimum", "minimum", "``tf.minimum``: elementwise min; on ties "
                           "the whole gradient goes to x.")


def truediv(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.truediv``: x / y in floating point; integer inputs are cast first (int8/16 and
    uint8 to float32, int32/64 to float64), as TF1 does. The op is named "truediv"."""
    with name_scope(name, "truediv", [x, y]) as scope:
        tx, ty = convert_n([x, y], "truediv")
        target = _TRUEDIV_FLOAT.get(tx.dtype)
        if target is not None:
            tx, ty = cast(tx, target), cast(ty, target)
        return apply_op("RealDiv", [tx, ty], name=scope).outputs[0]


def divide(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.divide``: x / y, the same as :func:`truediv`."""
    return truediv(x, y, name)


def div(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.div`` (TF1 Python 2 division): real division for floats, floor division for
    integers. The op is named "div"."""
    tx, ty = convert_n([x, y], "div")
    op_type = "RealDiv" if tx.dtype.is_floating or tx.dtype.is_complex else "FloorDiv"
    return apply_op(op_type, [tx, ty], name=name or "div").outputs[0]


def scalar_mul(scalar: Any, x: Any, name: str | None = None) -> Tensor:
    """``tf.scalar_mul``: a scalar times a tensor; ``ValueError`` for a non-scalar."""
    tx = convert_to_tensor(x)
    ts = convert_to_tensor(scalar, dtype=tx.dtype)
    if ts.shape.ndims != 0:
        raise ValueError(f"Only scalar multiply works, got shape {ts.shape}")
    return apply_op("Mul", [ts, tx], name=name or "scalar_mul").outputs[0]


# ----------------------------------------------------------------------------------------
# AddN and clip_by_value
# ----------------------------------------------------------------------------------------


def _add_n_kernel(*arrays: np.ndarray) -> np.ndarray:
    out = np.add(arrays[0], arrays[1])
    for a in arrays[2:]:
        out += a  # ``out`` is a fresh array (or scalar): the inputs are never written
    return out


def _add_n_shape(inputs: list, attrs: dict) -> list:
    dtype = check_same_dtype(inputs)
    shape = TensorShape(None)
    for t in inputs:
        try:
            shape = shape.merge_with(t.shape)
        except ValueError:
            raise ValueError("all inputs must have the same shape, got "
                             f"{', '.join(str(i.shape) for i in inputs)}") from None
    return [(shape, dtype)]


def _add_n_vjp(op: Operation, g: Tensor) -> list:
    return [g] * len(op.inputs)


def _add_n_jvp(op: Operation, *tangents: Tensor | None) -> list:
    present = [t for t in tangents if t is not None]
    return [present[0] if len(present) == 1 else add_n(present)]


define_op("AddN", kernel=_add_n_kernel, shape_fn=_add_n_shape, vjp=_add_n_vjp,
          jvp=_add_n_jvp, elementwise=True,
          view_of={}, fresh=True, commutes_for="biu", role=Role.ADD_N)


def add_n(inputs: Sequence[Any], name: str | None = None) -> Tensor:
    """``tf.add_n``: the elementwise sum of a list of same-shaped, same-dtype tensors."""
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise ValueError("inputs must be a list of at least one Tensor with the same dtype "
                         "and shape")
    tensors = convert_n(inputs, "AddN")
    if len(tensors) == 1:
        if name:
            return identity(tensors[0], name=name)
        return tensors[0]
    return apply_op("AddN", tensors, name=name).outputs[0]


def _keep_shape(t: Tensor, result: Tensor) -> None:
    if not t.shape.is_compatible_with(result.shape):
        raise ValueError(f"clip_by_value: the clip values would broadcast t of shape "
                         f"{t.shape} to shape {result.shape}")


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any,
                  name: str | None = None) -> Tensor:
    """``tf.clip_by_value``: min(max(t, lo), hi); the gradient passes only where t is not
    clipped (ties pass), and goes to the clip values where it is."""
    with name_scope(name, "clip_by_value", [t, clip_value_min, clip_value_max]) as scope:
        t = convert_to_tensor(t, name="t")
        t_min = minimum(t, clip_value_max)
        _keep_shape(t, t_min)
        result = maximum(t_min, clip_value_min, name=scope)
        _keep_shape(t, result)
        return result


# ----------------------------------------------------------------------------------------
# Unary elementwise functions: one derivative rule gives both the VJP and the JVP.
# ----------------------------------------------------------------------------------------


def define_unary(op_type: str, kernel: Callable, derivative: Callable[[Operation], Tensor]
                 | None, shape_fn: Callable = float_unary, divides: bool = False) -> None:
    """Registers an elementwise unary op whose derivative ``dy/dx`` is built by
    ``derivative(op)`` from graph ops; its VJP is ``g * dy/dx`` and its JVP ``t * dy/dx``.

    With ``divides=True``, ``derivative(op)`` builds ``dx/dy`` instead and the rules are
    ``g / (dx/dy)``: for log-like ops one division replaces a reciprocal and a product
    (one op and one rounding fewer per step).

    ``derivative=None`` declares a piecewise-constant op (floor, round...): its gradient
    is None, as in TF1. ``kernel`` returns a new array (the outputs are declared fresh).
    """
    vjp, jvp = _no_gradient_vjp, _no_tangent_jvp
    if derivative is not None:
        chain = realdiv if divides else multiply

        def vjp(op: Operation, g: Tensor) -> list:
            return [chain(g, derivative(op))]

        def jvp(op: Operation, t: Tensor | None) -> list:
            return [None if t is None else chain(t, derivative(op))]
    define_op(op_type, kernel=kernel, shape_fn=shape_fn, vjp=vjp, jvp=jvp, elementwise=True,
              view_of={}, fresh=True)


def _unary(op_type: str, tf_name: str, kernel: Callable,
           derivative: Callable[[Operation], Tensor] | None, doc: str,
           shape_fn: Callable = float_unary, divides: bool = False) -> Callable[..., Tensor]:
    """Registers a unary op (see :func:`define_unary`) and returns its public function."""
    define_unary(op_type, kernel, derivative, shape_fn, divides)
    return _unary_function(op_type, tf_name, doc)


def _neg_vjp(op: Operation, g: Tensor) -> list:
    return [negative(g)]


def _neg_jvp(op: Operation, t: Tensor | None) -> list:
    return [None if t is None else negative(t)]


define_op("Neg", kernel=np.negative, shape_fn=numeric_unary, vjp=_neg_vjp, jvp=_neg_jvp,
          elementwise=True,
          view_of={}, fresh=True, role=Role.NEG)
negative = _unary_function("Neg", "negative", "``tf.negative``: -x.")


def _sigmoid_kernel(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):  # exp(-x) = inf gives the right limit, 0
        return 1 / (1 + np.exp(-x))


def _erf_kernel(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    return np.asarray(np.frompyfunc(math.erf, 1, 1)(x), dtype=x.dtype)


def _inverse_sqrt_one_minus_square(op: Operation) -> Tensor:
    x = op.inputs[0]
    return rsqrt(subtract(1, square(x)))


def _y(op: Operation) -> Tensor:
    return op.outputs[0]


def _x(op: Operation) -> Tensor:
    return op.inputs[0]


abs = _unary("Abs", "abs", np.abs, lambda op: sign(_x(op)),
             "``tf.abs``: |x| (gradient sign(x)).", numeric_unary)
sign = _unary("Sign", "sign", np.sign, lambda op: zeros_like_static(_x(op)),
              "``tf.sign``: -1, 0 or 1 (gradient zero, as TF1).", numeric_unary)
reciprocal = _unary("Reciprocal", "reciprocal", np.reciprocal,
                    lambda op: negative(square(_y(op))), "``tf.reciprocal``: 1/x.")
square = _unary("Square", "square", np.square, lambda op: multiply(_x(op), 2.0),
                "``tf.square``: x*x.", numeric_unary)
sqrt = _unary("Sqrt", "sqrt", np.sqrt, lambda op: realdiv(0.5, _y(op)),
              "``tf.sqrt``: square root.")
rsqrt = _unary("Rsqrt", "rsqrt", lambda x: np.reciprocal(np.sqrt(x)),
               lambda op: multiply(multiply(square(_y(op)), _y(op)), -0.5),
               "``tf.rsqrt``: 1/sqrt(x).")
exp = _unary("Exp", "exp", np.exp, _y, "``tf.exp``: e**x.")
log = _unary("Log", "log", np.log, _x, "``tf.log``: natural logarithm.", divides=True)
log1p = _unary("Log1p", "log1p", np.log1p, lambda op: add(_x(op), 1),
               "``tf.log1p``: log(1 + x), accurate for small x.", divides=True)
expm1 = _unary("Expm1", "expm1", np.expm1, lambda op: exp(_x(op)),
               "``tf.expm1``: exp(x) - 1, accurate for small x.")
sin = _unary("Sin", "sin", np.sin, lambda op: cos(_x(op)), "``tf.sin``.")
cos = _unary("Cos", "cos", np.cos, lambda op: negative(sin(_x(op))), "``tf.cos``.")
tan = _unary("Tan", "tan", np.tan, lambda op: add(square(_y(op)), 1), "``tf.tan``.")
asin = _unary("Asin", "asin", np.arcsin, _inverse_sqrt_one_minus_square,
              "``tf.asin``: inverse sine.")
acos = _unary("Acos", "acos", np.arccos,
              lambda op: negative(_inverse_sqrt_one_minus_square(op)),
              "``tf.acos``: inverse cosine.")
atan = _unary("Atan", "atan", np.arctan, lambda op: add(square(_x(op)), 1),
              "``tf.atan``: inverse tangent.", divides=True)
tanh = _unary("Tanh", "tanh", np.tanh, lambda op: subtract(1, square(_y(op))),
              "``tf.tanh``: hyperbolic tangent.")
sigmoid = _unary("Sigmoid", "sigmoid", _sigmoid_kernel,
                 lambda op: multiply(_y(op), subtract(1, _y(op))),
                 "``tf.sigmoid``: 1 / (1 + exp(-x)).")
erf = _unary("Erf", "erf", _erf_kernel,
             lambda op: multiply(exp(negative(square(_x(op)))), 2 / math.sqrt(math.pi)),
             "``tf.erf``: the Gauss error function (a slow per-element kernel).")
floor = _unary("Floor", "floor", np.floor, None, "``tf.floor``: largest integer <= x.")
ceil = _unary("Ceil", "ceil", np.ceil, None, "``tf.ceil``: smallest integer >= x.")
_round_op = _unary("Round", "round", np.round, None, "Rounds half to even.")


def round(x: Any, name: str | None = None) -> Tensor:
    """``tf.round``: rounds half to even (banker's rounding); integers pass through."""
    x = convert_to_tensor(x)
    return x if x.dtype.is_integer else _round_op(x, name)

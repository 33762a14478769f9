"""Math ops: elementwise arithmetic and unary functions, AddN.

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
from ..core.shapes import TensorShape
from .broadcast_ops import broadcast_like, broadcast_to, unbroadcast, zeros_like_static
from .cast_ops import cast
from .comparison_ops import greater, greater_equal, less_equal, not_equal
from .framework import (EVERY_INPUT, apply_binary, apply_op, broadcast_binary,
                        check_same_dtype, convert_n, convert_to_tensor, float_unary,
                        numeric_unary, reads_wanted_inputs)
from .op_util import _binary_function, _no_tangent_jvp, _unary_function
from .state_ops import identity

__all__ = [
    "add", "subtract", "multiply", "divide", "truediv", "realdiv", "div", "floordiv",
    "floor_div", "floormod", "mod", "negative", "pow", "scalar_mul",
    "squared_difference", "div_no_nan", "maximum", "minimum", "add_n",
    "abs", "sign", "reciprocal", "square", "sqrt", "rsqrt", "exp", "log", "log1p",
    "expm1", "sin", "cos", "tan", "asin", "acos", "atan", "tanh", "sigmoid", "erf",
    "floor", "ceil", "round", "broadcast_to", "conj",
]


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
    gx = unbroadcast(realdiv(g, conj(y)), x, y) if 0 in wanted else None
    gy = unbroadcast(negative(multiply(g, conj(realdiv(op.outputs[0], y)))), y, x) \
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


def _times(g: Tensor, partial: Tensor) -> Tensor:
    # ``multiply(g, partial)``, one Python level less for each op's creation-site walk
    return apply_binary("Mul", g, partial, None)


def _over(g: Tensor, inverse_partial: Tensor) -> Tensor:
    return realdiv(g, inverse_partial)


def _selected(g: Tensor, mask: Tensor) -> Tensor:
    """``g`` where the 0/1 ``mask`` is 1, else 0 even where g is inf or NaN (TF1 selects
    the gradient of max, min and sign rather than multiplying it by a mask)."""
    return multiply_no_nan(g, mask)


def _times_unless_zero(g: Tensor, partial: Tensor) -> Tensor:
    """``g * partial``, but 0 where g is 0 even where the partial is inf or NaN (TF1's
    SqrtGrad, RsqrtGrad and ReciprocalGrad kernels)."""
    return multiply_no_nan(partial, g)


def _times_factors(g: Tensor, factors: tuple) -> Tensor:
    """``(g * a) * b`` for a partial given as two factors (TF1's order for Pow)."""
    return multiply(multiply(g, factors[0]), factors[1])


def _conjugate_partial(partial: Any) -> Any:
    """``conj`` of a partial (None, a tensor, or a tuple of factors): TF's gradient of a
    real loss of complex z is dL/dx + i dL/dy, so VJPs chain with the conjugated partial.
    A real partial is returned as it is (no op added)."""
    if partial.__class__ is Tensor and not partial._dtype.is_complex:
        return partial  # the common case, what ``conj`` does spelled out
    if partial is None:
        return None
    if isinstance(partial, tuple):
        return tuple(conj(factor) for factor in partial)
    return conj(partial)


def define_binary(op_type: str, kernel: Callable,
                  partials: Callable[[Operation], tuple[Any, Any]],
                  shape_fn: Callable = _numeric_binary, commutes_for: str = "",
                  role: Role | None = None,
                  chains: tuple[Callable, Callable] = (_times, _times),
                  conjugate: bool = True) -> None:
    """Registers a broadcasting binary op from its partial derivatives.

    ``partials(op)`` builds ``(dz/dx, dz/dy)`` from graph ops (None means the constant 1);
    the VJP is ``g * dz/dx`` and ``g * dz/dy`` unbroadcast to each input, the JVP
    ``tx * dz/dx + ty * dz/dy``. ``chains`` replaces the product for either input by
    another rule (``_selected`` for 0/1 masks, ``_over`` for a partial given inverted,
    ``_times_factors`` for a partial given as two factors...). For complex inputs the VJP
    uses the conjugated partials, as TF, unless ``conjugate`` is False (ops whose TF
    gradient does not conjugate). ``kernel`` returns a new
    array (the op's outputs are declared fresh); ``commutes_for`` and ``role`` are
    :class:`OpDef`'s fields.
    """
    @reads_wanted_inputs
    def vjp(op: Operation, g: Tensor, wanted: Container[int] = EVERY_INPUT) -> list:
        x, y = op.inputs
        (px, py), (cx, cy) = partials(op), chains
        if conjugate:
            px, py = _conjugate_partial(px), _conjugate_partial(py)
        return [unbroadcast(g if px is None else cx(g, px), x, y) if 0 in wanted else None,
                unbroadcast(g if py is None else cy(g, py), y, x) if 1 in wanted else None]

    def tangents(op: Operation, tx: Tensor | None, ty: Tensor | None) -> Tensor | None:
        (px, py), (cx, cy) = partials(op), chains
        return _add_tangents(tx if tx is None or px is None else cx(tx, px),
                             ty if ty is None or py is None else cy(ty, py))

    define_op(op_type, kernel=kernel, shape_fn=shape_fn, vjp=vjp,
              jvp=_binary_jvp(tangents), elementwise=True, view_of={}, fresh=True,
              commutes_for=commutes_for, role=role)


def _pow_partials(op: Operation) -> tuple[tuple, tuple]:
    """Each partial as two factors, chained as (g * a) * b in TF1's order: y x^(y-1), and
    z log(x) with log(x) taken as 0 where x <= 0 or NaN (no false singularity); for
    complex x, 0 only where x is 0 (TF's mask)."""
    x, y = op.inputs
    positive = cast(not_equal(x, 0) if x.dtype.is_complex else greater(x, 0), x.dtype)
    safe_x = add(multiply_no_nan(x, positive), subtract(1, positive))
    return (y, pow(x, subtract(y, 1))), (op.outputs[0], log(safe_x))


def _selection_partials(select: Callable[[Any, Any], Tensor]) -> Callable:
    """Partials of Maximum/Minimum: all of the gradient goes to x where ``select(x, y)``
    holds (ties included, as TF1), to y elsewhere."""
    def partials(op: Operation) -> tuple[Tensor, Tensor]:
        x, y = op.inputs
        mask = cast(select(x, y), x.dtype)
        return mask, subtract(1, mask)
    return partials


def _squared_difference_partials(op: Operation) -> tuple[Tensor, Tensor]:
    """x - y for both inputs, chained as (2 g)(x - y) and its negation (TF1's order: a
    zero g gives 0 where 2 (x - y) would overflow)."""
    x, y = op.inputs
    difference = subtract(x, y)
    return difference, difference


def _twice_times(g: Tensor, difference: Tensor) -> Tensor:
    return multiply(multiply(g, 2), difference)


def _minus_twice_times(g: Tensor, difference: Tensor) -> Tensor:
    return negative(_twice_times(g, difference))


def _floormod_partials(op: Operation) -> tuple[None, Tensor]:
    x, y = op.inputs
    return None, negative(floor_div(x, y))


def _zero_where_y_is_zero(ufunc: np.ufunc) -> Callable:
    """The kernel ``ufunc(x, y)``, with 0 wherever y is 0 (DivNoNan, MulNoNan)."""
    def kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        out = np.zeros(np.broadcast_shapes(np.shape(x), np.shape(y)),
                       dtype=np.result_type(x, y))
        return ufunc(x, y, out=out, where=np.not_equal(y, 0))
    return kernel


def _div_no_nan_partials(op: Operation) -> tuple[Tensor, Tensor]:
    """(y, d/dy), the first used as a divisor: TF1's gradient w.r.t. x is
    ``div_no_nan(g, y)``, 0 where y is 0 whatever g is."""
    x, y = op.inputs
    return y, div_no_nan(div_no_nan(negative(x), y), y)


def _divide_no_nan(g: Tensor, y: Tensor) -> Tensor:
    return div_no_nan(g, y)


def _integer_division(ufunc: np.ufunc) -> Callable:
    """``ufunc(x, y)`` for FloorDiv/FloorMod: floats follow IEEE; integers raise on a zero
    divisor (TF1's "Integer division by zero"), where NumPy would return 0."""
    def kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        if np.result_type(x, y).kind in "iu" and not np.all(y):
            raise ZeroDivisionError("Integer division by zero")
        return ufunc(x, y)
    return kernel


define_binary("Mul", np.multiply, lambda op: (op.inputs[1], op.inputs[0]),
              commutes_for="biu", role=Role.MUL)
define_binary("Pow", np.power, _pow_partials, chains=(_times_factors, _times_factors))
define_binary("Maximum", np.maximum, _selection_partials(lambda x, y: greater_equal(x, y)),
              commutes_for="biu", chains=(_selected, _selected))
define_binary("Minimum", np.minimum, _selection_partials(lambda x, y: less_equal(x, y)),
              commutes_for="biu", chains=(_selected, _selected))
define_binary("SquaredDifference", lambda x, y: np.square(np.subtract(x, y)),
              _squared_difference_partials, chains=(_twice_times, _minus_twice_times),
              conjugate=False)
define_binary("FloorMod", _integer_division(np.remainder), _floormod_partials)
define_binary("DivNoNan", _zero_where_y_is_zero(np.true_divide), _div_no_nan_partials,
              shape_fn=_float_binary, chains=(_divide_no_nan, _times))
# TF1's gradient: mul_no_nan(g, y) for x, mul_no_nan(x, g) for y (not conjugated).
define_binary("MulNoNan", _zero_where_y_is_zero(np.multiply), lambda op: op.inputs[::-1],
              chains=(_selected, _times_unless_zero), conjugate=False)


def _floor_div_kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    # TF1 FloorDiv on floats is floor(x / y), not Python's remainder-consistent x // y.
    if np.result_type(x, y).kind in "fc":
        return np.floor(np.true_divide(x, y))
    return _integer_division(np.floor_divide)(x, y)


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
multiply_no_nan = _binary_function("MulNoNan", "multiply_no_nan",
                                   "``tf.math.multiply_no_nan``: x * y, and 0 wherever y is 0 "
                                   "(even where x is inf or NaN).")
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
# AddN
# ----------------------------------------------------------------------------------------


def _add_n_kernel(*arrays: np.ndarray) -> np.ndarray:
    out = np.add(arrays[0], arrays[1])
    for a in arrays[2:]:
        out += a  # ``out`` is a fresh array (or scalar): the inputs are never written
    return out


def _add_n_shape(inputs: list, attrs: dict) -> list:
    dtype = check_same_dtype(inputs)
    first = inputs[0].shape
    for t in inputs:  # (a plain loop: every sum a gradient builds passes here)
        if t.shape is not first:
            break
    else:  # one shape object (a gradient's sums): merging it with itself gives it back
        return [(first, dtype)]
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


# ----------------------------------------------------------------------------------------
# Unary elementwise functions: one derivative rule gives both the VJP and the JVP.
# ----------------------------------------------------------------------------------------


def define_unary(op_type: str, kernel: Callable, derivative: Callable[[Operation], Tensor]
                 | None, shape_fn: Callable = float_unary, chain: Callable = _times) -> None:
    """Registers an elementwise unary op whose derivative ``dy/dx`` is built by
    ``derivative(op)`` from graph ops; its VJP is ``g * dy/dx`` and its JVP ``t * dy/dx``.

    With ``chain=_over``, ``derivative(op)`` builds ``dx/dy`` instead and the rules are
    ``g / (dx/dy)``: for log-like ops one division replaces a reciprocal and a product
    (one op and one rounding fewer per step). ``_selected`` and ``_times_unless_zero``
    follow TF1 where an inf or NaN meets a zero.

    For complex inputs the VJP chains with ``conj(dy/dx)`` (TF's convention, see
    :func:`define_binary`); the JVP with ``dy/dx`` itself.

    ``derivative=None`` declares a piecewise-constant op (floor, round...): its gradient
    is None, as in TF1. ``kernel`` returns a new array (the outputs are declared fresh).
    """
    vjp, jvp = _no_gradient_vjp, _no_tangent_jvp
    if derivative is not None:
        def vjp(op: Operation, g: Tensor) -> list:
            return [chain(g, _conjugate_partial(derivative(op)))]

        def jvp(op: Operation, t: Tensor | None) -> list:
            return [None if t is None else chain(t, derivative(op))]
    define_op(op_type, kernel=kernel, shape_fn=shape_fn, vjp=vjp, jvp=jvp, elementwise=True,
              view_of={}, fresh=True)


def _unary(op_type: str, tf_name: str, kernel: Callable,
           derivative: Callable[[Operation], Tensor] | None, doc: str,
           shape_fn: Callable = float_unary, chain: Callable = _times) -> Callable[..., Tensor]:
    """Registers a unary op (see :func:`define_unary`) and returns its public function."""
    define_unary(op_type, kernel, derivative, shape_fn, chain)
    return _unary_function(op_type, tf_name, doc)


def _define_own_derivative(op_type: str, kernel: Callable, apply: Callable[[Tensor], Tensor],
                           role: Role | None = None) -> None:
    """A linear elementwise op that maps gradients and tangents by itself (Neg, and Conj
    as TF1 differentiates it): VJP ``apply(g)``, JVP ``apply(t)``."""
    define_op(op_type, kernel=kernel, shape_fn=numeric_unary, elementwise=True,
              vjp=lambda op, g: [apply(g)], jvp=lambda op, t: [None if t is None else apply(t)],
              view_of={}, fresh=True, role=role)


_define_own_derivative("Neg", np.negative, lambda g: negative(g), Role.NEG)
negative = _unary_function("Neg", "negative", "``tf.negative``: -x.")
_define_own_derivative("Conj", np.conj, lambda g: conj(g))


def conj(x: Any, name: str | None = None) -> Tensor:
    """``tf.conj``: the complex conjugate; a real tensor is returned unchanged (TF1)."""
    x = convert_to_tensor(x)
    return apply_op("Conj", [x], name=name).outputs[0] if x.dtype.is_complex else x


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
              "``tf.sign``: -1, 0 or 1 (gradient zero, as TF1).", numeric_unary, _selected)
reciprocal = _unary("Reciprocal", "reciprocal", np.reciprocal,
                    lambda op: negative(square(_y(op))), "``tf.reciprocal``: 1/x.",
                    chain=_times_unless_zero)
square = _unary("Square", "square", np.square, lambda op: multiply(_x(op), 2.0),
                "``tf.square``: x*x.", numeric_unary)
sqrt = _unary("Sqrt", "sqrt", np.sqrt, lambda op: realdiv(0.5, _y(op)),
              "``tf.sqrt``: square root.", chain=_times_unless_zero)
rsqrt = _unary("Rsqrt", "rsqrt", lambda x: np.reciprocal(np.sqrt(x)),
               lambda op: multiply(multiply(square(_y(op)), _y(op)), -0.5),
               "``tf.rsqrt``: 1/sqrt(x).", chain=_times_unless_zero)
exp = _unary("Exp", "exp", np.exp, _y, "``tf.exp``: e**x.")
log = _unary("Log", "log", np.log, _x, "``tf.log``: natural logarithm.", chain=_over)
log1p = _unary("Log1p", "log1p", np.log1p, lambda op: add(_x(op), 1),
               "``tf.log1p``: log(1 + x), accurate for small x.", chain=_over)
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
              "``tf.atan``: inverse tangent.", chain=_over)
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

"""``tf.while_loop``: the ``While`` op, its gradient op ``WhileGrad``, and their rules.

``cond`` and ``body`` are traced once into function graphs; one ``While`` op takes the
iteration limit, the loop variables and every outer tensor the functions capture, and
its kernel runs them through the session state (``state.run_function``).

The VJP is a ``WhileGrad`` op that runs the body's VJP backwards through the iterations
on what the forward loop kept: once a loop is differentiated (its :class:`LoopTape` asks
for values), its kernel keeps each iteration's body inputs and the body values the
gradient reads, and passes them on as its last output, the *tape* (TF1's stack pushes
and pops, without re-running the loop), so random draws in the body are read, not
redrawn. The JVP is a ``While`` over (state, tangent); the JVP and VJP of ``WhileGrad``
differentiate that tangent loop (the tangent of J(x)ᵀg is the x-part of the VJP of
(x, ẋ) ↦ (f(x), J(x)ẋ) at seeds (ġ, g)), so derivatives of any order follow. Rules that
re-run the body (the tangent loop) refuse a body that draws random numbers or assigns
variables.
"""
from __future__ import annotations

from typing import Any, Callable, Container, Sequence

import numpy as np

from ..autodiff.forward import jvp
from ..autodiff.gradients import dense_gradients, gradients
from ..core import dtypes
from ..core.func_graph import FuncGraph, capture_into, inline
from ..core.graph import Operation, Tensor, get_default_graph
from ..core.registry import Role, define_op
from ..core.shapes import TensorShape, as_shape
from ..ops.framework import EVERY_INPUT, apply_op, convert_to_tensor, reads_wanted_inputs
from ..ops.indexed_slices import IndexedSlices
from ..ops.math_ops import zeros_like_static
from ..ops.state_ops import identity
from .capture import (FUNCTIONAL_OP_FLAGS, bind, check_scalar, forward_control_captures,
                      kernel_result, new_function, outer_source, output_tensor,
                      refuse_rerun, target_graph)
from .nest import flatten, is_sequence, pack_as, same_structure
from .tensor_array import LoopOwnedBuffer, updated_only_by_loop

__all__ = ["while_loop", "LoopTape"]


class LoopTape:
    """What a ``While`` op keeps of each iteration for its gradients: empty (nothing kept)
    until a gradient is built, then the body tensors the gradient functions read
    (``stash``), besides every iteration's body inputs. Held in the op's attrs; building
    a gradient extends it (as TF1's gradient adds stack pushes to the forward loop).

    Once active, every run of the op keeps its iterations (also runs that fetch no
    gradient): the memory a gradient needs; nothing is kept before."""

    def __init__(self) -> None:
        self.active = False
        self.stash: list[Tensor] = []

    def request(self, tensors: Sequence[Tensor]) -> tuple[int, ...]:
        """Keeps ``tensors`` (of the body) from now on; returns their positions."""
        self.active = True
        positions = []
        for t in tensors:
            pos = next((k for k, kept in enumerate(self.stash) if kept is t), None)
            if pos is None:
                pos = len(self.stash)
                self.stash.append(t)
            positions.append(pos)
        return tuple(positions)


def _while_shape(inputs: list, attrs: dict) -> list:
    check_scalar(inputs[0], "integer", "maximum_iterations")
    return [(ph.shape, ph.dtype) for ph in attrs["body"].explicit_inputs] + [_TAPE_SPEC]


# The tape output: a ``_Record`` of the kept iterations (None when nothing is kept),
# declared as a string scalar (an opaque value); only WhileGrad reads it.
_TAPE_SPEC = (TensorShape([]), dtypes.string)


def _check_invariants(body: FuncGraph, values: Sequence[Any], iteration: int) -> None:
    for i, (ph, value) in enumerate(zip(body.explicit_inputs, values)):
        dims = ph.shape.as_tuple()
        shape = np.shape(value)
        if dims is not None and (len(shape) != len(dims) or any(
                d is not None and d != s for d, s in zip(dims, shape))):
            raise ValueError(f"loop variable {i} has shape {list(shape)} after iteration "
                             f"{iteration}, which does not match its shape invariant "
                             f"{ph.shape}")


def _contiguous(value: Any) -> Any:
    """``value`` laid out in C order: every iteration reads a loop-invariant operand
    (a transposed input, say), and NumPy's ``take`` copies a strided array whole."""
    if isinstance(value, np.ndarray) and not value.flags.c_contiguous:
        return np.ascontiguousarray(value)
    return value


def _run_loop(state: Any, max_iter: Any, operands: Sequence[Any],
              attrs: dict) -> tuple[list, Any]:
    """Runs a While op's iterations; returns the final loop variables and the tape (a
    ``_Record``; None unless the op's :class:`LoopTape` is active)."""
    cond_f, body, n = attrs["cond"], attrs["body"], attrs["n_vars"]
    cond_map, body_map, tape = attrs["cond_map"], attrs["body_map"], attrs["tape"]
    limit = int(max_iter) if attrs["has_max"] else None
    kept = tape.stash if tape.active else []
    fetches = list(body.outputs) + kept
    current = [v if j < n else _contiguous(v) for j, v in enumerate(operands)]
    iterations: list | None = [] if tape.active else None
    count = 0
    while limit is None or count < limit:
        if not state.run_function(cond_f, [current[j] for j in cond_map])[0]:
            break
        feed = [current[j] for j in body_map]
        outs = state.run_function(body, feed, fetches)
        count += 1
        _check_invariants(body, outs[:n], count)
        if iterations is not None:
            iterations.append((feed, outs[n:]))
        current[:n] = outs[:n]
        for j in attrs["owned"]:  # handed to the next iteration's write only
            current[j] = current[j].view(LoopOwnedBuffer)
    final = [np.asarray(v) for v in current[:n]]
    if iterations is None:
        return final, None
    return final, _Record(iterations, final)


class _Record:
    """A tape's content: ``(body inputs, kept values)`` per iteration, and the final
    loop variables."""

    def __init__(self, iterations: list, final: list) -> None:
        self.iterations = iterations
        self.final = final


def _while_kernel(state: Any, max_iter: np.ndarray, *operands: Any, **attrs: Any) -> Any:
    final, record = _run_loop(state, max_iter, operands, attrs)
    return tuple(final) + (record,)


def _per_iteration_terms(grad: Any) -> tuple[str, list[Tensor]]:
    """How WhileGrad sums a loop-invariant operand's per-iteration gradient ``grad``, and
    the tensors the gradient function returns for it: rows at indices (a read's sparse
    gradient) added into one buffer; the factors of ``aᵀ b`` (a weight's gradient) kept
    and multiplied once, stacked, at the end (as a hand-written backward pass does); or
    the dense value, summed in place."""
    if isinstance(grad, IndexedSlices):
        return "rows", [grad.values, grad.indices]
    op = grad.op
    if (op.op_def.role is Role.MATMUL and op.get_attr("transpose_a")
            and not op.get_attr("transpose_b")
            and all(t.shape.ndims == 2 for t in op.inputs)):
        return "product", list(op.inputs)
    return "sum", [grad]


class _Sum:
    """The gradient of a loop-invariant operand, summed over the iterations in place."""

    width = 1  # values the gradient function returns per iteration

    def __init__(self, operand: np.ndarray) -> None:
        self.operand = operand
        self.total: np.ndarray | None = None

    def add(self, value: np.ndarray) -> None:
        if self.total is None:
            self.total = np.array(value)  # a copy the loop owns, summed into in place
        else:
            self.total += value

    def result(self) -> np.ndarray:
        return self.total if self.total is not None else np.zeros_like(self.operand)


class _Rows(_Sum):
    """Rows (``values`` at ``indices``) added into a buffer of the operand's shape."""

    width = 2

    def add(self, values: np.ndarray, indices: np.ndarray) -> None:  # type: ignore[override]
        if self.total is None:
            self.total = np.zeros_like(self.operand, dtype=values.dtype)
        np.add.at(self.total, indices, values)


class _Product(_Sum):
    """Σ_t a_tᵀ b_t, computed at the end as one product of the stacked a_t and b_t."""

    width = 2

    def __init__(self, operand: np.ndarray) -> None:
        super().__init__(operand)
        self.factors: list[tuple[np.ndarray, np.ndarray]] = []

    def add(self, a: np.ndarray, b: np.ndarray) -> None:  # type: ignore[override]
        self.factors.append((a, b))

    def result(self) -> np.ndarray:
        if not self.factors:
            return np.zeros_like(self.operand)
        a = np.concatenate([a for a, _ in self.factors])
        b = np.concatenate([b for _, b in self.factors])
        return a.T @ b


_SUMS = {"sum": _Sum, "rows": _Rows, "product": _Product}


@reads_wanted_inputs
def _while_vjp(op: Operation, *grads: Tensor | None,
               wanted: Container[int] = EVERY_INPUT) -> list:
    body, n, body_map = op.get_attr("body"), op.get_attr("n_vars"), op.get_attr("body_map")
    diff = [i for i in range(n) if op.outputs[i].dtype.is_differentiable]
    given = [i for i in diff if grads[i] is not None]
    if not given or not op.get_attr("back_prop"):
        return [None] * len(op.inputs)
    target = target_graph([op.inputs[0]])
    func, seeds = new_function(f"{body.name}_grad", target,
                               [(body.inputs[i].shape, body.inputs[i].dtype) for i in diff],
                               forward=body)
    with func.as_default():
        ext = [p for p in range(n, len(body.inputs))
               if body.inputs[p].dtype.is_differentiable and 1 + body_map[p] in wanted]
        found = gradients([body.outputs[i] for i in diff],
                          [body.inputs[i] for i in diff] + [body.inputs[p] for p in ext],
                          grad_ys=seeds)
        carried = [func.capture(convert_to_tensor(g) if g is not None
                                else zeros_like_static(body.inputs[i]))
                   for g, i in zip(found, diff)]
        ext_found = [(p, g) for p, g in zip(ext, found[len(diff):]) if g is not None]
        sums = [_per_iteration_terms(g) for _, g in ext_found]
        func.outputs = carried + [func.capture(t) for _, terms in sums for t in terms]
    sources, stash, outer = [], [], []
    for source, _ in func.captures:
        p = next((p for p, ph in enumerate(body.inputs) if ph is source), None)
        if p is not None:
            sources.append((0, p))
        elif source.graph is body:
            sources.append((1, len(stash)))
            stash.append(source)
        else:
            sources.append((2, len(outer)))
            outer.append(source)
    kept = op.get_attr("tape").request(stash)
    sources = [(kind, kept[i] if kind == 1 else i) for kind, i in sources]
    ext_out = tuple(body_map[p] for p, _ in ext_found)
    grad_owned = tuple(k for k, (seed, out) in enumerate(zip(seeds, carried))
                       if updated_only_by_loop(seed, out))
    attrs = dict(op.attrs, grad=func, diff=tuple(diff), ext_sums=tuple(k for k, _ in sums),
                 grad_mask=tuple(grads[i] is not None for i in diff), sources=tuple(sources),
                 ext_out=ext_out, grad_owned=grad_owned, n_operands=len(op.inputs) - 1,
                 num_results=len(diff) + len(ext_out))
    inputs = [capture_into(target, t) for t in [op.inputs[0], op.outputs[n], *op.inputs[1:]]]
    grad_op = apply_op("WhileGrad", inputs + [grads[i] for i in given] + outer, attrs,
                       name=f"{op.name.rsplit('/', 1)[-1]}_grad")
    result: list = [None] * len(op.inputs)
    for pos, j in enumerate(list(diff) + list(ext_out)):
        result[1 + j] = grad_op.outputs[pos]
    return result


def _tangent_loop(op: Operation, operands: Sequence[Tensor],
                  tangents: Sequence[Tensor | None]) -> list[Tensor]:
    """The loop that ``op`` (a While or WhileGrad) runs, on ``operands``, carrying beside
    each differentiable loop variable its tangent when the operands move along
    ``tangents`` (None: fixed). Returns the final loop variables, then the tangents of
    the differentiable ones."""
    cond_f, body, n = op.get_attr("cond"), op.get_attr("body"), op.get_attr("n_vars")
    refuse_rerun(op, [cond_f, body])
    diff = [i for i in range(n) if body.outputs[i].dtype.is_differentiable]
    ext = [(j, t) for j, t in enumerate(tangents) if j >= n and t is not None]

    def feed(func_map: tuple, states: Sequence[Tensor]) -> list:
        return [states[j] if j < n else operands[j] for j in func_map]

    def tangent_cond(*loop: Tensor) -> Tensor:
        return inline(cond_f, feed(op.get_attr("cond_map"), loop[:n]))[0]

    def tangent_body(*loop: Tensor) -> list:
        states, carried = loop[:n], loop[n:]
        outs = inline(body, feed(op.get_attr("body_map"), states))
        graph = get_default_graph()
        xs = [states[i] for i in diff] + [graph.capture(operands[j]) for j, _ in ext]
        found = jvp([outs[i] for i in diff], xs, list(carried) + [t for _, t in ext])
        return list(outs) + found

    start = list(operands[:n]) + [tangents[i] if tangents[i] is not None
                                  else zeros_like_static(operands[i]) for i in diff]
    invariants = [body.inputs[i].shape for i in range(n)] + [body.inputs[i].shape
                                                             for i in diff]
    max_iter = op.inputs[0] if op.get_attr("has_max") else None
    return _build_while(tangent_cond, tangent_body, start, invariants, max_iter,
                        back_prop=True, name=f"{op.name.rsplit('/', 1)[-1]}_jvp")


def _while_jvp(op: Operation, _max_iter: Any, *tangents: Tensor | None) -> list:
    n = op.get_attr("n_vars")
    diff = [i for i in range(n) if op.outputs[i].dtype.is_differentiable]
    result: list = [None] * len(op.outputs)
    if all(tangents[i] is None for i in diff) and all(t is None for t in tangents[n:]):
        return result
    outs = _tangent_loop(op, list(op.inputs[1:]), tangents)
    for pos, i in enumerate(diff):
        result[i] = outs[n + pos]
    return result


define_op("While", kernel=_while_kernel, shape_fn=_while_shape, vjp=_while_vjp,
          jvp=_while_jvp, non_differentiable=(0,), **FUNCTIONAL_OP_FLAGS,
          doc="Runs function ``body`` on the loop state while function ``cond`` holds; "
              "the last output is the tape its gradients read.")


# -- WhileGrad: inputs (maximum_iterations, tape, the While's operands, the given seeds,
# outer values the gradient function captures); outputs the gradients of the operands
# at positions ``diff`` (loop variables) then ``ext_out`` (captured values).


def _while_grad_shape(inputs: list, attrs: dict) -> list:
    picks = list(attrs["diff"]) + list(attrs["ext_out"])
    return [(inputs[2 + j].shape, inputs[2 + j].dtype) for j in picks]


def _while_grad_kernel(state: Any, max_iter: np.ndarray, record: Any, *args: Any,
                       **attrs: Any) -> Any:
    n_operands, diff, mask = attrs["n_operands"], attrs["diff"], attrs["grad_mask"]
    operands = args[:n_operands]
    given = iter(args[n_operands:n_operands + sum(mask)])
    outer = args[n_operands + sum(mask):]
    iterations, final = record.iterations, record.final
    carried = [next(given) if m else np.zeros_like(final[i]) for i, m in zip(diff, mask)]
    totals = [_SUMS[kind](operands[j]) for kind, j in zip(attrs["ext_sums"], attrs["ext_out"])]
    for feed, kept in reversed(iterations):
        picks = (feed, kept, outer)
        captured = [picks[kind][i] for kind, i in attrs["sources"]]
        outs = state.run_function(attrs["grad"], carried + captured)
        carried = list(outs[:len(diff)])
        for k in attrs["grad_owned"]:  # handed to the next step's write gradient only
            carried[k] = carried[k].view(LoopOwnedBuffer)
        at = len(diff)
        for total in totals:
            total.add(*outs[at:at + total.width])
            at += total.width
    ext = [total.result() for total in totals]
    carried = [np.asarray(v) for v in carried]
    return kernel_result(carried + ext, len(carried) + len(ext))


def _grad_inputs(op: Operation) -> tuple[list[Tensor], dict[int, Tensor], int]:
    """A WhileGrad op's operands, its seeds by loop variable, and where its outer
    inputs start."""
    n_operands, diff, mask = (op.get_attr(k) for k in ("n_operands", "diff", "grad_mask"))
    operands = list(op.inputs[2:2 + n_operands])
    given = [i for i, m in zip(diff, mask) if m]
    seeds = dict(zip(given, op.inputs[2 + n_operands:]))
    return operands, seeds, 2 + n_operands + len(given)


def _tangent_loop_on_copies(op: Operation, operands: list[Tensor],
                            tangents: dict[int, Tensor]) -> tuple[list[Tensor], list[Tensor]]:
    """The tangent loop of a WhileGrad op's forward loop, on fresh copies of the operands
    whose gradients the op computes (so each position is differentiated on its own);
    returns the loop's outputs and those copies (in the op's output order)."""
    picks = list(op.get_attr("diff")) + list(op.get_attr("ext_out"))
    copies = {j: identity(operands[j]) for j in picks}
    outs = _tangent_loop(op, [copies.get(j, t) for j, t in enumerate(operands)],
                         [tangents.get(j) for j in range(len(operands))])
    return outs, [copies[j] for j in picks]


def _refuse_outer(op: Operation, moving: Sequence[int], rule: str) -> None:
    if any(op.inputs[i].dtype.is_differentiable for i in moving):
        raise LookupError(f"No {rule} for operation '{op.name}' (op type: WhileGrad) "
                          "through the outer values its gradient function captures, "
                          f"created at {op.traceback}")


def _while_grad_jvp(op: Operation, _max_iter: Any, _tape: Any,
                    *tangents: Tensor | None) -> list:
    operands, seeds, outer_at = _grad_inputs(op)
    n, diff = op.get_attr("n_vars"), op.get_attr("diff")
    _refuse_outer(op, [2 + k for k, t in enumerate(tangents) if t is not None
                       and 2 + k >= outer_at], "forward-mode (JVP) rule")
    if all(t is None for t in tangents):
        return [None] * len(op.outputs)
    seed_tangents = dict(zip(seeds, tangents[len(operands):]))
    outs, xs = _tangent_loop_on_copies(
        op, operands, {j: t for j, t in enumerate(tangents[:len(operands)]) if t is not None})
    ys, grad_ys = [], []
    for pos, i in enumerate(diff):
        for y, g in ((outs[i], seed_tangents.get(i)), (outs[n + pos], seeds.get(i))):
            if g is not None:
                ys.append(y)
                grad_ys.append(g)
    return dense_gradients(ys, xs, grad_ys=grad_ys)


def _while_grad_vjp(op: Operation, *grads: Tensor | None) -> list:
    operands, seeds, outer_at = _grad_inputs(op)
    n, diff = op.get_attr("n_vars"), op.get_attr("diff")
    picks = list(diff) + list(op.get_attr("ext_out"))
    moving = {j: g for j, g in zip(picks, grads) if g is not None}
    result: list = [None] * len(op.inputs)
    if not moving:
        return result
    _refuse_outer(op, range(outer_at, len(op.inputs)), "gradient defined")
    outs, xs = _tangent_loop_on_copies(op, operands, moving)
    given = list(seeds)
    ys = [outs[n + diff.index(i)] for i in given]
    for k, y in enumerate(ys):  # the output is linear in the seeds: J u
        result[2 + len(operands) + k] = y
    found = dense_gradients(ys, xs, grad_ys=[seeds[i] for i in given])
    for j, g in zip(picks, found):
        result[2 + j] = g
    return result


define_op("WhileGrad", kernel=_while_grad_kernel, shape_fn=_while_grad_shape,
          vjp=_while_grad_vjp, jvp=_while_grad_jvp, non_differentiable=(0, 1),
          **FUNCTIONAL_OP_FLAGS,
          doc="Gradient of a While op: its body's VJP run backwards over the tape.")


def _body_result(result: Any, structure: list, what: str) -> list:
    if not is_sequence(result):
        result = [result]
    if not same_structure(list(structure), list(result)):
        raise ValueError(f"{what} must return the same structure as loop_vars: "
                         f"expected {len(flatten(list(structure)))} tensors, got {result!r}")
    return flatten(list(result))


def _check_loop_output(var: Tensor, out: Tensor, invariant: TensorShape) -> None:
    if out.dtype != var.dtype:
        raise ValueError(f"Input tensor '{var.name}' enters the loop with dtype "
                         f"{var.dtype.name}, but has dtype {out.dtype.name} after one "
                         "iteration.")
    if not _shape_at_most(out.shape, invariant):
        raise ValueError(f"Input tensor '{var.name}' enters the loop with shape {invariant}, "
                         f"but has shape {out.shape} after one iteration. To allow the shape "
                         "to vary across iterations, use the `shape_invariants` argument of "
                         "tf.while_loop to specify a less-specific shape.")


def _shape_at_most(shape: TensorShape, invariant: TensorShape) -> bool:
    """True if ``shape`` is at least as specific as ``invariant`` and compatible with it."""
    if invariant.ndims is None:
        return True
    if shape.ndims != invariant.ndims:
        return False
    return all(b is None or a == b for a, b in zip(shape.as_tuple(), invariant.as_tuple()))


def _build_while(cond_fn: Callable[..., Any], body_fn: Callable[..., list],
                 loop_vars: list[Tensor], invariants: list[TensorShape],
                 max_iter: Tensor | None, back_prop: bool, name: str) -> list[Tensor]:
    """Traces ``cond_fn``/``body_fn`` (on flat loop variables) and builds the While op."""
    target = target_graph(loop_vars)
    with target.name_scope(name) as scope:
        specs = [(inv, v.dtype) for inv, v in zip(invariants, loop_vars)]
        cond_f, args = new_function(scope + "cond", target, specs)
        with cond_f.as_default():
            pred = output_tensor(cond_f, cond_fn(*args), "cond")
        if not pred.dtype.is_bool or pred.shape.ndims not in (None, 0):
            raise TypeError(f"cond must return a boolean scalar tensor, got {pred.dtype.name} "
                            f"with shape {pred.shape}")
        cond_f.outputs = [pred]
        body, args = new_function(scope + "body", target, specs)
        with body.as_default():
            outs = [output_tensor(body, v, "body") for v in body_fn(*args)]
        if len(outs) != len(loop_vars):
            raise ValueError(f"body returned {len(outs)} tensors for {len(loop_vars)} loop "
                             "variables")
        for var, out, inv in zip(loop_vars, outs, invariants):
            _check_loop_output(var, out, inv)
        body.outputs = outs
        operands, (cond_map, body_map) = bind([cond_f, body], len(loop_vars), outer_source)
        limit = max_iter if max_iter is not None else convert_to_tensor(0, name="no_limit")
        owned = tuple(j for j, (ph, out) in enumerate(zip(body.explicit_inputs, outs))
                      if updated_only_by_loop(ph, out))
        attrs = {"cond": cond_f, "body": body, "n_vars": len(loop_vars), "owned": owned,
                 "cond_map": cond_map, "body_map": body_map, "has_max": max_iter is not None,
                 "back_prop": bool(back_prop), "num_results": len(loop_vars),
                 "tape": LoopTape()}
        inputs = [capture_into(target, t) for t in [limit] + loop_vars] + operands
        op = apply_op("While", inputs, attrs, name=scope)
        forward_control_captures(op, [cond_f, body])
    return list(op.outputs[:len(loop_vars)])


def _loop_invariants(flat_vars: list[Tensor], shape_invariants: Any) -> list[TensorShape]:
    if shape_invariants is None:
        return [v.shape for v in flat_vars]
    shapes = [as_shape(s) for s in flatten(shape_invariants)]
    if len(shapes) != len(flat_vars):
        raise ValueError(f"shape_invariants has {len(shapes)} shapes for {len(flat_vars)} "
                         "loop variables")
    for var, inv in zip(flat_vars, shapes):
        if not _shape_at_most(var.shape, inv):
            raise ValueError(f"The shape invariant specified for {var.name} is not compatible "
                             f"with the initial shape of the loop variable. It enters the "
                             f"loop with shape {var.shape}, but the specified shape "
                             f"invariant is {inv}.")
    return shapes


def while_loop(cond: Callable[..., Any], body: Callable[..., Any], loop_vars: Any,
               shape_invariants: Any = None, parallel_iterations: int = 10,
               back_prop: bool = True, swap_memory: bool = False, name: str | None = None,
               maximum_iterations: Any = None, return_same_structure: bool = False) -> Any:
    """``tf.while_loop``: repeats ``body`` while ``cond`` holds, on ``loop_vars``.

    ``cond`` and ``body`` take the loop variables as positional arguments; ``body``
    returns them updated, in the same structure. Each variable keeps its shape unless
    ``shape_invariants`` gives a less specific one. At most ``maximum_iterations`` run.
    Gradients flow back through the iterations (``back_prop=False`` stops them).
    Returns the final loop variables (a single tensor when there is only one, unless
    ``return_same_structure``).
    """
    if not callable(cond):
        raise TypeError("cond must be callable.")
    if not callable(body):
        raise TypeError("body must be callable.")
    if parallel_iterations < 1:
        raise TypeError("parallel_iterations must be a positive integer.")
    single = not isinstance(loop_vars, (list, tuple))
    structure = [loop_vars] if single else loop_vars
    flat_vars = [convert_to_tensor(v) for v in flatten(structure)]
    if not flat_vars:
        raise ValueError("No loop variables provided")
    invariants = _loop_invariants(flat_vars, shape_invariants)
    max_iter = None
    if maximum_iterations is not None:
        max_iter = convert_to_tensor(maximum_iterations, name="maximum_iterations")
        if max_iter.shape.ndims != 0:
            raise ValueError(f"maximum_iterations must be a scalar, saw shape: "
                             f"{max_iter.shape}")

    def flat_cond(*args: Tensor) -> Any:
        return cond(*pack_as(structure, args))

    def flat_body(*args: Tensor) -> list:
        return _body_result(body(*pack_as(structure, args)), structure, "body")

    outs = _build_while(flat_cond, flat_body, flat_vars, invariants, max_iter, back_prop,
                        name or "while")
    packed = pack_as(structure, outs)
    packed = packed[0] if single else packed
    if return_same_structure or len(outs) != 1:
        return packed
    return outs[0]

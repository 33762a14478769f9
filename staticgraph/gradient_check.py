"""A gradient checker: reverse-mode, forward-mode and finite-difference Jacobians.

It builds and runs graphs, so it sits with the public API, above every layer (``tf.test``).

Every Jacobian is computed in float64: the reverse one row by row (one adjoint sweep per
output element, seeded with a one-hot ``grad_ys``), the forward one column by column
(one tangent sweep per input element), and the numeric one by central differences.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from .autodiff.forward import jvp
from .autodiff.gradients import dense_gradients
from .core import dtypes
from .core.default_session import get_default_session
from .core.graph import Graph, Tensor
from .ops.framework import convert_to_tensor
from .ops.state_ops import placeholder
from .runtime.session import Session


@dataclass
class GradCase:
    """One gradient test: ``build(*placeholders)`` returns a tensor (or list of tensors)
    from float64 placeholders shaped like ``inputs``. ``order=2`` also checks the
    derivative of the gradient."""

    name: str
    build: Callable[..., Any]
    inputs: Sequence[np.ndarray]
    order: int = 1
    delta: float = 1e-6


@dataclass
class GradCheckResult:
    """Jacobians (one per input, shaped ``(outputs, inputs)``) and their worst disagreement.

    ``max_error`` is the largest absolute difference between the analytic (reverse and
    forward) and numeric Jacobians, relative to ``max(1, largest numeric entry)``.
    """

    reverse: list[np.ndarray]
    forward: list[np.ndarray]
    numeric: list[np.ndarray]
    max_error: float
    op_types: set = field(default_factory=set)

    def __str__(self) -> str:
        return (f"GradCheckResult(max_error={self.max_error:.3g}, "
                f"op_types={sorted(self.op_types)})")


def _outputs(built: Any) -> list[Tensor]:
    return [convert_to_tensor(t) for t in (built if isinstance(built, (list, tuple))
                                           else [built])]


def _second_order_build(build: Callable[..., Any], inputs: Sequence[np.ndarray]
                        ) -> Callable[..., Any]:
    """A build function returning the (randomly weighted) gradient of ``build``."""
    def build_gradient(*xs: Tensor) -> list[Tensor]:
        ys = _outputs(build(*xs))
        rng = np.random.RandomState(7)
        seeds = [rng.uniform(0.5, 1.5, size=y.shape.as_list()) for y in ys]
        grads = dense_gradients(ys, list(xs), grad_ys=seeds, unconnected_gradients="zero")
        return list(grads)
    return build_gradient


def check_case(case: GradCase) -> GradCheckResult:
    """Checks a :class:`GradCase` in a fresh graph (and, for ``order=2``, its gradient)."""
    inputs = [np.asarray(v, dtype=np.float64) for v in case.inputs]
    result = check_function(case.build, inputs, delta=case.delta)
    if case.order >= 2:
        second = check_function(_second_order_build(case.build, inputs), inputs,
                                delta=case.delta)
        result.max_error = max(result.max_error, second.max_error)
        result.op_types |= second.op_types
    return result


def check_function(build: Callable[..., Any], inputs: Sequence[np.ndarray],
                   delta: float = 1e-6) -> GradCheckResult:
    """Builds ``build`` on float64 placeholders in a new graph and compares Jacobians."""
    graph = Graph()
    with graph.as_default():
        xs = [placeholder(dtypes.float64, shape=v.shape, name=f"x{i}")
              for i, v in enumerate(inputs)]
        ys = _outputs(build(*xs))
        ys = [y for y in ys if y.dtype.is_differentiable]
        seeds = [placeholder(y.dtype, shape=y.shape, name="seed") for y in ys]
        rev = dense_gradients(ys, xs, grad_ys=seeds, unconnected_gradients="zero")
        tangents = [placeholder(dtypes.float64, shape=v.shape, name="tangent")
                    for v in inputs]
        fwd = jvp(ys, xs, tangents)
        op_types = {op.type for op in graph.get_operations()}
        with Session(graph=graph) as sess:
            base = {x: v for x, v in zip(xs, inputs)}
            y_values = [np.asarray(v) for v in sess.run(ys, base)]
            sizes = [v.size for v in y_values]
            reverse = _reverse_jacobians(sess, rev, seeds, y_values, base, inputs)
            forward = _forward_jacobians(sess, fwd, tangents, inputs, base, sizes)
            numeric = _numeric_jacobians(sess, ys, xs, inputs, sizes, delta)
    error = 0.0
    for r, f, n in zip(reverse, forward, numeric):
        scale = max(1.0, float(np.max(np.abs(n))) if n.size else 1.0)
        if n.size:
            error = max(error, float(np.max(np.abs(r - n))) / scale,
                        float(np.max(np.abs(f - n))) / scale)
    return GradCheckResult(reverse, forward, numeric, error, op_types)


def _one_hot_feeds(placeholders: list, shapes: list[tuple]) -> Any:
    """Yields ``(k, j, feed)``: every placeholder zero but element j of placeholder k."""
    for k, shape in enumerate(shapes):
        for j in range(int(np.prod(shape))):
            feed = {}
            for m, (p, s) in enumerate(zip(placeholders, shapes)):
                vector = np.zeros(int(np.prod(s)))
                if m == k:
                    vector[j] = 1.0
                feed[p] = vector.reshape(s)
            yield k, j, feed


def _flat(values: list) -> np.ndarray:
    if not values:
        return np.zeros(0)
    return np.concatenate([np.asarray(v, dtype=np.float64).reshape(-1) for v in values])


def _reverse_jacobians(sess: Any, rev: list, seeds: list, y_values: list, base: dict,
                       inputs: Sequence[np.ndarray]) -> list[np.ndarray]:
    total = sum(v.size for v in y_values)
    jac = [np.zeros((total, v.size)) for v in inputs]
    for row, (_, _, feed) in enumerate(_one_hot_feeds(seeds, [v.shape for v in y_values])):
        for i, g in enumerate(sess.run(rev, {**base, **feed})):
            jac[i][row] = np.asarray(g).reshape(-1)
    return jac


def _forward_jacobians(sess: Any, fwd: list, tangents: list, inputs: Sequence[np.ndarray],
                       base: dict, sizes: list[int]) -> list[np.ndarray]:
    jac = [np.zeros((sum(sizes), v.size)) for v in inputs]
    for i, j, feed in _one_hot_feeds(tangents, [v.shape for v in inputs]):
        jac[i][:, j] = _flat(sess.run(fwd, {**base, **feed}) if fwd else [])
    return jac


def _numeric_jacobians(sess: Any, ys: list, xs: list, inputs: Sequence[np.ndarray],
                       sizes: list[int], delta: float) -> list[np.ndarray]:
    jac = [np.zeros((sum(sizes), v.size)) for v in inputs]

    def evaluate(feed: dict) -> np.ndarray:
        return _flat(sess.run(ys, feed) if ys else [])

    for i, v in enumerate(inputs):
        for j in range(v.size):
            # C-contiguous copies: reshape(-1) of a strided copy would be a copy, and
            # the nudge would never reach the fed value.
            values = [np.array(w, copy=True, order="C") for w in inputs]
            flat = values[i].reshape(-1)
            flat[j] = v.reshape(-1)[j] + delta
            plus = evaluate(dict(zip(xs, values)))
            flat[j] = v.reshape(-1)[j] - delta
            minus = evaluate(dict(zip(xs, values)))
            jac[i][:, j] = (plus - minus) / (2 * delta)
    return jac


def compute_gradient(x: Any, x_shape: Sequence[int], y: Any, y_shape: Sequence[int],
                     x_init_value: np.ndarray | None = None, delta: float = 1e-3,
                     init_targets: Any = None, extra_feed_dict: dict | None = None
                     ) -> Any:
    """``tf.test.compute_gradient``: (theoretical, numerical) Jacobians of y w.r.t. x.

    Runs in the default session. Each Jacobian has shape ``(x size, y size)``; for a list
    of xs, a list of such pairs is returned.
    """
    if isinstance(x, (list, tuple)):
        inits = x_init_value or [None] * len(x)
        return [compute_gradient(xi, si, y, y_shape, vi, delta, init_targets, extra_feed_dict)
                for xi, si, vi in zip(x, x_shape, inits)]
    sess = get_default_session()
    if sess is None:
        raise ValueError("compute_gradient needs a default session (use `with tf.Session():`)")
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    if init_targets is not None:
        sess.run(init_targets)
    x_value = np.asarray(x_init_value, dtype=x.dtype.dtype) if x_init_value is not None \
        else np.random.RandomState(1).uniform(-1, 1, size=x_shape).astype(x.dtype.dtype)
    feed = dict(extra_feed_dict or {})
    seed = placeholder(y.dtype, shape=y_shape)
    grad = dense_gradients(y, x, grad_ys=seed, unconnected_gradients="zero")[0]
    x_size, y_size = int(np.prod(x_shape)), int(np.prod(y_shape))
    theoretical = np.zeros((x_size, y_size))
    for j in range(y_size):
        onehot = np.zeros(y_size, dtype=y.dtype.dtype)
        onehot[j] = 1
        theoretical[:, j] = np.asarray(sess.run(grad, {**feed, x: x_value,
                                                       seed: onehot.reshape(y_shape)})
                                       ).reshape(-1)
    numerical = np.zeros((x_size, y_size))
    for i in range(x_size):
        bumped = np.array(x_value, dtype=np.float64, copy=True).reshape(-1)
        bumped[i] += delta
        plus = np.asarray(sess.run(y, {**feed, x: bumped.reshape(x_shape)}), np.float64)
        bumped[i] -= 2 * delta
        minus = np.asarray(sess.run(y, {**feed, x: bumped.reshape(x_shape)}), np.float64)
        numerical[i] = ((plus - minus) / (2 * delta)).reshape(-1)
    return theoretical, numerical


def compute_gradient_error(x: Any, x_shape: Sequence[int], y: Any, y_shape: Sequence[int],
                           x_init_value: np.ndarray | None = None, delta: float = 1e-3,
                           init_targets: Any = None, extra_feed_dict: dict | None = None
                           ) -> float:
    """``tf.test.compute_gradient_error``: max |theoretical - numerical| over the Jacobian."""
    pairs = compute_gradient(x, x_shape, y, y_shape, x_init_value, delta, init_targets,
                             extra_feed_dict)
    if isinstance(pairs, list):
        return max(float(np.max(np.abs(t - n))) for t, n in pairs)
    theoretical, numerical = pairs
    return float(np.max(np.abs(theoretical - numerical)))

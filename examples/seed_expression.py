"""The autodiff textbooks' seed expression, traced three ways and drawn.

    y = (sin(x1/x2) + x1/x2 − exp(x2)) · (x1/x2 − exp(x2))   at x1 = 1.5, x2 = 0.5

written as its evaluation trace (Griewank & Walther, "Evaluating Derivatives"):
v-1 = x1, v0 = x2, v1 = v-1/v0, v2 = sin v1, v3 = exp v0, v4 = v1 − v3, v5 = v2 + v4,
v6 = v5 · v4 = y. Prints the primal trace, the tangent trace of forward mode w.r.t. x1
(v̇6 = ∂y/∂x1), the adjoint trace of reverse mode (v̄4 gathers two paths), and renders
the graph with its gradient subgraph to ``seed_expression.svg``.

Run: ``python examples/seed_expression.py [--output-dir DIR]`` (default: examples/output;
``--quick`` is accepted like in the other examples, and changes nothing: this one is quick).
"""
from __future__ import annotations

import sys
from pathlib import Path

import staticgraph as tf
from staticgraph.viz.dot import GraphvizNotInstalled

X1, X2 = 1.5, 0.5


def build() -> dict:
    """The inputs x1, x2, the values v1 … v6 (y = v6) and the gradient dy/d(x1, x2)."""
    x1 = tf.placeholder(tf.float64, shape=[], name="x1")
    x2 = tf.placeholder(tf.float64, shape=[], name="x2")
    v1 = tf.divide(x1, x2, name="v1")
    v2 = tf.sin(v1, name="v2")
    v3 = tf.exp(x2, name="v3")
    v4 = tf.subtract(v1, v3, name="v4")
    v5 = tf.add(v2, v4, name="v5")
    y = tf.multiply(v5, v4, name="v6")
    dy_dx1, dy_dx2 = tf.gradients(y, [x1, x2])
    return {"x1": x1, "x2": x2, "y": y, "dy_dx1": dy_dx1, "dy_dx2": dy_dx2}


def main(out_dir: Path) -> Path:
    """Prints the three traces and writes ``seed_expression.svg`` into ``out_dir``."""
    t = build()
    feed = {t["x1"]: X1, t["x2"]: X2}
    print(tf.trace.primal(t["y"], feed))
    print(tf.trace.tangent(t["y"], t["x1"], feed))
    print(tf.trace.adjoint(t["y"], feed))
    with tf.Session() as sess:
        y, dx1, dx2 = sess.run([t["y"], t["dy_dx1"], t["dy_dx2"]], feed)
    print(f"y = {y:.4f}   dy/dx1 = {dx1:.4f}   dy/dx2 = {dx2:.4f}   (tf.gradients)")
    dot = tf.to_dot([t["y"], t["dy_dx1"], t["dy_dx2"]])
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        svg = Path(dot.render(out_dir / "seed_expression", format="svg"))
    except GraphvizNotInstalled as err:
        print(f"{err}\nThe DOT text is in {out_dir / 'seed_expression'}.", file=sys.stderr)
        return out_dir / "seed_expression"
    print(f"graph with its gradient subgraph: {svg}")
    return svg


if __name__ == "__main__":
    from example_utils import parse_args  # beside this script
    main(parse_args("The seed expression's traces and graph.").output_dir)

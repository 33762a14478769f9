"""Prints TensorFlow's gradients for the edge cases in tests/ops/gradient_conventions.py,
as the ``EXPECTED`` dict that module holds. Needs TensorFlow (run with its interpreter):

    /work/tfenv/bin/python tools/tf_gradient_conventions.py
"""
from __future__ import annotations

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.ops.gradient_conventions import CASES  # noqa: E402


def main() -> None:
    """Runs every case in TensorFlow's graph mode and prints the gradients."""
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    print(f"# Printed by tools/tf_gradient_conventions.py with TensorFlow {tf.__version__} "
          "(tf.compat.v1).")
    print("EXPECTED: dict[str, list] = {")
    for name, case in CASES.items():
        with tf.Graph().as_default():
            xs = [tf.placeholder(tf.float64, x.shape) for x in case.inputs]
            grads = tf.gradients(case.build(tf, *xs), xs)
            with tf.Session() as sess, np.errstate(all="ignore"):
                values = sess.run(grads, dict(zip(xs, case.inputs)))
        rows = ", ".join(_literal(v) for v in values)
        print(f"    {name!r}: [{rows}],")
    print("}")


def _literal(value: np.ndarray) -> str:
    items = ", ".join(repr(float(v)) for v in np.ravel(value))
    return f"_f({items})" + (f".reshape{value.shape}" if np.ndim(value) != 1 else "")


if __name__ == "__main__":
    main()

"""Prints TensorFlow's gradients for the complex cases in tests/ops/complex_gradient_cases.py,
as the ``EXPECTED`` dict appended to that module. Needs TensorFlow (run with its
interpreter):

    /work/tfenv/bin/python tools/tf_complex_gradients.py
"""
from __future__ import annotations

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.ops.complex_gradient_cases import CASES, loss  # noqa: E402


def main() -> None:
    """Runs every case in TensorFlow's graph mode and prints the gradients."""
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    print(f"# Printed by tools/tf_complex_gradients.py with TensorFlow {tf.__version__} "
          "(tf.compat.v1).")
    print("EXPECTED: dict[str, list] = {")
    for name, case in CASES.items():
        with tf.Graph().as_default():
            xs = [tf.placeholder(tf.complex128, x.shape) for x in case.inputs]
            grads = tf.gradients(loss(tf, case, xs), xs)
            with tf.Session() as sess:
                values = sess.run(grads, dict(zip(xs, case.inputs)))
        rows = ", ".join(_literal(v) for v in values)
        print(f"    {name!r}: [{rows}],")
    print("}")


def _literal(value: np.ndarray) -> str:
    """An array literal, two complex numbers a line."""
    items = [repr(complex(v)) for v in np.ravel(value)]
    lines = ",\n        ".join(", ".join(items[i:i + 2]) for i in range(0, len(items), 2))
    return f"np.array([\n        {lines}]).reshape{value.shape}"


if __name__ == "__main__":
    main()

"""Writes tests/fixtures/tf/max_pool_grad.{pb,npz} and max_pool3d_grad.{pb,npz}:
TensorFlow-built GraphDefs whose MaxPoolGrad and MaxPoolGradGrad (MaxPool3DGrad and
MaxPool3DGradGrad) nodes take TF's three inputs (orig_input, orig_output, grad), and TF's
values of both gradients on inputs full of ties (small integers after a ReLU), SAME
padding and odd sizes. Run with a Python that
has ``tensorflow-cpu`` (2.21 made the committed files), from the repository root:

    python tools/make_tf_max_pool_grad_fixture.py

tests/io/test_max_pool_grad_graph_def.py imports the graph and compares; the test suite
never needs TensorFlow.
"""
from __future__ import annotations

import os
from typing import Callable

import numpy as np
import tensorflow.compat.v1 as tf

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests",
                   "fixtures", "tf")


def write(name: str, pool: Callable, shape: list, pooled_shape: list) -> None:
    """Builds ``pool(relu(x))`` and its first and second gradients in TF1 graph mode, runs
    them on integer-valued inputs (ties), and writes ``<name>.pb`` and ``<name>.npz``."""
    graph = tf.Graph()
    rng = np.random.RandomState(0)
    with graph.as_default():
        x = tf.placeholder(tf.float32, shape, name="x")
        pooled = pool(tf.nn.relu(x))
        gy = tf.placeholder(tf.float32, pooled_shape, name="gy")
        dx = tf.identity(tf.gradients(pooled, x, grad_ys=gy)[0], name="dx")
        ggy = tf.placeholder(tf.float32, shape, name="ggy")
        dgy = tf.identity(tf.gradients(dx, gy, grad_ys=ggy)[0], name="dgy")
        feed = {x: np.round(rng.randn(*shape) * 2).astype(np.float32),
                gy: rng.randn(*pooled_shape).astype(np.float32),
                ggy: rng.randn(*shape).astype(np.float32)}
        with tf.Session() as sess:
            dx_value, dgy_value = sess.run([dx, dgy], feed)
    with open(os.path.join(OUT, name + ".pb"), "wb") as f:
        f.write(graph.as_graph_def().SerializeToString())
    np.savez(os.path.join(OUT, name + ".npz"), x=feed[x], gy=feed[gy], ggy=feed[ggy],
             dx=dx_value, dgy=dgy_value)


def main() -> None:
    """Writes the 2-D (MaxPoolGrad) and 3-D (MaxPool3DGrad) fixtures."""
    tf.disable_eager_execution()
    write("max_pool_grad", lambda y: tf.nn.max_pool(y, [1, 2, 2, 1], [1, 2, 2, 1], "SAME",
                                                    name="pool"),
          [2, 5, 7, 3], [2, 3, 4, 3])
    write("max_pool3d_grad", lambda y: tf.nn.max_pool3d(y, [1, 2, 2, 2, 1], [1, 2, 2, 2, 1],
                                                        "SAME", name="pool"),
          [2, 3, 5, 4, 2], [2, 2, 3, 2, 2])


if __name__ == "__main__":
    main()

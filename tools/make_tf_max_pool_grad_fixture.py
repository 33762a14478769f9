"""Writes tests/fixtures/tf/max_pool_grad.pb and max_pool_grad.npz: a TensorFlow-built
GraphDef whose MaxPoolGrad and MaxPoolGradGrad nodes take TF's three inputs
(orig_input, orig_output, grad), and TF's values of both gradients on inputs full of
ties (small integers after a ReLU), SAME padding and odd sizes. Run with a Python that
has ``tensorflow-cpu`` (2.21 made the committed files), from the repository root:

    python tools/make_tf_max_pool_grad_fixture.py

tests/io/test_max_pool_grad_graph_def.py imports the graph and compares; the test suite
never needs TensorFlow.
"""
from __future__ import annotations

import os

import numpy as np
import tensorflow.compat.v1 as tf

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests",
                   "fixtures", "tf")


def main() -> None:
    """Builds the graph in TF1 graph mode, runs it, and writes the two files."""
    tf.disable_eager_execution()
    graph = tf.Graph()
    rng = np.random.RandomState(0)
    with graph.as_default():
        x = tf.placeholder(tf.float32, [2, 5, 7, 3], name="x")
        pooled = tf.nn.max_pool(tf.nn.relu(x), [1, 2, 2, 1], [1, 2, 2, 1], "SAME",
                                name="pool")
        gy = tf.placeholder(tf.float32, [2, 3, 4, 3], name="gy")
        dx = tf.identity(tf.gradients(pooled, x, grad_ys=gy)[0], name="dx")
        ggy = tf.placeholder(tf.float32, [2, 5, 7, 3], name="ggy")
        dgy = tf.identity(tf.gradients(dx, gy, grad_ys=ggy)[0], name="dgy")
        feed = {x: np.round(rng.randn(2, 5, 7, 3) * 2).astype(np.float32),
                gy: rng.randn(2, 3, 4, 3).astype(np.float32),
                ggy: rng.randn(2, 5, 7, 3).astype(np.float32)}
        with tf.Session() as sess:
            dx_value, dgy_value = sess.run([dx, dgy], feed)
    with open(os.path.join(OUT, "max_pool_grad.pb"), "wb") as f:
        f.write(graph.as_graph_def().SerializeToString())
    np.savez(os.path.join(OUT, "max_pool_grad.npz"), x=feed[x], gy=feed[gy], ggy=feed[ggy],
             dx=dx_value, dgy=dgy_value)


if __name__ == "__main__":
    main()

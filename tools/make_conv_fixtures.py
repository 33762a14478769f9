"""Writes tests/ops/data/conv_tf1.npz: TensorFlow 1's values and gradients for the
convolution-family cases of tests/ops/conv_tf1_cases.py.

    /work/tfenv/bin/python tools/make_conv_fixtures.py    # needs tensorflow

Keys are ``<case>/<i>``: i = 0 the op's value, then one gradient per input. The tests read
the file with ``allow_pickle=False`` and never need TensorFlow.
"""
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "ops"))

from conv_tf1_cases import CASES, build  # noqa: E402


def main() -> None:
    """Runs every case under ``tensorflow.compat.v1`` graph mode and saves the results."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow.compat.v1 as tf
    tf.disable_eager_execution()
    out = {}
    for name in CASES:
        graph = tf.Graph()
        with graph.as_default():
            fetches, feed = build(tf, name)
        with tf.Session(graph=graph) as sess:
            for i, value in enumerate(sess.run(fetches, feed)):
                out[f"{name}/{i}"] = value
    path = os.path.join(ROOT, "tests", "ops", "data", "conv_tf1.npz")
    np.savez_compressed(path, **out)
    print(f"wrote {len(out)} arrays to {path}")


if __name__ == "__main__":
    main()

"""Writes tests/ops/data/conv3d_tf1.npz: TensorFlow 1's values and gradients for the cases
of tests/ops/conv3d_tf1_cases.py (3-D and rank-generic convolution and pooling, argmax
pooling, morphology, patches, fused batch norm).

    /work/tfenv/bin/python tools/make_conv3d_fixtures.py    # needs tensorflow

Keys are ``<case>/<i>``: the case's outputs, then one gradient per input (none where
TF gives None: fused_batch_norm's mean and variance inputs). Grappler is off
(it folds fused_batch_norm's statistics away when fetched). The tests read the file with
``allow_pickle=False`` and never need TensorFlow.
"""
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.ops.conv3d_tf1_cases import CASES, build  # noqa: E402


def main() -> None:
    """Runs every case under ``tensorflow.compat.v1`` graph mode and saves the results."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow.compat.v1 as tf
    from tensorflow.core.protobuf import rewriter_config_pb2
    tf.disable_eager_execution()
    rewrites = rewriter_config_pb2.RewriterConfig(disable_meta_optimizer=True)
    config = tf.ConfigProto(graph_options=tf.GraphOptions(rewrite_options=rewrites))
    out = {}
    for name in CASES:
        graph = tf.Graph()
        with graph.as_default():
            fetches, feed = build(tf, name)
        kept = [i for i, t in enumerate(fetches) if t is not None]
        with tf.Session(graph=graph, config=config) as sess:
            values = sess.run([fetches[i] for i in kept], feed)
        for i, value in zip(kept, values):
            out[f"{name}/{i}"] = value
    path = os.path.join(ROOT, "tests", "ops", "data", "conv3d_tf1.npz")
    np.savez_compressed(path, **out)
    print(f"wrote {len(out)} arrays to {path}")


if __name__ == "__main__":
    main()

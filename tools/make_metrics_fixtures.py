"""Writes TensorFlow's values for the tf.metrics cases of tests/metrics/metrics_tf1_cases.py
to tests/metrics/data/metrics_tf1.npz.

    /work/tfenv/bin/python tools/make_metrics_fixtures.py    # needs tensorflow

The tests read the file with ``allow_pickle=False`` and never need TensorFlow.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "metrics"))

from metrics_tf1_cases import CASES, run_case  # noqa: E402

if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import numpy as np
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    out = {}
    for case in CASES:
        out.update(run_case(tf, case))
    path = os.path.join(ROOT, "tests", "metrics", "data", "metrics_tf1.npz")
    np.savez_compressed(path, **out)
    print(f"wrote {len(out)} arrays to {path}")

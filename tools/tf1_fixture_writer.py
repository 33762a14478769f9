"""Runs TF1-API case builders in TensorFlow's graph mode and writes their fetched values to
``tests/ops/data/<name>.npz`` (keys ``<case>/<i>``), for fixture scripts in tools/."""
from __future__ import annotations

import os
from typing import Any, Callable

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write_fixtures(name: str, cases: dict[str, Callable[[Any], list]]) -> None:
    """``cases[case](tf)`` builds a list of fetches in a fresh graph; saves their values."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow.compat.v1 as tf
    tf.disable_eager_execution()
    out = {}
    for case, build in cases.items():
        graph = tf.Graph()
        with graph.as_default():
            fetches = build(tf)
        with tf.Session(graph=graph) as sess:
            for i, value in enumerate(sess.run(fetches)):
                out[f"{case}/{i}"] = value
    path = os.path.join(ROOT, "tests", "ops", "data", f"{name}.npz")
    np.savez_compressed(path, **out)
    print(f"wrote {len(out)} arrays to {path}")

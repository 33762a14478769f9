"""Records TensorFlow's values for tests/ops/tf_fidelity_cases.py into
tests/fixtures/tf_nn_ops.json (run with a TensorFlow install; the tests never import it):

    /work/tfenv/bin/python tools/tf_nn_fixtures.py
"""
from __future__ import annotations

import json
import pathlib
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "tf_nn_ops.json"


def _as_json(value: np.ndarray) -> dict:
    value = np.asarray(value)
    return {"dtype": value.dtype.name, "shape": list(value.shape),
            "values": [None if np.isnan(v) else v for v in value.astype(float).ravel()]
            if value.dtype.kind == "f" else value.astype(float).ravel().tolist()}


def main() -> None:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    sys.path.insert(0, str(ROOT))
    from tests.ops.tf_fidelity_cases import CASES
    records = {}
    for name, build, _ in CASES:
        graph = tf.Graph()
        with graph.as_default(), tf.Session(graph=graph) as sess:
            built = build(tf)
            values = sess.run(built if isinstance(built, list) else [built])
        records[name] = [_as_json(v) for v in values]
    OUT.write_text(json.dumps({"tensorflow": tf.__version__, "cases": records}, indent=0,
                              sort_keys=True) + "\n")
    print(f"wrote {len(records)} cases to {OUT}")


if __name__ == "__main__":
    main()

"""Records TensorFlow's values for tests/ops/sparse_tf_cases.py into
tests/fixtures/tf_sparse_ops.json (run with a TensorFlow install; the tests never import
it):

    /work/tfenv/bin/python tools/tf_sparse_fixtures.py
"""
from __future__ import annotations

import json
import pathlib
import sys
from typing import Any, Callable

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "tf_sparse_ops.json"


def _record(value: Any, numeric: Callable[[Any], dict]) -> dict:
    """A JSON record of one array; string arrays keep their text (``dtype: "bytes"``)."""
    value = np.asarray(value)
    if value.dtype.kind in "OSU":
        return {"dtype": "bytes", "shape": list(value.shape),
                "values": [v.decode() if isinstance(v, bytes) else str(v)
                           for v in value.ravel()]}
    return numeric(value)


def main() -> None:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tools"))
    from tf_nn_fixtures import _as_json
    from tests.ops.sparse_tf_cases import CASES
    records = {}
    for name, build in CASES:
        graph = tf.Graph()
        with graph.as_default(), tf.Session(graph=graph) as sess:
            built = build(tf)
            values = sess.run(built if isinstance(built, list) else [built])
        flat = [part for v in values
                for part in (v if isinstance(v, tf.SparseTensorValue) else [v])]
        records[name] = [_record(v, _as_json) for v in flat]
    OUT.write_text(json.dumps({"tensorflow": tf.__version__, "cases": records}, indent=0,
                              sort_keys=True) + "\n")
    print(f"wrote {len(records)} cases to {OUT}")


if __name__ == "__main__":
    main()

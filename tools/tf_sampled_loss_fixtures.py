"""Records TensorFlow's values for tests/ops/sampled_loss_cases.py (nce_loss and
sampled_softmax_loss with fixed sampled values, and their gradients) into
tests/fixtures/tf_sampled_losses.json (run with a TensorFlow install; the tests never
import it):

    /work/tfenv/bin/python tools/tf_sampled_loss_fixtures.py
"""
from __future__ import annotations

import json
import pathlib
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "tf_sampled_losses.json"


def main() -> None:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    sys.path.insert(0, str(ROOT))
    from tests.ops.sampled_loss_cases import CASES
    records = {}
    for name, build in CASES:
        graph = tf.Graph()
        with graph.as_default(), tf.Session(graph=graph) as sess:
            values = sess.run(build(tf))
        records[name] = [np.asarray(v, np.float64).tolist() for v in values]
    OUT.write_text(json.dumps({"tensorflow": tf.__version__, "cases": records}, indent=0,
                              sort_keys=True) + "\n")
    print(f"wrote {len(records)} cases to {OUT}")


if __name__ == "__main__":
    main()

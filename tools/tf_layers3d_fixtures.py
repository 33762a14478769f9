"""Records what TensorFlow's ``compat.v1`` layers give for tests/layers/layer_cases_3d.py
(3-D convolutions and pooling, separable convolutions).

    TF_USE_LEGACY_KERAS=1 /work/tfenv/bin/python tools/tf_layers3d_fixtures.py

and commit the written tests/layers/fixtures/tf_layers_3d.json. The test suite never
imports TensorFlow; it rebuilds each case with staticgraph and compares.
"""
from __future__ import annotations

import json
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "tests" / "layers" / "fixtures" / "tf_layers_3d.json"


def main() -> None:
    """Runs every case and records the signatures under TensorFlow."""
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    from tests.layers.layer_cases import run_case
    from tests.layers.layer_cases_3d import CASES, SIGNATURES
    from tools.tf_layers_fixtures import signature_of
    fixture = {
        "tensorflow": tf.__version__,
        "cases": {name: run_case(tf, name, CASES) for name in CASES},
        "signatures": {name: signature_of(getattr(tf.layers, name)) for name in SIGNATURES},
    }
    OUT.write_text(json.dumps(fixture, sort_keys=True) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()

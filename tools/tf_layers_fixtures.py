"""Records what TensorFlow's ``compat.v1`` layers give for tests/layers/layer_cases.py.

Run with the TensorFlow install (legacy Keras provides ``tf.compat.v1.layers``)::

    TF_USE_LEGACY_KERAS=1 /work/tfenv/bin/python tools/tf_layers_fixtures.py

and commit the written tests/layers/fixtures/tf_layers.json. The test suite never
imports TensorFlow; it rebuilds each case with staticgraph and compares.
"""
from __future__ import annotations

import inspect
import json
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "tests" / "layers" / "fixtures" / "tf_layers.json"


def describe_default(value: object) -> object:
    """A JSON form of a default: plain values as they are, objects by class name."""
    if value is inspect.Parameter.empty:
        return {"required": True}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, tuple) and all(isinstance(v, (int, float)) for v in value):
        return list(value)
    return {"class": type(value).__name__}


def signature_of(obj: object) -> list:
    """[[name, default], ...] of a function or a class's __init__ (without self)."""
    target = obj.__init__ if inspect.isclass(obj) else obj
    params = inspect.signature(target).parameters.values()
    return [[p.name, describe_default(p.default)] for p in params
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def main() -> None:
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    from tests.layers.layer_cases import CASES, SIGNATURES, run_case
    fixture = {
        "tensorflow": tf.__version__,
        "cases": {name: run_case(tf, name) for name in CASES},
        "signatures": {name: signature_of(getattr(tf.layers, name)) for name in SIGNATURES},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, sort_keys=True) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()

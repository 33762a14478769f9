"""Writes tests/data/fixtures/tf_interleave.json: TensorFlow's element order for the
interleave / flat_map pipelines of tests/data/interleave_cases.py.

Run with a TensorFlow install (the tests only read the JSON):
    /work/tfenv/bin/python tools/make_interleave_fixtures.py
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.data.interleave_cases import run_cases  # noqa: E402

OUT = ROOT / "tests/data/fixtures/tf_interleave.json"


def main() -> None:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    data = {"generated_by": "tools/make_interleave_fixtures.py with TensorFlow "
                            + tf.__version__,
            "cases": run_cases(tf)}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()

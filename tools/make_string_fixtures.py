"""Writes tests/ops/data/string_tf1.json: TensorFlow 1's values for the string-op cases
of tests/ops/string_tf1_cases.py.

    /work/tfenv/bin/python tools/make_string_fixtures.py    # needs tensorflow

Each case maps to ``{"value": ...}`` (see ``string_tf1_cases.to_json``) or, when TF
refuses it, ``{"error": "build"}`` (raised while building the graph) or
``{"error": "run"}`` (an ``InvalidArgumentError`` while running it).
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "ops"))

from string_tf1_cases import CASES, to_json  # noqa: E402


def run_case(tf, build) -> dict:
    """The fixture entry of one case run under ``tensorflow.compat.v1``."""
    graph = tf.Graph()
    with graph.as_default():
        try:
            fetch, feed = build(tf)
        except (ValueError, TypeError):
            return {"error": "build"}
        with tf.Session(graph=graph) as sess:
            try:
                return {"value": to_json(sess.run(fetch, feed))}
            except tf.errors.InvalidArgumentError:
                return {"error": "run"}


def main() -> None:
    """Runs every case under TF graph mode and writes the fixture file."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    out = {name: run_case(tf, build) for name, build in CASES.items()}
    path = os.path.join(ROOT, "tests", "ops", "data", "string_tf1.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"tensorflow": tf.__version__, "cases": out}, f, indent=0, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(out)} cases to {path}")


if __name__ == "__main__":
    main()

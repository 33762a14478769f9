"""Writes tests/train/fixtures/tf1_training.json: TensorFlow 1's numbers for the
optimizers, learning-rate schedules and moving averages of staticgraph/train (issue 16).

Run with a TensorFlow install (the tests only read the JSON):
    /work/tfenv/bin/python tools/make_training_fixtures.py
The cases and the code running them are in tests/train/tf1_cases.py, which
tests/train/test_tf1_fixtures.py runs again with staticgraph.
"""
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from tests.train.tf1_cases import (EMA_CASES, OPTIMIZER_CASES, SCHEDULE_CASES,  # noqa: E402
                                   ema_path, optimizer_path, schedule_values)

OUT = pathlib.Path(__file__).resolve().parents[1] / "tests/train/fixtures/tf1_training.json"


def main() -> None:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    data = {"generated_by": "tools/make_training_fixtures.py with TensorFlow " + tf.__version__,
            "optimizers": {label: optimizer_path(tf, label) for label in OPTIMIZER_CASES},
            "schedules": {label: schedule_values(tf, label) for label in SCHEDULE_CASES},
            "ema": {label: ema_path(tf, label) for label in EMA_CASES}}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()

"""Writes tests/ops/data/linear_operator_tf1.npz: TensorFlow's values and gradients for
the LinearOperator cases of tests/ops/linear_operator_tf1_cases.py.

    /work/tfenv/bin/python tools/make_linear_operator_fixtures.py    # needs tensorflow
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tests", "ops"))

from linear_operator_tf1_cases import CASES  # noqa: E402
from tf1_fixture_writer import write_fixtures  # noqa: E402

if __name__ == "__main__":
    write_fixtures("linear_operator_tf1", CASES)

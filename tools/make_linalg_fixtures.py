"""Writes tests/ops/data/linalg_tf1.npz: TensorFlow's values (and gradients) for the matrix
function, LU and tridiagonal cases of tests/ops/linalg_tf1_cases.py.

    /work/tfenv/bin/python tools/make_linalg_fixtures.py    # needs tensorflow

The tests read the file with ``allow_pickle=False`` and never need TensorFlow.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tests", "ops"))

from linalg_tf1_cases import CASES  # noqa: E402
from tf1_fixture_writer import write_fixtures  # noqa: E402

if __name__ == "__main__":
    write_fixtures("linalg_tf1", CASES)

"""Writes TensorFlow's values and gradients for the linear-algebra cases of tests/ops:
tests/ops/data/linalg_tf1.npz (matrix functions, LU, tridiagonal; linalg_tf1_cases.py),
linear_operator_tf1.npz (the LinearOperator family; linear_operator_tf1_cases.py) and
fft_tf1.npz (complex numbers and FFTs; fft_tf1_cases.py).

    /work/tfenv/bin/python tools/make_linalg_fixtures.py    # needs tensorflow

The tests read the files with ``allow_pickle=False`` and never need TensorFlow.
"""
import importlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tests", "ops"))

from tf1_fixture_writer import write_fixtures  # noqa: E402

FIXTURES = {"linalg_tf1": "linalg_tf1_cases", "linear_operator_tf1":
            "linear_operator_tf1_cases", "fft_tf1": "fft_tf1_cases"}

if __name__ == "__main__":
    for fixture, cases in FIXTURES.items():
        write_fixtures(fixture, importlib.import_module(cases).CASES)

"""Reading the committed TensorFlow fixtures (``tests/ops/data/<name>.npz``, written by
scripts in tools/): plain arrays only, never pickles."""
from __future__ import annotations

import os

import numpy as np

DATA = os.path.join(os.path.dirname(__file__), "data")


def load(name: str) -> dict[str, np.ndarray]:
    """Every array of ``tests/ops/data/<name>.npz`` by key."""
    with np.load(os.path.join(DATA, f"{name}.npz"), allow_pickle=False) as data:
        return dict(data)

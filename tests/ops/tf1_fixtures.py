"""Reading the committed TensorFlow fixtures (``tests/ops/data/<name>.npz``, written by
scripts in tools/): plain arrays only, never pickles."""
from __future__ import annotations

import functools
import os
from typing import Any, Callable

import numpy as np

import staticgraph as tf

DATA = os.path.join(os.path.dirname(__file__), "data")


@functools.lru_cache(maxsize=None)
def load(name: str) -> dict[str, np.ndarray]:
    """Every array of ``tests/ops/data/<name>.npz`` by key."""
    with np.load(os.path.join(DATA, f"{name}.npz"), allow_pickle=False) as data:
        return dict(data)


def assert_case_matches(fixture: str, case: str, build: Callable[[Any], list],
                        tolerance: float = 1e-9) -> None:
    """Runs ``build(staticgraph)`` in a fresh graph and compares every fetch (and its
    dtype) with TensorFlow's ``<case>/<i>`` arrays of the fixture file."""
    expected = load(fixture)
    with tf.Graph().as_default(), tf.Session() as sess:
        got = sess.run(build(tf))
    for i, value in enumerate(got):
        want = expected[f"{case}/{i}"]
        assert np.asarray(value).dtype == want.dtype, (case, i, value.dtype, want.dtype)
        single = want.dtype in (np.float32, np.complex64)  # TF's kernels round differently
        tol = max(tolerance, 1e-5) if single else tolerance
        np.testing.assert_allclose(value, want, rtol=tol, atol=tol, err_msg=f"{case}/{i}")

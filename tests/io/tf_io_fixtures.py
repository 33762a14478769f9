"""Reads tests/io/fixtures/tf_io.json (TensorFlow's results, tools/make_io_fixtures.py)."""
import json
import pathlib

import numpy as np

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
DATA = json.loads((FIXTURES / "tf_io.json").read_text())
RESULTS = DATA["results"]


def decoded(entry):
    """The array a fixture entry describes (a list of them for a sparse triple)."""
    if isinstance(entry, list):
        return [decoded(e) for e in entry]
    if "bytes_hex" in entry:
        out = np.empty(len(entry["bytes_hex"]), dtype=object)
        out[:] = [bytes.fromhex(h) for h in entry["bytes_hex"]]
        return out.reshape(entry["shape"])
    return np.array(entry["values"], dtype=entry["dtype"]).reshape(entry["shape"])


def assert_same(got, expected):
    """``got`` (an array, or a sparse value) equals the fixture entry, dtype included."""
    if isinstance(expected, list):
        parts = [got.indices, got.values, got.dense_shape]
        for part, want in zip(parts, expected):
            assert_same(part, want)
        return
    want = decoded(expected)
    got = np.asarray(got, dtype=object if want.dtype == object else None)
    assert got.shape == want.shape
    if want.dtype != object:
        assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)

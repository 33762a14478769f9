"""tf.image results against TensorFlow's, stored by tools/image_tf_fixture.py."""
import pathlib

import numpy as np
import pytest

import staticgraph as tf
from tests.image.image_cases import (RESIZE_CASES, crop_fetches, draw_fetches,
                                     function_fetches, image_inputs, nms_fetches,
                                     resize_fetches)

FIXTURE = pathlib.Path(__file__).parent / "data" / "tf_image_fixture.npz"
with np.load(FIXTURE, allow_pickle=False) as _data:
    EXPECTED = dict(_data)
INPUTS = image_inputs()


def _assert_matches(key: str, value: np.ndarray, atol: float = 2e-6) -> None:
    expected = EXPECTED[key]
    assert value.dtype == expected.dtype, (key, value.dtype, expected.dtype)
    assert value.shape == expected.shape, (key, value.shape, expected.shape)
    if expected.dtype.kind in "iu":
        # float32 rounding differs from TF's by ulps: an integer may differ by one
        assert np.abs(value.astype(np.int64) - expected).max(initial=0) <= 1, key
    else:
        # TF sums in float32 in its own order: errors scale with the largest value
        scale = max(1.0, float(np.abs(expected).max(initial=0)))
        np.testing.assert_allclose(value, expected, rtol=1e-5, atol=atol * scale, err_msg=key)


def _run(fetches: dict) -> dict:
    with tf.Session() as sess:
        return sess.run(fetches)


@pytest.mark.parametrize("key", sorted(RESIZE_CASES))
def test_resize_kernels_match_tf(key):
    with tf.Graph().as_default():
        values = _run(resize_fetches(tf, INPUTS, key))
    assert len(values) == (2 if key.startswith("area") else 3)
    for name, value in values.items():
        _assert_matches(name, value, atol=1e-5 if "grad" in name else 2e-6)
        if key.startswith("nearest") and "uint8" in name:  # a selection: exact
            np.testing.assert_array_equal(value, EXPECTED[name])


@pytest.mark.parametrize("fetches, count", [(function_fetches, 33), (crop_fetches, 11),
                                            (nms_fetches, 4), (draw_fetches, 3)],
                         ids=["functions", "crop_and_resize", "non_max_suppression",
                              "draw_bounding_boxes"])
def test_image_functions_match_tf(fetches, count):
    with tf.Graph().as_default():
        values = _run(fetches(tf, INPUTS))
    assert len(values) == count
    for key, value in values.items():
        if isinstance(value, tuple):  # (indices, scores)
            np.testing.assert_array_equal(value[0], EXPECTED[key + "/indices"])
            np.testing.assert_allclose(value[1], EXPECTED[key + "/scores"], rtol=1e-5)
        elif key.startswith(("nms/", "draw/")):
            np.testing.assert_array_equal(value, EXPECTED[key])
        else:
            _assert_matches(key, np.asarray(value), atol=1e-5)

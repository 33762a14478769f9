"""tf.image results against TensorFlow's, stored by tools/image_tf_fixture.py."""
import pathlib

import numpy as np
import pytest

import staticgraph as tf
from tests.image.image_cases import RESIZE_CASES, image_inputs

FIXTURE = pathlib.Path(__file__).parent / "data" / "tf_image_fixture.npz"
with np.load(FIXTURE, allow_pickle=False) as _data:
    EXPECTED = dict(_data)
INPUTS = image_inputs()
RESIZERS = {"bilinear": tf.image.resize_bilinear, "nearest": tf.image.resize_nearest_neighbor,
            "bicubic": tf.image.resize_bicubic, "area": tf.image.resize_area}


def _run(fetches: dict) -> dict:
    with tf.Session() as sess:
        return sess.run(fetches)


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


@pytest.mark.parametrize("key", sorted(RESIZE_CASES))
def test_resize_kernels_match_tf(key):
    method, size, align, half = RESIZE_CASES[key]
    kwargs = {"align_corners": align}
    if method != "area":
        kwargs["half_pixel_centers"] = half
    with tf.Graph().as_default():
        floats = tf.constant(INPUTS["float"])
        out = RESIZERS[method](floats, size, **kwargs)
        fetches = {f"resize/{key}": out,
                   f"resize_uint8/{key}": RESIZERS[method](tf.constant(INPUTS["uint8"]), size,
                                                           **kwargs)}
        if method != "area":
            fetches[f"resize_grad/{key}"] = tf.gradients(
                out, floats, grad_ys=tf.constant(INPUTS["seed"][key]))[0]
        for name, value in _run(fetches).items():
            # nearest neighbour on uint8 must be exact; the rest within float32 rounding
            _assert_matches(name, value, atol=1e-5 if "grad" in name else 2e-6)
            if method == "nearest" and "uint8" in name:
                np.testing.assert_array_equal(value, EXPECTED[name])


def test_image_functions_match_tf():
    img = tf.image
    with tf.Graph().as_default():
        floats = tf.constant(INPUTS["float"])
        ints = tf.constant(INPUTS["uint8"])
        fetches = {
            "resize_images_pad": img.resize_image_with_pad(floats, 7, 4),
            "resize_images_aspect": img.resize_images(floats, [9, 9],
                                                      preserve_aspect_ratio=True),
            "crop_or_pad": img.resize_image_with_crop_or_pad(floats, 3, 9),
            "central_crop": img.central_crop(floats, 0.6),
            "rot90_1": img.rot90(floats, 1), "rot90_3": img.rot90(floats, 3),
            "to_uint8": img.convert_image_dtype(floats * 1.2 - 0.1, tf.uint8, saturate=True),
            "to_float": img.convert_image_dtype(ints, tf.float32),
            "uint8_to_int32": img.convert_image_dtype(ints, tf.int32),
            "int32_to_uint8": img.convert_image_dtype(
                img.convert_image_dtype(ints, tf.int32), tf.uint8),
            "standardized": img.per_image_standardization(ints),
            "gray_uint8": img.rgb_to_grayscale(ints), "gray": img.rgb_to_grayscale(floats),
            "yiq": img.rgb_to_yiq(floats), "yuv_back": img.yuv_to_rgb(img.rgb_to_yuv(floats)),
            "brightness_uint8": img.adjust_brightness(ints, 0.2),
            "contrast_uint8": img.adjust_contrast(ints, 1.7),
            "contrast": img.adjust_contrast(floats, 0.4),
            "gamma": img.adjust_gamma(floats, 2.2, 1.1),
            "gamma_uint8": img.adjust_gamma(ints, 0.5),
            "total_variation": img.total_variation(floats),
            "image_gradients_dx": img.image_gradients(floats)[1],
            "sobel": img.sobel_edges(floats),
            "psnr_uint8": img.psnr(ints, tf.constant(INPUTS["uint8_b"]), 255),
            "hsv": img.rgb_to_hsv(floats), "hsv_back": img.hsv_to_rgb(tf.constant(INPUTS["hsv"])),
            "hue": img.adjust_hue(floats, 0.37), "hue_uint8": img.adjust_hue(ints, -0.2),
            "saturation": img.adjust_saturation(floats, 1.8),
            "saturation_uint8": img.adjust_saturation(ints, 0.3),
            "ssim": img.ssim(tf.constant(INPUTS["large"]), tf.constant(INPUTS["large_b"]), 1.0),
            "ssim_uint8": img.ssim(ints, tf.constant(INPUTS["uint8_b"]), 255, filter_size=3),
            "ms_ssim": img.ssim_multiscale(tf.constant(INPUTS["large"]),
                                           tf.constant(INPUTS["large_b"]), 1.0, filter_size=3),
        }
        values = _run(fetches)
    for key, value in values.items():
        _assert_matches(key, np.asarray(value), atol=1e-5)

"""PNG codecs: TensorFlow's PNG files decoded as TF decodes them, round trips, palette
files and errors."""
import struct
import zlib

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.io.image_codecs import is_png
from tests.image.image_cases import png_decodes, png_images
from tests.image.test_tf_fixture import EXPECTED

TF_PNGS = {key[len("png_file/"):]: value.tobytes() for key, value in EXPECTED.items()
           if key.startswith("png_file/")}


def test_tf_encoded_files_decode_as_tf_decodes_them():
    assert len(TF_PNGS) == 5
    with tf.Graph().as_default(), tf.Session() as sess:
        values = sess.run(png_decodes(tf, TF_PNGS))
    assert len(values) == 30
    for key, value in values.items():
        expected = EXPECTED[key]
        assert value.dtype == expected.dtype and value.shape == expected.shape, key
        if key.endswith("float"):
            np.testing.assert_allclose(value, expected, rtol=1e-6, err_msg=key)
        elif key.startswith("png/rgb") and "16" in key and key[-1] in "1":
            # libpng's 16-bit RGB to grey goes through gamma tables: within one level
            assert np.abs(value.astype(int) - expected).max() <= 1, key
        else:
            np.testing.assert_array_equal(value, expected, err_msg=key)


@pytest.mark.parametrize("key", sorted(png_images()))
def test_encode_then_decode_round_trips(key):
    image = png_images()[key]
    with tf.Graph().as_default():
        encoded = tf.image.encode_png(image, compression=9)
        decoded = tf.image.decode_png(encoded, dtype=tf.as_dtype(image.dtype))
        assert encoded.dtype == tf.string and decoded.shape.as_list() == [None, None, None]
        with tf.Session() as sess:
            data, value, png, jpeg = sess.run([encoded, decoded, is_png(encoded),
                                               tf.image.is_jpeg(encoded)])
    np.testing.assert_array_equal(value, image)
    assert data.startswith(b"\x89PNG") and png and not jpeg


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(
        ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def test_palette_file_with_transparency():
    palette = np.array([[255, 0, 0], [0, 255, 0], [0, 0, 255]], np.uint8)
    indices = np.array([[0, 1, 2], [2, 2, 1]], np.uint8)
    rows = np.concatenate([np.zeros((2, 1), np.uint8), indices], axis=1)
    data = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 3, 2, 8, 3, 0, 0, 0))
            + _chunk(b"PLTE", palette.tobytes()) + _chunk(b"tRNS", bytes([128]))
            + _chunk(b"IDAT", zlib.compress(rows.tobytes())) + _chunk(b"IEND", b""))
    with tf.Graph().as_default(), tf.Session() as sess:
        rgba, rgb = sess.run([tf.image.decode_png(data), tf.image.decode_png(data, 3)])
    np.testing.assert_array_equal(rgb, palette[indices])
    np.testing.assert_array_equal(rgba[..., 3], np.where(indices == 0, 128, 255))


def test_bad_files_fail_naming_the_op():
    with tf.Graph().as_default():
        contents = tf.placeholder(tf.string, [])
        decoded = tf.image.decode_png(contents)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="DecodePng.*signature"):
                sess.run(decoded, {contents: b"GIF89a"})
            interlaced = (b"\x89PNG\r\n\x1a\n"
                          + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 1)))
            with pytest.raises(tf.errors.InvalidArgumentError, match="interlace 1"):
                sess.run(decoded, {contents: interlaced})
        with pytest.raises(ValueError, match="EncodePng: image must be a 3-D uint8"):
            tf.image.encode_png(tf.zeros([2, 2, 3]))


def test_codecs_are_also_tf_io_names():
    """TF1 offers the codecs under tf.io too; a PNG written there reads back here."""
    assert (tf.io.decode_png, tf.io.encode_png, tf.io.decode_image, tf.io.is_jpeg) == (
        tf.image.decode_png, tf.image.encode_png, tf.image.decode_image, tf.image.is_jpeg)

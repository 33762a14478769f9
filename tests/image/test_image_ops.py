"""tf.image: gradients of the resize ops (float64 finite differences, both modes), static
shapes, TF1's names and the errors for bad input."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case
from staticgraph.ops.image_crop_ops import crop_and_resize_op
from staticgraph.ops.image_resize_ops import resize_op, resize_weights

RNG = np.random.RandomState(7)


def _resize(method, size, align=False, half=False):
    return lambda x: resize_op(x, size, method, align, half, dtype=tf.float64)


def _crop_grad_image(dy):
    """The image gradient of a crop as a function of the output gradient ``dy``."""
    image = tf.ones([1, 4, 5, 2], tf.float64)
    boxes = tf.constant([[0.1, 0.2, 0.7, 0.9]], tf.float64)
    out = crop_and_resize_op(image, boxes, [0], [3, 2], dtype=tf.float64)
    return tf.gradients(out, image, grad_ys=dy)[0]


GRADIENT_CASES = [
    GradCase("resize_bilinear_up", _resize("bilinear", [5, 7]), [RNG.randn(2, 3, 4, 2)],
             order=2),
    GradCase("resize_bilinear_half_pixel_down", _resize("bilinear", [2, 3], half=True),
             [RNG.randn(1, 5, 4, 2)], order=2),
    GradCase("resize_nearest_align", _resize("nearest", [4, 6], align=True),
             [RNG.randn(1, 3, 4, 1)], order=2),
    GradCase("resize_bicubic_half_pixel", _resize("bicubic", [6, 5], half=True),
             [RNG.randn(1, 4, 3, 2)], order=2),
    GradCase("resize_bicubic_legacy", _resize("bicubic", [3, 5]), [RNG.randn(1, 4, 3, 1)]),
    GradCase("resize_area", _resize("area", [2, 3]), [RNG.randn(1, 5, 4, 2)]),
    # ResizeImageGrad in the forward graph: the VJP of a resize as a function of (x, dy)
    GradCase("resize_bicubic_grad", lambda x, dy: tf.gradients(
        _resize("bicubic", [5, 2], half=True)(x), x, grad_ys=dy)[0],
        [RNG.randn(1, 3, 4, 2), RNG.randn(1, 5, 2, 2)], order=2),
    GradCase("rot90_crop_or_pad", lambda x: tf.image.resize_image_with_crop_or_pad(
        tf.image.rot90(x, 1), 2, 7), [RNG.randn(4, 5, 2)]),
    GradCase("yiq_total_variation", lambda x: tf.image.total_variation(
        tf.image.rgb_to_yiq(x)), [RNG.randn(2, 3, 4, 3)]),
    GradCase("sobel_edges", tf.image.sobel_edges, [RNG.randn(1, 4, 5, 2)]),
    # boxes whose sample points fall between pixels (a kink at whole pixels)
    GradCase("crop_and_resize_bilinear", lambda im, boxes: crop_and_resize_op(
        im, boxes, [0, 1, 1], [3, 4], extrapolation_value=0.25, dtype=tf.float64),
        [RNG.randn(2, 5, 6, 2), np.array([[0.13, 0.07, 0.81, 0.93], [-0.31, 0.52, 1.27, 0.41],
                                          [0.66, 0.11, 0.23, 0.78]])]),
    GradCase("crop_and_resize_nearest", lambda im: crop_and_resize_op(
        im, tf.constant([[0.13, 0.07, 0.81, 0.93]], tf.float64), [1], [2, 3],
        method="nearest", dtype=tf.float64), [RNG.randn(2, 4, 5, 1)], order=2),
    GradCase("crop_and_resize_grad_image", _crop_grad_image, [RNG.randn(1, 3, 2, 2)],
             order=2),
    # distinct channels away from ties and sector edges (where the selects switch)
    GradCase("rgb_to_hsv", tf.image.rgb_to_hsv,
             [np.array([[[0.9, 0.2, 0.5], [0.1, 0.7, 0.3]], [[0.3, 0.4, 0.8], [0.6, 0.5, 0.1]]])]),
    GradCase("hsv_to_rgb", tf.image.hsv_to_rgb,
             [np.array([[[0.05, 0.4, 0.7], [0.3, 0.9, 0.5]], [[0.55, 0.2, 0.8], [0.9, 0.6, 0.4]]])]),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


@pytest.mark.parametrize("method", ["bilinear", "nearest", "bicubic", "area"])
def test_weight_rows_sum_to_one(method):
    for align, half in ((False, False), (True, False), (False, True)):
        weights = resize_weights(method, 7, 4, align, half)
        np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-6)


def test_resize_static_shapes_and_names():
    with tf.Graph().as_default():
        images = tf.placeholder(tf.uint8, [None, 8, 6, 3])
        size = tf.placeholder(tf.int32, [2])
        assert tf.image.resize_images(images, size).shape.as_list() == [None, None, None, 3]
        out = tf.image.resize_images(images, [4, 5])
        assert out.op.name == "resize_1/ResizeBilinear" and out.dtype == tf.float32
        assert out.shape.as_list() == [None, 4, 5, 3]
        same = tf.image.resize_images(images, [8, 6], method=tf.image.ResizeMethod.AREA)
        assert same is images  # TF1 skips a resize to the same static size
        nearest = tf.image.resize_nearest_neighbor(images, [2, 2])
        assert nearest.dtype == tf.uint8 and nearest.op.name == "ResizeNearestNeighbor"
        single = tf.image.resize(images[0], [3, 3], method="bicubic")
        assert single.shape.as_list() == [3, 3, 3]
        with tf.Session() as sess:
            value = sess.run(tf.image.resize_images(images, size),
                             {images: np.zeros((2, 8, 6, 3), np.uint8), size: [5, 4]})
        assert value.shape == (2, 5, 4, 3)


def test_bad_input_errors_name_the_op_and_shapes():
    with tf.Graph().as_default():
        vector = tf.placeholder(tf.float32, [4])
        with pytest.raises(ValueError, match=r"resize_images.*3 or 4 dimensions.*\(4,\)"):
            tf.image.resize_images(vector, [2, 2])
        image = tf.placeholder(tf.float32, [5, 6, 3])
        with pytest.raises(ValueError, match="size must be a 1-D int32"):
            tf.image.resize_images(image, [2, 2, 2])
        with pytest.raises(ValueError, match="align_corners must be False"):
            tf.image.resize_bilinear(image[None], [2, 2], align_corners=True,
                                     half_pixel_centers=True)
        with pytest.raises(ValueError, match=r"crop_to_bounding_box.*does not fit.*5, 6, 3"):
            tf.image.crop_to_bounding_box(image, 2, 0, 4, 6)
        with pytest.raises(ValueError, match=r"pad_to_bounding_box.*does not fit"):
            tf.image.pad_to_bounding_box(image, 1, 1, 5, 9)
        with pytest.raises(ValueError, match=r"central_fraction must be within \(0, 1\]"):
            tf.image.central_crop(image, 1.5)
        with pytest.raises(ValueError, match="last dimension of images must be 3"):
            tf.image.rgb_to_grayscale(tf.placeholder(tf.float32, [5, 6, 4]))
        with pytest.raises(ValueError, match="random_contrast: upper must be > lower"):
            tf.image.random_contrast(image, 0.5, 0.5)
        size = tf.placeholder(tf.int32, [2])
        out = tf.image.resize_bilinear(image[None], size)
        with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                                 match=r"ResizeBilinear.*size must.*\[0, 3\]"):
            sess.run(out, {image: np.zeros((5, 6, 3)), size: [0, 3]})


def _flip_draws(flip, images, seed, runs=12):
    """Which of ``runs`` runs of a seeded flip (in a fresh graph) flipped each image."""
    with tf.Graph().as_default():
        out = flip(tf.constant(images), seed=seed)
        with tf.Session() as sess:
            values = [sess.run(out) for _ in range(runs)]
    return values


@pytest.mark.parametrize("flip, axis", [(tf.image.random_flip_left_right, 1),
                                        (tf.image.random_flip_up_down, 0)])
def test_random_flips_are_seeded_and_per_image(flip, axis):
    batch = RNG.rand(3, 4, 5, 2)
    first = _flip_draws(flip, batch, seed=3)
    again = _flip_draws(flip, batch, seed=3)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    flipped = np.flip(batch, axis=axis + 1)
    seen = set()
    for value in first:
        for i in range(3):
            is_flipped = np.array_equal(value[i], flipped[i])
            assert is_flipped or np.array_equal(value[i], batch[i])
            seen.add(is_flipped)
    assert seen == {True, False}  # 36 fair draws: both outcomes occur
    single = _flip_draws(flip, batch[0], seed=5)
    assert {np.array_equal(v, np.flip(batch[0], axis)) for v in single} == {True, False}


def test_random_brightness_draws_one_delta_per_run():
    image = RNG.rand(4, 4, 3).astype(np.float32)
    with tf.Graph().as_default():
        out = tf.image.random_brightness(tf.constant(image), 0.3, seed=1)
        with tf.Session() as sess:
            deltas = [sess.run(out) - image for _ in range(4)]
    for delta in deltas:
        assert np.ptp(delta) < 1e-6 and abs(delta.flat[0]) <= 0.3
    assert len({round(float(d.flat[0]), 5) for d in deltas}) == 4


def test_random_crop_draws_valid_blocks_and_checks_sizes():
    value = np.arange(5 * 6 * 2).reshape(5, 6, 2)
    with tf.Graph().as_default():
        crop = tf.random_crop(value, [3, 4, 2], seed=2)
        assert crop.shape.as_list() == [3, 4, 2] and crop.op.name == "random_crop"
        with tf.Session() as sess:
            crops = [sess.run(crop) for _ in range(20)]
        placeholder = tf.placeholder(tf.int64, [None, None, 2])
        dynamic = tf.image.random_crop(placeholder, [3, 4, 2])
        with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                                 match=r"Need value.shape >= size"):
            sess.run(dynamic, {placeholder: value[:2]})
        with pytest.raises(ValueError, match=r"random_crop: need value.shape >= size"):
            tf.random_crop(value, [6, 4, 2])
    corners = set()
    for block in crops:
        top, left = divmod(int(block[0, 0, 0]) // 2, 6)
        np.testing.assert_array_equal(block, value[top:top + 3, left:left + 4])
        corners.add((top, left))
    assert len(corners) > 1 and all(t <= 2 and l <= 2 for t, l in corners)


def test_random_hue_and_saturation_check_their_ranges():
    image = tf.constant(RNG.rand(4, 4, 3).astype(np.float32))
    with pytest.raises(ValueError, match="random_hue: max_delta must be <= 0.5"):
        tf.image.random_hue(image, 0.6)
    with pytest.raises(ValueError, match="random_saturation: lower must be non-negative"):
        tf.image.random_saturation(image, -0.1, 1.0)
    with pytest.raises(TypeError, match="rgb_to_hsv: images must be floating point"):
        tf.image.rgb_to_hsv(tf.constant(np.zeros((2, 2, 3), np.uint8)))


def test_non_max_suppression_checks_its_inputs():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=r"NonMaxSuppression: boxes .* 2-D.*\(5,\)"):
            tf.image.non_max_suppression(tf.zeros([5]), tf.zeros([5]), 3)
        boxes = tf.placeholder(tf.float32, [None, 4])
        kept = tf.image.non_max_suppression(boxes, tf.ones([3]), 2)
        assert kept.dtype == tf.int32 and kept.shape.as_list() == [None]
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match=r"boxes must be \[3, 4\]"):
                sess.run(kept, {boxes: np.zeros((2, 4))})
            same = np.tile([[0.0, 0.0, 1.0, 1.0]], (3, 1))
            np.testing.assert_array_equal(sess.run(kept, {boxes: same}), [0])


def test_draw_bounding_boxes_checks_its_inputs():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="DrawBoundingBoxes: images must be a 4-D float"):
            tf.image.draw_bounding_boxes(tf.zeros([2, 3, 3, 3], tf.uint8), tf.zeros([2, 1, 4]))
        drawn = tf.image.draw_bounding_boxes(tf.zeros([2, 3, 3, 3]), tf.zeros([1, 1, 4]))
        with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                                 match=r"boxes must be \[2, num_boxes, 4\]"):
            sess.run(drawn)

"""Inputs and resize cases shared by the tf.image tests and tools/image_tf_fixture.py."""
import numpy as np

# key: (method, size, align_corners, half_pixel_centers)
RESIZE_CASES = {
    f"{method}_{h}x{w}_{'ac' if align else 'hp' if half else 'legacy'}":
        (method, [h, w], align, half)
    for method in ("bilinear", "nearest", "bicubic", "area")
    for h, w in ((9, 7), (3, 2), (5, 13))
    for align, half in ((False, False), (True, False), (False, True))
    if not (method == "area" and half)
}


def image_inputs() -> dict:
    """The fixed images (2 x 5 x 6 x 3) the TF fixture was computed from."""
    rng = np.random.RandomState(1234)
    inputs = {"float": rng.rand(2, 5, 6, 3).astype(np.float32),
              "uint8": rng.randint(0, 256, (2, 5, 6, 3)).astype(np.uint8),
              "uint8_b": rng.randint(0, 256, (2, 5, 6, 3)).astype(np.uint8)}
    large = rng.rand(2, 50, 52, 3).astype(np.float32)
    inputs["large"] = large
    inputs["large_b"] = np.clip(large + 0.2 * rng.randn(*large.shape), 0, 1).astype(np.float32)
    hsv = rng.rand(2, 5, 6, 3).astype(np.float32)
    hsv[0, 0, :3, 0] = [0.0, 1.0, 0.5]  # hue at both ends and mid-sector
    inputs["hsv"] = hsv
    inputs["seed"] = {key: rng.randn(2, size[0], size[1], 3).astype(np.float32)
                      for key, (_, size, _, _) in RESIZE_CASES.items()}
    return inputs


def resize_fetches(tf, inputs: dict, key: str) -> dict:
    """One resize case on the float and uint8 images, and the gradient (``tf``: the
    TensorFlow or staticgraph module, whose TF1 APIs agree)."""
    method, size, align, half = RESIZE_CASES[key]
    resize = {"bilinear": tf.image.resize_bilinear, "nearest": tf.image.resize_nearest_neighbor,
              "bicubic": tf.image.resize_bicubic, "area": tf.image.resize_area}[method]
    kwargs = {"align_corners": align}
    if method != "area":
        kwargs["half_pixel_centers"] = half
    floats = tf.constant(inputs["float"])
    out = resize(floats, size, **kwargs)
    fetches = {f"resize/{key}": out,
               f"resize_uint8/{key}": resize(tf.constant(inputs["uint8"]), size, **kwargs)}
    if method != "area":
        fetches[f"resize_grad/{key}"] = tf.gradients(
            out, floats, grad_ys=tf.constant(inputs["seed"][key]))[0]
    return fetches


def function_fetches(tf, inputs: dict) -> dict:
    """The other tf.image functions on the fixed inputs (``tf`` as for resize_fetches)."""
    img = tf.image
    floats = tf.constant(inputs["float"])
    ints = tf.constant(inputs["uint8"])
    return {
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
        "psnr_uint8": img.psnr(ints, tf.constant(inputs["uint8_b"]), 255),
        "hsv": img.rgb_to_hsv(floats), "hsv_back": img.hsv_to_rgb(tf.constant(inputs["hsv"])),
        "hue": img.adjust_hue(floats, 0.37), "hue_uint8": img.adjust_hue(ints, -0.2),
        "saturation": img.adjust_saturation(floats, 1.8),
        "saturation_uint8": img.adjust_saturation(ints, 0.3),
        "ssim": img.ssim(tf.constant(inputs["large"]), tf.constant(inputs["large_b"]), 1.0),
        "ssim_uint8": img.ssim(ints, tf.constant(inputs["uint8_b"]), 255, filter_size=3),
        "ms_ssim": img.ssim_multiscale(tf.constant(inputs["large"]),
                                       tf.constant(inputs["large_b"]), 1.0, filter_size=3),
    }


CROP_BOXES = np.array([[0.1, 0.2, 0.8, 0.9], [-0.2, 0.5, 1.3, 0.4], [0.63, 0.07, 0.21, 0.77],
                       [0.5, 0.5, 0.5, 0.5]], np.float32)


def crop_fetches(tf, inputs: dict) -> dict:
    """crop_and_resize, both methods, with its gradients w.r.t. the image and the boxes."""
    image = tf.constant(inputs["float"])
    boxes = tf.constant(CROP_BOXES)
    fetches = {}
    for method in ("bilinear", "nearest"):
        for size in ((4, 3), (1, 5)):
            key = f"crop/{method}_{size[0]}x{size[1]}"
            out = tf.image.crop_and_resize(image, boxes, [0, 1, 1, 0], size, method=method,
                                           extrapolation_value=-0.5)
            fetches[key] = out
            seed = np.linspace(-1, 1, 4 * size[0] * size[1] * 3).reshape(4, *size, 3)
            grads = tf.gradients(out, [image, boxes], grad_ys=tf.constant(seed, tf.float32))
            fetches[key + "/grad_image"] = grads[0]
            if method == "bilinear":
                fetches[key + "/grad_boxes"] = grads[1]
    fetches["crop/uint8"] = tf.image.crop_and_resize(tf.constant(inputs["uint8"]), boxes,
                                                     [1, 0, 0, 1], [3, 3])
    return fetches


def nms_fetches(tf, inputs: dict) -> dict:
    """Non-max suppression variants on random boxes (corners in either order), with
    equal scores to exercise the tie order."""
    rng = np.random.RandomState(5)
    corners = rng.rand(30, 4).astype(np.float32)
    scores = rng.rand(30).astype(np.float32)
    scores[[3, 17, 25]] = scores[8]
    overlaps = rng.rand(30, 30).astype(np.float32)
    img = tf.image
    return {
        "nms/plain": img.non_max_suppression(corners, scores, 12, 0.3),
        "nms/threshold": img.non_max_suppression(corners, scores, 30, 0.6,
                                                 score_threshold=0.4),
        "nms/soft": img.non_max_suppression_with_scores(corners, scores, 15, 0.7,
                                                        soft_nms_sigma=0.5),
        "nms/overlaps": img.non_max_suppression_overlaps(overlaps, scores, 10, 0.5),
    }


def png_images() -> dict:
    """Images TF encodes as PNG for the fixture (smooth, so libpng picks varied filters)."""
    rng = np.random.RandomState(9)
    yy, xx = np.mgrid[0:20, 0:24]
    base = (yy * 9 + xx * 5)[..., None] + np.array([0, 40, 90]) + rng.randint(0, 6, (20, 24, 3))
    rgb = (base % 256).astype(np.uint8)
    return {"rgb": rgb, "grey": rgb[..., :1], "grey_alpha": rgb[..., :2],
            "rgba": np.concatenate([rgb, rgb[..., :1]], axis=2),
            "rgb16": (base * 211 % 65536).astype(np.uint16)}


def png_decodes(tf, pngs: dict) -> dict:
    """Decodings of the PNG files ``pngs`` (name -> bytes) in several conversions."""
    fetches = {}
    for key, data in pngs.items():
        contents = tf.constant(data)
        for channels in (0, 1, 3, 4):
            fetches[f"png/{key}/{channels}"] = tf.image.decode_png(contents, channels)
        fetches[f"png/{key}/uint16"] = tf.image.decode_png(contents, dtype=tf.uint16)
        fetches[f"png/{key}/float"] = tf.image.decode_image(contents, dtype=tf.float32)
    return fetches


DRAW_BOXES = np.array([[[0.1, 0.2, 0.8, 0.9], [-0.3, 0.5, 0.6, 1.4], [0.5, 0.1, 0.2, 0.3]],
                       [[0.0, 0.0, 1.0, 1.0], [0.4, 0.4, 0.45, 0.47], [1.2, 0.1, 1.5, 0.9]]],
                      np.float32)


def draw_fetches(tf, inputs: dict) -> dict:
    """draw_bounding_boxes on RGB and grey images, default and given colours."""
    images = tf.constant(inputs["float"])
    return {"draw/default": tf.image.draw_bounding_boxes(images, DRAW_BOXES),
            "draw/grey": tf.image.draw_bounding_boxes(images[..., :1], DRAW_BOXES),
            "draw/colors": tf.image.draw_bounding_boxes(
                images, DRAW_BOXES, colors=np.array([[0.2, 0.4, 0.6, 1.0]], np.float32))}

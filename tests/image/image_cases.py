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

"""``tf.image``: TF1's image namespace (resizing, geometry, pixel values, measures, PNG)."""

from .io.image_codecs import decode_image, decode_png, encode_png, is_jpeg

from .ops.image_color_ops import (adjust_brightness, adjust_contrast, adjust_gamma,
                                  convert_image_dtype, grayscale_to_rgb,
                                  per_image_standardization, random_brightness,
                                  random_contrast, rgb_to_grayscale, rgb_to_yiq, rgb_to_yuv,
                                  yiq_to_rgb, yuv_to_rgb)
from .ops.image_crop_ops import crop_and_resize
from .ops.image_draw_ops import draw_bounding_boxes
from .ops.image_geometry_ops import (central_crop, crop_to_bounding_box, flip_left_right,
                                     flip_up_down, pad_to_bounding_box, random_crop,
                                     random_flip_left_right,
                                     random_flip_up_down, resize_image_with_crop_or_pad, rot90,
                                     transpose_image)
from .ops.image_hsv_ops import (adjust_hue, adjust_saturation, hsv_to_rgb, random_hue,
                                random_saturation, rgb_to_hsv)
from .ops.image_metrics_ops import (image_gradients, psnr, sobel_edges, ssim, ssim_multiscale,
                                    total_variation)
from .ops.image_nms_ops import (non_max_suppression, non_max_suppression_overlaps,
                                non_max_suppression_with_scores)
from .ops.image_resize_ops import (ResizeMethod, resize_area, resize_bicubic, resize_bilinear,
                                   resize_image_with_pad, resize_images,
                                   resize_nearest_neighbor)

resize = resize_images
resize_with_crop_or_pad = resize_image_with_crop_or_pad
transpose = transpose_image

__all__ = [
    "ResizeMethod", "adjust_brightness", "adjust_hue", "adjust_saturation", "hsv_to_rgb",
    "random_hue", "random_saturation", "rgb_to_hsv", "adjust_contrast", "adjust_gamma",
    "central_crop", "convert_image_dtype", "crop_and_resize", "decode_image", "decode_png",
    "draw_bounding_boxes", "encode_png", "is_jpeg", "crop_to_bounding_box", "flip_left_right",
    "flip_up_down",
    "grayscale_to_rgb", "image_gradients", "non_max_suppression", "non_max_suppression_overlaps",
    "non_max_suppression_with_scores", "pad_to_bounding_box", "per_image_standardization",
    "psnr", "random_brightness", "random_crop", "random_contrast", "random_flip_left_right",
    "random_flip_up_down", "resize", "resize_area", "resize_bicubic", "resize_bilinear",
    "resize_image_with_crop_or_pad", "resize_image_with_pad", "resize_images",
    "resize_nearest_neighbor", "resize_with_crop_or_pad", "rgb_to_grayscale", "rgb_to_yiq",
    "rgb_to_yuv", "rot90", "sobel_edges", "ssim", "ssim_multiscale", "total_variation",
    "transpose", "transpose_image",
    "yiq_to_rgb", "yuv_to_rgb",
]

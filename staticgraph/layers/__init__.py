"""``tf.layers``: TF1's layer classes and functions, built from staticgraph's ops.

Variables are named as in TF1 (``dense/kernel``, ``dense_1/bias``,
``batch_normalization/moving_mean``...), shared through ``tf.variable_scope(reuse=...)``
or the ``reuse=`` argument, and regularization losses and update ops go to TF1's
collections.
"""
from typing import NoReturn as _NoReturn

from . import base, convolutional, core, normalization, pooling

from .base import InputSpec, Layer
from .convolutional import Conv1D, Conv2D, Conv2DTranspose, conv1d, conv2d, conv2d_transpose
from .core import Dense, Dropout, Flatten, dense, dropout, flatten
from .normalization import BatchNormalization, batch_normalization
from .pooling import (AveragePooling1D, AveragePooling2D, MaxPooling1D, MaxPooling2D,
                      average_pooling1d, average_pooling2d, max_pooling1d, max_pooling2d)

__all__ = [
    "Layer", "InputSpec", "Dense", "Dropout", "Flatten", "Conv1D", "Conv2D",
    "Conv2DTranspose", "MaxPooling1D", "MaxPooling2D", "AveragePooling1D",
    "AveragePooling2D", "BatchNormalization", "dense", "dropout", "flatten", "conv1d",
    "conv2d", "conv2d_transpose", "max_pooling1d", "max_pooling2d", "average_pooling1d",
    "average_pooling2d", "batch_normalization",
]

# 3-D and separable convolutions and 3-D pooling (wt-conv3d)
from . import convolutional_3d, separable  # noqa: E402
from .convolutional_3d import *  # noqa: E402,F401,F403
from .separable import *  # noqa: E402,F401,F403
__all__ += [*convolutional_3d.__all__, *separable.__all__]
del convolutional_3d, separable

# The namespace holds only tf.layers' public names (the modules stay importable by path).
del base, convolutional, core, normalization, pooling

# TF1's other tf.layers names, which staticgraph lacks.
_NOT_IMPLEMENTED = ["experimental"]


def __getattr__(name: str) -> _NoReturn:
    if name in _NOT_IMPLEMENTED:
        raise AttributeError(f"tf.layers.{name} is part of TensorFlow 1's API but not "
                             "implemented in staticgraph (tf.layers has: "
                             f"{', '.join(__all__)})")
    raise AttributeError(f"module 'staticgraph.layers' has no attribute {name!r}")

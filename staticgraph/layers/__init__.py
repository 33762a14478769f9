"""``tf.layers``: TF1's layer classes and functions, built from staticgraph's ops.

Variables are named as in TF1 (``dense/kernel``, ``dense_1/bias``,
``batch_normalization/moving_mean``...), shared through ``tf.variable_scope(reuse=...)``
or the ``reuse=`` argument, and regularization losses and update ops go to TF1's
collections.
"""
from __future__ import annotations

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

"""``tf.contrib.layers``: xavier/variance-scaling initializers, L1/L2 regularizers, and the
``fully_connected``, ``conv2d`` and ``flatten`` layers (variables ``weights``/``biases``,
relu by default). Other ``tf.contrib.layers`` names raise an AttributeError.
"""
from typing import NoReturn as _NoReturn

from .._layers import (  # noqa: F401  (re-exported)
    __all__, conv2d, convolution2d, flatten, fully_connected, l1_regularizer, l2_regularizer,
    unsupported as _unsupported, variance_scaling_initializer, xavier_initializer,
    xavier_initializer_conv2d)


def __getattr__(name: str) -> _NoReturn:
    if name.startswith("__"):
        raise AttributeError(name)
    _unsupported(f"tf.contrib.layers.{name}")

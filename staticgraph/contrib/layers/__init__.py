"""``tf.contrib.layers``: xavier/variance-scaling initializers, L1/L2 regularizers, the
``fully_connected``, ``conv2d``, ``conv2d_transpose`` and ``flatten`` layers (variables
``weights``/``biases``, relu by default), ``batch_norm``, ``layer_norm``, ``max_pool2d``,
``avg_pool2d``, ``dropout``, ``one_hot_encoding``, ``l1_l2_regularizer``,
``sum_regularizer``, ``apply_regularization``, ``repeat``, ``stack``, ``embed_sequence``,
``separable_conv2d`` and ``summarize_activation(s)``. Other ``tf.contrib.layers`` names
raise an AttributeError.
"""
from typing import NoReturn as _NoReturn

from .._layers import (  # noqa: F401  (re-exported)
    __all__, conv2d, convolution2d, flatten, fully_connected, l1_regularizer, l2_regularizer,
    variance_scaling_initializer, xavier_initializer,
    xavier_initializer_conv2d)
# normalisation, pooling, dropout, transposed convolution, one-hot
from .._more_layers import (  # noqa: F401  (re-exported)
    avg_pool2d, batch_norm, conv2d_transpose, convolution2d_transpose, dropout, layer_norm,
    max_pool2d, one_hot_encoding)
from .._more_layers import __all__ as _more_names
# combined regularizers, apply_regularization, repeat, stack, embed_sequence, separable_conv2d,
# activation summaries
from .._layers_extra import (  # noqa: F401  (re-exported)
    apply_regularization, embed_sequence, l1_l2_regularizer, repeat, separable_conv2d,
    separable_convolution2d, stack, sum_regularizer, summarize_activation,
    summarize_activations)
from .._layers_extra import __all__ as _extra_names
from .._unsupported import unsupported as _unsupported

__all__ = __all__ + _more_names + _extra_names


def __getattr__(name: str) -> _NoReturn:
    if name.startswith("__"):
        raise AttributeError(name)
    _unsupported(f"tf.contrib.layers.{name}")

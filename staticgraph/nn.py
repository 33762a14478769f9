"""``tf.nn``: activations, softmax and cross-entropies, convolution and pooling, dropout,
the RNN drivers and ``tf.nn.rnn_cell``."""
from __future__ import annotations

from .ops.conv_ops import *  # noqa: F401,F403
from .ops.conv_ops import __all__ as _conv_names
from .ops.pool_ops import *  # noqa: F401,F403
from .ops.pool_ops import __all__ as _pool_names
from .ops.math_ops import sigmoid, tanh
from .ops.activation_ops import *  # noqa: F401,F403
from .ops.activation_ops import __all__ as _activation_names
from .ops.nn_impl import *  # noqa: F401,F403
from .ops.nn_impl import __all__ as _nn_impl_names
from .ops.nn_ops import *  # noqa: F401,F403
from .ops.nn_ops import __all__ as _nn_names
from .ops.nn_extra_ops import (batch_norm_with_global_normalization, crelu, depth_to_space,
                               embedding_lookup, local_response_normalization,
                               log_poisson_loss, lrn, normalize_moments, relu_layer, silu,
                               space_to_depth, sufficient_statistics, swish,
                               weighted_cross_entropy_with_logits, weighted_moments,
                               zero_fraction)
from .ops.topk_ops import in_top_k, top_k

_extra_names = ["batch_norm_with_global_normalization", "crelu", "depth_to_space",
                "embedding_lookup", "in_top_k", "local_response_normalization",
                "log_poisson_loss", "lrn", "normalize_moments", "relu_layer", "silu",
                "space_to_depth", "sufficient_statistics", "swish", "top_k",
                "weighted_cross_entropy_with_logits", "weighted_moments", "zero_fraction"]

from .rnn.drivers import bidirectional_dynamic_rnn, dynamic_rnn, static_rnn
from . import rnn_cell  # noqa: E402  (tf.nn.rnn_cell)

__all__ = [*_activation_names, *_nn_names, *_nn_impl_names, *_conv_names, *_pool_names,
           *_extra_names, "sigmoid", "tanh", "dynamic_rnn", "static_rnn",
           "bidirectional_dynamic_rnn", "rnn_cell"]

# embeddings of SparseTensor ids
from .ops.embedding_sparse import embedding_lookup_sparse, safe_embedding_lookup_sparse  # noqa: E402,F401
__all__ += ["embedding_lookup_sparse", "safe_embedding_lookup_sparse"]

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

# space-to-batch (array, scatter and sort ops)
from .ops.space_batch_ops import space_to_batch, with_space_to_batch  # noqa: E402
__all__ += ["space_to_batch", "with_space_to_batch"]

# word2vec's sampled losses and candidate samplers (ops/sampled_losses.py,
# ops/candidate_sampling_ops.py)
from .ops.candidate_sampling_ops import *  # noqa: F401,F403,E402
from .ops.candidate_sampling_ops import __all__ as _sampling_names  # noqa: E402
from .ops.sampled_losses import nce_loss, sampled_softmax_loss  # noqa: E402,F401

__all__ += [*_sampling_names, "nce_loss", "sampled_softmax_loss"]

# static_bidirectional_rnn, static_state_saving_rnn and raw_rnn (issue 15, wt-loop)
from .rnn.drivers import raw_rnn, static_bidirectional_rnn, static_state_saving_rnn  # noqa: E402
__all__ += ["static_bidirectional_rnn", "static_state_saving_rnn", "raw_rnn"]

# 3-D and rank-generic convolution and pooling, gradient ops under TF's names, fused
# batch norm, morphology, argmax pooling, replica-scaled losses, dense CTC (wt-conv3d)
from .ops.conv3d_ops import *  # noqa: E402,F401,F403
from .ops.conv3d_ops import __all__ as _conv3d_names  # noqa: E402
from .ops.conv_dispatch import *  # noqa: E402,F401,F403
from .ops.conv_dispatch import __all__ as _conv_dispatch_names  # noqa: E402
from .ops.ctc_ops import collapse_repeated, ctc_loss_v2  # noqa: E402
from .ops.fused_batch_norm_ops import fused_batch_norm  # noqa: E402
from .ops.morphology_ops import dilation2d, erosion2d  # noqa: E402
from .ops.patch_ops import max_pool_with_argmax  # noqa: E402
__all__ += [*_conv3d_names, *_conv_dispatch_names, "fused_batch_norm", "dilation2d",
            "erosion2d", "max_pool_with_argmax", "ctc_loss_v2", "collapse_repeated"]

# exact top-k standing in for TF's approximate top-k (issue 14)
from .ops.approx_topk import approx_max_k, approx_min_k  # noqa: E402

__all__ += ["approx_max_k", "approx_min_k"]

# embeddings of SparseTensor ids
from .ops.embedding_sparse import embedding_lookup_sparse, safe_embedding_lookup_sparse  # noqa: E402,F401
__all__ += ["embedding_lookup_sparse", "safe_embedding_lookup_sparse"]

# the convolution + bias + ReLU kernel the compiler's chain_fusion pass makes (issue 18)
from .ops import fused_conv_ops as _fused_conv_ops  # noqa: E402,F401

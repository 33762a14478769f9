"""Expressions written against TF1's API, run by tools/tf_nn_fixtures.py under TensorFlow
(``tensorflow.compat.v1``) to record expected values, and by test_tf_fidelity.py under
staticgraph to compare. Each case is ``(name, build(tf), rtol)``; ``build`` returns a
tensor or a list of tensors from constants only."""
import numpy as np

RNG = np.random.RandomState(1405)
X = RNG.randn(2, 5)
TIES = np.array([[1.0, 3.0, 3.0, 2.0, 3.0], [5.0, 1.0, 5.0, 0.0, -1.0]])
IMAGE = RNG.randn(2, 3, 3, 7).astype(np.float32)
SQUARE = RNG.randn(2, 4, 4) + 4 * np.eye(4)
SYM = SQUARE + np.swapaxes(SQUARE, -1, -2)
POSITIVE = RNG.uniform(0.3, 4.0, size=(3, 4))
TABLE = np.arange(26.0).reshape(13, 2)
SPLITS = [3, 3, 3, 2, 2]


def _partitions(strategy):
    """TABLE's 13 rows split over 5 partitions as TF1's docs show for ``strategy``."""
    ids = np.arange(13)
    if strategy == "mod":
        return [TABLE[ids % 5 == p] for p in range(5)]
    return list(np.split(TABLE, np.cumsum(SPLITS)[:-1]))


CASES = [
    ("top_k_ties", lambda tf: list(tf.nn.top_k(TIES, 3)), 0),
    ("top_k_k1_int", lambda tf: list(tf.nn.top_k(np.array([[3, 1, 3]], np.int32))), 0),
    ("in_top_k_ties", lambda tf: [tf.nn.in_top_k(TIES.astype(np.float32), [1, 0], k)
                                  for k in (1, 2)], 0),
    ("in_top_k_nonfinite", lambda tf: tf.nn.in_top_k(
        np.array([[np.inf, 1.0], [0.0, 1.0], [np.nan, 2.0]], np.float32), [0, 1, 1], 1), 0),
    ("lrn_defaults", lambda tf: tf.nn.lrn(IMAGE), 1e-5),
    ("lrn_args", lambda tf: tf.nn.local_response_normalization(
        IMAGE, depth_radius=2, bias=2.0, alpha=1e-2, beta=0.75), 1e-5),
    ("swish", lambda tf: tf.nn.swish(X), 1e-12),
    ("log_softmax_axis0", lambda tf: tf.nn.log_softmax(X, axis=0), 1e-12),
    ("l2_normalize_axis", lambda tf: [tf.nn.l2_normalize(X, axis=1),
                                      tf.nn.l2_normalize(np.zeros(3), 0)], 1e-12),
    ("weighted_xent", lambda tf: tf.nn.weighted_cross_entropy_with_logits(
        labels=(X > 0).astype(float), logits=X, pos_weight=3.0), 1e-12),
    ("activations", lambda tf: [tf.nn.relu6(4 * X), tf.nn.leaky_relu(X), tf.nn.elu(X),
                                tf.nn.selu(X), tf.nn.softsign(X), tf.nn.softplus(X)], 1e-12),
    ("zero_fraction", lambda tf: tf.nn.zero_fraction(np.maximum(X, 0)), 1e-7),
    ("xw_plus_b", lambda tf: tf.nn.xw_plus_b(X, X.T, np.arange(2.0)), 1e-12),
    ("bias_add_nchw", lambda tf: tf.nn.bias_add(np.ones((1, 3, 2, 2)), np.arange(3.0),
                                                data_format="NCHW"), 0),
    ("sigmoid_xent", lambda tf: tf.nn.sigmoid_cross_entropy_with_logits(
        labels=(X > 0).astype(float), logits=X), 1e-12),
    ("embedding_single", lambda tf: tf.nn.embedding_lookup(TABLE, [[0, 12], [5, 5]]), 0),
    ("embedding_mod", lambda tf: tf.nn.embedding_lookup(_partitions("mod"),
                                                         [0, 4, 5, 12, 7]), 0),
    ("embedding_div", lambda tf: tf.nn.embedding_lookup(
        _partitions("div"), [0, 4, 5, 12, 7], partition_strategy="div"), 0),
    ("embedding_max_norm", lambda tf: tf.nn.embedding_lookup(TABLE, [1, 3], max_norm=2.0),
     1e-12),
    ("eye", lambda tf: [tf.eye(3), tf.eye(2, 4, batch_shape=[2], dtype=tf.int32)], 0),
    ("diag", lambda tf: [tf.diag(np.arange(1.0, 4.0)),
                         tf.diag(np.arange(4.0).reshape(2, 2))], 0),
    ("diag_part", lambda tf: tf.diag_part(np.arange(16.0).reshape(2, 2, 2, 2)), 0),
    ("linalg_diag", lambda tf: [tf.linalg.diag(X), tf.linalg.diag_part(SQUARE),
                                tf.linalg.diag_part(X), tf.linalg.trace(SQUARE),
                                tf.matrix_set_diag(SQUARE, -np.ones((2, 4)))], 1e-12),
    ("band_part", lambda tf: [tf.matrix_band_part(np.ones((4, 5)), lo, hi)
                              for lo, hi in ((0, 0), (1, -1), (-1, 2), (2, 0))], 0),
    ("arg_max", lambda tf: [tf.arg_max(TIES, 1), tf.arg_min(TIES, 0, output_type=tf.int32)],
     0),
    ("sparse_to_dense", lambda tf: [tf.sparse_to_dense([[0, 1], [1, 3]], [2, 4], [5.0, 6.0],
                                                       -1.0),
                                    tf.sparse_to_dense([1, 3], [5], 2.0)], 0),
    ("segments", lambda tf: [tf.segment_sum(X.T, [0, 0, 1, 3, 3]),
                             tf.segment_mean(X.T, [0, 0, 1, 3, 3]),
                             tf.segment_max(X.T, [0, 0, 1, 3, 3]),
                             tf.segment_min(X.T, [0, 0, 1, 3, 3])], 1e-12),
    ("unsorted_segments", lambda tf: [
        tf.unsorted_segment_sum(X.T, [3, 0, 3, 1, 0], 5),
        tf.unsorted_segment_max(X.T, [3, 0, 3, 1, 0], 5),
        tf.unsorted_segment_min(X.T, [3, 0, 3, 1, 0], 5),
        tf.unsorted_segment_mean(X.T, [3, 0, 3, 1, 0], 5),
        tf.unsorted_segment_sqrt_n(X.T, [3, 0, 3, 1, 0], 5)], 1e-12),
    ("bincount", lambda tf: [tf.bincount([1, 1, 4, 0]),
                             tf.bincount([1, 1, 4], minlength=7),
                             tf.bincount([1, 1, 4], maxlength=3),
                             tf.bincount([1, 1, 4], weights=[0.5, 2.0, 1.0])], 0),
    ("confusion_matrix", lambda tf: [tf.confusion_matrix([0, 1, 2, 2], [0, 2, 2, 1]),
                                     tf.confusion_matrix([0, 1], [1, 1], num_classes=3,
                                                         weights=[2.0, 3.0],
                                                         dtype=tf.float32)], 0),
    ("special", lambda tf: [tf.lgamma(POSITIVE - 1.0), tf.digamma(POSITIVE - 1.0),
                            tf.erfc(X), tf.sinh(X), tf.cosh(X), tf.asinh(X),
                            tf.acosh(POSITIVE + 1), tf.atanh(np.tanh(X)),
                            tf.math.polygamma(2.0 * np.ones((3, 4)), POSITIVE),
                            tf.math.lbeta(POSITIVE), tf.rint(np.array([0.5, 1.5, -2.5, 2.7])),
                            tf.atan2(X, X[::-1]), tf.math.log_sigmoid(X)], 1e-10),
    ("xlogy", lambda tf: [tf.math.xlogy(np.array([0.0, 2.0, 0.0]), np.array([0.0, 3.0, 2.0])),
                          tf.math.xdivy(np.array([0.0, 2.0]), np.array([0.0, 4.0]))], 1e-12),
    ("polyval", lambda tf: [tf.math.polyval([np.float64(c) for c in (1, -2, 3)], X),
                            tf.math.reduce_euclidean_norm(X, 1)], 1e-12),
    ("triangular_solve", lambda tf: [
        tf.matrix_triangular_solve(SQUARE, X.T[:4, :2].reshape(1, 4, 2) * np.ones((2, 1, 1))),
        tf.linalg.triangular_solve(SQUARE, np.ones((2, 4, 1)), lower=False, adjoint=True)],
     1e-10),
    ("cholesky_solve_logdet", lambda tf: [
        tf.cholesky_solve(tf.cholesky(SYM), np.ones((2, 4, 1))), tf.linalg.logdet(SYM),
        tf.linalg.slogdet(SQUARE)[1], tf.linalg.slogdet(-SQUARE[:, :3, :3])[0]], 1e-10),
    ("eigvalsh_r", lambda tf: [tf.linalg.eigvalsh(SYM), tf.self_adjoint_eig(SYM)[0],
                               tf.abs(tf.qr(SQUARE)[1])], 1e-10),
    ("cross_norm", lambda tf: [tf.cross(X[:, :3], X[:, 2:]), tf.norm(X),
                               tf.norm(X, ord=1, axis=1), tf.norm(X, ord=np.inf, axis=0),
                               tf.norm(X, ord=3, axis=1, keepdims=True),
                               tf.norm(SQUARE, ord=1, axis=[-2, -1]),
                               tf.norm(SQUARE, ord=np.inf, axis=[1, 2]),
                               tf.norm(SQUARE, ord="fro", axis=[-2, -1])], 1e-10),
    ("math_composites", lambda tf: [
        tf.math.accumulate_n([X, 2 * X, X]), tf.math.is_non_decreasing([1, 1, 2]),
        tf.math.is_non_decreasing([[1, 2], [0, 3]]), tf.math.is_strictly_increasing([1, 1, 2]),
        tf.math.is_strictly_increasing([3.0]),
        tf.math.multiply_no_nan(np.array([np.inf, np.nan, 2.0]), np.array([0.0, 0.0, 3.0])),
        tf.math.reciprocal_no_nan(np.array([0.0, 4.0])), tf.math.reduce_variance(X, 1),
        tf.math.reduce_std(X), tf.math.cumulative_logsumexp(X, 1),
        tf.math.cumulative_logsumexp(X, axis=1, exclusive=True, reverse=True),
        tf.math.xlog1py(np.array([0.0, 2.0]), np.array([-1.0, 3.0])),
        tf.math.zeta(np.array([2.0, 3.5, 0.5]), np.array([1.0, 0.3, 2.0]))], 1e-10),
    ("linalg_extra", lambda tf: [
        tf.linalg.matvec(SQUARE, np.ones((2, 4))), tf.linalg.pinv(X),
        tf.linalg.matrix_rank(X), tf.linalg.matrix_rank(np.outer([1.0, 2, 3], [1.0, 1, 0])),
        tf.linalg.lstsq(X.T, np.ones((5, 1))), tf.matrix_solve_ls(X, np.ones((2, 1)),
                                                                   l2_regularizer=0.5)],
     1e-9),
    ("nn_extra", lambda tf: [
        tf.nn.crelu(X), tf.nn.crelu(X, axis=0), tf.nn.relu_layer(X, X.T, np.arange(2.0)),
        tf.nn.batch_norm_with_global_normalization(X, X[0], X[1] ** 2, X[0], X[1], 1e-3,
                                                   True),
        tf.nn.log_poisson_loss(np.array([0.0, 0.5, 1.0, 3.0]), np.array([0.1, -0.2, 0.3, 1.0]),
                               compute_full_loss=True),
        *tf.nn.sufficient_statistics(X, [1])[:3], *tf.nn.sufficient_statistics(X, [0], np.float64(0.5)),
        *tf.nn.normalize_moments(np.float64(4), X[0], X[1] ** 2, None),
        *tf.nn.normalize_moments(np.float64(4), X[0], X[1] ** 2, X[1]),
        *tf.nn.weighted_moments(X, [1], np.array([[1.0], [2.0]]), keep_dims=True),
        tf.space_to_depth(IMAGE[:, :2, :2, :], 2),
        tf.nn.depth_to_space(np.arange(32.0).reshape(1, 1, 2, 16), 2)], 1e-6),
    ("softmax_xent_label_shapes", lambda tf: [
        tf.nn.softmax_cross_entropy_with_logits(labels=np.eye(5)[[1, 4]].reshape(2, 1, 5),
                                                logits=X),
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=np.eye(5, dtype=np.int32)[[0, 2]],
                                                   logits=X),
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=np.eye(5)[[3]], logits=X)], 1e-12),
]

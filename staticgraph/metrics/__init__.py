"""``tf.metrics``: streaming metrics returning ``(value, update_op)`` over local
variables, as TF1."""
from __future__ import annotations

from .classes import (mean_iou, precision_at_k, recall_at_k, sparse_precision_at_k,
                      sparse_recall_at_k)
from .curves import auc
from .streaming import (accuracy, false_negatives, false_positives, mean,
                        mean_absolute_error, mean_squared_error, precision, recall,
                        root_mean_squared_error, true_negatives, true_positives)

__all__ = ["accuracy", "auc", "false_negatives", "false_positives", "mean",
           "mean_absolute_error", "mean_iou", "mean_squared_error", "precision",
           "precision_at_k", "recall", "recall_at_k", "root_mean_squared_error",
           "sparse_precision_at_k", "sparse_recall_at_k", "true_negatives",
           "true_positives"]

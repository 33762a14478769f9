"""``tf.metrics``: streaming metrics returning ``(value, update_op)`` over local
variables, as TF1."""
from __future__ import annotations

from .classes import (mean_iou, precision_at_k, recall_at_k, sparse_precision_at_k,
                      sparse_recall_at_k)
from .curves import auc
from .streaming import (accuracy, false_negatives, false_positives, mean,
                        mean_absolute_error, mean_squared_error, precision, recall,
                        root_mean_squared_error, true_negatives, true_positives)
# the rest of tf.metrics (per-threshold counts, mean variants)
from .operating_point import sensitivity_at_specificity, specificity_at_sensitivity
from .means import (mean_cosine_distance, mean_per_class_accuracy, mean_relative_error,
                    mean_tensor, percentage_below)
from .classes import precision_at_top_k, recall_at_top_k
from .ranking import average_precision_at_k, sparse_average_precision_at_k
from .thresholds import (false_negatives_at_thresholds, false_positives_at_thresholds,
                         precision_at_thresholds, recall_at_thresholds,
                         true_negatives_at_thresholds, true_positives_at_thresholds)

__all__ = ["accuracy", "auc", "false_negatives", "false_positives", "mean",
           "mean_absolute_error", "mean_iou", "mean_squared_error", "precision",
           "precision_at_k", "recall", "recall_at_k", "root_mean_squared_error",
           "sparse_precision_at_k", "sparse_recall_at_k", "true_negatives",
           "true_positives",
           # the rest of tf.metrics (per-threshold counts, mean variants)
           "mean_cosine_distance", "mean_per_class_accuracy", "mean_relative_error",
           "mean_tensor", "percentage_below", "false_negatives_at_thresholds",
           "false_positives_at_thresholds", "precision_at_thresholds",
           "recall_at_thresholds", "true_negatives_at_thresholds",
           "true_positives_at_thresholds", "sensitivity_at_specificity",
           "specificity_at_sensitivity",
           # top-k class ids given, and average precision
           "precision_at_top_k", "recall_at_top_k", "average_precision_at_k",
           "sparse_average_precision_at_k"]

"""``tf.contrib.opt``: only ``LazyAdamOptimizer``, Adam for embedding tables whose step
costs the batch's rows rather than the whole table."""
from __future__ import annotations

from ..core.graph import Operation
from ..ops.indexed_slices import IndexedSlices
from ..ops.sparse_ops import sparse_apply
from ..ops.variables import Variable
from ..train.adam import AdamOptimizer

__all__ = ["LazyAdamOptimizer"]


class LazyAdamOptimizer(AdamOptimizer):
    """TF1's ``tf.contrib.opt.LazyAdamOptimizer``: Adam whose sparse updates touch only
    the rows in the gradient (their m, v and variable, with the step's lr_t =
    lr·√(1−β2ᵗ)/(1−β1ᵗ)); the other rows' m and v do not decay. Dense gradients get
    :class:`~staticgraph.train.AdamOptimizer`'s update; slots and the β powers are
    Adam's (``<var>/<name>``, ``<var>/<name>_1``, ``beta1_power``, ``beta2_power``)."""

    def _apply_sparse(self, grad: IndexedSlices, var: Variable) -> Operation:
        """m, v and var updated at the gradient's (deduplicated) rows only."""
        t = self._tensors
        beta1_power, beta2_power = self._get_beta_accumulators()
        return sparse_apply("SparseApplyLazyAdam", [var, self.get_slot(var, "m"),
                                                    self.get_slot(var, "v")],
                            [beta1_power, beta2_power, t["learning_rate"], t["beta1"],
                             t["beta2"], t["epsilon"]], grad,
                            use_locking=self._use_locking).op

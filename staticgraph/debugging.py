"""``tf.debugging``: ``Assert``, the ``assert_*`` family, numerics checks and predicates."""
from __future__ import annotations

from .ops.check_ops import *  # noqa: F401,F403
from .ops.check_ops import __all__ as _check_names
from .ops.comparison_ops import is_finite, is_inf, is_nan
from .ops.logging_ops import Assert
from .ops.math_composites import is_non_decreasing, is_strictly_increasing
from .ops.numerics_ops import check_numerics
from .framework_api import verify_tensor_all_finite as assert_all_finite

__all__ = [*_check_names, "Assert", "check_numerics", "is_finite", "is_inf", "is_nan",
           "is_non_decreasing", "is_strictly_increasing", "assert_all_finite"]

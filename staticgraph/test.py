"""``tf.test``: the gradient checker (``compute_gradient``, ``compute_gradient_error``),
``TestCase`` and ``main``, and a few queries about the build (a CPU-only NumPy engine)."""
from typing import Any
from unittest import mock  # noqa: F401  (tf.test.mock)

from .gradient_check import (GradCase, GradCheckResult, check_case,  # noqa: F401
                               check_function, compute_gradient, compute_gradient_error)

from .test_case import TestCase, assert_equal_graph_def, get_temp_dir, main  # noqa: F401


def is_built_with_cuda() -> bool:
    """False: staticgraph runs on the CPU only."""
    return False


def is_built_with_rocm() -> bool:
    """False: staticgraph runs on the CPU only."""
    return False


def is_built_with_xla() -> bool:
    """False: there is no XLA compiler here."""
    return False


def is_built_with_gpu_support() -> bool:
    """False: staticgraph runs on the CPU only."""
    return False


def is_gpu_available(cuda_only: bool = False, min_cuda_compute_capability: Any = None
                     ) -> bool:
    """False: staticgraph runs on the CPU only."""
    return False


def gpu_device_name() -> str:
    """The empty string: there is no GPU."""
    return ""

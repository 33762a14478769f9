"""``tf.sysconfig``: where to find the headers and library to build custom ops against.

staticgraph is pure Python on NumPy: there are no C++ headers or shared library to build
against (a new op is written in Python with ``tf.define_numpy_op``). ``get_include`` and
``get_lib`` give the staticgraph package directory, and the compile and link flags are
empty, so a build script asking for them gets true answers instead of TensorFlow's; the
C++ build constants (``CXX11_ABI_FLAG``, ``CXX_VERSION``, ``MONOLITHIC_BUILD``) are 0.
"""
from __future__ import annotations

import pathlib

__all__ = ["CXX11_ABI_FLAG", "CXX_VERSION", "MONOLITHIC_BUILD", "get_build_info",
           "get_compile_flags", "get_include", "get_lib", "get_link_flags"]

_PACKAGE_DIR = str(pathlib.Path(__file__).resolve().parent)

# No C++ was compiled: no C++11 ABI flag, no C++ standard (``__cplusplus``), no
# monolithic build.
CXX11_ABI_FLAG: int = 0
CXX_VERSION: int = 0
MONOLITHIC_BUILD: int = 0


def get_include() -> str:
    """The staticgraph package directory (staticgraph has no C++ headers)."""
    return _PACKAGE_DIR


def get_lib() -> str:
    """The staticgraph package directory (staticgraph has no shared library)."""
    return _PACKAGE_DIR


def get_compile_flags() -> list[str]:
    """No flags: there is nothing to compile against."""
    return []


def get_link_flags() -> list[str]:
    """No flags: there is nothing to link against."""
    return []


def get_build_info() -> dict[str, bool]:
    """How staticgraph was built: no CUDA, ROCm or TensorRT (it runs on the CPU)."""
    return {"is_cuda_build": False, "is_rocm_build": False, "is_tensorrt_build": False}

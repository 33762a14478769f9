"""``tf.config.threading``: the sizes of the thread pools running ops, recorded and read
back. They have no effect: a Session runs ops in one Python thread, and NumPy's BLAS
threads are set by ``OMP_NUM_THREADS`` and the like before NumPy is imported."""
from __future__ import annotations

__all__ = ["get_inter_op_parallelism_threads", "get_intra_op_parallelism_threads",
           "set_inter_op_parallelism_threads", "set_intra_op_parallelism_threads"]

_threads: dict[str, int] = {"inter_op": 0, "intra_op": 0}


def get_inter_op_parallelism_threads() -> int:
    """The recorded size of the pool running independent ops (0: the system picks)."""
    return _threads["inter_op"]


def set_inter_op_parallelism_threads(num_threads: int) -> None:
    """Records the size of the pool running independent ops (without effect)."""
    _set_threads("inter_op", num_threads)


def get_intra_op_parallelism_threads() -> int:
    """The recorded size of the pool inside one op (0: the system picks)."""
    return _threads["intra_op"]


def set_intra_op_parallelism_threads(num_threads: int) -> None:
    """Records the size of the pool inside one op (without effect)."""
    _set_threads("intra_op", num_threads)


def _set_threads(key: str, num_threads: int) -> None:
    if int(num_threads) < 0:
        raise ValueError(f"The number of threads must be >= 0 (0: the system picks), got "
                         f"{num_threads}")
    _threads[key] = int(num_threads)

"""Adding rows into an array at (possibly repeated) row indices.

``np.add.at`` is exact but handles one element at a time: for 512 rows of 128 floats it
takes ~12× as long as a fancy-indexed ``out[indices] += rows``, which is only right for
distinct indices (a repeated index keeps one of its rows). ``np.add.reduceat`` over the
rows sorted by index sums runs of equal indices, but along the first axis it costs about a
microsecond per run, even for runs of one row (350 µs for 512 distinct rows of 128 floats,
7× the fancy-indexed update). So when most indices occur once, the update is done by
fancy indexing for all rows, and the few indices that repeat are then set to their old
value plus the ``reduceat`` sum of their rows; when most repeat, the rows of the others
are added by fancy indexing and the sums of the repeated ones after them. (The order of
addition within a sum is NumPy's; TF leaves it unspecified too.)
"""
from __future__ import annotations

import numpy as np


def add_rows_at(out: np.ndarray, indices: np.ndarray, rows: np.ndarray,
                subtract: bool = False, current: np.ndarray | None = None) -> None:
    """``out[indices[k]] += rows[k]`` (``-=`` with ``subtract``) for every ``k``, in place;
    the rows of repeated indices are summed first. ``rows`` broadcasts to
    ``indices.shape + out.shape[1:]`` and may be a view of ``out``; indices must already
    be checked. ``current``, when the caller has it, is ``out[indices]`` as it is now (a
    copy, only read), which saves gathering it again."""
    flat = indices.reshape(-1)
    if flat.size == 0:
        return
    shape = (flat.size,) + out.shape[1:]
    if rows.shape != shape:
        rows = np.broadcast_to(rows, indices.shape + out.shape[1:]).reshape(shape)
    ordered = np.sort(flat)
    repeats = ordered[1:] == ordered[:-1]
    if not repeats.any():
        _update(out, flat, rows, subtract, current)
        return
    targets = ordered[1:][repeats]  # the indices that repeat, sorted, each once below
    targets = targets[np.concatenate(([True], targets[1:] != targets[:-1]))]
    which = np.minimum(np.searchsorted(targets, flat), targets.size - 1)
    members = np.flatnonzero(targets[which] == flat)  # the positions of their rows
    members = members[np.argsort(which[members], kind="stable")]  # grouped by index
    counts = np.bincount(which[members], minlength=targets.size)
    offsets = np.concatenate(([0], np.cumsum(counts[:-1])))
    sums = np.add.reduceat(rows[members], offsets, axis=0)
    if 2 * members.size > flat.size:  # mostly repeats: the other rows alone, then sums
        once = np.ones(flat.size, dtype=bool)
        once[members] = False
        _update(out, flat[once], rows[once], subtract)
        _update(out, targets, sums, subtract)
        return
    old = out[targets]  # before the update below, which keeps one row per repeated index
    _update(out, flat, rows, subtract, current)
    _update(old, slice(None), sums, subtract)
    out[targets] = old


def _update(out: np.ndarray, targets: np.ndarray | slice, rows: np.ndarray,
            subtract: bool, current: np.ndarray | None = None) -> None:
    """``out[targets] += rows`` (``-=`` with ``subtract``), the targets' rows in one
    fancy-indexed store (with repeated targets, the last one's), from ``current`` (their
    values now, in the shape of ``rows``) when given."""
    if current is not None:
        out[targets] = np.subtract(current.reshape(rows.shape), rows) if subtract else \
            np.add(current.reshape(rows.shape), rows)
    elif subtract:
        out[targets] -= rows
    else:
        out[targets] += rows

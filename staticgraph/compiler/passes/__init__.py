"""Rewrite passes over a plan's IR, one module per pass. Each takes a Program, rewrites
it in place and returns how many rewrites it made. ``PIPELINE`` lists them in the order
they run: folding first (so simplification sees the constants gradients produce), then
simplification, sign propagation and matrix-vector products, then merging of what is
left, fusion of declared op chains, then a final sweep of unused nodes. ``COMMIT_PHASE``
runs after them, in plans of a whole run only (not in function plans: see
``commit_phase``)."""
from __future__ import annotations

from . import chain_fusion, commit_phase, constant_folding, cse, dead_code, matvec, signs, simplify

PIPELINE = [
    ("constant_folding", constant_folding.constant_folding),
    ("simplify", simplify.simplify),
    ("signs", signs.propagate_signs),
    ("matvec", matvec.fuse_matvec),
    ("cse", cse.cse),
    # after merging: a merged value may have more readers
    ("chain_fusion", chain_fusion.fuse_chains),
    ("dead_code", dead_code.dead_code),
]

COMMIT_PHASE = ("commit_phase", commit_phase.commit_phase)

"""TF1's ``ConfigProto``-shaped session options, mapped to compiler switches.

``GPUOptions``, ``RunOptions`` and ``RunMetadata`` are TF's own protocol buffer messages
(the copies TensorBoard ships). ``GPUOptions`` has no effect (there is no GPU);
``RunOptions.trace_level`` makes ``Session.run`` fill ``RunMetadata.step_stats`` (see
:mod:`.tracing`), whose ``partition_graphs`` and ``cost_graph`` stay empty.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tensorboard.compat.proto.config_pb2 import GPUOptions, RunMetadata, RunOptions

from ..compiler.passes import COMMIT_PHASE, PIPELINE
from ..compiler.plan import CompileOptions


@dataclass
class OptimizerOptions:
    """``tf.OptimizerOptions``: ``opt_level`` L0 turns every pass off;
    ``do_constant_folding`` and ``do_common_subexpression_elimination`` toggle single
    passes; ``disabled_passes`` names any others.

    ``do_function_inlining`` is accepted (TF1 scripts set it) and has no effect: in TF1 it
    inlines calls of library functions (``Defun``) into the graph, and a staticgraph graph
    has no function-call ops to inline — ``cond``/``while_loop`` branches are functional
    ops whose kernels run their sub-graphs. Its default is TF1's (False).
    """

    L1 = 0
    L0 = -1
    opt_level: int = 0
    do_constant_folding: bool = True
    do_common_subexpression_elimination: bool = True
    do_function_inlining: bool = False
    disabled_passes: tuple = ()


@dataclass
class GraphOptions:
    """``tf.GraphOptions``: holds the ``optimizer_options``."""

    optimizer_options: OptimizerOptions = field(default_factory=OptimizerOptions)


@dataclass
class ConfigProto:
    """``tf.ConfigProto``: ``graph_options`` sets the compiler's passes and
    ``log_device_placement`` prints TF1's placement lines (every op on the CPU) on standard
    error. The other TF1 fields are accepted so that scripts run unchanged, and have no
    effect: every op runs on the CPU in the calling thread with NumPy (whose BLAS has its
    own thread pool), so device counts, soft placement, thread-pool sizes and GPU options
    change nothing."""

    graph_options: GraphOptions = field(default_factory=GraphOptions)
    log_device_placement: bool = False
    allow_soft_placement: bool = True
    inter_op_parallelism_threads: int = 0
    intra_op_parallelism_threads: int = 0
    use_per_session_threads: bool = False
    device_count: dict = field(default_factory=dict)
    gpu_options: GPUOptions = field(default_factory=GPUOptions)
    operation_timeout_in_ms: int = 0
    isolate_session_state: bool = False
    experimental: Any = None


def options_from_config(config: Any, optimize: bool) -> CompileOptions:
    """Compile options for a Session built with ``config`` and ``optimize``."""
    if config is None:
        return CompileOptions(optimize=optimize)
    opts = config.graph_options.optimizer_options
    disabled = set(opts.disabled_passes)
    known = [name for name, _ in PIPELINE + [COMMIT_PHASE]]
    unknown = sorted(disabled.difference(known))
    if unknown:
        raise ValueError(f"OptimizerOptions.disabled_passes names unknown passes {unknown}; "
                         f"the passes are {known}")
    if not opts.do_constant_folding:
        disabled.add("constant_folding")
    if not opts.do_common_subexpression_elimination:
        disabled.add("cse")
    return CompileOptions(optimize=optimize and opts.opt_level != OptimizerOptions.L0,
                          disabled_passes=frozenset(disabled))

"""Compiling a run: prune, rewrite, plan memory, generate; and executing the result."""
from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ..core import errors
from ..core.gc_pause import cyclic_gc_paused
from ..core.graph import Operation, Tensor
from ..core.registry import Role
from .codegen import Generated, generate
from .ir import Node, Program, build_program

# Debug switch: check the IR with :meth:`Program.verify` after it is built and after every
# pass (the test suite turns it on; a linear walk per pass, off in production).
VERIFY_PASSES = False


@dataclass
class CompileOptions:
    """Which rewrite passes run (all on by default)."""

    optimize: bool = True
    disabled_passes: frozenset = frozenset()


@dataclass
class PassReport:
    """What one pass did: its name, rewrites made, node counts before and after."""

    name: str
    rewrites: int
    nodes_before: int
    nodes_after: int


@dataclass(repr=False)
class Plan:
    """An executable plan for one (fetches, feeds) pair, compiled once and run many times.

    ``function(V, *fed_values)`` returns one value per fetched item (None for ops).
    ``print(plan)`` shows what the passes did and the IR, one line per node;
    ``plan.source`` is the generated Python source.

    A plan keeps none of its IR once compiled: :attr:`program` builds it again on first
    use (a kernel failure's message, a traced run, printing), so the sessions' cached
    plans do not hold a few hundred bytes per node, and the cyclic collector does not
    scan them (a young collection of the IR cost 0.25 s after compiling 100k ops).
    """

    generated: Generated
    fed: list  # the fed tensors, in the order ``function`` takes their values
    ir: Callable[[], Program]  # the IR, built again on first call (a ``RebuiltIR``)
    reports: list = field(default_factory=list)
    variable_keys: frozenset = frozenset()
    writes_state: bool = False
    nodes_before: int = 0
    nodes_after: int = 0
    fetch_names: tuple = ()  # the names of the nodes of the fetched values
    # Builds the instrumented twin of ``generated`` from the IR (see :attr:`traced`).
    make_traced: Callable[[Program], Generated] | None = None
    _traced: Generated | None = None
    writes_only_last: bool = False  # no undo record needed: see Program.writes_only_last

    @property
    def program(self) -> Program:
        """The IR the plan runs: pruned, rewritten, in execution order (built again on
        first use, see the class)."""
        return self.ir()

    @property
    def traced(self) -> Generated:
        """The instrumented source of the same instructions, ``run(TR, V, *fed)``,
        reporting each instruction's start, end and outputs to ``TR`` (see
        :func:`~.codegen.generate`). Compiled on first use only: runs that are not
        traced run :attr:`function`, which has no timing calls."""
        traced = self._traced
        if traced is None:
            if self.make_traced is None:
                raise ValueError(f"{self!r} was compiled without a traced twin")
            program = self.program
            with cyclic_gc_paused():
                traced = self._traced = self.make_traced(program)
        return traced

    @property
    def function(self) -> Callable[..., tuple]:
        """The compiled ``run(V, *fed_values)``."""
        return self.generated.function

    @property
    def source(self) -> str:
        """The generated Python source of :attr:`function`, one commented line per
        instruction (also what tracebacks and ``pdb`` show)."""
        return self.generated.source

    def summary(self) -> str:
        """What the compiler did: node counts before and after each pass, and the memory
        plan of the resulting instructions."""
        lines = [f"pruned graph: {self.nodes_before} nodes",
                 f"{'pass':<24}{'rewrites':>9}{'nodes before':>14}{'nodes after':>13}"]
        for r in self.reports:
            lines.append(f"{r.name:<24}{r.rewrites:>9}{r.nodes_before:>14}{r.nodes_after:>13}")
        if not self.reports:
            lines.append("(optimizations off)")
        lines.append(f"final plan: {self.nodes_after} nodes, "
                     f"{self.generated.instructions} instructions, "
                     f"{self.generated.in_place} in place")
        return "\n".join(lines)

    def __str__(self) -> str:
        """The summary, then the IR with each instruction's line in :attr:`source`."""
        notes = {node: f"(plan line {n})" for n, node in self.generated.line_to_node.items()}
        return f"{self.summary()}\n{self.program.format(notes)}"

    def __repr__(self) -> str:
        fetched = ", ".join(map(repr, self.fetch_names))
        fed = ", ".join(repr(t.name) for t in self.fed)
        return (f"<Plan {self.generated.filename}: {self.nodes_after} nodes, "
                f"fetches [{fetched}], feeds [{fed}]>")

    def run(self, feed_values: Any, variables: dict) -> tuple:
        """Executes the plan; kernel failures become ``OpError``s naming the op."""
        try:
            return self.generated.function(variables, *feed_values)
        except Exception as err:  # re-raised as an OpError naming the op that failed
            raise self.translate_error(err) from err

    def translate_error(self, err: Exception, generated: Generated | None = None
                        ) -> Exception:
        """The exception to raise for ``err`` raised inside the generated function
        (``generated``: the plain one by default, or :attr:`traced`).

        OpErrors and feed conversion errors pass unchanged; a missing variable becomes
        ``FailedPreconditionError``; any other kernel failure an ``InvalidArgumentError``
        naming the op, its input shapes and the user's line that created it.
        """
        if isinstance(err, errors.OpError):
            return err
        generated = generated or self.generated
        frame_locals, lineno = None, None
        tb = sys.exc_info()[2] if sys.exc_info()[1] is err else err.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == generated.filename:
                frame_locals, lineno = tb.tb_frame.f_locals, tb.tb_lineno
            tb = tb.tb_next
        if isinstance(err, KeyError) and err.args and err.args[0] in self.variable_keys:
            name = err.args[0]
            return errors.FailedPreconditionError(
                None, None, f"Attempting to use uninitialized value {name}\n"
                            f"\t [[node {name}]] — run its initializer first "
                            "(e.g. tf.global_variables_initializer()).")
        if lineno is None:  # not raised by an op: a feed conversion, or outside the plan
            return err
        try:
            node = generated.line_to_node.get(lineno)
        except RuntimeError:  # the IR rebuilt differently: keep the user's error as it is
            return err
        if node is None:
            return err
        return _kernel_error(node, err, frame_locals or {}, generated.slot_of)


def _kernel_error(node: Node, err: Exception, frame_locals: dict, slot_of: dict
                  ) -> errors.OpError:
    shapes = []
    for key in node.inputs:
        value = frame_locals.get(slot_of.get(key, ""))
        shapes.append(str(list(np.shape(value))) if value is not None else "?")
    where = node.source.traceback if node.source is not None else "(made by the compiler)"
    message = (f"{node.type} op '{node.name}' failed: {type(err).__name__}: {err}\n"
               f"  input shapes: {', '.join(shapes) or 'none'}\n"
               f"  op created at {where}")
    return errors.InvalidArgumentError(None, node.source, message)


def compile_plan(fetches: list[Tensor], targets: list[Operation], fed: list[Tensor],
                 state: Any, options: CompileOptions | None = None,
                 converters: list[Callable[[Any], Any]] | None = None,
                 layout: list[bool] | None = None, commit_phase: bool = False) -> Plan:
    """Builds the plan fetching ``fetches`` and running ``targets`` with ``fed`` fed.

    The plan's function returns one value per fetched tensor, in order (repeats allowed);
    with ``layout`` (one flag per returned item, False for a fetched op) it returns None
    at the False positions, so a fetch list of tensors and ops comes back in the user's
    order. ``converters`` (one per fed tensor) turn a fed value into the array the plan
    uses. ``commit_phase``: the plan is a whole run (not a function graph's), whose
    variable writes may move to its end (``passes.commit_phase``).
    """
    options = options or CompileOptions()
    layout = layout or [True] * len(fetches)
    converters = converters or [_identity] * len(fed)
    rebuild = functools.partial(_optimized_program, list(fetches),
                                list(dict.fromkeys(targets)), list(fed), options, commit_phase)
    ir = RebuiltIR(rebuild)
    with cyclic_gc_paused():
        program, before, reports = rebuild()
        generated = generate(program, state, layout, converters, rebuilt=ir)
        variable = Role.VARIABLE  # a local: ``Role.X`` is a slow lookup, here once per node
        keys = frozenset(n.attrs["var_key"] for n in program.nodes if n.role is variable)
        make_traced = functools.partial(generate, state=state, layout=layout,
                                        converters=converters, traced=True)
        plan = Plan(generated, list(fed), ir, reports, keys, program.writes_state,
                    before, len(program.nodes), tuple(v[0].name for v in program.fetches),
                    make_traced, writes_only_last=program.writes_only_last)
        del program  # freed here, collector paused: the plan rebuilds it on demand
    return plan


class RebuiltIR:
    """A plan's IR, built again by ``rebuild`` on the first call and kept from then on
    (the plan and its generated source share one, so both see the same nodes)."""

    __slots__ = ("_rebuild", "_program")

    def __init__(self, rebuild: Callable[[], tuple[Program, int, list]]) -> None:
        self._rebuild = rebuild
        self._program: Program | None = None

    def __call__(self) -> Program:
        if self._program is None:
            with cyclic_gc_paused():
                self._program = self._rebuild()[0]
        return self._program


def _optimized_program(fetches: list[Tensor], targets: list[Operation], fed: list[Tensor],
                       options: CompileOptions, commit_phase: bool
                       ) -> tuple[Program, int, list[PassReport]]:
    """The pruned and rewritten IR, its node count before the passes, and what each pass
    did. Deterministic: a plan builds it again on demand (see :class:`RebuiltIR`)."""
    program = build_program(fetches, targets, fed)
    _check_placeholders_fed(program)
    if VERIFY_PASSES:
        program.verify()
    before = len(program.nodes)
    reports = run_passes(program, options, commit_phase) if options.optimize else []
    return program, before, reports


def _identity(value: Any) -> Any:
    return value


def run_passes(program: Program, options: CompileOptions, commit_phase: bool = False
               ) -> list[PassReport]:
    """Runs the enabled rewrite passes in order, recording what each did (and the commit
    phase last when ``commit_phase``)."""
    from .passes import COMMIT_PHASE, PIPELINE  # the passes package lists them in order
    reports = []
    verify = VERIFY_PASSES
    for name, pass_fn in PIPELINE + [COMMIT_PHASE] if commit_phase else PIPELINE:
        if name in options.disabled_passes:
            continue
        before = len(program.nodes)
        rewrites = pass_fn(program)
        if verify:
            program.verify(after=name)
        reports.append(PassReport(name, rewrites, before, len(program.nodes)))
    return reports


def _check_placeholders_fed(program: Program) -> None:
    placeholder = Role.PLACEHOLDER  # a local: ``Role.X`` is a slow lookup
    for node in program.nodes:
        if node.role is placeholder:
            shape, dtype = node.specs[0]
            dims = "<unknown>" if shape.ndims is None else \
                "[" + ",".join("?" if d is None else str(d) for d in shape.as_list()) + "]"
            raise errors.InvalidArgumentError(
                None, node.source,
                f"You must feed a value for placeholder tensor '{node.name}' with dtype "
                f"{dtype.name} and shape {dims}")


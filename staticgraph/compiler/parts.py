"""A long plan's source as a chain of functions, each compiled on its own.

CPython's ``compile()`` keeps every token and syntax-tree node of a source until it has
compiled the whole of it: for a 100,000-op plan (233k lines) that is ~480 MB, which the
process must fault in page by page and give back afterwards. In a process already
holding that plan's graph, ``compile()`` of the whole source took 2.3 s there (1.0 s of
it in the kernel, 152k page faults), and ten times less source took 0.14 s. Compiled as
functions of :data:`PART_LINES` lines, each function's tree is freed before the next is
made, so the same memory serves every part: see docs/benchmarks.md for the figures.

The layout, for a plan cut twice (``head`` is ``V``, or ``TR, V`` in a traced twin)::

    def part0(V, M, f0):       # the plan's first lines, feeds converted on entry
        ...
        M[0:2] = f0, s3,       # the values still live move to the run's list ``M``
    def part1(V, M):
        m1, = M[1],; M[1:2] = [None] * 1   # each part loads what it reads, and clears
        s1 = k8(m1)                        # the entries of the values that die in it
        ...
    def part2(V, M):
        m0, = M[0],
        ...
        return (s2,)           # the plan's own return
    def run(V, f0):            # the entry point, calling the parts in turn
        M = [None] * 2
        part0(V, M, f0)
        part1(V, M)
        return part2(V, M)

A value moves to ``M`` at the first cut it outlives, once (and again only if an
instruction writes a new value into its buffer): a chain whose forward values wait for
its backward pass crosses every cut with all of them, and handing them from part to part
would grow the source with the square of its length. A part reads a moved value as the
local ``m<k>``, loaded with the others it reads in one statement of slices at its start
(what the part reads is known when it ends: the line is written then), which compiles
and runs about as fast as locals; entry ``M[k]`` of a value that dies in the part is
cleared there, and the local is deleted at its last use as a large slot is. Every line
keeps its number in the whole source (each part's code is moved down to its place), so
tracebacks, ``pdb``, warnings and the map from lines to ops read the whole source as
before. A plan of fewer than :data:`PART_LINES` lines is one function, ``run``, as it
always was.
"""
from __future__ import annotations

import types
from typing import Any

# Lines per part: compiling W5's 100k-op plan (233k lines) as functions of 2,000 and of
# 5,000 lines took the same CPU time (0.98 s against 1.60 s whole, in a process without
# the graph). A plan of fewer lines is one function; parts paid at every size measured
# (docs/benchmarks.md): W5's compile + first run at 10k ops the same within noise,
# at 50k 4 % and at 100k 26 % faster.
PART_LINES = 2000


def fed_params(feeds: list[str]) -> str:
    """The fed values' parameters as they follow the others: ``", f0, f1"``."""
    return "".join(", " + f for f in feeds)


def first_part_line(head: str, feeds: list[str]) -> str:
    """The ``def`` line of the first part, which takes the fed values as ``run`` does."""
    return f"def part0({head}, M{fed_params(feeds)}):\n"


class Moved:
    """What the emitter knows of the values moved to ``M``: how many entries there are,
    and, for the part being emitted, the entries it reads, those of them whose values die
    in it, and the ``m<k>`` locals into whose buffers it wrote a value of its own."""

    def __init__(self) -> None:
        self.count = 0
        self.read: set[int] = set()
        self.dead: set[int] = set()
        self.written: set[str] = set()

    def note_reads(self, names: list[str]) -> None:
        """Records the moved values among the expressions ``names`` a line reads."""
        for name in names:
            if name[0] == "m":
                self.read.add(int(name[1:]))

    def took(self, name: str) -> None:
        """An instruction wrote its output into the buffer of local ``name``, whose
        moved value died there."""
        self.dead.add(int(name[1:]))
        self.written.add(name)

    def released(self, name: str) -> None:
        """The value local ``name`` holds died (its entry, if it is still the moved
        value's, is cleared when the part loads it)."""
        if name in self.written:
            self.written.discard(name)
        else:
            self.dead.add(int(name[1:]))

    def load_line(self) -> str:
        """The first line of the part ending now: its reads from ``M``, then its clears
        (``pass`` when it reads nothing); the part's record starts afresh."""
        read, dead = sorted(self.read), sorted(self.dead)
        self.read, self.dead, self.written = set(), set(), set()
        if not read:
            return "    pass\n"
        names = "".join(f"m{k}, " for k in read)
        loads = "".join(f"*M[{a}:{b}], " if b - a > 1 else f"M[{a}], "
                        for a, b in _runs(read))
        clears = "".join(f"; M[{a}:{b}] = [None] * {b - a}" for a, b in _runs(dead))
        return f"    {names}= {loads.rstrip()}{clears}\n"


def _runs(indexes: list[int]) -> list[tuple[int, int]]:
    """Sorted ``indexes`` as ``(start, stop)`` ranges of consecutive ones."""
    runs: list[list[int]] = []
    for k in indexes:
        if runs and runs[-1][1] == k:
            runs[-1][1] = k + 1
        else:
            runs.append([k, k + 1])
    return [(a, b) for a, b in runs]


def part_break(head: str, names: list[str], first: int, index: int) -> list[str]:
    """The lines ending a part, which moves locals ``names`` to ``M[first:]``, and
    starting part ``index`` (its load line is a placeholder until it ends)."""
    lines = [f"    M[{first}:{first + len(names)}] = {', '.join(names)},\n"] if names else []
    return lines + [f"def part{index}({head}, M):\n", "    pass\n"]


def driver(head: str, feeds: list[str], parts: int, moved: int) -> list[str]:
    """The lines of ``run``, which makes ``M`` (``moved`` entries) and calls ``parts``
    parts in turn (at least two)."""
    fed = fed_params(feeds)
    lines = [f"def run({head}{fed}):\n", f"    M = [None] * {moved}\n",
             f"    part0({head}, M{fed})\n"]
    lines += [f"    part{k}({head}, M)\n" for k in range(1, parts - 1)]
    lines.append(f"    return part{parts - 1}({head}, M)\n")
    return lines


def compile_parts(lines: list[str], starts: list[int], filename: str,
                  env: dict[str, Any]) -> None:
    """Compiles the functions beginning at line indexes ``starts`` of ``lines`` (each
    running to the next start) one at a time, and defines them in ``env``, each at its
    own line numbers in the whole of ``lines``."""
    ends = starts[1:] + [len(lines)]
    for start, end in zip(starts, ends):
        module = compile("".join(lines[start:end]), filename, "exec")
        if start:
            module = _moved_down(module, start)
        exec(module, env)


def _moved_down(module: types.CodeType, count: int) -> types.CodeType:
    """``module`` with the line numbers of the function it defines moved down by
    ``count`` (a code object's lines are stored relative to its first line)."""
    consts = tuple(c.replace(co_firstlineno=c.co_firstlineno + count)
                   if isinstance(c, types.CodeType) else c for c in module.co_consts)
    return module.replace(co_consts=consts)

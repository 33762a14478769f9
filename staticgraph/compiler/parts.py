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
        M[0], M[1], = f0, s3,  # the values still live move to the run's dict ``M``
    def part1(V, M):
        s1 = k8(M[1])          # and are read from there
        del M[1]               # (deleted at their last use, as a large slot is)
        ...
    def part2(V, M):
        ...
        return (s2,)           # the plan's own return
    def run(V, f0):            # the entry point, calling the parts in turn
        M = {}
        part0(V, M, f0)
        part1(V, M)
        return part2(V, M)

A value moves to ``M`` at the first cut it outlives, once: a chain whose forward values
wait for its backward pass crosses every cut with all of them, and handing them from part
to part as arguments would grow the source with the square of its length. Every line
keeps its number in the whole source (each part's code is moved down to its place), so
tracebacks, ``pdb``, warnings and the map from lines to ops read the whole source as
before. A plan of fewer than :data:`PARTS_FROM_NODES` nodes is one function, ``run``,
as it always was.
"""
from __future__ import annotations

import types
from typing import Any

# Lines per part: compiling W5's 100k-op plan (233k lines) as functions of 2,000 and of
# 5,000 lines took the same CPU time (0.98 s against 1.60 s whole, in a process without
# the graph).
PART_LINES = 2000
# Plans of fewer nodes (about one line each) are compiled whole. Measured on W5 chains
# with TF1 and PyTorch loaded (tools/w5_phases.py): at 117k nodes (50k ops) parts made
# compile + first run 2 % slower (the entries of ``M`` cost more to compile and to run
# than locals); at 233k nodes (100k ops) 5-14 % faster, and the peak RSS 921 -> 634 MB.
PARTS_FROM_NODES = 150_000


def first_part_line(head: str, feeds: list[str]) -> str:
    """The ``def`` line of the first part, which takes the fed values as ``run`` does."""
    return f"def part0({head}, M{''.join(', ' + f for f in feeds)}):\n"


def part_break(head: str, moved: list[tuple[str, str]], index: int) -> list[str]:
    """The lines ending a part (``moved``: the ``(key, name)`` of each local that moves
    to ``M``, ``key`` such as ``"M[3]"``) and starting part ``index``."""
    lines = []
    if moved:
        keys, names = (", ".join(column) for column in zip(*moved))
        lines.append(f"    {keys}, = {names},\n")
    lines.append(f"def part{index}({head}, M):\n")
    return lines


def driver(head: str, feeds: list[str], parts: int) -> list[str]:
    """The lines of ``run``, which calls ``parts`` parts in turn (at least two)."""
    fed = "".join(", " + f for f in feeds)
    lines = [f"def run({head}{fed}):\n", "    M = {}\n", f"    part0({head}, M{fed})\n"]
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

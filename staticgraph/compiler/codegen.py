"""Turns a scheduled :class:`Program` into Python source compiled once per plan.

The generated ``run(V, f0, f1, ...)`` takes the variables' dict and the fed values
(converted on entry by the session's feed converters) and returns the fetched values in
fetch order (``None`` for fetched ops). Every value lives in a local variable (a
"slot"); each instruction is one line calling the op's kernel directly — or a Python
operator when the kernel is the NumPy ufunc behind it, which NumPy evaluates with the
same loops (and much faster on scalars). A run costs the kernel calls and nothing that
grows with the size of the graph.

Memory: a slot that may hold a large array is deleted after its last reader, before the
next instruction that allocates, so peak memory follows liveness; an elementwise op
whose input dies there writes into it (see :mod:`.memory`), as an augmented assignment
(``s1 *= c2``) when it writes into its first operand. Slot names are reused once their
value is dead, which keeps the function's local table small; together with few and
short lines this keeps its compilation fast at 100,000+ instructions. A plan longer than
a few thousand lines is compiled as a chain of functions of that length (see
:mod:`.parts`).
Variables are read as ``V['name']`` at each use, so a read ordered after an assignment
sees the new value; constants and kernels are globals of the generated module, one
global per distinct kernel (and attributes). A rank-0 constant is a NumPy scalar, and a
0-d array where a ufunc combines it into an array result (see ``array_operands``).

Reading it: each instruction's line ends with a comment naming the user's op and the line
that created it (its file relative to the working directory), and the source is
registered with :mod:`linecache` until the plan is freed, so tracebacks, ``pdb`` and
warnings raised on a plan's line (NumPy's floating-point warnings from ufunc kernels,
operators and inline expressions) show that line and its comment. The comments are
written when a line is read (see :class:`.source_lines.CommentedLines`): the compiled
source has none, on the same line numbers, and most plans never show a line. User strings (op
names, variable keys) reach the source only as ``repr()`` literals or sanitised
comments, never through ``str.format``.
"""
from __future__ import annotations

import functools
import itertools
import linecache
import math
import os
import re
import time
import weakref
from dataclasses import dataclass
from collections.abc import Sequence
from typing import Any, Callable

import numpy as np

from ..core.registry import Role
from ..core.shapes import TensorShape
from .ir import Node, Program, const_value, freeze
from .memory import InPlace, MemoryPlan, plan_memory
from .parts import (PART_LINES, Moved, compile_parts, driver, fed_params, first_part_line,
                    part_break)
from .source_lines import CommentedLines

# Values at or below this many elements (8 KiB of float64) are not worth a ``del``: it
# costs a line per run, and the slot's name is soon reused, which frees the value anyway.
_SMALL = 1024
_BINARY_OPERATORS = {np.add: "+", np.subtract: "-", np.multiply: "*", np.true_divide: "/",
                     np.less: "<", np.less_equal: "<=", np.greater: ">",
                     np.greater_equal: ">="}
_UNARY_OPERATORS = {np.negative: "-"}
# ``a op= b`` on an array calls the ufunc with ``out=a``: the same loop as ``ufunc(a, b, a)``,
# and a line CPython compiles about twice as fast.
_AUGMENTED_OPERATORS = {np.add: "+=", np.subtract: "-=", np.multiply: "*=",
                        np.true_divide: "/="}
# Nodes that are expressions of the generated code rather than lines (and feeds).
# Globals: reading ``Role.X`` costs ~0.1 µs (an enum class attribute lookup).
_CONSTANT, _VARIABLE, _NO_OP = Role.CONSTANT, Role.VARIABLE, Role.NO_OP
_EXPRESSIONS = (_CONSTANT, _VARIABLE)  # a tuple: Role hashes in Python
_counter = itertools.count()


# A placeholder ``{N}`` of an inline template, or a string literal (skipped whole, so a
# ``repr()`` of any user string may appear in a template).
_PLACEHOLDER = re.compile(r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|\{(\d+)\}""")


def fill(template: str, args: list[str]) -> str:
    """``template`` with each placeholder ``{N}`` outside string literals replaced by
    ``args[N]``; everything else, braces included, is kept as written."""
    return _PLACEHOLDER.sub(
        lambda m: m.group(0) if m.group(1) is None else args[int(m.group(1))], template)


@dataclass
class Generated:
    """The compiled run function and what maps its lines back to graph ops.

    What maps lines to IR nodes (:attr:`line_to_node`, :attr:`memory`, :attr:`slot_of`)
    is not kept: only a kernel failure's message, a printed plan and the tests need it,
    so the first use emits ``ir()`` again (the plan's IR, rebuilt: building,
    rewriting and emitting are deterministic) and checks that it gives these very lines.
    """

    function: Callable[..., tuple]
    lines: CommentedLines  # the source's lines, each ending in a newline
    filename: str
    ir: Callable[[], Program]  # the IR this source was emitted from (see above)
    emit_again: Callable[[Program], _Emitter]  # emits a program as this source was
    instructions: int  # how many lines run an op
    in_place: int  # how many of them write into an input's buffer
    # Instrumented source only: the instructions in the order they report, each with
    # whether it writes its output into an input's buffer (see :func:`generate`).
    traced: list[tuple[Node, bool]] | None = None
    _again: _Emitter | None = None

    @property
    def source(self) -> str:
        """The generated Python source."""
        return "".join(self.lines)

    @property
    def line_to_node(self) -> dict[int, Node]:
        """The IR node each instruction line runs, by line number."""
        return self._emitted_again().line_to_node

    @property
    def memory(self) -> MemoryPlan:
        """The memory plan the source follows."""
        return self._emitted_again().memory

    @property
    def slot_of(self) -> dict[tuple, str]:
        """The expression holding each value (``(node, output index)``), e.g. ``"s12"``
        (or ``"m3"``, the local of a value a plan compiled in parts moved to ``M``)."""
        return self._emitted_again().expr

    def _emitted_again(self) -> _Emitter:
        if self._again is None:
            emitter = self.emit_again(self.ir())
            if emitter.lines != self.lines._code:
                raise RuntimeError(f"{self.filename}: the rebuilt IR emits another source")
            self._again = emitter
        return self._again


def as_result(value: Any) -> Any:
    """A fetched value as TF1 returns it: arrays, and NumPy scalars for rank 0."""
    if isinstance(value, np.generic):
        return value
    if type(value) is np.ndarray:
        return value[()] if value.ndim == 0 else value
    return np.asarray(value)[()]


def _copied_result(value: Any) -> Any:
    """A fetched value that may share memory with a feed, constant or variable: copied
    (a string scalar, immutable ``bytes``, is returned as it is)."""
    if type(value) is bytes:
        return value
    return as_result(np.array(value, copy=True))


def _is_small(shape: TensorShape) -> bool:
    """True when ``shape`` is static with at most :data:`_SMALL` elements."""
    dims = shape.as_tuple()
    return dims is not None and None not in dims and math.prod(dims) <= _SMALL


# NumPy 2.4 deprecates a positional output for these two (and only these two).
_KEYWORD_OUT = frozenset({np.maximum, np.minimum})


def _out(kernel: Any, target: str) -> str:
    """The output argument of an in-place ufunc call: positional (faster) where allowed."""
    return f"out={target}" if kernel in _KEYWORD_OUT else target


class _Emitter:
    """Builds the source line by line: slot names, globals, releases."""

    def __init__(self, program: Program, state: Any, converters: list,
                 traced: bool = False) -> None:
        self.program = program
        # Traced source only: the instructions in order, each with whether its output
        # is written into an input's buffer (no allocation).
        self.traced: list[tuple[Node, bool]] | None = [] if traced else None
        self.memory = plan_memory(program)
        self.last_use, self.inplace = self.memory.last_use, self.memory.inplace
        self.env: dict[str, Any] = {"S": state, "R": as_result, "RC": _copied_result,
                                    "np": np}
        self.lines: list[str] = []  # each ending in a newline (one line each)
        self.expr: dict[tuple, str] = {}  # value -> the expression holding it
        self.scalar_values: set[tuple] = set()  # the values of rank-0 constants
        self.array_constants: dict[tuple, str] = {}  # those bound as 0-d arrays
        self.line_to_node: dict[int, Node] = {}
        self.free: list[str] = []  # names of slots whose value is dead
        self.pending_del: list[str] = []  # dead large values to delete before allocating
        self.slot_count = 0
        self.kernel_names: dict[Any, str] = {}
        self.small_shapes: dict[int, bool] = {}  # id(shape) -> _is_small(shape)
        feeds = self.feeds = [f"f{i}" for i in range(len(program.feeds))]
        head = self.head = "TR, V" if traced else "V"
        # Parts (see :mod:`.parts`): the line index of each function's ``def``, the value
        # each local name holds (read at a cut), the values moved to ``M``.
        self.part_starts = [0]
        self.holder: dict[str, tuple] = {}
        self.moved = Moved()
        self.lines.append(f"def run({head}{fed_params(feeds)}):\n")
        for node, name, convert in zip(program.feeds, feeds, converters):
            self.env["F" + name] = convert
            self.lines.append(self.feed_line(name, convert) + "\n")
            self.expr[(node, 0)] = name
            self.holder[name] = (node, 0)

    def feed_line(self, name: str, convert: Callable[[Any], Any]) -> str:
        """The line converting fed value ``name`` on entry. A converter with a
        ``passes_unchanged`` attribute, ``(dtype, shape)``, returns a C-contiguous, aligned,
        writable ndarray of exactly that dtype and shape as it is: that test is inlined, so
        such a value costs no call (about 0.25 µs per feed and run)."""
        passes = getattr(convert, "passes_unchanged", None)
        if passes is None:
            return f"    {name} = F{name}({name})"
        dtype, shape = self.bind("d", passes[0]), self.bind("d", tuple(passes[1]))
        self.env["ND"] = np.ndarray
        return (f"    if type({name}) is not ND or {name}.shape != {shape} or "
                f"{name}.dtype is not {dtype} or not {name}.flags.carray: {name} = F{name}({name})")

    # -- names -------------------------------------------------------------------------
    def new_slot(self) -> str:
        """A local name for a new value: a dead slot's name when there is one."""
        if self.free:
            return self.free.pop()
        self.slot_count += 1
        return f"s{self.slot_count}"

    def bind(self, prefix: str, value: Any) -> str:
        """Makes ``value`` a global of the generated module; returns its name."""
        name = f"{prefix}{len(self.env)}"
        self.env[name] = value
        return name

    def kernel_name(self, node: Node) -> str:
        """One global per distinct (kernel, attributes) pair."""
        kernel = node.opdef.kernel
        try:
            key = (kernel, freeze(node.attrs)) if node.attrs else kernel
        except TypeError:  # attributes without a safe key get a global of their own
            key = (kernel, node)
        name = self.kernel_names.get(key)
        if name is None:
            bound = functools.partial(kernel, **node.attrs) if node.attrs else kernel
            name = self.kernel_names[key] = self.bind("k", bound)
        return name

    # -- instructions --------------------------------------------------------------------
    def emit(self, pos: int, node: Node) -> None:
        """Emits the instruction for the node at ``pos`` (constants, variable reads and
        feeds become expressions, not lines)."""
        inplace = self.inplace.get(pos)
        if inplace is None:  # (an in-place instruction is a ufunc op's: not asked)
            role = node.role
            if node.opdef is None or role in _EXPRESSIONS:
                self.expression(node)
                return
            if role is _NO_OP:  # only orders its control inputs, which come before it
                return
        inputs = node.inputs
        args = list(map(self.expr.__getitem__, inputs))
        if self.moved.count:
            self.moved.note_reads(args)
        # (ufunc cannot be subclassed)
        if node.opdef.kernel.__class__ is np.ufunc and not self.scalar_values.isdisjoint(inputs):
            self.array_operands(node, args)
        if inplace is None or inplace.checked:
            self.allocating(pos, node, args, inplace)
        else:
            self.writing_in_place(pos, node, args, inplace.index)

    def writing_in_place(self, pos: int, node: Node, args: list[str], index: int) -> None:
        """Emits the node writing its output into its input ``index``, whose slot becomes
        the output's: no new name, no allocation (the plan's most common instruction)."""
        target = args[index]
        text = self.in_place(node, args, index)
        if self.traced is None:
            lines = self.lines
            lines.append(text)  # its comment is CommentedLines's
            self.line_to_node[len(lines)] = node
        else:
            self.add_traced_line(node, text, (target,), True)
        self.expr[(node, 0)] = target
        self.holder[target] = (node, 0)
        if target[0] == "m":
            self.moved.took(target)
        last_use = self.last_use
        if len(args) == 2:  # the other operand may die here too
            value, name = node.inputs[1 - index], args[1 - index]
            if last_use[value] == pos and name[0] in "sm" and name != target:
                self.free_slot(value, name)
        if (node, 0) not in last_use:
            self.free_slot((node, 0), target)

    def allocating(self, pos: int, node: Node, args: list[str], inplace: InPlace | None
                   ) -> None:
        """Emits the node assigning its outputs to new slots (a ``checked`` ``inplace``
        writes into an input when the shapes match at run time)."""
        if self.pending_del:  # before the instruction allocates its outputs
            self.flush_releases()
        if len(node.specs) == 1:  # the common case
            targets = [self.new_slot()]
            text = f"    {targets[0]} = {self.call(node, args, inplace)}\n"
        else:  # no output, or several (``s1, s2, = k3(s4)``)
            targets = [self.new_slot() for _ in node.specs]
            call = self.call(node, args, inplace)
            text = f"    {', '.join(targets)}, = {call}\n" if targets else f"    {call}\n"
        if self.traced is None:
            lines = self.lines
            lines.append(text)
            self.line_to_node[len(lines)] = node
        else:
            self.add_traced_line(node, text, targets, False)
        expr, holder = self.expr, self.holder
        if len(targets) == 1:  # the common case, without enumerate
            value = (node, 0)
            expr[value] = targets[0]
            holder[targets[0]] = value
        else:
            for i, t in enumerate(targets):
                expr[(node, i)] = t
                holder[t] = (node, i)
        self.release(pos, node, targets)

    def add_traced_line(self, node: Node, text: str, targets: Sequence[str],
                        in_place: bool) -> None:
        """Appends the instruction line ``text`` of ``node`` (assigning ``targets``;
        ``in_place``: writing into an input's buffer) between the traced source's
        timing lines."""
        lines, traced = self.lines, self.traced
        lines.append("    t_ = P()\n")
        lines.append(text)
        self.line_to_node[len(lines)] = node
        lines.append(f"    TR({len(traced)}, t_, P(){''.join(', ' + t for t in targets)})\n")
        traced.append((node, in_place))

    def expression(self, node: Node) -> None:
        """Records the expression standing for a feed, constant or variable read."""
        if node.role is _CONSTANT:
            value = node.attrs["value"]
            if value.ndim == 0:
                self.scalar_values.add((node, 0))
            self.expr[(node, 0)] = self.bind("c", value[()] if value.ndim == 0 else value)
        elif node.role is _VARIABLE:
            self.expr[(node, 0)] = f"V[{node.attrs['var_key']!r}]"

    def array_operands(self, node: Node, args: list[str]) -> None:
        """Replaces in ``args`` each rank-0 constant of a ufunc whose result is an array
        (static rank 1 or more) by the same value as a 0-d array.

        NumPy converts a NumPy scalar operand on every call, which costs about 0.3 µs
        more than a 0-d array of the same value and dtype; both are typed the same way
        (as strongly typed, or value-based before NumPy 2), so the ufunc selects the same
        loop and the result has the same bits. Scalar results keep NumPy scalars, which
        are much faster to compute with than 0-d arrays."""
        if not node.specs[0][0].ndims:
            return
        for i, value in enumerate(node.inputs):
            if value in self.scalar_values:
                name = self.array_constants.get(value)
                if name is None:
                    name = self.array_constants[value] = self.bind(
                        "c", value[0].attrs["value"])
                args[i] = name

    def in_place(self, node: Node, args: list[str], index: int) -> str:
        """The line writing the node's result into its input ``index``: an augmented
        assignment when that input comes first, else the ufunc with ``out`` positional."""
        kernel = node.opdef.kernel
        if index == 0 and kernel in _AUGMENTED_OPERATORS and len(args) == 2:
            return f"    {args[0]} {_AUGMENTED_OPERATORS[kernel]} {args[1]}\n"
        return f"    {self.kernel_name(node)}({', '.join(args)}, {_out(kernel, args[index])})\n"

    def call(self, node: Node, args: list[str], inplace: InPlace | None) -> str:
        """The expression computing the node's outputs."""
        kernel = node.opdef.kernel
        if inplace is not None:  # checked at run time: operands of the same shape
            a, b = args[inplace.index], args[1 - inplace.index]
            name = self.kernel_name(node)
            plain = f"{name}({', '.join(args)})"
            return (f"{name}({', '.join(args)}, {_out(kernel, a)}) if {a}.shape == {b}.shape "
                    f"else {plain}")
        if not node.attrs and len(args) == 2 and kernel in _BINARY_OPERATORS:
            return f"{args[0]} {_BINARY_OPERATORS[kernel]} {args[1]}"
        if not node.attrs and len(args) == 1 and kernel in _UNARY_OPERATORS:
            return f"{_UNARY_OPERATORS[kernel]}{args[0]}"
        inline = node.opdef.inline
        if inline is not None:
            inputs = node.inputs
            template = inline(node.attrs, [const_value(v) for v in inputs],
                              [source.specs[index] for source, index in inputs])
            if isinstance(template, tuple):  # values the template reads as globals
                template, values = template
                args = args + [self.bind("c", value) for value in values]
            if template is not None:
                return fill(template, args)
        if node.opdef.uses_state:
            args = ["S"] + args
        return f"{self.kernel_name(node)}({', '.join(args)})"

    def release(self, pos: int, node: Node, targets: list[str]) -> None:
        """Frees the slots whose last reader is this instruction, and unread outputs
        (``targets``: the new slots of its outputs).

        A large value's ``del`` waits for the next instruction that allocates (see
        :meth:`flush_releases`): until then nothing needs the memory, and one ``del``
        statement for several names compiles faster than one each."""
        last_use = self.last_use
        freed: tuple = ()  # (rarely more than one name: no list per instruction)
        for value in node.inputs:  # each input has a last use: maybe this instruction
            if last_use[value] == pos:
                name = self.expr[value]
                # A slot or a moved value's local (not a feed, constant or variable
                # read), not a repeated input.
                if name[0] in "sm" and name not in freed:
                    freed += (name,)
                    self.free_slot(value, name)
        if len(targets) == 1:  # the common case, without enumerate
            if (node, 0) not in last_use:
                self.free_slot((node, 0), targets[0])
            return
        for i, name in enumerate(targets):
            if (node, i) not in last_use:
                self.free_slot((node, i), name)

    def free_slot(self, value: tuple, name: str) -> None:
        """Makes the slot ``name`` holding ``value`` reusable (deleted when large); a
        moved value's local ``m<k>`` (see :mod:`.parts`) is deleted when large too, and
        its entry in ``M`` cleared when the part loads it."""
        shape = value[0].specs[value[1]][0]
        small = self.small_shapes.get(id(shape))  # (the program keeps its shapes alive)
        if small is None:
            small = self.small_shapes[id(shape)] = _is_small(shape)
        if name[0] == "m":
            self.moved.released(name)
        else:
            self.free.append(name)
        if not small:
            self.pending_del.append(name)

    def flush_releases(self) -> None:
        """Deletes the large dead values not deleted yet."""
        if self.pending_del:
            self.lines.append(f"    del {', '.join(self.pending_del)}\n")
            self.pending_del = []

    def cut(self) -> None:
        """Ends the current function after the last instruction and starts the next
        part (see :mod:`.parts`): the values held by live locals (the feeds at the first
        cut, the slots not dead, and the moved values' locals the part wrote new values
        into) move to new entries of ``M``; the next part's slots are named afresh."""
        self.flush_releases()
        free = set(self.free)
        names = [name for name in map("s{}".format, range(1, self.slot_count + 1))
                 if name not in free] + sorted(self.moved.written)
        if len(self.part_starts) == 1:
            names = self.feeds + names
            self.lines[0] = first_part_line(self.head, self.feeds)
        first = self.moved.count
        for k, name in enumerate(names, first):
            self.expr[self.holder[name]] = f"m{k}"
        self.moved.count += len(names)
        self.end_part()
        self.free, self.slot_count = [], 0
        lines = part_break(self.head, names, first, len(self.part_starts))
        self.part_starts.append(len(self.lines) + len(lines) - 2)
        self.lines += lines

    def end_part(self) -> None:
        """Writes the load line of the part ending now (the first part has none)."""
        if len(self.part_starts) > 1:
            self.lines[self.part_starts[-1] + 1] = self.moved.load_line()

    # -- the return --------------------------------------------------------------------
    def finish(self, layout: list[bool]) -> str:
        """Adds the return statement (and, when the source was cut into parts, the
        ``run`` that calls them); returns the whole source."""
        self.flush_releases()
        fetches = iter(self.program.fetches)
        outs, seen = [], set()
        for is_tensor in layout:
            if not is_tensor:
                outs.append("None")
                continue
            value = next(fetches)
            outs.append(self.result(value, value[0].specs[value[1]][0].ndims, value in seen))
            seen.add(value)
        self.lines.append(f"    return ({', '.join(outs)}{',' if len(outs) == 1 else ''})\n")
        if len(self.part_starts) > 1:
            self.moved.note_reads([self.expr[value] for value in self.program.fetches])
            self.end_part()
            self.part_starts.append(len(self.lines))
            self.lines += driver(self.head, self.feeds, len(self.part_starts) - 1,
                                 self.moved.count)
        return "".join(self.lines)

    def result(self, value: tuple, ndims: int | None, repeated: bool) -> str:
        """The expression returning one fetched value."""
        name = self.expr[value]
        if self.memory.protected(value) or repeated:
            return f"RC({name})"
        return name if ndims else f"R({name})"


def generate(program: Program, state: Any, layout: list[bool],
             converters: list[Callable[[Any], Any]], traced: bool = False,
             rebuilt: Callable[[], Program] | None = None) -> Generated:
    """Emits and compiles ``run(V, *fed)`` for ``program``.

    ``layout`` has one entry per fetched item: True for a tensor (taken in order from
    ``program.fetches``), False for an op (returns None). ``converters`` convert each fed
    value on entry (``program.feeds`` order).

    ``traced=True`` emits the instrumented twin ``run(TR, V, *fed)`` of the same
    instructions: each instruction line is preceded by ``t_ = P()`` and followed by
    ``TR(k, t_, P(), *outputs)`` (``P`` is :func:`time.perf_counter_ns`, ``k`` the index
    into :attr:`Generated.traced`). The plain source has no timing at all.

    ``rebuilt`` gives ``program`` again on demand (see :class:`Generated`); without it
    the result keeps ``program``.
    """
    emitter = _emitted(program, state, converters, traced)
    source = emitter.finish(layout)
    if traced:  # added last: the globals' names are those of the plain source
        emitter.env["P"] = time.perf_counter_ns
    filename = f"<staticgraph plan {next(_counter)}>"
    compile_parts(emitter.lines, emitter.part_starts, filename, emitter.env)
    function = emitter.env["run"]
    lines = CommentedLines(emitter.lines, emitter.line_to_node, os.getcwd())
    # Shown by tracebacks, pdb and warnings while the plan lives (an entry without a
    # modification time is never checked against a file).
    linecache.cache[filename] = (len(source), None, lines, filename)
    weakref.finalize(function, linecache.cache.pop, filename, None)
    emit_again = functools.partial(_finished, state=state, converters=converters,
                                   traced=traced, layout=layout)
    return Generated(function, lines, filename, rebuilt or (lambda: program), emit_again,
                     len(emitter.line_to_node), len(emitter.memory.inplace), emitter.traced)


def _emitted(program: Program, state: Any, converters: list[Callable[[Any], Any]],
             traced: bool) -> _Emitter:
    """An emitter that has emitted every instruction of ``program``."""
    emitter = _Emitter(program, state, converters, traced)
    emit, lines = emitter.emit, emitter.lines
    cut_at = PART_LINES
    for pos, node in enumerate(program.nodes):
        emit(pos, node)
        if len(lines) >= cut_at:
            emitter.cut()
            cut_at = len(lines) + PART_LINES
    return emitter


def _finished(program: Program, state: Any, converters: list[Callable[[Any], Any]],
              traced: bool, layout: list[bool]) -> _Emitter:
    """An emitter that has emitted all of ``program``'s source, its return included."""
    emitter = _emitted(program, state, converters, traced)
    emitter.finish(layout)
    return emitter

"""The lines of a plan's generated source as users read them, comments included."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .ir import Node, creation_site, site_label


class CommentedLines(Sequence):
    """The lines of a plan's source as users read them (``Generated.source``, tracebacks,
    ``pdb``, warnings): the compiled lines, each instruction's line ending in a comment
    naming its op and creation site (:func:`~.ir.site_label` of its node's name and the
    user's op it stands for, files relative to ``cwd``, the working directory when the
    plan was compiled). A comment is formatted when its line is read: the lines of a
    large plan are rarely shown, and formatting them all cost ~15 % of its emission.

    Keeps, per instruction line, the node's name and its op's creation site: not the
    node (a plan keeps none of its IR, see ``Plan.program``) and not the user's op. The
    lines outlive the plan in ``linecache`` until the plan's function is collected, and a
    reference to the op from there would keep the whole graph for one more collection.
    """

    def __init__(self, code: list[str], line_to_node: dict[int, Node], cwd: str) -> None:
        self._code = code  # the compiled source's lines, each ending in a newline
        # Two dicts, not one of (name, site) pairs: a dict of strings and of tuples of a
        # string and an int is no object for the cyclic collector, and a pair per line
        # would be one each.
        self._names = {line: node.name for line, node in line_to_node.items()}
        self._sites_of = {line: creation_site(node) for line, node in line_to_node.items()}
        self._cwd = cwd
        self._sites: dict = {}  # site_label's cache of creation-site texts

    def __len__(self) -> int:
        return len(self._code)

    def __getitem__(self, index: Any) -> Any:
        code = self._code
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(code)))]
        line = code[index]  # IndexError past either end
        number = index + 1 if index >= 0 else len(code) + index + 1
        name = self._names.get(number)
        if name is None:
            return line
        label = site_label(name, self._sites_of[number], self._cwd, self._sites)
        return f"{line[:-1]}  # {label}\n"

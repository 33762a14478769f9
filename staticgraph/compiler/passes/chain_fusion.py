"""Op chains computed by one kernel: an op declares the chains it replaces
(``OpDef.fuses``, a :class:`~staticgraph.core.registry.Fusion` each), e.g. a convolution
whose bias add and ReLU run on each block of its output while the block is in cache.

A chain is rewritten when every op in it is pure, every intermediate value has exactly
one reader (the next op in the chain: not fetched, not read elsewhere), and the
declaration's ``attrs`` accepts the chain's attributes and input specs. The fused node
stands where the chain's last op stood, under the chain's first op's name (a shape
error at run time is about the user's convolution). Chains are matched at their last
op, so no declared chain may be a proper prefix of another (the shorter one would win).
"""
from __future__ import annotations

from ...core.registry import Fusion, OpDef, registered_ops
from ..ir import Node, Program, Value
from .moved_reads import AssignmentCounter


def _declared() -> dict[str, list[tuple[OpDef, Fusion]]]:
    """Every declared chain, keyed by its last op type."""
    chains: dict[str, list[tuple[OpDef, Fusion]]] = {}
    for opdef in registered_ops().values():
        for fusion in opdef.fuses:
            chains.setdefault(fusion.chain[-1], []).append((opdef, fusion))
    return chains


def _chain_nodes(node: Node, chain: tuple[str, ...], readers: dict) -> list[Node] | None:
    """The nodes of ``chain`` ending at ``node`` (innermost first), or None when the
    chain is not there or an intermediate value has another reader."""
    nodes = [node]
    for op_type in reversed(chain[:-1]):
        outer = nodes[-1]
        if not outer.inputs:
            return None
        inner, index = outer.inputs[0]
        if inner.type != op_type or index != 0 or inner.num_outputs != 1 or \
                readers.get(inner) != 1 or not inner.pure:
            return None
        nodes.append(inner)
    return nodes[::-1]


def fuse_chains(program: Program) -> int:
    """Replaces declared op chains by their fused ops; returns how many it replaced."""
    chains = _declared()
    if not any(node.type in chains for node in program.nodes):
        return 0
    readers = program.reader_counts()
    assignments = AssignmentCounter()

    def visit(node: Node) -> list | None:
        assignments.visit(node)
        if not node.pure:
            return None
        for opdef, fusion in chains.get(node.type, ()):
            nodes = _chain_nodes(node, fusion.chain, readers)
            if nodes is None:
                continue
            inputs: list[Value] = list(nodes[0].inputs)
            for outer in nodes[1:]:
                inputs.extend(outer.inputs[1:])
            if not assignments.reads_may_move(nodes[0], inputs):
                continue
            attrs = fusion.attrs([n.attrs for n in nodes],
                                 [src.specs[i] for src, i in inputs])
            if attrs is None:
                continue
            fused = Node(opdef.type, opdef, inputs, attrs, node.specs, nodes[0].name,
                         nodes[0].source)
            fused.origin = "fused " + " -> ".join(fusion.chain)
            return [(fused, 0)]
        return None

    return program.sweep(visit)

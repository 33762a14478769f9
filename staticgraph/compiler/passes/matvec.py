"""Matrix-vector products spelled with a column: ``reshape(A @ reshape(v, [k, 1]), [m])``.

TF1's MatMul multiplies matrices only, so a script multiplying by a vector reshapes it
to a column and the product back (and the gradient does the same with ``Aᵀ``). The pass
makes the three ops one ``MatVec(A, v)``. The result has the same bits: NumPy's matmul
loop sees the same sizes and strides for ``v`` as for the column (a one-column output
selects the same gemv call, or the same plain loop), so only the two reshapes go.
"""
from __future__ import annotations

from ...core.registry import Role, op_for
from ..ir import Node, Program
from .moved_reads import AssignmentCounter


def fuse_matvec(program: Program) -> int:
    """Rewrites column products whose matrix product nothing else reads; returns how
    many it rewrote."""
    matmul = Role.MATMUL  # a local: ``Role.X`` is a slow lookup, here once per node
    if not any(node.role is matmul for node in program.nodes):
        return 0  # the common case for large elementwise plans: skip the counting
    readers = program.reader_counts()
    # The fused op runs where the outer reshape did, the column was made earlier.
    assignments = AssignmentCounter()

    def visit(node: Node) -> list | None:
        assignments.visit(node)
        if node.role is not Role.RESHAPE or node.specs[0][0].ndims != 1:
            return None
        product = node.inputs[0][0]
        if product.role is not Role.MATMUL or readers.get(product) != 1 or \
                product.attrs.get("transpose_b") or not (node.pure and product.pure):
            return None
        matrix, column = product.inputs
        column_node = column[0]
        if column_node.role is not Role.RESHAPE or not column_node.pure:
            return None
        vector = column_node.inputs[0]
        column_dims = column_node.specs[0][0].as_tuple()
        if vector[0].specs[vector[1]][0].ndims != 1 or column_dims is None or \
                len(column_dims) != 2 or column_dims[1] != 1 or \
                matrix[0].specs[matrix[1]][0].ndims != 2:
            return None
        if not assignments.reads_may_move(column_node, [matrix, vector]):
            return None
        attrs = {"transpose_a": bool(product.attrs.get("transpose_a"))}
        # Named after the user's MatMul: a shape error at run time is about the product.
        matvec = op_for(Role.MATVEC)
        fused = Node(matvec.type, matvec, [matrix, vector], attrs, node.specs, product.name,
                     product.source)
        fused.origin = "matrix-vector product"
        return [(fused, 0)]

    return program.sweep(visit)

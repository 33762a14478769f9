"""staticgraph.viz layer: pictures and traces of graphs.

- :mod:`.dot`: ``tf.to_dot`` (Graphviz DOT of a graph, of what fetches need, or of a
  compiled plan) and ``to_networkx(graph)``;
- :mod:`.trace`: ``tf.trace`` primal, tangent and adjoint evaluation traces;
- :mod:`.summary`: ``tf.summary`` ops and ``FileWriter``.
"""

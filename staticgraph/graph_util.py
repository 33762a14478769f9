"""``tf.graph_util``: freezing variables into constants and taking sub-graphs of GraphDefs."""
from .io.graph_util import (convert_variables_to_constants, extract_sub_graph,  # noqa: F401
                            remove_training_nodes)

__all__ = ["convert_variables_to_constants", "extract_sub_graph", "remove_training_nodes"]

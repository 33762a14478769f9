"""staticgraph.io layer: TensorFlow's file formats, and ``tf.io``.

GraphDef/MetaGraph protocol buffers (:mod:`.graph_def`, :mod:`.import_graph`,
:mod:`.meta_graph`), V2 checkpoints (:mod:`.tensor_bundle`, :mod:`.checkpoint_reader`),
TensorBoard event files (:mod:`.events`), written atomically (:mod:`.files`).
As ``tf.io`` it offers ``write_graph``.
"""
from .graph_util import write_graph  # noqa: F401  (tf.io.write_graph)

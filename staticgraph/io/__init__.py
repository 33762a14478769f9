"""staticgraph.io layer: TensorFlow's file formats, and ``tf.io``.

GraphDef/MetaGraph protocol buffers (:mod:`.graph_def`, :mod:`.import_graph`,
:mod:`.meta_graph`), V2 checkpoints (:mod:`.tensor_bundle`, :mod:`.checkpoint_reader`),
TensorBoard event files (:mod:`.events`), written atomically (:mod:`.files`).
As ``tf.io`` it offers ``write_graph``, TFRecord files (:mod:`.tfrecord`), Example
parsing (:mod:`.example_parsing`), CSV (:mod:`.csv_ops`), file/byte ops
(:mod:`.io_ops`) and the PNG codecs (:mod:`.image_codecs`); the queue classes are
added by the package's ``__init__``.
"""
from .graph_util import write_graph  # noqa: F401  (tf.io.write_graph)
# TFRecord files, Example parsing, CSV and file/byte ops (tf.io names)
from .codec_ops import (decode_base64, decode_json_example,  # noqa: F401,E402
                        encode_base64)
from .csv_ops import decode_csv  # noqa: F401,E402
from .example_parsing import (FixedLenFeature, FixedLenSequenceFeature,  # noqa: F401,E402
                              VarLenFeature, parse_example, parse_single_example,
                              parse_single_sequence_example)
from .io_ops import (decode_compressed, decode_raw, matching_files,  # noqa: F401,E402
                     parse_tensor, read_file, serialize_tensor, write_file)
from .tfrecord import (TFRecordCompressionType, TFRecordOptions,  # noqa: F401,E402
                       TFRecordWriter, tf_record_iterator)
# the PNG codecs, also under tf.io as in TF1
from .image_codecs import decode_image, decode_png, encode_png, is_jpeg  # noqa: F401,E402

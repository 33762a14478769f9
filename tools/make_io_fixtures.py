"""Writes tests/io/fixtures/: TFRecord files of tf.train.Example / SequenceExample
protos written by TensorFlow (plain, GZIP, ZLIB), a CSV file, and tf_io.json with
TensorFlow's results on them (parsing, CSV decoding, readers' keys, serialized tensors).

Run with a TensorFlow install (the tests only read the files):
    /work/tfenv/bin/python tools/make_io_fixtures.py
"""
import json
import os
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).resolve().parents[1] / "tests/io/fixtures"
CSV = 'id,score,name\n1,0.5,"a,b"\n2,,plain\n3,NA,"say ""hi"""\n'


def _jsonable(value):
    if isinstance(value, bytes):
        return {"bytes_hex": [value.hex()], "shape": []}
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "indices") and hasattr(value, "dense_shape"):
        return {"indices": _jsonable(value.indices), "values": _jsonable(value.values),
                "dense_shape": _jsonable(value.dense_shape)}
    array = np.asarray(value)
    if array.dtype == object:
        return {"bytes_hex": [b.hex() for b in array.ravel()], "shape": list(array.shape)}
    return {"values": array.ravel().tolist(), "shape": list(array.shape),
            "dtype": str(array.dtype)}


def _examples(tf):
    def feature(values):
        if isinstance(values[0], bytes):
            return tf.train.Feature(bytes_list=tf.train.BytesList(value=values))
        if isinstance(values[0], float):
            return tf.train.Feature(float_list=tf.train.FloatList(value=values))
        return tf.train.Feature(int64_list=tf.train.Int64List(value=values))
    rows = [{"label": [1], "pixels": [0.5, 1.5, 2.5, 3.5], "tags": [b"cat", b"pet"],
             "steps": [1, 2, 3, 4]},
            {"label": [0], "pixels": [4.0, 5.0, 6.0, 7.0], "steps": [9, 8]},
            {"pixels": [-1.0, 0.0, 1.0, 2.0], "tags": [b"dog"]}]
    return [tf.train.Example(features=tf.train.Features(
        feature={k: feature(v) for k, v in row.items()})).SerializeToString() for row in rows]


def _sequence(tf):
    seq = tf.train.SequenceExample()
    seq.context.feature["length"].int64_list.value.append(3)
    for step in ([1.0, 2.0], [3.0, 4.0], [5.0, 6.0]):
        seq.feature_lists.feature_list["frames"].feature.add().float_list.value.extend(step)
    for words in ([b"a"], [], [b"b", b"c"]):
        seq.feature_lists.feature_list["words"].feature.add().bytes_list.value.extend(words)
    return seq.SerializeToString()


def _write_files(tf, examples):
    options = {"examples.tfrecord": None,
               "examples_gzip.tfrecord": tf.io.TFRecordOptions("GZIP"),
               "examples_zlib.tfrecord": tf.io.TFRecordOptions("ZLIB")}
    for name, option in options.items():
        with tf.io.TFRecordWriter(str(OUT / name), option) as writer:
            for record in examples:
                writer.write(record)
    with tf.io.TFRecordWriter(str(OUT / "sequence.tfrecord")) as writer:
        writer.write(_sequence(tf))
    (OUT / "data.csv").write_text(CSV)


FEATURES = "{'label': tf.FixedLenFeature([], tf.int64, default_value=-1), " \
           "'pixels': tf.FixedLenFeature([2, 2], tf.float32), " \
           "'tags': tf.VarLenFeature(tf.string), " \
           "'steps': tf.FixedLenSequenceFeature([2], tf.int64, allow_missing=True)}"


def _results(tf, examples):
    features = eval(FEATURES, {"tf": tf})  # the same text the tests evaluate
    graph = tf.Graph()
    with graph.as_default(), tf.Session() as sess:
        parsed = tf.parse_example(tf.constant(examples), features)
        single = tf.parse_single_example(examples[0], features)
        context, lists = tf.parse_single_sequence_example(
            _sequence(tf), {"length": tf.FixedLenFeature([], tf.int64)},
            {"frames": tf.FixedLenSequenceFeature([2], tf.float32),
             "words": tf.VarLenFeature(tf.string)})
        lines = tf.constant(CSV.splitlines()[1:])
        csv = tf.decode_csv(lines, [[0], [-1.0], ["?"]], na_value="NA")
        queue = tf.FIFOQueue(4, tf.string)
        fill = queue.enqueue_many([[str(OUT / "data.csv"), str(OUT / "examples.tfrecord")]])
        text_key, text_value = tf.TextLineReader(skip_header_lines=1).read_up_to(queue, 10)
        record_key, _ = tf.TFRecordReader().read_up_to(queue, 10)
        tensors = {"float32_2x3": tf.serialize_tensor(tf.constant(
                       np.arange(6, dtype=np.float32).reshape(2, 3))),
                   "int64_scalar": tf.serialize_tensor(tf.constant(7, tf.int64)),
                   "string_vector": tf.serialize_tensor(tf.constant([b"x", b"yz"]))}
        sess.run(fill)
        out = sess.run({"parse_example": parsed, "parse_single_example": single,
                        "sequence_context": context, "sequence_lists": lists,
                        "decode_csv": csv, "text_keys": text_key,
                        "text_values": text_value, "record_keys": record_key,
                        "serialize_tensor": tensors})
    for name in ("text_keys", "record_keys"):
        out[name] = np.array([k.replace(str(OUT).encode() + b"/", b"") for k in out[name]],
                             dtype=object)
    return out


def main() -> None:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    OUT.mkdir(parents=True, exist_ok=True)
    examples = _examples(tf)
    _write_files(tf, examples)
    data = {"generated_by": "tools/make_io_fixtures.py with TensorFlow " + tf.__version__,
            "features": FEATURES, "csv_lines": CSV.splitlines()[1:],
            "results": _jsonable(_results(tf, examples))}
    (OUT / "tf_io.json").write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {sorted(os.listdir(OUT))}")


if __name__ == "__main__":
    main()

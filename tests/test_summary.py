"""tf.summary: summary ops (TF1 names, tags, collections) and FileWriter output."""
import glob
import os

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.core import errors
from staticgraph.io.events import read_events as read_event_file
from tests.viz.dotparse import svg_titles


def read_events(logdir):
    """Every Event of the event files in ``logdir`` (checksums verified)."""
    return [e for path in sorted(glob.glob(f"{logdir}/events.out.tfevents.*"))
            for e in read_event_file(path)]


def summary_values(value):
    return list(tf.Summary.FromString(value).value)


def model():
    x = tf.placeholder(tf.float32, shape=[None], name="x")
    with tf.name_scope("stats"):
        loss = tf.reduce_mean(tf.square(x), name="loss")
        s_loss = tf.summary.scalar("loss", loss)
        s_hist = tf.summary.histogram("x", x)
    return x, s_loss, s_hist


def test_summary_ops_follow_tf1_names_and_tags():
    x, s_loss, s_hist = model()
    assert s_loss.op.type == "ScalarSummary" and s_hist.op.type == "HistogramSummary"
    assert s_loss.op.name == "stats/loss_1"  # "stats/loss" is taken by the mean (TF1 naming)
    assert s_loss.op.get_attr("tag") == "stats/loss_1"
    assert s_hist.op.get_attr("tag") == "stats/x"
    fam = tf.summary.scalar("lr rate", 0.1, family="train")
    assert fam.op.name == "train/lr_rate"
    assert fam.op.get_attr("tag") == "train/train/lr_rate"
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == [s_loss, s_hist, fam]
    other = tf.summary.scalar("other", 1.0, collections=["mine"])
    assert tf.get_collection("mine") == [other]
    assert other not in tf.get_collection(tf.GraphKeys.SUMMARIES)


def test_summary_shape_and_dtype_errors():
    v = tf.placeholder(tf.float32, shape=[3], name="v")
    with pytest.raises(ValueError, match=r"ScalarSummary.*needs a scalar value, got shape \(3,\)"):
        tf.summary.scalar("v", v)
    with pytest.raises(TypeError, match="tf.summary.merge takes summary tensors"):
        tf.summary.merge([v])
    unknown = tf.placeholder(tf.float32, name="unknown")
    s = tf.summary.scalar("u", unknown)
    with tf.Session() as sess, pytest.raises(errors.InvalidArgumentError,
                                            match="needs a scalar value, got shape"):
        sess.run(s, {unknown: np.ones(2)})


def test_merge_and_merge_all():
    assert tf.summary.merge_all() is None
    x, s_loss, s_hist = model()
    merged = tf.summary.merge_all()
    assert merged.op.type == "MergeSummary" and merged.op.name == "Merge/MergeSummary"
    assert list(merged.op.inputs) == [s_loss, s_hist]
    assert tf.summary.merge_all(scope="nothing") is None
    with tf.Session() as sess:
        value = sess.run(merged, {x: np.array([1.0, 2.0, 3.0])})
    assert isinstance(value, bytes)
    values = summary_values(value)
    assert [v.tag for v in values] == ["stats/loss_1", "stats/x"]
    assert values[0].simple_value == pytest.approx(14.0 / 3)
    hist = values[1].histo
    assert (hist.min, hist.max, hist.num, hist.sum, hist.sum_squares) == (
        1.0, 3.0, 3, 6.0, 14.0)
    assert sum(hist.bucket) == 3 and hist.bucket_limit[-1] == np.finfo(np.float64).max


def test_merging_a_tag_twice_fails():
    a = tf.summary.scalar("a", 1.0)
    with tf.Session() as sess, pytest.raises(errors.InvalidArgumentError,
                                            match="Duplicate tag a found"):
        sess.run(tf.summary.merge([a, a]))


def test_histogram_of_nan_fails_naming_the_tag():
    x = tf.placeholder(tf.float32, shape=[None], name="x")
    h = tf.summary.histogram("weights", x)
    with tf.Session() as sess, pytest.raises(errors.InvalidArgumentError,
                                            match="Nan or Inf in summary histogram for: weights"):
        sess.run(h, {x: np.array([1.0, np.nan])})


def run_and_write(writer, x, summary, steps=3):
    with tf.Session() as sess:
        for step in range(steps):
            writer.add_summary(sess.run(summary, {x: np.arange(4.0) + step}), step)


def test_file_writer_writes_graph_and_summaries_as_tensorboard_reads_them(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    x, s_loss, s_hist = model()
    writer = tf.summary.FileWriter(str(tmp_path), tf.get_default_graph())
    run_and_write(writer, x, tf.summary.merge_all())
    writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag="lr", simple_value=0.5)]), 7)
    writer.close()
    assert sorted(os.listdir(tmp_path))[0].startswith("events.out.tfevents.")
    assert not (tmp_path / "graph.svg").exists()  # drawing the graph is opt-in
    events = read_events(tmp_path)
    assert events[0].file_version == "brain.Event:2"
    graphs = [tf.GraphDef.FromString(e.graph_def) for e in events if e.graph_def]
    assert len(graphs) == 1
    nodes = {n.name: n for n in graphs[0].node}
    assert nodes["stats/loss_1"].op == "ScalarSummary"
    assert list(nodes["stats/loss_1"].input) == ["stats/loss"]
    assert [d.size for d in nodes["x"].attr["_output_shapes"].list.shape[0].dim] == [-1]
    board = EventAccumulator(str(tmp_path))
    board.Reload()
    assert board.Tags()["graph"] is True
    assert board.Tags()["scalars"] == ["stats/loss_1", "lr"]
    expected = [np.mean(np.square(np.arange(4.0) + s)) for s in range(3)]
    assert [(e.step, e.value) for e in board.Scalars("stats/loss_1")] == [
        (s, pytest.approx(v)) for s, v in enumerate(expected)]
    histos = [v.histo for e in read_events(tmp_path) for v in e.summary.value
              if v.HasField("histo")]
    assert [(h.min, h.max, h.num) for h in histos] == [(0.0, 3.0, 4), (1.0, 4.0, 4),
                                                       (2.0, 5.0, 4)]


def test_image_audio_text_and_tensor_summaries(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    pictures = tf.placeholder(tf.float32, [None, 2, 3, 1], name="pictures")
    img = tf.summary.image("pic", pictures, max_outputs=2)
    one = tf.summary.image("one", pictures, max_outputs=1)
    snd = tf.summary.audio("snd", tf.reshape(pictures, [-1, 6]) / 10.0, 8000, max_outputs=1)
    txt = tf.summary.text("note", ["hello", "world"])
    ten = tf.summary.tensor_summary("raw", pictures[0], summary_description="first")
    batch = np.stack([np.arange(6.0).reshape(2, 3, 1), -np.arange(6.0).reshape(2, 3, 1),
                      np.ones((2, 3, 1))]).astype(np.float32)
    with tf.Session() as sess:
        values = sess.run([img, one, snd, txt, ten], {pictures: batch})
    image_values = summary_values(values[0])
    assert [v.tag for v in image_values] == ["pic/image/0", "pic/image/1"]
    assert [v.tag for v in summary_values(values[1])] == ["one/image"]
    first = image_values[0].image
    assert (first.height, first.width, first.colorspace) == (2, 3, 1)
    assert first.encoded_image_string.startswith(b"\x89PNG")
    sound = summary_values(values[2])[0]
    assert sound.tag == "snd/audio" and sound.audio.sample_rate == 8000
    assert sound.audio.encoded_audio_string[:4] == b"RIFF"
    note = summary_values(values[3])[0]
    assert note.metadata.plugin_data.plugin_name == "text"
    assert list(note.tensor.string_val) == [b"hello", b"world"]
    raw = summary_values(values[4])[0]
    assert raw.metadata.summary_description == "first"
    with tf.summary.FileWriter(str(tmp_path)) as writer:
        for v in values:
            writer.add_summary(v, 1)
    board = EventAccumulator(str(tmp_path))
    board.Reload()
    assert board.Tags()["images"] == ["pic/image/0", "pic/image/1", "one/image"]
    assert board.Tags()["audio"] == ["snd/audio"]


def test_float_images_are_scaled_as_tf1_does():
    """Pixel values TensorFlow 2.21's tf.compat.v1.summary.image gave for these images."""
    from staticgraph.viz.summary import _to_uint8

    def scaled(values):
        return _to_uint8(np.array(values, np.float32).reshape(2, 3, 1)).ravel().tolist()
    assert scaled([0.0, 0.5, 2.0, 1.0, 0.25, 0.75]) == [0, 63, 255, 127, 31, 95]
    assert scaled([-2.0, 0.0, 1.0, 0.5, -1, 2]) == [1, 128, 191, 159, 64, 255]
    assert scaled([np.nan, 1.0, 0.5, 0, 0.2, 0.3]) == [255, 255, 127, 0, 51, 76]
    rgb = _to_uint8(np.array([[[np.inf, 0.0, 0.5], [1.0, 1.0, 1.0]]]))
    assert rgb.tolist() == [[[255, 0, 0], [255, 255, 255]]]


def test_graph_picture_is_opt_in(tmp_path):
    model()
    tf.summary.FileWriter(str(tmp_path), tf.get_default_graph(), graph_picture=True).close()
    assert "stats/loss_1" in (tmp_path / "graph.dot").read_text()
    assert {"x", "stats/loss", "stats/loss_1", "stats/x"} <= svg_titles(
        (tmp_path / "graph.svg").read_bytes())["node"]


def test_file_writer_on_a_large_training_graph_needs_no_graphviz(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` program
    x = tf.placeholder(tf.float32, [None, 8, 8, 1], name="x")
    h = x
    for i in range(12):
        k = tf.Variable(np.ones((3, 3, 1 if i == 0 else 4, 4), np.float32), name=f"k{i}")
        h = tf.nn.relu(tf.nn.conv2d(h, k, [1, 1, 1, 1], "SAME"))
    loss = tf.reduce_mean(tf.square(h))
    tf.summary.scalar("loss", loss)
    tf.train.AdamOptimizer(0.01).minimize(loss)
    assert len(tf.get_default_graph().get_operations()) > 200
    writer = tf.summary.FileWriter(str(tmp_path / "logs"), tf.get_default_graph())
    writer.close()
    graphs = [e for e in read_events(tmp_path / "logs") if e.graph_def]
    assert len(tf.GraphDef.FromString(graphs[0].graph_def).node) > 200


def test_reopen_starts_a_new_event_file(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path), filename_suffix=".a")
    writer.close()
    writer.reopen()  # within the same second as the first: still a file of its own
    writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag="t", simple_value=1)]), 0)
    writer.close()
    assert len(glob.glob(f"{tmp_path}/events.out.tfevents.*.a")) == 2


def test_a_corrupt_event_file_is_data_loss(tmp_path):
    with tf.summary.FileWriter(str(tmp_path)) as writer:
        writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag="t", simple_value=1)]), 0)
    path = glob.glob(f"{tmp_path}/events.out.tfevents.*")[0]
    data = bytearray(open(path, "rb").read())
    data[-6] ^= 1
    open(path, "wb").write(bytes(data))
    with pytest.raises(errors.DataLossError, match="Corrupt record"):
        read_event_file(path)


def test_without_graphviz_the_picture_is_skipped_with_a_warning(tmp_path, monkeypatch):
    model()
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.warns(UserWarning, match="graph.svg not written.*apt-get install graphviz"):
        tf.summary.FileWriter(str(tmp_path / "logs"), tf.get_default_graph(),
                              graph_picture=True).close()
    assert (tmp_path / "logs" / "graph.dot").exists()
    assert not (tmp_path / "logs" / "graph.svg").exists()


def test_add_summary_rejects_other_values(tmp_path):
    with tf.summary.FileWriter(str(tmp_path)) as writer:
        with pytest.raises(TypeError, match="expects the value of a summary op"):
            writer.add_summary(b"not a summary", 0)
        with pytest.raises(TypeError, match="expects the value of a summary op"):
            writer.add_summary(3.0, 0)
        assert writer.get_logdir() == str(tmp_path)
        writer.add_run_metadata(None, "step0")
    tagged = [e.tagged_run_metadata.tag for e in read_events(tmp_path)
              if e.HasField("tagged_run_metadata")]
    assert tagged == ["step0"]


def test_audio_is_encoded_as_tf1_encodes_it():
    """The WAV bytes TensorFlow 2.21's tf.compat.v1.summary.audio gave for these samples."""
    from staticgraph.io.media import encode_wav
    samples = np.array([0.0, 0.5, -0.5, 1.0, -1.0, 0.3333, 2.0, -0.00002], np.float32)
    tf_bytes = bytes.fromhex(
        "524946463400000057415645666d74201000000001000100401f0000803e0000020010006461746110"
        "0000000000004000c0ff7f0080aa2aff7fffff")
    assert encode_wav(samples.reshape(-1, 1), 8000) == tf_bytes


def test_histograms_use_tf1s_buckets():
    """The histogram TensorFlow 2.21's tf.compat.v1.summary.histogram gave for these values."""
    from staticgraph.viz.summary import histogram_proto
    h = histogram_proto("h", np.array([0.0, 0.5, -0.5, 1.0, 1.05, 3.0, -2.0, 0.0], np.float32))
    assert list(h.bucket_limit) == [
        -2.1628190051144287, -1.9661990955585713, -0.5177616740489182, -0.47069243095356195,
        0.0, 1e-12, 0.47069243095356195, 0.5177616740489182, 0.917246389039776,
        1.0089710279437536, 1.109868130738129, 2.8787120958073054, 3.1665833053880363,
        1.7976931348623157e+308]
    assert list(h.bucket) == [0, 1, 0, 1, 0, 2, 0, 1, 0, 1, 1, 0, 1, 0]
    assert (h.min, h.max, h.num, h.sum) == (-2.0, 3.0, 8, pytest.approx(3.05))

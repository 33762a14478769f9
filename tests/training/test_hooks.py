"""TF1's standard session hooks and the Coordinator."""
import logging
import threading

import numpy as np
import pytest
from google.protobuf import text_format

import staticgraph as tf
from staticgraph.viz.summary import parse_summary


class RecordingWriter:
    """Stands in for a FileWriter: keeps (step, summary) pairs."""

    def __init__(self):
        self.summaries = []
        self.graphs = 0
        self.flushed = 0

    def add_summary(self, summary, global_step=None):
        self.summaries.append((global_step, summary))

    def add_graph(self, graph, global_step=None, graph_def=None):
        self.graphs += 1

    def flush(self):
        self.flushed += 1


def counter_graph():
    """A global step and a train op that increments it."""
    step = tf.train.get_or_create_global_step()
    return step, tf.assign_add(step, 1)


def run_until_stop(sess, op, limit=100):
    runs = 0
    while not sess.should_stop() and runs < limit:
        sess.run(op)
        runs += 1
    return runs


def test_stop_at_step_counts_from_the_current_step():
    with tf.Graph().as_default():
        step, inc = counter_graph()
        with tf.train.MonitoredSession(hooks=[tf.train.StopAtStepHook(num_steps=3)]) as sess:
            assert run_until_stop(sess, inc) == 3
        with tf.train.MonitoredSession(hooks=[tf.train.StopAtStepHook(last_step=5)]) as sess:
            assert run_until_stop(sess, inc) == 5
    with pytest.raises(ValueError):
        tf.train.StopAtStepHook(num_steps=1, last_step=2)
    with tf.Graph().as_default(), pytest.raises(RuntimeError, match="Global step"):
        tf.train.MonitoredSession(hooks=[tf.train.StopAtStepHook(num_steps=1)])


@pytest.fixture
def info_records():
    caught = []

    class Catch(logging.Handler):
        def emit(self, record):
            caught.append(record.getMessage())

    handler = Catch()
    before = tf.logging.get_verbosity()
    logging.getLogger("absl").addHandler(handler)
    tf.logging.set_verbosity(tf.logging.INFO)
    yield caught
    logging.getLogger("absl").removeHandler(handler)
    tf.logging.set_verbosity(before)


def test_logging_tensor_hook_every_n_iter_and_at_end(info_records):
    with tf.Graph().as_default():
        _, inc = counter_graph()
        seven = tf.constant(7, name="seven")
        hook = tf.train.LoggingTensorHook({"seven": seven, "ten": "ten:0"}, every_n_iter=2,
                                          at_end=True)
        tf.constant(10, name="ten")
        with tf.train.MonitoredSession(hooks=[hook]) as sess:
            for _ in range(5):  # logs at runs 1, 3 and 5, and at the end
                sess.run(inc)
    logged = [m for m in info_records if m.startswith("seven = ")]
    assert [m.split(" (")[0] for m in logged] == ["seven = 7, ten = 10"] * 4
    with tf.Graph().as_default():
        _, inc = counter_graph()
        third = tf.constant(1 / 3, tf.float32, name="third")
        with tf.train.MonitoredSession(hooks=[tf.train.LoggingTensorHook(
                {"third": third}, every_n_iter=1)]) as sess:
            sess.run(inc)
    # str() of the fetched float32, as TF1's "%s" prints it (not a float64's 17 digits)
    assert "third = 0.33333334" in info_records
    assert "sec)" not in logged[0] and all(m.endswith("sec)") for m in logged[1:3])
    with pytest.raises(ValueError):
        tf.train.LoggingTensorHook({"a": "b"})


def test_checkpoint_saver_hook_every_n_steps_and_at_end(tmp_path):
    with tf.Graph().as_default():
        _, inc = counter_graph()
        saver = tf.train.Saver(max_to_keep=10)
        hook = tf.train.CheckpointSaverHook(str(tmp_path), save_steps=3, saver=saver,
                                            save_graph_def=False)
        with tf.train.MonitoredSession(hooks=[hook]) as sess:
            for _ in range(7):
                sess.run(inc)
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert [int(p.rsplit("-", 1)[1]) for p in state.all_model_checkpoint_paths] == \
        [0, 3, 6, 7]
    assert not (tmp_path / "graph.pbtxt").exists()


def test_checkpoint_saver_hook_writes_graph_pbtxt_as_tf1(tmp_path):
    with tf.Graph().as_default() as graph:
        _, inc = counter_graph()
        hook = tf.train.CheckpointSaverHook(str(tmp_path), save_steps=100)
        with tf.train.MonitoredSession(hooks=[hook]) as sess:
            sess.run(inc)
    written = tf.GraphDef()
    text_format.Parse((tmp_path / "graph.pbtxt").read_text(), written)
    assert sorted(n.name for n in written.node) == sorted(o.name for o in graph.get_operations())
    assert all("_output_shapes" in n.attr for n in written.node)


def test_checkpoint_listener_can_stop_training(tmp_path):
    class StopAtSecondSave(tf.train.CheckpointSaverListener):
        def __init__(self):
            self.saved = []

        def after_save(self, session, global_step_value):
            self.saved.append(global_step_value)
            return len(self.saved) == 2

    listener = StopAtSecondSave()
    with tf.Graph().as_default():
        _, inc = counter_graph()
        hook = tf.train.CheckpointSaverHook(str(tmp_path), save_steps=2,
                                            listeners=[listener], save_graph_def=False,
                                            saver=tf.train.Saver())
        with tf.train.MonitoredSession(hooks=[hook]) as sess:
            assert run_until_stop(sess, inc) == 2
    assert listener.saved == [0, 2]


def test_summary_saver_hook_writes_every_n_steps():
    writer = RecordingWriter()
    with tf.Graph().as_default():
        step, inc = counter_graph()
        summary = tf.summary.scalar("value", tf.cast(step, tf.float32) * 2.0)
        hook = tf.train.SummarySaverHook(save_steps=2, summary_writer=writer,
                                         summary_op=summary)
        with tf.train.MonitoredSession(hooks=[hook]) as sess:
            for _ in range(6):
                sess.run(inc)
    assert [s for s, _ in writer.summaries] == [1, 3, 5]
    assert writer.flushed == 1
    with pytest.raises(ValueError, match="scaffold"):
        tf.train.SummarySaverHook(save_steps=1)


def test_monitored_training_session_saves_summaries_only_when_there_are_some(
        tmp_path, monkeypatch):
    writers = {}
    monkeypatch.setattr(tf.summary.FileWriterCache, "get",
                        classmethod(lambda cls, d: writers.setdefault(d, RecordingWriter())))
    for with_summary in (False, True):
        folder = str(tmp_path / str(with_summary))
        with tf.Graph().as_default():
            step, inc = counter_graph()
            if with_summary:
                tf.summary.scalar("s", tf.cast(step, tf.float32))
            with tf.train.MonitoredTrainingSession(
                    checkpoint_dir=folder, save_summaries_steps=3,
                    log_step_count_steps=None) as sess:
                for _ in range(7):
                    sess.run(inc)
        steps = [s for s, _ in writers[folder].summaries]
        assert steps == ([1, 4, 7] if with_summary else [])
        assert writers[folder].graphs == 1  # CheckpointSaverHook adds the graph
        assert tf.train.latest_checkpoint(folder).endswith("-7")


@pytest.mark.filterwarnings("ignore:invalid value encountered in log")
def test_nan_tensor_hook_raises_or_stops():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [])
        loss = tf.log(x)
        with pytest.raises(tf.train.NanLossDuringTrainingError):
            with tf.train.MonitoredSession(hooks=[tf.train.NanTensorHook(loss)]) as sess:
                sess.run(loss, {x: 1.0})
                sess.run(loss, {x: -1.0})
        with tf.train.MonitoredSession(
                hooks=[tf.train.NanTensorHook(loss, fail_on_nan_loss=False)]) as sess:
            sess.run(loss, {x: -1.0})
            assert sess.should_stop()


def test_step_counter_hook_measures_steps_per_second():
    with tf.Graph().as_default():
        _, inc = counter_graph()
        hook = tf.train.StepCounterHook(every_n_steps=2)
        with tf.train.MonitoredSession(hooks=[hook]) as sess:
            for _ in range(5):
                sess.run(inc)
    assert [s for s, _ in hook.steps_per_sec] == [3, 5]
    assert all(rate > 0 for _, rate in hook.steps_per_sec)


def test_step_counter_hook_writes_steps_per_second_summaries():
    writer = RecordingWriter()
    with tf.Graph().as_default():
        _, inc = counter_graph()
        hook = tf.train.StepCounterHook(every_n_steps=2, summary_writer=writer)
        with tf.train.MonitoredSession(hooks=[hook]) as sess:
            for _ in range(5):
                sess.run(inc)
    written = [(step, parse_summary(summary).value[0])
               for step, summary in writer.summaries]
    assert [(step, v.tag) for step, v in written] == [(3, "global_step/sec"),
                                                      (5, "global_step/sec")]
    assert [v.simple_value for _, v in written] == pytest.approx(
        [rate for _, rate in hook.steps_per_sec], rel=1e-6)


def test_second_or_step_timer():
    timer = tf.train.SecondOrStepTimer(every_steps=10)
    assert timer.should_trigger_for_step(4)
    timer.update_last_triggered_step(4)
    assert not timer.should_trigger_for_step(4) and not timer.should_trigger_for_step(13)
    assert timer.should_trigger_for_step(14)
    assert timer.update_last_triggered_step(14)[1] == 10


def test_coordinator_stops_threads_and_reraises():
    coord = tf.train.Coordinator()

    def worker(fail):
        with coord.stop_on_exception():
            while not coord.should_stop():
                if fail:
                    raise ValueError("worker failed")
                coord.wait_for_stop(0.01)

    threads = [threading.Thread(target=worker, args=(i == 1,)) for i in range(3)]
    for t in threads:
        t.start()
    with pytest.raises(ValueError, match="worker failed"):
        coord.join(threads)
    assert not any(t.is_alive() for t in threads) and coord.joined
    coord.clear_stop()
    coord.request_stop(tf.errors.OutOfRangeError(None, None, "done"))
    coord.join([])  # a clean-stop exception is not re-raised
    assert np.all([coord.should_stop()])

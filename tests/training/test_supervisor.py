"""tf.train.Supervisor, SessionManager, LooperThread and basic_train_loop."""
import os
import threading
import time

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.io.events import summary_iterator


def build_model():
    """A new graph: w → 3 by gradient descent, with a global step and a summary."""
    graph = tf.Graph()
    with graph.as_default():
        step = tf.train.get_or_create_global_step()
        w = tf.Variable(0.0, name="w")
        loss = tf.square(w - 3.0)
        tf.summary.scalar("loss", loss)
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
    return graph, step, w, train


def expected_w(steps):
    w = 0.0
    for _ in range(steps):
        w -= 0.1 * 2 * (w - 3.0)
    return w


class Interrupted(Exception):
    """Stands for the training script being interrupted."""


def no_supervisor_threads():
    return [t for t in threading.enumerate() if t is not threading.main_thread()
            and ("Looper" in type(t).__name__ or "StepCounter" in type(t).__name__)]


def test_trains_is_interrupted_and_resumes_from_logdir(tmp_path):
    logdir = str(tmp_path)
    graph, step, w, train = build_model()
    # no checkpoint thread here (its timing would race the steps); see the next test
    sv = tf.train.Supervisor(graph=graph, logdir=logdir, save_model_secs=0,
                             save_summaries_secs=3600)
    with pytest.raises(Interrupted):
        with sv.managed_session() as sess:
            for _ in range(5):
                sess.run(train)
            sv.saver.save(sess, sv.save_path, global_step=sv.global_step)
            sess.run(train)  # step 6 is lost with the interruption
            raise Interrupted()
    assert sv.should_stop() and not no_supervisor_threads()
    files = os.listdir(logdir)
    assert {"model.ckpt-5.index", "graph.pbtxt"} <= set(files)
    assert any(f.startswith("events.out.tfevents") for f in files)

    graph, step, w, train = build_model()
    sv = tf.train.Supervisor(graph=graph, logdir=logdir, save_model_secs=0)
    with sv.managed_session() as sess:
        assert sess.run(step) == 5
        np.testing.assert_allclose(sess.run(w), expected_w(5), rtol=1e-6)
        while not sv.should_stop():
            if sess.run(step) >= 8:
                sv.request_stop()
            else:
                sess.run(train)
        np.testing.assert_allclose(sess.run(w), expected_w(8), rtol=1e-6)
    assert not no_supervisor_threads()


def test_checkpoint_thread_saves_at_the_start(tmp_path):
    graph, step, w, train = build_model()
    sv = tf.train.Supervisor(graph=graph, logdir=str(tmp_path), save_model_secs=3600)
    with sv.managed_session():
        while tf.train.latest_checkpoint(str(tmp_path)) is None:
            time.sleep(0.01)  # the thread's first save (no step runs meanwhile)
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-0")
    assert not no_supervisor_threads()


def test_summaries_and_session_logs_are_written(tmp_path):
    graph, step, w, train = build_model()
    sv = tf.train.Supervisor(graph=graph, logdir=str(tmp_path), save_model_secs=0,
                             save_summaries_secs=3600)
    with sv.managed_session() as sess:
        sess.run(train)
        sv.summary_computed(sess, sess.run(sv.summary_op))
    events = [e for f in os.listdir(tmp_path) if f.startswith("events")
              for e in summary_iterator(os.path.join(tmp_path, f))]
    tags = {v.tag for e in events for v in e.summary.value}
    assert "loss" in tags
    statuses = [e.session_log.status for e in events if e.HasField("session_log")]
    assert statuses[0] == tf.SessionLog.START and statuses[-1] == tf.SessionLog.STOP
    # save_model_secs=0: no checkpoint thread
    assert tf.train.latest_checkpoint(str(tmp_path)) is None


def test_defaults_and_finalized_graph(tmp_path):
    graph, step, w, train = build_model()
    sv = tf.train.Supervisor(graph=graph, logdir=str(tmp_path))
    assert sv.global_step is step and sv.is_chief
    assert sv.save_path == os.path.join(str(tmp_path), "model.ckpt")
    assert isinstance(sv.saver, tf.train.Saver) and graph.finalized
    assert sv.summary_op is not None and sv.summary_writer is not None
    sv.summary_writer.close()
    with graph.as_default(), pytest.raises(RuntimeError):
        tf.constant(1.0)


def test_without_logdir_nothing_is_written_and_exceptions_propagate(tmp_path):
    graph, step, w, train = build_model()
    sv = tf.train.Supervisor(graph=graph)
    assert sv.summary_writer is None and sv.save_path is None
    with pytest.raises(RuntimeError, match="summary writer"):
        with sv.managed_session() as sess:
            sv.summary_computed(sess, b"")
    with sv.managed_session() as sess:  # a new session, initialized again
        assert sess.run(step) == 0


def test_out_of_range_ends_the_managed_session_cleanly():
    graph, step, w, train = build_model()
    sv = tf.train.Supervisor(graph=graph)
    with sv.managed_session() as sess:
        sess.run(train)
        raise tf.errors.OutOfRangeError(None, None, "input exhausted")
    assert sv.should_stop()


def test_queue_runners_start_and_stop_with_the_supervisor():
    graph = tf.Graph()
    with graph.as_default():
        queue = tf.FIFOQueue(4, tf.float32, shapes=[[]])
        tf.train.add_queue_runner(tf.train.queue_runner.QueueRunner(
            queue, [queue.enqueue(tf.constant(2.0))]))
        value = queue.dequeue()
    sv = tf.train.Supervisor(graph=graph)
    with sv.managed_session() as sess:
        assert sess.run(value) == 2.0
    assert not [t for t in threading.enumerate() if t.name.startswith("QueueRunner")]


def test_loop_and_looper_thread():
    coord = tf.train.Coordinator()
    calls = []

    def target(x):
        calls.append(x)
        if len(calls) == 3:
            coord.request_stop()

    looper = tf.train.LooperThread.loop(coord, None, target, args=(7,))
    coord.join([looper])
    assert calls == [7, 7, 7] and not looper.is_alive()
    with pytest.raises(ValueError, match="Coordinator"):
        tf.train.LooperThread("coord", None)
    with pytest.raises(ValueError, match="target"):
        tf.train.LooperThread(tf.train.Coordinator(), None, args=(1,))


def test_looper_exception_is_reraised_by_stop():
    graph, step, w, train = build_model()
    sv = tf.train.Supervisor(graph=graph)
    sess = sv.prepare_or_wait_for_session()

    def fail():
        raise ValueError("boom in the loop")

    sv.loop(3600, fail)
    sv.wait_for_stop()
    with pytest.raises(ValueError, match="boom"):
        sv.stop()
    sess.close()


def test_basic_train_loop_retries_after_aborted():
    graph, step, w, train = build_model()
    sv = tf.train.Supervisor(graph=graph)
    sessions = []

    def train_step(sess, limit):
        if sess not in sessions:
            sessions.append(sess)
        if len(sessions) == 1 and sess.run(step) == 2:
            raise tf.errors.AbortedError(None, None, "worker restarted")
        sess.run(train)
        if sess.run(step) >= limit:
            sv.request_stop()

    tf.train.basic_train_loop(sv, train_step, args=(4,))
    assert len(sessions) == 2  # the second session started over from the init op


def test_session_manager_prepare_recover_wait(tmp_path):
    graph, step, w, train = build_model()
    with graph.as_default():
        saver = tf.train.Saver()
        init = tf.global_variables_initializer()
        ready = tf.report_uninitialized_variables()
    manager = tf.train.SessionManager(ready_op=ready, graph=graph, recovery_wait_secs=0.01)
    sess, restored = manager.recover_session(saver=saver, checkpoint_dir=str(tmp_path))
    assert not restored
    sess.close()
    with pytest.raises(RuntimeError, match="no init_op"):
        manager.prepare_session(saver=saver, checkpoint_dir=str(tmp_path))
    sess = manager.prepare_session(init_op=init, saver=saver, checkpoint_dir=str(tmp_path))
    sess.run(train)
    saver.save(sess, os.path.join(str(tmp_path), "m"), global_step=step)
    sess.close()
    sess, restored = manager.recover_session(saver=saver, checkpoint_dir=str(tmp_path))
    assert restored and sess.run(step) == 1
    sess.close()
    sess = manager.prepare_session(init_op=init, saver=saver,
                                   checkpoint_filename_with_path=str(tmp_path / "m-1"))
    assert sess.run(step) == 1
    sess.close()
    with pytest.raises(ValueError, match="both"):
        manager.prepare_session(init_op=init, saver=saver, checkpoint_dir=str(tmp_path),
                                checkpoint_filename_with_path=str(tmp_path / "m-1"))
    with pytest.raises(RuntimeError, match="did not make model ready.*w"):
        manager.prepare_session(init_op=step.initializer)
    with pytest.raises(tf.errors.DeadlineExceededError, match="not ready"):
        manager.wait_for_session(max_wait_secs=0.02)

"""tf.train checkpoint utilities (checked against TF 2.21's compat.v1 behaviour)."""
import os
import threading
import time

import numpy as np
import pytest

import staticgraph as tf


def save_checkpoints(folder, steps):
    """Saves a one-variable model at each of ``steps``; returns the prefixes."""
    with tf.Graph().as_default():
        v = tf.Variable(1.0, name="v")
        saver = tf.train.Saver(max_to_keep=None)
        with tf.Session() as sess:
            sess.run(v.initializer)
            return [saver.save(sess, os.path.join(folder, "model"), global_step=s)
                    for s in steps]


def test_generate_checkpoint_state_proto_like_tf():
    state = tf.train.generate_checkpoint_state_proto("rel/dir", "rel/dir/model-3",
                                                     ["rel/dir/model-2"])
    assert state.model_checkpoint_path == "model-3"
    assert list(state.all_model_checkpoint_paths) == ["model-2", "model-3"]
    state = tf.train.generate_checkpoint_state_proto(
        "/abs", "/abs/model-3", ["/abs/model-3"], all_model_checkpoint_timestamps=[1.0],
        last_preserved_timestamp=0.5)
    assert list(state.all_model_checkpoint_paths) == ["/abs/model-3"]
    assert list(state.all_model_checkpoint_timestamps) == [1.0]
    assert state.last_preserved_timestamp == 0.5
    with pytest.raises(ValueError, match="timestamps.*must match"):
        tf.train.generate_checkpoint_state_proto("/abs", "/abs/model-3", ["/abs/model-2"],
                                                 all_model_checkpoint_timestamps=[1.0])


def test_update_checkpoint_state_is_read_back(tmp_path):
    folder = str(tmp_path)
    first, second = save_checkpoints(folder, [1, 2])
    tf.train.update_checkpoint_state(folder, first, [second, first])
    state = tf.train.get_checkpoint_state(folder)
    assert state.model_checkpoint_path == first
    assert list(state.all_model_checkpoint_paths) == [second, first]
    assert tf.train.latest_checkpoint(folder) == first
    tf.train.update_checkpoint_state(folder, second, latest_filename="other")
    assert tf.train.latest_checkpoint(folder, "other") == second
    with pytest.raises(RuntimeError, match="conflicts"):
        tf.train.update_checkpoint_state(folder, os.path.join(folder, "checkpoint"))


def test_mtimes_and_remove_checkpoint(tmp_path):
    folder = str(tmp_path)
    first, second = save_checkpoints(folder, [1, 2])
    os.utime(first + ".index", (1000.0, 1000.0))
    mtimes = tf.train.get_checkpoint_mtimes([first, os.path.join(folder, "none"), second])
    assert len(mtimes) == 2 and mtimes[0] == 1000.0 and mtimes[1] > 1000.0
    tf.train.remove_checkpoint(first)
    assert not tf.train.checkpoint_exists(first) and tf.train.checkpoint_exists(second)
    assert sorted(os.listdir(folder)) == ["checkpoint", "model-2.data-00000-of-00001",
                                          "model-2.index", "model-2.meta"]
    tf.train.remove_checkpoint(first)  # nothing left to remove is fine, as in TF


def test_checkpoints_iterator_times_out(tmp_path):
    assert list(tf.train.checkpoints_iterator(str(tmp_path), timeout=0.05)) == []
    (prefix,) = save_checkpoints(str(tmp_path), [4])
    assert list(tf.train.checkpoints_iterator(str(tmp_path), timeout=0.05)) == [prefix]


def test_checkpoints_iterator_follows_new_checkpoints(tmp_path):
    folder = str(tmp_path)
    (first,) = save_checkpoints(folder, [1])
    found = []
    calls = []

    def timeout_fn():
        calls.append(1)
        if len(calls) == 1:  # a writer adds a checkpoint while the reader waits
            save_checkpoints(folder, [2])
            return False
        return True

    for path in tf.train.checkpoints_iterator(folder, timeout=0.05, timeout_fn=timeout_fn):
        found.append(path)
    assert found == [first, os.path.join(folder, "model-2")]
    assert len(calls) == 2


def test_queue_runner_module():
    assert tf.train.queue_runner.QueueRunner is tf.train.QueueRunner
    assert tf.train.queue_runner.add_queue_runner is tf.train.add_queue_runner
    assert tf.train.queue_runner.start_queue_runners is tf.train.start_queue_runners


def test_global_step_waiter_hook_waits_for_the_step():
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        bump = tf.assign_add(step, 1)
        hook = tf.train.GlobalStepWaiterHook(wait_until_step=2)
        with tf.train.SingularMonitoredSession(hooks=[hook]) as mon:
            sess = mon.raw_session()
            # another worker advances the global step while this one waits
            def advance():
                time.sleep(0.2)
                sess.run(bump)
                sess.run(bump)
            other = threading.Thread(target=advance)
            other.start()
            assert mon.run(step) >= 2
            other.join()
    with tf.Graph().as_default():
        with pytest.raises(RuntimeError, match="GlobalStepWaiterHook"):
            tf.train.GlobalStepWaiterHook(1).begin()


def test_saver_def_proto():
    proto = tf.train.SaverDef(filename_tensor_name="save/Const:0", max_to_keep=3)
    assert tf.train.SaverDef.FromString(proto.SerializeToString()).max_to_keep == 3

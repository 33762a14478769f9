"""TF1-style command-line scripts in scripts/, run as their users run them (``main``
through ``tf.app.run`` with flags from the command line) in this process; each script
checks its own results."""
import pathlib
import runpy
import sys

import pytest

import staticgraph as tf

SCRIPTS = pathlib.Path(__file__).parent / "scripts"


def run_script(name, *args):
    """Runs ``scripts/<name> args...`` as ``__main__``; returns tf.app.run's exit code.

    Like a new process, it starts with an empty default graph; the flags the script
    defines are removed afterwards, so it can run again.
    """
    argv = sys.argv
    sys.argv = [str(SCRIPTS / name), *args]
    try:
        with tf.Graph().as_default():
            runpy.run_path(str(SCRIPTS / name), run_name="__main__")
    except SystemExit as stop:
        return stop.code
    finally:
        sys.argv = argv
        defined = tf.flags.FLAGS.flags_by_module_dict().get(str(SCRIPTS / name), [])
        for flag_name in {flag.name for flag in defined} & set(tf.flags.FLAGS):
            delattr(tf.flags.FLAGS, flag_name)
    raise AssertionError(f"{name} did not end through tf.app.run")


def test_monitored_digits_script_trains_and_resumes(tmp_path, capsys):
    folder = str(tmp_path / "train")
    assert run_script("digits_monitored.py", f"--train_dir={folder}", "--max_steps=120") \
        in (0, None)
    assert "started at step 0, ran 120 steps" in capsys.readouterr().out
    assert run_script("digits_monitored.py", f"--train_dir={folder}", "--max_steps=250") \
        in (0, None)
    assert "started at step 120, ran 130 steps" in capsys.readouterr().out


def test_script_helpfull_lists_its_flags(capsys):
    assert run_script("digits_monitored.py", "--helpfull") == 1  # absl's help exit
    out = capsys.readouterr().out
    assert "Global step to train up to." in out and "--batch_size" in out


@pytest.fixture(autouse=True)
def _quiet_logging():
    before = tf.logging.get_verbosity()
    yield
    tf.logging.set_verbosity(before)


def test_fully_connected_feed_script_trains_saves_and_evaluates(tmp_path, capsys):
    folder = str(tmp_path / "feed")
    assert run_script("digits_feed.py", f"--train_dir={folder}") in (0, None)
    out = capsys.readouterr().out
    assert "Step 300: loss" in out and "Test precision @ 1 after step 400" in out


def test_tf_data_layers_metrics_monitored_script_trains_and_resumes(tmp_path, capsys):
    """tf.data with dict features, tf.layers with batch norm (UPDATE_OPS) and a contrib
    regulariser, tf.metrics, hooks, then a second run resuming from the checkpoint."""
    folder = str(tmp_path / "model")
    assert run_script("flags_data_monitored_session.py", f"--model_dir={folder}") in (0, None)
    out = capsys.readouterr().out
    assert "trained steps 300" in out and "resumed at step 301, ran 50 more" in out

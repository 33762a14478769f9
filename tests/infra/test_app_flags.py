"""tf.app.run and tf.app.flags / tf.flags: absl's flags under TF1's names."""
import sys

import pytest

import staticgraph as tf


@pytest.fixture
def flag_names():
    """Flags a test defines are removed afterwards (absl's FLAGS is process-wide)."""
    names = []
    yield names
    for name in names:
        if name in tf.flags.FLAGS:
            delattr(tf.flags.FLAGS, name)


def test_app_flags_is_tf_flags():
    assert tf.app.flags is tf.flags
    assert tf.app.flags.FLAGS is tf.flags.FLAGS


def test_define_and_parse_every_kind(flag_names):
    flags = tf.app.flags
    flags.DEFINE_string("sg_dir", "/tmp/x", "a folder")
    flags.DEFINE_integer("sg_steps", 10, "steps")
    flags.DEFINE_float("sg_rate", 0.5, "rate")
    flags.DEFINE_boolean("sg_fake", False, "fake data")
    flags.DEFINE_list("sg_layers", ["8", "4"], "layer sizes")
    flags.DEFINE_enum("sg_mode", "train", ["train", "eval"], "mode")
    flag_names += ["sg_dir", "sg_steps", "sg_rate", "sg_fake", "sg_layers", "sg_mode"]
    rest = flags.FLAGS(["prog", "--sg_steps=3", "--sg_rate", "0.25", "--sg_fake",
                        "--sg_layers=16,2", "--sg_mode=eval", "positional"])
    assert rest == ["prog", "positional"]
    f = flags.FLAGS
    assert (f.sg_dir, f.sg_steps, f.sg_rate, f.sg_fake, f.sg_layers, f.sg_mode) == \
        ("/tmp/x", 3, 0.25, True, ["16", "2"], "eval")
    with pytest.raises(tf.flags.IllegalFlagValueError):
        flags.FLAGS(["prog", "--sg_mode=predict"])


def test_reading_a_flag_parses_sys_argv_first(flag_names, monkeypatch):
    tf.flags.DEFINE_integer("sg_auto", 1, "auto-parsed")
    flag_names.append("sg_auto")
    tf.flags.FLAGS.unparse_flags()
    monkeypatch.setattr(sys, "argv", ["prog", "--sg_auto=42", "--not_defined_anywhere=1"])
    assert tf.flags.FLAGS.sg_auto == 42


def test_app_run_passes_unknown_arguments_to_main(flag_names):
    tf.app.flags.DEFINE_integer("sg_batch", 5, "batch size")
    flag_names.append("sg_batch")
    seen = {}

    def main(argv):
        seen["argv"] = argv
        seen["batch"] = tf.app.flags.FLAGS.sg_batch
        return 0

    with pytest.raises(SystemExit) as stop:
        tf.app.run(main=main, argv=["prog", "--sg_batch=64", "--unknown=3", "file.txt"])
    assert stop.value.code == 0
    assert seen == {"argv": ["prog", "--unknown=3", "file.txt"], "batch": 64}


def test_app_run_helpfull_lists_the_flags(flag_names, capsys):
    tf.app.flags.DEFINE_string("sg_documented", "", "a flag documented for --helpfull")
    flag_names.append("sg_documented")
    called = []
    with pytest.raises(SystemExit):  # absl exits (with status 1) after printing help
        tf.app.run(main=called.append, argv=["prog", "--helpfull"])
    assert called == []
    assert "a flag documented for --helpfull" in capsys.readouterr().out


def test_app_run_without_main_names_the_problem(monkeypatch):
    monkeypatch.setitem(sys.modules, "__main__", type(sys)("__main__"))
    with pytest.raises(ValueError, match="main"):
        tf.app.run(argv=["prog"])

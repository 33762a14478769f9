"""TF1-style command-line scripts in scripts/, run as their users run them: a separate
Python process with flags on the command line (the script checks its own results)."""
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPTS = pathlib.Path(__file__).parent / "scripts"


def run_script(name, *args):
    """The finished process of ``python scripts/<name> args...`` using this checkout."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, str(SCRIPTS / name), *args], env=env,
                          capture_output=True, text=True, cwd=str(ROOT))


def succeeded(done):
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_monitored_digits_script_trains_and_resumes(tmp_path):
    folder = str(tmp_path / "train")
    first = succeeded(run_script("digits_monitored.py", f"--train_dir={folder}",
                                 "--max_steps=120"))
    assert "started at step 0, ran 120 steps" in first
    second = succeeded(run_script("digits_monitored.py", f"--train_dir={folder}",
                                  "--max_steps=250"))
    assert "started at step 120, ran 130 steps" in second


def test_script_helpfull_lists_its_flags():
    done = run_script("digits_monitored.py", "--helpfull")
    assert "Global step to train up to." in done.stdout and "--batch_size" in done.stdout

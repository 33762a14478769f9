"""Smoke tests: each example script runs with --quick and prints its result."""
import pathlib
import re
import os
import subprocess
import sys

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"


def _checkout_env():
    """The environment for a subprocess that must import this checkout's staticgraph,
    not whichever copy is installed."""
    return dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(EXAMPLES.parent)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))


def run_example(name, output_dir, quick=True):
    """Runs ``examples/<name>`` (with ``--quick``); returns its standard output."""
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / name), "--output-dir", str(output_dir)]
        + (["--quick"] if quick else []),
        capture_output=True, text=True, timeout=300, cwd=EXAMPLES.parent, env=_checkout_env())
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "100%" in proc.stderr  # the tqdm progress bar ran to the end
    return proc.stdout


def number(pattern, text):
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not in output:\n{text}"
    return float(match.group(1))


def assert_pngs(output_dir, *names):
    for name in names:
        path = output_dir / name
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path


def test_linear_regression(tmp_path):
    out = run_example("linear_regression.py", tmp_path)
    assert re.search(r"W: \[-?[\d.]+\] b: \[-?[\d.]+\] loss: [\d.e-]+", out), out
    assert number(r"loss: ([\d.e-]+)", out) < 23.66  # below the initial loss
    assert_pngs(tmp_path, "linear_regression.png")


def test_linear_regression_full_run_prints_tf1s_result(tmp_path):
    """TF1's "Getting Started" printed W: [-0.9999969] b: [ 0.99999082] loss: 5.69997e-11."""
    out = run_example("linear_regression.py", tmp_path, quick=False)
    assert abs(number(r"W: \[(-?[\d.]+)\]", out) - (-0.9999969)) < 2e-6
    assert abs(number(r"b: \[(-?[\d.]+)\]", out) - 0.99999082) < 2e-6
    assert number(r"loss: ([\d.e-]+)", out) < 1e-9


def test_logistic_regression_moons(tmp_path):
    out = run_example("logistic_regression_moons.py", tmp_path)
    assert number(r"final loss: ([\d.]+)", out) < 500 * 0.6931  # below log(2) per point
    assert number(r"training accuracy: ([\d.]+)", out) > 0.7
    assert_pngs(tmp_path, "moons_loss.png", "moons_decision_boundary.png")


def test_mlp_sgd(tmp_path):
    out = run_example("mlp_sgd.py", tmp_path)
    final = number(r"final loss: ([\d.e+-]+)", out)
    initial = number(r"\(initial ([\d.e+-]+)\)", out)
    assert final < 0.5 * initial
    assert len(re.findall(r"step +\d+ +loss", out)) >= 2
    assert_pngs(tmp_path, "mlp_sgd_loss.png")


def test_digits_classifier(tmp_path):
    out = run_example("digits_classifier.py", tmp_path)
    accuracy = number(r"(?m)^test accuracy: ([\d.]+)", out)
    restored = number(r"restored test accuracy: ([\d.]+)", out)
    assert accuracy > 0.8 and restored == accuracy
    assert list((tmp_path / "digits_checkpoints").glob("digits-*.index"))
    assert (tmp_path / "digits_checkpoints" / "checkpoint").exists()
    assert_pngs(tmp_path, "digits_training.png")


def test_output_dir_defaults_to_examples_output():
    proc = subprocess.run([sys.executable, str(EXAMPLES / "linear_regression.py"), "--help"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    assert str(EXAMPLES / "output") in "".join(proc.stdout.split())


def _run_plain(name, *args):
    proc = subprocess.run([sys.executable, str(EXAMPLES / name), *args],
                          capture_output=True, text=True, timeout=300, cwd=EXAMPLES.parent, env=_checkout_env())
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_custom_op_example_checks_and_trains():
    out = _run_plain("custom_op.py", "--quick")
    assert number(r"gradient check max error: ([\d.e+-]+)", out) < 1e-6
    assert abs(number(r"fitted w = ([\d.-]+)", out) - 3.0) < 0.3


def test_quickstart_prints_the_readme_result():
    out = _run_plain("quickstart.py")
    assert "y = [[4.0, 4.0], [4.0, 4.0], [4.0, 4.0], [4.0, 4.0]]" in out


def test_char_rnn(tmp_path):
    out = run_example("char_rnn.py", tmp_path)
    final = number(r"final loss: ([\d.]+)", out)
    initial = number(r"\(initial ([\d.]+)\)", out)
    assert final < initial
    sample = out.split("sample:\n", 1)[1]
    assert sample.startswith("Return the ") and len(sample.splitlines()[0]) >= 11
    assert_pngs(tmp_path, "char_rnn_loss.png")


def test_distributed_training(tmp_path):
    out = run_example("distributed_training.py", tmp_path)
    assert number(r"largest relative gap over \d+ steps: ([\d.e+-]+)", out) < 1e-6
    assert number(r"final loss on 2 workers: ([\d.]+)", out) < 2.30  # below log(10)
    assert 0.0 <= number(r"test accuracy \(inference on the cluster\): ([\d.]+)", out) <= 1
    assert_pngs(tmp_path, "distributed_loss.png")


def test_word2vec(tmp_path):
    out = run_example("word2vec.py", tmp_path)
    final = number(r"final loss: ([\d.]+)", out)
    assert final < 0.5 * number(r"\(initial ([\d.]+)\)", out)
    neighbours = re.findall(r"nearest to (\w+): ((?:\w+, ){5}\w+)$", out, re.MULTILINE)
    assert len(neighbours) >= 4
    assert all(probe not in words.split(", ") for probe, words in neighbours)
    assert_pngs(tmp_path, "word2vec.png")

"""Runs each TF1-style script in this folder; a script checks its own results."""
import pathlib
import runpy

import pytest

SCRIPTS = sorted(p for p in pathlib.Path(__file__).parent.glob("*.py")
                 if not p.name.startswith(("test_", "__")))


def test_scripts_are_found():
    assert len(SCRIPTS) >= 5  # so that a renamed folder cannot pass with no script


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_script_runs_and_checks_out(script, capsys):
    runpy.run_path(str(script), run_name="__main__")
    assert capsys.readouterr().out.strip()

"""examples/seed_expression.py: its printed traces carry the textbook numbers; its SVG parses."""
import importlib.util
import pathlib
import re
import subprocess
import sys

import pytest

from tests.viz.dotparse import svg_titles

EXAMPLE = pathlib.Path(__file__).parents[2] / "examples" / "seed_expression.py"


@pytest.fixture(scope="module")
def example():
    spec = importlib.util.spec_from_file_location("seed_expression", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tables(output: str) -> dict[str, dict[str, dict[str, str]]]:
    """Each printed trace, by its title's first word: {v label: {column: cell}}."""
    result = {}
    for block in output.split("\n\n"):
        lines = block.strip("\n").splitlines()
        if len(lines) < 3 or not lines[0].endswith(("trace", "= 1")):
            continue
        header = re.split(r"\s{2,}", lines[1].strip())
        rows = [dict(zip(header, re.split(r"\s{2,}", line.strip()))) for line in lines[3:]
                if line.startswith("v")]
        result[lines[0].split()[0]] = {row["v"]: row for row in rows}
    return result


def test_prints_the_textbook_numbers(example, tmp_path, capsys):
    example.main(tmp_path)
    out = capsys.readouterr().out
    t = tables(out)
    assert set(t) == {"Primal", "Tangent", "Adjoint"}
    assert list(t["Primal"]) == ["v-1", "v0", "v1", "v2", "v3", "v4", "v5", "v6"]
    assert [t["Primal"][v]["op"] for v in ["v1", "v2", "v3", "v4", "v5", "v6"]] == [
        "RealDiv", "Sin", "Exp", "Sub", "Add", "Mul"]
    assert t["Primal"]["v1"]["inputs"] == "v-1, v0"
    assert t["Primal"]["v6"]["value"] == "2.017"  # y = 2.0167
    assert t["Tangent"]["v6"]["v̇"] == "3.012"  # ∂y/∂x1 by forward mode
    assert t["Tangent"]["v-1"]["v̇"] == "1" and t["Tangent"]["v0"]["v̇"] == "0"
    assert t["Adjoint"]["v5"]["v̄"] == "1.351"
    assert t["Adjoint"]["v4"]["v̄"] == "2.844"
    assert t["Adjoint"]["v4"]["contributions"] == "1.492 (v6) + 1.351 (v5)"
    assert t["Adjoint"]["v-1"]["v̄"] == "3.012"
    assert "dy/dx1 = 3.0118" in out


def test_renders_the_graph_with_its_gradient_subgraph_to_svg(example, tmp_path, capsys):
    svg = example.main(tmp_path)
    assert svg == tmp_path / "seed_expression.svg"
    titles = svg_titles(svg.read_bytes())
    assert {"x1", "x2", "v1", "v2", "v3", "v4", "v5", "v6"} <= titles["node"]
    assert {"cluster_gradients", "cluster_gradients/v6_grad"} <= titles["cluster"]
    gradient_nodes = {n for n in titles["node"] if n.startswith("gradients/")}
    assert "gradients/v6_grad/Mul" in gradient_nodes
    assert "v4->v6" in titles["edge"]


def test_the_script_takes_the_examples_flags(tmp_path):
    proc = subprocess.run([sys.executable, str(EXAMPLE), "--quick", "--output-dir",
                           str(tmp_path)], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "y = 2.0166" in proc.stdout
    assert (tmp_path / "seed_expression.svg").exists() or \
        (tmp_path / "seed_expression").exists()  # the DOT text when Graphviz is missing
    assert not (tmp_path / "--quick").exists()

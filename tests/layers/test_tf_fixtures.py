"""staticgraph's tf.layers against TensorFlow's compat.v1 layers (recorded by
tools/tf_layers_fixtures.py): variable names, shapes and trainability, outputs for fixed
weights, moving statistics after one update, and the public signatures."""
import inspect
import json
import pathlib

import numpy as np
import pytest

import staticgraph as tf
from tests.layers.layer_cases import CASES, SIGNATURES, run_case
from tools.tf_layers_fixtures import describe_default

FIXTURE = json.loads((pathlib.Path(__file__).parent / "fixtures" / "tf_layers.json")
                     .read_text())


def test_fixture_covers_every_case():
    assert sorted(FIXTURE["cases"]) == sorted(CASES)
    assert sorted(FIXTURE["signatures"]) == sorted(SIGNATURES)


def check_case(name, expected, got):
    """A case's variables, names, fetches and moving statistics against TF's."""
    assert got["variables"] == expected["variables"]
    assert got["names"] == expected["names"]
    assert sorted(got["fetches"]) == sorted(expected["fetches"])
    for key, value in expected["fetches"].items():
        np.testing.assert_allclose(np.asarray(got["fetches"][key], dtype=float),
                                   np.asarray(value, dtype=float), rtol=1e-4, atol=2e-5,
                                   err_msg=f"{name}: {key}")
    moving = {k: v for k, v in expected["after_updates"].items() if "/moving_" in k}
    for key, value in moving.items():  # the other weights are random or constant
        np.testing.assert_allclose(got["after_updates"][key], value, rtol=1e-4, atol=2e-5,
                                   err_msg=f"{name}: {key} after the updates")


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_matches_tensorflow(name):
    check_case(name, FIXTURE["cases"][name], run_case(tf, name))


def _same_default(mine, theirs):
    """Equal, or an int where TF has a tuple of that int (the same in every dimension)."""
    return mine == theirs or (isinstance(theirs, list) and isinstance(mine, int)
                              and set(theirs) == {mine})


def _accepted_parameters(obj):
    """(parameter name -> default, explicit positional names) over a class's __init__
    chain, or a function (and the layer class it forwards extra arguments to)."""
    if inspect.isclass(obj):
        targets = [c.__init__ for c in obj.__mro__ if "__init__" in vars(c)]
    else:
        targets = [obj]
    accepted, positional = {}, None
    for target in targets:
        params = [p for p in inspect.signature(target).parameters.values()
                  if p.name != "self"]
        if positional is None:
            positional = [p.name for p in params
                          if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        for p in params:
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                accepted.setdefault(p.name, describe_default(p.default))
    layer_class = getattr(obj, "layer_class", None)
    if layer_class is not None:  # a functional form passing *args, **kwargs to the class
        more, class_positional = _accepted_parameters(layer_class)
        for key, value in more.items():
            accepted.setdefault(key, value)
        positional = positional + class_positional[len(positional) - 1:]
    return accepted, positional


def check_signature(name, expected):
    """Every TF parameter of ``tf.layers.<name>`` is accepted with TF's default, and the
    explicit positional parameters come in TF's order."""
    accepted, positional = _accepted_parameters(getattr(tf.layers, name))
    count = min(len(positional), len(expected))
    assert positional[:count] == [n for n, _ in expected[:count]]
    for param, default in expected:
        assert param in accepted, f"{name} lacks {param}"
        assert _same_default(accepted[param], default), f"{name}({param}=...)"


@pytest.mark.parametrize("name", SIGNATURES)
def test_signature_matches_tensorflow(name):
    check_signature(name, FIXTURE["signatures"][name])

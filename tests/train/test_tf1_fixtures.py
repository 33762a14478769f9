"""The new optimizers, schedules and ExponentialMovingAverage reproduce TensorFlow 1's
numbers (tests/train/fixtures/tf1_training.json, written by
tools/make_training_fixtures.py with TensorFlow from the cases in tf1_cases.py)."""
import json
import pathlib

import numpy as np
import pytest

import staticgraph as tf
from tests.train.tf1_cases import (EMA_CASES, OPTIMIZER_CASES, SCHEDULE_CASES, ema_path,
                                   optimizer_path, schedule_values)

FIXTURE = json.loads((pathlib.Path(__file__).parent / "fixtures" / "tf1_training.json")
                     .read_text())


@pytest.mark.parametrize("label", sorted(OPTIMIZER_CASES))
def test_optimizer_matches_tf1(label):
    np.testing.assert_allclose(optimizer_path(tf, label), FIXTURE["optimizers"][label],
                               rtol=2e-6, atol=1e-7)


@pytest.mark.parametrize("label", sorted(SCHEDULE_CASES))
def test_schedule_matches_tf1(label):
    np.testing.assert_allclose(schedule_values(tf, label), FIXTURE["schedules"][label],
                               rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("label", sorted(EMA_CASES))
def test_moving_average_matches_tf1(label):
    np.testing.assert_allclose(ema_path(tf, label), FIXTURE["ema"][label], rtol=1e-6)


def test_fixture_covers_every_case():
    assert set(FIXTURE["optimizers"]) == set(OPTIMIZER_CASES)
    assert set(FIXTURE["schedules"]) == set(SCHEDULE_CASES)
    assert set(FIXTURE["ema"]) == set(EMA_CASES)

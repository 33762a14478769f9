"""``tf.estimator``: TF1's Estimator for ``model_fn``-style programs (custom Estimators,
as TF's "Building a CNN with tf.layers" tutorial writes them), ``EstimatorSpec``,
``ModeKeys``, ``RunConfig`` and ``tf.estimator.inputs.numpy_input_fn``. Premade
Estimators (DNNClassifier, LinearRegressor...) need ``tf.feature_column``, which
staticgraph does not have; they raise an AttributeError."""
from typing import NoReturn as _NoReturn

from . import inputs
from .estimator import Estimator
from .spec import EstimatorSpec, ModeKeys, RunConfig

__all__ = ["Estimator", "EstimatorSpec", "ModeKeys", "RunConfig", "inputs"]


def __getattr__(name: str) -> _NoReturn:
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"tf.estimator.{name} is not supported by staticgraph; "
                         f"tf.estimator has: {', '.join(__all__)}.")

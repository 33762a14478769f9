"""``tf.estimator.Estimator``: train, evaluate and predict with a ``model_fn``, each call
in a graph of its own, state kept only in the checkpoints of ``model_dir`` (TF1's design:
the Estimator object holds no session)."""
from __future__ import annotations

import inspect
import os
import tempfile
from typing import Any, Callable, Iterator

import numpy as np

from .. import tf_logging as logging
from ..core.graph import Graph, set_random_seed
from ..data.dataset import Dataset
from ..io.checkpoint_reader import latest_checkpoint, list_variables, load_variable
from ..io.protos import Summary
from ..metrics.streaming import mean as streaming_mean
from ..ops.state_ops import group
from ..train.saver import Saver
from ..train.training_util import get_or_create_global_step
from ..training import (ChiefSessionCreator, CheckpointSaverHook, FinalOpsHook,
                        LoggingTensorHook, MonitoredSession, MonitoredTrainingSession,
                        NanTensorHook, Scaffold, SessionRunHook, StopAtStepHook)
from ..training.basic_hooks import FileWriterCache
from .spec import EstimatorSpec, ModeKeys, RunConfig

__all__ = ["Estimator"]


class Estimator:
    """``tf.estimator.Estimator(model_fn, model_dir=None, config=None, params=None)``.

    ``model_fn(features, labels, mode, params, config)`` (taking any subset of the last
    four by name) returns an :class:`EstimatorSpec`. An ``input_fn`` returns
    ``(features, labels)``, features alone, or a ``tf.data.Dataset`` of either.
    """

    def __init__(self, model_fn: Callable, model_dir: str | None = None,
                 config: RunConfig | None = None, params: dict | None = None,
                 warm_start_from: Any = None) -> None:
        if warm_start_from is not None:
            raise NotImplementedError("Estimator(warm_start_from=) is not supported by "
                                      "staticgraph; use tf.train.init_from_checkpoint in "
                                      "the model_fn")
        config = config or RunConfig()
        if model_dir and config.model_dir and os.path.abspath(model_dir) != \
                os.path.abspath(config.model_dir):
            raise ValueError(f"model_dir are set both in constructor and RunConfig, but with "
                             f"different values. In constructor: '{model_dir}', in "
                             f"RunConfig: '{config.model_dir}'.")
        model_dir = model_dir or config.model_dir
        if model_dir is None:
            model_dir = tempfile.mkdtemp()
            logging.warning("Using temporary folder as model directory: %s", model_dir)
        self._model_dir = str(model_dir)
        self._config = config.replace(model_dir=self._model_dir)
        self._params = dict(params or {})
        self._model_fn = model_fn
        self._model_fn_args = set(inspect.signature(model_fn).parameters)
        if "features" not in self._model_fn_args and \
                not inspect.signature(model_fn).parameters:
            raise ValueError(f"model_fn ({model_fn}) must include features argument.")

    @property
    def model_dir(self) -> str:
        """Where checkpoints and summaries are written."""
        return self._model_dir

    @property
    def config(self) -> RunConfig:
        """The :class:`RunConfig` (with ``model_dir`` filled in)."""
        return self._config

    @property
    def params(self) -> dict:
        """A copy of the ``params`` given to the model_fn."""
        return dict(self._params)

    def latest_checkpoint(self) -> str | None:
        """The newest checkpoint in ``model_dir`` (None before training)."""
        return latest_checkpoint(self._model_dir)

    def get_variable_names(self) -> list[str]:
        """Names of the variables in the latest checkpoint."""
        return [name for name, _ in list_variables(self._checkpoint_or_fail())]

    def get_variable_value(self, name: str) -> np.ndarray:
        """The value of variable ``name`` in the latest checkpoint."""
        return load_variable(self._checkpoint_or_fail(), name)

    def _checkpoint_or_fail(self) -> str:
        path = self.latest_checkpoint()
        if path is None:
            raise ValueError(f"Could not find trained model in model_dir: {self._model_dir}.")
        return path

    # -- building ----------------------------------------------------------------------
    def _inputs(self, input_fn: Callable, mode: str) -> tuple[Any, Any]:
        accepted = set(inspect.signature(input_fn).parameters)
        kwargs = {k: v for k, v in (("mode", mode), ("params", self.params),
                                    ("config", self._config)) if k in accepted}
        result = input_fn(**kwargs)
        if isinstance(result, Dataset):
            result = result.make_one_shot_iterator().get_next()
        if isinstance(result, (tuple, list)) and len(result) == 2:
            return result[0], result[1]
        return result, None

    def _spec(self, features: Any, labels: Any, mode: str) -> EstimatorSpec:
        kwargs: dict[str, Any] = {}
        if "labels" in self._model_fn_args:
            kwargs["labels"] = labels
        elif labels is not None:
            raise ValueError("model_fn does not take labels, but input_fn returns labels.")
        for key, value in (("mode", mode), ("params", self.params),
                           ("config", self._config)):
            if key in self._model_fn_args:
                kwargs[key] = value
        spec = self._model_fn(features, **kwargs)
        if not isinstance(spec, EstimatorSpec):
            raise ValueError(f"model_fn should return an EstimatorSpec. Given: {spec!r}")
        return spec.check()

    def _new_graph(self) -> Graph:
        graph = Graph()
        if self._config.tf_random_seed is not None:
            with graph.as_default():
                set_random_seed(self._config.tf_random_seed)
        return graph

    def _session_for(self, checkpoint_path: str | None, hooks: list,
                     scaffold: Any = None) -> MonitoredSession:
        path = checkpoint_path or self.latest_checkpoint()
        if path is None:
            logging.info("Could not find trained model in model_dir: %s, running "
                         "initialization.", self._model_dir)
        creator = ChiefSessionCreator(scaffold=scaffold or Scaffold(),
                                      config=self._config.session_config,
                                      checkpoint_filename_with_path=path)
        return MonitoredSession(session_creator=creator, hooks=hooks)

    # -- train -------------------------------------------------------------------------
    def train(self, input_fn: Callable, hooks: list | None = None, steps: int | None = None,
              max_steps: int | None = None, saving_listeners: list | None = None
              ) -> "Estimator":
        """Trains for ``steps`` more steps, up to global step ``max_steps``, or until the
        input ends; resumes from ``model_dir``'s latest checkpoint. Returns self."""
        if steps is not None and max_steps is not None:
            raise ValueError("Can not provide both steps and max_steps.")
        for what, value in (("steps", steps), ("max_steps", max_steps)):
            if value is not None and value <= 0:
                raise ValueError(f"Must specify {what} > 0, given: {value}")
        if max_steps is not None and self.latest_checkpoint() is not None and \
                int(load_variable(self.latest_checkpoint(), "global_step")) >= max_steps:
            logging.info("Skipping training since max_steps has already saved.")
            return self
        config = self._config
        with self._new_graph().as_default():
            global_step = get_or_create_global_step()
            features, labels = self._inputs(input_fn, ModeKeys.TRAIN)
            spec = self._spec(features, labels, ModeKeys.TRAIN)
            all_hooks = [NanTensorHook(spec.loss),
                         LoggingTensorHook({"loss": spec.loss, "step": global_step},
                                           every_n_iter=config.log_step_count_steps),
                         *(hooks or []), *spec.training_hooks]
            if steps is not None or max_steps is not None:
                all_hooks.append(StopAtStepHook(num_steps=steps, last_step=max_steps))
            scaffold = spec.scaffold or Scaffold(saver=Saver(
                max_to_keep=config.keep_checkpoint_max,
                keep_checkpoint_every_n_hours=config.keep_checkpoint_every_n_hours))
            chief_hooks = list(spec.training_chief_hooks)
            saving = {"save_checkpoint_secs": config.save_checkpoints_secs,
                      "save_checkpoint_steps": config.save_checkpoints_steps}
            if saving_listeners:
                chief_hooks.append(CheckpointSaverHook(
                    self._model_dir, save_secs=config.save_checkpoints_secs,
                    save_steps=config.save_checkpoints_steps, scaffold=scaffold,
                    listeners=saving_listeners))
                saving = {"save_checkpoint_secs": None, "save_checkpoint_steps": None}
            loss = None
            with MonitoredTrainingSession(
                    checkpoint_dir=self._model_dir, scaffold=scaffold, hooks=all_hooks,
                    chief_only_hooks=chief_hooks,
                    save_summaries_steps=config.save_summary_steps,
                    config=config.session_config,
                    log_step_count_steps=config.log_step_count_steps, **saving) as sess:
                while not sess.should_stop():
                    _, loss = sess.run([spec.train_op, spec.loss])
        logging.info("Loss for final step: %s.", loss)
        return self

    # -- evaluate ----------------------------------------------------------------------
    def evaluate(self, input_fn: Callable, steps: int | None = None,
                 hooks: list | None = None, checkpoint_path: str | None = None,
                 name: str | None = None) -> dict:
        """Runs the ``eval_metric_ops`` and the mean loss over the input (or ``steps``
        batches) with the latest checkpoint's variables; returns their values, with
        ``loss`` and ``global_step``, and writes them as summaries to
        ``model_dir/eval`` (``eval_<name>``)."""
        if steps is not None and steps <= 0:
            raise ValueError(f"Must specify steps > 0, given: {steps}")
        with self._new_graph().as_default():
            global_step = get_or_create_global_step()
            features, labels = self._inputs(input_fn, ModeKeys.EVAL)
            spec = self._spec(features, labels, ModeKeys.EVAL)
            metrics = dict(spec.eval_metric_ops or {})
            if "loss" in metrics:
                raise ValueError("Metric with name \"loss\" is not allowed, because Estimator "
                                 "already defines a default metric with the same name.")
            metrics["loss"] = streaming_mean(spec.loss)
            update = group(*[update for _, update in metrics.values()])
            final = FinalOpsHook({**{k: value for k, (value, _) in metrics.items()},
                                  "global_step": global_step})
            all_hooks = [*(hooks or []), *spec.evaluation_hooks, final]
            if steps is not None:
                all_hooks.append(_StopAfterRuns(steps))
            with self._session_for(checkpoint_path, all_hooks, spec.scaffold) as sess:
                while not sess.should_stop():
                    sess.run(update)
        results = {k: v for k, v in final.final_ops_values.items()}
        self._write_eval_summaries(results, name)
        logging.info("Saving dict for global step %d: %s", results["global_step"],
                     ", ".join(f"{k} = {v}" for k, v in sorted(results.items())))
        return results

    def _write_eval_summaries(self, results: dict, name: str | None) -> None:
        values = [Summary.Value(tag=key, simple_value=float(value))
                  for key, value in sorted(results.items())
                  if key != "global_step" and np.ndim(value) == 0
                  and np.issubdtype(np.asarray(value).dtype, np.number)]
        folder = os.path.join(self._model_dir, "eval" if name is None else f"eval_{name}")
        writer = FileWriterCache.get(folder)
        writer.add_summary(Summary(value=values), int(results["global_step"]))
        writer.flush()

    # -- predict -----------------------------------------------------------------------
    def predict(self, input_fn: Callable, predict_keys: Any = None,
                hooks: list | None = None, checkpoint_path: str | None = None,
                yield_single_examples: bool = True) -> Iterator[Any]:
        """Yields the model's ``predictions`` for the input, one example at a time (a
        dict per example for dict predictions), or one batch at a time with
        ``yield_single_examples=False``, until the input ends."""
        with self._new_graph().as_default():
            get_or_create_global_step()
            features, _ = self._inputs(input_fn, ModeKeys.PREDICT)
            spec = self._spec(features, None, ModeKeys.PREDICT)
            predictions = _selected(spec.predictions, predict_keys)
            with self._session_for(checkpoint_path, [*(hooks or []), *spec.prediction_hooks],
                                   spec.scaffold) as sess:
                while not sess.should_stop():
                    batch = sess.run(predictions)
                    if not yield_single_examples:
                        yield batch
                    elif isinstance(batch, dict):
                        yield from _examples_of(batch)
                    else:
                        yield from batch


def _selected(predictions: Any, keys: Any) -> Any:
    if keys is None:
        return predictions
    if not isinstance(predictions, dict):
        raise ValueError("predict_keys argument is not valid in case of non-dict "
                         "predictions.")
    keys = [keys] if isinstance(keys, str) else list(keys)
    missing = [k for k in keys if k not in predictions]
    if missing:
        raise ValueError(f"Expected to run at least one output from {sorted(predictions)}, "
                         f"provided {keys}; not found: {missing}.")
    return {k: predictions[k] for k in keys}


def _examples_of(batch: dict) -> Iterator[dict]:
    sizes = {key: len(value) for key, value in batch.items()}
    if len(set(sizes.values())) != 1:
        raise ValueError(f"Batch length of predictions should be same. {sizes}")
    for i in range(next(iter(sizes.values()))):
        yield {key: value[i] for key, value in batch.items()}


class _StopAfterRuns(SessionRunHook):
    """Stops a session after ``runs`` runs (evaluation's ``steps``)."""

    def __init__(self, runs: int) -> None:
        self._runs, self._done = runs, 0

    def after_run(self, run_context: Any, run_values: Any) -> None:
        self._done += 1
        if self._done >= self._runs:
            run_context.request_stop()

"""What a TF1 ``model_fn`` returns (:class:`EstimatorSpec`), the modes it is called in
(:class:`ModeKeys`) and an Estimator's settings (:class:`RunConfig`)."""
from __future__ import annotations

from typing import Any, NamedTuple


class ModeKeys:
    """``tf.estimator.ModeKeys``: the ``mode`` a ``model_fn`` is called with."""

    TRAIN = "train"
    EVAL = "eval"
    PREDICT = "infer"


class EstimatorSpec(NamedTuple):
    """``tf.estimator.EstimatorSpec``: the ops a ``model_fn`` built for ``mode``. Training
    needs ``loss`` and ``train_op``, evaluation ``loss`` (plus optional
    ``eval_metric_ops``: name → ``(value, update_op)`` as ``tf.metrics`` returns them),
    prediction ``predictions`` (a tensor or a dict of tensors)."""

    mode: str
    predictions: Any = None
    loss: Any = None
    train_op: Any = None
    eval_metric_ops: dict | None = None
    export_outputs: dict | None = None
    training_chief_hooks: tuple = ()
    training_hooks: tuple = ()
    scaffold: Any = None
    evaluation_hooks: tuple = ()
    prediction_hooks: tuple = ()

    def check(self) -> "EstimatorSpec":
        """This spec; ``ValueError`` naming what its mode is missing, as TF1 raises."""
        if self.mode not in (ModeKeys.TRAIN, ModeKeys.EVAL, ModeKeys.PREDICT):
            raise ValueError(f"mode={self.mode!r} is not a tf.estimator.ModeKeys value")
        if self.mode == ModeKeys.TRAIN and self.train_op is None:
            raise ValueError("Missing train_op.")
        if self.mode in (ModeKeys.TRAIN, ModeKeys.EVAL) and self.loss is None:
            raise ValueError("Missing loss.")
        if self.mode == ModeKeys.PREDICT and self.predictions is None:
            raise ValueError("Missing predictions.")
        return self


class RunConfig:
    """``tf.estimator.RunConfig``: where and how often an Estimator saves and logs. TF1's
    defaults: a checkpoint every 600 s (``save_checkpoints_steps`` instead if given), 5
    kept, summaries every 100 steps, the loss logged every 100 steps."""

    def __init__(self, model_dir: str | None = None, tf_random_seed: int | None = None,
                 save_summary_steps: int = 100, save_checkpoints_steps: int | None = None,
                 save_checkpoints_secs: Any = "default", session_config: Any = None,
                 keep_checkpoint_max: int = 5, keep_checkpoint_every_n_hours: float = 10000,
                 log_step_count_steps: int = 100, **unused: Any) -> None:
        if save_checkpoints_steps is not None and save_checkpoints_secs not in (None,
                                                                                "default"):
            raise ValueError("Can not specify both save_checkpoints_steps and "
                             "save_checkpoints_secs.")
        if save_checkpoints_secs == "default":
            save_checkpoints_secs = None if save_checkpoints_steps is not None else 600
        self.model_dir = model_dir
        self.tf_random_seed = tf_random_seed
        self.save_summary_steps = save_summary_steps
        self.save_checkpoints_steps = save_checkpoints_steps
        self.save_checkpoints_secs = save_checkpoints_secs
        self.session_config = session_config
        self.keep_checkpoint_max = keep_checkpoint_max
        self.keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self.log_step_count_steps = log_step_count_steps

    def replace(self, **changes: Any) -> "RunConfig":
        """A copy with ``changes`` applied (TF1's ``RunConfig.replace``)."""
        settings = dict(vars(self))
        settings.update(changes)
        if "save_checkpoints_steps" in changes and "save_checkpoints_secs" not in changes:
            settings["save_checkpoints_secs"] = None
        return RunConfig(**settings)

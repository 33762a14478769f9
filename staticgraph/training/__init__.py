"""Training sessions and their hooks: ``MonitoredTrainingSession``, ``Scaffold``,
``SessionRunHook`` and TF1's standard hooks, ``Coordinator``.

These names belong to ``tf.train``; ``TRAIN_NAMES`` lists them for the package's
``__init__`` to add there.
"""
from __future__ import annotations

from .basic_hooks import (CheckpointSaverHook, CheckpointSaverListener, FeedFnHook,
                          FinalOpsHook, LoggingTensorHook,
                          NanLossDuringTrainingError, NanTensorHook, SecondOrStepTimer,
                          StepCounterHook, StopAtStepHook, SummarySaverHook)
from .coordinator import Coordinator
from .input import batch, shuffle_batch
# Queue input producers (tf.train.*_input_producer, limit_epochs)
from .input import (input_producer, limit_epochs, maybe_batch, maybe_shuffle_batch,
                    range_input_producer, slice_input_producer, string_input_producer)
# Batching from several tensor lists (tf.train.*batch_join)
from .input import batch_join, maybe_batch_join, maybe_shuffle_batch_join, shuffle_batch_join
from .queues import QueueRunner, add_queue_runner, start_queue_runners
from .monitored_session import (MonitoredSession, MonitoredTrainingSession,
                                SingularMonitoredSession)
from .scaffold import ChiefSessionCreator, Scaffold, SessionCreator, WorkerSessionCreator
from .session_run_hook import (SessionRunArgs, SessionRunContext, SessionRunHook,
                               SessionRunValues)

__all__ = ["CheckpointSaverHook", "CheckpointSaverListener", "ChiefSessionCreator",
           "Coordinator", "FeedFnHook", "QueueRunner", "add_queue_runner", "batch",
           "shuffle_batch", "start_queue_runners", "FinalOpsHook", "LoggingTensorHook",
           "MonitoredSession", "MonitoredTrainingSession", "NanLossDuringTrainingError",
           "NanTensorHook", "Scaffold", "SecondOrStepTimer", "SessionCreator",
           "SessionRunArgs", "SessionRunContext", "SessionRunHook", "SessionRunValues",
           "SingularMonitoredSession", "StepCounterHook", "StopAtStepHook",
           "SummarySaverHook", "WorkerSessionCreator",
           # queue input producers
           "input_producer", "limit_epochs", "range_input_producer", "slice_input_producer",
           "string_input_producer", "maybe_batch", "maybe_shuffle_batch",
           # batching from several tensor lists
           "batch_join", "maybe_batch_join", "shuffle_batch_join", "maybe_shuffle_batch_join"]

# TF 1.0's Supervisor, SessionManager, checkpoint utilities and loops (issue 14)
from . import queue_runner
from .checkpoint_management import (checkpoints_iterator, generate_checkpoint_state_proto,
                                    get_checkpoint_mtimes, remove_checkpoint,
                                    update_checkpoint_state)
from .looper import LooperThread, basic_train_loop
from .session_manager import SessionManager
from .supervisor import Supervisor
from .waiter_hook import GlobalStepWaiterHook
from .profiler_hook import ProfilerHook
from ..io.protos import SaverDef
__all__ += ["queue_runner", "checkpoints_iterator", "generate_checkpoint_state_proto",
            "get_checkpoint_mtimes", "remove_checkpoint", "update_checkpoint_state",
            "LooperThread", "basic_train_loop", "SessionManager", "Supervisor",
            "GlobalStepWaiterHook", "SaverDef", "ProfilerHook"]

TRAIN_NAMES = {name: globals()[name] for name in __all__}
"""The ``tf.train`` names this package provides."""

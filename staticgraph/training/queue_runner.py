"""``tf.train.queue_runner``: TF1's module of queue runners (``QueueRunner``,
``add_queue_runner``, ``start_queue_runners``)."""
from __future__ import annotations

from .queues import QueueRunner, add_queue_runner, start_queue_runners

__all__ = ["QueueRunner", "add_queue_runner", "start_queue_runners"]

"""Graph collections: TF1's standard collection names and the methods a Graph uses to
keep named lists of objects (variables, losses, summaries, update ops...)."""
from __future__ import annotations

import re
from typing import Any, Iterable


class GraphKeys:
    """Standard collection names (TF1)."""

    GLOBAL_VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    MODEL_VARIABLES = "model_variables"
    SUMMARIES = "summaries"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    REGULARIZATION_LOSSES = "regularization_losses"
    TRAIN_OP = "train_op"
    GLOBAL_STEP = "global_step"
    INIT_OP = "init_op"
    SAVERS = "savers"
    ACTIVATIONS = "activations"
    WEIGHTS = "weights"
    BIASES = "biases"
    QUEUE_RUNNERS = "queue_runners"
    ASSET_FILEPATHS = "asset_filepaths"
    VARIABLES = GLOBAL_VARIABLES


class GraphCollections:
    """The collection methods of :class:`staticgraph.core.graph.Graph` (which owns the
    ``_collections`` dict: name -> list)."""

    _collections: dict[str, list]

    def add_to_collection(self, name: str, value: Any) -> None:
        """Appends ``value`` to collection ``name``."""
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names: Iterable[str] | str, value: Any) -> None:
        """Appends ``value`` to each collection in ``names``."""
        for n in [names] if isinstance(names, str) else names:
            self.add_to_collection(n, value)

    def get_collection(self, name: str, scope: str | None = None) -> list:
        """A copy of collection ``name``, filtered to items whose name matches ``scope``."""
        items = list(self._collections.get(name, []))
        if scope is None:
            return items
        pattern = re.compile(scope)
        return [i for i in items if hasattr(i, "name") and pattern.match(i.name)]

    def get_collection_ref(self, name: str) -> list:
        """The live list of collection ``name`` (created if missing)."""
        return self._collections.setdefault(name, [])

    def get_all_collection_keys(self) -> list[str]:
        """Names of all non-empty collections."""
        return [k for k, v in self._collections.items() if v]

    def clear_collection(self, name: str) -> None:
        """Empties collection ``name``."""
        self._collections.pop(name, None)

"""A session's runs on a Dask cluster: data-parallel steps and batch inference.

``tf.Session(target=client)`` (a ``dask.distributed.Client``, a scheduler address
``"tcp://..."`` or a :class:`DaskTarget`) sends every run whose feeds include Dask arrays
here; other runs stay in the driver process. Variables live in the driver's session.
"""
from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..compiler.batch_split import Batch, BatchSplit, split_run
from ..core.errors import UnavailableError
from ..core.graph import Operation, Tensor
from ..runtime.fetches import flatten_fetches
from .resident import Residents, block_keys
from .worker import run_partition


@dataclass
class DaskTarget:
    """A session target on a Dask cluster.

    client: a ``dask.distributed.Client`` or a scheduler address (``"tcp://host:port"``).
    compute: batch inference returns NumPy arrays (computed now) instead of lazy Dask
        arrays with one task per partition.
    """

    client: Any
    compute: bool = False


def _is_dask_array(value: Any) -> bool:
    array = sys.modules.get("dask.array")
    return array is not None and isinstance(value, array.Array)


def connect(target: Any, session: Any) -> "DaskRunner | None":
    """The connector registered with the runtime: serves Dask clients and addresses."""
    if isinstance(target, str):
        return DaskRunner(DaskTarget(target), session) if target.startswith("tcp://") else None
    if isinstance(target, DaskTarget):
        return DaskRunner(target, session)
    distributed = sys.modules.get("distributed")
    if distributed is not None and isinstance(target, distributed.Client):
        return DaskRunner(DaskTarget(target), session)
    return None


@dataclass
class DaskRunner:
    """Runs a session's Dask-fed runs on the cluster (see the module docstring)."""

    target: DaskTarget
    session: Any
    _shipped: tuple = field(default=(), repr=False)  # (op count, GraphDef future)
    _splits: dict = field(default_factory=dict, repr=False)
    _owns_client: bool = field(default=False, repr=False)
    _residents: Residents = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.target.client, str):
            from distributed import Client
            self.target.client = Client(self.target.client, set_as_default=False)
            self._owns_client = True
        self._residents = Residents(self.target.client)

    def close(self) -> None:
        """Closes the client the runner opened from an address; a client the user passed
        stays open (it is theirs)."""
        self._residents.reset()
        if self._owns_client:
            self.target.client.close()
            self._owns_client = False

    def handles(self, feed_dict: dict | None) -> bool:
        """Whether any fed value is a Dask array."""
        return bool(feed_dict) and any(map(_is_dask_array, feed_dict.values()))

    def run(self, fetches: Any, feed_dict: dict) -> Any:
        """One data-parallel step, or batch inference when every fetch is row-wise."""
        graph = self.session.graph
        leaves, rebuild = flatten_fetches(graph, fetches)
        batch, others = {}, {}
        for key, value in feed_dict.items():
            tensor = self.session.feed_tensor(key)
            (batch if _is_dask_array(value) else others)[tensor] = value
        split = self._split(leaves, batch, others)
        arrays, sizes = _partitions(batch)
        lost = _lost_partitions(arrays, sizes)
        if lost:
            raise UnavailableError(None, None, f"Dask lost {'; '.join(lost)} with a worker "
                                   f"and cannot compute it again (scattered data): give the "
                                   f"batch to the cluster again; no variable was updated")
        rows = [t for t, kind in split.kinds.items() if kind is Batch.ROWS]
        if rows:
            if len(rows) != len(leaves):
                raise ValueError("A distributed run fetches either row-wise tensors (batch "
                                 f"inference) or none; got row-wise {[t.name for t in rows]} "
                                 f"among {[getattr(x, 'name', x) for x in leaves]}")
            return rebuild(self._infer(leaves, split, arrays, sizes, others))
        parts = self._step_parts(split, arrays, sizes, others)
        cuts = {t: _combine(kind if kind is not Batch.COUNT else split.count_kind,
                            [p[i] for p in parts], sizes)
                for i, (t, kind) in enumerate(split.cuts)}
        # The update ops keep control dependencies on the gradient ops the workers ran:
        # the driver runs those on zero rows (their outputs are replaced by the feeds).
        empty = {t: np.zeros((0, *a.shape[1:]), a.dtype) for t, a in arrays.items()}
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            return self.session.run(fetches, {**others, **empty, **cuts})

    def _split(self, leaves: list, batch: dict, others: dict) -> BatchSplit:
        key = (tuple(leaves), tuple(batch), tuple(others))
        if key not in self._splits:
            self._splits[key] = split_run(leaves, batch, others)
        return self._splits[key]

    def _graph_future(self) -> Any:
        """The GraphDef's bytes on the workers: shipped again only when ops were added."""
        graph = self.session.graph
        count = len(graph.get_operations())
        if not self._shipped or self._shipped[0] != count:
            data = graph.as_graph_def().SerializeToString()
            self._shipped = (count, _hold(self.target.client, data))
        return self._shipped[1]

    def _tasks(self, names: list[str], split: BatchSplit, arrays: list, sizes: list,
               others: dict) -> list:
        """One delayed ``run_partition`` per non-empty partition."""
        from dask import delayed
        constants = _hold(self.target.client, self._constants(split, others))
        graph_def = self._graph_future()
        blocks = [a.to_delayed().ravel() for a in arrays.values()]
        batch_names = [t.name for t in arrays]
        call = delayed(run_partition, pure=False)
        return [call(graph_def, constants, names, batch_names, *(b[i] for b in blocks))
                for i, n in enumerate(sizes) if n]

    def _constants(self, split: BatchSplit, others: dict) -> dict[str, np.ndarray]:
        """What every partition is fed besides its blocks: the variables' values (read in
        the driver now) and the other feeds, by tensor name."""
        constants = {t.name: np.asarray(v) for t, v in others.items()}
        if split.variables:
            values = self.session.run(list(split.variables))
            constants.update((t.name, v) for t, v in zip(split.variables, values))
        return constants

    def _step_parts(self, split: BatchSplit, arrays: dict, sizes: list, others: dict
                    ) -> list[list[np.ndarray]]:
        """Every partition's values of the cut tensors; a failure changes nothing.

        Partitions in the workers' memory run on the workers' resident sessions; if that
        fails (a worker lost, a block moved), the step runs again as tasks, which Dask
        retries on other workers before the step fails."""
        names = [t.name for t, _ in split.cuts]
        places = self._residents.placement(list(arrays.values()), sizes)
        if places is not None:
            try:
                return self._residents.run(self._graph_future(), places,
                                           self._constants(split, others), names,
                                           [t.name for t in arrays])
            except Exception:  # noqa: BLE001 - any failure: the task path below decides
                self._residents.reset()
        client = self.target.client
        futures = client.compute(self._tasks(names, split, arrays, sizes, others))
        try:
            return client.gather(futures)
        except Exception as err:
            client.cancel(futures)
            self._residents.reset()
            lost = "; ".join(_lost_partitions(arrays, sizes))
            raise UnavailableError(None, None, f"The distributed step failed on the Dask "
                                   f"cluster ({type(err).__name__}: {err})"
                                   f"{'; lost for good: ' + lost if lost else ''}; no "
                                   f"variable was updated") from err

    def _infer(self, leaves: list[Tensor], split: BatchSplit, arrays: dict, sizes: list,
               others: dict) -> list:
        import dask.array as da
        from dask import delayed
        tasks = self._tasks([t.name for t in leaves], split, arrays, sizes, others)
        nonempty = [n for n in sizes if n]
        results = []
        for j, t in enumerate(leaves):
            tail = t.shape.as_list()[1:] if t.shape.ndims is not None else None
            if tail is None or None in tail:
                raise ValueError(f"Batch inference of '{t.name}' needs its shape beyond the "
                                 f"batch axis known, got {t.shape}")
            pieces = [da.from_delayed(delayed(_pick)(task, j), (n, *tail), t.dtype.dtype)
                      for task, n in zip(tasks, nonempty)]
            results.append(da.concatenate(pieces, axis=0))
        if self.target.compute:
            results = list(self.target.client.compute(results, sync=True))
        return results


def _pick(values: list, index: int) -> np.ndarray:
    return values[index]


def _same(value: Any) -> Any:
    return value


def _hold(client: Any, value: Any) -> Any:
    """A future of ``value`` in a worker's memory, under a key of its own.

    ``value`` rides in the task that produces it, so the scheduler can compute it again
    if its worker is lost (scattered data would be lost with the worker), and other
    workers fetch it from that one. Nothing is broadcast: Dask's ``replicate`` (behind
    ``scatter(broadcast=True)``) retries a worker that died during it forever
    (dask/distributed#5704), which hung steps after a worker was killed. A key of its
    own (``pure=False``): two sessions shipping equal bytes must not share one key, or
    the first one's release drops the second one's data.
    """
    return client.submit(_same, value, pure=False)


def _partitions(batch: dict) -> tuple[dict, list[int]]:
    """The batch feeds chunked alike along axis 0 (one chunk along other axes), and the
    partition sizes."""
    if not batch:
        raise ValueError("A distributed run needs a Dask array fed")
    items = list(batch.items())
    first_tensor, first = items[0]
    rows = first.shape[0]
    arrays = {}
    for tensor, array in items:
        if array.ndim == 0 or array.shape[0] != rows:
            raise ValueError(f"Dask arrays fed in one run must have the same number of rows: "
                             f"'{first_tensor.name}' gets {first.shape}, '{tensor.name}' "
                             f"gets {array.shape}")
        arrays[tensor] = array.rechunk({0: first.chunks[0],
                                        **{i: -1 for i in range(1, array.ndim)}})
    sizes = list(first.chunks[0])
    if any(np.isnan(n) for n in sizes):
        raise ValueError(f"The partition sizes of the Dask array fed to '{first_tensor.name}' "
                         f"are unknown; call compute_chunk_sizes() first")
    if not sum(sizes):
        raise ValueError(f"The Dask array fed to '{first_tensor.name}' has no rows")
    return arrays, [int(n) for n in sizes]


def _lost_partitions(arrays: dict, sizes: list[int]) -> list[str]:
    """The partitions of the batch feeds whose blocks Dask has lost for good (their futures
    are cancelled: scattered data on a worker that died), described for an error."""
    from distributed import futures_of
    lost = []
    for tensor, array in arrays.items():
        gone = {f.key for f in futures_of(array) if f.status in ("cancelled", "lost")}
        if gone:
            starts = np.cumsum([0, *sizes])
            lost.extend(f"partition {i} (rows {starts[i]}:{starts[i + 1]}) of the array fed "
                        f"to '{tensor.name}'"
                        for i, key in enumerate(block_keys(array)) if key in gone)
    return lost


def _combine(kind: Batch, parts: list[np.ndarray], sizes: list[int]) -> np.ndarray:
    """The whole batch's value from the non-empty partitions' values."""
    if kind is Batch.SUM:
        total = parts[0]
        for p in parts[1:]:
            total = total + p
        return total
    counts = [n for n in sizes if n]
    whole = sum(counts)
    total = parts[0] * (counts[0] / whole)
    for p, n in zip(parts[1:], counts[1:]):
        total = total + p * (n / whole)
    return np.asarray(total, dtype=parts[0].dtype)

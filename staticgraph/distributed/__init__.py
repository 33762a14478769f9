"""``staticgraph.distributed``: sessions on a Dask cluster (``tf.Session(target=client)``).

Runs whose feeds are Dask arrays split along axis 0 run one task per partition on the
workers: a training step combines the partitions' gradients exactly (see
``docs/distributed.md``); a row-wise fetch gives a Dask array. Dask is optional
(``pip install -e ".[distributed]"``); it is imported only when a cluster is used.
"""
from __future__ import annotations

from ..runtime.targets import register_connector
from .cluster import DaskTarget, connect

register_connector(connect)

__all__ = ["DaskTarget"]

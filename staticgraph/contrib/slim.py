"""``tf.contrib.slim`` (``slim = tf.contrib.slim``): in TF1 a façade over
``tf.contrib.layers`` and ``tf.contrib.framework``; here the same objects as those two
modules have (layers, regularizers, initializers, ``arg_scope``, the variable look-ups,
``assign_from_checkpoint_fn``). slim's ``losses``, ``learning``, ``metrics`` and ``nets``
are not included; other names raise an AttributeError listing these."""
from typing import NoReturn as _NoReturn

from . import framework as _framework
from . import layers as _layers

__all__ = sorted(set(_layers.__all__) | set(_framework.__all__))
globals().update({name: getattr(_layers, name) for name in _layers.__all__})
globals().update({name: getattr(_framework, name) for name in _framework.__all__})


def __getattr__(name: str) -> _NoReturn:
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"tf.contrib.slim.{name} is not supported by staticgraph. "
                         f"tf.contrib.slim has: {', '.join(__all__)}.")

"""``tf.config``: the devices staticgraph runs on (one CPU) and run-time settings.

There is one physical device, ``/physical_device:CPU:0``, and one logical device,
``/device:CPU:0``. Setting the visible devices accepts lists of these devices (the CPU
cannot be hidden: nothing could run). The soft-placement and threading settings are
recorded and read back, and have no effect: every op runs on the CPU anyway (soft
placement is always in force), and a Session runs ops in one Python thread with NumPy's
own BLAS threads (set by ``OMP_NUM_THREADS`` and the like before NumPy is imported).
"""
from __future__ import annotations

from typing import Any, NamedTuple, Sequence

from . import threading

__all__ = ["LogicalDevice", "PhysicalDevice", "get_soft_device_placement",
           "get_visible_devices", "list_logical_devices", "list_physical_devices",
           "set_soft_device_placement", "set_visible_devices", "threading"]


class PhysicalDevice(NamedTuple):
    """A device of the machine: its ``name`` and ``device_type``."""
    name: str
    device_type: str


class LogicalDevice(NamedTuple):
    """A device ops are placed on: its ``name`` and ``device_type``."""
    name: str
    device_type: str


_CPU = PhysicalDevice("/physical_device:CPU:0", "CPU")
_LOGICAL_CPU = LogicalDevice("/device:CPU:0", "CPU")
_settings: dict[str, Any] = {"soft_device_placement": True}


def _of_type(devices: Sequence[Any], device_type: str | None) -> list:
    return [d for d in devices if device_type is None or d.device_type == device_type]


def list_physical_devices(device_type: str | None = None) -> list[PhysicalDevice]:
    """The machine's devices of ``device_type`` ("CPU", "GPU"...; all when None): the CPU."""
    return _of_type([_CPU], device_type)


def list_logical_devices(device_type: str | None = None) -> list[LogicalDevice]:
    """The devices ops are placed on, of ``device_type`` (all when None): the CPU."""
    return _of_type([_LOGICAL_CPU], device_type)


def get_visible_devices(device_type: str | None = None) -> list[PhysicalDevice]:
    """The visible physical devices of ``device_type``: the CPU."""
    return list_physical_devices(device_type)


def set_visible_devices(devices: Any, device_type: str | None = None) -> None:
    """Accepts a device or list of devices from :func:`list_physical_devices`.

    Raises:
      ValueError: a device is not one of this machine's, or the CPU would be hidden.
    """
    devices = [devices] if isinstance(devices, PhysicalDevice) else list(devices)
    for device in devices:
        if device not in (_CPU,):
            raise ValueError(f"Unrecognized device: {device!r}; staticgraph's devices are "
                             f"{list_physical_devices()}")
    if (device_type in (None, "CPU")) and _CPU not in devices:
        raise ValueError("staticgraph runs every op on the CPU: the CPU cannot be hidden")


def get_soft_device_placement() -> bool:
    """The recorded soft-placement setting (True unless set otherwise)."""
    return _settings["soft_device_placement"]


def set_soft_device_placement(enabled: bool) -> None:
    """Records the soft-placement setting (without effect: every op is on the CPU)."""
    _settings["soft_device_placement"] = bool(enabled)

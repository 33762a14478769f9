"""``tf.DeviceSpec``: a device name's parts (job, replica, task, device type and index),
parsed from and written as TF's device strings (``/job:worker/task:1/device:CPU:0``).

This is TF1's mutable spec: ``parse_from_string`` and ``merge_from`` change it in place.
staticgraph runs every op on the CPU; the spec is for code that builds or inspects
device strings.
"""
from __future__ import annotations

from typing import Any

__all__ = ["DeviceSpec"]

_FIELDS = ("job", "replica", "task", "device_type", "device_index")


class DeviceSpec:
    """The parts of a device name; each may be None (unspecified)."""

    def __init__(self, job: str | None = None, replica: int | None = None,
                 task: int | None = None, device_type: str | None = None,
                 device_index: int | None = None) -> None:
        self.job = job
        self.replica = None if replica is None else int(replica)
        self.task = None if task is None else int(task)
        self.device_type = device_type
        self.device_index = None if device_index is None else int(device_index)

    def _parts(self) -> tuple:
        return tuple(getattr(self, field) for field in _FIELDS)

    def parse_from_string(self, spec: str) -> "DeviceSpec":
        """Sets the parts ``spec`` names (``/job:w/replica:0/task:1/device:GPU:2``, also
        the short ``/cpu:0``); returns self.

        Raises:
          ValueError: an unknown part, or two device types.
        """
        seen_type = False
        for part in (p for p in (spec or "").split("/") if p):
            fields = part.split(":")
            key = fields[0].lower()
            if len(fields) == 2 and key in ("job", "replica", "task"):
                setattr(self, key, fields[1] if key == "job" else int(fields[1]))
                continue
            if len(fields) == 2 and key in ("cpu", "gpu", "tpu"):
                device_type, index = fields[0].upper(), fields[1]
            elif len(fields) == 3 and key == "device":
                device_type, index = fields[1], fields[2]
            elif len(fields) == 2 and key == "device":
                device_type, index = fields[1], "*"
            else:
                raise ValueError(f"Unknown attribute '{fields[0]}' is encountered while "
                                 f"parsing the device spec: '{spec}'.")
            if seen_type:
                raise ValueError(f"Multiple device types are not allowed while parsing the "
                                 f"device spec: {spec}.")
            seen_type = True
            self.device_type = device_type
            self.device_index = None if index == "*" else int(index)
        return self

    @classmethod
    def from_string(cls, spec: str) -> "DeviceSpec":
        """A new spec parsed from ``spec``."""
        return cls().parse_from_string(spec)

    def to_string(self) -> str:
        """The device string: the set parts in order, ``*`` for an unset device index."""
        text = ""
        if self.job is not None:
            text += f"/job:{self.job}"
        if self.replica is not None:
            text += f"/replica:{self.replica}"
        if self.task is not None:
            text += f"/task:{self.task}"
        if self.device_type is not None:
            index = "*" if self.device_index is None else self.device_index
            text += f"/device:{self.device_type}:{index}"
        return text

    def merge_from(self, dev: "DeviceSpec") -> None:
        """Sets every part that ``dev`` sets (``dev`` wins), in place."""
        for field in _FIELDS:
            value = getattr(dev, field)
            if value is not None:
                setattr(self, field, value)

    def make_merged_spec(self, dev: "DeviceSpec") -> "DeviceSpec":
        """A new spec: this one merged with ``dev``."""
        merged = DeviceSpec(*self._parts())
        merged.merge_from(dev)
        return merged

    def replace(self, **kwargs: Any) -> "DeviceSpec":
        """A new spec with the given parts replaced."""
        unknown = set(kwargs) - set(_FIELDS)
        if unknown:
            raise TypeError(f"DeviceSpec.replace: unknown parts {sorted(unknown)}")
        return DeviceSpec(**{**dict(zip(_FIELDS, self._parts())), **kwargs})

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, DeviceSpec) and self.to_string() == other.to_string()

    def __hash__(self) -> int:
        return hash(self.to_string())

    def __repr__(self) -> str:
        return f"<DeviceSpec {self.to_string()!r}>"

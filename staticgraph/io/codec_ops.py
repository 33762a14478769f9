"""``tf.io.encode_base64`` / ``decode_base64`` (web-safe base64, TF's alphabet with
``-`` and ``_``) and ``tf.decode_json_example`` (JSON ``Example`` protos to binary)."""
from __future__ import annotations

import base64
import binascii
from typing import Any

import numpy as np
from google.protobuf import json_format

from ..core import dtypes
from ..core.errors import InvalidArgumentError
from ..core.registry import define_op
from ..ops.framework import apply_op, convert_to_tensor
from .example_protos import Example
from .io_ops import as_bytes, string_array

__all__ = ["encode_base64", "decode_base64", "decode_json_example"]


def _encode(item: bytes, pad: bool) -> bytes:
    out = base64.urlsafe_b64encode(item)
    return out if pad else out.rstrip(b"=")


def _decode(item: bytes) -> bytes:
    if b"+" in item or b"/" in item:
        raise binascii.Error("'+' and '/' are not web-safe base64")
    return base64.urlsafe_b64decode(item + b"=" * (-len(item) % 4))


def _from_json(item: bytes) -> bytes:
    return json_format.Parse(item.decode("utf-8"), Example()).SerializeToString()


_CODECS = {"encode_base64": _encode, "decode_base64": _decode,
           "decode_json_example": _from_json}


def _codec_kernel(data: Any, *, codec: str, **options: Any) -> np.ndarray:
    items = np.asarray(data, dtype=object)
    out = []
    for index, item in enumerate(items.ravel()):
        try:
            out.append(_CODECS[codec](as_bytes(item), **options))
        except (binascii.Error, ValueError, json_format.ParseError) as err:
            raise InvalidArgumentError(None, None, f"{codec}: element {index} is not "
                                       f"valid input: {err}") from None
    return string_array(out, items.shape)


def _codec_shape(inputs: list, attrs: dict) -> list:
    (t,) = inputs
    if t.dtype != dtypes.string:
        raise TypeError(f"{attrs['codec']}: input must be string, got {t.name} of "
                        f"{t.dtype.name}")
    return [(t.shape, dtypes.string)]


define_op("StringCodec", kernel=_codec_kernel, shape_fn=_codec_shape, view_of={},
          doc="Re-encodes each string: base64 (web-safe) or JSON Example to binary.")


def _apply(codec: str, data: Any, name: str | None, **options: Any) -> Any:
    return apply_op("StringCodec", [convert_to_tensor(data, dtype=dtypes.string)],
                    dict(options, codec=codec), name=name or codec).outputs[0]


def encode_base64(input: Any, pad: bool = False, name: str | None = None) -> Any:
    """``tf.io.encode_base64``: each string in web-safe base64 (``-`` and ``_``),
    ``=`` padding only when ``pad``."""
    return _apply("encode_base64", input, name, pad=bool(pad))


def decode_base64(input: Any, name: str | None = None) -> Any:
    """``tf.io.decode_base64``: each web-safe base64 string decoded (padding optional)."""
    return _apply("decode_base64", input, name)


def decode_json_example(json_examples: Any, name: str | None = None) -> Any:
    """``tf.decode_json_example``: each ``Example`` in protobuf's JSON mapping, as the
    binary serialized ``Example`` that ``parse_example`` reads."""
    return _apply("decode_json_example", json_examples, name)

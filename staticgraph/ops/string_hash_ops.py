"""Hashing strings into buckets, bit-exact with TensorFlow:

- ``tf.string_to_hash_bucket_fast`` / ``tf.strings.to_hash_bucket_fast``: FarmHash's
  ``Fingerprint64`` (the ``farmhashna`` 64-bit hash) modulo the bucket count;
- ``tf.string_to_hash_bucket`` / ``tf.strings.to_hash_bucket``: TF's legacy ``Hash64``
  (a MurmurHash2-64 variant with seed 0xDECAFCAFFE) modulo the bucket count;
- ``tf.string_to_hash_bucket_strong`` / ``tf.strings.to_hash_bucket_strong``: SipHash-2-4
  keyed by two 64-bit integers, modulo the bucket count;
- ``tf.fingerprint``: the little-endian bytes of ``Fingerprint64`` of each row.

Written from the published algorithms; checked against TF's values in
tests/ops/test_string_hash_ops.py.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..core import dtypes
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .framework import apply_op, convert_to_tensor
from .string_text_ops import check_string_input, map_strings, as_string_tensor

__all__ = ["fingerprint64", "legacy_hash64", "siphash24", "string_to_hash_bucket_fast",
           "string_to_hash_bucket", "string_to_hash_bucket_strong", "fingerprint"]

_M64 = (1 << 64) - 1
_K0, _K1, _K2 = 0xC3A5C85C97CB3127, 0xB492B66FBE98F273, 0x9AE16A3B2F90404F


def _fetch64(s: bytes, i: int) -> int:
    return int.from_bytes(s[i:i + 8], "little")


def _fetch32(s: bytes, i: int) -> int:
    return int.from_bytes(s[i:i + 4], "little")


def _rotr(v: int, shift: int) -> int:
    return ((v >> shift) | (v << (64 - shift))) & _M64


def _shift_mix(v: int) -> int:
    return v ^ (v >> 47)


def _hash_len16(u: int, v: int, mul: int) -> int:
    a = ((u ^ v) * mul) & _M64
    a ^= a >> 47
    b = ((v ^ a) * mul) & _M64
    b ^= b >> 47
    return (b * mul) & _M64


def _hash_0_to_16(s: bytes) -> int:
    n = len(s)
    if n >= 8:
        mul = _K2 + n * 2
        a = (_fetch64(s, 0) + _K2) & _M64
        b = _fetch64(s, n - 8)
        c = (_rotr(b, 37) * mul + a) & _M64
        d = ((_rotr(a, 25) + b) * mul) & _M64
        return _hash_len16(c, d, mul)
    if n >= 4:
        mul = _K2 + n * 2
        return _hash_len16((n + (_fetch32(s, 0) << 3)) & _M64, _fetch32(s, n - 4), mul)
    if n > 0:
        y = s[0] + (s[n >> 1] << 8)
        z = n + (s[n - 1] << 2)
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & _M64) * _K2) & _M64
    return _K2


def _mix_ends(s: bytes, mul: int, first: int) -> tuple[int, int, int]:
    """The mixing of the first 16 and last 16 bytes shared by the 17-64 byte cases."""
    n = len(s)
    a = (_fetch64(s, 0) * first) & _M64
    b = _fetch64(s, 8)
    c = (_fetch64(s, n - 8) * mul) & _M64
    d = (_fetch64(s, n - 16) * _K2) & _M64
    return (a, (_rotr((a + b) & _M64, 43) + _rotr(c, 30) + d) & _M64,
            (a + _rotr((b + _K2) & _M64, 18) + c) & _M64)


def _hash_17_to_32(s: bytes) -> int:
    mul = _K2 + len(s) * 2
    _, u, v = _mix_ends(s, mul, _K1)
    return _hash_len16(u, v, mul)


def _hash_33_to_64(s: bytes) -> int:
    n = len(s)
    mul = _K2 + n * 2
    a, y, v = _mix_ends(s, mul, _K2)
    z = _hash_len16(y, v, mul)
    e = (_fetch64(s, 16) * mul) & _M64
    f = _fetch64(s, 24)
    g = ((y + _fetch64(s, n - 32)) * mul) & _M64
    h = ((z + _fetch64(s, n - 24)) * mul) & _M64
    return _hash_len16((_rotr((e + f) & _M64, 43) + _rotr(g, 30) + h) & _M64,
                       (e + _rotr((f + a) & _M64, 18) + g) & _M64, mul)


def _weak_hash_32(s: bytes, i: int, a: int, b: int) -> tuple[int, int]:
    w, x, y, z = (_fetch64(s, i + k) for k in (0, 8, 16, 24))
    a = (a + w) & _M64
    b = _rotr((b + a + z) & _M64, 21)
    c = a
    a = (a + x + y) & _M64
    b = (b + _rotr(a, 44)) & _M64
    return (a + z) & _M64, (b + c) & _M64


def fingerprint64(s: bytes) -> int:
    """FarmHash ``Fingerprint64`` of ``s`` (an unsigned 64-bit integer), as TF's
    ``tf.fingerprint`` and ``StringToHashBucketFast`` compute it."""
    n = len(s)
    if n <= 16:
        return _hash_0_to_16(s)
    if n <= 32:
        return _hash_17_to_32(s)
    if n <= 64:
        return _hash_33_to_64(s)
    seed = 81
    x, y = seed, (seed * _K1 + 113) & _M64
    z = (_shift_mix((y * _K2 + 113) & _M64) * _K2) & _M64
    v, w = (0, 0), (0, 0)
    x = (x * _K2 + _fetch64(s, 0)) & _M64
    end = ((n - 1) // 64) * 64
    last64 = end + ((n - 1) & 63) - 63
    i = 0
    while True:
        x = (_rotr((x + y + v[0] + _fetch64(s, i + 8)) & _M64, 37) * _K1) & _M64
        y = (_rotr((y + v[1] + _fetch64(s, i + 48)) & _M64, 42) * _K1) & _M64
        x ^= w[1]
        y = (y + v[0] + _fetch64(s, i + 40)) & _M64
        z = (_rotr((z + w[0]) & _M64, 33) * _K1) & _M64
        v = _weak_hash_32(s, i, (v[1] * _K1) & _M64, (x + w[0]) & _M64)
        w = _weak_hash_32(s, i + 32, (z + w[1]) & _M64, (y + _fetch64(s, i + 16)) & _M64)
        z, x = x, z
        i += 64
        if i == end:
            break
    mul = _K1 + ((z & 0xFF) << 1)
    i = last64
    w0 = (w[0] + ((n - 1) & 63)) & _M64
    v0 = (v[0] + w0) & _M64
    w0 = (w0 + v0) & _M64
    v, w = (v0, v[1]), (w0, w[1])
    x = (_rotr((x + y + v[0] + _fetch64(s, i + 8)) & _M64, 37) * mul) & _M64
    y = (_rotr((y + v[1] + _fetch64(s, i + 48)) & _M64, 42) * mul) & _M64
    x ^= (w[1] * 9) & _M64
    y = (y + v[0] * 9 + _fetch64(s, i + 40)) & _M64
    z = (_rotr((z + w[0]) & _M64, 33) * mul) & _M64
    v = _weak_hash_32(s, i, (v[1] * mul) & _M64, (x + w[0]) & _M64)
    w = _weak_hash_32(s, i + 32, (z + w[1]) & _M64, (y + _fetch64(s, i + 16)) & _M64)
    z, x = x, z
    return _hash_len16((_hash_len16(v[0], w[0], mul) + _shift_mix(y) * _K0 + z) & _M64,
                       (_hash_len16(v[1], w[1], mul) + x) & _M64, mul)


def legacy_hash64(s: bytes, seed: int = 0xDECAFCAFFE) -> int:
    """TF's ``Hash64`` (``tensorflow/core/lib/hash``): MurmurHash2-64 with TF's seed."""
    m, r = 0xC6A4A7935BD1E995, 47
    n = len(s)
    h = (seed ^ (n * m)) & _M64
    full = n - n % 8
    for i in range(0, full, 8):
        k = (_fetch64(s, i) * m) & _M64
        k ^= k >> r
        k = (k * m) & _M64
        h = ((h ^ k) * m) & _M64
    if n % 8:
        h = ((h ^ int.from_bytes(s[full:], "little")) * m) & _M64
    h ^= h >> r
    h = (h * m) & _M64
    return h ^ (h >> r)


def siphash24(key: Sequence[int], s: bytes) -> int:
    """SipHash-2-4 of ``s`` keyed by two unsigned 64-bit integers (TF's StrongKeyedHash)."""
    k0, k1 = (int(k) & _M64 for k in key)
    v = [k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D, k0 ^ 0x6C7967656E657261,
         k1 ^ 0x7465646279746573]

    def rounds(count: int) -> None:
        for _ in range(count):
            v[0] = (v[0] + v[1]) & _M64
            v[1] = _rotr(v[1], 51) ^ v[0]
            v[0] = _rotr(v[0], 32)
            v[2] = (v[2] + v[3]) & _M64
            v[3] = _rotr(v[3], 48) ^ v[2]
            v[0] = (v[0] + v[3]) & _M64
            v[3] = _rotr(v[3], 43) ^ v[0]
            v[2] = (v[2] + v[1]) & _M64
            v[1] = _rotr(v[1], 47) ^ v[2]
            v[2] = _rotr(v[2], 32)

    n = len(s)
    tail = s[n - n % 8:] + bytes(7 - n % 8) + bytes([n & 0xFF])
    for i in range(0, n - n % 8, 8):
        m = _fetch64(s, i)
        v[3] ^= m
        rounds(2)
        v[0] ^= m
    m = int.from_bytes(tail, "little")
    v[3] ^= m
    rounds(2)
    v[0] ^= m
    v[2] ^= 0xFF
    rounds(4)
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def _define_bucket_op(op: str, hash_fn: Callable[..., int], doc: str) -> None:
    def kernel(x: np.ndarray, *, num_buckets: int, key: tuple = ()) -> np.ndarray:
        args = (key,) if key else ()
        return map_strings(lambda item: hash_fn(*args, item) % num_buckets, x,
                           dtype=np.int64)

    def shape_fn(inputs: list, attrs: dict) -> list:
        check_string_input(op, inputs[0])
        return [(inputs[0].shape, dtypes.int64)]

    define_op(op, kernel=kernel, shape_fn=shape_fn, view_of={}, non_differentiable=(0,),
              doc=doc)


_define_bucket_op("StringToHashBucketFast", fingerprint64,
                  "Fingerprint64 of each string modulo num_buckets.")
_define_bucket_op("StringToHashBucket", legacy_hash64,
                  "TF's legacy Hash64 of each string modulo num_buckets.")
_define_bucket_op("StringToHashBucketStrong", siphash24,
                  "Keyed SipHash-2-4 of each string modulo num_buckets.")


def _bucket(op: str, input: Any, num_buckets: Any, name: str | None, **attrs: Any) -> Any:
    if num_buckets is None or int(num_buckets) < 1:
        raise ValueError(f"{op}: num_buckets must be at least 1, got {num_buckets!r}")
    return apply_op(op, [as_string_tensor(input)], {"num_buckets": int(num_buckets), **attrs},
                    name=name).outputs[0]


def string_to_hash_bucket_fast(input: Any, num_buckets: int, name: str | None = None) -> Any:
    """``tf.string_to_hash_bucket_fast`` / ``tf.strings.to_hash_bucket_fast``: int64
    bucket ``Fingerprint64(s) % num_buckets`` of each string (TF's values, bit for bit)."""
    return _bucket("StringToHashBucketFast", input, num_buckets, name)


def string_to_hash_bucket(string_tensor: Any = None, num_buckets: int | None = None,
                          name: str | None = None, input: Any = None) -> Any:
    """``tf.string_to_hash_bucket`` / ``tf.strings.to_hash_bucket``: int64 bucket of each
    string by TF's legacy ``Hash64`` (prefer ``to_hash_bucket_fast``, as TF says)."""
    value = input if string_tensor is None else string_tensor
    return _bucket("StringToHashBucket", value, num_buckets, name)


def string_to_hash_bucket_strong(input: Any, num_buckets: int, key: Sequence[int],
                                 name: str | None = None) -> Any:
    """``tf.string_to_hash_bucket_strong`` / ``tf.strings.to_hash_bucket_strong``: int64
    bucket of each string by SipHash-2-4 keyed with ``key`` (two int64 values)."""
    key = tuple(int(k) for k in key)
    if len(key) != 2 or any(not -2 ** 63 <= k < 2 ** 63 for k in key):
        raise ValueError(f"string_to_hash_bucket_strong: key must be two int64 values, "
                         f"got {key}")
    return _bucket("StringToHashBucketStrong", input, num_buckets, name, key=key)


def _fingerprint_bytes(data: bytes) -> list[int]:
    return list(fingerprint64(data).to_bytes(8, "little"))


def _fingerprint_kernel(x: np.ndarray, *, method: str) -> np.ndarray:
    x = np.asarray(x)
    rows = x.reshape(x.shape[0], -1)
    out = np.empty((x.shape[0], 8), dtype=np.uint8)
    for i, row in enumerate(rows):
        if x.dtype != object:  # the row's bytes in memory order
            out[i] = _fingerprint_bytes(np.ascontiguousarray(row).tobytes())
        elif row.size == 1:
            out[i] = _fingerprint_bytes(row[0])
        else:  # several strings: the fingerprint of their fingerprints
            out[i] = _fingerprint_bytes(b"".join(bytes(_fingerprint_bytes(s)) for s in row))
    return out


def _fingerprint_shape(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    if x.shape.ndims == 0:
        raise ValueError(f"Fingerprint: the data must have at least one axis, got the "
                         f"scalar {x.name}")
    rows = None if x.shape.ndims is None else x.shape.as_list()[0]
    return [(TensorShape([rows, 8]), dtypes.uint8)]


define_op("Fingerprint", kernel=_fingerprint_kernel, shape_fn=_fingerprint_shape,
          view_of={}, non_differentiable=(0,),
          doc="The 8-byte Fingerprint64 of each row (axis 0) of the data.")


def fingerprint(data: Any, method: str = "farmhash64", name: str | None = None) -> Any:
    """``tf.fingerprint``: uint8 tensor ``[rows, 8]``, the little-endian bytes of FarmHash
    ``Fingerprint64`` of each row (axis 0) of ``data``: of its bytes in memory order for
    numbers, of its string for one string per row, of the strings' fingerprints for
    several. The value is stable across runs and machines, as TF's."""
    if method != "farmhash64":
        raise ValueError(f"fingerprint: method must be 'farmhash64', got {method!r}")
    return apply_op("Fingerprint", [convert_to_tensor(data)], {"method": method},
                    name=name).outputs[0]

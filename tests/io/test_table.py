"""The sorted-table format of checkpoint indexes: round trips, layout, every corruption."""
import struct

import pytest

import staticgraph as tf
from staticgraph.io.crc import decode_varint, encode_varint, mask, masked_crc32c
from staticgraph.io.table import FOOTER_SIZE, MAGIC, build_table, read_table


def test_masked_crc_matches_known_values():
    # CRC32C check value of "123456789" (RFC 3720) and TensorFlow's masking of it
    from staticgraph.io.crc import crc32c
    assert crc32c(b"123456789") == 0xE3069283
    crc = 0xE3069283
    assert mask(crc) == ((((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF)
    assert masked_crc32c(b"123456789") == mask(crc)


@pytest.mark.parametrize("value", [0, 1, 127, 128, 300, 2**32, 2**63 - 1])
def test_varints_round_trip(value):
    data = encode_varint(value)
    assert decode_varint(data, 0, len(data)) == (value, len(data))
    with pytest.raises(ValueError):
        decode_varint(data[:-1], 0, len(data) - 1)


def test_many_entries_span_several_blocks_and_read_back():
    entries = [(b"layer%04d/kernel" % i, bytes([i % 251]) * (i % 37)) for i in range(3000)]
    data = build_table(entries)
    assert len(data) > 3 * 4096  # several data blocks, so the index has several entries
    assert read_table(data, "t.index") == entries
    assert struct.unpack("<Q", data[-8:])[0] == MAGIC


def test_small_table_layout():
    data = build_table([(b"", b"h"), (b"ab", b"1"), (b"ac", b"2")])
    # entries: shared/unshared/value lengths then bytes; "ac" shares one byte with "ab"
    assert data.startswith(b"\x00\x00\x01h" + b"\x00\x02\x01ab1" + b"\x01\x01\x01c2")
    assert read_table(data, "t") == [(b"", b"h"), (b"ab", b"1"), (b"ac", b"2")]


def test_keys_must_increase():
    with pytest.raises(ValueError, match="increasing"):
        build_table([(b"b", b""), (b"a", b"")])


def test_every_flipped_byte_is_detected_or_harmless():
    entries = [(b"", b"header"), (b"w", b"\x01\x02\x03"), (b"x", b"abc")]
    data = build_table(entries)
    handles_end = len(data) - FOOTER_SIZE
    padding = range(handles_end + 4, len(data) - 8)  # the two short handles take 4 bytes
    for pos in range(len(data)):
        bad = bytearray(data)
        bad[pos] ^= 0x10
        if pos in padding:  # zero padding of the footer is not read, as in TensorFlow
            assert read_table(bytes(bad), "t.index") == entries
            continue
        with pytest.raises(tf.errors.DataLossError, match="t.index"):
            read_table(bytes(bad), "t.index")


@pytest.mark.parametrize("start,stop", [(0, 0), (0, 1), (0, 20), (0, 47), (0, -1), (0, -9),
                                        (5, None), (60, None)])
def test_truncated_tables_are_data_loss(start, stop):
    data = build_table([(b"", b"h"), (b"v", b"x" * 50)])
    with pytest.raises(tf.errors.DataLossError, match="m.index"):
        read_table(data[start:stop], "m.index")

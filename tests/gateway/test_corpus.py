"""The fuzz corpus (tests/gateway/corpus/, written by ``python -m tests.gateway.make_corpus``) replayed
through the HJ 212 codec, the frame reader and the gateway's handling of one packet: only the codec's
own error, work in proportion to the input, and whatever the gateway makes of a packet fits the store.

"No hang" is held without a clock: every input is small (at most 12,000 bytes), and the Python lines
the codec runs on one are counted and bounded by a multiple of its length, so an input that sent a
loop round without end, or round once per byte per byte, fails on the count."""

import sys
from pathlib import Path

import pytest

from gongjian.gateway.server import Gateway
from gongjian.gateway.store import Device, PacketStore, misfit
from gongjian.standards import hj212
from gongjian.standards.hj212 import (
    FrameReader,
    Packet,
    PacketError,
    crc16,
    data_reply,
    parse,
    parse_cp,
)

CORPUS = sorted((Path(__file__).resolve().parent / "corpus").glob("*.bin"))
KILLERS = {"flag-4301-digits", "pnum-4301-digits", "pno-4301-digits", "pno-beyond-int4", "qn-21-characters",
           "st-5-characters", "cn-5-digits", "qn-nul", "reply-over-9999-bytes", "crc-with-a-sign"}
MN, PW = "010000A8900016F000169DC0", "123456"
#: Python lines the codec may run per input byte, plus a constant: the replay costs up to about 67 a
#: byte, most of it feeding the frame reader one byte at a time; work growing with the square of the
#: input (10,000 bytes: 10**8 lines) could not pass.
LINES_PER_BYTE, LINES_FIXED = 100, 3_000


def _counting_lines(function, *args):
    """``function(*args)`` and the number of lines of :mod:`gongjian.standards.hj212` it ran."""
    count = 0
    codec = hj212.__file__

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame, event, arg):
        return local if frame.f_code.co_filename == codec else None

    crc16(b"warm")  # the CRC's tables are built once per process: not this input's work
    previous = sys.gettrace()
    sys.settrace(calls)
    try:
        result = function(*args)
    finally:
        sys.settrace(previous)
    return result, count


def _codec(data: bytes) -> list:
    """Everything the gateway and the ingester ask of the codec for ``data``: each outcome is a value
    or a PacketError, never another exception (which propagates and fails the test)."""
    outcomes = []
    for modbus in (False, True):
        try:
            packet = parse(data, accept_modbus_crc=modbus)
        except PacketError as exc:
            outcomes.append(exc)
            continue
        assert isinstance(packet, Packet)
        for step, argument in ((parse_cp, packet.cp), (data_reply, packet), (hj212.frame, packet.segment())):
            try:
                outcomes.append(step(argument))
            except PacketError as exc:
                outcomes.append(exc)
    for chunk in (len(data) or 1, 1000, 7, 1):
        reader = FrameReader()
        for start in range(0, len(data), chunk):
            for item in reader.feed(data[start:start + chunk]):
                assert isinstance(item, (bytes, PacketError))
                outcomes.append(item)
            assert len(reader.buffer) <= reader.max_frame + chunk
    return outcomes


def test_the_corpus_is_there_with_the_known_killers():
    names = {path.stem for path in CORPUS}
    assert 200 <= len(CORPUS) <= 400
    assert {f"killer-{name}" for name in KILLERS} <= names
    assert all(path.stat().st_size <= 12_000 for path in CORPUS)


@pytest.mark.parametrize("path", CORPUS, ids=[path.stem for path in CORPUS])
def test_the_codec_raises_only_its_own_error_with_work_bounded_by_the_input(path):
    data = path.read_bytes()
    _outcomes, lines = _counting_lines(_codec, data)
    assert lines <= LINES_PER_BYTE * len(data) + LINES_FIXED, f"{lines} lines for {len(data)} bytes"


def test_the_known_killers_are_refused_by_the_codec_or_the_store_limits():
    gateway = Gateway(store=PacketStore())
    gateway.devices = {MN: Device(1, MN, PW)}
    reasons = {}
    for name in KILLERS:
        raw = (Path(__file__).resolve().parent / "corpus" / f"killer-{name}.bin").read_bytes()
        row, reply, stored = gateway.prepare(raw, "127.0.0.1:5000", 0.0)
        assert (stored, reply, row[3]) == (False, None, "rejected"), name
        reasons[name] = row[4]
    gateway.store.executor.shutdown()
    assert "Flag of 4301 digits" in reasons["flag-4301-digits"]
    assert "PNUM of 4301 digits" in reasons["pnum-4301-digits"]
    assert "PNO of 4301 digits" in reasons["pno-4301-digits"]
    assert "PNUM of 10 digits" in reasons["pno-beyond-int4"]
    assert reasons["qn-21-characters"] == "QN of 21 characters; the store holds 20"
    assert reasons["reply-over-9999-bytes"] == "QN of 9900 characters; the store holds 20"
    assert "is not 4 hex digits" in reasons["crc-with-a-sign"]


def test_every_corpus_frame_the_gateway_handles_becomes_a_row_that_fits_the_store():
    """Through :meth:`Gateway.prepare`, with the corpus's device registered so that authenticated
    packets go all the way: it never raises, never fails on a packet (no "the gateway failed on
    it"), and every row, stored or rejected, fits the store; a reply is a well-formed 9014."""
    gateway = Gateway(store=PacketStore())
    gateway.devices = {MN: Device(1, MN, PW), "88888880000001": Device(2, "88888880000001", PW)}
    statuses = set()
    for path in CORPUS:
        for item in FrameReader(gateway.max_frame).feed(path.read_bytes()):
            if isinstance(item, PacketError):
                continue
            row, reply, stored = gateway.prepare(item, "127.0.0.1:5000", 0.0)
            assert misfit(row) is None, (path.name, row)
            assert not row[4].startswith("the gateway failed"), (path.name, row[4])
            statuses.add(row[3])
            if reply is not None:
                assert stored and parse(reply).cn == "9014"
    gateway.store.executor.shutdown()
    assert statuses == {"stored", "rejected"}

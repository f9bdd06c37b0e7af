"""HJ 212 packets: the reference examples with their CRCs, round trips, tolerated and refused
deviations, the frame reader on split, joined and hostile streams, and fuzzing."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjian.standards.hj212 import (
    FrameReader,
    Packet,
    PacketError,
    _crc16_by_table,
    build,
    crc16,
    data_reply,
    frame,
    parse,
    parse_cp,
)

# shared/standards/hj212.md §3.1: the standard's Appendix A example and three constructed packets
EXAMPLES = {
    "1C80": b"##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
            b"CP=&&RtdInterval=30&&1C80\r\n",
    "ACC1": b"##0278QN=20240115100000123;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;"
            b"CP=&&DataTime=20240115100000;a34004-Rtd=46,a34004-Flag=N;a34002-Rtd=78,a34002-Flag=N;"
            b"a21026-Rtd=9,a21026-Flag=N;a21004-Rtd=41,a21004-Flag=N;a21005-Rtd=0.8,a21005-Flag=N;"
            b"a05024-Rtd=62,a05024-Flag=N&&ACC1\r\n",
    "F281": b"##0450QN=20240115100005001;ST=31;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
            b"CP=&&DataTime=20240115090000;a21026-Avg=18.5,a21026-Min=15.2,a21026-Max=22.1,a21026-Cou=1.332,"
            b"a21026-Flag=N;a21002-Avg=35.0,a21002-Min=30.1,a21002-Max=41.7,a21002-Cou=2.520,a21002-Flag=N;"
            b"a34013-Avg=3.2,a34013-Min=2.8,a34013-Max=3.9,a34013-Cou=0.230,a34013-Flag=N;a19001-Avg=8.5,"
            b"a19001-Flag=N;a01012-Avg=52.3,a01012-Flag=N;a00000-Avg=20.0,a00000-Cou=72000,a00000-Flag=N&&F281\r\n",
    "E101": b"##0094QN=20160801085857223;ST=91;CN=9011;PW=100000;MN=010000A8900016F000169DC0;Flag=4;"
            b"CP=&&QnRtn=1&&E101\r\n",
}


@pytest.mark.parametrize("crc", list(EXAMPLES))
def test_reference_examples_parse_with_their_crc(crc):
    raw = EXAMPLES[crc]
    packet = parse(raw)
    assert packet.warnings == () and packet.raw == raw
    assert f"{crc16(packet.segment().encode()):04X}" == crc
    assert frame(packet.segment()) == raw  # and they are built back byte for byte
    assert packet.edition == "2017" and packet.mn == "010000A8900016F000169DC0"


def test_fields_flags_and_cp():
    setting = parse(EXAMPLES["1C80"])
    assert (setting.st, setting.cn, setting.pw, setting.flag, setting.needs_reply, setting.split) == (
        "32", "1062", "100000", 5, True, False)
    assert parse_cp(setting.cp).parameters == {"RtdInterval": "30"}
    hourly = parse_cp(parse(EXAMPLES["F281"]).cp)
    assert hourly.data_time == dt.datetime(2024, 1, 15, 9)
    assert hourly.values["a21026"] == {"Avg": 18.5, "Min": 15.2, "Max": 22.1, "Cou": 1.332, "Flag": "N"}
    assert hourly.values["a00000"]["Cou"] == 72000 and hourly.warnings == []
    assert parse_cp(parse(EXAMPLES["E101"]).cp).parameters == {"QnRtn": "1"}


def test_the_modbus_crc_is_not_hj212s():
    segment = EXAMPLES["1C80"][6:-6]
    modbus = EXAMPLES["1C80"].replace(b"1C80\r\n", b"0759\r\n")
    with pytest.raises(PacketError, match="CRC 0759 does not match"):
        parse(modbus)
    assert "Modbus" in parse(modbus, accept_modbus_crc=True).warnings[0]
    assert crc16(segment) == 0x1C80


def test_recoverable_deviations_are_accepted_with_a_warning():
    raw = EXAMPLES["1C80"]
    cases = {
        raw.replace(b"1C80\r\n", b"1c80\r\n"): "lower-case",
        raw.replace(b"##0101", b"##0099"): "declared length 99",
        raw[:-2] + b"\n": "LF instead of CR LF",
        build("31", "2061", "DataTime=20240115090000;a21026-Avg=1", qn="20240115100005001", pw="123456",
              mn="88888880000001"): "MN of 14 characters",
        build("31", "2061", "a21026-Avg=1", pw="123456", mn="010000A8900016F000169DC0"): "no QN",
    }
    for packet, warning in cases.items():
        assert any(warning in w for w in parse(packet).warnings), (packet, warning)
    old = frame("ST=32;CN=2011;PW=123456;MN=88888880000001;CP=&&DataTime=20050101000000;011-Rtd=1.1&&")
    packet = parse(old)  # HJ/T 212-2005: no QN, no Flag, a 14-character MN
    assert packet.edition == "2005" and packet.warnings == ()
    assert parse(build("31", "2011", "x", flag=9)).edition == "2025"


NON_ASCII = b"ST=32;CN=2011;CP=&&\xe4&&"


@pytest.mark.parametrize(("raw", "reason", "offset"), [
    (b"#0101QN=1;ST=32;CN=1062;CP=&&&&ABCD\r\n", "starts with ##", 0),
    (b"##01x1QN=1;ST=32;CN=1062;CP=&&&&ABCD\r\n", "not 4 digits", 2),
    (EXAMPLES["1C80"].replace(b"RtdInterval=30", b"RtdInterval=31"), "does not match", 107),
    (frame("QN=20160801085857223;ST=32;CN=1062;Flag=4;XX=&&RtdInterval=30&&"), "no CP=&&", 6),
    (frame("ST=32;CN=1062;CP=&&RtdInterval=30"), "not closed", None),
    (frame("ST=32;CN=2011;Flag=6;PNUM=2;PNO=3;CP=&&a&&"), "PNO 3 outside", None),
    (frame("ST=32;Flag=4;CP=&&a&&"), "no CN", 6),
    (frame("ST=32;CN=20x1;CP=&&a&&"), "not a number", None),
    (b"##%04d%s%04X\r\n" % (len(NON_ASCII), NON_ASCII, crc16(NON_ASCII)), "not ASCII", 6 + NON_ASCII.index(b"\xe4")),
])
def test_unreadable_packets_are_refused_with_the_byte(raw, reason, offset):
    with pytest.raises(PacketError, match=reason) as caught:
        parse(raw)
    if offset is not None:
        assert caught.value.offset == offset


codes = st.sampled_from(["a21026", "a21002", "a34013", "a19001", "a00000", "a34004", "w01018"])
values = st.floats(0, 99999, allow_nan=False).map(lambda v: round(v, 3))
cp_groups = st.lists(st.tuples(codes, st.sampled_from(["Rtd", "Avg", "Min", "Max", "Cou"]), values,
                               st.sampled_from("NFMSDCTB")), min_size=1, max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["22", "31", "32", "39", "91"]), st.sampled_from(["2011", "2051", "2061", "2031", "9014"]),
       cp_groups, st.integers(0, 7), st.text("0123456789ABCDEF", min_size=24, max_size=24),
       st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2099, 12, 31)))
def test_round_trip(system, command, groups, flag_low, mn, moment):
    flag = 4 | (flag_low & 1)
    time_text = moment.strftime("%Y%m%d%H%M%S")
    cp = f"DataTime={time_text};" + ";".join(f"{c}-{s}={v},{c}-Flag={f}" for c, s, v, f in groups)
    qn = moment.strftime("%Y%m%d%H%M%S") + "123"
    raw = build(system, command, cp, qn=qn, pw="123456", mn=mn, flag=flag)
    packet = parse(raw)
    assert (packet.st, packet.cn, packet.qn, packet.mn, packet.flag, packet.cp) == (system, command, qn, mn, flag, cp)
    assert packet.warnings == ()
    data = parse_cp(packet.cp)
    assert data.data_time == moment.replace(microsecond=0)
    for code, *_rest in groups:
        assert code in data.values and data.values[code]["Flag"] in "NFMSDCTB"
    last = {}
    for code, suffix, value, _f in groups:
        last[(code, suffix)] = value
    assert all(data.values[c][s] == v for (c, s), v in last.items())


def test_frame_reader_reassembles_split_and_joined_frames():
    stream = b"".join(EXAMPLES.values())
    for cut in range(1, len(stream)):  # every place a TCP read can end
        reader = FrameReader()
        got = reader.feed(stream[:cut]) + reader.feed(stream[cut:])
        assert got == list(EXAMPLES.values())
    reader = FrameReader()
    assert [x for b in stream for x in reader.feed(bytes([b]))] == list(EXAMPLES.values())  # byte by byte


def test_frame_reader_skips_garbage_and_bounds_memory():
    reader = FrameReader(max_frame=1024)
    got = reader.feed(b"\x00\xffGET / HTTP/1.1\r\n" + EXAMPLES["E101"] + b"noise##")
    assert isinstance(got[0], PacketError) and "garbage" in str(got[0]) and got[1] == EXAMPLES["E101"]
    endless = FrameReader(max_frame=1024)  # an endless header, then a 10 MB line, then a good packet
    errors = []
    for _ in range(160):
        errors += endless.feed(b"##9999" + b"A" * 65536)
        assert len(endless.buffer) <= 1024 + 65536 + 6
    assert any("longer than 1024" in str(e) for e in errors)
    assert endless.feed(b"\r\n" + EXAMPLES["1C80"])[-1] == EXAMPLES["1C80"]
    wrong = FrameReader()  # a wrong declared length still ends at CR LF
    assert wrong.feed(EXAMPLES["1C80"].replace(b"##0101", b"##0200") + EXAMPLES["E101"])[1] == EXAMPLES["E101"]


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=600))
def test_fuzz_parse_never_crashes(data):
    for raw in (data, b"##" + data, b"##0101" + data + b"\r\n"):
        try:
            result = parse(raw)
        except PacketError:
            continue
        assert isinstance(result, Packet)
        try:
            parse_cp(result.cp)
        except PacketError:
            pass


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.binary(max_size=300), st.sampled_from(list(EXAMPLES.values()))), max_size=20))
def test_fuzz_frame_reader_keeps_every_whole_frame_and_stays_bounded(chunks):
    reader = FrameReader(max_frame=2048)
    for chunk in chunks:
        for item in reader.feed(chunk):
            assert isinstance(item, (bytes, PacketError))
        assert len(reader.buffer) <= 2048 + 300 + 16


@settings(deadline=None)  # a pure-Python loop over 10 kB: no clock on a shared machine
@given(st.one_of(st.binary(max_size=400), st.binary(min_size=9990, max_size=10040)))
def test_crc_equals_the_standards_bitwise_algorithm(data):
    reg = 0xFFFF  # Appendix A, step by step
    for byte in data:
        reg = (reg >> 8) ^ byte
        for _ in range(8):
            lsb = reg & 1
            reg >>= 1
            if lsb:
                reg ^= 0xA001
    assert crc16(data) == reg == _crc16_by_table(data)


ONES = "1" * 4301


@pytest.mark.parametrize(("segment", "reason"), [
    (f"ST=1;CN=1;Flag={ONES};CP=&&&&", "Flag of 4301 digits"),  # the security issue's minimal input (item 11)
    (f"ST=1;CN=1;Flag=7;PNUM={ONES};PNO=1;CP=&&&&", "PNUM of 4301 digits"),
    (f"ST=1;CN=1;Flag=7;PNUM=2;PNO={ONES};CP=&&&&", "PNO of 4301 digits"),
    ("ST=1;CN=1;Flag=7;PNUM=9999999999;PNO=1;CP=&&&&", "PNUM of 10 digits"),
])
def test_integers_longer_than_any_device_sends_are_the_codecs_error(segment, reason):
    """int() refuses over 4,300 digits with a plain ValueError; the codec counts the digits first."""
    with pytest.raises(PacketError, match=reason) as caught:
        parse(frame(segment))
    assert type(caught.value) is PacketError and caught.value.offset == 6 + segment.index(reason.split()[0] + "=")


def test_the_longest_integers_still_read():
    packet = parse(frame("ST=31;CN=2061;Flag=7;PNUM=999999999;PNO=999999999;CP=&&&&"))
    assert (packet.pnum, packet.pno) == (999_999_999, 999_999_999)


def test_a_reply_that_cannot_be_framed_and_text_that_is_not_ascii_are_the_codecs_error():
    rest = ";ST=3;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&"  # ST 91 in the reply
    packet = parse(frame(f"QN={'2' * (9999 - 3 - len(rest))}{rest}"))
    with pytest.raises(PacketError, match="data segment of 10000 bytes is longer than 9999"):
        data_reply(packet)
    bare = parse(frame("ST=31;CN=2011;Flag=5;CP=&&&&"))  # absent fields are left out, not written "None"
    assert data_reply(bare) == build("91", "9014", "", flag=4)
    with pytest.raises(PacketError, match="not ASCII") as caught:
        build("31", "2011", "a34004-Rtd=４６")
    assert caught.value.offset == 6 + len("ST=31;CN=2011;Flag=4;CP=&&a34004-Rtd=")


def test_a_crc_is_four_hex_digits_not_whatever_int_reads():
    """int(text, 16) also reads "+6C0", " 6C0" and "6_C0"; HJ 212's CRC is 4 hex digits (§1)."""
    for n in range(10_000):
        segment = f"QN=20240115{n:09d};ST=31;CN=2051;CP=&&a21026-Avg=1&&".encode()
        if crc16(segment) < 0x1000:
            break
    crc = crc16(segment)
    assert parse(b"##%04d%s%04X\r\n" % (len(segment), segment, crc)).cn == "2051"
    for spelled in (b"+%03X" % crc, b" %03X" % crc, b"%01X_%02X" % (crc >> 8, crc & 0xFF)):
        with pytest.raises(PacketError, match="not 4 hex digits"):
            parse(b"##%04d%s%s\r\n" % (len(segment), segment, spelled))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["Flag", "PNUM", "PNO"]), st.integers(1, 5000), st.sampled_from("0123456789"))
def test_fuzz_integer_fields_of_any_length_are_read_or_refused(key, digits, digit):
    values = {"Flag": "7", "PNUM": "2", "PNO": "1"} | {key: digit * digits}
    segment = f"ST=31;CN=2061;Flag={values['Flag']};PNUM={values['PNUM']};PNO={values['PNO']};CP=&&&&"
    try:
        packet = parse(frame(segment))
    except PacketError:
        assert digits > 9 or key != "Flag"
        return
    assert digits <= 9 and int(values[key]) == getattr(packet, key.lower())


class _CountingBuffer(bytearray):
    """A buffer that counts the bytes its searches look at (a search stops where it finds)."""

    looked_at = 0

    def find(self, sub, start=0, end=None):
        found = super().find(sub, start, end)
        stop = len(self) if end is None else min(end, len(self))
        _CountingBuffer.looked_at += (found + len(sub) if found >= 0 else stop) - start
        return found


def test_frame_reader_searches_a_frame_arriving_byte_by_byte_once():
    """A device (or an attacker) writing one byte at a time must not make the reader search the
    whole frame again per byte: 10,000 bytes looked at per byte received on a full-length frame."""
    prefix = "QN=20240115100005001;ST=31;CN=2061;Flag=4;CP=&&x="
    whole = frame(prefix + "7" * (9999 - len(prefix) - 2) + "&&")
    reader = FrameReader()
    reader.buffer = _CountingBuffer()
    _CountingBuffer.looked_at = 0
    for byte in whole[:-2]:  # all but the CR LF
        assert reader.feed(bytes([byte])) == []
    assert _CountingBuffer.looked_at <= 8 * len(whole), _CountingBuffer.looked_at
    assert reader.feed(b"\r\n") == [whole] and len(whole) == 10_011


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e309", "1_000"])
def test_a_value_that_is_no_finite_number_is_dropped_with_a_warning(value):
    data = parse_cp(f"DataTime=20201208120000;a21026-Rtd={value},a21026-Flag=N;a21002-Rtd=12.5")
    assert "a21026" not in data.values or "Rtd" not in data.values["a21026"]
    assert data.values["a21002"]["Rtd"] == 12.5 and any("not a number" in w for w in data.warnings)


def test_data_flags_are_the_eight_of_hj212_2017():
    """HJ 212-2017 §6.2 (shared/standards/hj212.md §6.2): N F M S D C T B, and only N is valid."""
    from gongjian.standards.hj212 import DATA_FLAGS, VALID_DATA_FLAGS, DataFlag

    assert [f.value for f in DataFlag] == ["N", "F", "M", "S", "D", "C", "T", "B"]
    assert set(DATA_FLAGS) == set(DataFlag) and VALID_DATA_FLAGS == ("N",)
    cp = "DataTime=20240115100000;a34004-Rtd=46,a34004-Flag=N;a34002-Rtd=78,a34002-Flag=X"
    assert [w for w in parse_cp(cp).warnings if "flag" in w] == ["a34002-Flag: unknown data flag 'X'"]


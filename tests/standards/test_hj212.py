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

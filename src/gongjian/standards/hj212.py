"""HJ 212 packets (污染物在线监控（监测）系统数据传输标准): framing, CRC, fields, CP content.

Editions: HJ/T 212-2005, HJ 212-2017 (in force 2017-05-01) and HJ 212-2025 (in force 2026-01-01),
told apart by the version bits of ``Flag`` (shared/standards/hj212.md §0, §2.3: ``000000`` 2005,
``000001`` 2017, ``000010`` 2025 [V-1]). The 2025 text was not available: its packets are read with
the 2017 rules.

Layout (§1): ``##`` + 4-digit data-segment length + data segment + CRC (4 hex digits) + CR LF. The
CRC is HJ 212's own CRC16 over the data segment (§3, Appendix A): the byte is XORed with the *high*
byte of the register, polynomial 0xA001 reflected, initial 0xFFFF - not CRC-16/MODBUS.

Parsing is tolerant but honest. Devices in the field rarely conform exactly, so a deviation that
leaves the meaning clear is accepted and recorded in ``Packet.warnings`` (a wrong declared length,
lower-case CRC digits, a bare LF, an MN or PW of unusual length, a missing QN in a 2005 packet, empty
groups in CP); one that does not is refused with :class:`PacketError`, which names the byte offset
(no ``##``, a length that is not a number, a CRC that is not 4 hex digits or does not match, no
ST/CN/CP, CP without its ``&&`` delimiters, PNO above PNUM, a Flag, PNUM or PNO of more than
:data:`MAX_DIGITS` digits, bytes that are not ASCII). Whatever the input, the codec raises no other
error than :class:`PacketError` (a corpus of mutated packets in tests/gateway/corpus/ holds
it to that).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import re
from dataclasses import dataclass, field

__all__ = ["AMBIENT_CODES", "CODES_2005", "DATA_COMMANDS", "DATA_FLAGS", "DATA_PERIODS", "EDITIONS", "MAX_DIGITS",
           "VALID_DATA_FLAGS", "DataFlag", "gettext_noop",
           "CpData", "FrameReader", "Packet", "PacketError", "build", "crc16", "data_reply", "frame", "parse",
           "parse_cp"]

#: Flag version bits -> edition (§2.3).
EDITIONS = {0: "2005", 1: "2017", 2: "2025"}


def gettext_noop(message: str) -> str:
    """Mark ``message`` for the translation catalogue (``makemessages`` collects these calls) and
    return it unchanged: the standards import no Django, the apps translate where they show it."""
    return message


class DataFlag(enum.StrEnum):
    """The data flags of ``-Flag`` (HJ 212-2017 §6.2; shared/standards/hj212.md §6.2): the one
    definition of the letters, which the stores' flag choices are built from."""

    NORMAL = "N"
    STOPPED = "F"
    MAINTENANCE = "M"
    SET_BY_HAND = "S"
    FAULT = "D"
    CALIBRATION = "C"
    OVER_RANGE = "T"
    COMMUNICATION = "B"


#: What each data flag means (HJ 212-2017 §6.2), in the English the apps translate.
DATA_FLAGS: dict[DataFlag, str] = {
    DataFlag.NORMAL: gettext_noop("normal"),
    DataFlag.STOPPED: gettext_noop("instrument stopped"),
    DataFlag.MAINTENANCE: gettext_noop("maintenance period"),
    DataFlag.SET_BY_HAND: gettext_noop("set by hand"),
    DataFlag.FAULT: gettext_noop("instrument fault"),
    DataFlag.CALIBRATION: gettext_noop("calibration in progress"),
    DataFlag.OVER_RANGE: gettext_noop("above the measuring range"),
    DataFlag.COMMUNICATION: gettext_noop("communication failure"),
}
#: HJ 212-2017 §6.2: "only N data are normally valid for statistics"; the platform decides the rest
#: (:data:`gongjian.standards.hj663.VALID_FLAGS` adds the reviewers' "valid").
VALID_DATA_FLAGS = (DataFlag.NORMAL.value,)
#: HJ/T 212-2005 pollutant codes and their HJ 212-2017 successors (Appendix B's "old code" column;
#: shared/standards/hj212.md §6.3, §7), so that a 2005 packet lands in the same series.
CODES_2005 = {"01": "a34013", "02": "a21026", "03": "a21002", "04": "a21005", "05": "a21028", "08": "a21024",
              "10": "a21001", "S01": "a19001", "B02": "a00000", "S02": "a01011", "S03": "a01012", "S04": "a01017",
              "S05": "a01014", "S07": "a01016", "S08": "a01013"}
#: Ambient-air codes as the air-quality store names them (hj212.md §6.3; O3's a05024 is from the
#: national code list, not Appendix B). Stations send SO2, NO2, O3, PM in ug/m3 and CO in mg/m3.
AMBIENT_CODES = {"a21026": "so2", "a21004": "no2", "a21005": "co", "a05024": "o3", "a34002": "pm10", "a34004": "pm25"}
#: Data commands by the period their values cover (HJ 212-2017 §6.6.3): real-time, minute, hour, day.
DATA_PERIODS = {"2011": "r", "2051": "m", "2061": "h", "2031": "d"}
#: Commands whose uploads carry data and are answered with 9014 when the sender asks (HJ 212-2017
#: §6.6.3: real-time, minute, hourly and daily data, running states, and the 2005 edition's 3020).
DATA_COMMANDS = frozenset({*DATA_PERIODS, "2021", "2041", "2081", "3020"})
#: The longest data segment the 4-digit length can declare.
MAX_SEGMENT = 9999
#: The most digits read from Flag, PNUM or PNO. HJ 212-2017's field table gives Flag as 0-255 and
#: PNUM/PNO as 4 digits; parsers of later packets read up to 9 (shared/standards/hj212.md §2.1, §7).
#: More is no number a device means, and Python's int() refuses over 4,300 digits with a plain
#: ValueError, which would escape the codec's own error type.
MAX_DIGITS = 9
_HEX4 = re.compile(rb"[0-9A-Fa-f]{4}")
_FIELD = re.compile(r"^[A-Za-z]+$")


class PacketError(ValueError):
    """A packet that cannot be read, with the byte offset where reading failed."""

    def __init__(self, reason: str, offset: int | None = None) -> None:
        self.reason, self.offset = reason, offset
        super().__init__(reason if offset is None else f"byte {offset}: {reason}")


def _table() -> tuple[int, ...]:
    """After ``reg = (reg >> 8) ^ byte`` the register holds 8 bits, so the eight shifts that follow are
    a function of one byte: tabulated once."""
    out = []
    for value in range(256):
        reg = value
        for _ in range(8):
            reg = (reg >> 1) ^ 0xA001 if reg & 1 else reg >> 1
        out.append(reg)
    return tuple(out)


_TABLE = _table()


def crc16(data: bytes) -> int:
    """HJ 212's CRC16 (Appendix A; shared/standards/hj212.md §3): for each byte, reg = (reg >> 8) ^ byte,
    then eight shifts with 0xA001. The standard's own example gives 0x1C80.

    Every step is XOR-linear, so the CRC is a constant fixed by the length (the register's start,
    0xFFFF, carried through) XOR, for each of the 16 register bits, the parity of the data bits that
    reach it; which bits reach it depends only on their distance from the end. With the data as one
    big integer that is 16 ANDs and popcounts in C instead of a Python step per byte (about three
    times faster on a minute-data packet, which is what lets one gateway process keep up with
    thousands of devices); :func:`_crc16_by_table` is the byte-by-byte form it is tested against.

    >>> f"{crc16(b'QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&'):04X}"
    '1C80'
    """
    if len(data) > MAX_SEGMENT + 17:
        return _crc16_by_table(data)
    constants, masks = _crc_parity_tables()
    bits = int.from_bytes(data, "big")
    reg = constants[len(data)]
    for position, mask in masks:
        reg ^= ((bits & mask).bit_count() & 1) << position
    return reg


def _crc16_by_table(data: bytes) -> int:
    """The byte-by-byte form of :func:`crc16` (after ``reg = (reg >> 8) ^ byte`` the register holds
    8 bits, so the eight shifts are one table lookup)."""
    reg = 0xFFFF
    table = _TABLE
    for byte in data:
        reg = table[(reg >> 8) ^ byte]
    return reg


@functools.cache
def _crc_parity_tables() -> tuple[list[int], list[tuple[int, int]]]:
    """For :func:`crc16`: the register after n zero bytes, for every length a frame can hold, and per
    register bit the mask of data bits (last byte lowest) whose parity flips it. Built once (0.2 s)."""
    longest = MAX_SEGMENT + 17
    constants, reg = [0xFFFF], 0xFFFF
    for _ in range(longest):
        reg = _TABLE[reg >> 8]
        constants.append(reg)
    masks = [0] * 16
    reach = [_TABLE[1 << k] for k in range(8)]  # what bit k of the last byte leaves in the register
    for distance in range(longest):
        for k, value in enumerate(reach):
            bit = 1 << (8 * distance + k)
            for position in range(16):
                if value >> position & 1:
                    masks[position] |= bit
        reach = [_TABLE[value >> 8] for value in reach]  # one more byte after it
    return constants, list(enumerate(masks))


def _modbus_crc16(data: bytes) -> int:
    """CRC-16/MODBUS, which some non-conforming devices send; accepted only when asked."""
    reg = 0xFFFF
    for byte in data:
        reg ^= byte
        for _ in range(8):
            lsb = reg & 1
            reg >>= 1
            if lsb:
                reg ^= 0xA001
    return reg


def frame(segment: str) -> bytes:
    """A data segment framed: ``##``, its length, the segment, its CRC, CR LF; :class:`PacketError`
    for a segment that is not ASCII or longer than the 4-digit length can declare (§1)."""
    try:
        raw = segment.encode("ascii")
    except UnicodeEncodeError as exc:
        raise PacketError("a character that is not ASCII in the data segment", 6 + exc.start) from None
    if len(raw) > MAX_SEGMENT:
        raise PacketError(f"data segment of {len(raw)} bytes is longer than {MAX_SEGMENT}: split it (PNUM/PNO)")
    return b"##%04d%s%04X\r\n" % (len(raw), raw, crc16(raw))


@dataclass(frozen=True)
class Packet:
    """One packet's fields; ``cp`` is the raw text between ``CP=&&`` and ``&&``."""

    st: str
    cn: str
    cp: str
    qn: str | None = None
    pw: str | None = None
    mn: str | None = None
    flag: int | None = None
    pnum: int | None = None
    pno: int | None = None
    warnings: tuple[str, ...] = ()
    raw: bytes = b""

    @property
    def edition(self) -> str:
        """``2005``, ``2017`` or ``2025`` from the Flag's version bits (no Flag: 2005)."""
        if self.flag is None:
            return "2005"
        return EDITIONS.get(self.flag >> 2, f"version {self.flag >> 2}")

    @property
    def needs_reply(self) -> bool:
        """Flag bit A: the sender expects a reply."""
        return bool(self.flag is not None and self.flag & 1)

    @property
    def split(self) -> bool:
        """Flag bit D: one of several packets (PNUM/PNO)."""
        return bool(self.flag is not None and self.flag & 2)

    def segment(self) -> str:
        parts = []
        if self.qn is not None:
            parts.append(f"QN={self.qn}")
        parts += [f"ST={self.st}", f"CN={self.cn}"]
        if self.pw is not None:
            parts.append(f"PW={self.pw}")
        if self.mn is not None:
            parts.append(f"MN={self.mn}")
        if self.flag is not None:
            parts.append(f"Flag={self.flag}")
        if self.pnum is not None:
            parts += [f"PNUM={self.pnum}", f"PNO={self.pno}"]
        return ";".join(parts) + f";CP=&&{self.cp}&&"


def data_reply(packet: Packet) -> bytes:
    """The 9014 data reply to ``packet``: same QN, MN and PW, ST 91, no reply asked (HJ 212-2017
    §6.6.3); the same bytes as ``build("91", "9014", "", qn=..., pw=..., mn=..., flag=4)``, built
    without the dataclass because the gateway builds one per packet (and with it when a field is
    absent, which is then left out). :class:`PacketError` when the reply would not fit one frame: a
    request of 9,999 bytes with a shorter ST or CN than the reply's, its QN thousands of digits long."""
    if packet.qn is None or packet.pw is None or packet.mn is None:
        return build("91", "9014", "", qn=packet.qn, pw=packet.pw, mn=packet.mn, flag=4)
    return frame(f"QN={packet.qn};ST=91;CN=9014;PW={packet.pw};MN={packet.mn};Flag=4;CP=&&&&")


def build(st: str, cn: str, cp: str, *, qn: str | None = None, pw: str | None = None, mn: str | None = None,
          flag: int | None = 4, pnum: int | None = None, pno: int | None = None) -> bytes:
    """A framed packet with these fields (defaults: HJ 212-2017, no reply asked, not split)."""
    return frame(Packet(st=st, cn=cn, cp=cp, qn=qn, pw=pw, mn=mn, flag=flag, pnum=pnum, pno=pno).segment())


def _split_frame(raw: bytes, warnings: list[str], accept_modbus_crc: bool) -> bytes:
    """The data segment of a framed packet, after checking header, length, CRC and tail."""
    if not raw.startswith(b"##"):
        raise PacketError("a packet starts with ##", 0)
    if raw.endswith(b"\r\n"):
        body = raw[:-2]
    elif raw.endswith(b"\n"):
        body = raw[:-1]
        warnings.append("ends with LF instead of CR LF")
    else:
        body = raw
        warnings.append("no CR LF at the end")
    length_text = body[2:6]
    if len(length_text) < 4 or not length_text.isdigit():
        raise PacketError(f"the length {length_text!r} is not 4 digits", 2)
    declared = int(length_text)
    if len(body) < 10:
        raise PacketError("too short for a data segment and a CRC", len(body))
    segment, crc_text = body[6:-4], body[-4:]
    if len(segment) != declared:
        warnings.append(f"declared length {declared}, the data segment has {len(segment)} bytes")
    if not _HEX4.fullmatch(crc_text):  # int(..., 16) alone would also read "+1C8", " 1C8" and "1_C8"
        raise PacketError(f"the CRC {crc_text!r} is not 4 hex digits", len(body) - 4)
    received = int(crc_text, 16)
    if crc_text != crc_text.upper():
        warnings.append("CRC in lower-case hex")
    expected = crc16(segment)
    if received != expected:
        if accept_modbus_crc and received == _modbus_crc16(segment):
            warnings.append("CRC computed the Modbus way (CRC-16/MODBUS), not as HJ 212 Appendix A")
        else:
            raise PacketError(f"CRC {received:04X} does not match the data segment ({expected:04X})", len(body) - 4)
    return segment


def parse(raw: bytes, *, accept_modbus_crc: bool = False) -> Packet:
    """A packet from its bytes (header to CR LF); :class:`PacketError` when it cannot be read."""
    warnings: list[str] = []
    segment_bytes = _split_frame(raw, warnings, accept_modbus_crc)
    try:
        segment = segment_bytes.decode("ascii")
    except UnicodeDecodeError as exc:
        raise PacketError("a byte that is not ASCII in the data segment", 6 + exc.start) from None
    start = segment.find("CP=&&")
    if start < 0:
        raise PacketError("no CP=&& in the data segment", 6)
    end = segment.rfind("&&")
    if end < start + 5:
        raise PacketError("CP is not closed by &&", 6 + len(segment))
    if segment[end + 2:].strip():
        warnings.append(f"text after the closing && ignored: {segment[end + 2:]!r}")
    fields: dict[str, str] = {}
    offset = 6
    for part in segment[:start].split(";"):
        if part:
            key, sep, value = part.partition("=")
            key = key.strip()
            if not sep or not _FIELD.match(key):
                raise PacketError(f"{part!r} is not KEY=value", offset)
            if key in fields:
                raise PacketError(f"{key} given twice", offset)
            fields[key] = value.strip()
        offset += len(part) + 1
    for key in ("ST", "CN"):
        if not fields.get(key):
            raise PacketError(f"no {key}", 6)
    if not fields["CN"].isdigit():
        raise PacketError(f"CN {fields['CN']!r} is not a number", 6 + segment.find("CN="))
    flag = _integer(fields, "Flag", segment)
    pnum, pno = _integer(fields, "PNUM", segment), _integer(fields, "PNO", segment)
    if (pnum is None) != (pno is None):
        raise PacketError("PNUM and PNO come together", 6)
    if pnum is not None and not 1 <= pno <= pnum:
        raise PacketError(f"PNO {pno} outside 1..PNUM {pnum}", 6 + segment.find("PNO="))
    if flag is not None and pnum is not None and not flag & 2:
        warnings.append("PNUM/PNO given but the Flag's D bit is 0")
    qn, mn, pw = fields.get("QN"), fields.get("MN"), fields.get("PW")
    edition = "2005" if flag is None or flag >> 2 == 0 else "later"
    if qn is None and edition != "2005":
        warnings.append("no QN")
    elif qn is not None and not (len(qn) == 17 and qn.isdigit()):
        warnings.append(f"QN {qn!r} is not 17 digits (YYYYMMDDhhmmsszzz)")
    if mn is None:
        warnings.append("no MN")
    elif edition != "2005" and len(mn) != 24:
        warnings.append(f"MN of {len(mn)} characters (24 in HJ 212-2017)")
    if pw is not None and len(pw) != 6:
        warnings.append(f"PW of {len(pw)} characters (6 in the standard)")
    unknown = sorted(set(fields) - {"QN", "ST", "CN", "PW", "MN", "Flag", "PNUM", "PNO"})
    if unknown:
        warnings.append(f"unknown fields ignored: {', '.join(unknown)}")
    cp = segment[start + 5:end]
    return Packet(st=fields["ST"], cn=fields["CN"], cp=cp, qn=qn, pw=pw, mn=mn, flag=flag, pnum=pnum, pno=pno,
                  warnings=tuple(warnings), raw=bytes(raw))


def _integer(fields: dict[str, str], key: str, segment: str) -> int | None:
    value = fields.get(key)
    if value is None:
        return None
    if not value.isdigit():
        raise PacketError(f"{key} {value!r} is not a whole number", 6 + segment.find(f"{key}="))
    if len(value) > MAX_DIGITS:  # checked before int(): see MAX_DIGITS
        raise PacketError(f"{key} of {len(value)} digits (at most {MAX_DIGITS})", 6 + segment.find(f"{key}="))
    return int(value)


@dataclass
class CpData:
    """CP content: the data time, per pollutant code its suffixed values (``{"a21026": {"Avg": 35.0,
    "Flag": "N"}}``), other parameters (``QnRtn``, ``RtdInterval``...) and what was odd."""

    data_time: dt.datetime | None = None
    values: dict[str, dict[str, float | str]] = field(default_factory=dict)
    parameters: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


#: The CP suffixes whose values are text, not numbers (a data flag, an equipment flag, a sampling time).
TEXT_SUFFIXES = ("Flag", "EFlag", "SampleTime")


def parse_cp(cp: str) -> CpData:
    """The CP text: groups separated by ``;``, fields by ``,``, ``code-Suffix=value`` (§6.1).
    ``-Flag``, ``-EFlag`` and ``-SampleTime`` stay text (an unknown data flag is warned about); any
    other suffixed value that is not a number is dropped with a warning; keys without a pollutant code
    (``QnRtn``, ``RtdInterval``) are parameters; a bad ``DataTime`` raises :class:`PacketError`."""
    data = CpData()
    for group in cp.split(";"):
        if not group.strip():
            if group != cp:
                data.warnings.append("empty group in CP")
            continue
        for item in group.split(","):
            key, sep, value = item.partition("=")
            key, value = key.strip(), value.strip()
            if not sep or not key:
                data.warnings.append(f"{item!r} is not KEY=value")
                continue
            if key == "DataTime":
                try:  # exactly 14 digits: strptime alone would read "2020120909" as 00:09:09
                    if len(value) != 14 or not value.isdigit():
                        raise ValueError
                    data.data_time = dt.datetime.strptime(value, "%Y%m%d%H%M%S")
                except ValueError:
                    raise PacketError(f"DataTime {value!r} is not YYYYMMDDhhmmss") from None
                continue
            code, dash, suffix = key.rpartition("-")
            if not dash:
                data.parameters[key] = value
                continue
            if suffix in TEXT_SUFFIXES:
                if suffix == "Flag" and value not in DATA_FLAGS:
                    data.warnings.append(f"{key}: unknown data flag {value!r}")
                data.values.setdefault(code, {})[suffix] = value
                continue
            number = _measurement(value)
            if number is None:
                data.warnings.append(f"{key}: {value!r} is not a number; dropped")
            else:
                data.values.setdefault(code, {})[suffix] = number
    return data


def _measurement(text: str) -> float | None:
    """A data value as HJ 212 writes it (a decimal number, §6.3.2): ``float()`` alone also takes
    ``inf``, ``nan``, ``1e309`` and ``1_000``, none of which a device measures."""
    if "_" in text:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


class FrameReader:
    """Cuts a TCP byte stream into packets: reassembles frames split across reads, separates frames
    sent together, skips garbage before ``##`` and refuses a frame longer than ``max_frame`` bytes
    without holding more than that in memory (an endless header, a 10 MB line).

    :meth:`feed` returns a list of ``bytes`` (a whole frame, to :func:`parse`) and
    :class:`PacketError` (what was skipped and why), in stream order.
    """

    def __init__(self, max_frame: int = 2 + 4 + MAX_SEGMENT + 4 + 2) -> None:
        self.max_frame = max_frame
        self.buffer = bytearray()
        self.discarding = False  # inside an over-long frame: drop until its CR LF
        # No CR LF starts in buffer[2:_scanned]: a frame arriving a byte at a time is searched once
        # in all, not once per byte (10,000 bytes read per byte received, on a full-length frame).
        self._scanned = 2

    def feed(self, data: bytes) -> list[bytes | PacketError]:
        out: list[bytes | PacketError] = []
        self.buffer += data
        while self.buffer:
            if self.discarding:
                end = self.buffer.find(b"\r\n")
                if end < 0:
                    keep = self.buffer[-1:] == b"\r"
                    self._drop(len(self.buffer) - keep)
                    return out
                self._drop(end + 2)
                self.discarding = False
                continue
            start = self.buffer.find(b"##")
            if start < 0:
                keep = 1 if self.buffer[-1:] == b"#" else 0
                if len(self.buffer) - keep:
                    out.append(PacketError(f"{len(self.buffer) - keep} bytes of garbage outside a packet"))
                self._drop(len(self.buffer) - keep)
                return out
            if start:
                out.append(PacketError(f"{start} bytes of garbage before ##"))
                self._drop(start)
            end = self._end()
            if end is None:
                if len(self.buffer) > self.max_frame:
                    out.append(PacketError(f"frame longer than {self.max_frame} bytes without CR LF; dropped"))
                    self._drop(2)
                    self.discarding = True
                    continue
                return out
            frame_bytes = bytes(self.buffer[:end])
            self._drop(end)
            out.append(frame_bytes)
        return out

    def _drop(self, count: int) -> None:
        del self.buffer[:count]
        self._scanned = 2

    def _crlf(self) -> int:
        """Where the first CR LF after the ``##`` starts within ``max_frame`` + 2 bytes, or -1;
        resumes where the last search ended."""
        limit = self.max_frame + 2
        found = self.buffer.find(b"\r\n", self._scanned, limit)
        if found < 0:  # the last byte may be the CR of a CR LF still to come
            self._scanned = max(2, min(len(self.buffer), limit) - 1)
        return found

    def _end(self) -> int | None:
        """Where the frame at the start of the buffer ends (after its CR LF), if it is all here: at
        the declared length when CR LF stands there, else at the first CR LF (a wrong length is then
        the parser's warning)."""
        crlf = self._crlf()
        head = self.buffer[2:6]
        if len(head) == 4 and head.isdigit():
            end = 6 + int(head) + 4
            if len(self.buffer) < end + 2 and not 0 <= crlf <= self.max_frame - 2:
                return None
            if self.buffer[end:end + 2] == b"\r\n":
                return end + 2
        return None if crlf < 0 else crlf + 2

"""Write the fuzz corpus of the HJ 212 codec and frame reader to tests/gateway/corpus/.

    python -m tests.gateway.make_corpus

Deterministic (one seed), so the corpus in the repository is what this script writes; run it again
after changing it and commit the difference. What it holds:

* ``seed-*``: valid packets (the standard's Appendix A example, minute and hourly data, a split
  hourly message, an HJ/T 212-2005 packet, a 9014 reply);
* ``killer-*``: inputs that once broke the gateway, one a file (issue items 10 and 11): a QN of 21
  characters, an ST or a CN of 5, a NUL in the QN, a PNO beyond int4 (the store's column limits);
  a Flag, PNUM or PNO of 4,301 digits (``int()`` raised a plain ValueError); a QN long enough that
  the 9014 reply no longer fits a frame; a CRC written with a sign or an underscore; a frame as
  long as the reader allows and one byte longer;
* ``mutant-*``: each seed mutated a few times over (bytes flipped, inserted, deleted, duplicated;
  tokens such as ``##``, CR LF, ``&&``, ``PNUM=`` and runs of thousands of digits spliced in; field
  values replaced), most of them framed again with the right length and CRC so that parsing goes
  past the CRC check to the fields;
* ``stream-*``: several packets and garbage in one byte stream, for the frame reader.

Every file stays under 12,000 bytes (the longest frame is 10,017), so replaying the corpus is
bounded work.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from gongjian.standards.hj212 import MAX_SEGMENT, crc16, frame

HERE = Path(__file__).resolve().parent / "corpus"
SEED = 212
MN, PW = "010000A8900016F000169DC0", "123456"
LARGEST = 12_000

MINUTE = ("DataTime=20240115100000;a21026-Avg=18.5,a21026-Min=15.2,a21026-Max=22.1,a21026-Flag=N;"
          "a21002-Avg=35.0,a21002-Flag=N;a34013-Avg=3.2,a34013-Flag=N")
SEEDS = {
    "appendix-a": "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&",
    "minute": f"QN=20240115100000001;ST=31;CN=2051;PW={PW};MN={MN};Flag=5;CP=&&{MINUTE}&&",
    "hour-part-1": f"QN=20240115110000999;ST=31;CN=2061;PW={PW};MN={MN};Flag=7;PNUM=2;PNO=1;"
                   f"CP=&&DataTime=20240115100000;a21026-Avg=18.5,a21026-Flag=N;&&",
    "hour-part-2": f"QN=20240115110000999;ST=31;CN=2061;PW={PW};MN={MN};Flag=7;PNUM=2;PNO=2;"
                   f"CP=&&a21002-Avg=35.0,a21002-Flag=N&&",
    "realtime": f"QN=20240115100000123;ST=22;CN=2011;PW={PW};MN={MN};Flag=4;"
                f"CP=&&DataTime=20240115100000;a34004-Rtd=46,a34004-Flag=N;a34002-Rtd=78,a34002-Flag=N&&",
    "hjt212-2005": "ST=32;CN=2011;PW=123456;MN=88888880000001;CP=&&DataTime=20050101000000;011-Rtd=1.1&&",
    "reply-9014": f"QN=20240115100000001;ST=91;CN=9014;PW={PW};MN={MN};Flag=4;CP=&&&&",
}
TOKENS = [b"##", b"\r\n", b"\r", b"\n", b";", b"=", b",", b"&&", b"CP=&&", b"QN=", b"PNUM=", b"PNO=", b"Flag=",
          b"MN=", b"-Flag=", b"DataTime=", b"\x00", b"\xff", b"\xe4\xb8\xad", b"9999", b"0000", b"-1", b"1e999",
          b"nan", b" "]


def framed(segment: bytes) -> bytes:
    """``segment`` with its length and CRC, even if it is not ASCII or longer than the 4 digits say."""
    return b"##%04d%s%04X\r\n" % (len(segment) % 10_000, segment, crc16(segment))


def killers() -> dict[str, bytes]:
    long_ones = "1" * 4301
    fields = f"ST=31;CN=2061;PW={PW};MN={MN}"
    return {
        "flag-4301-digits": frame(f"ST=1;CN=1;Flag={long_ones};CP=&&&&"),  # the minimal input
        "pnum-4301-digits": frame(f"QN=20240115100005001;{fields};Flag=7;PNUM={long_ones};PNO=1;CP=&&&&"),
        "pno-4301-digits": frame(f"QN=20240115100005001;{fields};Flag=7;PNUM=2;PNO={long_ones};CP=&&&&"),
        "pno-beyond-int4": frame(f"QN=20240115100005001;{fields};Flag=7;PNUM=9999999999;PNO=2147483648;CP=&&&&"),
        "qn-21-characters": frame(f"QN=202401151000050011234;{fields};Flag=5;CP=&&{MINUTE}&&"),
        "st-5-characters": frame(f"QN=20240115100005001;ST=31234;CN=2061;PW={PW};MN={MN};Flag=5;CP=&&{MINUTE}&&"),
        "cn-5-digits": frame(f"QN=20240115100005001;ST=31;CN=20611;PW={PW};MN={MN};Flag=5;CP=&&{MINUTE}&&"),
        "qn-nul": frame(f"QN=2024011510000\x005001;{fields};Flag=5;CP=&&{MINUTE}&&"),
        "reply-over-9999-bytes": frame(f"QN={'2' * 9_900};{fields};Flag=5;CP=&&&&"),
        "crc-with-a-sign": _crc_spelled(lambda crc: b"+%03X" % crc),
        "crc-with-an-underscore": _crc_spelled(lambda crc: b"%01X_%02X" % (crc >> 8, crc & 0xFF)),
        "not-ascii": framed(f"QN=20240115100005001;{fields};Flag=5;CP=&&a34004-Rtd=４６&&".encode()),
        "longest-frame": _longest(f"QN=20240115100005001;{fields};Flag=4;CP=&&x=", "&&"),
        "over-long-frame": b"##9999" + b"A" * (MAX_SEGMENT + 5) + b"\r\n",
        "endless-header": b"##" + b"9" * 11_000,
    }


def _longest(prefix: str, suffix: str) -> bytes:
    """A valid packet whose data segment is as long as the 4-digit length allows."""
    return frame(prefix + "7" * (MAX_SEGMENT - len(prefix) - len(suffix)) + suffix)


def _crc_spelled(spell) -> bytes:
    """A packet whose CRC is below 0x1000 (found by trying QNs), its CRC written by ``spell``: int(.., 16)
    read "+ABC" and "A_BC" as numbers."""
    for n in range(100_000):
        segment = f"QN=20240115{n:09d};ST=31;CN=2051;PW={PW};MN={MN};Flag=5;CP=&&{MINUTE}&&".encode()
        crc = crc16(segment)
        if crc < 0x1000:
            return b"##%04d%s%s\r\n" % (len(segment), segment, spell(crc))
    raise AssertionError("no QN gives a CRC below 0x1000")


def mutate(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 3)):
        where = rng.randrange(len(data) + 1)
        operation = rng.randrange(7)
        if operation == 0 and data:  # flip a byte
            data[min(where, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif operation == 1:  # insert random bytes, mostly ASCII (non-ASCII stops parsing early)
            count = rng.randint(1, 8)
            data[where:where] = rng.randbytes(count) if rng.random() < 0.2 else bytes(
                rng.randrange(32, 127) for _ in range(count))
        elif operation == 2:  # delete a range
            del data[where:where + rng.randint(1, 16)]
        elif operation == 3:  # duplicate a range
            data[where:where] = data[where:where + rng.randint(1, 64)]
        elif operation == 4:  # splice in a token
            data[where:where] = rng.choice(TOKENS)
        elif operation == 5:  # a run of digits, up to past int()'s 4,300
            data[where:where] = b"9" * rng.choice([5, 10, 11, 20, 300, 4301])
        else:  # replace a field's value
            fields = list(re.finditer(rb"(QN|ST|CN|PW|MN|Flag|PNUM|PNO)=([^;]*)", bytes(data)))
            if fields:
                match = rng.choice(fields)
                value = rng.choice([b"", b"0", b"-1", b"x" * rng.randint(1, 40), b"1" * rng.randint(1, 30),
                                    b"2147483648", b"\x00", b" 7 ", b"+5", b"1_0", b"\xd9\xa3"])
                data[match.start(2):match.end(2)] = value
    return bytes(data[:LARGEST])


def corpus() -> dict[str, bytes]:
    rng = random.Random(SEED)
    out: dict[str, bytes] = {}
    seeds = {name: frame(segment) for name, segment in SEEDS.items()}
    for name, raw in seeds.items():
        out[f"seed-{name}"] = raw
    for name, raw in killers().items():
        out[f"killer-{name}"] = raw
    n = 0
    for name, segment in SEEDS.items():
        for _ in range(24):
            mutant = mutate(rng, segment.encode())
            out[f"mutant-{n:03d}-{name}-framed"] = framed(mutant)[:LARGEST]
            n += 1
        for _ in range(4):  # mutated after framing: the frame itself is damaged
            out[f"mutant-{n:03d}-{name}-raw"] = mutate(rng, seeds[name])
            n += 1
    everything = list(seeds.values()) + list(killers().values())
    for k in range(12):
        parts = [rng.choice(everything) if rng.random() < 0.7 else rng.randbytes(rng.randint(1, 40))
                 for _ in range(rng.randint(2, 6))]
        out[f"stream-{k:02d}"] = b"".join(parts)[:LARGEST]
    return out


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for old in HERE.glob("*.bin"):
        old.unlink()
    files = corpus()
    for name, data in files.items():
        (HERE / f"{name}.bin").write_bytes(data)
    print(f"{len(files)} files, {sum(map(len, files.values()))} bytes in {HERE}")


if __name__ == "__main__":
    main()

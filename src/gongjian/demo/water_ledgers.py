"""Demo step: the water ledgers at the demo clock (2020-12-31): the 尖岗水库 drinking-water source
on the 贾鲁河尖岗水库 section (its intake results are that section's monthly samples), its protection
zones and problems (one closed, one open), the quarterly disclosures of 2020 Q1-Q3; black-odorous
water bodies at every status with their surveys and the 2020 first-half list; outfalls at every
step of their ledger, one over its limit (an ``outfall_over_limit`` alarm) and one closed out.

Every move goes through :func:`gongjian.core.ledger.advance` as the city office, at the moment
the story gives it (``clock.as_of``), with a small PNG as the evidence where a move needs one.
The names and numbers are made up for the demo, in the shape the Zhengzhou plans describe.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib

from django.core.files.base import ContentFile

from gongjian import clock
from gongjian.core.ledger import advance
from gongjian.periods import Period
from gongjian.regions.models import Person
from gongjian.water import blackodorous, drinking, outfalls
from gongjian.water.ledgers import (
    BlackOdorousSurvey,
    BlackOdorousWaterBody,
    DrinkingWaterSource,
    Outfall,
    OutfallLimit,
    ProtectionZone,
    SourceProblem,
)
from gongjian.water.models import WaterSection

from .builder import DemoContext, demo_step

__all__ = ["build_water_ledgers"]

BJ_NOON = dt.time(10)


def _at(day: dt.date):
    return clock.attach(dt.datetime.combine(day, BJ_NOON))


def _photo(name: str) -> ContentFile:
    """A real 1x1 PNG (the evidence check reads the content, not the name)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    body = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x30\x90\x30")) + chunk(b"IEND", b""))
    return ContentFile(body, name=name)


def _moves(record, office, moves) -> None:
    """``moves``: (day, status, note, evidence file name or "")."""
    for day, status, note, evidence in moves:
        with clock.as_of(_at(day)):
            advance(record, status, office, note, _photo(evidence) if evidence else None)


def _drinking(ctx: DemoContext, office) -> int:
    intake = WaterSection.objects.get(code="ZZ-SK-05")
    source = DrinkingWaterSource.objects.create(code="SY-410103-01", name="尖岗水库饮用水水源地", kind="reservoir",
                                                region=ctx.regions["410103"], served_population=1_200_000,
                                                supply_scale=40, intake=intake)
    DrinkingWaterSource.objects.create(code="SY-410184-07", name="新郑市龙湖镇地下水井群", kind="groundwater",
                                       thousand_ton=True, region=ctx.regions["410184"], served_population=32_000,
                                       supply_scale=0.45)
    for level, area, required, placed, text in (
            ("first", 3.2, 12, 12, "取水口半径500米范围内水域及两侧纵深200米陆域"),
            ("second", 25.6, 30, 26, "一级保护区以外上溯3000米水域及两侧纵深1000米陆域"),
            ("quasi", 61.0, None, None, "二级保护区以外汇水区域")):
        ProtectionZone.objects.create(source=source, level=level, area_km2=area, markers_required=required,
                                      markers_set=placed, description=text)
    closed = SourceProblem.objects.create(source=source, kind="outfall", title="一级保护区内雨污混流排口",
                                          found_on=dt.date(2020, 3, 10), deadline=dt.date(2020, 6, 30),
                                          responsible="二七区人民政府")
    _moves(closed, office, [(dt.date(2020, 3, 12), "rectifying", "交二七区封堵排口", ""),
                            (dt.date(2020, 6, 18), "rectified", "排口已封堵，雨水改道", "排口封堵.png"),
                            (dt.date(2020, 6, 28), "closed", "现场核查属实，销号", "核查记录.png")])
    open_ = SourceProblem.objects.create(source=source, kind="project", title="二级保护区内农家乐餐饮经营",
                                         found_on=dt.date(2020, 10, 20), deadline=dt.date(2021, 3, 31),
                                         responsible="二七区侯寨乡人民政府")
    _moves(open_, office, [(dt.date(2020, 10, 22), "rectifying", "责令停业，限期拆除", "")])
    for key, day in (("2020-Q1", dt.date(2020, 4, 15)), ("2020-Q2", dt.date(2020, 7, 15)),
                     ("2020-Q3", dt.date(2020, 10, 15))):
        with clock.as_of(_at(day)):
            drinking.publish_disclosure(ctx.regions["410100"], Period.parse(key), office)
    return 2


#: (code, name, region, start, end, length km, units, target year, status moves after being found)
BODIES = [
    ("HC-01", "七里河（航海路至贾鲁河）", "410104", "航海东路", "入贾鲁河口", 3.1, "管城回族区人民政府", 2021, []),
    ("HC-02", "魏河（文化路至江山路）", "410105", "文化北路", "江山路", 2.4, "金水区人民政府", 2020,
     [(dt.date(2020, 4, 1), "rectifying", "控源截污、清淤疏浚，沿河排口截流", "")]),
    ("HC-03", "东风渠（中州大道段）", "410105", "中州大道", "北三环", 1.8, "金水区人民政府", 2020,
     [(dt.date(2019, 11, 5), "rectifying", "实施截污纳管", ""),
      (dt.date(2020, 9, 20), "eliminated", "连续两个月监测不黑臭", "监测报告.png")]),
    ("HC-04", "金水河（大学路至紫荆山路）", "410103", "大学路", "紫荆山路", 2.9, "二七区人民政府", 2019,
     [(dt.date(2018, 10, 8), "rectifying", "控源截污、生态修复", ""),
      (dt.date(2019, 6, 30), "eliminated", "整治完成，监测不黑臭", "监测报告.png"),
      (dt.date(2020, 6, 30), "stable", "一年监测稳定达标，公众评议满意，长制久清", "评议结果.png")]),
]


def _survey(body: BlackOdorousWaterBody, first: dt.date, quality: str) -> None:
    """Three points sampled three times, four days apart, at a ``quality`` of heavy, light or clear."""
    values = {"heavy": (6.0, 0.1, -260.0, 17.5), "light": (18.0, 1.2, -80.0, 9.6), "clear": (45.0, 4.8, 110.0, 1.2)}
    transparency, do, orp, nh3n = values[quality]
    for i in range(3):
        for point in ("P1", "P2", "P3"):
            BlackOdorousSurvey.objects.create(body=body, sampled=first + dt.timedelta(days=4 * i), point=point,
                                              transparency_cm=transparency + i, do_mg_l=do, orp_mv=orp + 5 * i,
                                              nh3n_mg_l=nh3n, depth_cm=80)


def _black_odorous(ctx: DemoContext, office) -> int:
    for code, name, region, start, end, length, units, year, moves in BODIES:
        body = BlackOdorousWaterBody.objects.create(code=code, name=name, region=ctx.regions[region], start_point=start,
                                                    end_point=end, length_km=length, responsible_units=units,
                                                    target_year=year, location=f"{start}至{end}")
        _moves(body, office, moves)
        latest = {"found": "heavy", "rectifying": "light", "eliminated": "clear", "stable": "clear"}[body.status]
        _survey(body, dt.date(2020, 11, 2), latest)
    with clock.as_of(_at(dt.date(2020, 7, 10))):
        blackodorous.publish_list(ctx.regions["410100"], Period.parse("2020-H1"), office)
    return len(BODIES)


#: (name, region, water, kind, size, discharger, moves (day, status, note, evidence))
OUTFALLS = [
    ("贾鲁河中牟段左岸3号口", "410122", "贾鲁河", "agricultural", "below", "", []),
    ("丈八沟梁家桥上游口", "410173", "丈八沟", "other", "below", "", [(dt.date(2020, 5, 10), "numbered", "排查后编号", "")]),
    ("双洎河新郑污水处理厂排口", "410184", "双洎河", "municipal", "above", "新郑市第一污水处理厂",
     [(dt.date(2020, 4, 2), "numbered", "排查后编号", ""), (dt.date(2020, 4, 10), "monitored", "纳入月度监测", "")]),
    ("梅河工业园排口", "410184", "梅河", "industrial", "above", "新郑市某食品有限公司",
     [(dt.date(2020, 4, 2), "numbered", "排查后编号", ""), (dt.date(2020, 4, 10), "monitored", "纳入月度监测", "")]),
    ("金水河燕庄雨污混接口", "410105", "金水河", "municipal", "below", "",
     [(dt.date(2020, 3, 20), "numbered", "排查后编号", ""), (dt.date(2020, 8, 3), "rectifying", "雨污分流改造", "")]),
    ("熊耳河祭城路排口", "410104", "熊耳河", "municipal", "below", "",
     [(dt.date(2020, 3, 20), "numbered", "排查后编号", ""), (dt.date(2020, 6, 1), "rectifying", "截流改造", ""),
      (dt.date(2020, 11, 20), "rectified", "截流井建成，旱季无排水", "整改照片.png")]),
    ("七里河航海路排口", "410104", "七里河", "municipal", "below", "",
     [(dt.date(2020, 3, 20), "numbered", "排查后编号", ""), (dt.date(2020, 5, 6), "rectifying", "封堵", ""),
      (dt.date(2020, 8, 15), "rectified", "排口已封堵", "封堵照片.png"),
      (dt.date(2020, 9, 1), "closed", "现场核查，销号", "核查记录.png")]),
]


def _outfalls(ctx: DemoContext, office) -> tuple[int, int]:
    over = 0
    for name, region, water, kind, size, discharger, moves in OUTFALLS:
        outfall = Outfall.objects.create(name=name, region=ctx.regions[region], receiving_water=water, kind=kind,
                                         size=size, discharger=discharger)
        _moves(outfall, office, moves)
        if outfall.status not in ("monitored",):
            continue
        OutfallLimit.objects.create(outfall=outfall, item="cod", value=50, source="GB 18918-2002 一级A")
        OutfallLimit.objects.create(outfall=outfall, item="nh3n", value=5, source="GB 18918-2002 一级A")
        industrial = kind == "industrial"
        for month in range(5, 13):
            day = dt.date(2020, month, 12)
            cod = 38.0 + month if not (industrial and month == 11) else 86.0  # the plant's November: over its limit
            with clock.as_of(_at(day + dt.timedelta(days=2))):
                results = outfalls.record_results(outfall, day, {"cod": cod, "nh3n": 2.1 + month / 10}, office)
            over += sum(1 for r in results if r.over_limit)
    return len(OUTFALLS), over


@demo_step(order=46, name="water ledgers")
def build_water_ledgers(ctx: DemoContext) -> None:
    office = Person.objects.get(username="zz_office")
    sources = _drinking(ctx, office)
    bodies = _black_odorous(ctx, office)
    count, over = _outfalls(ctx, office)
    ctx.progress(f"  {sources} drinking-water sources, {bodies} black-odorous water bodies, {count} outfalls "
                 f"({over} result over its limit)")

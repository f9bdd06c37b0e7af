"""Demo sources and emergency management: about 300 enterprises across Zhengzhou's counties and the
named industries, 100 construction sites, a 2019 inventory with mobile and area sources, the 2020
reduction list built with the optimiser (meeting the ratios at every level), a 2021 draft revision,
and two past episodes with their notices and daily reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
from simple_history.utils import bulk_create_with_history

from gongjian import clock
from gongjian.core import series
from gongjian.emergency import episodes, proposal, services
from gongjian.emergency.daily_report import report_levels
from gongjian.emergency.models import Forecast, Measure, ReductionList, WarningStandard
from gongjian.emergency.removal import Inventory, account
from gongjian.regions.models import Organisation, OrganisationKind, Person, Region, RegionLevel
from gongjian.sources.kinds import DAILY_EMISSIONS
from gongjian.sources.models import (
    POLLUTANTS,
    ConstructionSite,
    EmissionUnit,
    Enterprise,
    InventoryItem,
    ProductionLine,
)
from gongjian.sources.services import whole_society_totals

from .builder import DemoContext, demo_step

INVENTORY_YEAR = 2019
#: Typical annual emissions (t/a) of a mid-sized plant per industry: SO2, NOx, PM, VOCs; and output
#: value (10,000 yuan/a). Orders of magnitude from Henan plants of these industries; fictional.
PROFILES = {
    "cement": (60, 420, 110, 8, 60000), "coking": (120, 300, 90, 160, 90000), "casting": (8, 12, 45, 20, 15000),
    "brick": (45, 40, 35, 2, 3000), "glass": (90, 380, 40, 4, 40000), "ceramics": (40, 70, 30, 3, 12000),
    "refractories": (30, 60, 40, 2, 20000), "aluminium": (150, 200, 80, 5, 120000), "carbon": (70, 60, 40, 30, 30000),
    "chemicals": (40, 60, 15, 260, 50000), "pharmaceuticals": (6, 15, 5, 60, 40000),
    "pesticides": (4, 8, 3, 40, 15000), "printing": (0.2, 0.5, 0.5, 80, 8000), "furniture": (0.1, 0.3, 3, 60, 6000),
    "coating": (0.5, 1.5, 2, 110, 20000), "power": (400, 900, 60, 10, 150000), "other": (5, 10, 8, 6, 5000),
}
WEIGHTS = {"cement": 10, "coking": 3, "casting": 35, "brick": 30, "glass": 5, "ceramics": 15, "refractories": 30,
           "aluminium": 6, "carbon": 10, "chemicals": 20, "pharmaceuticals": 12, "pesticides": 5, "printing": 25,
           "furniture": 25, "coating": 30, "power": 4, "other": 25}
WORDS = ["宏达", "华盛", "金源", "鑫旺", "恒通", "博远", "中原", "嵩岳", "黄河", "豫丰", "天成", "瑞祥", "永信", "众和", "东方",
         "盛达", "隆兴", "广源", "新纪元", "华夏", "正大", "汇通", "兴业", "金诺", "万方", "亿鑫", "德润", "国泰", "昌盛", "明珠"]
NAMES = {"cement": "水泥", "coking": "焦化", "casting": "铸造", "brick": "新型建材", "glass": "玻璃", "ceramics": "陶瓷",
         "refractories": "耐火材料", "aluminium": "铝业", "carbon": "炭素", "chemicals": "化工", "pharmaceuticals": "制药",
         "pesticides": "农药", "printing": "包装印刷", "furniture": "家具", "coating": "涂装", "power": "热电",
         "other": "机械制造"}
#: Mobile and other area sources per county-level unit (t/a, mid-sized county): SO2, NOx, PM, VOCs.
AREA_SOURCES = [("mobile", "重型柴油货车", (2, 1500, 90, 200)), ("mobile", "轻型汽油车", (3, 450, 25, 700)),
                ("mobile", "非道路移动机械", (3, 450, 70, 140)), ("area", "民用燃煤", (260, 60, 240, 120)),
                ("area", "道路扬尘", (0, 0, 1300, 0)), ("area", "生活源溶剂使用", (0, 0, 0, 450)),
                ("area", "餐饮油烟", (0, 0, 120, 110))]
EXISTING = {"中牟演示建材有限公司": "brick", "中牟演示包装印刷有限公司": "printing",
            "荥阳演示耐火材料有限公司": "refractories", "新密演示铸造有限公司": "casting"}


def _towns(zhengzhou: Region) -> list[Region]:
    return list(Region.objects.filter(path__startswith=zhengzhou.path, level=RegionLevel.TOWN).order_by("path"))


def _dec(x: float, places: str = "0.001") -> Decimal:
    return Decimal(str(x)).quantize(Decimal(places))


class _Batch:
    """Objects of one step, created in bulk per model in dependency order (with their history)."""

    ORDER = (Organisation, Enterprise, ProductionLine, EmissionUnit, ConstructionSite, InventoryItem)

    def __init__(self) -> None:
        self.objects: dict[type, list] = {model: [] for model in self.ORDER}

    def add(self, obj):
        self.objects[type(obj)].append(obj)
        return obj

    def save(self) -> None:
        for model in self.ORDER:
            bulk_create_with_history(self.objects[model], model, batch_size=500)


def _plant(batch: _Batch, rng, organisation: Organisation, industry: str) -> None:
    so2, nox, pm, vocs, output = PROFILES[industry]
    size = rng.lognormvariate(0, 0.7)
    graded = industry not in ("power", "other")
    cls = rng.choices("ABCD", weights=(6, 24, 50, 20))[0] if graded else "-"
    exemption, reason = "", ""
    if industry == "power":
        exemption, reason = "livelihood", "承担城市集中供热"
    elif industry == "pharmaceuticals" and rng.random() < 0.15:
        exemption, reason = "livelihood", "保障药品供应"
    enterprise = batch.add(Enterprise(
        organisation=organisation, industry=industry, performance_class=cls, exemption=exemption,
        exemption_reason=reason, key_vehicle_user=industry in ("cement", "coking", "brick", "refractories",
                                                                "aluminium", "casting", "glass") or rng.random() < 0.2,
        permit_number=f"91410{rng.randrange(10**12):012d}001P", annual_output=_dec(output * size, "0.01"),
        latitude=_dec(34.75 + rng.uniform(-0.35, 0.35), "0.000001"),
        longitude=_dec(113.65 + rng.uniform(-0.5, 0.5), "0.000001")))
    n_lines = rng.choice((1, 1, 2, 2, 3))
    shares = [rng.uniform(0.5, 1.5) for _ in range(n_lines)]
    for i in range(n_lines):
        line = batch.add(ProductionLine(enterprise=enterprise, name=f"{i + 1}号生产线", process=NAMES[industry],
                                        output_share=_dec(shares[i] / sum(shares), "0.0001")))
        for k, kind in enumerate(("stack", "fugitive")):
            unit = batch.add(EmissionUnit(enterprise=enterprise, line=line, kind=kind,
                                          name=f"{i + 1}号线{'排气筒' if k == 0 else '无组织'}"))
            part = shares[i] / sum(shares) * (0.85 if k == 0 else 0.15)
            batch.add(InventoryItem(
                year=INVENTORY_YEAR, category="point", region=organisation.region, unit=unit,
                basis="cems" if k == 0 and so2 * size > 20 else "factor",
                **{p: _dec(v * size * part * rng.uniform(0.8, 1.2)) for p, v in zip(POLLUTANTS, (so2, nox, pm, vocs), strict=True)}))
    if enterprise.key_vehicle_user:
        unit = batch.add(EmissionUnit(enterprise=enterprise, name="厂内运输车辆", kind="transport"))
        batch.add(InventoryItem(year=INVENTORY_YEAR, category="point", region=organisation.region, unit=unit,
                                basis="factor", so2=_dec(0.02 * size), nox=_dec(nox * 0.04 * size),
                                pm=_dec(pm * 0.05 * size), vocs=_dec(0.3 * size)))


@demo_step(order=70, name="sources and inventory")
def build_sources(ctx: DemoContext) -> None:
    rng = ctx.random_for("sources")
    zhengzhou = ctx.regions["410100"]
    towns = _towns(zhengzhou)
    batch = _Batch()
    for name, industry in EXISTING.items():
        _plant(batch, rng, ctx.organisations[name], industry)
    counties = list(Region.objects.filter(path__startswith=zhengzhou.path, level=RegionLevel.COUNTY))
    industries = list(WEIGHTS)
    used = set(EXISTING)
    while len(used) < 300:
        industry = rng.choices(industries, weights=[WEIGHTS[i] for i in industries])[0]
        town = rng.choice(towns)
        county = next(c for c in counties if town.path.startswith(c.path))
        name = f"{county.name[:2]}{rng.choice(WORDS)}{NAMES[industry]}有限公司"
        if name in used:
            continue
        used.add(name)
        organisation = batch.add(Organisation(name=name, kind=OrganisationKind.ENTERPRISE, region=town,
                                              credit_code=f"91410{rng.randrange(10**12):012d}X"[:18]))
        _plant(batch, rng, organisation, industry)
    kinds = [k for k, _label in ConstructionSite.Kind.choices]
    for i in range(100):
        town = rng.choice(towns)
        area = rng.choice((8000, 20000, 50000, 120000)) * rng.uniform(0.6, 1.6)
        site = batch.add(ConstructionSite(name=f"{town.name}{rng.choice(WORDS)}项目{i + 1}号工地", region=town,
                                          kind=rng.choice(kinds), site_class=rng.choices("ABC", (2, 5, 3))[0],
                                          area=_dec(area, "0.1"), start=dt.date(2019, rng.randint(1, 12), 1)))
        pm = area * 0.00045  # t/a of PM per m2 of active site (fictional factor)
        for activity, share in (("earthwork", 0.6), ("other", 0.4)):
            batch.add(InventoryItem(year=INVENTORY_YEAR, category="site", region=town, site=site, activity=activity,
                                    basis="factor", pm=_dec(pm * share), pm10=_dec(pm * share * 0.5),
                                    pm25=_dec(pm * share * 0.12)))
    for county in counties:
        scale = rng.uniform(0.4, 1.3)
        for category, name, values in AREA_SOURCES:
            batch.add(InventoryItem(year=INVENTORY_YEAR, category=category, region=county, name=name, basis="survey",
                                    **{p: _dec(v * scale) for p, v in zip(POLLUTANTS, values, strict=True)}))
    batch.save()
    totals = whole_society_totals(zhengzhou, INVENTORY_YEAR)
    ctx.progress(f"  {Enterprise.objects.count()} enterprises, {ConstructionSite.objects.count()} sites, "
                 f"{InventoryItem.objects.count()} inventory items; whole-society t/a: "
                 + ", ".join(f"{p} {v:,.0f}" for p, v in totals.items()))


def _base_measures(draft: ReductionList, rng) -> None:
    """What the office decides before optimising: site measures, transport bans, A-class declarations."""
    measures = []
    for site in ConstructionSite.objects.all():
        for level in ("yellow", "orange"):
            measures.append(Measure(reduction_list=draft, level=level, site=site, kind="site_earthwork",
                                    note="停止土石方作业、拆除、渣土运输"))
        measures.append(Measure(reduction_list=draft, level="red", site=site, kind="site_stop", note="全面停止施工"))
    for e in Enterprise.objects.filter(key_vehicle_user=True):
        for level in ("orange", "red"):
            measures.append(Measure(reduction_list=draft, level=level, enterprise=e, kind="no_transport",
                                    note="停止使用国四及以下重型柴油货车运输"))
    for e in Enterprise.objects.filter(performance_class="A", exemption=""):
        for level, load in (("yellow", 90), ("orange", 80), ("red", 70)):
            measures.append(Measure(reduction_list=draft, level=level, enterprise=e, kind="limit", load_percent=Decimal(load),
                                    note="A级企业自主减排"))
    bulk_create_with_history(measures, Measure, batch_size=500)


@demo_step(order=71, name="emergency list and episodes")
def build_emergency(ctx: DemoContext) -> None:
    rng = ctx.random_for("emergency")
    zhengzhou = ctx.regions["410100"]
    WarningStandard.objects.create(name="郑州市重污染天气预警分级标准（国家统一标准）", region=zhengzhou,
                                   valid_from=dt.date(2018, 8, 1))
    office = Person.objects.get(username="zz_office")
    bureau = Person.objects.get(username="zz_bureau")
    draft = services.new_draft(zhengzhou, 2020, INVENTORY_YEAR, note="2020年重污染天气应急减排清单")
    _base_measures(draft, rng)
    standard = services.standard_of(draft)
    totals = whole_society_totals(zhengzhou, INVENTORY_YEAR)
    inventory = Inventory.load(zhengzhou, INVENTORY_YEAR)
    for level in ("yellow", "orange", "red"):
        acc = account(draft, standard, totals, inventory)
        found = proposal.propose(draft, level, acc, inventory)
        if not found.plan.choices:
            raise RuntimeError(f"the demo inventory cannot meet the {level} ratios: {found.plan.status} {found.plan.shortfall}")
        proposal.accept(draft, found, set(found.measures))
    acc = account(draft, standard, totals, inventory)
    services.submit(draft, bureau)
    services.approve(draft, office)
    ReductionList.objects.filter(pk=draft.pk).update(approved_at=clock.attach(dt.datetime(2019, 9, 27, 16)))
    ctx.progress("  list 2020 v1: " + "; ".join(
        f"{level} " + ", ".join(f"{p} {acc.share(level, p):.1f}%" for p in POLLUTANTS) for level in ("yellow", "orange", "red")))
    _episodes(ctx, rng, zhengzhou, office)
    _current_forecast(zhengzhou)
    revision = services.new_draft(zhengzhou, 2021, INVENTORY_YEAR, based_on=draft, note="2021年修订（征求意见稿）")
    changed = list(revision.measures.filter(level="orange", kind="limit", load_percent=Decimal("70"))[:3])
    for m in changed:
        m.load_percent = Decimal("50")
        m.note = "2021年修订：限产比例提高"
        m.save()
    ctx.progress(f"  2021 draft revision with {len(changed)} changed measures; "
                 f"{Forecast.objects.count()} forecast days")


def _episodes(ctx: DemoContext, rng, zhengzhou: Region, office: Person) -> None:
    plans = [  # (forecast issued on, AQI from that day, decisions)
        (dt.date(2020, 1, 14), [180, 230, 265, 310, 320, 240, 150],
         [("issue", "orange", (1, 14, 20), "预测1月15日起连续4天重度污染，其中2天严重污染；先启动橙色"),
          ("upgrade", "red", (1, 16, 12), "会商后预测严重污染持续，升级为红色"),
          ("downgrade", "yellow", (1, 19, 12), "扩散条件转好"),
          ("lift", "", (1, 20, 12), "空气质量改善至轻度污染以下")]),
        (dt.date(2020, 12, 8), [170, 215, 240, 305, 190, 120, 90],
         [("issue", "orange", (12, 8, 18), "预测12月9日至11日连续3天重度污染，11日严重污染"),
          ("lift", "", (12, 12, 12), "冷空气过境，污染过程结束")]),
    ]
    for issued, aqis, decisions in plans:
        Forecast.objects.bulk_create(Forecast(region=zhengzhou, issued_on=issued, day=issued + dt.timedelta(days=i),
                                              aqi=a, source="model") for i, a in enumerate(aqis))
        for kind, level, (month, day, hour), reason in decisions:
            at = clock.attach(dt.datetime(issued.year, month, day, hour))
            action = episodes.act(zhengzhou, kind, level, at, office, reason)
        episode = action.warning
        start, end = clock.day_of(episode.started_at), clock.day_of(episode.lifted_at)
        day, daily = start, []
        while day <= end:
            level = report_levels(episode, day)
            measures: dict[int, list[Measure]] = {}
            for m in episode.reduction_list.measures.filter(level=level or "yellow", enterprise__isnull=False):
                measures.setdefault(m.enterprise_id, []).append(m)
            for pk, listed in measures.items():
                if rng.random() < 0.1:
                    continue  # not reported
                compliant = rng.random() > 0.06
                stop = any(m.kind == "stop" and not m.unit_id for m in listed)
                limits = [m.load_percent for m in listed if m.kind == "limit"]
                load = Decimal("0") if stop else min(limits, default=Decimal("90"))
                share = float(load) / 100 if compliant else 1.0
                daily.append(dict(
                    enterprise_id=pk, date=day, source="cems",
                    production=("stopped" if stop else "limited") if compliant else "normal",
                    load_percent=load if compliant else Decimal("100"),
                    so2=_dec(rng.uniform(5, 200) * share), nox=_dec(rng.uniform(10, 800) * share),
                    pm=_dec(rng.uniform(2, 120) * share), vocs=_dec(rng.uniform(1, 300) * share),
                    exceedance_hours=0 if compliant else rng.choice((0, 2, 5))))
            day += dt.timedelta(days=1)
        if daily:
            series.write(DAILY_EMISSIONS, pl.DataFrame(daily, infer_schema_length=None), source="demo")


#: The forecast current at the demo's moment (2020-12-31 23:30), issued that morning at 08:00 for the
#: next seven days: an early-January spell of light to moderate pollution, no day above 200, so the
#: dashboard proposes no warning (the December episode stays as history).
CURRENT_FORECAST = (dt.date(2020, 12, 31), [128, 146, 172, 158, 117, 96, 134])


def _current_forecast(zhengzhou: Region) -> None:
    issued, aqis = CURRENT_FORECAST
    Forecast.objects.bulk_create(Forecast(region=zhengzhou, issued_on=issued, day=issued + dt.timedelta(days=i),
                                          aqi=aqi, source="model") for i, aqi in enumerate(aqis))

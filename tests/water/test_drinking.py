"""Drinking-water sources: intake results evaluated against GB 3838-2002 from the samples store,
the compliance rate (no data is no data), the quarterly disclosure frozen when published, and the
scope of the pages and the API. Expected values are worked out by hand in each test."""

import datetime as dt
from fractions import Fraction

import polars as pl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from gongjian import clock
from gongjian.core import series
from gongjian.periods import Period
from gongjian.water import drinking
from gongjian.water.ledgers import DrinkingDisclosure, DrinkingWaterSource
from gongjian.water.models import WaterSection

BJ = dt.timezone(dt.timedelta(hours=8))
AFTER_Q3 = dt.datetime(2020, 10, 10, 9, tzinfo=BJ)
Q3 = Period.parse("2020-Q3")


def _source(w, county, code, kind="reservoir"):
    intake = WaterSection.objects.create(code=f"IN-{code}", name=f"{code}取水口", water_body="尖岗水库", kind=kind,
                                         control_level="city", region=w.regions[county])
    return DrinkingWaterSource.objects.create(code=code, name=f"水源{code}", kind=kind, region=w.regions[county],
                                              intake=intake)


def _samples(source, rows):
    """rows: (day, item, value[, below the detection limit])."""
    series.write("water.sample", pl.DataFrame({
        "section_id": [source.intake_id] * len(rows), "item": [r[1] for r in rows],
        "time": [dt.datetime.combine(r[0], dt.time(10)) for r in rows], "value": [float(r[2]) for r in rows],
        "below_limit": [bool(r[3]) if len(r) > 3 else False for r in rows]}), source="demo")


@pytest.fixture
def sources(world):
    a = _source(world, "county_a", "DS-A")
    # TP of a reservoir: class Ⅲ is 0.05 (GB 3838-2002 Table 1, lakes and reservoirs); the mean of 0.04
    # and 0.06 is 0.05, at the limit: compliant. NH3-N 0.4 and 0.6: 0.5, class Ⅱ. DO 6.0: class Ⅱ.
    _samples(a, [(dt.date(2020, 7, 5), "tp", 0.04), (dt.date(2020, 8, 5), "tp", 0.06),
                 (dt.date(2020, 7, 5), "nh3n", 0.4), (dt.date(2020, 8, 5), "nh3n", 0.6), (dt.date(2020, 7, 5), "do", 6.0)])
    b = _source(world, "county_b", "DS-B")
    # TP 0.12 in a reservoir: above class Ⅳ's 0.1, within Ⅴ's 0.2: class Ⅴ; multiple over class Ⅲ
    # (0.12 - 0.05) / 0.05 = 1.4. NH3-N below the detection limit 0.05 enters as 0.025.
    _samples(b, [(dt.date(2020, 9, 1), "tp", 0.12), (dt.date(2020, 9, 1), "nh3n", 0.05, True)])
    c = _source(world, "county_a", "DS-C")  # no sample in the quarter: no data
    _samples(c, [(dt.date(2020, 6, 30), "tp", 0.3)])
    return a, b, c


def test_a_source_is_judged_on_the_quarter_means_of_its_intake(sources):
    a, b, c = sources
    ea, eb, ec = (drinking.evaluate(s, Q3) for s in sources)
    assert ea.means == {"tp": 0.05, "nh3n": 0.5, "do": 6.0} and ea.samples == 5
    assert (ea.compliant, ea.failing, ea.water_class) == (True, {}, 3)  # TP at 0.05 is class Ⅲ, the worst item
    assert eb.means == {"tp": 0.12, "nh3n": 0.025}
    assert eb.compliant is False and eb.water_class == 5 and eb.failing == {"tp": pytest.approx(1.4)}
    assert (ec.compliant, ec.means, ec.water_class, ec.samples) == (None, {}, None, 0)


def test_the_compliance_rate_counts_sources_evaluated_and_leaves_no_data_apart(sources):
    rate = drinking.compliance_rate([drinking.evaluate(s, Q3) for s in sources])
    assert (rate.compliant, rate.evaluated, rate.not_evaluated, rate.share) == (1, 2, 1, Fraction(1, 2))
    assert str(rate.percent) == "50.0"
    nothing = drinking.compliance_rate([drinking.evaluate(sources[2], Q3)])
    assert nothing.share is None and nothing.percent is None and drinking.percent_text(None) == "no data"


def test_a_disclosure_is_frozen_and_a_correction_is_a_new_edition(world, sources):
    city = world.regions["city"]
    with clock.as_of(AFTER_Q3):
        first = drinking.publish_disclosure(city, Q3, world.people["city_office"])
    assert first.number == 1 and first.content["rate_percent"] == "50.0"
    assert [s["compliant"] for s in first.content["sources"]] == [True, None, False]  # DS-A, DS-C, DS-B by region
    assert first.content["sources"][2]["failing"] == {"tp": pytest.approx(1.4)}
    _samples(sources[1], [(dt.date(2020, 9, 20), "tp", 0.02)])  # a late result: the mean falls to 0.07, still Ⅳ
    first.refresh_from_db()
    assert first.content["sources"][2]["failing"] == {"tp": pytest.approx(1.4)}  # as published
    with clock.as_of(AFTER_Q3):
        second = drinking.publish_disclosure(city, Q3, world.people["city_office"])
    assert second.number == 2 and second.content["sources"][2]["failing"] == {"tp": pytest.approx(0.4)}


def test_publishing_is_refused_for_an_open_quarter_another_period_kind_or_another_county(world, sources):
    with clock.as_of(AFTER_Q3):
        with pytest.raises(ValidationError, match="has not ended"):
            drinking.publish_disclosure(world.regions["city"], Period.parse("2020-Q4"), world.people["city_office"])
        with pytest.raises(ValidationError, match="covers a quarter"):
            drinking.publish_disclosure(world.regions["city"], Period.parse("2020-M08"), world.people["city_office"])
        with pytest.raises(PermissionDenied):
            drinking.publish_disclosure(world.regions["county_b"], Q3, world.people["county_a_office"])
    assert not DrinkingDisclosure.objects.exists()


def test_pages_show_a_county_its_own_sources_and_the_public_only_what_is_published(world, sources, client, settings):
    settings.GONGJIAN_AS_OF = AFTER_Q3.isoformat()
    client.force_login(world.people["county_a_office"])
    page = client.get(reverse("water:drinking"), {"period": "2020-Q3"}).content.decode()
    assert "DS-A" in page and "DS-C" in page and "DS-B" not in page and "100.0%" in page  # 1 of 1 evaluated
    export = client.get(reverse("water:drinking"), {"period": "2020-Q3", "format": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(world.people["public_city"])
    assert client.post(reverse("water:disclosures"), {"region": world.regions["city"].pk,
                                                      "period": "2020-Q3"}).status_code == 403
    assert "DS-A" not in client.get(reverse("water:drinking"), {"period": "2020-Q3"}).content.decode()
    client.force_login(world.people["city_office"])
    response = client.post(reverse("water:disclosures"), {"region": world.regions["city"].pk, "period": "2020-Q3"})
    assert response.status_code == 302
    bad = client.post(reverse("water:disclosures"), {"region": world.regions["city"].pk, "period": "2020 third"})
    assert bad.status_code == 400 and "2020-Q4" in bad.content.decode()
    published = DrinkingDisclosure.objects.get()
    client.force_login(world.people["public_city"])
    assert "2020年第3季度" in client.get(reverse("water:disclosures")).content.decode()
    shown = client.get(reverse("water:disclosure", args=[published.pk])).content.decode()
    assert "DS-B" in shown and "50.0%" in shown
    api = APIClient()
    api.force_authenticate(world.people["public_city"])
    assert [d["id"] for d in api.get("/api/water/drinking-disclosures/").json()["results"]] == [published.pk]
    assert api.get("/api/water/drinking-sources/").json()["results"] == []
    api.force_authenticate(world.people["county_b_office"])
    assert [s["code"] for s in api.get("/api/water/drinking-sources/").json()["results"]] == ["DS-B"]
    assert api.get(f"/api/water/drinking-sources/{sources[0].pk}/").status_code == 404

"""River outfalls: numbered by the code rule, monitored monthly against their limits (the
``outfall_over_limit`` alarm, idempotent by fingerprint), rectified and closed out on the ledger's
steps; bad input refused with nothing saved; the scope of pages and API."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from gongjian.core.ledger import advance
from gongjian.water import outfalls
from gongjian.water.ledgers import Outfall, OutfallLimit, OutfallResult
from gongjian.water.models import WaterAlarm
from tests.site.test_uploads import png

DAY = dt.date(2020, 6, 15)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.GONGJIAN_AS_OF = "2020-06-20T09:00:00+08:00"


def _outfall(w, county="county_a", kind="municipal", name="贾鲁河1号口", number=True):
    outfall = Outfall.objects.create(name=name, region=w.regions[county], receiving_water="贾鲁河", kind=kind)
    if number:
        advance(outfall, "numbered", w.people["city_office"], "排查后编号")
    return outfall


def _limits(outfall):
    OutfallLimit.objects.create(outfall=outfall, item="cod", value=50, source="GB 18918-2002 一级A")
    OutfallLimit.objects.create(outfall=outfall, item="nh3n", value=5, source="GB 18918-2002 一级A")
    OutfallLimit.objects.create(outfall=outfall, item="ph", value=9, lower=6, source="GB 18918-2002")


def _photo():
    return SimpleUploadedFile("sealed.png", png(), content_type="image/png")


def test_numbering_gives_codes_by_region_kind_and_sequence_never_reused(world):
    a1 = _outfall(world)
    a2 = _outfall(world, name="贾鲁河2号口")
    g = _outfall(world, kind="industrial", name="工业口")
    b = _outfall(world, "county_b")
    traced = _outfall(world, name="未编号", number=False)
    assert [a1.code, a2.code, g.code, b.code, traced.code] == ["RH410122S0001", "RH410122S0002", "RH410122G0001",
                                                                "RH410182S0001", None]
    Outfall.objects.filter(pk=a2.pk).update(code="RH410122S0007")  # a gap: the sequence continues after the highest
    assert _outfall(world, name="新口").code == "RH410122S0008"


def test_results_are_judged_against_the_outfalls_limits_and_raise_one_alarm_each(world):
    outfall = _outfall(world)
    _limits(outfall)
    office = world.people["county_a_office"]
    results = outfalls.record_results(outfall, DAY, {"cod": 62, "nh3n": 5, "tp": 0.8, "ph": 5.5}, office)
    judged = {r.item: (r.over_limit, r.limit, r.limit_source) for r in results}
    assert judged == {"cod": (True, 50, "GB 18918-2002 一级A"), "nh3n": (False, 5, "GB 18918-2002 一级A"),
                      "tp": (None, None, ""), "ph": (True, 9, "GB 18918-2002")}  # 5 at its limit 5 complies
    alarms = WaterAlarm.objects.filter(kind="outfall_over_limit").order_by("item")
    assert [a.item for a in alarms] == ["cod", "ph"]
    cod = alarms.get(item="cod")
    assert (cod.value, cod.threshold, cod.region) == (62, 50, world.regions["county_a"])
    # (62 - 50) / 50 = 0.24 times over
    assert "化学需氧量为62 mg/L，超过限值50 mg/L（GB 18918-2002 一级A），超标0.24倍" in cod.evidence
    assert "6～9" in alarms.get(item="ph").evidence
    OutfallResult.objects.filter(outfall=outfall).delete()  # recorded again (a corrected sheet): the same alarms
    outfalls.record_results(outfall, DAY, {"cod": 70}, office)
    assert WaterAlarm.objects.filter(kind="outfall_over_limit").count() == 2
    assert WaterAlarm.objects.get(item="cod").value == 70


@pytest.mark.parametrize("values, field, message", [
    ({"cod": -1}, "cod", "cannot be negative"),
    ({"lead": 0.1}, "lead", "Unknown item"),
    ({"ph": 15}, "ph", "0-14"),
    ({}, "values", "at least one"),
])
def test_bad_results_are_refused_naming_the_item_and_nothing_is_saved(world, values, field, message):
    outfall = _outfall(world)
    _limits(outfall)
    with pytest.raises(ValidationError) as refused:
        outfalls.record_results(outfall, DAY, {"nh3n": 9, **values} if field != "values" else values,
                                world.people["county_a_office"])
    assert message in " ".join(refused.value.message_dict[field])
    assert not OutfallResult.objects.exists() and not WaterAlarm.objects.exists()


def test_results_are_refused_twice_in_the_future_unnumbered_closed_or_outside_scope(world):
    outfall = _outfall(world)
    office = world.people["county_a_office"]
    outfalls.record_results(outfall, DAY, {"cod": 20}, office)
    with pytest.raises(ValidationError, match="recorded already"):
        outfalls.record_results(outfall, DAY, {"cod": 21}, office)
    with pytest.raises(ValidationError, match="future"):
        outfalls.record_results(outfall, dt.date(2020, 7, 1), {"cod": 21}, office)
    with pytest.raises(ValidationError, match="takes no results"):
        outfalls.record_results(_outfall(world, name="未编号", number=False), DAY, {"cod": 21}, office)
    with pytest.raises(PermissionDenied):
        outfalls.record_results(outfall, dt.date(2020, 6, 1), {"cod": 21}, world.people["county_b_office"])
    assert OutfallResult.objects.count() == 1


def test_rectification_ends_in_closing_out_each_step_with_who_and_evidence(world):
    outfall = _outfall(world)
    office = world.people["county_a_office"]
    advance(outfall, "monitored", office, "纳入月度监测")
    advance(outfall, "rectifying", office, "超标，责令整改")
    with pytest.raises(ValidationError, match="needs evidence"):
        advance(outfall, "rectified", office, "已封堵")
    advance(outfall, "rectified", office, "已封堵", _photo())
    advance(outfall, "closed", office, "现场核查，销号", _photo())
    assert list(outfall.steps.values_list("status", "by__username")) == [
        ("numbered", "city_office"), ("monitored", "county_a_office"), ("rectifying", "county_a_office"),
        ("rectified", "county_a_office"), ("closed", "county_a_office")]
    with pytest.raises(ValidationError, match="takes no results"):
        outfalls.record_results(outfall, DAY, {"cod": 20}, office)
    with pytest.raises(ValidationError, match="none: the record is finished"):
        advance(outfall, "rectifying", office, "再次整改")


def test_the_results_page_and_api_keep_to_the_county(world, client):
    outfall = _outfall(world)
    _limits(outfall)
    url = reverse("water:outfall_results", args=[outfall.pk])
    client.force_login(world.people["county_b_office"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"sampled": "2020-06-15", "cod": "62"}).status_code == 404
    client.force_login(world.people["public_city"])
    assert client.post(url, {"sampled": "2020-06-15", "cod": "62"}).status_code in (403, 404)
    client.force_login(world.people["county_a_office"])
    bad = client.post(url, {"sampled": "2020-06-15", "cod": "62", "nh3n": "-3"})
    assert bad.status_code == 400 and "氨氮" in bad.content.decode() and not OutfallResult.objects.exists()
    assert client.post(url, {"sampled": "2020-06-15", "cod": "62", "nh3n": "3"}).status_code == 302
    page = client.get(url).content.decode()
    assert OutfallResult.objects.count() == 2 and "GB 18918-2002 一级A" in page
    api = APIClient()
    api.force_authenticate(world.people["county_a_office"])
    assert api.post("/api/water/outfall-results/", {"outfall": outfall.pk, "sampled": "2020-06-16", "item": "cod",
                                                    "value": 1}).status_code == 405
    assert len(api.get("/api/water/outfall-results/").json()["results"]) == 2
    api.force_authenticate(world.people["county_b_office"])
    assert api.get("/api/water/outfall-results/").json()["results"] == []
    assert api.post(f"/api/water/outfalls/{outfall.pk}/steps/", {"to": "monitored", "note": "越权"}).status_code == 404
    outfall.refresh_from_db()
    assert outfall.status == "numbered"

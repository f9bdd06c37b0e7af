"""The forecast pages as the city's office, a county's office, a public reviewer and an enterprise:
the runs list, a run (days 1-3 detailed, 4-7 the trend, issued at with its age), adjusting and
publishing, the verification, and the episode evaluation with its Word and PDF documents, which are
attachments holding the figures."""

import datetime as dt
import io

import docx
import pypdf
import pytest

from gongjian import clock
from gongjian.air.models import DailyResult
from gongjian.air.results import stored_edition
from gongjian.emergency import episodes, runs
from gongjian.emergency.models import EpisodeEvaluation, ForecastRun

from .test_forecast_runs import ISSUED, MODEL_AQI, days

NOW = "2020-12-08T10:00"
FIGURES = {"observed": 80.4, "expected": 106.0, "difference": -25.6, "lower": -26.5, "upper": -24.5, "days": 5,
           "windows": 40, "r2": 0.934, "n_train": 2400, "version": "lightgbm 4.7.0"}


@pytest.fixture
def run(world, standard, settings):
    settings.GONGJIAN_AS_OF = NOW
    with clock.as_of(ISSUED):
        return runs.store_run(world.regions["city"], ISSUED, days(MODEL_AQI), model_version="test-1")


def _get(client, world, who, url, **params):
    client.force_login(world.people[who])
    with clock.as_of(NOW):
        return client.get(url, params)


def test_the_runs_list_shows_what_each_sees(client, world, run):
    link = f'href="/emergency/forecasts/{run.pk}/"'
    assert link in _get(client, world, "city_office", "/emergency/forecasts/").content.decode()
    assert link in _get(client, world, "county_a_office", "/emergency/forecasts/").content.decode()  # the city's binds it
    for who in ("public_city", "enterprise_e1"):
        page = _get(client, world, who, "/emergency/forecasts/").content.decode()
        assert link not in page and 'id="no-runs"' in page


def test_a_run_page_has_the_detailed_days_the_trend_and_its_age(client, world, run):
    page = _get(client, world, "city_office", f"/emergency/forecasts/{run.pk}/").content.decode()
    detailed = page[page.index('id="detailed"'):page.index('id="trend"')]
    assert "2020-12-09" in detailed and "135–165" in detailed and "轻度污染至中度污染" in detailed
    assert "2020-12-12" not in detailed  # day 4 is the trend's
    trend = page[page.index('id="trend"'):]
    assert "2020-12-12" in trend and "175–205" in trend
    assert 'data-freshness="forecast"' in page and 'data-chart="forecast-chart"' in page
    assert "/publish/" in page and "/adjust/" in page
    county = _get(client, world, "county_a_office", f"/emergency/forecasts/{run.pk}/").content.decode()
    assert "/publish/" not in county and "/adjust/" not in county
    for who in ("public_city", "enterprise_e1"):
        assert _get(client, world, who, f"/emergency/forecasts/{run.pk}/").status_code == 404


def _adjust_data(run, **changed):
    data = {"reason": "会商上调"}
    for v in run.values.filter(station__isnull=True):
        key = v.day.isoformat()
        aqi, low, high = changed.get(key, (v.aqi, v.aqi_low, v.aqi_high))
        data.update({f"aqi_{key}": aqi, f"low_{key}": low, f"high_{key}": high, f"primary_{key}": v.primary})
    return data


def test_adjusting_and_publishing_through_the_pages(client, world, run):
    client.force_login(world.people["city_office"])
    with clock.as_of(NOW):
        assert client.get(f"/emergency/forecasts/{run.pk}/adjust/").status_code == 200
        refused = client.post(f"/emergency/forecasts/{run.pk}/adjust/", _adjust_data(run, **{"2020-12-11": (305, 310, 330)}))
        assert refused.status_code == 400 and ForecastRun.objects.count() == 1
        done = client.post(f"/emergency/forecasts/{run.pk}/adjust/", _adjust_data(run, **{"2020-12-11": (305, 280, 330)}))
        adjusted = ForecastRun.objects.get(adjusts=run)
        assert done.status_code == 302 and done["Location"] == f"/emergency/forecasts/{adjusted.pk}/"
        assert client.post(f"/emergency/forecasts/{adjusted.pk}/publish/").status_code == 302
        again = client.post(f"/emergency/forecasts/{adjusted.pk}/publish/")
    assert again.status_code == 400
    adjusted.refresh_from_db()
    assert adjusted.status == "published" and episodes.latest_forecast(world.regions["city"], ISSUED.date())[1][2] == (
        dt.date(2020, 12, 11), 305)


def test_a_county_neither_adjusts_nor_publishes_the_citys_run(client, world, run):
    client.force_login(world.people["county_a_office"])
    with clock.as_of(NOW):
        assert client.get(f"/emergency/forecasts/{run.pk}/adjust/").status_code == 403
        assert client.post(f"/emergency/forecasts/{run.pk}/adjust/", _adjust_data(
            run, **{"2020-12-11": (305, 280, 330)})).status_code == 403
        assert client.post(f"/emergency/forecasts/{run.pk}/publish/").status_code == 403
    client.force_login(world.people["county_b_office"])
    with clock.as_of(NOW):
        own = runs.store_run(world.regions["county_a"], ISSUED, days(MODEL_AQI))
        assert client.get(f"/emergency/forecasts/{own.pk}/").status_code == 404  # another county's
        assert client.post(f"/emergency/forecasts/{own.pk}/publish/").status_code == 404
    assert ForecastRun.objects.filter(status="draft").count() == 2


OBSERVED = {dt.date(2020, 12, 8): 140, dt.date(2020, 12, 9): 160, dt.date(2020, 12, 10): 250,
            dt.date(2020, 12, 11): 190}


def test_the_verification_page_scores_the_published_forecast(client, world, run):
    city = world.regions["city"]
    edition = stored_edition("auto", dt.date(2020, 12, 31))
    DailyResult.objects.bulk_create(DailyResult(subject="region", place=city, date=d, edition=edition, aqi=a,
                                                pm25=a * 0.7, primary_pollutants="PM2.5", complete=True)
                                    for d, a in OBSERVED.items())
    runs.publish(run, world.people["city_office"])
    page = _get(client, world, "city_office", "/emergency/forecasts/verification/", month="2020-12").content.decode()
    scores = page[page.index('id="scores"'):page.index('id="worst"')]
    # lead 1: 150 (135-165) against 160, same level (3); lead 2: 210 (195-225) against 250: the range
    # spans levels 4-5, observed 5, right; lead 3: 230 (215-245) against 190: level 5 against 4, wrong
    rows = [r.split("<td>")[1:5] for r in scores.split("<tr>")[2:]]
    assert [(r[0].split("<")[0], r[2].split("<")[0]) for r in rows] == [("1", "1.00"), ("2", "1.00"), ("3", "0.00")]
    assert "3396" in page and "DB32/T 4678-2024" in page  # the rules' sources
    worst = page[page.index('id="worst"'):]
    assert "2020-12-10" in worst and "250" in worst
    assert 'id="no-verification"' in _get(client, world, "city_office", "/emergency/forecasts/verification/",
                                          month="2020-11").content.decode()
    assert _get(client, world, "city_office", "/emergency/forecasts/verification/", month="2020-13").status_code == 400


@pytest.fixture
def evaluated(world, standard):
    city, office = world.regions["city"], world.people["city_office"]
    episodes.act(city, "issue", "red", clock.parse_as_of("2020-12-08T18:00"), office, "重度污染")
    episode = episodes.act(city, "lift", "", clock.parse_as_of("2020-12-12T12:00"), office, "结束").warning
    result = {"region": "郑州市", "level": "red", "weather": ["temperature", "humidity", "wind_speed"],
              "band_level": 0.9, "window": ["2020-12-08T18:00:00+08:00", "2020-12-12T12:00:00+08:00"],
              "training": ["2019-12-09", "2020-12-31", 3000], "pollutants": {"pm25": FIGURES},
              "stations": [{"code": "S1", "name": "市监测站", "pm25": {**FIGURES, "difference": -31.2}}],
              "series": {"pm25": [{"date": f"2020-12-{d:02d}", "observed": 90.0 + d, "expected": 110.0 + d}
                                  for d in range(5, 16)]}}
    EpisodeEvaluation.objects.create(episode=episode, computed_at=clock.parse_as_of("2020-12-20T09:00"), result=result)
    return episode


SENTENCE = "红色预警期间 PM2.5 下降中约 25.6 μg/m³（24.5–26.5）可归因于减排措施。"


def test_the_evaluation_page_states_the_finding_and_its_assumptions(client, world, evaluated):
    page = _get(client, world, "city_office", f"/emergency/warning/{evaluated.pk}/evaluation/").content.decode()
    assert SENTENCE in page and "市监测站" in page and "-31.2" in page and "0.93" in page
    assumptions = page[page.index('id="assumptions"'):]
    assert "2019-12-09" in assumptions and "3000" in assumptions and "实测值（不是预报值）" in assumptions
    assert "Evaluate again" in page or "重新评估" in page
    assert 'id="inputs-changed"' not in page  # stored without a digest: nothing to compare
    url = f"/emergency/warning/{evaluated.pk}/evaluation/"
    public = _get(client, world, "public_city", url)  # a draft: not public yet
    assert public.status_code == 200 and SENTENCE not in public.content.decode()
    assert 'id="no-evaluation"' in public.content.decode()
    client.force_login(world.people["public_city"])
    assert client.post(url).status_code == 403
    stored = evaluated.evaluations.get()
    assert client.post(f"{url}{stored.pk}/publish/").status_code in (403, 404)
    client.force_login(world.people["city_office"])
    with clock.as_of("2020-12-21T09:00"):
        assert client.post(f"{url}{stored.pk}/publish/").status_code == 302
        assert client.post(f"{url}{stored.pk}/publish/").status_code == 400  # published once
    stored.refresh_from_db()
    assert stored.published and stored.published_by == world.people["city_office"]
    public = _get(client, world, "public_city", url)
    assert public.status_code == 200 and SENTENCE in public.content.decode() and "重新评估" not in public.content.decode()
    assert _get(client, world, "city_office", f"/emergency/warning/{evaluated.pk}/evaluation/",
                format="odt").status_code == 400


def test_the_word_and_pdf_documents_are_attachments_with_the_figures(client, world, evaluated):
    url = f"/emergency/warning/{evaluated.pk}/evaluation/"
    word = _get(client, world, "city_office", url, format="docx")
    assert word["Content-Disposition"].startswith("attachment;") and word["Content-Disposition"].endswith('.docx"')
    document = docx.Document(io.BytesIO(word.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert SENTENCE in text and "郑州市攻坚办" in text and "2020年12月20日" in text
    assert "-25.6" in cells and "-26.5 – -24.5" in cells and "市监测站" in cells and "-31.2" in cells
    pdf = _get(client, world, "city_office", url, format="pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf["Content-Disposition"].startswith("attachment;")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert SENTENCE.replace(" ", "") in text.replace(" ", "").replace("\n", "")
    assert "-25.6" in text and "市监测站" in text and "2019-12-09" in text

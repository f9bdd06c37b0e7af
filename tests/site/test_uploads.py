"""Every upload of the platform goes through the one validator (gongjian.core.uploads), through the
real pages: a wrong type, a disguised file, an oversized file and a zip bomb are refused with a
message naming the file, and nothing is saved; GBK tables are read; stored photos are served so
that they never run in the platform's origin; every page carries a Content-Security-Policy."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from gongjian import clock
from gongjian.air.models import AirHour, SourceLayout, Station
from gongjian.core import uploads
from gongjian.core.problems import SHOWN, InvalidInput, Problem
from gongjian.core.tabular import decode_text
from gongjian.emergency.models import Forecast, Measure
from gongjian.regions.models import Region
from gongjian.sources import verification
from gongjian.sources.monitoring import Alarm, Meter, MeterReading, NoticePhoto, VerificationNotice
from gongjian.tasks.models import CaseStep, PlanImport, ProgressReport
from tests.emergency.conftest import draft, plants, standard  # noqa: F401 (fixtures)

SCRIPT = b"<html><body><script>fetch('/api/regions/').then(r => r.text()).then(alert)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><rect width="9" height="9"/></svg>'


def png() -> bytes:
    """A real 1x1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


@cache
def zip_bomb(member: str) -> bytes:
    """A 40 KB zip of a few parts, one of which expands to 24 MB (a sheet of empty rows): the shape
    of the 1.1 MB .xlsx that expanded to 2.2 million rows."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * (4 * 1024 * 1024))
    return buffer.getvalue()


@pytest.fixture
def english(client):
    """Pages in English, so that the messages below read as the code writes them."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@dataclass
class Upload:
    """One upload of the platform: who posts it where, in which field, with what else; ``good``
    is a valid file of the kind; ``stored`` counts what it would save."""

    person: str
    url: object
    field: str
    good: tuple[str, bytes]
    stored: object
    data: object = dict
    bomb: str = ""  # the suffix of an archive the kind takes, if any


HOURLY_CSV = "站点,时间,SO2,NO2,CO,O3,PM10,PM2.5\n" + "".join(
    f"ZM01,2020-01-01 {h:02d}:00,8,30,600,40,90,50\n" for h in range(1, 25))


def _notice(world, enterprise):
    alarm = Alarm.objects.create(rule="control_off_while_producing", region=world.regions["town_a1"], subject="1号线",
                                 enterprise=enterprise,
                                 series="kw", start=dt.datetime(2020, 12, 8, 14, tzinfo=dt.UTC),
                                 end=dt.datetime(2020, 12, 8, 20, tzinfo=dt.UTC), intervals=24, evidence="x",
                                 fingerprint="upload-test")
    return verification.issue([alarm], world.organisations["town_a1"], clock.now() + dt.timedelta(days=1), "核查",
                              world.people["city_office"])


def _progress_task(world):
    from gongjian.tasks.models import Plan, Task, TaskUnit
    plan = Plan.objects.create(region=world.regions["city"], title="方案", first_year=2020, last_year=2025)
    task = Task.objects.create(plan=plan, number="1", text="任务")
    TaskUnit.objects.create(task=task, organisation=world.organisations["town_a1"], role="lead", name="韩寺镇人民政府")
    return task


UPLOADS = {
    "air hourly data": Upload(
        "county_a_office", lambda env: reverse("air:import"), "files", ("hourly.csv", HOURLY_CSV.encode()),
        lambda: AirHour.objects.count() + SourceLayout.objects.count(),
        lambda env: {"source": "县站导出", "action": "import", "hour_label": "end", "units": "co=ug/m3",
                     "columns": "station=站点\ntime=时间\nso2=SO2\nno2=NO2\nco=CO\no3=O3\npm10=PM10\npm25=PM2.5"},
        bomb=".xlsx"),
    "emergency list": Upload(
        "city_office", lambda env: reverse("emergency:import", args=[env["draft"].pk]), "file",
        ("list.csv", "预警级别,企业名称,减排措施\n橙色,甲建材有限公司,停产\n".encode()), lambda: Measure.objects.count(),
        bomb=".xlsx"),
    "forecast": Upload(
        "city_office", lambda env: reverse("emergency:forecast"), "file",
        ("forecast.csv", b"date,AQI\n2026-11-24,180\n"), lambda: Forecast.objects.count(),
        lambda env: {"region": env["world"].regions["city"].pk, "issued_on": "2026-11-24"}, bomb=".xlsx"),
    "meter readings": Upload(
        "city_bureau", lambda env: reverse("sources:readings_import"), "file",
        ("readings.csv", "表号,时间,功率\nM1,2020-12-08 12:00,800\n".encode()), lambda: MeterReading.objects.count(),
        bomb=".xlsx"),
    "plan document": Upload(
        "city_office", lambda env: reverse("tasks:import"), "file",
        ("plan.txt", "郑州市2020年大气污染防治攻坚方案\n一、重点任务\n1. 开展扬尘整治。（牵头单位：市环保局）\n".encode()),
        lambda: PlanImport.objects.count(), lambda env: {"region": env["world"].regions["city"].pk}, bomb=".docx"),
    "boundaries": Upload(
        "county_a_office", lambda env: reverse("regions:import_boundaries"), "file",
        ("zm.geojson", json.dumps({"type": "Feature", "properties": {"code": "410122"}, "geometry": {
            "type": "Polygon", "coordinates": [[[113, 34], [114, 34], [114, 35], [113, 34]]]}}).encode()),
        lambda: Region.objects.exclude(boundary=None).count(), lambda env: {"match_by": "code"}),
    "notice photos": Upload(
        "town_a1_gov", lambda env: reverse("sources:notice", args=[env["notice"].pk]), "photos",
        ("site.png", png()), lambda: NoticePhoto.objects.count() + VerificationNotice.objects.exclude(status="sent").count(),
        lambda env: {"confirmed": "no", "finding": "治污设施正常运行"}),
    "progress attachment": Upload(
        "town_a1_gov", lambda env: reverse("tasks:task", args=[env["task"].pk]), "attachment",
        ("photo.png", png()), lambda: ProgressReport.objects.count(), lambda env: {"text": "已完成", "percent": "50"},
        bomb=".docx"),
}


@pytest.fixture
def env(world, plants, draft, standard):  # noqa: F811 (fixtures)
    Station.objects.create(code="ZM01", name="中牟县站", kind="county", region=world.regions["county_a"])
    Meter.objects.create(enterprise=plants["e1"].enterprise, number="M1", name="生产", purpose="production",
                         line=plants["e1"].line1)
    return {"world": world, "draft": draft, "notice": _notice(world, plants["e1"].enterprise), "task": _progress_task(world)}


def _post(client, env, upload: Upload, name: str, body: bytes):
    client.force_login(env["world"].people[upload.person])
    return client.post(upload.url(env), {**upload.data(env), upload.field: SimpleUploadedFile(name, body)})


def _problems(response) -> str:
    return "\n".join(str(p) for p in response.context["problems"])


def test_a_valid_file_of_each_kind_is_saved(english, env):
    """The baseline the refusals below are measured against: each good file is accepted."""
    for kind, upload in UPLOADS.items():
        before = upload.stored()
        response = _post(english, env, upload, *upload.good)
        assert response.status_code in (200, 302), (kind, response.status_code)
        assert upload.stored() > before, kind


@pytest.mark.parametrize("kind", UPLOADS)
@pytest.mark.parametrize(("name", "body"), [("site.html", SCRIPT), ("site.svg", SVG)])
def test_a_wrong_type_is_refused_and_nothing_saved(english, env, kind, name, body):
    upload = UPLOADS[kind]
    before = upload.stored()
    response = _post(english, env, upload, name, body)
    assert response.status_code == 400
    assert f"{name}: files of this type are not accepted" in _problems(response)
    assert upload.stored() == before


#: A page named as a file each kind accepts.
DISGUISES = {"air hourly data": "site.xlsx", "emergency list": "site.xlsx", "forecast": "site.xls",
             "meter readings": "site.xlsx", "plan document": "site.docx", "boundaries": "site.geojson",
             "notice photos": "site.jpg", "progress attachment": "site.pdf"}


@pytest.mark.parametrize("kind", UPLOADS)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(english, env, kind):
    """The attack of the security issue: a page named as an accepted file."""
    upload = UPLOADS[kind]
    before = upload.stored()
    response = _post(english, env, upload, DISGUISES[kind], SCRIPT)
    assert response.status_code == 400
    assert f"{DISGUISES[kind]}: the content is not" in _problems(response), _problems(response)
    assert upload.stored() == before


@pytest.mark.parametrize("kind", UPLOADS)
def test_a_file_over_the_kinds_limit_is_refused_and_nothing_saved(english, env, kind):
    upload = UPLOADS[kind]
    before = upload.stored()
    with override_settings(UPLOAD_MAX_BYTES={**settings.UPLOAD_MAX_BYTES, uploads.KINDS[_kind_of(kind)].name: 16}):
        response = _post(english, env, upload, *upload.good)
    assert response.status_code == 400
    assert re.search(rf"{re.escape(upload.good[0])}: the file is [\d.]+ [KM]?B, more than the 16 B allowed",
                     _problems(response)), _problems(response)
    assert upload.stored() == before


@pytest.mark.parametrize("kind", [k for k, u in UPLOADS.items() if u.bomb])
def test_a_zip_bomb_is_refused_before_it_is_opened(english, env, kind):
    upload = UPLOADS[kind]
    member = "word/document.xml" if upload.bomb == ".docx" else "xl/workbook.xml"
    before = upload.stored()
    response = _post(english, env, upload, f"bomb{upload.bomb}", zip_bomb(member))
    assert response.status_code == 400
    assert (f"bomb{upload.bomb}: the part xl/worksheets/sheet1.xml is compressed" in _problems(response)
            and "possible zip bomb" in _problems(response)), _problems(response)
    assert upload.stored() == before


def test_an_archive_expanding_past_the_limit_is_refused(english, env):
    """The total the central directory declares, below the compression ratio of a bomb."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>" * 200)
    upload = UPLOADS["meter readings"]
    with override_settings(UPLOAD_MAX_EXPANDED_BYTES={**settings.UPLOAD_MAX_EXPANDED_BYTES, "table": 1000}):
        response = _post(english, env, upload, "big.xlsx", buffer.getvalue())
    assert "big.xlsx: the file expands to" in _problems(response) and MeterReading.objects.count() == 0


def _kind_of(name: str) -> str:
    return {"air hourly data": "hourly", "emergency list": "table", "forecast": "table", "meter readings": "table",
            "plan document": "plan", "boundaries": "boundaries", "notice photos": "photo",
            "progress attachment": "attachment"}[name]


def test_case_evidence_goes_through_the_validator(english, world):
    from gongjian.tasks import supervision
    case = supervision.open_case(world.regions["town_a1"], "扬尘", "inspection", world.people["city_office"])
    supervision.assign(case, world.organisations["town_a1"], clock.today() + dt.timedelta(days=9), "整改",
                       world.people["city_office"])
    english.force_login(world.people["town_a1_gov"])
    response = english.post(reverse("tasks:case", args=[case.pk]), {"step": "rectify", "note": "已整改",
                                                                    "evidence": SimpleUploadedFile("x.html", SCRIPT)})
    assert response.status_code == 400 and "x.html: files of this type are not accepted" in _problems(response)
    assert CaseStep.objects.filter(case=case).count() == 2  # found and assigned, not rectified


def test_every_kind_has_its_limits_in_settings():
    for kind in uploads.KINDS.values():
        assert kind.max_bytes > 0 and kind.max_expanded_bytes >= 0, kind.name


def test_upload_pages_state_the_limit_in_chinese(client, env):
    client.force_login(env["world"].people["city_office"])
    page = client.get(reverse("emergency:import", args=[env["draft"].pk])).content.decode()
    assert "每个文件不超过 10 MB" in page and 'accept=".csv,.xlsx,.xlsm,.xls"' in page


# --- reading what is accepted --------------------------------------------------------------------

def test_a_gbk_csv_is_read(english, env):
    """What Excel on a Chinese Windows saves as "CSV": GBK, which is read as GB 18030."""
    upload = UPLOADS["meter readings"]
    response = _post(english, env, upload, "gbk.csv", "表号,时间,功率\nM1,2020-12-08 12:00,800\nM1,2020-12-08 12:15,790\n"
                     .encode("gbk"))
    assert response.status_code == 200 and response.context["count"] == 2 and MeterReading.objects.count() == 2


def test_a_utf8_csv_with_byte_order_mark_is_read(english, env):
    response = _post(english, env, UPLOADS["meter readings"], "bom.csv",
                     "\ufeff表号,时间,功率\nM1,2020-12-08 12:00,800\n".encode())
    assert response.context["count"] == 1


def test_text_in_neither_encoding_names_the_byte_offset():
    with pytest.raises(InvalidInput) as caught:
        decode_text("表号,时间\n".encode() + b"M1,\xff\xfe\n", "x.csv")
    [problem] = caught.value.problems
    assert problem.source == "x.csv" and "byte 17 cannot be read" in problem.message


def test_a_reader_error_names_the_users_file_not_the_server_folder(english, env):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "not xml at all")
    response = _post(english, env, UPLOADS["meter readings"], "broken.xlsx", buffer.getvalue())
    text = _problems(response)
    assert text.startswith("broken.xlsx: cannot read") and tempfile.gettempdir() not in text, text
    assert tempfile.gettempdir() not in response.content.decode()


# --- problems are capped in one place ------------------------------------------------------------

def test_problems_are_listed_up_to_a_cap_then_counted():
    caught = InvalidInput([Problem("bad", "x.csv", row) for row in range(2, 2 + SHOWN + 300)])
    assert caught.count == SHOWN + 300 and len(caught.problems) == SHOWN + 1
    assert caught.problems[-1].message.startswith("… and 300 more problems")


def test_a_file_of_bad_rows_gives_a_short_page(english, env):
    body = "表号,时间,功率\n" + "M1,noon,1\n" * 5000
    response = _post(english, env, UPLOADS["meter readings"], "bad.csv", body.encode())
    assert len(response.context["problems"]) == SHOWN + 1 and "and 4800 more problems" in _problems(response)
    assert len(response.content) < 100_000


# --- serving stored photos -----------------------------------------------------------------------

def test_a_photo_is_served_as_the_image_its_bytes_are(english, env):
    english.force_login(env["world"].people["town_a1_gov"])
    english.post(reverse("sources:notice", args=[env["notice"].pk]),
                 {"confirmed": "no", "finding": "正常", "photos": SimpleUploadedFile("site.png", png())})
    photo = NoticePhoto.objects.get()
    english.force_login(env["world"].people["city_office"])
    response = english.get(reverse("sources:notice_photo", args=[env["notice"].pk, photo.pk]))
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == png()


@pytest.mark.parametrize(("name", "body"), [("site.html", SCRIPT), ("site.svg", SVG), ("site.jpg", SCRIPT)])
def test_a_stored_page_is_never_served_as_a_page(english, env, name, body):
    """A file stored before the validator existed (the reported site.html and site.svg) is a download."""
    notice = env["notice"]
    photo = NoticePhoto.objects.create(notice=notice, image=ContentFile(body, name=name), caption=name)
    english.force_login(env["world"].people["city_office"])
    response = english.get(reverse("sources:notice_photo", args=[notice.pk, photo.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


# --- the Content-Security-Policy -----------------------------------------------------------------

def test_every_page_has_a_content_security_policy(english, env):
    english.force_login(env["world"].people["city_office"])
    for url in ["/", "/login/", reverse("air:import"), reverse("sources:notice", args=[env["notice"].pk]),
                reverse("emergency:forecast"), reverse("tasks:import"), "/api/docs/", "/no-such-page/"]:
        policy = english.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'" and directives["object-src"] == "'none'", url


def test_templates_and_scripts_carry_no_inline_script():
    """What script-src 'self' forbids must not be what a page needs."""
    package = Path(uploads.__file__).resolve().parent.parent
    offenders = []
    for path in [*package.glob("*/templates/**/*.html"), *package.glob("site/static/gongjian/js/*.js")]:
        text = path.read_text(encoding="utf-8")
        for pattern in (r"\son[a-z]+\s*=", r"javascript:", r"<script>", r"<script(?![^>]*(src=|application/json))"):
            offenders += [f"{path.name}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert not offenders


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_run_under_the_policy_and_refuse_a_page_as_photo(world, plants, live_server, page, tmp_path):  # noqa: F811
    """In Chromium: no page breaks the policy (charts, htmx, the language switch), and the reported
    attack - site.html sent as a photo - is refused on the page."""
    from tests.browser import sign_in
    from tests.conftest import PASSWORD

    notice = _notice(world, plants["e1"].enterprise)
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(page, live_server, "town_a1_gov", PASSWORD)
    page.goto(f"{live_server.url}/sources/notices/{notice.pk}/")
    attack = tmp_path / "site.html"
    attack.write_bytes(SCRIPT)
    page.check("input[name=confirmed][value=no]")
    page.fill("textarea[name=finding]", "正常")
    page.set_input_files("input[name=photos]", str(attack))
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#problems")
    assert "site.html" in page.inner_text("#problems") and not NoticePhoto.objects.exists()
    for url in ["/", "/sources/alarms/", "/emergency/forecast/", "/api/docs/"]:
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():  # site.js, not an inline handler, submits the switch
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert not violations, violations

"""The water chapter of the weekly dispatch and the monthly bulletin: contributed by the water app
through gongjian.core.chapters (the tasks app names no app), scoped by the policy, on the page, in
Word and in Excel, and kept in a published issue's JSON as it was published."""

import datetime as dt
import io

import docx
import openpyxl
import pytest
from django.utils import translation

from gongjian.core import chapters
from gongjian.periods import Period, PeriodKind
from gongjian.tasks import bulletins
from gongjian.tasks.models import BulletinIssue
from tests.water.fixtures import MARCH, write

pytestmark = pytest.mark.django_db

MONTHLY = {"kind": "monthly", "date": "2026-03-20"}
PERIOD = Period.containing(PeriodKind.MONTH, dt.date(2026, 3, 20))


def _chapter(bulletin) -> chapters.Content:
    return next(c for c in bulletin.chapters if c.key == "water")


def test_the_water_app_declares_its_chapter_and_the_bulletin_collects_it(world, measured):
    assert "water" in chapters.CHAPTERS
    with translation.override("zh-hans"):
        chapter = _chapter(bulletins.build(world.people["city_office"], PERIOD))
    summary = dict(chapter.summary)
    # classes Ⅳ, Ⅱ, Ⅲ: 2 of 3 at Ⅲ or better (66.7 %), none worse than Ⅴ, one of two targets met (50.0 %)
    assert (summary["评价月份"], summary["断面数"], summary["Ⅰ～Ⅲ类断面比例"], summary["劣Ⅴ类断面比例"],
            summary["目标达标率"], summary["未达目标断面"]) == ("2026年3月", 3, "66.7%", "0.0%", "50.0%", 1)
    assert "陈桥（Ⅳ类，目标Ⅲ类，氨氮0.30倍）" in chapter.text
    sections_table, alarms_table = chapter.tables
    assert {r["code"]: (r["class"], r["meets"]) for r in sections_table.rows} == {
        "WS-A": ("Ⅳ类", "未达标"), "WS-B": ("Ⅱ类", "达标"), "WS-L": ("Ⅲ类", "—")}
    assert [r["kind"] for r in alarms_table.rows] == ["断面未达目标"]


def test_a_county_bulletin_holds_only_its_sections_and_an_enterprise_none(world, measured):
    chapter = _chapter(bulletins.build(world.people["county_b_office"], PERIOD))
    assert [r["code"] for r in chapter.tables[0].rows] == ["WS-B"] and chapter.tables[1].rows == []
    assert dict(chapter.summary)["目标达标率"] == "100.0%"
    assert not [c for c in bulletins.build(world.people["enterprise_e1"], PERIOD).chapters if c.key == "water"]


def test_a_weekly_dispatch_reports_the_last_month_evaluated(world, measured):
    week = Period.containing(PeriodKind.WEEK, dt.date(2026, 4, 8))
    chapter = _chapter(bulletins.build(world.people["city_office"], week))
    assert dict(chapter.summary)["评价月份"] == "2026年3月" and dict(chapter.summary)["本期水质预警"] == 0


def test_page_word_and_excel_show_the_chapter(world, measured, client):
    client.force_login(world.people["city_office"])
    page = client.get("/tasks/bulletin/", MONTHLY).content.decode()
    assert 'id="chapter-water"' in page and "水环境质量" in page and "陈桥" in page
    word = docx.Document(io.BytesIO(client.get("/tasks/bulletin/", {**MONTHLY, "format": "docx"}).content))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "五、水环境质量" in text and "（一）断面水质（2026年3月）" in text
    assert any(cell.text == "陈桥" for table in word.tables for row in table.rows for cell in row.cells)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/tasks/bulletin/", {**MONTHLY, "format": "xlsx"}).content))
    assert "水环境质量" in book.sheetnames and any(name.startswith("水环境质量-断面水质") for name in book.sheetnames)


def test_a_published_issue_keeps_the_chapter_as_published(world, measured, client, django_capture_on_commit_callbacks):
    office = world.people["city_office"]
    with translation.override("zh-hans"):
        issue = bulletins.publish(office, PERIOD)
    stored = next(c for c in issue.content["chapters"] if c["key"] == "water")
    assert {r["code"]: r["class"] for r in stored["tables"][0]["rows"]}["WS-A"] == "Ⅳ类"
    with django_capture_on_commit_callbacks(execute=True):  # a correction brings A back to class Ⅲ
        write(measured["a"], [("nh3n", MARCH, 0.9)])
    assert {r["code"]: r["class"] for r in _chapter(bulletins.build(office, PERIOD)).tables[0].rows}["WS-A"] == "Ⅲ类"
    published = _chapter(bulletins.as_published(BulletinIssue.objects.get(pk=issue.pk)))
    assert {r["code"]: r["class"] for r in published.tables[0].rows}["WS-A"] == "Ⅳ类"  # as it was published
    client.force_login(office)
    word = client.get("/tasks/bulletin/", {**MONTHLY, "format": "docx", "issue": issue.pk})
    cells = [c.text for t in docx.Document(io.BytesIO(word.content)).tables for r in t.rows for c in r.cells]
    assert "Ⅳ类" in cells


def test_an_issue_published_before_chapters_existed_reads_back_without_them(world):
    office = world.people["city_office"]
    issue = bulletins.publish(office, PERIOD)
    content = dict(issue.content)
    content.pop("chapters")
    BulletinIssue.objects.filter(pk=issue.pk).update(content=content)
    assert bulletins.as_published(BulletinIssue.objects.get(pk=issue.pk)).chapters == []

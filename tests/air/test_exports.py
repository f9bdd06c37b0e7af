"""The ranking and target-progress exports as an office opens them: Chinese headers with units,
names and not ids, the period and the day the data are as of, fitted widths, and only what the
person's page shows (read back with openpyxl)."""

import csv
import io

import openpyxl
from django.conf import settings
from django.urls import reverse


def _book(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _table(sheet) -> tuple[list, list[list]]:
    """The header row (the first bold row after the heading block) and the rows under it."""
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    top = next(i for i, row in enumerate(rows) if sheet.cell(i + 1, 1).font.bold and i > 0)
    return rows[top], rows[top + 1:]


def test_county_ranking_has_chinese_headers_names_period_and_as_of(data, world, client):
    client.force_login(world.people["city_office"])
    book = _book(client.get(reverse("air:rankings"), {"level": "county", "period": "month", "end": "2020-01-31",
                                                     "format": "xlsx"}))
    assert book.sheetnames == ["排名", "说明"]
    sheet = book["排名"]
    assert "排名" in sheet["A1"].value and "县" in sheet["A1"].value
    assert sheet["A2"].value == "统计时段：2020年1月（2020-01-01 – 2020-01-31）"
    assert sheet["A3"].value == "数据截至：2020-01-31"
    header, rows = _table(sheet)
    assert header[:5] == ["排名", "名称", "综合指数", "首要污染物", "PM2.5（μg/m³）"]
    assert "CO 第95百分位数（mg/m³）" in header and "优良天数比例（%）" in header
    assert {r[1] for r in rows} == {"中牟县", "荥阳市"}  # names, never the regions' ids
    assert not any(str(world.regions["county_a"].pk) == str(cell) for r in rows for cell in r[1:2])
    assert sheet.freeze_panes == "A8"  # the header row (7) stays in view
    assert sheet.column_dimensions["B"].width >= 8 and sheet.column_dimensions["E"].width >= 15


def test_a_county_exports_only_its_own_stations(data, world, client):
    client.force_login(world.people["county_a_office"])
    book = _book(client.get(reverse("air:rankings"), {"level": "station", "period": "month", "end": "2020-01-31",
                                                     "format": "xlsx"}))
    _header, rows = _table(book["排名"])
    assert sorted(r[1] for r in rows) == ["HS01", "ZM01"]  # XY01 is county B's


def test_ranking_csv_in_english_when_chosen(data, world, client):
    client.force_login(world.people["city_office"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("air:rankings"), {"level": "county", "period": "month", "end": "2020-01-31",
                                                    "format": "csv"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Rank", "Name", "Composite index", "Primary item", "PM2.5（μg/m³）"]
    assert {r[1] for r in rows[1:]} == {"中牟县", "荥阳市"}


def test_target_progress_export(data, world, client):
    client.force_login(world.people["county_b_office"])
    empty = _book(client.get(reverse("air:targets"), {"year": 2020, "as_of": "2020-01-31", "format": "xlsx"}))
    assert _table(empty["目标进度"])[1] == []  # county A's target is not county B's to see
    client.force_login(world.people["county_a_office"])
    book = _book(client.get(reverse("air:targets"), {"year": 2020, "as_of": "2020-01-31", "format": "xlsx"}))
    sheet = book["目标进度"]
    assert sheet["A2"].value == "统计时段：2020年（2020-01-01 – 2020-01-31）"
    assert sheet["A3"].value == "数据截至：2020-01-31"
    header, rows = _table(sheet)
    assert header[:4] == ["行政区", "目标", "单位", "目标值"]
    assert rows[0][:4] == ["中牟县", rows[0][1], "μg/m³", 50]

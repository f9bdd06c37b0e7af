"""The water exports as an office opens them (read back with openpyxl): Chinese headers, the period
and the day the data are as of, names and classes as text, and only the sections the page shows."""

import io

import openpyxl
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _book(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _table(sheet) -> tuple[list, list[list]]:
    """The header row (the first bold row after the heading block) and the rows under it."""
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    top = next(i for i, row in enumerate(rows) if sheet.cell(i + 1, 1).font.bold and i > 0)
    return rows[top], rows[top + 1:]


def test_sections_month_table_has_chinese_headers_and_text_classes(world, measured, client):
    client.force_login(world.people["city_office"])
    book = _book(client.get(reverse("water:overview"), {"period": "month", "end": "2026-03-31", "format": "xlsx"}))
    assert book.sheetnames == ["断面", "水质指标", "说明"]
    sheet = book["断面"]
    assert sheet["A1"].value == "地表水断面水质"
    assert sheet["A2"].value == "统计时段：2026年3月（2026-03-01 – 2026-03-31）"
    assert sheet["A3"].value.startswith("数据截至：2026-03-10")
    header, rows = _table(sheet)
    assert header[:10] == ["断面编码", "断面名称", "河流（水体）", "水体类型", "控制级别", "责任地区", "水质类别",
                           "水质状况", "目标类别", "是否达标"]
    assert "超标项目（超标倍数）" in header
    by_code = {r[0]: r for r in rows}
    assert set(by_code) == {"WS-A", "WS-B", "WS-L"}
    a = by_code["WS-A"]
    assert (a[1], a[5], a[6], a[7], a[8], a[9], a[10]) == ("陈桥", "中牟县", "Ⅳ", "轻度污染", "Ⅲ", "否", "氨氮 0.30倍")
    assert all(isinstance(cell, str) for cell in a[:11])  # text cells, as offices file them
    _, rates = _table(book["水质指标"])
    assert dict((r[0], r[1]) for r in rates)["Ⅰ～Ⅲ类断面比例（%）"] == "66.7"


def test_a_county_exports_only_its_sections(world, measured, client):
    client.force_login(world.people["county_a_office"])
    book = _book(client.get(reverse("water:overview"), {"period": "month", "end": "2026-03-31", "format": "xlsx"}))
    _, rows = _table(book["断面"])
    assert sorted(r[0] for r in rows) == ["WS-A", "WS-L"]


def test_ranking_export_names_counties_with_percent_headers(world, measured, client):
    client.force_login(world.people["city_office"])
    book = _book(client.get(reverse("water:ranking"), {"year": 2026, "format": "xlsx"}))
    sheet = book["排名"]
    assert "2026" in sheet["A1"].value and "断面" in sheet["A1"].value
    header, rows = _table(sheet)
    assert header[:5] == ["排名", "县（市、区）", "断面数", "有监测数据断面", "目标达标率（%）"]
    assert [(r[0], r[1]) for r in rows] == [(1, "荥阳市"), (2, "中牟县")]


def test_csv_export_of_the_month(world, measured, client):
    client.force_login(world.people["city_office"])
    response = client.get(reverse("water:overview"), {"period": "month", "end": "2026-03-31", "format": "csv"})
    assert response.status_code == 200 and "断面编码" in response.content.decode("utf-8-sig")

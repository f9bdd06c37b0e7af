"""The one report writer (gongjian.core.exports): what an office opens is a titled, dated document
with named columns, fitted widths, a frozen header and text kept as text; read back with openpyxl."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.utils import translation

from gongjian import clock
from gongjian.core.exports import Column, Report, Table, report_csv, report_workbook

AS_OF = clock.attach(dt.datetime(2020, 12, 31, 23, 0))


def _report(rows) -> Report:
    columns = [Column("name", "名称"), Column("pm25", "PM2.5", "μg/m³", note="年均浓度"), Column("day", "日期")]
    return Report("郑州市各县（市、区）排名", [Table("排名", columns, rows)], period="2020年（2020-01-01 – 2020-12-31）",
                  as_of=AS_OF, scope="郑州市攻坚办", notes=["按综合指数排名"])


ROWS = [{"name": "=HYPERLINK(\"http://evil\",\"点我\")", "pm25": 47, "day": dt.date(2020, 12, 31)},
        {"name": "中牟县生态环境分局和一个很长的名称", "pm25": None, "day": dt.date(2020, 12, 30)}]


@pytest.fixture
def book():
    with translation.override("zh-hans"):
        return openpyxl.load_workbook(io.BytesIO(report_workbook(_report(ROWS))))


def test_heading_block_header_and_sheets(book):
    assert book.sheetnames == ["排名", "说明"]
    sheet = book["排名"]
    assert sheet["A1"].value == "郑州市各县（市、区）排名"
    heading = [sheet.cell(row, 1).value for row in range(2, 6)]
    assert heading[:3] == ["统计时段：2020年（2020-01-01 – 2020-12-31）", "数据截至：2020-12-31 23:00", "范围：郑州市攻坚办"]
    assert heading[3].startswith("导出时间：")
    header = [c.value for c in sheet[7]]
    assert header == ["名称", "PM2.5（μg/m³）", "日期"]
    assert sheet.freeze_panes == "A8"
    assert sheet.auto_filter.ref == "A7:C9"


def test_text_stays_text_numbers_stay_numbers_and_no_data_is_blank(book):
    sheet = book["排名"]
    name, pm25, day = sheet[8]
    assert name.data_type == "s" and name.value.startswith("=HYPERLINK")  # a string, not a formula
    assert pm25.value == 47 and pm25.data_type == "n"
    assert day.value == dt.datetime(2020, 12, 31) and day.number_format == "yyyy-mm-dd"
    assert sheet["B9"].value is None  # no data is a blank cell, never 0


def test_widths_fit_the_content_counting_chinese_twice(book):
    sheet = book["排名"]
    long_name = "中牟县生态环境分局和一个很长的名称"
    assert sheet.column_dimensions["A"].width == pytest.approx(2 * len(long_name) + 2, abs=1)
    assert 6 <= sheet.column_dimensions["C"].width < 20


def test_notes_sheet_says_what_a_blank_means_and_what_columns_are(book):
    notes = [(r[0].value, r[1].value) for r in book["说明"].iter_rows(min_row=3)]
    assert ("数据截至", "2020-12-31 23:00") in notes
    assert ("", "空白单元格表示无数据，不是零。") in notes
    assert ("PM2.5（μg/m³）", "年均浓度") in notes and ("", "按综合指数排名") in notes


def test_english_when_chosen():
    with translation.override("en"):
        book = openpyxl.load_workbook(io.BytesIO(report_workbook(_report(ROWS))))
    assert book.sheetnames[-1] == "Notes"
    assert book["排名"]["A3"].value == "Data as of：2020-12-31 23:00"


def test_csv_is_the_table_with_a_bom_and_defused_formulas():
    body = report_csv(_report(ROWS))
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["名称", "PM2.5（μg/m³）", "日期"]
    assert rows[1] == ["'=HYPERLINK(\"http://evil\",\"点我\")", "47", "2020-12-31"]
    assert rows[2][1] == ""

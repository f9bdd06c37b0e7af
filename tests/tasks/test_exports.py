"""The task ledger's export as an office opens it: Chinese headers, units by name, the moment it
is as of, and only the tasks the person's ledger shows (read back with openpyxl)."""

import csv
import io

import openpyxl
import pytest

from gongjian.tasks import importing
from tests.tasks.test_ledger import PLAN


@pytest.fixture
def ledger(world):
    office = world.people["city_office"]
    return importing.adopt(importing.propose(PLAN, "plan.txt", world.regions["city"], office), office)


def _rows(response) -> tuple[list, list[list]]:
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["任务台账"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    top = next(i for i, row in enumerate(rows) if row[0] == "编号")
    return rows[top], rows[top + 1:]


def test_ledger_export_names_units_and_is_scoped(world, ledger, client):
    client.force_login(world.people["city_office"])
    response = client.get("/tasks/", {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["任务台账"]
    assert sheet["A1"].value == "任务台账" and sheet["A2"].value.startswith("数据截至：")
    header, rows = _rows(response)
    assert header[:5] == ["编号", "方案", "所属方案", "任务", "牵头单位"] and "完成比例（%）" in header
    assert [r[0] for r in rows] == ["1", "2", "3"]
    assert rows[1][4] == str(world.organisations["transport"])  # a unit by its name
    assert sheet.column_dimensions["D"].width > 20
    client.force_login(world.people["department"])  # the transport bureau sees its own task only
    assert [r[0] for r in _rows(client.get("/tasks/", {"format": "xlsx"}))[1]] == ["2"]


def test_ledger_csv_keeps_the_filter(world, ledger, client):
    client.force_login(world.people["city_office"])
    response = client.get("/tasks/", {"format": "csv", "status": "open"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "编号" and len(rows) == 4
    assert client.get("/tasks/", {"format": "pdf"}).status_code == 400

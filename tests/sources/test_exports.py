"""The alarms export and a registry's export as an office opens them: Chinese headers, the source
and region by name, and only what the person's page shows (read back with openpyxl)."""

import datetime as dt
import io

import openpyxl

from gongjian.sources.monitoring import Alarm
from tests.sources.test_monitoring import BJ


def _alarm(world, plants, key, town):
    return Alarm.objects.create(rule="control_off_while_producing", region=world.regions[town],
                                enterprise=plants[key].enterprise, subject=f"{key}的1号线", series="kw",
                                start=dt.datetime(2020, 12, 8, 14, tzinfo=BJ), end=dt.datetime(2020, 12, 8, 20, tzinfo=BJ),
                                intervals=24, peak=900, threshold=0.5, evidence="-", fingerprint=f"x|{key}")


def _table(response, sheet_name: str) -> tuple[list, list[list]]:
    assert response.status_code == 200, response.content[:300]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))[sheet_name]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    top = next(i for i in range(1, len(rows)) if sheet.cell(i + 1, 1).font.bold)
    return rows[top], rows[top + 1:]


def test_alarms_export_in_chinese_with_names_and_scoped(world, plants, client):
    _alarm(world, plants, "e1", "town_a1")
    _alarm(world, plants, "e2", "town_b1")
    client.force_login(world.people["city_office"])
    header, rows = _table(client.get("/sources/alarms/", {"status": "all", "format": "xlsx"}), "告警")
    assert header[:4] == ["规则", "行政区", "污染源", "对象"]
    assert {r[1] for r in rows} == {world.regions["town_a1"].name, world.regions["town_b1"].name}
    assert rows[0][4] == dt.datetime(2020, 12, 8, 14)  # Beijing time, as the page shows it
    client.force_login(world.people["county_a_office"])
    _header, rows = _table(client.get("/sources/alarms/", {"status": "all", "format": "xlsx"}), "告警")
    assert [r[3] for r in rows] == ["e1的1号线"]
    assert rows[0][2] == str(plants["e1"].enterprise)


def test_a_registry_export_honours_the_policy(world, plants, client):
    client.force_login(world.people["county_b_office"])
    response = client.get("/sources/enterprise/", {"format": "xlsx"})
    header, rows = _table(response, openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames[0])
    assert len(rows) == 1 and str(plants["e2"].enterprise) in rows[0]
    assert all(isinstance(h, str) and not h.isascii() for h in header)  # every header in Chinese


def test_a_registry_export_masks_secrets_as_the_pages_do(world, plants, client):
    """The device's HJ 212 password is a form field the export carries: masked, as on the pages."""
    from gongjian.sources.models import MonitoringDevice

    MonitoringDevice.objects.create(mn="41010000000000000000001", password="s3cr3t", kind="stack", unit=plants["e1"].kiln,
                                    region=world.regions["town_a1"])
    client.force_login(world.people["city_office"])
    book = openpyxl.load_workbook(io.BytesIO(client.get("/sources/monitoringdevice/", {"format": "xlsx"}).content))
    cells = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row]
    assert "41010000000000000000001" in cells and not any("s3cr3t" in c for c in cells)
    text = client.get("/sources/monitoringdevice/", {"format": "csv"}).content.decode("utf-8-sig")
    assert "41010000000000000000001" in text and "s3cr3t" not in text

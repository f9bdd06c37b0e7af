"""Import in the browser: preview lists every problem and saves nothing; a clean preview imports."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongjian.air.models import AirHour, SourceLayout, Station

GOOD = "站点,时间,SO2,NO2,CO,O3,PM10,PM2.5\n" + "".join(
    f"ZM01,2020-01-01 {h:02d}:00,{8 + h % 5},{30 + h % 7},{600 + 100 * (h % 3)},{40 + h % 9},{90 + h % 11},{50 + h % 4}\n"
    for h in range(1, 25))
MAPPING = "station=站点\ntime=时间\nso2=SO2\nno2=NO2\nco=CO\no3=O3\npm10=PM10\npm25=PM2.5"


def _post(client, data, files=None):
    payload = {"source": "县站导出", "columns": MAPPING, "units": "co=ug/m3", "hour_label": "end", **data}
    if files:
        payload["files"] = [SimpleUploadedFile(name, body.encode("utf-8")) for name, body in files]
    return client.post(reverse("air:import"), payload)


def test_preview_then_import(world, client):
    Station.objects.create(code="ZM01", name="中牟县站", kind="county", region=world.regions["county_a"])
    client.force_login(world.people["county_a_office"])
    preview = _post(client, {"action": "preview"}, [("a.csv", GOOD)])
    page = preview.content.decode()
    assert 'id="confirm-import"' in page and not AirHour.objects.exists() and not SourceLayout.objects.exists()
    token = preview.context["form"].initial["token"]
    done = _post(client, {"action": "import", "token": token})
    assert done.context["saved"] and AirHour.objects.count() == 24
    assert SourceLayout.objects.get().units == {"co": "ug/m3"}  # remembered once it worked
    again = client.post(reverse("air:import"), {"source": "县站导出", "action": "preview",
                                                "files": [SimpleUploadedFile("b.csv", GOOD.encode())]})
    assert again.context["result"].unchanged == 24  # the remembered layout reads the same file


def test_every_problem_is_listed_and_nothing_saved(world, client):
    Station.objects.create(code="ZM01", name="中牟县站", kind="county", region=world.regions["county_a"])
    client.force_login(world.people["county_a_office"])
    bad = GOOD.replace(",50\n", ",abc\n", 1).replace("ZM01,2020-01-01 05:00", "XX99,2020-01-01 05:00")
    response = _post(client, {"action": "preview"}, [("bad.csv", bad)])
    problems = {(p.row, p.field): p.message for p in response.context["problems"]}
    # both kinds in one pass: the value of row 5 (hour 04:00) and the unknown station of row 6
    assert problems.keys() == {(5, "PM2.5"), (6, "站点")}
    assert "unknown station 'XX99'" in problems[(6, "站点")]
    assert not AirHour.objects.exists()
    assert 'id="problems"' in response.content.decode()


def test_only_editors_import(world, client):
    client.force_login(world.people["town_a1_gov"])
    assert client.get(reverse("air:import")).status_code == 403

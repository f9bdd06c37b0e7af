"""The UI shell: sign-in and throttling, language, generic registry pages, edits and history."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from gongjian.air.models import AirQualityTarget
from gongjian.core.registry import version_of
from tests.conftest import PASSWORD

SRC = Path(__file__).resolve().parents[2] / "src" / "gongjian"


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_login_and_home_in_chinese_by_default(world, client):
    response = client.post(reverse("login"), {"username": "county_a_office", "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in page
    assert "空气质量" in page and "行政区" in page  # the navigation, translated


def test_english_is_available(world, client):
    client.force_login(world.people["city_office"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in page and "Air quality" in page


def test_login_is_throttled(world, client):
    for _ in range(5):
        client.post(reverse("login"), {"username": "county_a_office", "password": "wrong-password"})
    locked = client.post(reverse("login"), {"username": "county_a_office", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_list_search(world, client):
    client.force_login(world.people["city_office"])
    page = client.get(reverse("regions:organisation_list"), {"q": "环保"}).content.decode()
    assert "郑州市生态环境局" in page  # found through its alias 市环保局
    assert "交通运输局" not in page


def test_list_search_text_is_trimmed_and_a_bad_page_is_the_first(world, client):
    client.force_login(world.people["city_office"])
    page = client.get(reverse("regions:organisation_list"), {"q": "  环保 ", "page": "abc"})
    assert page.status_code == 200
    assert "郑州市生态环境局" in page.content.decode() and "交通运输局" not in page.content.decode()


def test_edit_inside_jurisdiction_records_history(world, client):
    target = AirQualityTarget.objects.create(region=world.regions["county_a"], year=2021, metric="pm25_mean", value=50)
    client.force_login(world.people["county_a_office"])
    url = reverse("air:airqualitytarget_edit", args=[target.pk])
    form = {"region": target.region_id, "year": 2021, "metric": "pm25_mean", "value": "47.5", "source": "县方案", "note": "",
            "_version": version_of(target)}
    assert client.post(url, form).status_code == 302
    target.refresh_from_db()
    assert str(target.value) == "47.50"
    history = client.get(reverse("air:airqualitytarget_history", args=[target.pk])).content.decode()
    assert "county_a_office" in history
    assert re.search(r"50(\.00)?</td><td>47\.50", history), "before and after values shown"


def test_edit_refuses_a_region_outside_jurisdiction(world, client):
    client.force_login(world.people["county_a_office"])
    form = {"region": world.regions["county_b"].pk, "year": 2021, "metric": "pm25_mean", "value": "40"}
    response = client.post(reverse("air:airqualitytarget_add"), form)
    assert response.status_code == 200  # the form again, with an error
    assert not AirQualityTarget.objects.exists()


def test_form_shows_model_validation_errors(world, client):
    client.force_login(world.people["city_office"])
    form = {"organisation": world.organisations["city"].pk, "alias": "郑州市交通运输局"}
    page = client.post(reverse("regions:organisationalias_add"), form).content.decode()
    assert "errorlist" in page


@pytest.mark.parametrize("username", ["town_a1_gov", "enterprise_e1", "public_city"])
def test_non_editors_get_no_forms(world, client, username):
    client.force_login(world.people[username])
    assert client.get(reverse("air:airqualitytarget_add")).status_code == 403


def test_boundary_upload_lists_problems(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.people["county_a_office"])
    upload = SimpleUploadedFile("b.geojson", b'{"type": "Feature", "properties": {"code": "410182"}, '
                                b'"geometry": {"type": "Polygon", "coordinates": [[[113,34],[114,34],[114,35],[113,34]]]}}')
    page = client.post(reverse("regions:import_boundaries"), {"file": upload, "match_by": "code"}).content.decode()
    assert "荥阳市" in page and "b.geojson" in page  # outside the county's jurisdiction
    world.regions["county_b"].refresh_from_db()
    assert world.regions["county_b"].boundary is None


def test_resolve_page(world, client):
    client.force_login(world.people["city_office"])
    page = client.get(reverse("regions:resolve"), {"name": "市环保局", "context": world.regions["city"].pk})
    assert "郑州市生态环境局" in page.content.decode()


def test_no_asset_is_loaded_from_the_internet():
    offenders = []
    for path in list(SRC.rglob("*.html")) + list(SRC.rglob("*.css")):
        if re.search(r"(src|href)=[\"']https?://|url\(https?://|@import\s+url\(https?", path.read_text(encoding="utf-8")):
            offenders.append(str(path))
    assert not offenders


def test_healthz(db, client):
    assert client.get(reverse("healthz")).json()["status"] == "ok"


def test_a_stale_save_is_refused_with_what_changed_meanwhile(world, client):
    """The lost update: two people opened the same record; the second save silently overwrote the
    first. Now the form carries the version it was read at and a stale save changes nothing (409)."""
    target = AirQualityTarget.objects.create(region=world.regions["county_a"], year=2021, metric="pm25_mean", value=50)
    url = reverse("air:airqualitytarget_edit", args=[target.pk])
    form = {"region": target.region_id, "year": 2021, "metric": "pm25_mean", "source": "县方案", "note": ""}
    read_at = version_of(target)
    client.force_login(world.people["city_office"])
    assert client.post(url, {**form, "value": "48", "_version": read_at}).status_code == 302
    client.force_login(world.people["county_a_office"])
    stale = client.post(url, {**form, "value": "45", "_version": read_at})
    page = stale.content.decode()
    assert stale.status_code == 409 and 'id="conflict"' in page and "city_office" in page and "48" in page
    target.refresh_from_db()
    assert str(target.value) == "48.00"
    assert client.post(url, {**form, "value": "45"}).status_code == 409  # no version at all is stale too


def test_a_device_password_is_masked_in_history_and_shown_to_editors_on_demand(world, client):
    """The HJ 212 password leaked to the monitored enterprise through the device's history page."""
    from gongjian.sources.models import EmissionUnit, Enterprise, MonitoringDevice

    enterprise = Enterprise.objects.create(organisation=world.organisations["e1"], industry="cement",
                                           performance_class="C")
    unit = EmissionUnit.objects.create(enterprise=enterprise, name="窑尾")
    device = MonitoringDevice.objects.create(mn="41010000000000000000001", password="s3cr3t", kind="stack", unit=unit,
                                             region=world.regions["town_a1"])
    device.password = "n3wpw9"
    device.save()
    for username in ("enterprise_e1", "city_office"):
        client.force_login(world.people[username])
        for name in ("detail", "history"):
            page = client.get(reverse(f"sources:monitoringdevice_{name}", args=[device.pk])).content.decode()
            assert "s3cr3t" not in page and "n3wpw9" not in page, (username, name)
        assert "n3wpw9" not in client.get(reverse("sources:monitoringdevice_list")).content.decode()
    edit = reverse("sources:monitoringdevice_edit", args=[device.pk])
    assert "n3wpw9" not in client.get(edit).content.decode()
    assert "n3wpw9" in client.get(edit, {"reveal": "1"}).content.decode()  # an editor, on demand
    client.force_login(world.people["enterprise_e1"])
    assert client.get(edit, {"reveal": "1"}).status_code == 403
    client.force_login(world.people["city_office"])  # a blank password keeps the stored one
    data = {"mn": device.mn, "password": "", "kind": "stack", "edition": device.edition, "interval": device.interval,
            "region": device.region_id, "unit": unit.pk, "active": "on", "_version": version_of(device)}
    assert client.post(edit, data).status_code == 302
    device.refresh_from_db()
    assert device.password == "n3wpw9"


def test_each_demo_account_has_its_own_password_and_none_opens_the_administrator(world):
    """The demo accounts shared the administrator's password: the public account signed in as superuser."""
    from gongjian.regions.models import Person
    from gongjian.site.management.commands.setup import issue_credentials

    people = [world.people["enterprise_e1"], world.people["public_city"]]
    admin_password, passwords = issue_credentials(people)
    assert len({admin_password, *passwords.values()}) == 3
    admin = Person.objects.get(username="admin")
    for person in people:
        person.refresh_from_db()
        assert person.check_password(passwords[person.pk]) and not admin.check_password(passwords[person.pk])
    assert admin.is_superuser and admin.check_password(admin_password)


def test_people_change_their_own_password(world, client):
    client.force_login(world.people["town_a1_gov"])
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and "修改密码" in page.content.decode()
    done = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": "a-new-long-pass-7",
                                                    "new_password2": "a-new-long-pass-7"})
    assert done.status_code == 302
    world.people["town_a1_gov"].refresh_from_db()
    assert world.people["town_a1_gov"].check_password("a-new-long-pass-7")

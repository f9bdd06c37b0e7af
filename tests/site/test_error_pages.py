"""Errors answer with the platform's own pages, in Chinese, with a way back (issue 14); the API keeps
JSON but words it in Chinese too. The test client goes through Django's handlers as production does
(``DEBUG`` is off in the tests, asserted below)."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import bad_request, server_error
from rest_framework.test import APIClient

from gongjian.core.api import Conflict


def test_debug_is_off():
    assert settings.DEBUG is False


def test_404_is_ours_in_chinese_with_a_way_home(world, client):
    client.force_login(world.people["county_a_office"])
    for url in ("/no-such-page/", reverse("air:region", args=[world.regions["county_b"].pk])):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 404
        assert "页面不存在" in page and "返回首页" in page and 'class="topbar"' in page  # the base layout


def test_403_says_who_may_and_who_you_are(world, client):
    client.force_login(world.people["public_city"])
    page = client.get(reverse("tasks:scorecard")).content.decode()
    assert "没有权限" in page and "企业和公众评议人员不能查看" in page
    assert "公众" in page.split("您当前以", 1)[1]  # the person's role, named
    assert 'href="/"' in page
    client.force_login(world.people["department"])
    response = client.get(reverse("tasks:import"))
    assert response.status_code == 403 and "只有攻坚办和生态环境局可以修改" in response.content.decode()


def test_bad_parameter_page_has_the_way_back(world, client):
    client.force_login(world.people["city_office"])
    response = client.get(reverse("air:rankings"), {"level": "planet"})
    assert response.status_code == 400 and "返回首页" in response.content.decode()


def test_400_through_the_handler(client):
    response = client.get("/", HTTP_HOST="not-an-allowed-host.example")
    assert response.status_code == 400 and "请求有误" in response.content.decode()
    with translation.override("zh-hans"):
        assert "返回首页" in bad_request(RequestFactory().get("/"), SuspiciousOperation()).content.decode()


def test_500_needs_no_database_nor_context():
    """No ``db`` fixture: any query while the page renders would fail this test."""
    with translation.override("zh-hans"):
        response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500 and "服务器错误" in page and 'href="/"' in page


def test_api_errors_stay_json_in_chinese(world):
    api = APIClient()
    api.force_authenticate(world.people["public_city"])
    missing = api.get(reverse("regions-detail", args=[world.regions["county_a"].pk + 1000]))
    assert missing.status_code == 404 and missing.json() == {"detail": "未找到：没有您可以查看的这条记录。"}
    refused = api.post(reverse("regions-list"), {"name": "x"}, format="json")
    assert refused.status_code == 403 and refused.json() == {"detail": "只有攻坚办和生态环境局可以修改，且只能在本辖区内。"}
    with translation.override("zh-hans"):
        assert str(Conflict().detail) == "不能删除该记录：有其他记录依赖它。"

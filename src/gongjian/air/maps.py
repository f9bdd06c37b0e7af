"""A station map as inline SVG: no tiles and no map library, so it works on intranets without
internet; region outlines are drawn when a user has imported their boundaries."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join, mark_safe

WIDTH, HEIGHT, MARGIN = 760, 460, 24


def _projector(points: list[tuple[float, float]]):
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    span = max(east - west, (north - south) * WIDTH / HEIGHT, 0.01)
    scale = (WIDTH - 2 * MARGIN) / span

    def project(lon: float, lat: float) -> tuple[float, float]:
        return MARGIN + (lon - west) * scale, MARGIN + (north - lat) * scale

    return project


def station_map(stations: list[dict], outlines: list[dict] | None = None) -> str:
    """``stations``: dicts with ``lon, lat, name, code, aqi, colour, url``; ``outlines``: GeoJSON geometries."""
    located = [s for s in stations if s["lon"] is not None and s["lat"] is not None]
    if not located:
        return ""
    project = _projector([(s["lon"], s["lat"]) for s in located])
    paths = []
    for geometry in outlines or []:
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for polygon in polygons:
            for ring in polygon:
                d = "M" + "L".join("{:.1f},{:.1f}".format(*project(lon, lat)) for lon, lat, *_ in ring) + "Z"
                paths.append((d,))
    outline_svg = format_html_join("", '<path d="{}" class="outline"/>', paths)
    dots = format_html_join(
        "", '<a href="{}"><circle cx="{}" cy="{}" r="9" fill="{}" class="station"><title>{} {} AQI {}</title>'
            '</circle></a>',
        ((s["url"], *(f"{c:.1f}" for c in project(s["lon"], s["lat"])), s["colour"] or "#bbb", s["name"], s["code"],
          s["aqi"] or "—") for s in located))
    return format_html('<svg class="map" viewBox="0 0 {} {}" role="img">{}{}</svg>', WIDTH, HEIGHT, outline_svg,
                       mark_safe(dots))

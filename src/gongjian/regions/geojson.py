"""Checking region boundaries given as GeoJSON (RFC 7946) before they are stored.

Boundaries come from files users import (exports of a GIS or of the statistics
bureau's maps). Only polygonal geometry in WGS 84 longitude/latitude is accepted; each
problem names the feature and what is wrong, and a file with any problem is refused whole.
"""

from __future__ import annotations

import json
import math
from typing import Any

from gongjian.core.problems import InvalidInput, Problem

__all__ = ["read_features"]

POLYGONAL = ("Polygon", "MultiPolygon")


def _ring_problem(ring: Any) -> str | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return "a linear ring needs at least 4 positions"
    for position in ring:
        if (not isinstance(position, list) or len(position) < 2
                or not all(isinstance(c, (int, float)) and not isinstance(c, bool) and math.isfinite(c) for c in position[:2])):
            return f"position {position!r} is not [longitude, latitude]"
        lon, lat = position[0], position[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return f"position {position!r} is outside longitude -180..180 / latitude -90..90"
    if ring[0][:2] != ring[-1][:2]:
        return "a linear ring must end where it starts"
    return None


def geometry_problem(geometry: Any) -> str | None:
    """Why ``geometry`` is not a valid Polygon or MultiPolygon, or ``None``."""
    if not isinstance(geometry, dict):
        return "geometry is missing"
    kind = geometry.get("type")
    if kind not in POLYGONAL:
        return f"geometry type {kind!r} is not Polygon or MultiPolygon"
    coords = geometry.get("coordinates")
    polygons = [coords] if kind == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        return "coordinates are missing"
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return "a polygon needs at least one ring"
        for ring in polygon:
            if problem := _ring_problem(ring):
                return problem
    return None


def read_features(data: bytes | str, source: str = "") -> list[dict[str, Any]]:
    """The features of a GeoJSON Feature or FeatureCollection, all checked.

    Raises :class:`InvalidInput` listing every bad feature (row = feature index, 1-based).
    """
    try:
        doc = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput([Problem(f"not valid JSON: {exc}", source)]) from exc
    if not isinstance(doc, dict) or doc.get("type") not in ("Feature", "FeatureCollection"):
        raise InvalidInput([Problem("not a GeoJSON Feature or FeatureCollection", source)])
    features = [doc] if doc["type"] == "Feature" else doc.get("features")
    if not isinstance(features, list) or not features:
        raise InvalidInput([Problem("the FeatureCollection has no features", source)])
    problems = []
    for index, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(Problem("not a GeoJSON Feature", source, index))
        elif problem := geometry_problem(feature.get("geometry")):
            problems.append(Problem(problem, source, index, "geometry"))
        elif not isinstance(feature.get("properties"), dict):
            problems.append(Problem("properties are missing", source, index, "properties"))
    if problems:
        raise InvalidInput(problems)
    return features

"""Whose sections a water page or API answer sums up, for a person."""

from __future__ import annotations

from gongjian.regions.models import Region, RegionLevel

__all__ = ["place_of", "ranking_region"]


def place_of(user) -> Region | None:
    """The person's jurisdiction; an administrator's (none), the top of the tree."""
    return user.jurisdiction if user.jurisdiction_id else Region.get_first_root_node()


def ranking_region(user) -> Region | None:
    """The region whose counties a county ranking shown to ``user`` ranks: their own region above the
    county level (a city office: its city), else the nearest one above (a county or a town: its city,
    as rankings are published among the units ranked, :func:`gongjian.regions.policy.visible_for_ranking`)."""
    place = place_of(user)
    if place is None or place.level < RegionLevel.COUNTY:
        return place
    above = [r for r in place.ancestors_and_self() if r.level < RegionLevel.COUNTY]
    return above[-1] if above else place

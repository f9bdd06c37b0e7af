"""The registry pages of this app: declarations only (see gongjian.core.registry)."""

from gongjian.core.registry import Entry, register

from .models import Organisation, OrganisationAlias, Person, Region, RegionGroup

ENTRIES = [
    register(Entry(Region, ["tree_label", "code", "level", "kind"], ["name", "code"], section="regions",
                   ordering=["path"])),
    register(Entry(RegionGroup, ["name", "slug", "description"], ["name", "slug"], section="regions")),
    register(Entry(Organisation, ["name", "kind", "region"], ["name", "aliases__alias"],
                   ["name", "kind", "region", "parent", "credit_code"], section="regions",
                   select_related=["region"])),
    register(Entry(OrganisationAlias, ["alias", "organisation"], ["alias", "organisation__name"],
                   ["organisation", "alias"], section="regions", select_related=["organisation"])),
    register(Entry(Person, ["username", "last_name", "first_name", "role", "jurisdiction", "organisation"],
                   ["username", "last_name", "first_name"], section="regions",
                   select_related=["jurisdiction", "organisation"])),
]

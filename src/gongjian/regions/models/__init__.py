from .organisation import Organisation, OrganisationAlias, OrganisationKind
from .person import Person, Role
from .region import Region, RegionGroup, RegionLevel

__all__ = [
    "Organisation",
    "OrganisationAlias",
    "OrganisationKind",
    "Person",
    "Region",
    "RegionGroup",
    "RegionLevel",
    "Role",
]

from .organisation import Organisation, OrganisationAlias, OrganisationKind
from .person import Person, Role
from .region import Region, RegionGroup, RegionLevel
from .token import ApiToken

__all__ = [
    "ApiToken",
    "Organisation",
    "OrganisationAlias",
    "OrganisationKind",
    "Person",
    "Region",
    "RegionGroup",
    "RegionLevel",
    "Role",
]

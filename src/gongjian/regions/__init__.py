"""Administrative regions, region groups, organisations (with name aliases) and people
with their roles and jurisdictions, and the one access policy built on them."""

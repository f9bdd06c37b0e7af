"""The shared machinery every domain app builds on: the registry base model and pages, the API base,
the back-office base, scope declarations, the write check, masking, uploads, exports, import problems,
periods, series and the app declaration. It imports no domain app: the access policy is reached
through :mod:`gongjian.core.access`."""

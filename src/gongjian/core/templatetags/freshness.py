"""How old a page's data are, said the same way on every page (:mod:`gongjian.core.freshness`).

``{% freshness "air.hourly" latest %}`` writes the page's line, "数据截至 2020-12-31 23:00，30 分钟前",
and a warning banner when the data are older than the kind's threshold; ``label`` names other data
(``{% freshness "forecast" issued label=_("Forecast issued") %}``). ``{% freshness_short kind newest %}``
is the same judgement for a table row: the age, marked when stale."""

from django import template

from gongjian.core.freshness import freshness as judge

register = template.Library()


@register.inclusion_tag("core/_freshness.html")
def freshness(kind: str, newest, label: str = ""):
    return {"f": judge(kind, newest), "label": label, "short": False}


@register.inclusion_tag("core/_freshness.html")
def freshness_short(kind: str, newest):
    return {"f": judge(kind, newest), "short": True}

"""The registry pages of this app: declarations only (see gongjian.core.registry)."""

from django.utils.translation import gettext_lazy as _

from gongjian.core.registry import Entry, register, register_page

from .models import AccountabilityRule, Indicator, Plan

ENTRIES = [
    register(Entry(Plan, ["title", "number", "region", "issued", "first_year", "last_year"], ["title", "number"],
                   ["region", "title", "number", "issuer", "issued", "first_year", "last_year"], section="tasks",
                   select_related=["region"])),
    register(Entry(Indicator, ["plan", "group", "name", "baseline", "target", "kind", "external"],
                   ["name", "group"], ["plan", "group", "name", "unit", "coverage", "baseline_year", "baseline",
                                       "target_year", "target", "yearly_targets", "kind", "external", "cumulative"],
                   section="tasks", select_related=["plan"])),
    register(Entry(AccountabilityRule, ["region", "name", "kind", "consequence", "months", "bottom", "active"],
                   ["name"], ["region", "name", "kind", "consequence", "months", "bottom", "margin", "metric", "active"],
                   section="tasks", select_related=["region"])),
]

for label, url_name in ((_("Task ledger"), "tasks:ledger"), (_("Overdue and due soon"), "tasks:due"),
                        (_("Supervision cases"), "tasks:cases"), (_("Scorecards"), "tasks:scorecard"),
                        (_("Bulletins"), "tasks:bulletin"),
                        (_("Import a plan"), "tasks:import")):
    register_page("tasks", label, url_name)

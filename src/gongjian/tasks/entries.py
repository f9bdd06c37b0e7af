"""The registry pages of this app: declarations only (see gongjian.core.registry)."""

from urllib.parse import quote

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjian.core.registry import Entry, register, register_page
from gongjian.core.search import Searchable, declare

from .models import AccountabilityRule, Indicator, Plan, SupervisionCase, Task

#: What the ledger's text search and the global search read of a task: its text, place in the plan,
#: and the units named for it (as the plan wrote them, and as resolved).
TASK_SEARCH = ("text", "number", "part", "path", "units__name", "units__organisation__name")

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

# tasks and cases have their own pages (not registry pages): the global search finds them too
declare(Searchable(Task, TASK_SEARCH, url=lambda task: reverse("tasks:task", args=[task.pk]),
                   more=lambda query: f"{reverse('tasks:ledger')}?q={quote(query)}", select_related=("plan",)))
declare(Searchable(SupervisionCase, ("title", "description", "assignee__name"),
                   url=lambda case: reverse("tasks:case", args=[case.pk])))

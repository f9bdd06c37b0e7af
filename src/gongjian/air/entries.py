"""The registry pages of this app: declarations only (see gongjian.core.registry)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongjian.core.registry import Entry, register, register_page

from .models import AirQualityTarget, ExceptionalEvent, Station


def _as_proposal(event, user, is_new: bool) -> None:
    """A new event from the form is a proposal by its author; a decided event is no longer edited
    (its decision changed statistics)."""
    if is_new:
        event.proposed_by = user
        event.status = ExceptionalEvent.Status.PROPOSED
    elif event.status != ExceptionalEvent.Status.PROPOSED:
        raise ValidationError(_("A decided event cannot be changed; propose a new one."))


ENTRIES = [
    register(Entry(AirQualityTarget, ["region", "year", "metric", "value", "source"], ["region__name", "source"],
                   ["region", "year", "metric", "value", "source", "note"], section="air",
                   select_related=["region"], import_key=("region", "year", "metric"))),
    register(Entry(Station, ["name", "code", "kind", "region", "assessment", "status"], ["name", "code", "region__name"],
                   ["code", "name", "kind", "region", "latitude", "longitude", "operator", "status", "assessment"],
                   section="air", select_related=["region"], detail_links=[(_("Data and charts"), "air:station")],
                   import_key=("code",))),
    register(Entry(ExceptionalEvent, ["kind", "region", "start", "end", "status"], ["description", "region__name"],
                   ["kind", "region", "start", "end", "stations", "description"], section="air",
                   select_related=["region"], detail_links=[(_("Accept or reject"), "air:event_decide")],
                   prepare=_as_proposal,
                   # an event is rejected, not deleted: once decided, its decision is evidence of the statistics
                   deletable=False)),
]

for label, url_name in ((_("Now"), "air:now"), (_("Rankings"), "air:rankings"), (_("Target progress"), "air:targets"),
                        (_("Data quality"), "air:quality"), (_("Import hourly data"), "air:import")):
    register_page("air", label, url_name)

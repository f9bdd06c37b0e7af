"""Pages of source monitoring: alarms with their evidence, verification notices and their results,
and the import of electricity readings. Everything is scoped by the policy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gongjian import clock
from gongjian.core.exports import EXPORT_FORMATS, report_response
from gongjian.core.forms import problems
from gongjian.core.pages import opens
from gongjian.core.params import choice
from gongjian.core.uploads import TABLE, file_response, upload_on_disk
from gongjian.core.views import bind, form_page, submit
from gongjian.core.writes import writes
from gongjian.regions import policy
from gongjian.regions.models import Organisation

from . import exports, verification
from .checks import CEMS_CODES
from .forms import DismissForm, NoticeResultForm, ReadingsImportForm, VerificationNoticeForm
from .meters import COLUMNS, import_readings
from .models import MonitoringDevice
from .monitoring import (
    RULE_LABELS,
    Alarm,
    DeviceSample,
    Meter,
    MeterReading,
    MeterReadingCorrection,
    VerificationNotice,
)


@login_required
@writes(policy.EDIT)
def alarms_view(request):
    alarms = policy.visible(request.user, Alarm.objects.all()).select_related("region", "notice").prefetch_related(
        "warnings")
    status = request.GET.get("status", "open")
    if status in Alarm.Status.values:
        alarms = alarms.filter(status=status)
    rule = request.GET.get("rule", "")
    if rule in RULE_LABELS:
        alarms = alarms.filter(rule=rule)
    fmt = choice(request.GET, "format", EXPORT_FORMATS, "")
    if fmt and request.method == "GET":
        named = ((_("Status"), Alarm.Status(status).label if status in Alarm.Status.values else _("all")),
                 (_("Rule"), RULE_LABELS.get(rule)))
        filters = "；".join(f"{label}：{value}" for label, value in named if value)
        report = exports.alarms_report(request.user, alarms.select_related("enterprise", "site"), filters)
        return report_response(report, fmt, f"alarms-{clock.today()}")
    form = bind(request, VerificationNoticeForm, alarms=alarms)

    def issue(data):
        notice = verification.issue(list(data["alarm"]), data["recipient"], data["deadline"], data["instructions"],
                                    request.user)
        return redirect("sources:notice", notice.pk)

    response = submit(form, issue)
    if response is not None:
        return response
    refused = form.is_bound and bool(form.errors)
    editor = any(policy.can_change(request.user, a) for a in alarms[:1])
    recipients = policy.visible(request.user, Organisation.objects.filter(kind__in=verification.RECIPIENT_KINDS))
    counts = {r: n for r, n in ((r, alarms.filter(rule=r).count()) for r in RULE_LABELS) if n}
    return render(request, "sources/alarms.html", {
        "title": _("Alarms"), "alarms": alarms[:300], "status": status, "rule": rule, "statuses": Alarm.Status.choices,
        "rules": RULE_LABELS.items(), "editor": editor, "recipients": recipients.order_by("region__path", "name"),
        "problems": problems(form) if refused else [],
        "default_deadline": (clock.local(clock.now()) + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "chart": _rule_chart(counts), "devices_newest": _devices_newest(request.user)}, status=400 if refused else 200)


def _devices_newest(user):
    """When the newest data came from the active devices ``user`` sees: how current the alarms can be
    (``sources.sample``, :mod:`gongjian.core.freshness`)."""
    devices = policy.visible(user, MonitoringDevice.objects.filter(active=True))
    return devices.aggregate(newest=Max("last_seen"))["newest"]


def _rule_chart(counts: dict[str, int]) -> dict:
    return {"tooltip": {"trigger": "axis"}, "grid": {"left": 220},
            "xAxis": {"type": "value"}, "yAxis": {"type": "category", "data": [str(RULE_LABELS[r]) for r in counts]},
            "series": [{"type": "bar", "data": list(counts.values())}]}


@login_required
@writes(policy.EDIT)
def alarm_view(request, pk: int):
    alarm = get_object_or_404(policy.visible(request.user, Alarm.objects.all()).select_related(
        "device", "enterprise__organisation", "site", "notice").prefetch_related("warnings"), pk=pk)
    form = bind(request, DismissForm)

    def dismiss(data):
        verification.dismiss(alarm, data["reason"], request.user)
        return redirect("sources:alarm", alarm.pk)

    response = submit(form, dismiss)
    if response is not None:
        return response
    if form.is_bound:
        return render(request, "sources/alarm.html", {"title": str(alarm), "alarm": alarm,
                                                      "problems": problems(form), "chart": _evidence(alarm)},
                      status=400)
    return render(request, "sources/alarm.html", {"title": str(alarm), "alarm": alarm, "chart": _evidence(alarm),
                                                  "editor": policy.can_change(request.user, alarm)})


def _evidence(alarm: Alarm) -> dict | None:
    """The series around the alarm's period (two hours either side): the device's values of the
    alarm's series, or the enterprise's meters for the electricity rules."""
    margin = dt.timedelta(hours=2)
    low, high = alarm.start - margin, alarm.end + margin
    series = []
    if alarm.device_id and (alarm.series in CEMS_CODES.values() or alarm.series == "pm10"):
        code = {v: k for k, v in CEMS_CODES.items()}.get(alarm.series, "a34002")
        samples = DeviceSample.objects.filter(device_id=alarm.device_id, code=code, start__range=(low, high)).order_by(
            "resolution", "start").values_list("resolution", "start", "value")
        by_resolution: dict[str, list] = {}
        for resolution, start, value in samples:
            by_resolution.setdefault(resolution, []).append([clock.local(start).isoformat(), value])
        if by_resolution:
            resolution = "m" if "m" in by_resolution else next(iter(by_resolution))
            series.append({"name": alarm.series, "type": "line", "showSymbol": False, "data": by_resolution[resolution]})
    elif alarm.enterprise_id and alarm.rule in ("stopped_line_drawing_power", "control_off_while_producing",
                                                "load_above_allowed", "flow_without_power", "power_without_flow"):
        for meter in Meter.objects.filter(enterprise_id=alarm.enterprise_id):
            data = [[clock.local(t).isoformat(), kw] for t, kw in MeterReading.objects.filter(
                meter=meter, start__range=(low, high)).order_by("start").values_list("start", "kw")]
            if data:
                series.append({"name": f"{meter.name} (kW)", "type": "line", "step": "start", "showSymbol": False,
                               "data": data})
    if not series:
        return None
    marks = {"silent": False, "data": [[{"xAxis": clock.local(alarm.start).isoformat()},
                                        {"xAxis": clock.local(alarm.end).isoformat()}]],
             "itemStyle": {"color": "rgba(220, 60, 60, 0.12)"}}
    series[0]["markArea"] = marks
    if alarm.threshold is not None and alarm.rule in ("exceedance", "pinned", "dust_above_threshold"):
        series[0]["markLine"] = {"silent": True, "symbol": "none", "data": [{"yAxis": alarm.threshold}]}
    return {"tooltip": {"trigger": "axis"}, "legend": {"top": 0}, "xAxis": {"type": "time"},
            "yAxis": {"type": "value", "scale": True}, "dataZoom": [{"type": "inside"}], "series": series}


@login_required
def notices_view(request):
    notices = policy.visible(request.user, VerificationNotice.objects.all()).select_related("recipient", "region",
                                                                                             "issued_by")
    return render(request, "sources/notices.html", {"title": _("Verification notices"), "notices": notices[:300],
                                                    "now": clock.now()})


@login_required
@writes(policy.ACT_AS_UNIT)
def notice_view(request, pk: int):
    notice = get_object_or_404(policy.visible(request.user, VerificationNotice.objects.all()).select_related(
        "recipient", "region", "issued_by", "reported_by", "closed_by"), pk=pk)

    def result(data):
        if data["action"] == "close":
            verification.close(notice, request.user)
        else:
            verification.report(notice, confirmed=data["confirmed"] == "yes", finding=data["finding"],
                                 measures=data["measures"], photos=data["photos"], by=request.user)
        return redirect("sources:notice", notice.pk)

    return form_page(request, bind(request, NoticeResultForm), "sources/notice.html", lambda: {
        "title": str(notice), "notice": notice, "alarms": notice.alarms.select_related("enterprise__organisation", "site"),
        "photos": notice.photos.all(), "may_report": verification.may_report(request.user, notice),
        "may_close": verification.may_close(request.user, notice),
        "overdue": notice.status == "sent" and notice.deadline < clock.now()}, on_valid=result)


@login_required
def notice_photo_view(request, pk: int, photo: int):
    """A photo of a notice's result, to those who see the notice (never a public media URL)."""
    notice = get_object_or_404(policy.visible(request.user, VerificationNotice.objects.all()), pk=pk)
    item = get_object_or_404(notice.photos.all(), pk=photo)
    return file_response(item.image, Path(item.image.name).name)


@login_required
@opens(policy.SUBMIT_ELECTRICITY)
@writes(policy.SUBMIT_ELECTRICITY)
def readings_import_view(request):
    """The power company's files into readings; the page is for those who may submit them."""
    if not policy.SUBMIT_ELECTRICITY.allows(request.user):
        raise PermissionDenied

    def read(data):
        with upload_on_disk(data["file"], TABLE) as path:
            return import_readings(path, request.user, reason=data["reason"])

    form = bind(request, ReadingsImportForm)
    count = submit(form, read, atomic=False)  # the importer checks the whole file before it writes
    refused = form.is_bound and bool(form.errors)
    return render(request, "sources/readings_import.html", {
        "title": _("Import electricity readings"), "problems": problems(form) if refused else [], "count": count,
        "corrections": policy.visible(request.user, MeterReadingCorrection.objects.select_related("meter", "by"))[:50],
        "columns": [names[0] for names in COLUMNS.values()]}, status=400 if refused else 200)

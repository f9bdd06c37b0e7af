"""The write half of the scope matrix: for every state-changing view, a request that would change
something, and which kinds of user may make that change. Written out here by hand, independently of
the policy's code, as ``tests/scope_cases.py`` is for reads.

Each case builds what its request needs in the shared world (``tests/conftest.World``) and returns
``(url, data)``. ``MAY`` is the set of users whose request must change the database; every other
user's must change nothing. A view that declares a write rule (``gongjian.core.writes.writes``) but
has no case here fails ``test_every_state_changing_view_has_a_case``.

Places: ``county_a`` > ``town_a1`` > ``e1``; ``county_b`` > ``town_b1`` > ``e2``; all in ``city``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongjian import clock
from gongjian.air.models import ExceptionalEvent, QualityFinding, Station
from gongjian.emergency.models import (
    Notice,
    ReductionList,
    WarningAction,
    WarningEpisode,
    WarningStandard,
)
from gongjian.periods import Period
from gongjian.regions import tokens
from gongjian.regions.models import Organisation, Role
from gongjian.regions.services import register_person
from gongjian.sources.models import Enterprise, ProductionLine
from gongjian.sources.monitoring import Alarm, Meter, VerificationNotice
from gongjian.tasks.models import (
    Milestone,
    Plan,
    PlanImport,
    Reminder,
    SupervisionCase,
    Task,
    TaskUnit,
)
from gongjian.water.ledgers import (
    BlackOdorousWaterBody,
    DrinkingWaterSource,
    Outfall,
    SourceProblem,
)

TZ = dt.timezone(dt.timedelta(hours=8))
MOMENT = dt.datetime(2026, 11, 24, 20, tzinfo=TZ)

#: Editors whose jurisdiction holds county A (and so town A1 and enterprise E1).
OVER_COUNTY_A = frozenset({"city_office", "city_bureau", "county_a_office"})
#: Editors whose jurisdiction holds the city itself.
OVER_CITY = frozenset({"city_office", "city_bureau"})
#: The people who may submit electricity data: the office's data staff and the power company.
ELECTRICITY = OVER_COUNTY_A | {"power_company"}


@dataclass(frozen=True)
class WriteCase:
    url_name: str
    build: Callable  # (world) -> (url, data)
    may: frozenset[str]
    label: str = ""
    #: False where an allowed request may rightly change nothing (a proposal for an empty list): then
    #: only the refusals are checked (no write), and the allowed must not be refused (403/404).
    must_write: bool = True


def _enterprise(w, key="e1"):
    enterprise = Enterprise.objects.filter(organisation=w.organisations[key]).first()
    return enterprise or Enterprise.objects.create(organisation=w.organisations[key], industry="cement",
                                                   performance_class="C")


def _city_standard(w):
    return WarningStandard.objects.get_or_create(region=w.regions["city"], defaults={
        "name": "国家统一标准", "valid_from": dt.date(2018, 8, 1)})[0]


def _county_draft(w):
    _city_standard(w)
    return ReductionList.objects.create(region=w.regions["county_a"], year=2026, number=1, inventory_year=2019)


def _act(w):
    _city_standard(w)
    return reverse("emergency:act"), {"region": w.regions["city"].pk, "kind": "issue", "level": "yellow",
                                      "at": "2026-11-24T20:00", "reason": "会商", "confirmed": "yes"}


def _forecast(w):
    _city_standard(w)
    return reverse("emergency:forecast"), {"region": w.regions["city"].pk, "issued_on": "2026-11-23",
                                           "days": "2026-11-24,180"}


def _submit_list(w):
    return reverse("emergency:list_action", args=[_county_draft(w).pk, "submit"]), {}


def _import_list(w):
    draft = _county_draft(w)
    _enterprise(w)
    text = "预警级别,企业名称,减排措施\n橙色,甲建材有限公司,停产\n"
    return reverse("emergency:import", args=[draft.pk]), {
        "file": SimpleUploadedFile("list.csv", text.encode(), "text/csv")}


def _optimise(w):
    return reverse("emergency:optimise", args=[_county_draft(w).pk, "orange"]), {}


def _notice_read(w):
    standard = _city_standard(w)
    episode = WarningEpisode.objects.create(region=w.regions["city"], level="orange", started_at=MOMENT,
                                            standard=standard)
    action = WarningAction.objects.create(warning=episode, kind="issue", level_to="orange", at=MOMENT,
                                          decided_by=w.people["city_office"], reason="r")
    notice = Notice.objects.create(action=action, recipient=w.organisations["e1"], text="启动橙色预警")
    return reverse("emergency:notices"), {"notice": notice.pk}


def _alarm(w):
    return Alarm.objects.create(rule="exceedance", region=w.regions["town_a1"], enterprise=_enterprise(w),
                                subject="窑尾", series="so2", start=MOMENT, end=MOMENT, intervals=3, evidence="x",
                                fingerprint=f"x-{Alarm.objects.count()}")


def _issue_verification(w):
    alarm = _alarm(w)
    return reverse("sources:alarms"), {"alarm": alarm.pk, "recipient": w.organisations["town_a1"].pk,
                                       "deadline": "2099-11-26T12:00", "instructions": "现场核查"}


def _dismiss(w):
    return reverse("sources:alarm", args=[_alarm(w).pk]), {"reason": "已报备的检修"}


def _verification(w, status="sent"):
    return VerificationNotice.objects.create(
        region=w.regions["town_a1"], recipient=w.organisations["town_a1"], issued_by=w.people["city_office"],
        issued=MOMENT, deadline=MOMENT + dt.timedelta(days=1), instructions="核查", status=status)


def _report_verification(w):
    return reverse("sources:notice", args=[_verification(w).pk]), {"confirmed": "no", "finding": "未见异常"}


def _close_verification(w):
    return reverse("sources:notice", args=[_verification(w, "reported").pk]), {"action": "close"}


def _readings(w):
    enterprise = _enterprise(w)
    line = ProductionLine.objects.create(enterprise=enterprise, name="1号线")
    Meter.objects.create(enterprise=enterprise, number="M-write", name="生产", purpose="production", line=line)
    power = Organisation.objects.create(name="国网郑州供电公司", kind="power_company", region=w.regions["city"])
    register_person(username="power_company", password=None, role=Role.DEPARTMENT, jurisdiction=w.regions["city"],
                    organisation=power)
    upload = SimpleUploadedFile("readings.csv", "表号,时间,功率\nM-write,2020-12-08 12:00,800\n".encode(), "text/csv")
    return reverse("sources:readings_import"), {"file": upload}


def _task(w):
    plan = Plan.objects.create(region=w.regions["county_a"], title="中牟县方案", first_year=2026, last_year=2026)
    task = Task.objects.create(plan=plan, number="1", text="散煤清零")
    TaskUnit.objects.create(task=task, role="lead", name="韩寺镇人民政府", organisation=w.organisations["town_a1"])
    return task


def _progress(w):
    return reverse("tasks:task", args=[_task(w).pk]), {"text": "已完成排查", "percent": "50"}


def _reminder_read(w):
    milestone = Milestone.objects.create(task=_task(w), kind="once", due=dt.date(2026, 12, 31))
    reminder = Reminder.objects.create(milestone=milestone, organisation=w.organisations["town_a1"], kind="due",
                                       created=MOMENT)
    return reverse("tasks:due"), {"reminder": reminder.pk}


def _plan_import(w):
    upload = SimpleUploadedFile("方案.txt", "一、扬尘治理\n1．全面落实工地扬尘治理。（县住建局牵头）\n".encode(), "text/plain")
    return reverse("tasks:import"), {"region": w.regions["county_a"].pk, "file": upload}


def _plan_review(w):
    draft = PlanImport.objects.create(region=w.regions["county_a"], source_name="方案.txt", source="x",
                                      proposal={"title": "方案", "tasks": [], "indicators": []},
                                      created_by=w.people["county_a_office"])
    return reverse("tasks:review", args=[draft.pk]), {"action": "discard"}


def _new_case(w):
    return reverse("tasks:new_case"), {"region": w.regions["county_a"].pk, "title": "工地未苫盖",
                                       "source": "inspection"}


def _case_assign(w):
    case = SupervisionCase.objects.create(region=w.regions["county_a"], title="工地未苫盖", source="inspection",
                                          opened_by=w.people["county_a_office"], opened=MOMENT)
    return reverse("tasks:case", args=[case.pk]), {"step": "assign", "assignee": w.organisations["town_a1"].pk,
                                                   "deadline": "2099-12-31", "note": "限期整改"}


def _case_rectify(w):
    case = SupervisionCase.objects.create(region=w.regions["county_a"], title="工地未苫盖", source="inspection",
                                          opened_by=w.people["county_a_office"], opened=MOMENT, status="assigned",
                                          assignee=w.organisations["town_a1"], deadline=dt.date(2099, 12, 31))
    return reverse("tasks:case", args=[case.pk]), {"step": "rectify", "note": "已苫盖"}


def _air_import(w):
    Station.objects.create(code="ST-w", name="韩寺站", kind="town", region=w.regions["town_a1"])
    text = "站点,时间,SO2,NO2,CO,O3,PM10,PM2.5\nST-w,2020-01-01 01:00,8,30,600,40,90,50\n"
    return reverse("air:import"), {
        "files": SimpleUploadedFile("hours.csv", text.encode(), "text/csv"), "source": "县站导出", "action": "import",
        "columns": "station=站点\ntime=时间\nso2=SO2\nno2=NO2\nco=CO\no3=O3\npm10=PM10\npm25=PM2.5",
        "units": "co=ug/m3", "hour_label": "end"}


def _review_finding(w):
    station = Station.objects.create(code="ST-q", name="韩寺站", kind="town", region=w.regions["town_a1"])
    finding = QualityFinding.objects.create(station=station, pollutant="pm25", rule="flat", start=MOMENT, end=MOMENT,
                                            hours=6, detail="恒值")
    return reverse("air:review", args=[finding.pk]), {"decision": "confirm", "note": "核实"}


def _decide_event(w):
    event = ExceptionalEvent.objects.create(kind="dust", region=w.regions["county_a"], start=MOMENT, end=MOMENT,
                                            description="沙尘", proposed_by=w.people["city_office"])
    return reverse("air:event_decide", args=[event.pk]), {"decision": "accept"}


def _boundaries(w):
    feature = ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"410122"},'
               '"geometry":{"type":"Polygon","coordinates":[[[113.9,34.7],[114.2,34.7],[114.2,34.5],[113.9,34.7]]]}}]}')
    upload = SimpleUploadedFile("outline.geojson", feature.encode(), "application/geo+json")
    return reverse("regions:import_boundaries"), {"file": upload, "match_by": "code"}


#: Everyone who signs in: each manages their own API tokens.
EVERYONE = frozenset({"city_office", "city_bureau", "department", "county_a_office", "county_b_office", "town_a1_gov",
                      "enterprise_e1", "enterprise_e2", "public_city", "power_company"})


def _token_create(w):
    return reverse("regions:tokens"), {"name": "数据报送脚本"}


def _token_revoke(w):
    record, _token = tokens.issue(w.people["county_a_office"], "县站数据报送")
    return reverse("regions:token_revoke"), {"token": record.pk}


def _publish_bulletin(w):
    return reverse("tasks:bulletin"), {"kind": "monthly", "date": "2026-11-24"}


CASES: list[WriteCase] = [
    WriteCase("emergency:act", _act, OVER_CITY, "a warning under the city's standard"),
    WriteCase("emergency:forecast", _forecast, OVER_CITY, "the city's forecast"),
    WriteCase("emergency:list_action", _submit_list, OVER_COUNTY_A, "submit county A's draft list"),
    WriteCase("emergency:import", _import_list, OVER_COUNTY_A, "import county A's draft list"),
    WriteCase("emergency:optimise", _optimise, OVER_COUNTY_A, "accept proposed measures", must_write=False),
    WriteCase("emergency:notices", _notice_read, OVER_CITY | {"enterprise_e1"}, "read a notice to E1"),
    WriteCase("sources:alarms", _issue_verification, OVER_COUNTY_A, "a verification notice for an alarm at E1"),
    WriteCase("sources:alarm", _dismiss, OVER_COUNTY_A, "dismiss an alarm at E1"),
    WriteCase("sources:notice", _report_verification, frozenset({"town_a1_gov"}), "the town reports its check"),
    WriteCase("sources:notice", _close_verification, OVER_COUNTY_A, "the office closes the notice"),
    WriteCase("sources:readings_import", _readings, ELECTRICITY, "electricity readings of E1"),
    WriteCase("tasks:task", _progress, frozenset({"town_a1_gov"}), "the lead unit reports progress"),
    WriteCase("tasks:due", _reminder_read, frozenset({"town_a1_gov"}), "the unit reads its reminder"),
    WriteCase("tasks:import", _plan_import, frozenset({"county_a_office"}), "read a plan for county A (its own office)"),
    WriteCase("tasks:review", _plan_review, OVER_COUNTY_A, "discard county A's plan draft"),
    WriteCase("tasks:bulletin", _publish_bulletin, OVER_CITY | {"county_a_office", "county_b_office"},
              "publish one's own office's bulletin"),
    WriteCase("tasks:new_case", _new_case, OVER_COUNTY_A, "open a case in county A"),
    WriteCase("tasks:case", _case_assign, OVER_COUNTY_A, "assign county A's case"),
    WriteCase("tasks:case", _case_rectify, frozenset({"town_a1_gov"}), "the assignee reports rectification"),
    WriteCase("air:import", _air_import, OVER_COUNTY_A, "hourly data of a station in town A1"),
    WriteCase("air:review", _review_finding, OVER_COUNTY_A, "review a finding at a town A1 station"),
    WriteCase("air:event_decide", _decide_event, OVER_COUNTY_A - {"city_office"},
              "decide an event the city office proposed (four eyes)"),
    WriteCase("regions:import_boundaries", _boundaries, OVER_COUNTY_A, "county A's outline"),
    WriteCase("regions:tokens", _token_create, EVERYONE, "an API token of one's own"),
    WriteCase("regions:token_revoke", _token_revoke, frozenset({"county_a_office"}), "revoke county A's own token"),
]


# --- the water ledgers: a move on each ledger, publishing a list, an outfall's results ---

def _water_ledger_case(w, make, slug, to):
    record = make(w)
    return reverse(f"water:{slug}_steps", args=[record.pk]), {"to": to, "note": "按规定推进"}


def _source_problem(w):
    source = DrinkingWaterSource.objects.create(code="DS-w", name="水源", kind="reservoir", region=w.regions["county_a"])
    return SourceProblem.objects.create(source=source, kind="project", title="违法建设", found_on=dt.date(2020, 3, 1),
                                        deadline=dt.date(2020, 9, 30))


def _black_odorous(w):
    return BlackOdorousWaterBody.objects.create(code="BO-w", name="黑臭", region=w.regions["county_a"], length_km=1)


def _water_outfall(w, status="traced"):
    return Outfall.objects.create(name="排污口", region=w.regions["county_a"], receiving_water="贾鲁河", kind="municipal",
                                  status=status, code="RH-w" if status != "traced" else None)


def _water_publish(kind):
    def build(w):
        period = Period.containing(kind, clock.today()).previous()
        url = {"quarter": "water:disclosures", "half-year": "water:bo_lists", "month": "water:published_months"}[kind]
        return reverse(url), {
            "region": w.regions["county_a"].pk, "period": period.key}
    return build


def _outfall_results(w):
    outfall = _water_outfall(w, "monitored")
    return reverse("water:outfall_results", args=[outfall.pk]), {
        "sampled": (clock.today() - dt.timedelta(days=1)).isoformat(), "cod": "20"}


CASES += [
    WriteCase("water:source_problem_steps", lambda w: _water_ledger_case(w, _source_problem, "source_problem",
                                                                         "rectifying"),
              OVER_COUNTY_A, "move county A's source problem"),
    WriteCase("water:black_odorous_steps", lambda w: _water_ledger_case(w, _black_odorous, "black_odorous",
                                                                        "rectifying"),
              OVER_COUNTY_A, "move county A's black-odorous water body"),
    WriteCase("water:outfall_steps", lambda w: _water_ledger_case(w, _water_outfall, "outfall", "numbered"),
              OVER_COUNTY_A, "number county A's outfall"),
    WriteCase("water:disclosures", _water_publish("quarter"), OVER_COUNTY_A, "publish county A's disclosure"),
    WriteCase("water:bo_lists", _water_publish("half-year"), OVER_COUNTY_A, "publish county A's black-odorous list"),
    WriteCase("water:published_months", _water_publish("month"), OVER_COUNTY_A, "publish county A's monthly classes"),
    WriteCase("water:outfall_results", _outfall_results, OVER_COUNTY_A, "results of county A's outfall"),
]


# --- the water pages: a case from a water alarm, a results file ---

def _water_section(w):
    from gongjian.water.models import WaterSection

    return WaterSection.objects.create(code=f"WS-w{WaterSection.objects.count()}", name="断面", water_body="贾鲁河",
                                       control_level="city", region=w.regions["town_a1"])


def _water_alarm_case(w):
    from gongjian.water.models import WaterAlarm

    section = _water_section(w)
    alarm = WaterAlarm.objects.create(kind="section_below_target", region=w.regions["town_a1"], section=section,
                                      subject=section.name, start=MOMENT, end=MOMENT, evidence="断面未达目标",
                                      fingerprint=f"w-{section.code}", found=MOMENT)
    return reverse("water:open_case", args=[alarm.pk]), {}


def _water_results(w):
    section = _water_section(w)
    text = f"section,date,item,value\n{section.code},2026-03-10,氨氮,0.8\n".encode()
    return reverse("water:import"), {"file": SimpleUploadedFile("results.csv", text, "text/csv")}


CASES += [
    WriteCase("water:open_case", _water_alarm_case, OVER_COUNTY_A, "a case from a water alarm in town A1"),
    WriteCase("water:import", _water_results, OVER_COUNTY_A, "results of a section in town A1"),
]


# --- the forecast runs and the episode evaluation ---

def _city_run(w):
    import polars as pl

    from gongjian.emergency import runs

    _city_standard(w)
    days = pl.DataFrame([{"station": None, "day": dt.date(2026, 11, 24) + dt.timedelta(days=i), "lead": i + 1,
                          "aqi": 150 + 10 * i, "aqi_low": 135 + 10 * i, "aqi_high": 165 + 10 * i, "primary": "PM2.5"}
                         for i in range(7)], schema_overrides={"station": pl.String})
    return runs.store_run(w.regions["city"], MOMENT, days)


def _publish_run(w):
    return reverse("emergency:forecast_publish", args=[_city_run(w).pk]), {}


def _adjust_run(w):
    run = _city_run(w)
    data = {"reason": "会商上调"}
    for v in run.values.all():
        key = v.day.isoformat()
        data.update({f"aqi_{key}": v.aqi + 40, f"low_{key}": v.aqi_low + 40, f"high_{key}": v.aqi_high + 40,
                     f"primary_{key}": v.primary})
    return reverse("emergency:forecast_adjust", args=[run.pk]), data


def _issue_run(w):
    _city_standard(w)  # no history here: the service refuses, and nobody's request writes
    return reverse("emergency:forecast_issue"), {"region": w.regions["city"].pk}


def _met_forecast(w):
    _city_standard(w)
    text = "站点,发布时间,预报时间,气温,风速\n,2026-11-24 06:00,2026-11-25 00:00,3.5,1.2\n".encode()
    return reverse("emergency:met_forecast"), {"region": w.regions["city"].pk,
                                                "file": SimpleUploadedFile("met.csv", text, "text/csv")}


def _evaluate_episode(w):
    episode = WarningEpisode.objects.create(region=w.regions["city"], level="orange", started_at=MOMENT,
                                            standard=_city_standard(w))
    return reverse("emergency:warning_evaluation", args=[episode.pk]), {}  # no hours: refused, nothing written


def _publish_evaluation(w):
    from gongjian.emergency.models import EpisodeEvaluation

    episode = WarningEpisode.objects.create(region=w.regions["city"], level="orange", started_at=MOMENT,
                                            lifted_at=MOMENT + dt.timedelta(days=2), status="lifted",
                                            standard=_city_standard(w))
    found = EpisodeEvaluation.objects.create(episode=episode, computed_at=MOMENT + dt.timedelta(days=3), result={})
    return reverse("emergency:warning_evaluation_publish", args=[episode.pk, found.pk]), {}


CASES += [
    WriteCase("emergency:forecast_publish", _publish_run, OVER_CITY, "publish the city's run"),
    WriteCase("emergency:forecast_adjust", _adjust_run, OVER_CITY, "adjust the city's run"),
    WriteCase("emergency:forecast_issue", _issue_run, OVER_CITY, "issue a run for the city", must_write=False),
    WriteCase("emergency:met_forecast", _met_forecast, OVER_CITY, "the city's meteorological forecast"),
    WriteCase("emergency:warning_evaluation", _evaluate_episode, OVER_CITY, "evaluate the city's warning",
              must_write=False),
    WriteCase("emergency:warning_evaluation_publish", _publish_evaluation, OVER_CITY,
              "publish the evaluation of the city's warning"),
]

"""What a page accepts goes through a form scoped by the policy (gongjian.core.forms, core.views).

The expectations are written out by hand from the world of ``tests/conftest.py`` (county A holds
town A1 and enterprise E1; county B holds town B1 and E2), not computed with the policy."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse

import gongjian
from gongjian.core.forms import ScopedForm, problems
from gongjian.regions.models import Organisation, Region
from gongjian.tasks.forms import CaseForm, CaseStepForm, PlanImportForm
from gongjian.tasks.models import CaseStep, Plan, ProgressReport, SupervisionCase, Task, TaskUnit

SOURCE = Path(gongjian.__file__).parent
#: The only modules that bind what a request posted.
BINDERS = {SOURCE / "core" / "views.py", SOURCE / "core" / "forms.py"}


def _posted_reads(path: Path) -> list[int]:
    """Lines of ``path`` that read ``<anything>.POST`` or ``<anything>.FILES``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in ("POST", "FILES")]


def test_no_view_reads_the_posted_data_by_hand():
    assert _posted_reads(SOURCE / "core" / "views.py"), "the scan finds the one place that binds"
    readers = {f"{path.relative_to(SOURCE)}:{line}" for path in SOURCE.rglob("*.py") if path not in BINDERS
               for line in _posted_reads(path)}
    assert not readers, f"read request.POST / request.FILES through a form (gongjian.core.views.bind): {sorted(readers)}"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


class _Place(ScopedForm):
    region = forms.ModelChoiceField(queryset=Region.objects.all())
    units = forms.ModelMultipleChoiceField(queryset=Organisation.objects.all())


def test_a_scoped_form_offers_only_what_the_person_sees(world):
    form = _Place(world.people["county_a_office"])
    assert {r.name for r in form.fields["region"].queryset} == {"中牟县", "韩寺镇"}
    assert {o.name for o in form.fields["units"].queryset} == {"中牟县人民政府", "韩寺镇人民政府", "甲建材有限公司"}
    assert {o.name for o in _Place(world.people["enterprise_e1"]).fields["units"].queryset} == {"甲建材有限公司"}


def test_a_choice_outside_the_jurisdiction_is_refused_like_one_that_does_not_exist(world):
    county_b = world.regions["county_b"]
    form = _Place(world.people["county_a_office"], {"region": county_b.pk, "units": [world.organisations["e1"].pk]})
    assert not form.is_valid() and set(form.errors) == {"region"}
    assert _Place(world.people["city_office"], {"region": county_b.pk,
                                                "units": [world.organisations["e1"].pk]}).is_valid()


def test_the_app_forms_are_scoped(world):
    county = world.people["county_a_office"]
    assert {r.name for r in CaseForm(county).fields["region"].queryset} == {"中牟县", "韩寺镇"}
    assert {o.name for o in CaseStepForm(county).fields["assignee"].queryset} == {"中牟县人民政府", "韩寺镇人民政府"}


def test_a_plan_is_imported_only_for_the_persons_own_region(world):
    """Not for the towns below (their offices enter their own) nor the city above."""
    def offered(person):
        return {r.name for r in PlanImportForm(world.people[person]).fields["region"].queryset}

    assert offered("county_a_office") == {"中牟县"}
    assert offered("city_office") == {"郑州市"}
    assert offered("town_a1_gov") == set() and offered("enterprise_e1") == set()


def test_problems_name_the_field(world, english_messages):
    form = CaseStepForm(world.people["county_a_office"], {"step": "assign", "assignee": world.organisations["town_a1"].pk,
                                                          "deadline": "next week"})
    assert not form.is_valid()
    assert problems(form) == ["Deadline: The deadline is not a date."]


def _case(world):
    return SupervisionCase.objects.create(region=world.regions["county_a"], title="工地未苫盖", source="inspection",
                                          opened_by=world.people["county_a_office"], opened=dt.datetime(2026, 11, 24, tzinfo=dt.UTC))


def test_a_bad_date_is_answered_400_naming_the_field_and_nothing_is_written(world, english):
    case = _case(world)
    english.force_login(world.people["county_a_office"])
    response = english.post(reverse("tasks:case", args=[case.pk]), {
        "step": "assign", "assignee": world.organisations["town_a1"].pk, "deadline": "下周", "note": "限期整改"})
    assert response.status_code == 400
    assert "Deadline: The deadline is not a date." in response.content.decode()
    case.refresh_from_db()
    assert case.status == SupervisionCase.Status.FOUND and not CaseStep.objects.filter(case=case).exists()


def test_a_unit_outside_the_jurisdiction_is_refused_and_nothing_is_written(world, english):
    case = _case(world)
    english.force_login(world.people["county_a_office"])
    response = english.post(reverse("tasks:case", args=[case.pk]), {
        "step": "assign", "assignee": world.organisations["town_b1"].pk, "deadline": "2099-12-31", "note": "x"})
    assert response.status_code == 400 and "Assign to: " in response.content.decode()
    case.refresh_from_db()
    assert case.assignee_id is None


def test_a_share_that_is_not_a_number_is_refused(world, english):
    plan = Plan.objects.create(region=world.regions["county_a"], title="方案", first_year=2026, last_year=2026)
    task = Task.objects.create(plan=plan, number="1", text="散煤清零")
    TaskUnit.objects.create(task=task, role="lead", name="韩寺镇人民政府", organisation=world.organisations["town_a1"])
    english.force_login(world.people["town_a1_gov"])
    response = english.post(reverse("tasks:task", args=[task.pk]), {"text": "已排查", "percent": "一半"})
    assert response.status_code == 400 and "Done, in percent: enter a whole number." in response.content.decode()
    assert not ProgressReport.objects.exists()
    assert english.post(reverse("tasks:task", args=[task.pk]), {"text": "已排查", "percent": "50"}).status_code == 302
    assert ProgressReport.objects.get().percent == 50


def test_a_case_outside_the_jurisdiction_cannot_be_opened(world, english):
    english.force_login(world.people["county_a_office"])
    response = english.post(reverse("tasks:new_case"), {"region": world.regions["county_b"].pk, "title": "扬尘",
                                                        "source": "inspection"})
    assert response.status_code == 400 and "Region: " in response.content.decode()
    assert not SupervisionCase.objects.exists()

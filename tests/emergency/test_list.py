"""The reduction list: removals computed from the inventory, totals against the requirement, the
optimiser's proposals, versions and their diff."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongjian.emergency import proposal, services
from gongjian.emergency.models import Measure, ReductionList
from gongjian.emergency.removal import Inventory, account
from gongjian.sources.services import whole_society_totals

P = ("so2", "nox", "pm", "vocs")


def _account(draft, standard):
    return account(draft, standard, whole_society_totals(draft.region, 2019))


def test_whole_society_totals_and_required_reductions(plants, draft, standard):
    acc = _account(draft, standard)
    assert acc.totals == {"so2": Decimal("200"), "nox": Decimal("1370"), "pm": Decimal("298"), "vocs": Decimal("54")}
    assert acc.required["yellow"]["so2"] == Decimal("20")
    assert acc.required["orange"]["nox"] == Decimal("274")
    assert acc.required["red"]["pm"] == Decimal("89.4")
    assert acc.shortfall("orange", "pm") == Decimal("59.6")


def test_changing_one_measure_moves_the_totals_by_exactly_that_units_share(plants, draft, standard):
    e1 = plants["e1"]
    measure = Measure.objects.create(reduction_list=draft, level="orange", kind="limit", enterprise=e1.enterprise,
                                     unit=e1.kiln, load_percent=Decimal("70"))
    before = _account(draft, standard).achieved["orange"]
    assert before == {"so2": Decimal("12"), "nox": Decimal("90"), "pm": Decimal("18"), "vocs": Decimal("1.5")}
    measure.load_percent = Decimal("50")
    measure.save()
    after = _account(draft, standard).achieved["orange"]
    kiln = {"so2": 40, "nox": 300, "pm": 60, "vocs": 5}
    for p in P:  # 20 more points of the kiln's load removed: exactly 20 % of the kiln's emissions
        assert after[p] - before[p] == Decimal(kiln[p]) * Decimal("0.2")


def test_every_kind_of_measure_removes_what_the_inventory_says(plants, draft, standard):
    e1, e2, site = plants["e1"], plants["e2"], plants["site"]
    Measure.objects.create(reduction_list=draft, level="yellow", kind="site_earthwork", site=site)
    Measure.objects.create(reduction_list=draft, level="orange", kind="site_stop", site=site)
    lines = Measure.objects.create(reduction_list=draft, level="orange", kind="stop_lines", enterprise=e2.enterprise)
    lines.lines.set([e2.line2])
    Measure.objects.create(reduction_list=draft, level="red", kind="stop", enterprise=e1.enterprise)
    Measure.objects.create(reduction_list=draft, level="red", kind="no_transport", enterprise=e1.enterprise)
    Measure.objects.create(reduction_list=draft, level="red", kind="limit", enterprise=e1.enterprise, load_percent=Decimal("50"))
    acc = _account(draft, standard)
    assert acc.achieved["yellow"]["pm"] == Decimal("12")  # the earthwork part of the site only
    assert acc.achieved["orange"] == {"so2": Decimal("10"), "nox": Decimal("50"), "pm": Decimal("60"), "vocs": Decimal("1")}
    # stop + transport + an overlapping limit: never more than the enterprise emits
    assert acc.achieved["red"] == {"so2": Decimal("50"), "nox": Decimal("370"), "pm": Decimal("104"), "vocs": Decimal("7")}


def test_measures_are_checked(plants, draft):
    e1, e2 = plants["e1"], plants["e2"]
    bad = [Measure(reduction_list=draft, level="orange", kind="limit", enterprise=e1.enterprise),
           Measure(reduction_list=draft, level="orange", kind="stop", enterprise=e1.enterprise, unit=e2.kiln),
           Measure(reduction_list=draft, level="orange", kind="site_stop", enterprise=e1.enterprise),
           Measure(reduction_list=draft, level="orange", kind="stop", enterprise=e1.enterprise, load_percent=Decimal("50"))]
    for measure in bad:
        with pytest.raises(ValidationError):
            measure.full_clean()
    draft.status = ReductionList.Status.APPROVED
    draft.save()
    with pytest.raises(ValidationError, match="draft"):
        Measure(reduction_list=draft, level="orange", kind="stop", enterprise=e1.enterprise).full_clean()


def test_class_and_escalation_rules_are_reported(plants, draft, standard):
    e1, e2 = plants["e1"], plants["e2"]  # both made the same industry: e1 C, e2 D
    e2.enterprise.industry = "cement"
    e2.enterprise.save()
    Measure.objects.create(reduction_list=draft, level="orange", kind="stop", enterprise=e1.enterprise)
    Measure.objects.create(reduction_list=draft, level="orange", kind="limit", enterprise=e2.enterprise, load_percent=Decimal("70"))
    Measure.objects.create(reduction_list=draft, level="red", kind="stop", enterprise=e1.enterprise)
    Measure.objects.create(reduction_list=draft, level="red", kind="stop", enterprise=e2.enterprise)
    problems = services.class_rule_problems(_account(draft, standard))
    assert any("orange" in p and "class C" in p for p in problems)
    assert not any(p.startswith("red") for p in problems)


def test_the_optimiser_meets_the_requirement_and_its_proposal_is_accepted(plants, draft, standard):
    inventory = Inventory.load(draft.region, 2019)
    Measure.objects.create(reduction_list=draft, level="orange", kind="site_stop", site=plants["site"])
    acc = account(draft, standard, whole_society_totals(draft.region, 2019), inventory)
    found = proposal.propose(draft, "orange", acc, inventory)
    assert found.plan.status == "optimal"
    proposal.accept(draft, found, set(found.measures))
    after = _account(draft, standard)
    for p in P:
        assert after.shortfall("orange", p) == 0, p
    assert services.class_rule_problems(after) == [] or all(not p.startswith("orange") for p in services.class_rule_problems(after))
    chosen = draft.measures.filter(level="orange", enterprise__isnull=False)
    assert chosen.exists() and all("optimiser" in m.note for m in chosen)


def test_versions_copy_approve_and_diff(plants, draft, world):
    e1 = plants["e1"]
    Measure.objects.create(reduction_list=draft, level="orange", kind="limit", enterprise=e1.enterprise, load_percent=Decimal("70"))
    services.submit(draft, world.people["city_bureau"])
    with pytest.raises(ValidationError, match="someone other"):
        services.approve(draft, world.people["city_bureau"])
    services.approve(draft, world.people["city_office"])
    assert services.list_in_force(world.regions["town_a1"]) == draft
    revision = services.new_draft(draft.region, 2021, 2019, based_on=draft)
    assert revision.number == 1 and revision.measures.count() == 1
    m = revision.measures.get()
    m.load_percent = Decimal("50")
    m.save()
    Measure.objects.create(reduction_list=revision, level="red", kind="stop", enterprise=e1.enterprise)
    changes = {(c.level, c.kind) for c in services.diff(draft, revision)}
    assert changes == {("orange", "changed"), ("red", "added")}
    assert draft.measures.get().load_percent == Decimal("70")  # the approved version is untouched


def test_standard_for_follows_the_region_tree(world, standard):
    assert services.standard_for(world.regions["town_b1"], dt.date(2020, 1, 1)) == standard
    assert services.standard_for(world.regions["town_b1"], dt.date(2018, 1, 1)) is None


@pytest.mark.parametrize(("year", "due"), [(2020, dt.date(2019, 9, 30)), (2025, dt.date(2024, 9, 30))])
def test_the_annual_revision_is_due_by_the_end_of_september_before(world, year, due):
    version = ReductionList.objects.create(region=world.regions["city"], year=year, number=1, inventory_year=year - 1)
    assert services.revision_due(version) == due


def test_a_draft_s_page_says_when_its_revision_is_due(client, world, draft):
    client.force_login(world.people["city_office"])
    assert "2019年9月30日" in client.get(reverse("emergency:list", args=[draft.pk])).content.decode()

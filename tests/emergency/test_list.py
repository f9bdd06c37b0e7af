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
    # stop + transport + an overlapping limit: each unit once, the trucks by the transport ban
    assert acc.achieved["red"] == {"so2": Decimal("50"), "nox": Decimal("370"), "pm": Decimal("104"), "vocs": Decimal("7")}


def test_overlapping_measures_remove_each_emission_unit_once(plants, draft, standard, client, world):
    """"Limit to 70 %", "stop line 1" and "stop the line-1 kiln" at orange: the kiln (line 1) is
    stopped, once; the mill (line 2) keeps 70 % of its load; the trucks are untouched."""
    e1 = plants["e1"]
    Measure.objects.create(reduction_list=draft, level="orange", kind="limit", enterprise=e1.enterprise,
                           load_percent=Decimal("70"))
    line = Measure.objects.create(reduction_list=draft, level="orange", kind="stop_lines", enterprise=e1.enterprise)
    line.lines.set([e1.line1])
    Measure.objects.create(reduction_list=draft, level="orange", kind="stop", enterprise=e1.enterprise, unit=e1.kiln)
    # by hand: kiln (40, 300, 60, 5) + 0.3 x mill (10, 50, 40, 1) = (43, 315, 72, 5.3); adding the three
    # measures up and capping at the plant with its trucks gave (50, 370, 104, 7)
    expected = {"so2": Decimal("43"), "nox": Decimal("315"), "pm": Decimal("72"), "vocs": Decimal("5.3")}
    acc = _account(draft, standard)
    assert acc.achieved["orange"] == expected
    assert acc.sources["orange"][("enterprise", e1.enterprise.pk)].removed == expected
    client.force_login(world.people["city_office"])
    sheet = client.get(reverse("emergency:sheet", args=[e1.enterprise.pk]) + f"?version={draft.pk}").content.decode()
    together = sheet.split('class="together"')[1].split("</tr>")[0]
    assert all(f"<th>{cell}</th>" in together for cell in ("43.00", "315.00", "72.00", "5.30")), together


def test_production_measures_never_absorb_transport(plants, draft, standard):
    e1 = plants["e1"]
    Measure.objects.create(reduction_list=draft, level="orange", kind="stop", enterprise=e1.enterprise)
    Measure.objects.create(reduction_list=draft, level="orange", kind="limit", enterprise=e1.enterprise,
                           load_percent=Decimal("50"))
    production = {"so2": Decimal("50"), "nox": Decimal("350"), "pm": Decimal("100"), "vocs": Decimal("6")}
    assert _account(draft, standard).achieved["orange"] == production  # not (50, 370, 104, 7): no transport ban
    Measure.objects.create(reduction_list=draft, level="orange", kind="no_transport", enterprise=e1.enterprise)
    trucks = {"so2": Decimal("0"), "nox": Decimal("20"), "pm": Decimal("4"), "vocs": Decimal("1")}
    assert _account(draft, standard).achieved["orange"] == {p: production[p] + trucks[p] for p in P}


def test_a_one_unit_stop_ranks_by_what_it_removes(plants, draft, standard):
    """e1 (C) stops line 2 at red, whose mill emits 101 of its 506 t/a of production emissions (20 %);
    e2 (D, same industry) limits to 50 % (50 %). By kind, stopping a line ranked above any limit
    and the class rule fired; by what it removes, C is the lighter. At orange e1 limited to 50 %:
    stopping line 2 at red is lighter, which escalation forbids."""
    e1, e2 = plants["e1"], plants["e2"]
    e2.enterprise.industry = "cement"
    e2.enterprise.save()
    line2 = Measure.objects.create(reduction_list=draft, level="red", kind="stop_lines", enterprise=e1.enterprise)
    line2.lines.set([e1.line2])
    Measure.objects.create(reduction_list=draft, level="red", kind="limit", enterprise=e2.enterprise, load_percent=Decimal("50"))
    Measure.objects.create(reduction_list=draft, level="orange", kind="limit", enterprise=e1.enterprise, load_percent=Decimal("50"))
    acc = _account(draft, standard)
    assert acc.sources["red"][("enterprise", e1.enterprise.pk)].strictness == 20  # 101 / 506 = 19.96 %, rounded up
    assert acc.sources["red"][("enterprise", e2.enterprise.pk)].strictness == 50
    problems = services.class_rule_problems(acc)
    assert not any("class C" in p for p in problems)
    assert any(p.endswith("lighter measures at red (20% of its production emissions removed) than at orange (50%)")
               for p in problems), problems
    Measure.objects.create(reduction_list=draft, level="yellow", kind="stop", enterprise=e1.enterprise, unit=e1.kiln)
    assert _account(draft, standard).sources["yellow"][("enterprise", e1.enterprise.pk)].strictness == 81  # 405 / 506


def test_the_list_page_shows_the_margin_per_pollutant_and_level(plants, draft, standard, client, world):
    """Yellow requires 10 %: SO2 20, NOx 137, PM 29.8, VOCs 5.4 t/a. Limiting e1 to 59 % removes 41 % of
    its production: SO2 20.5 (margin 0.5, 2.5 %: thin), NOx 143.5 (6.5, 4.74 %: thin), PM 41 (11.2,
    37.58 %: met), VOCs 2.46 (-2.94: short)."""
    Measure.objects.create(reduction_list=draft, level="yellow", kind="limit", enterprise=plants["e1"].enterprise,
                           load_percent=Decimal("59"))
    acc = _account(draft, standard)
    assert acc.margin("yellow", "so2").amount == Decimal("0.5") and acc.margin("yellow", "so2").thin
    client.force_login(world.people["city_office"])
    page = client.get(reverse("emergency:list", args=[draft.pk])).content.decode()
    assert "余量（吨/年）" in page and "余量占要求比例" in page
    rows = [row.split("</tr>")[0] for row in page.split('<tr class="margin-yellow">')[1:]]
    so2, nox, pm, vocs = rows
    assert "0.50" in so2 and "2.50%" in so2 and "余量偏小" in so2
    assert "6.50" in nox and "4.74%" in nox and "余量偏小" in nox
    assert "11.20" in pm and "37.58%" in pm and "达到要求" in pm and "余量偏小" not in pm
    assert "-2.94" in vocs and "未达要求" in vocs


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
